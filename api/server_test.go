package api

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/moby/moby/api/types/container"
	"github.com/valyala/fasthttp"

	"github.com/sockerless/sockerless/runtime"
	"github.com/sockerless/sockerless/runtime/containers"
)

// The package's tests share one server over a runtime in a temporary data
// root (the sandbox guest compiles once, from the shared test cache).
var (
	tsOnce sync.Once
	ts     *Server
	tsDir  string
	tsErr  error
	tsSock string // the server also listens here, for raw exchanges
)

// fixture names the objects every test and fuzz input may address.
const (
	fixContainer = "fz"
	fixVolume    = "fzvol"
	fixNetwork   = "fznet"
)

func testServer(t testing.TB) *Server {
	tsOnce.Do(func() {
		if tsDir, tsErr = os.MkdirTemp("", "api-test-"); tsErr != nil {
			return
		}
		var rt *runtime.Runtime
		rt, tsErr = runtime.Open(context.Background(), runtime.Config{
			DataRoot: filepath.Join(tsDir, "root"),
			CacheDir: filepath.Join(os.TempDir(), "sockerless-test-cache"),
			PoolSize: 1,
			Log:      slog.New(slog.NewTextHandler(io.Discard, nil)),
		})
		if tsErr != nil {
			return
		}
		ts = New(rt, Options{Version: "test"})
		tsSock = filepath.Join(tsDir, "s.sock")
		var ln net.Listener
		if ln, tsErr = net.Listen("unix", tsSock); tsErr != nil {
			return
		}
		go ts.Serve(ln)
		tsErr = ts.ensureFixtures()
	})
	if tsErr != nil {
		t.Fatal("test server: ", tsErr)
	}
	return ts
}

func TestMain(m *testing.M) {
	code := m.Run()
	if ts != nil {
		ts.Shutdown(context.Background())
		ts.rt.Close()
	}
	if tsDir != "" {
		os.RemoveAll(tsDir)
	}
	os.Exit(code)
}

// ensureFixtures (re)creates the image, container, volume and network that
// requests address: an input may well have removed them.
func (s *Server) ensureFixtures() error {
	rt := s.rt
	if _, err := rt.Images.Get("alpine"); err != nil {
		if _, err := rt.Images.Pull("alpine", io.Discard); err != nil {
			return err
		}
	}
	if _, err := rt.Containers.Get(fixContainer); err != nil {
		_, _, err := rt.Containers.Create(containers.CreateRequest{Name: fixContainer,
			Config: &container.Config{Image: "alpine", Cmd: []string{"true"}}})
		if err != nil {
			return err
		}
	}
	if _, err := rt.Volumes.Get(fixVolume); err != nil {
		if _, _, err := rt.Volumes.Create(fixVolume, nil, nil, ""); err != nil {
			return err
		}
	}
	if _, err := rt.Networks.Get(fixNetwork); err != nil {
		if code, body := call(s, "POST", "/networks/create", `{"Name":"`+fixNetwork+`"}`); code != 201 {
			return fmt.Errorf("network create: %d %s", code, body)
		}
	}
	return nil
}

// settle stops whatever an input left running, so that no later input
// blocks on it (a stop with a long timeout, say).
func (s *Server) settle() {
	for _, c := range s.rt.Containers.All() {
		if c.Running() {
			s.rt.Containers.Kill(c.ID(), "KILL")
		}
	}
}

// call runs one request through the server's handler in process (no
// connection: streams and hijacks are set up, not run) and checks the
// answer's shape.
func call(s *Server, method, target, body string) (int, string) {
	var req fasthttp.Request
	req.Header.SetMethod(method)
	req.SetRequestURI(target)
	if body != "" {
		req.Header.SetContentType("application/json")
		req.SetBodyString(body)
	}
	return serveRequest(s, &req)
}

func serveRequest(s *Server, req *fasthttp.Request) (int, string) {
	var ctx fasthttp.RequestCtx
	ctx.Init(req, &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1)}, nil)
	s.handle(&ctx)
	if ctx.Response.IsBodyStream() {
		ctx.Response.CloseBodyStream()
		return ctx.Response.StatusCode(), ""
	}
	return ctx.Response.StatusCode(), string(ctx.Response.Body())
}

// checkAnswer fails on what a request must never get: a recovered panic,
// or an error status without Docker's {"message": ...} body.
func checkAnswer(t testing.TB, what string, code int, body string) {
	t.Helper()
	if strings.Contains(body, "the daemon hit a bug") {
		t.Fatalf("%s: the handler panicked (see the log): %d %s", what, code, body)
	}
	if code < 100 || code > 599 {
		t.Fatalf("%s: status %d", what, code)
	}
	if code >= 400 && code != 404 || code == 404 && body != "" && !strings.Contains(body, "page not found") {
		var msg struct{ Message *string }
		if err := json.Unmarshal([]byte(body), &msg); err != nil || msg.Message == nil || *msg.Message == "" {
			t.Fatalf("%s: status %d without a JSON message: %q", what, code, body)
		}
	}
}

// rawExchange sends raw bytes on a fresh connection to the server, closes
// its writing side and returns what came back until the server closed the
// connection or two seconds passed (streams and hijacks end when the
// client closes).
func rawExchange(t testing.TB, raw []byte) []byte {
	t.Helper()
	testServer(t)
	c, err := net.Dial("unix", tsSock)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	go func() {
		c.Write(raw)
		closeWrite(c) // the server answers what it got, then closes
	}()
	var out bytes.Buffer
	c.SetReadDeadline(time.Now().Add(2 * time.Second))
	io.Copy(&out, c)
	return out.Bytes()
}

// statuses parses the status codes of the responses in out.
func statuses(out []byte) []int {
	var codes []int
	r := bufio.NewReader(bytes.NewReader(out))
	for {
		var resp fasthttp.Response
		if err := resp.Read(r); err != nil {
			return codes
		}
		codes = append(codes, resp.StatusCode())
	}
}
