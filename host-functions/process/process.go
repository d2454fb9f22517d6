// Package process is the host side of the sandbox guest's imports: the
// "sockerless" host module (process spec, signals, file metadata that WASI
// lacks) and a replacement for WASI's poll_oneoff that lets the host wake a
// guest blocked waiting for a signal, input or a named pipe.
//
// The directory is named host-functions (not a Go identifier); the package
// is named process after what it serves. Every function is documented at
// the boundary: parameters, memory layout and errno results. Host functions
// never return Go errors to the guest; they return WASI errno values, and a
// process that was killed is ended from inside whichever host function it
// calls next (as proc_exit does), which is how a busy or blocked guest is
// stopped without compiling in context checks.
package process

import (
	"bytes"
	"context"
	"encoding/binary"
	"time"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
	"github.com/tetratelabs/wazero/experimental/sys"
	"github.com/tetratelabs/wazero/imports/wasi_snapshot_preview1"

	"github.com/sockerless/sockerless/wit/abi"
)

// ModuleName is the import module name of the host functions.
const ModuleName = "sockerless"

// Process is what the host functions need from the runtime's process. The
// runtime puts it into the context of the guest's run call (WithProcess).
type Process interface {
	// Spec is the JSON encoding of abi.Spec.
	Spec() []byte
	// Check ends the guest (panics with *sys.ExitError) when the process
	// was killed. Every host function calls it first.
	Check()
	// SetSignalFD records which guest fd reads signals.
	SetSignalFD(fd uint32)
	// SignalFD returns the fd set by SetSignalFD, or -1.
	SignalFD() int64
	// SetStdinFD and StdinFD do the same for the guest's non-blocking
	// stdin file; StdinReady reports whether reading it would not block.
	SetStdinFD(fd uint32)
	StdinFD() int64
	StdinReady() bool
	// SignalAction records the guest's disposition of a signal (abi.Sig*).
	SignalAction(sig, action int)
	// SignalPending reports whether a caught signal waits to be read.
	SignalPending() bool
	// TakeSignals moves pending signal numbers into buf.
	TakeSignals(buf []byte) int
	// Wake is signalled when a caught signal arrives or the process is killed.
	Wake() <-chan struct{}
	// Block marks the start of a wait in poll_oneoff (time the guest does
	// not compute); the returned function marks its end.
	Block() (end func())
	// Stat, Chmod and Chown act on container paths (absolute, inside the
	// container root).
	Stat(path string, follow bool) (abi.Stat, sys.Errno)
	Chmod(path string, mode uint32) sys.Errno
	Chown(path string, uid, gid int, follow bool) sys.Errno
	// Umask sets the process's file creation mask to mask (when mask >= 0)
	// and returns the previous one.
	Umask(mask int) (int, sys.Errno)
	// Mkfifo makes a named pipe at a container path with permission bits
	// mode (07777; the process's umask applies).
	Mkfifo(path string, mode uint32) sys.Errno
	// FilesWaiting reports whether files of the process (FIFO ends) had a
	// read or write return EAGAIN since they were last ready: poll_oneoff
	// then waits for them on the fd subscriptions it does not track
	// itself, instead of reporting those ready at once.
	FilesWaiting() bool
	// WaitFiles waits until one of those files is ready (true), wake is
	// signalled or timeout passes (false; negative: none, 0: only checks),
	// and reports which.
	WaitFiles(wake <-chan struct{}, timeout time.Duration) (ready, woken bool)
	// RunProgram runs a WASI program (JSON abi.ProgramRequest) to the end.
	RunProgram(req []byte) (int32, sys.Errno)
	// ProgramResult reads a finished run's status (which 0), stdout (1)
	// or stderr (2, from offset off).
	ProgramResult(h int32, which, off int, buf []byte) (int, sys.Errno)
	ReleaseProgram(h int32)
	// NewPid allocates a pid in the container for a process that lives
	// inside the guest (a nested shell, a background job).
	NewPid() int
	// StartChild records a process that lives inside the guest (a command
	// a shell runs) with its parent and argv, allocating its pid when pid
	// is 0; EAGAIN when the container's process limit is reached.
	// EndChild ends the record.
	StartChild(pid, ppid int, args []string) (int, sys.Errno)
	EndChild(pid int)
	// Kill sends a signal to a process of the same container.
	SendSignal(pid, sig int) sys.Errno
}

