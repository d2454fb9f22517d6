// Package api serves the Docker Engine REST API on fasthttp: version
// negotiation and headers, routing, request decoding, the one mapping of
// the runtime's error taxonomy to HTTP statuses (errors.go), and the
// stream framings (hijacked 101 upgrades, chunked streams). Handlers are
// split by resource and return errors; they never decide a status for an
// error themselves.
//
// It must not hold container state: everything lives in the runtime.
package api

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"github.com/fasthttp/router"
	"github.com/valyala/fasthttp"

	"github.com/sockerless/sockerless/runtime"
	"github.com/sockerless/sockerless/runtime/errdefs"
)

// API versions served. Requests may use any version in [MinVersion,
// MaxVersion]; /_ping and /version advertise MaxVersion.
const (
	MinVersion = "1.24"
	MaxVersion = "1.47"
)

// maxJSONBody bounds JSON request bodies.
const maxJSONBody = 16 << 20

// Server is the Docker API server.
type Server struct {
	rt      *runtime.Runtime
	log     *slog.Logger
	router  *router.Router
	srv     *fasthttp.Server
	version string
	name    string
}

// Options configure a Server.
type Options struct {
	Version string // sockerless version, shown by /version
}

// New returns a server for rt.
func New(rt *runtime.Runtime, opts Options) *Server {
	s := &Server{rt: rt, log: rt.Log, version: opts.Version}
	if s.version == "" {
		s.version = "dev"
	}
	s.name = "Sockerless/" + s.version + " (linux)"
	r := router.New()
	r.RedirectTrailingSlash = false
	r.RedirectFixedPath = false
	r.HandleMethodNotAllowed = false
	r.NotFound = s.wrap(func(ctx *fasthttp.RequestCtx) error {
		return errdefs.NotFoundf("page not found")
	})
	s.router = r
	s.routes()
	s.srv = &fasthttp.Server{
		Handler:                       s.handle,
		Name:                          s.name,
		NoDefaultContentType:          true,
		NoDefaultDate:                 false,
		StreamRequestBody:             true,
		MaxRequestBodySize:            maxJSONBody,
		ReadBufferSize:                16 << 10, // also bounds request headers
		DisableHeaderNamesNormalizing: false,
		CloseOnShutdown:               true,
		MaxIdleWorkerDuration:         5 * time.Second,
		ErrorHandler: func(ctx *fasthttp.RequestCtx, err error) {
			status := fasthttp.StatusBadRequest
			if errors.Is(err, fasthttp.ErrBodyTooLarge) {
				status = fasthttp.StatusRequestEntityTooLarge
			}
			if strings.Contains(err.Error(), "small read buffer") {
				status = fasthttp.StatusRequestHeaderFieldsTooLarge
			}
			writeJSONError(ctx, status, "invalid request: "+err.Error())
		},
		Logger: fasthttpLogger{s.log},
	}
	return s
}

type fasthttpLogger struct{ l *slog.Logger }

func (l fasthttpLogger) Printf(format string, args ...any) {
	l.l.Debug("fasthttp", "msg", strings.TrimSpace(sprintf(format, args...)))
}

// Serve answers API requests on ln until Shutdown (see hostFixListener).
func (s *Server) Serve(ln net.Listener) error { return s.srv.Serve(hostFixListener{ln}) }

// Shutdown stops accepting and waits for open requests (not hijacked
// streams) to end.
func (s *Server) Shutdown(ctx context.Context) error { return s.srv.ShutdownWithContext(ctx) }

// Handler is the server's request handler (for tests and fuzzing).
func (s *Server) Handler() fasthttp.RequestHandler { return s.handle }

type ctxKey int

const versionKey = "apiVersion"

// handle strips the /vX.Y prefix, checks the version and routes.
func (s *Server) handle(ctx *fasthttp.RequestCtx) {
	defer func() {
		if p := recover(); p != nil {
			s.log.Error("panic serving request", "path", string(ctx.Path()), "panic", p, "stack", string(debug.Stack()))
			ctx.Response.Reset()
			writeJSONError(ctx, 500, "internal error: the daemon hit a bug while serving this request")
		}
	}()
	path := ctx.Path()
	version := MaxVersion
	if len(path) > 2 && path[0] == '/' && path[1] == 'v' {
		if i := bytes.IndexByte(path[1:], '/'); i > 0 {
			v := string(path[2 : i+1])
			if isVersion(v) {
				version = v
				ctx.URI().SetPathBytes(append([]byte(nil), path[i+1:]...))
				if versionLess(MaxVersion, v) {
					s.commonHeaders(ctx)
					writeJSONError(ctx, 400, "client version "+v+" is too new. Maximum supported API version is "+MaxVersion)
					return
				}
				if versionLess(v, MinVersion) {
					s.commonHeaders(ctx)
					writeJSONError(ctx, 400, "client version "+v+" is too old. Minimum supported API version is "+MinVersion+", please upgrade your client to a newer version")
					return
				}
			}
		}
	}
	ctx.SetUserValue(versionKey, version)
	s.router.Handler(ctx)
}

