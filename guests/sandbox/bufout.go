//go:build wasip1

package main

import (
	"io"
	"sync"
	"time"
)

// bufferedOut buffers a builtin's stdout the way C stdio does for pipes
// and files: each write to the host (or through an in-guest pipe) costs far
// more in wasm than filling a buffer, and many builtins write line by
// line. So that streaming commands (tail -f, a slow producer in a pipeline)
// still deliver output promptly, the buffer is flushed when it is full,
// when the command reads its stdin, 20 ms after the first unflushed byte,
// and when the command ends.
type bufferedOut struct {
	mu    sync.Mutex
	w     io.Writer
	buf   []byte
	timer *time.Timer
	err   error
}

const bufferedOutSize = 32 * 1024

func newBufferedOut(w io.Writer) *bufferedOut {
	return &bufferedOut{w: w, buf: make([]byte, 0, bufferedOutSize)}
}

func (b *bufferedOut) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.err != nil {
		return 0, b.err
	}
	if len(b.buf)+len(p) > cap(b.buf) {
		if err := b.flushLocked(); err != nil {
			return 0, err
		}
		if len(p) >= cap(b.buf) {
			n, err := b.w.Write(p)
			b.err = err
			return n, err
		}
	}
	b.buf = append(b.buf, p...)
	if b.timer == nil {
		b.timer = time.AfterFunc(20*time.Millisecond, func() { b.Flush() })
	}
	return len(p), nil
}

func (b *bufferedOut) flushLocked() error {
	if b.timer != nil {
		b.timer.Stop()
		b.timer = nil
	}
	if len(b.buf) == 0 || b.err != nil {
		return b.err
	}
	_, b.err = b.w.Write(b.buf)
	b.buf = b.buf[:0]
	return b.err
}

// Flush writes out what is buffered.
func (b *bufferedOut) Flush() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.flushLocked()
}

// flushingReader flushes out before each read, so a prompt printed by a
// command is visible before it waits for the answer.
type flushingReader struct {
	r   io.Reader
	out *bufferedOut
}

func (f flushingReader) Read(p []byte) (int, error) {
	f.out.Flush()
	return f.r.Read(p)
}