type ctxKey struct{}

// WithProcess returns a context carrying p for the host functions.
func WithProcess(ctx context.Context, p Process) context.Context {
	return context.WithValue(ctx, ctxKey{}, p)
}

func fromContext(ctx context.Context) Process {
	p, _ := ctx.Value(ctxKey{}).(Process)
	return p
}

// Instantiate adds the "sockerless" module and a wasi_snapshot_preview1
// module with the poll_oneoff replacement to r.
func Instantiate(ctx context.Context, r wazero.Runtime) error {
	w := r.NewHostModuleBuilder(wasi_snapshot_preview1.ModuleName)
	wasi_snapshot_preview1.NewFunctionExporter().ExportFunctions(w)
	w.NewFunctionBuilder().
		WithGoModuleFunction(api.GoModuleFunc(pollOneoff), []api.ValueType{i32, i32, i32, i32}, []api.ValueType{i32}).
		WithParameterNames("in", "out", "nsubscriptions", "result.nevents").
		Export("poll_oneoff")
	if _, err := w.Instantiate(ctx); err != nil {
		return err
	}

	b := r.NewHostModuleBuilder(ModuleName)
	fn := func(name string, f api.GoModuleFunc, params, results []api.ValueType, names ...string) {
		b.NewFunctionBuilder().WithGoModuleFunction(f, params, results).WithParameterNames(names...).Export(name)
	}
	fn("spec", spec, []api.ValueType{i32, i32}, []api.ValueType{i32}, "buf", "buf_len")
	fn("check", check, nil, []api.ValueType{i32})
	fn("signal_take", signalTake, []api.ValueType{i32, i32}, []api.ValueType{i32}, "buf", "buf_len")
	fn("signal_fd", signalFD, []api.ValueType{i32}, nil, "fd")
	fn("stdin_fd", stdinFD, []api.ValueType{i32}, nil, "fd")
	fn("signal_action", signalAction, []api.ValueType{i32, i32}, nil, "sig", "action")
	fn("stat", stat, []api.ValueType{i32, i32, i32, i32}, []api.ValueType{i32}, "path", "path_len", "follow", "out")
	fn("chmod", chmod, []api.ValueType{i32, i32, i32}, []api.ValueType{i32}, "path", "path_len", "mode")
	fn("chown", chown, []api.ValueType{i32, i32, i32, i32, i32}, []api.ValueType{i32}, "path", "path_len", "uid", "gid", "follow")
	fn("umask", umask, []api.ValueType{i32}, []api.ValueType{i32}, "mask")
	fn("mkfifo", mkfifo, []api.ValueType{i32, i32, i32}, []api.ValueType{i32}, "path", "path_len", "mode")
	fn("kill", kill, []api.ValueType{i32, i32}, []api.ValueType{i32}, "pid", "sig")
	fn("pid_new", pidNew, nil, []api.ValueType{i32})
	fn("proc_start", procStart, []api.ValueType{i32, i32, i32, i32}, []api.ValueType{i32}, "pid", "ppid", "args", "args_len")
	fn("proc_end", procEnd, []api.ValueType{i32}, nil, "pid")
	fn("program_run", programRun, []api.ValueType{i32, i32}, []api.ValueType{i64}, "req", "req_len")
	fn("program_result", programResult, []api.ValueType{i32, i32, i32, i32, i32}, []api.ValueType{i64}, "handle", "which", "offset", "buf", "buf_len")
	fn("program_release", programRelease, []api.ValueType{i32}, nil, "handle")
	_, err := b.Instantiate(ctx)
	return err
}

const (
	i32 = api.ValueTypeI32
	i64 = api.ValueTypeI64
)

// pidNew allocates a container pid for a process inside the guest.
//
//	pid_new() -> pid: i32
func pidNew(ctx context.Context, _ api.Module, stack []uint64) {
	p := mustProcess(ctx)
	p.Check()
	stack[0] = uint64(p.NewPid())
}

