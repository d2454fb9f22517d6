package sandbox

import (
	"context"
	"time"

	"encoding/json"
	"errors"
	"github.com/tetratelabs/wazero/api"
	"io"
	"sync"
	"sync/atomic"
	"syscall"

	"github.com/tetratelabs/wazero/experimental/sys"
	wsys "github.com/tetratelabs/wazero/sys"

	"github.com/sockerless/sockerless/host-functions/process"
	"github.com/sockerless/sockerless/runtime/rootfs"
	"github.com/sockerless/sockerless/wit/abi"
)

// Meta is the file metadata a process needs beyond WASI: real modes and
// owners of container paths (absolute, resolved inside the container),
// and named pipes.
type Meta interface {
	Stat(path string, follow bool) (abi.Stat, sys.Errno)
	Chmod(path string, mode uint32) sys.Errno
	Chown(path string, uid, gid int, follow bool) sys.Errno
	// Umask sets the process's file creation mask to mask (when mask >= 0)
	// and returns the previous one.
	Umask(mask int) (int, sys.Errno)
	Mkfifo(path string, mode uint32) sys.Errno
}

// waitingFS is implemented by a ProcessConfig.FS whose files can make the
// guest wait (*rootfs.View: FIFO ends); poll_oneoff waits on them.
type waitingFS interface{ Waits() *rootfs.Waits }

// ProcessConfig is everything one process is started with.
type ProcessConfig struct {
	Spec abi.Spec
	// FS is the container root as this process sees it.
	FS sys.FS
	// Meta serves the guest's stat/chmod/chown/umask/mkfifo imports.
	Meta Meta
	// Stdin may be nil (reads see EOF). Stdout and Stderr may be nil
	// (output is dropped); with Spec.Tty, Stderr is unused.
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	// Kill routes a guest's kill(pid, sig) to the container's processes;
	// nil means a process can only signal itself.
	Kill func(pid, sig int) sys.Errno
	// MemoryLimit caps the guest's linear memory in bytes (0: no limit
	// beyond wasm's 4 GiB). Growing past it ends the process with 137 and
	// OOMKilled reports true.
	MemoryLimit int64
	// NewPid allocates container pids for the processes that live inside
	// the guest (nested shells, background jobs); nil uses a counter
	// private to this process.
	NewPid func() int
	// Procs, shared by all processes of a container, caps how many run at
	// once (docker run --pids-limit); nil means no cap.
	Procs *ProcLimit
	// Children learns of the processes that live inside the guest (the
	// commands its shells run): pid, parent pid and argv when one starts;
	// the returned function is called when it ends, or when the instance
	// does. Nil: they are counted against Procs but recorded nowhere.
	Children func(pid, ppid int, args []string) (end func())
	// Exec learns that the process now runs args in its own place (a
	// shell that runs the last command of `sh -c` in place of itself, as
	// ash does): ps and top show args for it from then on. Nil: not
	// recorded.
	Exec func(args []string)

	// probe, for the engine's own probe process, sees the instance's
	// memory before it is closed (prefault.go).
	probe func(*cowMemory)
}

// ProcLimit counts a container's running processes: its init, execs and
// the WASI programs they start.
type ProcLimit struct {
	max int64
	n   atomic.Int64
}

// NewProcLimit returns a limit of max processes (max <= 0: unlimited).
func NewProcLimit(max int64) *ProcLimit { return &ProcLimit{max: max} }

// ErrProcLimit is returned by Start when a container's process limit is reached.
var ErrProcLimit = errors.New("process limit reached (--pids-limit)")

func (l *ProcLimit) acquire() bool {
	if l == nil {
		return true
	}
	if n := l.n.Add(1); l.max > 0 && n > l.max {
		l.n.Add(-1)
		return false
	}
	return true
}

func (l *ProcLimit) release() {
	if l != nil {
		l.n.Add(-1)
	}
}

// Running is the number of processes counted now.
func (l *ProcLimit) Running() int64 { return l.n.Load() }

// Garbage collection is the guest's biggest cost after interpretation
// itself (a 20,000-iteration shell loop ran 2-3x faster with the collector
// off than at Go's default GOGC=100). Shell heaps are small and a process
// is short-lived, so the guest collects only as its heap nears a soft
// limit: 128 MiB, or three quarters of the container's memory limit.
const defaultGCMemoryLimit = 128 << 20

func gcDefaults(memoryLimit int64) (percent int, limit int64) {
	limit = defaultGCMemoryLimit
	if memoryLimit > 0 && memoryLimit*3/4 < limit {
		limit = memoryLimit * 3 / 4
	}
	return -1, limit
}

