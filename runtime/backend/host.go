package backend

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"sort"
	"strconv"
	"strings"
	"sync"

	extism "github.com/extism/go-sdk"
	"github.com/tetratelabs/wazero"

	"github.com/sockerless/sockerless/runtime/backend/wire"
	"github.com/sockerless/sockerless/runtime/errdefs"
)

// Signer adds credentials to an adapter's outbound request on the host
// side (cloud request signing); the adapter never sees them. It may be nil.
type Signer interface {
	Sign(backend string, req *http.Request) error
}

// HostConfig configures a Host. The zero value works (no disk cache, an
// in-memory KV, slog.Default).
type HostConfig struct {
	// CacheDir holds wazero's compilation cache (shared by every adapter
	// and across daemon restarts): e.g. <data-root>/wasm-cache/backends.
	CacheDir string
	KV       KV
	Log      *slog.Logger
	Signer   Signer
	// PoolSize is how many idle instances each adapter keeps (default 4).
	PoolSize int
}

// Host loads adapters and runs their calls.
type Host struct {
	cfg   HostConfig
	cache wazero.CompilationCache

	mu       sync.Mutex
	adapters map[string]*Adapter
}

// NewHost returns a host with no adapters loaded.
func NewHost(cfg HostConfig) (*Host, error) {
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	if cfg.KV == nil {
		cfg.KV = &MapKV{}
	}
	if cfg.PoolSize <= 0 {
		cfg.PoolSize = 4
	}
	h := &Host{cfg: cfg, adapters: map[string]*Adapter{}}
	if cfg.CacheDir != "" {
		if err := os.MkdirAll(cfg.CacheDir, 0o700); err != nil {
			return nil, fmt.Errorf("backend compile cache: %w", err)
		}
		c, err := wazero.NewCompilationCacheWithDir(cfg.CacheDir)
		if err != nil {
			return nil, fmt.Errorf("backend compile cache %s: %w", cfg.CacheDir, err)
		}
		h.cache = c
	} else {
		h.cache = wazero.NewCompilationCache()
	}
	return h, nil
}