// procStart records a process that lives inside the guest: pid (0: the
// host allocates one), its parent ppid and its argv, NUL-terminated
// strings at args. It returns the pid, or a negated errno (EAGAIN: the
// container's process limit is reached; EFAULT: args out of memory).
//
//	proc_start(pid: i32, ppid: i32, args: i32, args_len: i32) -> pid_or_errno: i32
func procStart(ctx context.Context, mod api.Module, stack []uint64) {
	p := mustProcess(ctx)
	p.Check()
	pid, ppid := int(int32(stack[0])), int(int32(stack[1]))
	b, ok := mod.Memory().Read(uint32(stack[2]), uint32(stack[3]))
	if !ok {
		stack[0] = uint64(uint32(-int32(errnoValue(sys.EFAULT))))
		return
	}
	var args []string
	for len(b) > 0 {
		i := bytes.IndexByte(b, 0)
		if i < 0 {
			i = len(b)
		}
		args = append(args, string(b[:i]))
		b = b[min(i+1, len(b)):]
	}
	pid, errno := p.StartChild(pid, ppid, args)
	if errno != 0 {
		stack[0] = uint64(uint32(-int32(errnoValue(errno))))
		return
	}
	stack[0] = uint64(uint32(int32(pid)))
}

// procEnd ends the record proc_start made.
//
//	proc_end(pid: i32)
func procEnd(ctx context.Context, _ api.Module, stack []uint64) {
	p := mustProcess(ctx)
	p.Check()
	p.EndChild(int(int32(stack[0])))
}

// programRun runs the WASI command module described by the JSON
// abi.ProgramRequest at req to completion (the guest waits) and returns a
// handle (> 0) or a negated errno (ENOENT: no such file, ENOEXEC is
// reported as EIO: not a valid module).
//
//	program_run(req: i32, req_len: i32) -> handle_or_errno: i64
func programRun(ctx context.Context, mod api.Module, stack []uint64) {
	p := mustProcess(ctx)
	p.Check()
	req, ok := mod.Memory().Read(uint32(stack[0]), uint32(stack[1]))
	if !ok {
		stack[0] = uint64(-int64(errnoValue(sys.EFAULT)))
		return
	}
	h, errno := p.RunProgram(append([]byte(nil), req...))
	if errno != 0 {
		stack[0] = uint64(-int64(errnoValue(errno)))
		return
	}
	stack[0] = uint64(h)
}

// programResult returns a finished run's exit status (which 0), or copies
// its stdout (1) / stderr (2) from offset into buf and returns the count
// (0 at the end), or a negated errno.
//
//	program_result(handle: i32, which: i32, offset: i32, buf: i32, buf_len: i32) -> n: i64
func programResult(ctx context.Context, mod api.Module, stack []uint64) {
	p := mustProcess(ctx)
	p.Check()
	buf, ok := mod.Memory().Read(uint32(stack[3]), uint32(stack[4]))
	if !ok {
		stack[0] = uint64(-int64(errnoValue(sys.EFAULT)))
		return
	}
	n, errno := p.ProgramResult(int32(stack[0]), int(int32(stack[1])), int(int32(stack[2])), buf)
	if errno != 0 {
		stack[0] = uint64(-int64(errnoValue(errno)))
		return
	}
	stack[0] = uint64(n)
}

// programRelease frees a finished run.
//
//	program_release(handle: i32)
func programRelease(ctx context.Context, _ api.Module, stack []uint64) {
	mustProcess(ctx).ReleaseProgram(int32(stack[0]))
}

// spec copies the process spec (JSON abi.Spec) into buf when it fits and
// returns its length either way; the guest retries with a bigger buffer.
//
//	spec(buf: i32, buf_len: i32) -> len: i32
func spec(ctx context.Context, mod api.Module, stack []uint64) {
	p := mustProcess(ctx)
	s := p.Spec()
	if uint32(len(s)) <= uint32(stack[1]) {
		mod.Memory().Write(uint32(stack[0]), s)
	}
	stack[0] = uint64(len(s))
}

