package api

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
)

// TestOversized: request heads beyond the read buffer and JSON bodies
// beyond maxJSONBody are refused with 431 and 413, and change nothing.
func TestOversized(t *testing.T) {
	s := testServer(t)
	before := len(s.rt.Containers.All())

	head := "GET /_ping HTTP/1.1\r\nHost: docker\r\nX-Big: " + strings.Repeat("h", 20<<10) + "\r\n\r\n"
	if got := statuses(rawExchange(t, []byte(head))); len(got) != 1 || got[0] != 431 {
		t.Errorf("oversized header: statuses %v, want [431]", got)
	}
	uri := "GET /containers/json?filters=" + strings.Repeat("x", 20<<10) + " HTTP/1.1\r\nHost: docker\r\n\r\n"
	if got := statuses(rawExchange(t, []byte(uri))); len(got) != 1 || got[0] != 431 {
		t.Errorf("oversized request line: statuses %v, want [431]", got)
	}

	big := `{"Image":"alpine","Cmd":["true"],"Labels":{"pad":"` + strings.Repeat("p", maxJSONBody) + `"}}`
	for _, framing := range []string{"length", "chunked"} {
		var req bytes.Buffer
		req.WriteString("POST /v1.41/containers/create HTTP/1.1\r\nHost: docker\r\nContent-Type: application/json\r\n")
		if framing == "length" {
			fmt.Fprintf(&req, "Content-Length: %d\r\n\r\n%s", len(big), big)
		} else {
			fmt.Fprintf(&req, "Transfer-Encoding: chunked\r\n\r\n%x\r\n%s\r\n0\r\n\r\n", len(big), big)
		}
		out := rawExchange(t, req.Bytes())
		if got := statuses(out); len(got) != 1 || got[0] != 413 {
			t.Errorf("oversized JSON body (%s): statuses %v, want [413]: %.200q", framing, got, out)
		}
	}
	if n := len(s.rt.Containers.All()); n != before {
		t.Errorf("containers %d after refused requests, %d before", n, before)
	}
	// Just under the bound is accepted.
	ok := `{"Image":"alpine","Cmd":["true"],"Labels":{"pad":"` + strings.Repeat("p", 1<<20) + `"}}`
	code, body := call(s, "POST", "/containers/create", ok)
	if code != 201 {
		t.Fatalf("1 MiB create: %d %s", code, body)
	}
	s.rt.Containers.Remove(body[strings.Index(body, `"Id":"`)+6:][:64], true, true)
}
