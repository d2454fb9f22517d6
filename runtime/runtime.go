// Package runtime is the daemon's facade: it opens the state store, the
// sandbox engine and the resource managers (containers, images, volumes,
// networks, events) under one data root and closes them in order. The API
// layer talks to the managers through it; nothing here knows about HTTP.
package runtime

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/moby/moby/api/types/events"

	"github.com/sockerless/sockerless/runtime/backend"
	"github.com/sockerless/sockerless/runtime/containers"
	evbus "github.com/sockerless/sockerless/runtime/events"
	"github.com/sockerless/sockerless/runtime/images"
	"github.com/sockerless/sockerless/runtime/networks"
	"github.com/sockerless/sockerless/runtime/sandbox"
	"github.com/sockerless/sockerless/runtime/store"
	"github.com/sockerless/sockerless/runtime/volumes"
)

// Config configures a Runtime.
type Config struct {
	DataRoot string
	// CacheDir holds the compiled guest (default <DataRoot>/wasm-cache).
	CacheDir string
	// PoolSize is the sandbox engine's pool of ready instances (0: default).
	PoolSize int
	// StrictImages refuses pulls of unknown images instead of serving the
	// sandbox base image under their name.
	StrictImages bool
	Log          *slog.Logger
	// Backends configures the backend adapters (runtime/backend); nil
	// loads none (every container runs in the sandbox).
	Backends *backend.Config
}

// Runtime is an open daemon state.
type Runtime struct {
	DataRoot   string
	Started    time.Time
	Store      *store.Store
	Engine     *sandbox.Engine
	Images     *images.Store
	Volumes    *volumes.Store
	Networks   *networks.Store
	Events     *evbus.Bus
	Containers *containers.Manager
	Recovered  containers.Recovered
	Log        *slog.Logger
	// Backends and Router are nil unless Config.Backends was set.
	Backends *backend.Host
	Router   *backend.Router
}

// Open opens (creating) the data root and everything under it.
func Open(ctx context.Context, cfg Config) (*Runtime, error) {
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	root, err := filepath.Abs(cfg.DataRoot)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(root, 0o711); err != nil {
		return nil, fmt.Errorf("data root %s: %w", root, err)
	}
	r := &Runtime{DataRoot: root, Started: time.Now(), Events: evbus.New(), Log: cfg.Log}
	ok := false
	defer func() {
		if !ok {
			r.Close()
		}
	}()
	var buckets []string
	buckets = append(buckets, containers.Buckets...)
	buckets = append(buckets, images.Buckets...)
	buckets = append(buckets, volumes.Buckets...)
	buckets = append(buckets, networks.Buckets...)
	buckets = append(buckets, backendBucket)
	if r.Store, err = store.Open(filepath.Join(root, "state.db"), buckets...); err != nil {
		return nil, err
	}
	if cfg.CacheDir == "" {
		cfg.CacheDir = filepath.Join(root, "wasm-cache")
	}
	backendsLoaded := r.loadBackends(ctx, cfg)
	defer backendsLoaded() // on every path: the loader uses the store
	if r.Engine, err = sandbox.New(ctx, sandbox.Config{CacheDir: cfg.CacheDir, PoolSize: cfg.PoolSize}); err != nil {
		return nil, err
	}
	if err := backendsLoaded(); err != nil {
		return nil, err
	}
	if r.Images, err = images.Open(filepath.Join(root, "image"), r.Store); err != nil {
		return nil, err
	}
	r.Images.Strict = cfg.StrictImages
	if r.Volumes, err = volumes.Open(filepath.Join(root, "volumes"), r.Store); err != nil {
		return nil, err
	}
	if r.Networks, err = networks.Open(r.Store); err != nil {
		return nil, err
	}
	r.Containers, r.Recovered, err = containers.Open(containers.Deps{
		Root: filepath.Join(root, "containers"), Store: r.Store, Engine: r.Engine, Images: r.Images,
		Volumes: r.Volumes, Networks: r.Networks, Events: r.Events, Log: cfg.Log,
		Backends: r.Backends, Router: r.Router,
	})
	if err != nil {
		return nil, err
	}
	r.Images.LayersInUse = r.Containers.LayersInUse
	ok = true
	return r, nil
}

// Close stops every container and closes the engine and the store.
func (r *Runtime) Close() error {
	if r.Containers != nil {
		r.Containers.Close()
	}
	if r.Engine != nil {
		r.Engine.Close(context.Background())
	}
	if r.Backends != nil {
		r.Backends.Close(context.Background())
	}
	if r.Store != nil {
		return r.Store.Close()
	}
	return nil
}

// Event publishes a daemon-level event.
func (r *Runtime) Event(typ events.Type, action events.Action, id string, attrs map[string]string) {
	r.Events.Publish(typ, action, id, attrs)
}
