package backend_test

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sockerless/sockerless/runtime/backend"
	"github.com/sockerless/sockerless/runtime/backend/builtin"
	"github.com/sockerless/sockerless/runtime/errdefs"
)

// buildTestAdapter compiles guests/adapters/testdata (never committed as
// wasm) the way the Makefile builds the built-in adapters.
func buildTestAdapter(t *testing.T) string {
	t.Helper()
	out := filepath.Join(t.TempDir(), "memory.wasm")
	cmd := exec.Command("go", "build", "-buildmode=c-shared", "-o", out, "./guests/adapters/testdata")
	cmd.Dir = "../.."
	cmd.Env = append(os.Environ(), "GOOS=wasip1", "GOARCH=wasm")
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("build test adapter: %v\n%s", err, b)
	}
	return out
}

func TestUserModule(t *testing.T) {
	wasm := buildTestAdapter(t)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("ok")) }))
	defer srv.Close()

	var cfg backend.Config
	for _, a := range []string{"mine=" + wasm} {
		if err := cfg.SetModule(a); err != nil {
			t.Fatal(err)
		}
	}
	for _, a := range []string{"mine.prefix=did", "mine.target=" + srv.URL} {
		if err := cfg.SetOption(a); err != nil {
			t.Fatal(err)
		}
	}
	cfg.Default = "mine"
	kv := &backend.MapKV{}
	h, err := backend.NewHost(backend.HostConfig{CacheDir: cacheDir, KV: kv})
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close(context.Background())
	ctx := context.Background()
	if err := backend.LoadAll(ctx, h, builtin.Modules(), cfg); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(h.Names(), ","); got != "docker,mine" {
		t.Fatalf("loaded: %s", got)
	}
	r, err := backend.NewRouter(cfg, h.Names())
	if err != nil {
		t.Fatal(err)
	}
	p, err := r.Place(nil, "alpine", false)
	if err != nil || p.Backend != "mine" {
		t.Fatalf("placement: %+v %v", p, err)
	}
	b, _ := h.Backend(p.Backend)

	// A container runs on the loaded adapter.
	hd, _, err := b.Create(ctx, backend.ContainerSpec{Image: "alpine", Cmd: []string{"echo", "hi"}, Env: []string{"EXIT_CODE=4", "GREETING=hello"}})
	if err != nil {
		t.Fatal(err)
	}
	if keys := kv.Keys(); len(keys) != 1 || !strings.HasPrefix(keys[0], "mine/c/") {
		t.Fatalf("kv keys: %v (want them under the backend's prefix)", keys)
	}
	if err := b.Start(ctx, hd); err != nil {
		t.Fatal(err)
	}
	if code, err := b.Wait(ctx, hd); err != nil || code != 4 {
		t.Fatalf("wait: %d %v", code, err)
	}
	var out, errb bytes.Buffer
	if err := b.Logs(ctx, hd, backend.LogOptions{Follow: true, Stdout: true, Stderr: true}, backend.Stdio{Stdout: &out, Stderr: &errb}); !errdefs.Is(err, errdefs.NotImplemented) {
		t.Fatalf("follow on a backend without logs-follow: %v", err)
	}
	if err := b.Logs(ctx, hd, backend.LogOptions{Stdout: true, Stderr: true}, backend.Stdio{Stdout: &out, Stderr: &errb}); err != nil {
		t.Fatal(err)
	}
	if out.String() != "did: echo hi\n" {
		t.Fatalf("logs: %q %q", out.String(), errb.String())
	}
	// What it cannot do is refused, naming the backend.
	if _, err := b.Exec(ctx, hd, backend.ExecConfig{Cmd: []string{"true"}}, backend.Stdio{}); !errdefs.Is(err, errdefs.NotImplemented) || !strings.Contains(err.Error(), "mine backend") {
		t.Fatalf("exec: %v", err)
	}
	if err := b.Kill(ctx, hd, "KILL"); !errdefs.Is(err, errdefs.NotImplemented) {
		t.Fatalf("kill: %v", err)
	}
	if err := b.Remove(ctx, hd, false); err != nil {
		t.Fatal(err)
	}
	if err := b.Remove(ctx, hd, false); !errdefs.Is(err, errdefs.NotFound) || !strings.Contains(err.Error(), "mine backend: no container") {
		t.Fatalf("remove again: %v", err)
	}

	// A loaded adapter reaches nothing the operator did not allow, even an
	// endpoint its manifest names.
	hd, _, _ = b.Create(ctx, backend.ContainerSpec{Image: "alpine", Env: []string{"PROBE=" + srv.URL + "/x"}})
	err = b.Start(ctx, hd)
	if !errdefs.Is(err, errdefs.Forbidden) || !strings.Contains(err.Error(), "--backend-opt mine.allow=") {
		t.Fatalf("probe without allow: %v", err)
	}
	// With the operator's allow it goes through; other endpoints still fail.
	h2, _ := backend.NewHost(backend.HostConfig{CacheDir: cacheDir})
	defer h2.Close(ctx)
	data, _ := os.ReadFile(wasm)
	if _, err := h2.Load(ctx, "mine", data, map[string]string{"target": srv.URL, "allow": srv.URL}, false); err != nil {
		t.Fatal(err)
	}
	b2, _ := h2.Backend("mine")
	hd, _, _ = b2.Create(ctx, backend.ContainerSpec{Image: "alpine", Env: []string{"PROBE=" + srv.URL + "/x"}})
	if err := b2.Start(ctx, hd); err != nil {
		t.Fatalf("allowed probe: %v", err)
	}
	hd, _, _ = b2.Create(ctx, backend.ContainerSpec{Image: "alpine", Env: []string{"PROBE=unix:///var/run/docker.sock:/v1.41/containers/json"}})
	if err := b2.Start(ctx, hd); !errdefs.Is(err, errdefs.Forbidden) || !strings.Contains(err.Error(), "not an endpoint this adapter declared") {
		t.Fatalf("undeclared socket: %v", err)
	}
}

func TestLoadAllErrors(t *testing.T) {
	ctx := context.Background()
	for _, c := range []struct {
		cfg  backend.Config
		want string
	}{
		{backend.Config{Options: map[string]map[string]string{"dokcer": {"host": "x"}}}, `no backend called "dokcer"`},
		{backend.Config{Escape: "nope"}, `--escape-backend: no backend called "nope"`},
		{backend.Config{Modules: map[string]string{"m": "/no/such.wasm"}}, "--backend-module m=/no/such.wasm"},
	} {
		h := newHost(t)
		if err := backend.LoadAll(ctx, h, builtin.Modules(), c.cfg); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%+v: %v; want %q", c.cfg, err, c.want)
		}
	}
}
