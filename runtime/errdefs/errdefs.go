// Package errdefs is the one error taxonomy of the daemon. The runtime
// returns errors of these kinds; the API maps each kind to an HTTP status
// in one place (api/errors.go). The message of an *Error is safe to show a
// user; Cause carries internal detail for logs only.
package errdefs

import (
	"errors"
	"fmt"
)

// Kind classifies an error for the API.
type Kind int

const (
	Unknown          Kind = iota // a bug or an internal failure: 500
	InvalidParameter             // bad input: 400
	NotFound                     // unknown id or name: 404
	Conflict                     // state or name conflict: 409
	NotModified                  // nothing to do (start a running container): 304
	Forbidden                    // not allowed in this state: 403
	Unavailable                  // a dependency is down: 503
	NotImplemented               // knowingly unsupported: 501
	Unauthorized                 // 401
)

// Error is a classified error.
type Error struct {
	Kind  Kind
	Msg   string // safe to show a user
	Cause error  // internal detail; logged, not sent
}

func (e *Error) Error() string { return e.Msg }
func (e *Error) Unwrap() error { return e.Cause }

// KindOf returns the kind of the first *Error in err's chain (Unknown if none).
func KindOf(err error) Kind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return Unknown
}

// Is reports whether err is of kind k.
func Is(err error, k Kind) bool { return err != nil && KindOf(err) == k }

func mk(k Kind, format string, args []any) error {
	return &Error{Kind: k, Msg: fmt.Sprintf(format, args...)}
}

// New returns an error of kind k.
func New(k Kind, format string, args ...any) error { return mk(k, format, args) }

// Wrap classifies cause under kind k with a user-facing message.
func Wrap(k Kind, cause error, format string, args ...any) error {
	return &Error{Kind: k, Msg: fmt.Sprintf(format, args...), Cause: cause}
}

func InvalidParameterf(format string, args ...any) error { return mk(InvalidParameter, format, args) }
func NotFoundf(format string, args ...any) error         { return mk(NotFound, format, args) }
func Conflictf(format string, args ...any) error         { return mk(Conflict, format, args) }
func NotModifiedf(format string, args ...any) error      { return mk(NotModified, format, args) }
func Forbiddenf(format string, args ...any) error        { return mk(Forbidden, format, args) }
func NotImplementedf(format string, args ...any) error   { return mk(NotImplemented, format, args) }
func Unavailablef(format string, args ...any) error      { return mk(Unavailable, format, args) }
