package runtime

import (
	"context"
	"path/filepath"
	"sync"

	"github.com/sockerless/sockerless/runtime/backend"
	"github.com/sockerless/sockerless/runtime/backend/builtin"
	"github.com/sockerless/sockerless/runtime/store"
)

// backendBucket holds the adapters' key-value state (keys arrive prefixed
// with the backend's name).
const backendBucket = "backends"

// storeKV backs the adapters' KV with the daemon's bbolt store.
type storeKV struct{ st *store.Store }

func (k storeKV) Get(_ context.Context, key string) ([]byte, bool, error) {
	var v []byte
	ok, err := k.st.Get(backendBucket, key, &v)
	return v, ok, err
}

func (k storeKV) Put(_ context.Context, key string, value []byte) error {
	return k.st.Put(backendBucket, key, value)
}

func (k storeKV) Delete(_ context.Context, key string) error {
	return k.st.Delete(backendBucket, key)
}

// loadBackends starts loading the backend adapters (built-in and
// --backend-module) in the background: compiling them overlaps the sandbox
// engine's start-up. The returned function waits for the result (and may
// be called again).
func (r *Runtime) loadBackends(ctx context.Context, cfg Config) func() error {
	if cfg.Backends == nil {
		return func() error { return nil }
	}
	dir := cfg.CacheDir
	if dir == "" {
		dir = filepath.Join(r.DataRoot, "wasm-cache")
	}
	done := make(chan error, 1)
	go func() {
		h, err := backend.NewHost(backend.HostConfig{
			CacheDir: filepath.Join(dir, "backends"),
			KV:       storeKV{r.Store},
			Log:      cfg.Log,
		})
		if err != nil {
			done <- err
			return
		}
		if err := backend.LoadAll(ctx, h, builtin.Modules(), *cfg.Backends); err != nil {
			h.Close(context.Background())
			done <- err
			return
		}
		router, err := backend.NewRouter(*cfg.Backends, h.Names())
		if err != nil {
			h.Close(context.Background())
			done <- err
			return
		}
		r.Backends, r.Router = h, router
		done <- nil
	}()
	return sync.OnceValue(func() error { return <-done })
}
