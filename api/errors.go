package api

import (
	"encoding/json"
	"errors"

	"github.com/valyala/fasthttp"

	"github.com/sockerless/sockerless/runtime/errdefs"
)

// statusOf is the one mapping from the error taxonomy to HTTP statuses.
func statusOf(err error) int {
	if errors.Is(err, errBodyTooLarge) {
		return fasthttp.StatusRequestEntityTooLarge
	}
	switch errdefs.KindOf(err) {
	case errdefs.InvalidParameter:
		return fasthttp.StatusBadRequest
	case errdefs.NotFound:
		return fasthttp.StatusNotFound
	case errdefs.Conflict:
		return fasthttp.StatusConflict
	case errdefs.NotModified:
		return fasthttp.StatusNotModified
	case errdefs.Forbidden:
		return fasthttp.StatusForbidden
	case errdefs.Unavailable:
		return fasthttp.StatusServiceUnavailable
	case errdefs.NotImplemented:
		return fasthttp.StatusNotImplemented
	case errdefs.Unauthorized:
		return fasthttp.StatusUnauthorized
	}
	return fasthttp.StatusInternalServerError
}

// writeError answers with the error's status and {"message": ...}. The
// message of an unclassified error is replaced by a generic one; its
// detail goes to the log.
func (s *Server) writeError(ctx *fasthttp.RequestCtx, err error) {
	status := statusOf(err)
	msg := err.Error()
	if errdefs.KindOf(err) == errdefs.Unknown {
		s.log.Error("request failed", "method", string(ctx.Method()), "path", string(ctx.Path()), "err", err)
		var e *errdefs.Error
		if !errors.As(err, &e) {
			msg = "internal error: " + msg
		}
	} else {
		s.log.Debug("request refused", "method", string(ctx.Method()), "path", string(ctx.Path()), "status", status, "err", err)
	}
	if status == fasthttp.StatusNotModified {
		ctx.SetStatusCode(status)
		return
	}
	writeJSONError(ctx, status, msg)
}

func writeJSONError(ctx *fasthttp.RequestCtx, status int, msg string) {
	b, _ := json.Marshal(struct {
		Message string `json:"message"`
	}{msg})
	ctx.SetStatusCode(status)
	ctx.SetContentType("application/json")
	ctx.SetBody(append(b, '\n'))
}
