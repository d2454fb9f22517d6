package api

import (
	"io"
	"net"
	"testing"
)

func TestHostFixConn(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"POST /a HTTP/1.1\r\nHost: \r\nUpgrade: tcp\r\n\r\nraw Host: \r\n\r\n", "POST /a HTTP/1.1\r\nHost: docker\r\nUpgrade: tcp\r\n\r\nraw Host: \r\n\r\n"},
		{"GET /_ping HTTP/1.1\r\nhost:\r\n\r\n", "GET /_ping HTTP/1.1\r\nHost: docker\r\n\r\n"},
		{"GET /_ping HTTP/1.1\r\nHost: docker\r\n\r\nGET /x HTTP/1.1\r\nHost: \r\n\r\n", "GET /_ping HTTP/1.1\r\nHost: docker\r\n\r\nGET /x HTTP/1.1\r\nHost: \r\n\r\n"},
		{"GET / HTTP/1.1\r\nX-Host: \r\n\r\n", "GET / HTTP/1.1\r\nX-Host: \r\n\r\n"},
		{"partial head without end", "partial head without end"},
	} {
		a, b := net.Pipe()
		go func() {
			for i := 0; i < len(tc.in); i += 7 { // arrive in pieces
				a.Write([]byte(tc.in[i:min(i+7, len(tc.in))]))
			}
			a.Close()
		}()
		got, err := io.ReadAll(&hostFixConn{Conn: b})
		if err != nil || string(got) != tc.want {
			t.Errorf("%q: got %q, %v; want %q", tc.in, got, err, tc.want)
		}
	}
}