// Process is one running guest instance.
type Process struct {
	cfg  ProcessConfig
	spec []byte
	tty  *Terminal

	mu      sync.Mutex
	actions map[int]int
	pending []byte
	sigFD   int64
	inFD    int64
	lastPid int
	// children are the in-guest processes started by the guest and not
	// ended yet, with what ends their record.
	children map[int]func()

	paused  atomic.Bool
	resume  chan struct{} // closed by Resume
	blocked atomic.Int64  // nanoseconds spent waiting in the host
	// blockedSince is when the current wait in the host began (unix
	// nanoseconds; 0: not waiting), so CPUTime leaves out a wait that has
	// not ended yet.
	blockedSince atomic.Int64
	started      time.Time
	ended        time.Time
	mod          atomic.Pointer[api.Module]
	// stdinIntr makes the next read of the stdin file end (EOF) once.
	stdinIntr bool

	engine  *Engine
	runs    map[int32]*programRun
	nextRun int32

	wake      chan struct{}
	dead      chan struct{} // closed when killed
	deadOnce  sync.Once
	killed    atomic.Int32 // exit status once killed
	oomKilled atomic.Bool

	stdin *pump

	done     chan struct{}
	exitCode int
	exitErr  error
}

// Start runs a process in a ready instance and returns at once.
func (e *Engine) Start(ctx context.Context, cfg ProcessConfig) (*Process, error) {
	if len(cfg.Spec.Args) == 0 {
		return nil, errors.New("no command specified")
	}
	if cfg.Spec.Dir == "" {
		cfg.Spec.Dir = "/"
	}
	if cfg.Spec.GCPercent == 0 && cfg.Spec.GCMemoryLimit == 0 {
		cfg.Spec.GCPercent, cfg.Spec.GCMemoryLimit = gcDefaults(cfg.MemoryLimit)
	}
	spec, err := json.Marshal(cfg.Spec)
	if err != nil {
		return nil, err
	}
	p := &Process{
		cfg:     cfg,
		spec:    spec,
		actions: map[int]int{},
		sigFD:   -1,
		inFD:    -1,
		wake:    make(chan struct{}, 1),
		dead:    make(chan struct{}),
		done:    make(chan struct{}),
		engine:  e,
	}
	if cfg.Spec.Tty {
		p.tty = newTerminal(cfg.Stdin, cfg.Stdout, p)
		p.stdin = newPump(p.tty)
	} else if cfg.Stdin != nil {
		p.stdin = newPump(cfg.Stdin)
	}
	if p.stdin != nil {
		p.stdin.wake = p.notify
	}
	if !cfg.Procs.acquire() {
		return nil, ErrProcLimit
	}
	in, err := e.take(ctx)
	if err != nil {
		cfg.Procs.release()
		return nil, err
	}
	in.sw.p.Store(p)
	p.mod.Store(&in.mod)
	p.started = time.Now()
	go p.run(in)
	return p, nil
}

func (p *Process) run(in *instance) {
	ctx := process.WithProcess(context.Background(), p)
	res, err := in.mod.ExportedFunction("run").Call(ctx)
	code := 0
	var exitErr *wsys.ExitError
	switch {
	case err == nil && len(res) == 1:
		code = int(int32(res[0]))
	case errors.As(err, &exitErr):
		code = int(exitErr.ExitCode())
	case err != nil:
		code = 139 // a wasm trap: the guest crashed
		p.exitErr = err
	}
	if k := p.killed.Load(); k != 0 {
		code = int(k)
	} else if p.oomKilled.Load() {
		code = 137
	}
	if p.cfg.probe != nil {
		p.cfg.probe(in.mem)
	}
	in.mod.Close(context.Background())
	if p.stdin != nil {
		p.stdin.stop()
	}
	if p.tty != nil {
		p.tty.close()
	}
	p.exitCode = code
	p.ended = time.Now()
	p.endChildren()
	p.cfg.Procs.release()
	close(p.done)
}

// Done is closed when the process has exited.
func (p *Process) Done() <-chan struct{} { return p.done }

// Wait blocks until the process exits and returns its exit status.
func (p *Process) Wait() int {
	<-p.done
	return p.exitCode
}

// ExitCode is the exit status; valid once Done is closed.
func (p *Process) ExitCode() int { return p.exitCode }

// OOMKilled reports whether the process ended by exceeding its memory limit.
func (p *Process) OOMKilled() bool { return p.oomKilled.Load() }