// check ends a killed process and otherwise reports whether caught
// signals are waiting; the guest calls it before every command.
//
//	check() -> pending: i32
func check(ctx context.Context, _ api.Module, stack []uint64) {
	p := mustProcess(ctx)
	p.Check()
	stack[0] = 0
	if p.SignalPending() {
		stack[0] = 1
	}
}

// signalTake moves pending caught signals (one byte each) into buf and
// returns how many it moved, without waiting.
//
//	signal_take(buf: i32, buf_len: i32) -> n: i32
func signalTake(ctx context.Context, mod api.Module, stack []uint64) {
	p := mustProcess(ctx)
	p.Check()
	buf, ok := mod.Memory().Read(uint32(stack[0]), uint32(stack[1]))
	if !ok {
		stack[0] = 0
		return
	}
	stack[0] = uint64(p.TakeSignals(buf))
}

// signalFD tells the host which fd the guest reads signals from, so that
// poll_oneoff can wait for them.
//
//	signal_fd(fd: i32)
func signalFD(ctx context.Context, _ api.Module, stack []uint64) {
	mustProcess(ctx).SetSignalFD(uint32(stack[0]))
}

// stdinFD tells the host which fd is the guest's non-blocking stdin
// (/.sockerless/stdin), so that poll_oneoff can wait for input.
//
//	stdin_fd(fd: i32)
func stdinFD(ctx context.Context, _ api.Module, stack []uint64) {
	mustProcess(ctx).SetStdinFD(uint32(stack[0]))
}

// signalAction sets the disposition of a signal: 0 default, 1 ignore,
// 2 catch (delivered through the signal fd).
//
//	signal_action(sig: i32, action: i32)
func signalAction(ctx context.Context, _ api.Module, stack []uint64) {
	p := mustProcess(ctx)
	p.Check()
	p.SignalAction(int(int32(stack[0])), int(int32(stack[1])))
}

// stat writes the abi.Stat record (abi.StatSize bytes, little endian) of
// an absolute container path to out; follow != 0 follows a final symlink.
//
//	stat(path: i32, path_len: i32, follow: i32, out: i32) -> errno: i32
func stat(ctx context.Context, mod api.Module, stack []uint64) {
	p, path, ok := pathCall(ctx, mod, stack)
	if !ok {
		return
	}
	st, errno := p.Stat(path, stack[2] != 0)
	if errno == 0 {
		buf, ok := mod.Memory().Read(uint32(stack[3]), abi.StatSize)
		if !ok {
			errno = sys.EFAULT
		} else {
			st.Encode(buf)
		}
	}
	stack[0] = uint64(errnoValue(errno))
}

// chmod sets the permission bits (07777) of a container path.
//
//	chmod(path: i32, path_len: i32, mode: i32) -> errno: i32
func chmod(ctx context.Context, mod api.Module, stack []uint64) {
	p, path, ok := pathCall(ctx, mod, stack)
	if !ok {
		return
	}
	stack[0] = uint64(errnoValue(p.Chmod(path, uint32(stack[2])&0o7777)))
}

// chown sets the owner of a container path; -1 leaves an id unchanged.
//
//	chown(path: i32, path_len: i32, uid: i32, gid: i32, follow: i32) -> errno: i32
func chown(ctx context.Context, mod api.Module, stack []uint64) {
	p, path, ok := pathCall(ctx, mod, stack)
	if !ok {
		return
	}
	stack[0] = uint64(errnoValue(p.Chown(path, int(int32(stack[2])), int(int32(stack[3])), stack[4] != 0)))
}

// umask sets the process's file creation mask, which the host applies to
// the entries the guest creates, to mask (0-0o777; -1 leaves it) and
// returns the previous mask, or -errno (EINVAL for another mask).
//
//	umask(mask: i32) -> old_or_neg_errno: i32
func umask(ctx context.Context, _ api.Module, stack []uint64) {
	p := mustProcess(ctx)
	p.Check()
	mask := int32(stack[0])
	old, errno := 0, sys.Errno(0)
	if mask < -1 || mask > 0o777 {
		errno = sys.EINVAL
	} else {
		old, errno = p.Umask(int(mask))
	}
	if errno != 0 {
		old = -int(errnoValue(errno))
	}
	stack[0] = uint64(uint32(int32(old)))
}

