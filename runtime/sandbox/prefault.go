package sandbox

import (
	"context"
	"encoding/binary"
	"os"
	"unsafe"

	"golang.org/x/sys/unix"

	"github.com/sockerless/sockerless/wit/abi"
)

// Prefaulting. A clone maps the snapshot copy-on-write, so the first
// touch of each page is a page fault: a read maps the memfd's page (and
// its neighbours), a write copies it. Every process takes the same few
// hundred of them on its way to its command (the Go runtime's scheduler
// and allocator state, decoding the spec, dispatch), and on this kind of
// VM each costs several microseconds — a copy-on-write fault in a
// multi-threaded process also interrupts the other CPUs to flush their
// TLBs. Together they were half the CPU of a container running `true`.
//
// So the engine learns those pages once, from a probe process run when
// it starts, and the refiller populates them in every clone before it
// enters the pool (madvise MADV_POPULATE_WRITE / MADV_POPULATE_READ):
// the faults are taken in the background, not while a user waits. The
// pages written cost memory in every pooled clone, but a process would
// have copied them at once anyway.

const pageSize = 4096

// span is a run of bytes of linear memory, page aligned.
type span struct{ off, len uintptr }

// probeArgs is the probe's command: the path every process shares
// (runtime start-up, spec, builtin dispatch, exit) and little else, so
// that what is learned is what any process would touch.
var probeArgs = []string{"true"}

// learnPages runs the probe process and records in the template the
// snapshot pages it wrote (hot) and only read (warm). Failing to learn
// only means clones are not prefaulted.
func (e *Engine) learnPages(ctx context.Context) {
	var hot, warm []span
	p, err := e.Start(ctx, ProcessConfig{
		Spec:  abi.Spec{Args: probeArgs, Env: []string{"PATH=/bin"}, Pid: 1, Init: true},
		probe: func(m *cowMemory) { hot, warm = m.touched() },
	})
	if err != nil {
		return
	}
	if p.Wait() != 0 {
		return
	}
	e.tmpl.hot, e.tmpl.warm = hot, warm
}

// touched reads the clone's page table (/proc/self/pagemap) over the
// snapshot: pages present and private were written (copied), pages
// present and file-backed were only read.
func (m *cowMemory) touched() (hot, warm []span) {
	f, err := os.Open("/proc/self/pagemap")
	if err != nil {
		return nil, nil
	}
	defer f.Close()
	n := int(m.t.size / pageSize)
	buf := make([]byte, 8*n)
	if _, err := f.ReadAt(buf, int64(uintptr(m.base)/pageSize*8)); err != nil {
		return nil, nil
	}
	const present, fileOrShared = 1 << 63, 1 << 61
	for i := 0; i < n; i++ {
		e := binary.LittleEndian.Uint64(buf[8*i:])
		switch {
		case e&present == 0:
		case e&fileOrShared == 0:
			hot = addPage(hot, uintptr(i)*pageSize, 0)
		default:
			// Populating a few pages that are not needed costs a page
			// table entry each (the memfd's pages are resident): merge
			// small gaps to make fewer calls.
			warm = addPage(warm, uintptr(i)*pageSize, 16*pageSize)
		}
	}
	return hot, warm
}

// addPage adds the page at off to spans, extending the last span when
// the page follows it within gap bytes.
func addPage(spans []span, off, gap uintptr) []span {
	if k := len(spans) - 1; k >= 0 && off <= spans[k].off+spans[k].len+gap {
		spans[k].len = off + pageSize - spans[k].off
		return spans
	}
	return append(spans, span{off, pageSize})
}

// prefault populates the template's hot and warm pages in a new clone.
func (m *cowMemory) prefault() {
	populate(m.base, m.t.hot, unix.MADV_POPULATE_WRITE)
	populate(m.base, m.t.warm, unix.MADV_POPULATE_READ)
}

func populate(base unsafe.Pointer, spans []span, advice int) {
	for _, s := range spans {
		b := unsafe.Slice((*byte)(unsafe.Add(base, s.off)), s.len)
		if unix.Madvise(b, advice) != nil {
			return // an older kernel: the process takes the faults itself
		}
	}
}