// Err is the crash that ended the process, if it did not exit normally.
func (p *Process) Err() error { return p.exitErr }

// Pid is the process id inside its container.
func (p *Process) Pid() int { return p.cfg.Spec.Pid }

// Resize changes the terminal size of a TTY process.
func (p *Process) Resize(rows, cols int) {
	if p.tty != nil {
		p.tty.resize(rows, cols)
	}
}

// Signal delivers a Linux signal number with Linux semantics: SIGKILL
// ends the process (137); a caught signal reaches the guest's handler;
// an ignored one, or one without a handler sent to a container's init
// process, does nothing; otherwise the default action ends the process
// with 128+sig (or is ignored for SIGCHLD, SIGWINCH, SIGURG, SIGCONT).
func (p *Process) Signal(sig int) {
	select {
	case <-p.done:
		return
	default:
	}
	if sig == 9 {
		p.kill(128 + 9)
		return
	}
	p.mu.Lock()
	action := p.actions[sig]
	p.mu.Unlock()
	switch action {
	case abi.SigCatch, abi.SigNotify:
		p.mu.Lock()
		p.pending = append(p.pending, byte(sig))
		// A shell trap interrupts a read of stdin, as on Linux (the
		// read fails and the trap runs before the next command).
		p.stdinIntr = p.stdinIntr || action == abi.SigCatch
		p.mu.Unlock()
		if action == abi.SigCatch {
			p.waits().Interrupt() // and a wait on a FIFO
		}
		p.notify()
	case abi.SigIgnore:
	default:
		switch sig {
		case 17, 18, 23, 28: // CHLD, CONT, URG, WINCH
			return
		}
		if p.cfg.Spec.Init {
			return
		}
		p.kill(128 + sig)
	}
}

// Kill ends the process at once with status 128+SIGKILL.
func (p *Process) Kill() { p.kill(137) }

func (p *Process) kill(status int) {
	p.killed.CompareAndSwap(0, int32(status))
	p.deadOnce.Do(func() { close(p.dead) })
	p.notify()
	if p.stdin != nil {
		p.stdin.stop()
	}
}

func (p *Process) notify() {
	select {
	case p.wake <- struct{}{}:
	default:
	}
}

func (p *Process) TakeSignals(buf []byte) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	n := copy(buf, p.pending)
	p.pending = p.pending[n:]
	return n
}

func (p *Process) readStdin(buf []byte) (int, error) {
	p.Check()
	if p.stdin == nil {
		return 0, io.EOF
	}
	n, err := p.stdin.read(buf)
	p.Check()
	return n, err
}

func (p *Process) write(fd int, buf []byte) (int, error) {
	p.Check()
	if p.tty != nil {
		return p.tty.write(buf)
	}
	w := p.cfg.Stdout
	if fd == 2 {
		w = p.cfg.Stderr
	}
	if w == nil {
		return len(buf), nil
	}
	return w.Write(buf)
}

// The process.Process interface, called from host functions.

func (p *Process) NewPid() int {
	if p.cfg.NewPid != nil {
		return p.cfg.NewPid()
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.lastPid < p.cfg.Spec.Pid {
		p.lastPid = p.cfg.Spec.Pid
	}
	p.lastPid++
	return p.lastPid
}

func (p *Process) Spec() []byte { return p.spec }

// StartChild registers an in-guest process (pid 0: allocate one) under
// ppid, counting it against the container's process limit (EAGAIN when it
// is reached). Registering a live pid again replaces its record (a job
// that execs its command), at no extra count; registering the process's
// own pid is an exec of the process itself (ProcessConfig.Exec).
func (p *Process) StartChild(pid, ppid int, args []string) (int, sys.Errno) {
	if pid > 0 && pid == p.cfg.Spec.Pid {
		if p.cfg.Exec != nil {
			p.cfg.Exec(args)
		}
		return pid, 0
	}
	p.mu.Lock()
	old, live := p.children[pid]
	p.mu.Unlock()
	if !live || pid <= 0 {
		if !p.cfg.Procs.acquire() {
			return 0, sys.EAGAIN
		}
	}
	if pid <= 0 {
		pid = p.NewPid()
	}
	end := func() {}
	if p.cfg.Children != nil {
		end = p.cfg.Children(pid, ppid, args)
	}
	p.mu.Lock()
	if p.children == nil {
		p.children = map[int]func(){}
	}
	p.children[pid] = end
	p.mu.Unlock()
	if live {
		old()
	}
	return pid, 0
}

// EndChild ends the record of an in-guest process.
func (p *Process) EndChild(pid int) {
	p.mu.Lock()
	end, ok := p.children[pid]
	delete(p.children, pid)
	p.mu.Unlock()
	if ok {
		end()
		p.cfg.Procs.release()
	}
}

// endChildren ends the records of the in-guest processes still running
// when the instance ends.
func (p *Process) endChildren() {
	p.mu.Lock()
	ends := p.children
	p.children = nil
	p.mu.Unlock()
	for _, end := range ends {
		end()
		p.cfg.Procs.release()
	}
}

func (p *Process) Check() {
	if k := p.killed.Load(); k != 0 {
		panic(wsys.NewExitError(uint32(k)))
	}
	if p.paused.Load() {
		p.waitWhilePaused()
	}
}

// Pause freezes the process at its next host call (the shell makes one
// before every command, and every read, write and wait is one): docker
// pause. Time spent paused is not CPU time.
func (p *Process) Pause() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.resume == nil {
		p.resume = make(chan struct{})
		p.paused.Store(true)
	}
}

