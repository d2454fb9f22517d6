//go:build wasip1

package main

import (
	"context"
	"io"
	"os"
	"strconv"
	"strings"
	"sync"
	"unsafe"

	"github.com/sockerless/sockerless/wit/abi"
)

// signalNames maps Linux signal numbers to names (without SIG).
var signalNames = map[int]string{
	1: "HUP", 2: "INT", 3: "QUIT", 6: "ABRT", 9: "KILL", 10: "USR1", 12: "USR2", 13: "PIPE",
	14: "ALRM", 15: "TERM", 17: "CHLD", 18: "CONT", 19: "STOP", 20: "TSTP", 28: "WINCH",
}

func signalNumber(s string) (int, bool) {
	if n, err := strconv.Atoi(s); err == nil {
		_, ok := signalNames[n]
		return n, ok
	}
	s = strings.TrimPrefix(strings.ToUpper(s), "SIG")
	for n, name := range signalNames {
		if name == s {
			return n, true
		}
	}
	return 0, false
}

// signals receives the signals the host delivers to this process and
// turns them into shell trap runs and cancelled foreground commands.
type signals struct {
	readerOnce sync.Once
	mu         sync.Mutex
	traps      map[int]string // trap code by signal; "" means ignore
	pending    []int
	running    map[*context.CancelFunc]struct{} // commands a signal interrupts
	// onSignal, if set, is called for every delivered signal (the
	// interactive shell uses it for ^C).
	onSignal func(sig int)
}

func startSignals() *signals {
	return &signals{traps: map[int]string{}, running: map[*context.CancelFunc]struct{}{}}
}

// startReader opens the signal file and starts the goroutine that reads
// it, the first time the guest asks to catch a signal: until then the host
// handles every signal itself and the guest need not wake for any.
func (s *signals) startReader() {
	s.readerOnce.Do(s.openReader)
}

func (s *signals) openReader() {
	f, err := os.Open(abi.SignalPath)
	if err != nil {
		return // no signal support from this host: traps never fire
	}
	// Not f.Fd(): that would switch the file to blocking mode, and a
	// blocking read would freeze every goroutine of the guest.
	rc, err := f.SyscallConn()
	if err != nil {
		return
	}
	rc.Control(func(fd uintptr) { hostSignalFD(int32(fd)) })
	go func() {
		buf := make([]byte, 16)
		for {
			n, err := f.Read(buf)
			if err != nil {
				return
			}
			for _, b := range buf[:n] {
				s.deliver(int(b))
			}
		}
	}()
}

// poll delivers the signals the host holds without waiting for the
// reader goroutine (which only runs when the guest blocks).
func (s *signals) poll() {
	var buf [16]byte
	for {
		n := hostSignalTake(unsafe.Pointer(&buf[0]), uint32(len(buf)))
		for _, b := range buf[:n] {
			s.deliver(int(b))
		}
		if n < uint32(len(buf)) {
			return
		}
	}
}

func (s *signals) deliver(sig int) {
	s.mu.Lock()
	if _, ok := s.traps[sig]; ok && s.traps[sig] != "" {
		s.pending = append(s.pending, sig)
	}
	for c := range s.running {
		(*c)()
	}
	cb := s.onSignal
	s.mu.Unlock()
	if cb != nil {
		cb(sig)
	}
}

// command returns a context for one command that a delivered signal
// cancels, and the function to call when the command is done.
func (s *signals) command(ctx context.Context) (context.Context, func()) {
	ctx, cancel := context.WithCancel(ctx)
	s.mu.Lock()
	s.running[&cancel] = struct{}{}
	s.mu.Unlock()
	return ctx, func() {
		s.mu.Lock()
		delete(s.running, &cancel)
		s.mu.Unlock()
		cancel()
	}
}

// hasPending reports whether caught signals wait for their traps.
func (s *signals) hasPending() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.pending) > 0
}

// takePending returns the trap code of the oldest pending signal.
func (s *signals) takePending() (string, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for len(s.pending) > 0 {
		sig := s.pending[0]
		s.pending = s.pending[1:]
		if code := s.traps[sig]; code != "" {
			return code, true
		}
	}
	return "", false
}

// set records a trap; code "-" restores the default, "" ignores.
func (s *signals) set(sig int, code string) {
	s.startReader()
	s.mu.Lock()
	defer s.mu.Unlock()
	switch code {
	case "-":
		delete(s.traps, sig)
		hostSignalAction(int32(sig), abi.SigDefault)
	case "":
		s.traps[sig] = ""
		hostSignalAction(int32(sig), abi.SigIgnore)
	default:
		s.traps[sig] = code
		hostSignalAction(int32(sig), abi.SigCatch)
	}
}

// catch makes the host deliver sig without a shell trap (used by the
// interactive shell for SIGINT).
func (s *signals) catch(sig int) {
	s.startReader()
	hostSignalAction(int32(sig), abi.SigNotify)
}

// list prints the signal traps the way `trap` without arguments does.
func (s *signals) list() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for sig, code := range s.traps {
		out = append(out, "trap -- "+shellQuote(code)+" "+signalNames[sig])
	}
	return out
}

// interceptTrap handles the signal part of a `trap` command and returns
// the arguments interp still has to see (EXIT and ERR), or nil when
// nothing is left for it.
func (s *signals) interceptTrap(args []string) (rest []string, out []string, errMsg string) {
	a := args[1:]
	if len(a) > 0 && a[0] == "--" {
		a = a[1:]
	}
	if len(a) == 0 || a[0] == "-p" || a[0] == "-l" {
		if len(a) > 0 && a[0] == "-l" {
			return nil, []string{"HUP INT QUIT ABRT KILL USR1 USR2 PIPE ALRM TERM CHLD CONT STOP TSTP WINCH"}, ""
		}
		return args, s.list(), ""
	}
	var action string
	sigs := a
	if _, isSig := signalNumber(a[0]); !isSig || len(a) > 1 {
		if a[0] != "EXIT" && a[0] != "0" && a[0] != "ERR" || len(a) > 1 {
			action, sigs = a[0], a[1:]
		}
	}
	if len(sigs) == 0 {
		return args, nil, ""
	}
	if len(a) == 1 {
		action = "-"
	}
	keep := []string{}
	for _, name := range sigs {
		switch strings.ToUpper(strings.TrimPrefix(name, "SIG")) {
		case "EXIT", "0", "ERR", "DEBUG", "RETURN":
			keep = append(keep, name)
			continue
		}
		n, ok := signalNumber(name)
		if !ok {
			return nil, nil, "trap: " + name + ": invalid signal specification"
		}
		s.set(n, action)
	}
	if len(keep) == 0 {
		return nil, nil, ""
	}
	return append([]string{"trap", action}, keep...), nil, ""
}

// processStdin is the process's stdin as the guest uses it: the host's
// non-blocking stdin file, opened on first read (most processes never read
// stdin), so that waiting for input parks only the reading goroutine (WASI
// fd 0 is a blocking host call that would freeze the whole guest).
var processStdin io.Reader = &lazyStdin{}

type lazyStdin struct {
	once sync.Once
	r    io.Reader
}

func (l *lazyStdin) Read(p []byte) (int, error) {
	l.once.Do(func() {
		l.r = os.Stdin
		f, err := os.Open(abi.StdinPath)
		if err != nil {
			return
		}
		rc, err := f.SyscallConn()
		if err != nil {
			f.Close()
			return
		}
		rc.Control(func(fd uintptr) { hostStdinFD(int32(fd)) })
		l.r = f
	})
	return l.r.Read(p)
}