// Load compiles an adapter module and registers it under name (the
// operator's name wins over the manifest's). opts are the backend's
// options (--backend-opt name.key=value without the prefix); the keys
// "allow" (comma-separated endpoints) and "pool" (idle instances kept) are the host's, the rest
// are the adapter's config, over the manifest's defaults. builtin marks
// modules compiled into the binary: a loaded module reaches no endpoint
// unless the operator allowed it with name.allow.
func (h *Host) Load(ctx context.Context, name string, wasm []byte, opts map[string]string, builtin bool) (*Adapter, error) {
	if name == "" || name == Sandbox || strings.ContainsAny(name, ".=/ ") {
		return nil, errdefs.InvalidParameterf("backend name %q: use letters, digits and dashes, and not %q", name, Sandbox)
	}
	rc := wazero.NewRuntimeConfigCompiler().WithCompilationCache(h.cache)
	compiled, err := extism.NewCompiledPlugin(ctx, extism.Manifest{
		Wasm: []extism.Wasm{extism.WasmData{Data: wasm, Name: "main"}},
	}, extism.PluginConfig{RuntimeConfig: rc, EnableWasi: true}, hostFunctions())
	if err != nil {
		return nil, fmt.Errorf("%s backend: compile adapter: %w", name, err)
	}
	a := &Adapter{name: name, host: h, compiled: compiled, log: h.cfg.Log.With("backend", name), transports: map[string]*http.Transport{}}
	pool := h.cfg.PoolSize
	if v, ok := opts["pool"]; ok {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 || n > 256 {
			return nil, errdefs.InvalidParameterf("--backend-opt %s.pool=%s: want the number of idle instances to keep, 0 to 256", name, v)
		}
		pool = n
	}
	a.idle = make(chan *extism.Plugin, pool)
	// Instances share this map: the one describe ran in stays pooled and
	// sees the config filled in below.
	a.config = map[string]string{}
	ok := false
	defer func() {
		if !ok {
			compiled.Close(ctx)
		}
	}()
	// describe runs with an empty config: the manifest is static.
	out, err := a.call(ctx, "describe", nil, nil)
	if err != nil {
		return nil, fmt.Errorf("%s backend: describe: %w", name, err)
	}
	if err := json.Unmarshal(out, &a.manifest); err != nil {
		return nil, fmt.Errorf("%s backend: describe returned bad JSON: %w", name, err)
	}
	for k, v := range a.manifest.Config {
		a.config[k] = v
	}
	var unknown []string
	for k, v := range opts {
		switch k {
		case "allow", "pool":
			continue
		}
		if _, known := a.manifest.Config[k]; !known {
			unknown = append(unknown, k)
		}
		a.config[k] = v
	}
	if len(unknown) > 0 {
		sort.Strings(unknown)
		var keys []string
		for k := range a.manifest.Config {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		return nil, errdefs.InvalidParameterf("%s backend: unknown option(s) %s (known: %s, allow)", name, strings.Join(unknown, ", "), strings.Join(keys, ", "))
	}
	if a.policy, err = newPolicy(name, a.manifest.Endpoints, a.config, opts["allow"], builtin); err != nil {
		return nil, errdefs.Wrap(errdefs.InvalidParameter, err, "%s", err.Error())
	}
	a.caps = capsOf(a.manifest.Capabilities)
	h.mu.Lock()
	defer h.mu.Unlock()
	if old := h.adapters[name]; old != nil {
		return nil, errdefs.Conflictf("backend %q is loaded twice", name)
	}
	h.adapters[name] = a
	ok = true
	return a, nil
}

// Backend returns the loaded backend called name.
func (h *Host) Backend(name string) (Backend, bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	a, ok := h.adapters[name]
	return a, ok
}

// Names lists the loaded backends, sorted.
func (h *Host) Names() []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	var n []string
	for k := range h.adapters {
		n = append(n, k)
	}
	sort.Strings(n)
	return n
}

// Close closes every adapter and the compilation cache.
func (h *Host) Close(ctx context.Context) error {
	h.mu.Lock()
	as := h.adapters
	h.adapters = map[string]*Adapter{}
	h.mu.Unlock()
	var errs []error
	for _, a := range as {
		errs = append(errs, a.close(ctx))
	}
	errs = append(errs, h.cache.Close(ctx))
	return errors.Join(errs...)
}

// Adapter is a loaded adapter module; it implements Backend.
type Adapter struct {
	name     string
	host     *Host
	compiled *extism.CompiledPlugin
	log      *slog.Logger
	manifest wire.Manifest
	config   map[string]string
	policy   *policy
	caps     Caps

	idle chan *extism.Plugin

	tmu        sync.Mutex
	transports map[string]*http.Transport
}

// Manifest returns what the adapter declared, with the config in effect.
func (a *Adapter) Manifest() wire.Manifest {
	m := a.manifest
	m.Config = a.config
	return m
}

func (a *Adapter) Name() string       { return a.name }
func (a *Adapter) Capabilities() Caps { return a.caps }

func (a *Adapter) instance(ctx context.Context) (*extism.Plugin, error) {
	select {
	case p := <-a.idle:
		return p, nil
	default:
	}
	p, err := a.compiled.Instance(ctx, extism.PluginInstanceConfig{
		ModuleConfig: wazero.NewModuleConfig().WithSysWalltime().WithSysNanotime().WithSysNanosleep().WithRandSource(rand.Reader),
	})
	if err != nil {
		return nil, fmt.Errorf("%s backend: instantiate adapter: %w", a.name, err)
	}
	p.Config = a.config
	p.SetLogger(func(l extism.LogLevel, msg string) {
		switch l {
		case extism.LogLevelError:
			a.log.Error(msg)
		case extism.LogLevelWarn:
			a.log.Warn(msg)
		case extism.LogLevelInfo:
			a.log.Info(msg)
		default:
			a.log.Debug(msg)
		}
	})
	return p, nil
}

