package api

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"strconv"
	"sync"
	"time"

	"github.com/valyala/fasthttp"
)

// hijack takes over the connection for a bidirectional raw stream
// (attach, exec start). With upgrade it answers exactly like Docker
// ("101 UPGRADED", raw-stream content type, Connection/Upgrade: tcp);
// otherwise 200 with the stream as the body of a closing connection.
// fn runs after the handler returned, on its own goroutine.
func (s *Server) hijack(ctx *fasthttp.RequestCtx, contentType string, extraHeaders bool, fn func(conn net.Conn)) {
	s.hijackGated(ctx, contentType, extraHeaders, nil, fn)
}

// hijackGated is hijack with a setup step that runs before the response
// head is written: attach registers for output there, so a client that
// starts the container as soon as it sees the 101 loses nothing. Writes
// made through the connection during setup wait until the head is out.
func (s *Server) hijackGated(ctx *fasthttp.RequestCtx, contentType string, extraHeaders bool, setup func(conn net.Conn) error, fn func(conn net.Conn)) {
	upgrade := bytes.EqualFold(ctx.Request.Header.Peek("Upgrade"), []byte("tcp")) ||
		bytes.Contains(bytes.ToLower(ctx.Request.Header.Peek("Connection")), []byte("upgrade"))
	var head bytes.Buffer
	if upgrade {
		head.WriteString("HTTP/1.1 101 UPGRADED\r\nContent-Type: " + contentType + "\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n")
	} else {
		head.WriteString("HTTP/1.1 200 OK\r\nContent-Type: " + contentType + "\r\nConnection: close\r\n")
	}
	if extraHeaders {
		head.WriteString("Api-Version: " + MaxVersion + "\r\nDocker-Experimental: false\r\nOstype: linux\r\nServer: " + s.name + "\r\n")
	}
	head.WriteString("\r\n")
	ctx.HijackSetNoResponse(true)
	ctx.Hijack(func(c net.Conn) {
		gc := &gatedConn{Conn: c, ready: make(chan struct{})}
		var setupErr error
		if setup != nil {
			setupErr = setup(gc)
		}
		_, err := c.Write(head.Bytes())
		close(gc.ready)
		if err != nil {
			return
		}
		if setupErr != nil {
			WriteErrorFrame(c, false, setupErr)
			return
		}
		fn(gc)
	})
}

// gatedConn holds writes until the response head is out.
type gatedConn struct {
	net.Conn
	ready chan struct{}
}

func (g *gatedConn) Write(p []byte) (int, error) {
	<-g.ready
	return g.Conn.Write(p)
}

func (g *gatedConn) UnsafeConn() net.Conn { return rawConn(g.Conn) }

func rawConn(c net.Conn) net.Conn {
	if u, ok := c.(interface{ UnsafeConn() net.Conn }); ok {
		return u.UnsafeConn()
	}
	return c
}

// finishHijack ends a bidirectional stream: our side is half-closed (the
// client sees EOF), the client gets a grace period to close its side, and
// the handler returns only once the goroutine reading the connection has
// stopped (fasthttp recycles the connection's reader afterwards).
func finishHijack(c net.Conn, readerDone <-chan struct{}) {
	closeWrite(c)
	t := time.NewTimer(2 * time.Second)
	defer t.Stop()
	select {
	case <-readerDone:
		return
	case <-t.C:
	}
	rawConn(c).Close()
	<-readerDone
}

// closeWrite half-closes our side of a hijacked connection.
func closeWrite(c net.Conn) {
	if u, ok := c.(interface{ UnsafeConn() net.Conn }); ok {
		c = u.UnsafeConn()
	}
	if cw, ok := c.(interface{ CloseWrite() error }); ok {
		cw.CloseWrite()
	}
}

// chunkWriter writes each Write as one HTTP chunk, immediately.
type chunkWriter struct {
	mu  sync.Mutex
	c   net.Conn
	err error
}

func (w *chunkWriter) Write(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.err != nil {
		return 0, w.err
	}
	buf := make([]byte, 0, len(p)+16)
	buf = strconv.AppendInt(buf, int64(len(p)), 16)
	buf = append(buf, '\r', '\n')
	buf = append(buf, p...)
	buf = append(buf, '\r', '\n')
	if _, err := w.c.Write(buf); err != nil {
		w.err = err
		return 0, err
	}
	return len(p), nil
}

func (w *chunkWriter) end() {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.err == nil {
		w.c.Write([]byte("0\r\n\r\n"))
	}
}

// stream answers 200 with a chunked body whose headers are flushed at
// once (clients such as docker run rely on that for wait), then calls fn
// with a context that ends when the client goes away. The connection is
// closed afterwards (the response says Connection: close).
func (s *Server) stream(ctx *fasthttp.RequestCtx, contentType string, fn func(c context.Context, w io.Writer)) {
	var head bytes.Buffer
	head.WriteString("HTTP/1.1 200 OK\r\nApi-Version: " + MaxVersion + "\r\n")
	if contentType != "" {
		head.WriteString("Content-Type: " + contentType + "\r\n")
	}
	head.WriteString("Docker-Experimental: false\r\nOstype: linux\r\nServer: " + s.name + "\r\n")
	if st := ctx.Response.Header.Peek("X-Docker-Container-Path-Stat"); len(st) > 0 {
		head.WriteString("X-Docker-Container-Path-Stat: " + string(st) + "\r\n")
	}
	head.WriteString("Date: " + time.Now().UTC().Format(time.RFC1123) + "\r\n")
	head.WriteString("Connection: close\r\nTransfer-Encoding: chunked\r\n\r\n")
	ctx.HijackSetNoResponse(true)
	ctx.Hijack(func(c net.Conn) {
		if _, err := c.Write(head.Bytes()); err != nil {
			return
		}
		cctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		raw := rawConn(c)
		go func() {
			// Anything read or a read error means the client is gone (it
			// sends nothing more on a Connection: close exchange). The raw
			// connection is read: fasthttp recycles its reader when the
			// hijack handler returns, and closes raw, ending this read.
			var b [1]byte
			raw.Read(b[:])
			cancel()
		}()
		w := &chunkWriter{c: c}
		fn(cctx, w)
		w.end()
	})
}

func sprintf(format string, args ...any) string { return fmt.Sprintf(format, args...) }
