// Package backend_test drives the backend adapters end to end: the
// built-in docker adapter against a private Docker Engine (tests/refdocker,
// Debian's dockerd; a missing engine fails the tests), and a user-loaded
// adapter built from guests/adapters/testdata at test time.
package backend_test

import (
	"context"
	"log/slog"
	"os"
	"testing"

	"github.com/sockerless/sockerless/runtime/backend"
	"github.com/sockerless/sockerless/runtime/backend/builtin"
	"github.com/sockerless/sockerless/tests/refdocker"
)

var cacheDir string

func TestMain(m *testing.M) {
	d, err := os.MkdirTemp("", "backend-cache-")
	if err != nil {
		panic(err)
	}
	cacheDir = d
	code := m.Run()
	os.RemoveAll(d)
	os.Exit(code)
}

// dockerBackend starts a reference engine and loads the docker adapter
// pointed at it, with extra options.
func dockerBackend(t *testing.T, opts map[string]string) (*refdocker.Engine, *backend.Host, backend.Backend) {
	t.Helper()
	eng := refdocker.New(t)
	h := newHost(t)
	o := map[string]string{"host": eng.Host}
	for k, v := range opts {
		o[k] = v
	}
	if _, err := h.Load(context.Background(), "docker", builtin.Modules()["docker"], o, true); err != nil {
		t.Fatal(err)
	}
	b, _ := h.Backend("docker")
	return eng, h, b
}

func newHost(t testing.TB) *backend.Host {
	t.Helper()
	h, err := backend.NewHost(backend.HostConfig{CacheDir: cacheDir, Log: slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { h.Close(context.Background()) })
	return h
}
