package rootfs

import (
	"strconv"
	"sync"
	"time"

	xsys "github.com/tetratelabs/wazero/experimental/sys"
	"github.com/tetratelabs/wazero/sys"
	"golang.org/x/sys/unix"
)

// Named pipes (FIFOs).
//
// Every process of a container is one wasm instance whose goroutines (a
// shell's background jobs) share one host thread, so no FIFO operation may
// block the host: `(echo x > p &); cat p` would deadlock. A fifoFile never
// blocks; where Linux would block it returns EAGAIN and records itself in
// its view's Waits, and the runtime's poll_oneoff waits there (the Go
// runtime of the guest parks the goroutine on EAGAIN and polls, since the
// file is pollable). The semantics:
//
//   - open for reading returns at once (host O_NONBLOCK); reads wait until
//     data arrives, and return EOF only once a writer opened the pipe after
//     the reader and all writers closed it (poll(2) reports POLLHUP only
//     then), which is what a blocking open followed by reads gives.
//   - open for writing returns at once; while no reader has the pipe open
//     (the host open fails with ENXIO) the end is pending: its first write
//     waits until a reader opens the pipe. A pending end closed without
//     writing still connects once (in the background, for up to
//     pendingCloseLimit), so a reader that comes later sees a writer come
//     and go (EOF), as after Linux's blocking open.
//   - open for reading and writing never waits (as on Linux).
//   - writes to a full pipe wait for room; once all readers closed they
//     fail with EIO (WASI preview 1 as wazero implements it has no EPIPE,
//     and the writer gets no SIGPIPE).
//
// The ends are host FIFO descriptors, so processes of the same container
// (docker exec) talk through the same kernel pipe.

// pendingCloseLimit bounds how long a writer closed before any reader came
// keeps trying to connect.
const pendingCloseLimit = time.Minute

type fifoFile struct {
	xsys.UnimplementedFile
	path     int // O_PATH descriptor of the pipe: ends are reopened from it
	fd       int // the open end; -1 while a write end is pending
	flag     xsys.Oflag
	nonblock bool
	closed   bool
	intr     bool // a caught signal interrupts the wait (Waits.Interrupt)
	waits    *Waits
	dev, ino uint64
}

func (v *View) openFifo(e *entry, flag xsys.Oflag) (xsys.File, Errno) {
	pfd, err := retry(func() (int, error) {
		return unix.Openat(e.fd, e.hname, unix.O_PATH|unix.O_NOFOLLOW|unix.O_CLOEXEC, 0)
	})
	if err != nil {
		return nil, errnoOf(err)
	}
	var st unix.Stat_t
	if err := unix.Fstat(pfd, &st); err != nil {
		unix.Close(pfd)
		return nil, errnoOf(err)
	}
	if st.Mode&unix.S_IFMT != unix.S_IFIFO { // replaced under our feet
		unix.Close(pfd)
		return nil, EIO
	}
	f := &fifoFile{path: pfd, fd: -1, flag: flag, waits: v.waits, dev: st.Dev, ino: st.Ino}
	if err := f.connect(); err != nil && !(err == unix.ENXIO && f.writeOnly()) {
		unix.Close(pfd)
		return nil, errnoOf(err)
	}
	return f, 0
}

func (f *fifoFile) writeOnly() bool { return f.flag&(O_RDONLY|O_WRONLY|O_RDWR) == O_WRONLY }

// connect opens the end from the O_PATH descriptor; ENXIO: a write end
// and no reader yet.
func (f *fifoFile) connect() error {
	if f.fd >= 0 {
		return nil
	}
	o := hostFlags(f.flag&(O_RDONLY|O_WRONLY|O_RDWR)) | unix.O_NONBLOCK
	o &^= unix.O_NOFOLLOW // the proc link is followed by design
	fd, err := retry(func() (int, error) {
		return unix.Open("/proc/self/fd/"+strconv.Itoa(f.path), o, 0)
	})
	if err != nil {
		return err
	}
	f.fd = fd
	return nil
}

func (f *fifoFile) Dev() (uint64, Errno)    { return f.dev, 0 }
func (f *fifoFile) Ino() (sys.Inode, Errno) { return f.ino, 0 }
func (f *fifoFile) IsDir() (bool, Errno)    { return false, 0 }
func (f *fifoFile) IsNonblock() bool        { return f.nonblock }

// SetNonblock records the guest's mode; the host end is always
// non-blocking and waits happen in the runtime's poll.
func (f *fifoFile) SetNonblock(on bool) Errno { f.nonblock = on; return 0 }

func (f *fifoFile) Stat() (sys.Stat_t, Errno) {
	if f.closed {
		return sys.Stat_t{}, EBADF
	}
	var st unix.Stat_t
	if err := unix.Fstat(f.path, &st); err != nil {
		return sys.Stat_t{}, errnoOf(err)
	}
	return statT(&st), 0
}

