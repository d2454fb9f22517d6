package api

// Archive access for containers that run on a backend (runtime/backend):
// the handlers in containers.go hand them over here before touching a
// root file system.

import (
	"bytes"
	"context"
	"encoding/base64"
	"io"

	"github.com/valyala/fasthttp"

	"github.com/sockerless/sockerless/runtime/containers"
	"github.com/sockerless/sockerless/runtime/errdefs"
)

// onBackend returns the container named in the path when it runs on a
// backend.
func (s *Server) onBackend(ctx *fasthttp.RequestCtx) (*containers.Container, bool) {
	c, err := s.rt.Containers.Get(param(ctx, "name"))
	if err != nil || c.Backend() == "" {
		return nil, false
	}
	return c, true
}

func (s *Server) backendArchive(ctx *fasthttp.RequestCtx, c *containers.Container, method string) error {
	p := qs(ctx, "path")
	if p == "" {
		return errdefs.InvalidParameterf("path is required")
	}
	switch method {
	case "PUT":
		err := s.rt.Containers.BackendArchivePut(context.Background(), c, p, body(ctx),
			qbool(ctx, "noOverwriteDirNonDir"), qbool(ctx, "copyUIDGID"))
		if err != nil {
			return err
		}
		s.rt.Containers.Event(c, "extract-to-dir")
		ctx.SetStatusCode(200)
		return nil
	}
	actx, cancel := context.WithCancel(context.Background())
	rc, stat, err := s.rt.Containers.BackendArchiveGet(actx, c, p)
	if err != nil {
		cancel()
		if errdefs.Is(err, errdefs.NotFound) {
			// The backend names the path by its own container id.
			return errdefs.NotFoundf("Could not find the file %s in container %s", p, param(ctx, "name"))
		}
		return err
	}
	ctx.Response.Header.Set("X-Docker-Container-Path-Stat", base64.StdEncoding.EncodeToString(stat))
	if method == "HEAD" {
		rc.Close()
		cancel()
		ctx.SetStatusCode(200)
		return nil
	}
	s.streamFrom(ctx, "application/x-tar", rc, cancel, c, "archive-path")
	return nil
}

// streamFrom sends a body from the backend to the client (cancel ends the
// backend's side), then records the container's event.
func (s *Server) streamFrom(ctx *fasthttp.RequestCtx, contentType string, rc io.ReadCloser, cancel context.CancelFunc, c *containers.Container, event string) {
	s.stream(ctx, contentType, func(cctx context.Context, w io.Writer) {
		defer cancel()
		defer rc.Close()
		go func() {
			<-cctx.Done()
			rc.Close()
		}()
		if _, err := io.Copy(w, rc); err != nil {
			s.log.Debug("a body from a backend ended early", "container", c.ID(), "event", event, "err", err)
		}
	})
	s.rt.Containers.Event(c, event)
}

func (s *Server) backendExport(ctx *fasthttp.RequestCtx, c *containers.Container) error {
	ectx, cancel := context.WithCancel(context.Background())
	rc, err := s.rt.Containers.BackendExport(ectx, c)
	if err != nil {
		cancel()
		return err
	}
	s.streamFrom(ctx, "application/octet-stream", rc, cancel, c, "export")
	return nil
}

func (s *Server) backendStats(ctx *fasthttp.RequestCtx, c *containers.Container, stream bool) error {
	if !stream {
		var buf bytes.Buffer
		if err := s.rt.Containers.BackendStats(context.Background(), c, false, &buf); err != nil {
			return err
		}
		ctx.SetContentType("application/json")
		ctx.SetStatusCode(200)
		ctx.SetBody(buf.Bytes())
		return nil
	}
	s.stream(ctx, "application/json", func(cctx context.Context, w io.Writer) {
		if err := s.rt.Containers.BackendStats(cctx, c, true, w); err != nil {
			s.log.Debug("stats from a backend ended", "container", c.ID(), "err", err)
		}
	})
	return nil
}
