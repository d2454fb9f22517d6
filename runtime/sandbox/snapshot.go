package sandbox

import (
	"context"
	"fmt"
	"os"
	"unsafe"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
	"github.com/tetratelabs/wazero/experimental"
	"golang.org/x/sys/unix"

	"github.com/sockerless/sockerless/runtime/internal/wasmbin"
)

// template is a snapshot of one initialised guest instance: its linear
// memory (in a memfd, mapped copy-on-write into every clone) and the values
// of its globals. A clone is an instance of the data-less module whose
// memory is that mapping and whose globals are set from the snapshot: it
// starts where the template's _initialize ended, in about a millisecond,
// sharing every page it does not write.
//
// A snapshot is tied to this module build and this host process. Clones
// share the Go runtime's internal random state (map iteration order,
// math/rand's default source); crypto/rand reads fresh host randomness.
type template struct {
	memfd   int
	size    uint64
	globals []string
	values  []uint64
	// hot and warm are the pages every process writes and reads on its
	// way to its command, populated in each clone (prefault.go).
	hot, warm []span
}

// makeTemplate instantiates the data-less module, writes the data
// segments the rewrite took out, runs _initialize and snapshots the
// result.
func (e *Engine) makeTemplate(ctx context.Context, rw *wasmbin.Result) (*template, error) {
	sw := &binding{}
	mod, err := e.rt.InstantiateModule(ctx, e.compiled, e.moduleConfig(sw).WithStartFunctions())
	if err != nil {
		return nil, fmt.Errorf("instantiate template: %w", err)
	}
	defer mod.Close(ctx)
	mem := mod.Memory()
	for _, s := range rw.Segments {
		if !mem.Write(s.Offset, s.Data) {
			return nil, fmt.Errorf("template: data segment at %#x does not fit in memory", s.Offset)
		}
	}
	if _, err := mod.ExportedFunction("_initialize").Call(ctx); err != nil {
		return nil, fmt.Errorf("template _initialize: %w", err)
	}
	t := &template{globals: rw.Globals}
	for _, name := range rw.Globals {
		g := mod.ExportedGlobal(name)
		if g == nil {
			return nil, fmt.Errorf("template: global %s not exported", name)
		}
		t.values = append(t.values, g.Get())
	}
	buf, ok := mem.Read(0, mem.Size())
	if !ok {
		return nil, fmt.Errorf("template: cannot read memory")
	}
	fd, err := unix.MemfdCreate("sockerless-guest-snapshot", unix.MFD_CLOEXEC)
	if err != nil {
		return nil, fmt.Errorf("template: memfd: %w", err)
	}
	f := os.NewFile(uintptr(fd), "snapshot")
	if _, err := f.Write(buf); err != nil {
		f.Close()
		return nil, fmt.Errorf("template: write snapshot: %w", err)
	}
	// Keep the fd (not the *os.File, whose finalizer would close it).
	t.memfd, err = unix.Dup(fd)
	f.Close()
	if err != nil {
		return nil, err
	}
	t.size = uint64(len(buf))
	return t, nil
}

func (t *template) close() {
	if t != nil && t.memfd > 0 {
		unix.Close(t.memfd)
	}
}

// moduleConfig is the configuration of every instance: stdio and file
// systems behind the binding, real clocks and randomness.
func (e *Engine) moduleConfig(sw *binding) wazero.ModuleConfig {
	return wazero.NewModuleConfig().
		WithName("").
		WithArgs("sandbox").
		WithStdin(stdinIO{sw}).
		WithStdout(outIO{sw, 1}).
		WithStderr(outIO{sw, 2}).
		WithFSConfig(e.fsConfig(sw)).
		WithSysWalltime().
		WithSysNanotime().
		WithRandSource(randReader{})
}

// clone makes a new instance from the template.
func (e *Engine) clone(ctx context.Context) (*instance, error) {
	sw := &binding{}
	mem := &cowMemory{t: e.tmpl, b: sw}
	ctx = experimental.WithMemoryAllocator(ctx, mem)
	mod, err := e.rt.InstantiateModule(ctx, e.compiled, e.moduleConfig(sw).WithStartFunctions())
	if err != nil {
		return nil, fmt.Errorf("instantiate sandbox guest: %w", err)
	}
	for i, name := range e.tmpl.globals {
		if g, ok := mod.ExportedGlobal(name).(api.MutableGlobal); ok {
			g.Set(e.tmpl.values[i])
		}
	}
	mem.prefault()
	return &instance{mod: mod, sw: sw, mem: mem}, nil
}

// cowMemory backs a clone's linear memory with one private mapping: the
// snapshot's pages copy-on-write, then anonymous zero pages up to the
// module's maximum, reserved but not committed (MAP_NORESERVE), so growing
// never copies and untouched pages cost nothing.
type cowMemory struct {
	t    *template
	b    *binding
	base unsafe.Pointer
	max  uint64
}

func (m *cowMemory) Allocate(_, max uint64) experimental.LinearMemory {
	m.max = max
	return m
}

func (m *cowMemory) Reallocate(size uint64) []byte {
	if m.base == nil {
		if size < m.t.size {
			size = m.t.size
		}
		if m.max < size {
			return nil
		}
		base, err := unix.MmapPtr(-1, 0, nil, uintptr(m.max), unix.PROT_READ|unix.PROT_WRITE,
			unix.MAP_PRIVATE|unix.MAP_ANONYMOUS|unix.MAP_NORESERVE)
		if err != nil {
			return nil
		}
		if _, err := unix.MmapPtr(m.t.memfd, 0, base, uintptr(m.t.size), unix.PROT_READ|unix.PROT_WRITE,
			unix.MAP_PRIVATE|unix.MAP_FIXED); err != nil {
			unix.MunmapPtr(base, uintptr(m.max))
			return nil
		}
		m.base = base
	}
	if size > m.max {
		return nil
	}
	if p := m.b.proc(); p != nil && p.cfg.MemoryLimit > 0 && size > uint64(p.cfg.MemoryLimit) && size > m.t.size {
		p.oomKilled.Store(true)
		return nil
	}
	return unsafe.Slice((*byte)(m.base), m.max)[:size]
}

func (m *cowMemory) Free() {
	if m.base != nil {
		// Unmapping tears down the clone's page tables and interrupts the
		// other CPUs to flush their TLBs (~70 us): not while the process's
		// waiter is waiting for its exit.
		base, size := m.base, uintptr(m.max)
		go unix.MunmapPtr(base, size)
		m.base = nil
	}
}