// Poll implements sys.Pollable (wazero asks it of files the guest sets
// non-blocking); waiting happens in Waits.Wait.
func (f *fifoFile) Poll(flag xsys.Pflag, timeoutMillis int32) (bool, Errno) {
	if f.closed {
		return false, EBADF
	}
	if f.fd < 0 {
		if f.connect() != nil {
			return false, 0
		}
	}
	ev := int16(unix.POLLIN)
	if flag == xsys.POLLOUT {
		ev = unix.POLLOUT
	}
	fds := []unix.PollFd{{Fd: int32(f.fd), Events: ev}}
	n, err := retry(func() (int, error) { return unix.Poll(fds, int(max(timeoutMillis, 0))) })
	return err == nil && n > 0, 0
}

// usable reports whether a read (denied O_WRONLY) or write (denied
// O_RDONLY) of buf goes on; otherwise it ends with errno.
func (f *fifoFile) usable(denied xsys.Oflag, buf []byte) (bool, Errno) {
	if f.closed || f.flag&(O_RDONLY|O_WRONLY|O_RDWR) == denied {
		return false, EBADF
	}
	return len(buf) > 0, 0
}

func (f *fifoFile) Read(buf []byte) (int, Errno) {
	if ok, errno := f.usable(O_WRONLY, buf); !ok {
		return 0, errno
	}
	if f.waits.takeIntr(f) {
		return 0, 0 // as stdin: the interrupted read ends, the trap runs
	}
	n, err := retry(func() (int, error) { return unix.Read(f.fd, buf) })
	if err == unix.EAGAIN {
		f.waits.add(f, unix.POLLIN)
		return 0, EAGAIN
	}
	if err != nil {
		return 0, errnoOf(err)
	}
	if n == 0 && !f.hungUp() {
		// No writer yet: Linux's blocking open would still be waiting.
		f.waits.add(f, unix.POLLIN)
		return 0, EAGAIN
	}
	return n, 0
}

// hungUp reports whether all writers closed after one opened the pipe
// since this end was opened (POLLHUP).
func (f *fifoFile) hungUp() bool {
	fds := []unix.PollFd{{Fd: int32(f.fd), Events: unix.POLLIN}}
	n, err := retry(func() (int, error) { return unix.Poll(fds, 0) })
	return err == nil && n > 0 && fds[0].Revents&unix.POLLHUP != 0
}

func (f *fifoFile) Write(buf []byte) (int, Errno) {
	if ok, errno := f.usable(O_RDONLY, buf); !ok {
		return 0, errno
	}
	if f.waits.takeIntr(f) {
		return 0, EIO // WASI has no EINTR a Go guest would not retry
	}
	if err := f.connect(); err == unix.ENXIO {
		f.waits.add(f, unix.POLLOUT)
		return 0, EAGAIN
	} else if err != nil {
		return 0, errnoOf(err)
	}
	n, err := retry(func() (int, error) { return unix.Write(f.fd, buf) })
	if err == unix.EAGAIN {
		f.waits.add(f, unix.POLLOUT)
		return 0, EAGAIN
	}
	return max(n, 0), errnoOf(err)
}

func (f *fifoFile) Close() Errno {
	if f.closed {
		return 0
	}
	f.closed = true
	f.waits.remove(f)
	if f.fd >= 0 {
		unix.Close(f.fd)
	} else if f.writeOnly() {
		go connectLater(f.path)
		return 0
	}
	return errnoOf(unix.Close(f.path))
}

// connectLater opens and closes a write end of the pipe at path (an O_PATH
// descriptor it closes) once a reader has it open, for a pending writer
// that closed without writing.
func connectLater(path int) {
	defer unix.Close(path)
	p := "/proc/self/fd/" + strconv.Itoa(path)
	deadline := time.Now().Add(pendingCloseLimit)
	for d := time.Millisecond; time.Now().Before(deadline); d = min(2*d, 100*time.Millisecond) {
		fd, err := unix.Open(p, unix.O_WRONLY|unix.O_NONBLOCK|unix.O_CLOEXEC, 0)
		if err == nil {
			unix.Close(fd)
			return
		}
		if err != unix.ENXIO && err != unix.EINTR {
			return
		}
		time.Sleep(d)
	}
}

// Waits is the set of FIFO ends of one process whose last read or write
// would have blocked (they returned EAGAIN to the guest). The runtime's
// poll_oneoff waits in Wait for one of them to become ready.
type Waits struct {
	mu  sync.Mutex
	set map[*fifoFile]int16 // poll events awaited
}

func (w *Waits) add(f *fifoFile, ev int16) {
	if w == nil { // the daemon's own views never wait
		return
	}
	w.mu.Lock()
	if w.set == nil {
		w.set = map[*fifoFile]int16{}
	}
	w.set[f] = ev
	w.mu.Unlock()
}

