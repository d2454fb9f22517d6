package api

import (
	"net"
	"time"

	"github.com/moby/moby/api/types/container"
	"github.com/valyala/fasthttp"

	"github.com/sockerless/sockerless/runtime/containers"
)

func (s *Server) postExecCreate(ctx *fasthttp.RequestCtx) error {
	var req container.ExecCreateRequest
	if err := decodeJSON(ctx, &req, true); err != nil {
		return err
	}
	e, err := s.rt.Containers.ExecCreate(param(ctx, "name"), req)
	if err != nil {
		return err
	}
	return writeJSON(ctx, 201, container.ExecCreateResponse{ID: e.ID})
}

func (s *Server) postExecStart(ctx *fasthttp.RequestCtx) error {
	var req container.ExecStartRequest
	if err := decodeJSON(ctx, &req, false); err != nil {
		return err
	}
	e, err := s.rt.Containers.GetExec(param(ctx, "id"))
	if err != nil {
		return err
	}
	cfg := e.Config()
	tty := req.Tty || cfg.Tty
	cs := req.ConsoleSize
	if cs == nil {
		cs = cfg.ConsoleSize
	}
	if req.Detach {
		if err := s.rt.Containers.ExecStart(e, containers.ExecStreams{}, tty, cs); err != nil {
			return err
		}
		ctx.SetStatusCode(200)
		return nil
	}
	s.hijack(ctx, s.rawStreamType(ctx, tty), true, func(conn net.Conn) {
		st := containers.ExecStreams{}
		readerDone := make(chan struct{})
		if cfg.AttachStdin {
			st.Stdin = conn
			st.StdinDone = func() { close(readerDone) }
		} else {
			close(readerDone)
		}
		if cfg.AttachStdout {
			st.Stdout = conn
		}
		if cfg.AttachStderr {
			st.Stderr = conn
		}
		if err := s.rt.Containers.ExecStart(e, st, tty, cs); err != nil {
			WriteErrorFrame(conn, tty, err)
			if cfg.AttachStdin {
				// The reader may have started (a failed sandbox start):
				// closing the connection ends it.
				rawConn(conn).Close()
				select {
				case <-readerDone:
				case <-time.After(time.Second):
				}
			}
			return
		}
		<-e.Done()
		finishHijack(conn, readerDone)
	})
	return nil
}

func (s *Server) postExecResize(ctx *fasthttp.RequestCtx) error {
	h, w, err := size(ctx)
	if err != nil {
		return err
	}
	e, err := s.rt.Containers.GetExec(param(ctx, "id"))
	if err != nil {
		return err
	}
	if err := s.rt.Containers.ExecResize(e, h, w); err != nil {
		return err
	}
	ctx.SetStatusCode(200)
	return nil
}

func (s *Server) getExec(ctx *fasthttp.RequestCtx) error {
	e, err := s.rt.Containers.GetExec(param(ctx, "id"))
	if err != nil {
		return err
	}
	return writeJSON(ctx, 200, e.Inspect())
}