// mkfifo makes a named pipe at a container path (a final symlink is not
// followed) with permission bits mode (07777), less the process's umask,
// owned by the process's uid and gid. EEXIST: the name exists; EROFS:
// read-only root; EACCES: no write or search permission on the parent.
//
//	mkfifo(path: i32, path_len: i32, mode: i32) -> errno: i32
func mkfifo(ctx context.Context, mod api.Module, stack []uint64) {
	p, path, ok := pathCall(ctx, mod, stack)
	if !ok {
		return
	}
	stack[0] = uint64(errnoValue(p.Mkfifo(path, uint32(stack[2])&0o7777)))
}

// kill sends signal sig to process pid of the same container.
//
//	kill(pid: i32, sig: i32) -> errno: i32
func kill(ctx context.Context, _ api.Module, stack []uint64) {
	p := mustProcess(ctx)
	p.Check()
	stack[0] = uint64(errnoValue(p.SendSignal(int(int32(stack[0])), int(int32(stack[1])))))
}

// pathCall starts a host function whose first two parameters are a path
// (pointer, length): it ends a killed process, reads the path, and on a bad
// pointer sets the EFAULT result itself and reports false.
func pathCall(ctx context.Context, mod api.Module, stack []uint64) (Process, string, bool) {
	p := mustProcess(ctx)
	p.Check()
	path, ok := readString(mod, stack[0], stack[1])
	if !ok {
		stack[0] = uint64(errnoValue(sys.EFAULT))
	}
	return p, path, ok
}

func mustProcess(ctx context.Context) Process {
	p := fromContext(ctx)
	if p == nil {
		panic("sockerless host function called outside a process run")
	}
	return p
}

func readString(mod api.Module, ptr, n uint64) (string, bool) {
	b, ok := mod.Memory().Read(uint32(ptr), uint32(n))
	return string(b), ok
}

// errnoValue converts to the WASI errno numbering the guest's syscall
// package expects.
func errnoValue(e sys.Errno) uint32 {
	if e == 0 {
		return 0
	}
	return uint32(wasiErrno(e))
}

