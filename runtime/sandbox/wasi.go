package sandbox

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sync"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/experimental/sys"
	"github.com/tetratelabs/wazero/experimental/sysfs"
	"github.com/tetratelabs/wazero/imports/wasi_snapshot_preview1"
	wsys "github.com/tetratelabs/wazero/sys"

	"github.com/sockerless/sockerless/wit/abi"
)

// programs runs WASI preview 1 command modules found in a container's
// root as processes of that container. They are user code, so their
// runtime closes instances when the context is done (a busy loop can be
// stopped; that instrumentation is why the sandbox guest itself does not
// use it), and each module is compiled once per content hash.
type programs struct {
	once sync.Once
	rt   wazero.Runtime
	err  error

	mu       sync.Mutex
	compiled map[[32]byte]wazero.CompiledModule
}

// maxProgramOutput bounds what a program run inside a pipeline may print
// before the guest copies it on (its output is collected, not streamed).
const maxProgramOutput = 64 << 20

func (ps *programs) runtime(cache wazero.CompilationCache) (wazero.Runtime, error) {
	ps.once.Do(func() {
		ctx := context.Background()
		rc := wazero.NewRuntimeConfigCompiler().WithCloseOnContextDone(true)
		if cache != nil {
			rc = rc.WithCompilationCache(cache)
		}
		ps.rt = wazero.NewRuntimeWithConfig(ctx, rc)
		_, ps.err = wasi_snapshot_preview1.Instantiate(ctx, ps.rt)
		ps.compiled = map[[32]byte]wazero.CompiledModule{}
	})
	return ps.rt, ps.err
}

func (ps *programs) compile(ctx context.Context, cache wazero.CompilationCache, bin []byte) (wazero.CompiledModule, error) {
	rt, err := ps.runtime(cache)
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256(bin)
	ps.mu.Lock()
	defer ps.mu.Unlock()
	if c, ok := ps.compiled[sum]; ok {
		return c, nil
	}
	c, err := rt.CompileModule(ctx, bin)
	if err != nil {
		return nil, err
	}
	ps.compiled[sum] = c
	return c, nil
}

func (ps *programs) close(ctx context.Context) {
	if ps.rt != nil {
		ps.rt.Close(ctx)
	}
}

// programRun is one finished program run, kept until the guest releases it.
type programRun struct {
	stdout, stderr bytes.Buffer
	status         int
}

// RunProgram runs the WASI program a guest asked for (JSON
// abi.ProgramRequest) to completion and returns a handle to its results.
// The guest is blocked meanwhile. Errors are returned as errno.
func (p *Process) RunProgram(req []byte) (int32, sys.Errno) {
	var r abi.ProgramRequest
	if err := json.Unmarshal(req, &r); err != nil || len(r.Args) == 0 || r.Path == "" {
		return 0, sys.EINVAL
	}
	if p.cfg.FS == nil || p.engine == nil {
		return 0, sys.ENOSYS
	}
	if !p.cfg.Procs.acquire() {
		return 0, sys.EAGAIN
	}
	defer p.cfg.Procs.release()
	bin, errno := readContainerFile(p.cfg.FS, r.Path)
	if errno != 0 {
		return 0, errno
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	compiled, err := p.engine.programs.compile(ctx, p.engine.cache, bin)
	if err != nil {
		return 0, sys.EIO
	}
	run := &programRun{}
	mc := wazero.NewModuleConfig().
		WithName("").
		WithArgs(r.Args...).
		WithFSConfig(wazero.NewFSConfig().(sysfs.FSConfig).WithSysFSMount(p.cfg.FS, "/")).
		WithSysWalltime().WithSysNanotime().WithSysNanosleep().
		WithRandSource(randReader{})
	for _, kv := range r.Env {
		if k, v, ok := cut(kv); ok {
			mc = mc.WithEnv(k, v)
		}
	}
	if r.PassStdin && p.stdin != nil {
		mc = mc.WithStdin(readerFunc(p.readStdin))
	} else {
		mc = mc.WithStdin(bytes.NewReader(r.Stdin))
	}
	if r.PassStdout {
		mc = mc.WithStdout(writerFunc(func(b []byte) (int, error) { return p.write(1, b) }))
	} else {
		mc = mc.WithStdout(&limitedBuffer{b: &run.stdout})
	}
	if r.PassStderr {
		mc = mc.WithStderr(writerFunc(func(b []byte) (int, error) { return p.write(2, b) }))
	} else {
		mc = mc.WithStderr(&limitedBuffer{b: &run.stderr})
	}
	// A kill of the calling process ends the program too.
	go func() {
		select {
		case <-p.dead:
			cancel()
		case <-ctx.Done():
		}
	}()
	if r.Dir != "" {
		mc = mc.WithEnv("PWD", r.Dir)
	}
	mod, err := p.engine.programs.rt.InstantiateModule(ctx, compiled, mc)
	var exitErr *wsys.ExitError
	switch {
	case err == nil:
		mod.Close(ctx)
	case errors.As(err, &exitErr):
		run.status = int(exitErr.ExitCode())
	default:
		fmt.Fprintf(&run.stderr, "%s: %v\n", r.Args[0], err)
		run.status = 126
	}
	p.Check()
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.runs == nil {
		p.runs = map[int32]*programRun{}
	}
	p.nextRun++
	p.runs[p.nextRun] = run
	return p.nextRun, 0
}

// ProgramResult copies part of a finished run's stdout (which 1) or
// stderr (2) from offset off, or reports its status (which 0).
func (p *Process) ProgramResult(h int32, which int, off int, buf []byte) (int, sys.Errno) {
	p.mu.Lock()
	run := p.runs[h]
	p.mu.Unlock()
	if run == nil {
		return 0, sys.EBADF
	}
	var b []byte
	switch which {
	case 0:
		return run.status, 0
	case 1:
		b = run.stdout.Bytes()
	case 2:
		b = run.stderr.Bytes()
	default:
		return 0, sys.EINVAL
	}
	if off >= len(b) {
		return 0, 0
	}
	return copy(buf, b[off:]), 0
}

// ReleaseProgram forgets a finished run.
func (p *Process) ReleaseProgram(h int32) {
	p.mu.Lock()
	delete(p.runs, h)
	p.mu.Unlock()
}

func readContainerFile(fsys sys.FS, path string) ([]byte, sys.Errno) {
	f, errno := fsys.OpenFile(rel(path), sys.O_RDONLY, 0)
	if errno != 0 {
		return nil, errno
	}
	defer f.Close()
	var out bytes.Buffer
	buf := make([]byte, 64*1024)
	for {
		n, errno := f.Read(buf)
		out.Write(buf[:n])
		if errno != 0 {
			return nil, errno
		}
		if n == 0 {
			return out.Bytes(), 0
		}
	}
}

func cut(kv string) (string, string, bool) {
	for i := 0; i < len(kv); i++ {
		if kv[i] == '=' {
			return kv[:i], kv[i+1:], true
		}
	}
	return "", "", false
}

type readerFunc func([]byte) (int, error)

func (f readerFunc) Read(b []byte) (int, error) { return f(b) }

type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(b []byte) (int, error) { return f(b) }

type limitedBuffer struct{ b *bytes.Buffer }

func (l *limitedBuffer) Write(p []byte) (int, error) {
	if l.b.Len()+len(p) > maxProgramOutput {
		return 0, io.ErrShortWrite
	}
	return l.b.Write(p)
}
