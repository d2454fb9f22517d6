package api

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net"
	"strconv"
	"time"

	"github.com/moby/moby/api/types/container"
	"github.com/valyala/fasthttp"

	"github.com/sockerless/sockerless/runtime/containers"
	"github.com/sockerless/sockerless/runtime/errdefs"
)

func (s *Server) postStart(ctx *fasthttp.RequestCtx) error {
	if err := s.rt.Containers.Start(param(ctx, "name")); err != nil {
		return err
	}
	return noContent(ctx)
}

func (s *Server) postStop(ctx *fasthttp.RequestCtx) error {
	t, err := qint(ctx, "t")
	if err != nil {
		return err
	}
	if t == nil {
		if t, err = qint(ctx, "timeout"); err != nil {
			return err
		}
	}
	if err := s.rt.Containers.Stop(param(ctx, "name"), t, qs(ctx, "signal")); err != nil {
		return err
	}
	return noContent(ctx)
}

func (s *Server) postRestart(ctx *fasthttp.RequestCtx) error {
	t, err := qint(ctx, "t")
	if err != nil {
		return err
	}
	if err := s.rt.Containers.Restart(param(ctx, "name"), t, qs(ctx, "signal")); err != nil {
		return err
	}
	return noContent(ctx)
}

func (s *Server) postKill(ctx *fasthttp.RequestCtx) error {
	if err := s.rt.Containers.Kill(param(ctx, "name"), qs(ctx, "signal")); err != nil {
		return err
	}
	return noContent(ctx)
}

func (s *Server) postPause(ctx *fasthttp.RequestCtx) error {
	if err := s.rt.Containers.Pause(param(ctx, "name")); err != nil {
		return err
	}
	return noContent(ctx)
}

func (s *Server) postUnpause(ctx *fasthttp.RequestCtx) error {
	if err := s.rt.Containers.Unpause(param(ctx, "name")); err != nil {
		return err
	}
	return noContent(ctx)
}

func (s *Server) postWait(ctx *fasthttp.RequestCtx) error {
	// Registered before the headers go out: a start sent after them is seen.
	wctx, cancel := context.WithCancel(context.Background())
	ch, err := s.rt.Containers.Wait(wctx, param(ctx, "name"), qs(ctx, "condition"))
	if err != nil {
		cancel()
		return err
	}
	s.stream(ctx, "application/json", func(c context.Context, w io.Writer) {
		defer cancel()
		go func() {
			<-c.Done()
			cancel()
		}()
		res, ok := <-ch
		if !ok {
			return
		}
		b, _ := json.Marshal(struct {
			Error      *container.WaitExitError `json:"Error"` // null: a wait ends with an exit
			StatusCode int64                    `json:"StatusCode"`
		}{nil, int64(res.StatusCode)})
		w.Write(append(b, '\n'))
	})
	return nil
}

func (s *Server) postResize(ctx *fasthttp.RequestCtx) error {
	h, w, err := size(ctx)
	if err != nil {
		return err
	}
	if err := s.rt.Containers.Resize(param(ctx, "name"), h, w); err != nil {
		return err
	}
	ctx.SetStatusCode(200)
	return nil
}

func size(ctx *fasthttp.RequestCtx) (int, int, error) {
	h, err := strconv.Atoi(qs(ctx, "h"))
	if err != nil || h < 0 {
		return 0, 0, errdefs.InvalidParameterf("invalid height %q", qs(ctx, "h"))
	}
	w, err := strconv.Atoi(qs(ctx, "w"))
	if err != nil || w < 0 {
		return 0, 0, errdefs.InvalidParameterf("invalid width %q", qs(ctx, "w"))
	}
	return h, w, nil
}

func (s *Server) rawStreamType(ctx *fasthttp.RequestCtx, tty bool) string {
	if !tty && !versionLess(apiVersion(ctx), "1.42") {
		return "application/vnd.docker.multiplexed-stream"
	}
	return "application/vnd.docker.raw-stream"
}

func (s *Server) postAttach(ctx *fasthttp.RequestCtx) error {
	name := param(ctx, "name")
	c, err := s.rt.Containers.Get(name)
	if err != nil {
		return err
	}
	if c.Config() == nil {
		return errdefs.NotFoundf("No such container: %s", name)
	}
	opts := containers.AttachOptions{
		Stdin: qbool(ctx, "stdin"), Stdout: qbool(ctx, "stdout"), Stderr: qbool(ctx, "stderr"),
		Stream: qbool(ctx, "stream"), Logs: qbool(ctx, "logs"),
	}
	if !opts.Stream && !opts.Logs {
		return errdefs.InvalidParameterf("either the stream or logs parameter must be set")
	}
	id := c.ID()
	readerDone := make(chan struct{})
	var a *containers.Attach
	s.hijackGated(ctx, s.rawStreamType(ctx, c.Tty()), false, func(conn net.Conn) error {
		var err error
		a, err = s.rt.Containers.Attach(id, opts, conn, func() { close(readerDone) })
		return err
	}, func(conn net.Conn) {
		<-a.Done()
		finishHijack(conn, readerDone)
	})
	return nil
}

// WriteErrorFrame reports an error in-band on a hijacked stream.
func WriteErrorFrame(conn net.Conn, tty bool, err error) {
	msg := []byte(err.Error() + "\n")
	if tty {
		conn.Write(msg)
		return
	}
	containers.WriteFrame(conn, containers.Stderr, msg)
}

const tsLayout = "2006-01-02T15:04:05.000000000Z07:00"

func (s *Server) getLogs(ctx *fasthttp.RequestCtx) error {
	name := param(ctx, "name")
	opt := containers.LogOptions{Stdout: qbool(ctx, "stdout"), Stderr: qbool(ctx, "stderr"), Follow: qbool(ctx, "follow"), Tail: -1}
	if !opt.Stdout && !opt.Stderr {
		return errdefs.InvalidParameterf("Bad parameters: you must choose at least one stream")
	}
	var err error
	if opt.Since, err = parseTime(qs(ctx, "since")); err != nil {
		return err
	}
	if opt.Until, err = parseTime(qs(ctx, "until")); err != nil {
		return err
	}
	if t := qs(ctx, "tail"); t != "" && t != "all" {
		n, err := strconv.Atoi(t)
		if err != nil {
			return errdefs.InvalidParameterf("invalid tail value %q", t)
		}
		if n >= 0 {
			opt.Tail = n
		}
	}
	timestamps := qbool(ctx, "timestamps")
	c, err := s.rt.Containers.Get(name)
	if err != nil {
		return err
	}
	id, tty := c.ID(), c.Tty()
	s.stream(ctx, "", func(cctx context.Context, cw io.Writer) {
		// Many small records become one chunk per 64 KiB; the buffer is
		// flushed whenever the reader catches up with the container.
		w := bufio.NewWriterSize(cw, 64<<10)
		defer w.Flush()
		opt.Idle = func() { w.Flush() }
		var buf []byte
		s.rt.Containers.Logs(cctx, id, opt, func(e containers.LogEntry) error {
			buf = buf[:0]
			if timestamps {
				buf = e.Time.UTC().AppendFormat(buf, tsLayout)
				buf = append(buf, ' ')
			}
			buf = append(buf, e.Data...)
			if tty {
				_, err := w.Write(buf)
				return err
			}
			return containers.WriteFrame(w, e.Stream, buf)
		})
	})
	return nil
}

var _ = time.Now
