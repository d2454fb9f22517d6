// Package sandbox runs processes as wazero instances of the sandbox guest.
//
// An Engine compiles the guest once (kept in wazero's on-disk compilation
// cache under the data root) and keeps a pool of instances whose Go
// runtime is already initialised (the guest is a reactor), so starting a
// process costs binding its stdio, file system and spec to an idle
// instance and calling its run export. An instance runs exactly one
// process and is then closed: instances are never reused, so nothing of
// one process (memory, open files, background goroutines) reaches
// another.
//
// The package knows nothing of containers, images or the Docker API; the
// runtime gives each process a file system (experimental/sys.FS), metadata
// operations, stdio and a signal router.
package sandbox

import (
	"context"
	crand "crypto/rand"
	"errors"
	"fmt"
	"sync"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
	"github.com/tetratelabs/wazero/experimental/sysfs"

	"github.com/sockerless/sockerless/host-functions/process"
	"github.com/sockerless/sockerless/runtime/internal/guest"
	"github.com/sockerless/sockerless/runtime/internal/wasmbin"
)

// Config configures an Engine.
type Config struct {
	// CacheDir holds wazero's compilation cache; empty means in memory.
	CacheDir string
	// Guest is the guest module; nil means the embedded sandbox guest.
	Guest []byte
	// PoolSize is the number of ready instances kept; 0 means 4, and a
	// negative value disables the pool.
	PoolSize int
	// GCHeadroom is how much garbage the process's Go collector may let
	// accumulate above the live heap before it runs (gc.go); 0 means
	// 128 MiB, negative leaves the collector alone, and so does GOGC set
	// in the environment.
	GCHeadroom int64
}

// Engine compiles the guest and starts processes.
type Engine struct {
	rt       wazero.Runtime
	compiled wazero.CompiledModule
	tmpl     *template
	cache    wazero.CompilationCache
	programs programs
	pool     chan *instance
	poolSize int

	mu       sync.Mutex
	closed   bool
	refill   chan struct{}
	stopOnce sync.Once
	stopped  chan struct{}
	wg       sync.WaitGroup
}

// New compiles the guest and fills the pool.
func New(ctx context.Context, cfg Config) (*Engine, error) {
	if cfg.GCHeadroom == 0 {
		cfg.GCHeadroom = defaultGCHeadroom
	}
	tuneGC(cfg.GCHeadroom)
	rc := wazero.NewRuntimeConfigCompiler()
	var cache wazero.CompilationCache
	if cfg.CacheDir != "" {
		var err error
		cache, err = wazero.NewCompilationCacheWithDir(cfg.CacheDir)
		if err != nil {
			return nil, fmt.Errorf("compilation cache %s: %w", cfg.CacheDir, err)
		}
		rc = rc.WithCompilationCache(cache)
	}
	rt := wazero.NewRuntimeWithConfig(ctx, rc)
	if err := process.Instantiate(ctx, rt); err != nil {
		rt.Close(ctx)
		return nil, err
	}
	bin := cfg.Guest
	if bin == nil {
		bin = guest.Wasm
	}
	rw, err := wasmbin.Rewrite(bin)
	if err != nil {
		rt.Close(ctx)
		return nil, fmt.Errorf("sandbox guest: %w", err)
	}
	compiled, err := rt.CompileModule(ctx, rw.Module)
	if err != nil {
		rt.Close(ctx)
		return nil, fmt.Errorf("compile sandbox guest: %w", err)
	}
	if compiled.ExportedFunctions()["run"] == nil || compiled.ExportedFunctions()["_initialize"] == nil {
		rt.Close(ctx)
		return nil, errors.New("sandbox guest exports no run or _initialize function: build it with -buildmode=c-shared")
	}
	size := cfg.PoolSize
	if size == 0 {
		size = 4
	}
	if size < 0 {
		size = 0
	}
	e := &Engine{
		rt: rt, compiled: compiled, poolSize: size, cache: cache,
		pool:    make(chan *instance, size),
		refill:  make(chan struct{}, 1),
		stopped: make(chan struct{}),
	}
	if e.tmpl, err = e.makeTemplate(ctx, rw); err != nil {
		rt.Close(ctx)
		return nil, err
	}
	if size > 0 {
		e.learnPages(ctx)
		e.wg.Add(1)
		go e.refiller()
		e.kick()
	}
	return e, nil
}

// Close stops the pool and closes every instance and the runtime.
func (e *Engine) Close(ctx context.Context) error {
	e.stopOnce.Do(func() { close(e.stopped) })
	e.wg.Wait()
	for {
		select {
		case in := <-e.pool:
			in.mod.Close(ctx)
		default:
			e.programs.close(ctx)
			err := e.rt.Close(ctx)
			e.tmpl.close()
			return err
		}
	}
}

func (e *Engine) kick() {
	select {
	case e.refill <- struct{}{}:
	default:
	}
}

func (e *Engine) refiller() {
	defer e.wg.Done()
	for {
		select {
		case <-e.stopped:
			return
		case <-e.refill:
		}
		for len(e.pool) < cap(e.pool) {
			in, err := e.newInstance(context.Background())
			if err != nil {
				break
			}
			select {
			case e.pool <- in:
			case <-e.stopped:
				in.mod.Close(context.Background())
				return
			}
		}
	}
}

// instance is an initialised guest waiting for its one process.
type instance struct {
	mod api.Module
	sw  *binding
	mem *cowMemory
}

func (e *Engine) newInstance(ctx context.Context) (*instance, error) { return e.clone(ctx) }

// fsConfig mounts the bound process's root at "/" and its signal file
// under /.sockerless.
func (e *Engine) fsConfig(sw *binding) wazero.FSConfig {
	return wazero.NewFSConfig().(sysfs.FSConfig).
		WithSysFSMount(rootFS{sw}, "/").(sysfs.FSConfig).
		WithSysFSMount(signalFS{b: sw}, "/.sockerless")
}

type randReader struct{}

func (randReader) Read(b []byte) (int, error) { return crand.Read(b) }

// take returns a ready instance, from the pool when one is there.
func (e *Engine) take(ctx context.Context) (*instance, error) {
	select {
	case in := <-e.pool:
		e.kick()
		return in, nil
	default:
	}
	if e.poolSize > 0 {
		e.kick()
	}
	return e.newInstance(ctx)
}
