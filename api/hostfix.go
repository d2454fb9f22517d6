package api

import (
	"bytes"
	"net"
)

// Docker clients built with Go's old Host cleaning (the docker CLI 20.10
// of Debian, for one) send the hijacked attach and exec requests with an
// empty "Host:" header when they talk over a unix socket: the socket path
// is cut at its first "/". Docker Engine (Go's net/http) accepts that;
// fasthttp rejects an HTTP/1.1 request without a host. A hijacked request
// is always the first on a connection of its own, so hostFixListener
// gives the first request head of each connection the host "docker" when
// its Host header is empty, and passes everything else through untouched.
type hostFixListener struct{ net.Listener }

func (l hostFixListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return &hostFixConn{Conn: c}, nil
}

// maxFixHead bounds the bytes held back while looking for the end of the
// first request head; a longer head passes through unchanged.
const maxFixHead = 16 << 10

type hostFixConn struct {
	net.Conn
	done    bool   // the first head was seen (or given up on)
	pending []byte // bytes read but not yet returned
}

func (c *hostFixConn) Read(p []byte) (int, error) {
	for !c.done {
		if end := bytes.Index(c.pending, []byte("\r\n\r\n")); end >= 0 {
			c.pending = fixEmptyHost(c.pending, end+2)
			c.done = true
			break
		}
		if len(c.pending) >= maxFixHead {
			c.done = true
			break
		}
		buf := make([]byte, 4096)
		n, err := c.Conn.Read(buf)
		c.pending = append(c.pending, buf[:n]...)
		if err != nil {
			c.done = true
			if len(c.pending) == 0 {
				return 0, err
			}
		}
	}
	if len(c.pending) > 0 {
		n := copy(p, c.pending)
		c.pending = c.pending[n:]
		return n, nil
	}
	return c.Conn.Read(p)
}

// fixEmptyHost puts "docker" into an empty Host header among the header
// lines of b[:headEnd].
func fixEmptyHost(b []byte, headEnd int) []byte {
	lineStart := bytes.Index(b[:headEnd], []byte("\r\n")) + 2 // skip the request line
	for lineStart > 1 && lineStart < headEnd {
		n := bytes.Index(b[lineStart:headEnd], []byte("\r\n"))
		if n < 0 {
			break
		}
		line := b[lineStart : lineStart+n]
		if name, value, ok := bytes.Cut(line, []byte(":")); ok && bytes.EqualFold(name, []byte("Host")) {
			if len(bytes.TrimSpace(value)) > 0 {
				return b
			}
			out := make([]byte, 0, len(b)+len("Host: docker"))
			out = append(out, b[:lineStart]...)
			out = append(out, "Host: docker"...)
			return append(out, b[lineStart+n:]...)
		}
		lineStart += n + 2
	}
	return b
}
