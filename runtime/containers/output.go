package containers

import (
	"bufio"
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"io"
	"os"
	"path/filepath"
	"sync"
	"time"
)

// Streams as numbered by the Docker API's stdcopy framing.
const (
	Stdin  = 0
	Stdout = 1
	Stderr = 2
)

const recHeader = 13 // stream(1) + unix nanos(8) + length(4)

// output is a container's stdout/stderr: every byte is appended to the
// log file (one record per line) and, in the same critical section,
// written to the attached clients. Nothing is dropped: a slow attach
// client slows the container down (as with Docker), a failed one is
// detached.
type output struct {
	mu   sync.Mutex // guards the queue, size, running and changed
	cond *sync.Cond
	// The guest's writes are queued and a pump goroutine (running only
	// while there is data) moves them to the log and the attached clients:
	// many small writes become one log write and one frame per stream, and
	// the queue bound makes a slow client slow the container down.
	queue   []seg
	qbytes  int
	pumping bool
	ioMu    sync.Mutex // guards f, fsize, subs, partial, buf: the pump's side
	fsize   int64      // bytes written to the log file

	path    string
	f       *os.File // the log, opened (created) at the first record
	closed  bool     // the container is gone: nothing is logged any more
	size    int64
	subs    map[*Attach]struct{}
	changed chan struct{} // closed at the next write or end of run
	running bool
	buf     []byte
	// partial holds each stream's unterminated line: the log keeps one
	// record per line, as Docker's log drivers do.
	partial [3][]byte
	ptime   [3]int64
}

type seg struct {
	stream byte
	t      int64
	data   []byte
}

const maxQueue = 256 << 10

// maxPartial flushes an unterminated line this long as its own record.
const maxPartial = 16 << 10

// openOutput opens the log at path. The file itself is created by the
// first record (a container that prints nothing costs no file).
func openOutput(path string) (*output, error) {
	var size int64
	fi, err := os.Stat(path)
	switch {
	case err == nil:
		size = fi.Size()
	case !errors.Is(err, os.ErrNotExist):
		return nil, err
	}
	o := &output{path: path, size: size, fsize: size, subs: map[*Attach]struct{}{}}
	o.cond = sync.NewCond(&o.mu)
	return o, nil
}

func (o *output) close() {
	o.end()
	o.ioMu.Lock()
	defer o.ioMu.Unlock()
	o.closed = true
	if o.f != nil {
		o.f.Close()
		o.f = nil
	}
}

func (o *output) notifyLocked() {
	if o.changed != nil {
		close(o.changed)
		o.changed = nil
	}
}

func (o *output) changedLocked() <-chan struct{} {
	if o.changed == nil {
		o.changed = make(chan struct{})
	}
	return o.changed
}

func (o *output) begin() {
	o.mu.Lock()
	o.running = true
	o.mu.Unlock()
}

// end finishes a run once everything queued is delivered: attached
// clients see the end of their stream.
func (o *output) end() {
	o.mu.Lock()
	for o.pumping || len(o.queue) > 0 {
		o.cond.Wait()
	}
	o.mu.Unlock()
	o.ioMu.Lock()
	n := o.flushPartialLocked()
	for a := range o.subs {
		a.finish(nil)
		delete(o.subs, a)
	}
	o.ioMu.Unlock()
	o.mu.Lock()
	o.size += n
	o.running = false
	o.notifyLocked()
	o.mu.Unlock()
}

func (o *output) write(stream byte, p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	now := time.Now().UnixNano()
	o.mu.Lock()
	for o.qbytes >= maxQueue {
		o.cond.Wait()
	}
	if n := len(o.queue); n > 0 && o.queue[n-1].stream == stream && bytes.IndexByte(o.queue[n-1].data, '\n') < 0 {
		o.queue[n-1].data = append(o.queue[n-1].data, p...)
	} else {
		o.queue = append(o.queue, seg{stream: stream, t: now, data: append([]byte(nil), p...)})
	}
	o.qbytes += len(p)
	if !o.pumping {
		o.pumping = true
		go o.pump()
	}
	o.mu.Unlock()
	return len(p), nil
}

// pump delivers queued output until the queue is empty.
func (o *output) pump() {
	o.mu.Lock()
	for len(o.queue) > 0 {
		segs := o.queue
		o.queue, o.qbytes = nil, 0
		o.cond.Broadcast()
		o.mu.Unlock()

		o.ioMu.Lock()
		var written int64
		for _, sg := range mergeSegs(segs) {
			written += o.logLocked(sg.stream, sg.data, sg.t)
			for a := range o.subs {
				if !a.wants(sg.stream) {
					continue
				}
				if err := a.send(sg.stream, sg.data); err != nil {
					a.finish(err)
					delete(o.subs, a)
				}
			}
		}
		o.ioMu.Unlock()

		o.mu.Lock()
		o.size += written
		o.notifyLocked()
	}
	o.pumping = false
	o.cond.Broadcast()
	o.mu.Unlock()
}