func (a *Adapter) release(p *extism.Plugin, healthy bool) {
	if healthy {
		select {
		case a.idle <- p:
			return
		default:
		}
	}
	p.Close(context.Background())
}

func (a *Adapter) drain() {
	for {
		select {
		case p := <-a.idle:
			p.Close(context.Background())
		default:
			return
		}
	}
}

func (a *Adapter) close(ctx context.Context) error {
	a.drain()
	a.tmu.Lock()
	for _, t := range a.transports {
		t.CloseIdleConnections()
	}
	a.tmu.Unlock()
	return a.compiled.Close(ctx)
}

type callKey struct{}

// call runs one export with JSON input. st (may be nil) is the call's
// stream table and caller input; streams still in it when the call
// returns are closed, except those the caller takes over.
func (a *Adapter) call(ctx context.Context, export string, in any, st *callState) ([]byte, error) {
	var data []byte
	if in != nil {
		var err error
		if data, err = json.Marshal(in); err != nil {
			return nil, err
		}
	}
	if st == nil {
		st = &callState{}
	}
	st.a = a
	p, err := a.instance(ctx)
	if err != nil {
		return nil, err
	}
	if !p.FunctionExists(export) {
		a.release(p, true)
		return nil, errdefs.NotImplementedf("the %s backend does not support %s", a.name, strings.ReplaceAll(export, "_", " "))
	}
	cctx := context.WithValue(ctx, callKey{}, st)
	rc, out, err := p.CallWithContext(cctx, export, data)
	if err != nil {
		if msg := p.GetError(); msg != "" {
			// The adapter reported an error: the instance is fine.
			a.release(p, true)
			return nil, a.adapterError(msg)
		}
		a.release(p, false) // a trap leaves the guest runtime unusable
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, errdefs.Wrap(errdefs.Unknown, err, "%s backend: %s failed inside the adapter: %v", a.name, export, err)
	}
	a.release(p, true)
	if rc != 0 {
		return nil, errdefs.New(errdefs.Unknown, "%s backend: %s returned %d without an error message", a.name, export, rc)
	}
	return out, nil
}

// adapterError turns an adapter's error (wire.Error JSON, or text) into
// the daemon's taxonomy, naming the backend.
func (a *Adapter) adapterError(msg string) error {
	var we wire.Error
	if json.Unmarshal([]byte(msg), &we) != nil || we.Message == "" {
		we = wire.Error{Kind: wire.KindUnknown, Message: msg}
	}
	k := errdefs.Unknown
	switch we.Kind {
	case wire.KindInvalid:
		k = errdefs.InvalidParameter
	case wire.KindNotFound:
		k = errdefs.NotFound
	case wire.KindConflict:
		k = errdefs.Conflict
	case wire.KindNotModified:
		k = errdefs.NotModified
	case wire.KindUnavailable:
		k = errdefs.Unavailable
	case wire.KindNotImplemented:
		k = errdefs.NotImplemented
	case wire.KindForbidden:
		k = errdefs.Forbidden
	}
	return &errdefs.Error{Kind: k, Msg: a.name + " backend: " + we.Message}
}

// callResult runs an export that returns a wire.Result.
func (a *Adapter) callResult(ctx context.Context, export string, in any, st *callState) (wire.Result, error) {
	var r wire.Result
	out, err := a.call(ctx, export, in, st)
	if err != nil {
		return r, err
	}
	if len(out) > 0 {
		if err := json.Unmarshal(out, &r); err != nil {
			return r, fmt.Errorf("%s backend: %s returned bad JSON: %w", a.name, export, err)
		}
	}
	return r, nil
}

func (a *Adapter) need(ok bool, what string) error {
	if !ok {
		return errdefs.NotImplementedf("the %s backend cannot %s", a.name, what)
	}
	return nil
}
