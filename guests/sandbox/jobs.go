//go:build wasip1

package main

import (
	"context"
	"os"
	"sync"
	"sync/atomic"
)

// jobs are the processes that live inside this guest instance: nested
// shells (sh -c inside a script) and background jobs (cmd &). Each has its
// own pid, so $$, $! and kill work as on Linux: a signal ends the job
// (default actions only; traps belong to the instance's main shell) and
// its status is 128+signal.
type jobs struct {
	mu   sync.Mutex
	byID map[int]*job
	root int      // the instance's own pid
	args []string // its command line: what a forked job shows until it execs
}

type job struct {
	cancel context.CancelFunc
	sig    int
	// background jobs of a non-interactive shell ignore SIGINT and
	// SIGQUIT, as POSIX asks.
	background bool
}

func newJobs(root int, args []string) *jobs {
	return &jobs{byID: map[int]*job{}, root: root, args: args}
}

// jobCtx is the innermost job a context runs in.
type jobCtx struct {
	pid, ppid  int
	background bool
	// execd is set once a background job ran its first command, which
	// took the job's pid (a shell forks the job and execs the command).
	execd atomic.Bool
}

type jobKey struct{}

func jobOf(ctx context.Context) *jobCtx {
	j, _ := ctx.Value(jobKey{}).(*jobCtx)
	return j
}

// pidOf is the pid of the process a context runs in: its innermost job,
// else the instance.
func (js *jobs) pidOf(ctx context.Context) int {
	if j := jobOf(ctx); j != nil {
		return j.pid
	}
	return js.root
}

// start registers pid and returns the job's context and the function that
// unregisters it and reports the signal that killed it (0 if none).
func (js *jobs) start(ctx context.Context, pid int) (context.Context, func() int) {
	ctx, end, _ := js.startJob(ctx, pid, false)
	return ctx, end
}

// startBackground is start for `cmd &`. When the container refuses the
// job a process (--pids-limit), it says so and fails (cantFork): the
// shell ends with 2, as busybox's does when fork fails.
func (js *jobs) startBackground(ctx context.Context, pid int) (context.Context, func() int, error) {
	return js.startJob(ctx, pid, true)
}

func (js *jobs) startJob(ctx context.Context, pid int, background bool) (context.Context, func() int, error) {
	if pid == 0 {
		return ctx, func() int { return 0 }, nil
	}
	ppid := js.pidOf(ctx)
	registered := false
	if background {
		// A background job is a process from the moment the shell forks
		// it, before its goroutine runs anything: it counts against the
		// container's --pids-limit and shows in ps and top.
		if _, err := hostStartChild(pid, ppid, js.args); err != nil {
			reportCantFork(os.Stderr, err)
			return ctx, func() int { return 0 }, cantFork{}
		}
		registered = true
	}
	ctx = context.WithValue(ctx, jobKey{}, &jobCtx{pid: pid, ppid: ppid, background: background})
	ctx, cancel := context.WithCancel(ctx)
	j := &job{cancel: cancel, background: background}
	js.mu.Lock()
	js.byID[pid] = j
	js.mu.Unlock()
	return ctx, func() int {
		js.mu.Lock()
		delete(js.byID, pid)
		sig := j.sig
		js.mu.Unlock()
		cancel()
		if registered {
			hostProcEnd(int32(pid))
		}
		return sig
	}, nil
}

// signal delivers sig to an in-guest job. It reports false when pid is not
// one of them.
func (js *jobs) signal(pid, sig int) bool {
	js.mu.Lock()
	defer js.mu.Unlock()
	j, ok := js.byID[pid]
	if !ok {
		return false
	}
	switch sig {
	case 0, 17, 18, 19, 20, 23, 28: // probe, CHLD, CONT, STOP, TSTP, URG, WINCH
		return true
	case 2, 3: // INT, QUIT
		if j.background {
			return true
		}
	}
	if j.sig == 0 {
		j.sig = sig
	}
	j.cancel()
	return true
}