// mergeSegs joins adjacent segments of the same stream.
func mergeSegs(segs []seg) []seg {
	out := segs[:0]
	for _, sg := range segs {
		if n := len(out); n > 0 && out[n-1].stream == sg.stream {
			out[n-1].data = append(out[n-1].data, sg.data...)
			continue
		}
		out = append(out, sg)
	}
	return out
}

// logLocked appends complete lines of p to the log, keeping a trailing
// partial line pending.
func (o *output) logLocked(stream byte, p []byte, now int64) int64 {
	if o.closed {
		return 0
	}
	b := o.buf[:0]
	rest := p
	for len(rest) > 0 {
		i := bytes.IndexByte(rest, '\n')
		if i < 0 {
			if len(o.partial[stream]) == 0 {
				o.ptime[stream] = now
			}
			o.partial[stream] = append(o.partial[stream], rest...)
			if len(o.partial[stream]) >= maxPartial {
				b = appendRecord(b, stream, o.ptime[stream], o.partial[stream])
				o.partial[stream] = o.partial[stream][:0]
			}
			break
		}
		line := rest[:i+1]
		rest = rest[i+1:]
		if pend := o.partial[stream]; len(pend) > 0 {
			pend = append(pend, line...)
			b = appendRecord(b, stream, o.ptime[stream], pend)
			o.partial[stream] = pend[:0]
			continue
		}
		b = appendRecord(b, stream, now, line)
	}
	n := o.writeLog(b)
	if cap(b) <= 1<<20 {
		o.buf = b[:0]
	}
	return n
}

func (o *output) flushPartialLocked() int64 {
	var b []byte
	for s := range o.partial {
		if len(o.partial[s]) > 0 {
			b = appendRecord(b, byte(s), o.ptime[s], o.partial[s])
			o.partial[s] = o.partial[s][:0]
		}
	}
	return o.writeLog(b)
}

