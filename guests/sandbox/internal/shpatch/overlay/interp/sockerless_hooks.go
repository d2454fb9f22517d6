//go:build ignore

package interp

import (
	"context"
	cryptorand "crypto/rand"
	"io"
	mathrand "math/rand/v2"
	"os"
	"strconv"
	"strings"
	"sync"
)

// Hooks set by the sockerless sandbox guest (this file is written into
// mvdan.cc/sh/v3/interp by guests/sandbox/internal/shpatch).
var (
	// NewPid allocates the pid of a background job (0: none).
	NewPid = func() int { return 0 }
	// BackgroundStarted gives a background job its context; the returned
	// function is called when the job ends and returns the signal that
	// killed it, or 0. An error means the job could not have a process:
	// it does not run, and the shell ends with that error (a fatal one).
	BackgroundStarted = func(ctx context.Context, pid int) (context.Context, func() int, error) {
		return ctx, func() int { return 0 }, nil
	}
	// StatFile stats files for PATH lookups.
	StatFile = os.Stat
	// IsTerminal, if set, answers test -t for the shell's stdin, stdout
	// or stderr (which may wrap the guest's stdio).
	IsTerminal func(f any) bool
	// CallNeeded, if set, says whether the runner's call handler must
	// see a command; a runner skips its handler (and the handler
	// context it would build) when this reports false.
	CallNeeded func(args []string) bool
	// Builtin, if set, runs the builtins the guest implements instead of
	// interp: printf, test and [ (that fastTest does not answer), and
	// those interp lacks (umask). args[0] is the name ("test" for [,
	// whose "]" is gone); sio is the shell's current directory and
	// streams. It reports false for a name it does not implement.
	Builtin func(ctx context.Context, sio BuiltinIO, args []string) (code uint8, ok bool)
)

// BuiltinIO is what a builtin run through the Builtin hook sees of the
// shell: its working directory and standard streams (Stdin may be nil).
type BuiltinIO struct {
	Dir            string
	Stdin          io.Reader
	Stdout, Stderr io.Writer
}

// processRand is the generator behind an unseeded $RANDOM, seeded from
// the system (crypto/rand) at its first use in this process, and shared
// by its shells (background jobs run concurrently).
var processRand struct {
	sync.Mutex
	r *mathrand.Rand
}

func randomIntN(n int) int {
	processRand.Lock()
	defer processRand.Unlock()
	if processRand.r == nil {
		var seed [32]byte
		cryptorand.Read(seed[:])
		processRand.r = mathrand.New(mathrand.NewChaCha8(seed))
	}
	return processRand.r.IntN(n)
}

func (r *Runner) pid() int {
	if r.Pid != 0 {
		return r.Pid
	}
	return os.Getpid()
}

func (r *Runner) bgPid(n int) string {
	if p := r.bgProcs[n-1].pid; p != 0 {
		return strconv.Itoa(p)
	}
	return "g" + strconv.Itoa(n)
}

func (r *Runner) findBg(arg string) (bgProc, bool) {
	for i, bg := range r.bgProcs {
		if (bg.pid != 0 && strconv.Itoa(bg.pid) == arg) || "g"+strconv.Itoa(i+1) == arg {
			return bg, true
		}
	}
	return bgProc{}, false
}

// positional reports the index in Params of a positional parameter
// named by two or more digits (${10} is Params[9]).
func positional(name string) (int, bool) {
	if len(name) < 2 {
		return 0, false
	}
	n := 0
	for i := 0; i < len(name); i++ {
		c := name[i]
		if c < '0' || c > '9' || n > 1<<24 {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n - 1, n > 0
}

// arithmError reports whether msg is an error of arithmetic evaluation
// (expand.Arithm's), which FatalArithm makes fatal.
func arithmError(msg string) bool {
	return msg == "division by zero" || msg == "exponent less than 0" ||
		strings.HasPrefix(msg, "unsupported unary arithmetic operator") ||
		strings.HasPrefix(msg, "unsupported binary arithmetic operator")
}

// hostBuiltin runs builtin name through the Builtin hook, if it has it.
func (r *Runner) hostBuiltin(ctx context.Context, name string, args []string) (exitStatus, bool) {
	if Builtin == nil {
		return exitStatus{}, false
	}
	sio := BuiltinIO{Dir: r.Dir, Stdout: r.stdout, Stderr: r.stderr}
	if r.stdin != nil {
		sio.Stdin = r.stdin
	}
	code, ok := Builtin(ctx, sio, append([]string{name}, args...))
	return exitStatus{code: code}, ok
}