func (w *Waits) remove(f *fifoFile) {
	if w == nil {
		return
	}
	w.mu.Lock()
	delete(w.set, f)
	w.mu.Unlock()
}

// Interrupt makes the ends that wait now end their wait: the next read
// returns EOF, the next write fails (EIO). The runtime calls it when a
// signal the guest catches arrives, as a shell trap interrupts a read.
func (w *Waits) Interrupt() {
	if w == nil {
		return
	}
	w.mu.Lock()
	for f := range w.set {
		f.intr = true
		delete(w.set, f)
	}
	w.mu.Unlock()
}

func (w *Waits) takeIntr(f *fifoFile) bool {
	if w == nil {
		return false
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	intr := f.intr
	f.intr = false
	return intr
}

// Empty reports whether no FIFO end waits.
func (w *Waits) Empty() bool {
	if w == nil {
		return true
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	return len(w.set) == 0
}

// WaitResult says why Wait returned.
type WaitResult int

const (
	WaitReady   WaitResult = iota // a waiting end is ready (or no end waits)
	WaitWoken                     // wake was signalled
	WaitTimeout                   // timeout passed
)

// Wait waits until a waiting end is ready (it leaves the set), wake is
// signalled, or timeout passes (negative: no timeout; 0: only checks).
// A pending write end is retried with a growing interval (1 ms to 50 ms)
// since nothing signals a reader's open. Ready ends leave the set.
func (w *Waits) Wait(wake <-chan struct{}, timeout time.Duration) WaitResult {
	var deadline time.Time
	if timeout > 0 {
		deadline = time.Now().Add(timeout)
	}
	retryIn := time.Millisecond
	for {
		fds, pending := w.snapshot()
		if len(fds) == 0 && len(pending) == 0 {
			return WaitReady
		}
		ready := false
		for _, f := range pending {
			if f.connect() == nil {
				w.remove(f)
				ready = true
			}
		}
		if ready {
			return WaitReady
		}
		ms := -1
		if timeout == 0 {
			ms = 0
		} else if timeout > 0 {
			ms = int(max(time.Until(deadline), 0) / time.Millisecond)
		}
		if len(pending) > 0 && (ms < 0 || ms > int(retryIn/time.Millisecond)) {
			ms = int(retryIn / time.Millisecond)
			retryIn = min(2*retryIn, 50*time.Millisecond)
		}
		res, errno := pollFds(fds, ms, wake)
		if errno != 0 {
			return WaitReady // let the guest retry and see the error
		}
		if res == WaitWoken {
			return WaitWoken
		}
		if w.takeReady(fds) {
			return WaitReady
		}
		if timeout == 0 || timeout > 0 && !time.Now().Before(deadline) {
			return WaitTimeout
		}
	}
}

type pollEnd struct {
	f  *fifoFile
	pf unix.PollFd
}

func (w *Waits) snapshot() (fds []pollEnd, pending []*fifoFile) {
	w.mu.Lock()
	defer w.mu.Unlock()
	for f, ev := range w.set {
		if f.fd < 0 {
			pending = append(pending, f)
			continue
		}
		fds = append(fds, pollEnd{f, unix.PollFd{Fd: int32(f.fd), Events: ev}})
	}
	return fds, pending
}

func (w *Waits) takeReady(fds []pollEnd) bool {
	ready := false
	for _, e := range fds {
		if e.pf.Revents != 0 {
			w.remove(e.f)
			ready = true
		}
	}
	return ready
}

// pollFds polls the ends for up to ms milliseconds (-1: no limit), and
// returns early with WaitWoken when wake is signalled. The host poll runs
// on its own goroutine with an eventfd that wake makes readable.
func pollFds(ends []pollEnd, ms int, wake <-chan struct{}) (WaitResult, Errno) {
	fds := make([]unix.PollFd, len(ends), len(ends)+1)
	for i := range ends {
		fds[i] = ends[i].pf
	}
	defer func() {
		for i := range ends {
			ends[i].pf.Revents = fds[i].Revents
		}
	}()
	if ms == 0 || wake == nil {
		_, err := retry(func() (int, error) { return unix.Poll(fds, ms) })
		return WaitReady, errnoOf(err)
	}
	efd, err := unix.Eventfd(0, unix.EFD_CLOEXEC|unix.EFD_NONBLOCK)
	if err != nil {
		return WaitReady, errnoOf(err)
	}
	defer unix.Close(efd)
	fds = append(fds, unix.PollFd{Fd: int32(efd), Events: unix.POLLIN})
	done := make(chan error, 1)
	go func() {
		_, err := retry(func() (int, error) { return unix.Poll(fds, ms) })
		done <- err
	}()
	select {
	case err := <-done:
		return WaitReady, errnoOf(err)
	case <-wake:
		unix.Write(efd, []byte{1, 0, 0, 0, 0, 0, 0, 0})
		<-done
		return WaitWoken, 0
	}
}