func (o *output) writeLog(b []byte) int64 {
	if len(b) == 0 || o.closed {
		return 0
	}
	if o.f == nil {
		f, err := os.OpenFile(o.path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
		if errors.Is(err, os.ErrNotExist) { // the container's directory is made at its first start
			if err = os.MkdirAll(filepath.Dir(o.path), 0o700); err == nil {
				f, err = os.OpenFile(o.path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
			}
		}
		if err != nil {
			return 0
		}
		o.f = f
	}
	n, _ := o.f.Write(b)
	o.fsize += int64(n)
	return int64(n)
}

func appendRecord(b []byte, stream byte, t int64, data []byte) []byte {
	var h [recHeader]byte
	h[0] = stream
	binary.BigEndian.PutUint64(h[1:], uint64(t))
	binary.BigEndian.PutUint32(h[9:], uint32(len(data)))
	return append(append(b, h[:]...), data...)
}

type streamWriter struct {
	o      *output
	stream byte
}

func (w streamWriter) Write(p []byte) (int, error) { return w.o.write(w.stream, p) }

// Attach is one client receiving a container's live output.
type Attach struct {
	w              io.Writer
	tty            bool
	stdout, stderr bool
	once           sync.Once
	done           chan struct{}
	err            error
}

func newAttach(w io.Writer, tty, stdout, stderr bool) *Attach {
	return &Attach{w: w, tty: tty, stdout: stdout, stderr: stderr, done: make(chan struct{})}
}

func (a *Attach) wants(stream byte) bool {
	return (stream == Stdout && a.stdout) || (stream == Stderr && a.stderr)
}

func (a *Attach) send(stream byte, p []byte) error {
	if a.tty {
		_, err := a.w.Write(p)
		return err
	}
	return WriteFrame(a.w, stream, p)
}

func (a *Attach) finish(err error) {
	a.once.Do(func() {
		a.err = err
		close(a.done)
	})
}

// Done is closed when the stream ends (the run ended or a write failed).
func (a *Attach) Done() <-chan struct{} { return a.done }

// WriteFrame writes one stdcopy frame: [stream 0 0 0 len32BE] payload.
func WriteFrame(w io.Writer, stream byte, p []byte) error {
	for len(p) > 0 {
		n := min(len(p), 1<<20)
		var h [8]byte
		h[0] = stream
		binary.BigEndian.PutUint32(h[4:], uint32(n))
		buf := make([]byte, 0, 8+n)
		buf = append(append(buf, h[:]...), p[:n]...)
		if _, err := w.Write(buf); err != nil {
			return err
		}
		p = p[n:]
	}
	return nil
}

// LogOptions select log records.
type LogOptions struct {
	Stdout, Stderr bool
	Since, Until   time.Time
	Tail           int // <0: all
	Follow         bool
	// Idle, if set, is called when the reader has caught up and is about
	// to wait for more (callers flush buffered output there).
	Idle func()
}

// LogEntry is one record of the log.
type LogEntry struct {
	Stream byte
	Time   time.Time
	Data   []byte
}

// readLogs calls fn for each selected record; with Follow it continues
// until the container stops or ctx ends.
func (o *output) readLogs(ctx context.Context, opt LogOptions, fn func(LogEntry) error) error {
	return o.readLogsFrom(ctx, opt, fn, o.snapshotSize)
}

// readLogsLocked replays the whole log without following; o.ioMu is held
// (so nothing is delivered meanwhile).
func (o *output) readLogsLocked(opt LogOptions, fn func(LogEntry) error) error {
	opt.Follow = false
	size := o.fsize
	return o.readLogsFrom(context.Background(), opt, fn, func() int64 { return size })
}

func (o *output) readLogsFrom(ctx context.Context, opt LogOptions, fn func(LogEntry) error, sizeNow func() int64) error {
	f, err := o.openLog(ctx, opt)
	if f == nil || err != nil {
		return err
	}
	defer f.Close()
	var start int64
	if opt.Tail >= 0 {
		start, err = tailOffset(f, opt, sizeNow())
		if err != nil {
			return err
		}
	}
	if _, err := f.Seek(start, 0); err != nil {
		return err
	}
	off := start
	r := bufio.NewReaderSize(f, 64<<10)
	var h [recHeader]byte
	var data []byte
	for {
		limit := sizeNow()
		for off+recHeader <= limit {
			if _, err := io.ReadFull(r, h[:]); err != nil {
				return err
			}
			n := int64(binary.BigEndian.Uint32(h[9:]))
			if cap(data) < int(n) {
				data = make([]byte, n)
			}
			data = data[:n]
			if _, err := io.ReadFull(r, data); err != nil {
				return err
			}
			off += recHeader + n
			e := LogEntry{Stream: h[0], Time: time.Unix(0, int64(binary.BigEndian.Uint64(h[1:]))), Data: data}
			if !selected(e, opt) {
				continue
			}
			if !opt.Until.IsZero() && e.Time.After(opt.Until) {
				return nil
			}
			if err := fn(e); err != nil {
				return err
			}
		}
		if !opt.Follow {
			return nil
		}
		if more, err := o.await(ctx, opt, off); !more || err != nil {
			return err
		}
	}
}

// await waits, for a follower that has read the log up to off, until
// there may be more (true) or the run ended with nothing more (false).
func (o *output) await(ctx context.Context, opt LogOptions, off int64) (bool, error) {
	o.mu.Lock()
	if o.size > off {
		o.mu.Unlock()
		return true, nil
	}
	if !o.running {
		o.mu.Unlock()
		return false, nil
	}
	ch := o.changedLocked()
	o.mu.Unlock()
	if opt.Idle != nil {
		opt.Idle()
	}
	select {
	case <-ch:
		return true, nil
	case <-ctx.Done():
		return false, ctx.Err()
	}
}

// openLog opens the log for reading. Before the first record there is no
// file: without Follow there is nothing to read (nil, nil); with Follow it
// waits for the first record or the end of the run.
func (o *output) openLog(ctx context.Context, opt LogOptions) (*os.File, error) {
	for {
		f, err := os.Open(o.path)
		if !errors.Is(err, os.ErrNotExist) {
			return f, err
		}
		if !opt.Follow || o.snapshotSize() > 0 { // nothing to read, or the file is gone
			return nil, nil
		}
		if more, err := o.await(ctx, opt, 0); !more || err != nil {
			return nil, err
		}
	}
}

func (o *output) snapshotSize() int64 {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.size
}

func selected(e LogEntry, opt LogOptions) bool {
	if e.Stream == Stdout && !opt.Stdout || e.Stream == Stderr && !opt.Stderr {
		return false
	}
	if !opt.Since.IsZero() && e.Time.Before(opt.Since) {
		return false
	}
	return true
}

// tailOffset finds where the last opt.Tail selected records start.
func tailOffset(f *os.File, opt LogOptions, limit int64) (int64, error) {
	if opt.Tail == 0 {
		return limit, nil
	}
	ring := make([]int64, opt.Tail)
	count := 0
	r := bufio.NewReaderSize(f, 64<<10)
	var h [recHeader]byte
	var off int64
	for off+recHeader <= limit {
		if _, err := io.ReadFull(r, h[:]); err != nil {
			return 0, err
		}
		n := int64(binary.BigEndian.Uint32(h[9:]))
		if _, err := r.Discard(int(n)); err != nil {
			return 0, err
		}
		e := LogEntry{Stream: h[0], Time: time.Unix(0, int64(binary.BigEndian.Uint64(h[1:])))}
		if selected(e, opt) {
			ring[count%opt.Tail] = off
			count++
		}
		off += recHeader + n
	}
	if count < opt.Tail {
		return 0, nil
	}
	return ring[count%opt.Tail], nil
}