// Resume lets a paused process run again.
func (p *Process) Resume() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.resume != nil {
		p.paused.Store(false)
		close(p.resume)
		p.resume = nil
	}
}

// Paused reports whether the process is paused.
func (p *Process) Paused() bool { return p.paused.Load() }

func (p *Process) waitWhilePaused() {
	p.mu.Lock()
	ch := p.resume
	p.mu.Unlock()
	if ch == nil {
		return
	}
	end := p.Block()
	select {
	case <-ch:
	case <-p.dead:
	}
	end()
	if k := p.killed.Load(); k != 0 {
		panic(wsys.NewExitError(uint32(k)))
	}
}

// Block marks the start of a wait of the guest in the host (not
// computing); the returned function marks its end. The host's poll_oneoff
// and pause call it.
func (p *Process) Block() (end func()) {
	t0 := time.Now()
	p.blockedSince.Store(t0.UnixNano())
	return func() {
		p.blocked.Add(int64(time.Since(t0)))
		p.blockedSince.Store(0)
	}
}

// CPUTime approximates the CPU time the process used: the time its guest
// ran, minus the time it waited in the host (sleeping, polling, paused).
func (p *Process) CPUTime() time.Duration {
	end := time.Now()
	select {
	case <-p.done:
		end = p.ended
	default:
	}
	d := end.Sub(p.started) - time.Duration(p.blocked.Load())
	if since := p.blockedSince.Load(); since != 0 {
		d -= end.Sub(time.Unix(0, since)) // the wait going on now
	}
	return max(d, 0)
}

// MemoryBytes is the size of the guest's linear memory.
func (p *Process) MemoryBytes() uint64 {
	if m := p.mod.Load(); m != nil {
		if mem := (*m).Memory(); mem != nil {
			return uint64(mem.Size())
		}
	}
	return 0
}

func (p *Process) SetSignalFD(fd uint32) {
	p.mu.Lock()
	p.sigFD = int64(fd)
	p.mu.Unlock()
}

// SetStdinFD records the guest fd of its non-blocking stdin file.
func (p *Process) SetStdinFD(fd uint32) {
	p.mu.Lock()
	p.inFD = int64(fd)
	p.mu.Unlock()
}

// StdinFD returns the fd set by SetStdinFD, or -1.
func (p *Process) StdinFD() int64 {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.inFD
}

// StdinReady reports whether a read of stdin would not block.
func (p *Process) StdinReady() bool {
	p.mu.Lock()
	intr := p.stdinIntr
	p.mu.Unlock()
	return intr || p.stdin == nil || p.stdin.ready()
}

// takeStdinIntr reports and clears an interruption of stdin reads.
func (p *Process) takeStdinIntr() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	intr := p.stdinIntr
	p.stdinIntr = false
	return intr
}

func (p *Process) SignalFD() int64 {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.sigFD
}

func (p *Process) SignalAction(sig, action int) {
	p.mu.Lock()
	p.actions[sig] = action
	p.mu.Unlock()
}

func (p *Process) SignalPending() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.pending) > 0
}

func (p *Process) Wake() <-chan struct{} { return p.wake }

func (p *Process) Stat(path string, follow bool) (abi.Stat, sys.Errno) {
	if p.cfg.Meta == nil {
		return abi.Stat{}, sys.ENOSYS
	}
	return p.cfg.Meta.Stat(path, follow)
}