// pollOneoff implements WASI poll_oneoff. Clock subscriptions sleep; a
// read subscription on the process's signal fd waits for a signal; other
// fd subscriptions are reported ready at once (reads then return data or
// EAGAIN), which is what wazero does too, except while files of the
// process wait (Process.FilesWaiting, FIFO ends): then they are reported
// when one of those is ready. While it waits it also wakes for a kill. The 48-byte subscription and 32-byte event layouts are WASI
// preview 1's.
func pollOneoff(ctx context.Context, mod api.Module, stack []uint64) {
	in, out, nsub, resultNevents := uint32(stack[0]), uint32(stack[1]), uint32(stack[2]), uint32(stack[3])
	if nsub == 0 {
		stack[0] = uint64(errnoValue(sys.EINVAL))
		return
	}
	mem := mod.Memory()
	inBuf, ok := mem.Read(in, nsub*48)
	if !ok {
		stack[0] = uint64(errnoValue(sys.EFAULT))
		return
	}
	outBuf, ok := mem.Read(out, nsub*32)
	if !ok {
		stack[0] = uint64(errnoValue(sys.EFAULT))
		return
	}
	p := fromContext(ctx)
	if p != nil {
		p.Check()
	}
	le := binary.LittleEndian
	var (
		timeout    = time.Duration(-1)
		clockIndex = -1
		sigIndex   = -1
		inIndex    = -1
		ready      []int
		// fd subscriptions the host does not track, while files of the
		// process wait (FIFO ends that returned EAGAIN): they are
		// reported when one of those files is ready.
		fileIndex []int
		waiting   = p != nil && p.FilesWaiting()
	)
	for i := 0; i < int(nsub); i++ {
		s := inBuf[i*48:]
		switch s[8] {
		case 0: // clock
			clockID := le.Uint32(s[16:])
			t := le.Uint64(s[24:])
			flags := le.Uint16(s[40:])
			d := time.Duration(t)
			if flags&1 != 0 { // absolute
				var now int64
				if clockID == 0 {
					now = time.Now().UnixNano()
				} else {
					now = monotonicNow()
				}
				d = time.Duration(int64(t) - now)
			}
			if d < 0 {
				d = 0
			}
			if timeout < 0 || d < timeout {
				timeout, clockIndex = d, i
			}
		case 1, 2: // fd_read, fd_write
			fd := int64(le.Uint32(s[16:]))
			if p != nil && s[8] == 1 && fd == p.SignalFD() {
				sigIndex = i
				if p.SignalPending() {
					ready = append(ready, i)
				}
				continue
			}
			if p != nil && s[8] == 1 && fd == p.StdinFD() {
				inIndex = i
				if p.StdinReady() {
					ready = append(ready, i)
				}
				continue
			}
			if waiting {
				fileIndex = append(fileIndex, i)
				continue
			}
			ready = append(ready, i)
		default:
			stack[0] = uint64(errnoValue(sys.EINVAL))
			return
		}
	}
	if len(ready) == 0 && len(fileIndex) > 0 {
		ready = waitFiles(p, timeout, sigIndex, inIndex, clockIndex, fileIndex)
	} else if len(ready) == 0 && timeout != 0 {
		var wake <-chan struct{}
		if p != nil {
			wake = p.Wake()
		}
		var timer <-chan time.Time
		if timeout > 0 {
			t := time.NewTimer(timeout)
			defer t.Stop()
			timer = t.C
		}
		if timer == nil && wake == nil {
			// Nothing can ever wake this guest: report the clock (if any)
			// rather than hang forever.
			timer = time.After(0)
		}
		if p != nil {
			defer p.Block()()
		}
		select {
		case <-timer:
			if clockIndex >= 0 {
				ready = append(ready, clockIndex)
			}
		case <-wake:
			p.Check()
			if sigIndex >= 0 && p.SignalPending() {
				ready = append(ready, sigIndex)
			}
			if inIndex >= 0 && p.StdinReady() {
				ready = append(ready, inIndex)
			}
		}
	} else if len(ready) == 0 && clockIndex >= 0 {
		ready = append(ready, clockIndex)
	}
	clear(outBuf)
	for n, i := range ready {
		s := inBuf[i*48:]
		e := outBuf[n*32:]
		copy(e[0:8], s[0:8]) // userdata
		e[10] = s[8]         // type
		if s[8] != 0 {
			le.PutUint64(e[16:], 1)
		}
	}
	if !mem.WriteUint32Le(resultNevents, uint32(len(ready))) {
		stack[0] = uint64(errnoValue(sys.EFAULT))
		return
	}
	stack[0] = 0
}

// waitFiles is poll_oneoff's wait when files of the process wait (see
// Process.WaitFiles) and returns the indexes of the ready subscriptions.
func waitFiles(p Process, timeout time.Duration, sigIndex, inIndex, clockIndex int, fileIndex []int) []int {
	var wake <-chan struct{}
	if timeout != 0 {
		wake = p.Wake()
		defer p.Block()()
	}
	fready, woken := p.WaitFiles(wake, timeout)
	var ready []int
	switch {
	case woken:
		p.Check()
		if sigIndex >= 0 && p.SignalPending() {
			ready = append(ready, sigIndex)
		}
		if inIndex >= 0 && p.StdinReady() {
			ready = append(ready, inIndex)
		}
		if !p.FilesWaiting() { // interrupted by a caught signal
			ready = append(ready, fileIndex...)
		}
	case fready:
		ready = append(ready, fileIndex...)
	case clockIndex >= 0:
		ready = append(ready, clockIndex)
	}
	return ready
}

var start = time.Now()

// monotonicNow matches wazero's default monotonic clock closely enough for
// absolute deadlines (Go's wasip1 runtime uses relative ones).
func monotonicNow() int64 { return int64(time.Since(start)) }