func isVersion(v string) bool {
	maj, min, ok := strings.Cut(v, ".")
	if !ok {
		return false
	}
	_, e1 := strconv.Atoi(maj)
	_, e2 := strconv.Atoi(min)
	return e1 == nil && e2 == nil
}

// versionLess reports a < b for "major.minor" versions.
func versionLess(a, b string) bool {
	am, an, _ := strings.Cut(a, ".")
	bm, bn, _ := strings.Cut(b, ".")
	x, _ := strconv.Atoi(am)
	y, _ := strconv.Atoi(bm)
	if x != y {
		return x < y
	}
	x, _ = strconv.Atoi(an)
	y, _ = strconv.Atoi(bn)
	return x < y
}

func apiVersion(ctx *fasthttp.RequestCtx) string {
	if v, ok := ctx.UserValue(versionKey).(string); ok {
		return v
	}
	return MaxVersion
}

func (s *Server) commonHeaders(ctx *fasthttp.RequestCtx) {
	h := &ctx.Response.Header
	h.Set("Api-Version", MaxVersion)
	h.Set("Docker-Experimental", "false")
	h.Set("Ostype", "linux")
	h.Set("Server", s.name)
}

// handlerFunc is a handler that returns its error.
type handlerFunc func(ctx *fasthttp.RequestCtx) error

// wrap adds the common headers and maps a returned error to a status.
func (s *Server) wrap(h handlerFunc) fasthttp.RequestHandler {
	return func(ctx *fasthttp.RequestCtx) {
		s.commonHeaders(ctx)
		if err := h(ctx); err != nil {
			if ctx.Hijacked() {
				s.log.Debug("error after hijack", "path", string(ctx.Path()), "err", err)
				return
			}
			s.writeError(ctx, err)
		}
	}
}

func (s *Server) routeAll(method, path string, h handlerFunc) {
	s.router.Handle(method, path, s.wrap(h))
}

// writeJSON answers 200 (or status) with v as JSON and a Content-Length.
func writeJSON(ctx *fasthttp.RequestCtx, status int, v any) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return err
	}
	ctx.SetStatusCode(status)
	ctx.SetContentType("application/json")
	ctx.SetBody(buf.Bytes())
	return nil
}

func noContent(ctx *fasthttp.RequestCtx) error {
	ctx.SetStatusCode(fasthttp.StatusNoContent)
	return nil
}

// body returns the request body as a stream.
func body(ctx *fasthttp.RequestCtx) io.Reader {
	if r := ctx.RequestBodyStream(); r != nil {
		return r
	}
	return bytes.NewReader(ctx.Request.Body())
}

// decodeJSON decodes a JSON body into v. An empty body leaves v as is
// unless required.
func decodeJSON(ctx *fasthttp.RequestCtx, v any, required bool) error {
	r := io.LimitReader(body(ctx), maxJSONBody+1)
	data, err := io.ReadAll(r)
	if err != nil {
		return errdefs.InvalidParameterf("reading request body: %v", err)
	}
	if len(data) > maxJSONBody {
		return &errdefs.Error{Kind: errdefs.InvalidParameter, Msg: "request body too large", Cause: errBodyTooLarge}
	}
	if len(bytes.TrimSpace(data)) == 0 {
		if required {
			return errdefs.InvalidParameterf("invalid JSON: request body is empty")
		}
		return nil
	}
	if err := json.Unmarshal(data, v); err != nil {
		return errdefs.InvalidParameterf("invalid JSON: %v", err)
	}
	return nil
}

var errBodyTooLarge = errors.New("body too large")

// Query helpers.

func qs(ctx *fasthttp.RequestCtx, k string) string { return string(ctx.QueryArgs().Peek(k)) }

func qbool(ctx *fasthttp.RequestCtx, k string) bool {
	v := strings.ToLower(qs(ctx, k))
	return v != "" && v != "0" && v != "false" && v != "no"
}

func qint(ctx *fasthttp.RequestCtx, k string) (*int, error) {
	v := qs(ctx, k)
	if v == "" {
		return nil, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		return nil, errdefs.InvalidParameterf("invalid value for %s: %q is not an integer", k, v)
	}
	return &n, nil
}

func param(ctx *fasthttp.RequestCtx, k string) string {
	v, _ := ctx.UserValue(k).(string)
	return v
}

// parseTime accepts Docker's since/until forms: unix seconds (with
// fraction), RFC 3339, or a duration before now ("10m").
func parseTime(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	if d, err := time.ParseDuration(s); err == nil {
		return time.Now().Add(-d), nil
	}
	if sec, frac, ok := strings.Cut(s, "."); ok || isDigits(s) {
		n, err := strconv.ParseInt(sec, 10, 64)
		if err == nil {
			var ns int64
			if frac != "" {
				frac = (frac + "000000000")[:9]
				ns, _ = strconv.ParseInt(frac, 10, 64)
			}
			return time.Unix(n, ns), nil
		}
	}
	for _, layout := range []string{time.RFC3339Nano, time.RFC3339, "2006-01-02T15:04:05", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, errdefs.InvalidParameterf("invalid time value %q: use a unix timestamp, RFC 3339 or a duration", s)
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}