func (p *Process) Chmod(path string, mode uint32) sys.Errno {
	if p.cfg.Meta == nil {
		return sys.ENOSYS
	}
	return p.cfg.Meta.Chmod(path, mode)
}

func (p *Process) Chown(path string, uid, gid int, follow bool) sys.Errno {
	if p.cfg.Meta == nil {
		return sys.ENOSYS
	}
	return p.cfg.Meta.Chown(path, uid, gid, follow)
}

func (p *Process) Umask(mask int) (int, sys.Errno) {
	if p.cfg.Meta == nil {
		return 0, sys.ENOSYS
	}
	return p.cfg.Meta.Umask(mask)
}

func (p *Process) Mkfifo(path string, mode uint32) sys.Errno {
	if p.cfg.Meta == nil {
		return sys.ENOSYS
	}
	return p.cfg.Meta.Mkfifo(path, mode)
}

func (p *Process) waits() *rootfs.Waits {
	if w, ok := p.cfg.FS.(waitingFS); ok {
		return w.Waits()
	}
	return nil
}

// FilesWaiting reports whether FIFO ends of the process returned EAGAIN
// and have not been ready since.
func (p *Process) FilesWaiting() bool { return !p.waits().Empty() }

// WaitFiles waits for one of those ends (see rootfs.Waits.Wait).
func (p *Process) WaitFiles(wake <-chan struct{}, timeout time.Duration) (ready, woken bool) {
	switch p.waits().Wait(wake, timeout) {
	case rootfs.WaitReady:
		return true, false
	case rootfs.WaitWoken:
		return false, true
	}
	return false, false
}

func (p *Process) SendSignal(pid, sig int) sys.Errno {
	if p.cfg.Kill != nil {
		return p.cfg.Kill(pid, sig)
	}
	if pid == p.cfg.Spec.Pid || pid == 0 {
		if sig != 0 {
			p.Signal(sig)
		}
		return 0
	}
	return process.ESRCH
}

var _ process.Process = (*Process)(nil)

// pump reads a process's stdin (a blocking reader) in its own goroutine
// into a bounded buffer, so that the guest can read it without blocking
// (its signal-aware poll_oneoff waits for data) and a kill can end a
// read at once.
type pump struct {
	r        io.Reader
	wake     func() // tells the process's poll_oneoff that data arrived
	mu       sync.Mutex
	space    *sync.Cond
	buf      []byte
	err      error
	started  bool
	stopped  bool
	arrived  chan struct{} // signalled on every change, for blocking readers
	stopOnce sync.Once
}

const pumpMax = 1 << 20

func newPump(r io.Reader) *pump {
	s := &pump{r: r, arrived: make(chan struct{}, 1), wake: func() {}}
	s.space = sync.NewCond(&s.mu)
	return s
}

func (s *pump) start() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.started {
		return
	}
	s.started = true
	go func() {
		b := make([]byte, 32*1024)
		for {
			n, err := s.r.Read(b)
			s.mu.Lock()
			for len(s.buf) >= pumpMax && !s.stopped {
				s.space.Wait()
			}
			if s.stopped {
				s.mu.Unlock()
				return
			}
			s.buf = append(s.buf, b[:n]...)
			if err != nil {
				s.err = err
			}
			s.mu.Unlock()
			s.signal()
			if err != nil {
				return
			}
		}
	}()
}

func (s *pump) signal() {
	select {
	case s.arrived <- struct{}{}:
	default:
	}
	s.wake()
}

// tryRead returns buffered data, the reader's final error, or EAGAIN.
func (s *pump) tryRead(buf []byte) (int, error) {
	s.start()
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.buf) > 0 {
		n := copy(buf, s.buf)
		s.buf = s.buf[n:]
		s.space.Signal()
		return n, nil
	}
	if s.stopped {
		return 0, io.EOF
	}
	if s.err != nil {
		return 0, s.err
	}
	return 0, errAgain
}

// ready reports whether tryRead would not return EAGAIN.
func (s *pump) ready() bool {
	s.start()
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.buf) > 0 || s.err != nil || s.stopped
}

// read blocks until data, end of input or stop.
func (s *pump) read(buf []byte) (int, error) {
	for {
		n, err := s.tryRead(buf)
		if err != errAgain {
			return n, err
		}
		<-s.arrived
	}
}

func (s *pump) stop() {
	s.stopOnce.Do(func() {
		s.mu.Lock()
		s.stopped = true
		s.space.Broadcast()
		s.mu.Unlock()
		s.signal()
	})
}

var errAgain = syscall.EAGAIN
