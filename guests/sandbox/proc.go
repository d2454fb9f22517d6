//go:build wasip1

package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"reflect"
	"strings"
	"sync/atomic"
	"syscall"

	"mvdan.cc/sh/v3/interp"
	"mvdan.cc/sh/v3/syntax"

	"github.com/sockerless/sockerless/builtins"
	_ "github.com/sockerless/sockerless/builtins/all"
	"github.com/sockerless/sockerless/wit/abi"
)

// proc is one process of a container: the guest instance's only run.
type proc struct {
	spec *abi.Spec
	sys  *hostSys
	sigs *signals
	jobs *jobs
	// initShell is set once the process's own program (a shell or a
	// builtin) has started: later ones (sh -c inside a script, the
	// commands a shell runs) are new processes with new pids.
	initShell atomic.Bool
}

func newProc(s *abi.Spec) *proc {
	js := newJobs(s.Pid, s.Args)
	return &proc{spec: s, jobs: js, sys: &hostSys{pid: s.Pid, uid: s.Uid, gid: s.Gid, groups: s.Groups, jobs: js}}
}

func (p *proc) main() int {
	interp.StatFile = p.sys.Stat
	interp.IsTerminal = p.isTerminal
	interp.NewPid = func() int { return int(hostPidNew()) }
	interp.BackgroundStarted = p.jobs.startBackground
	interp.CallNeeded = p.callNeeded
	interp.Builtin = p.builtin
	p.sigs = startSignals()
	if len(p.spec.Args) == 0 {
		fmt.Fprintln(os.Stderr, "sandbox: no command specified")
		return 126
	}
	env := &builtins.Env{
		Stdin:   processStdin,
		Stdout:  os.Stdout,
		Stderr:  os.Stderr,
		Dir:     p.spec.Dir,
		Environ: p.spec.Env,
		Sys:     p.sys,
		Exec:    p.execChild,
	}
	return exitOf(p.exec(context.Background(), env, p.spec.Args))
}

// binDirs are the directories whose entries are the Go builtins: /bin/ls
// and /usr/bin/env run the builtin whatever the image holds there.
var binDirs = map[string]bool{
	"/bin": true, "/usr/bin": true, "/sbin": true, "/usr/sbin": true,
	"/usr/local/bin": true, "/usr/local/sbin": true,
}

var shells = map[string]bool{"sh": true, "ash": true, "bash": true, "dash": true}

// exec runs one command the way execve would after a shell's lookup:
// a Go builtin by name or by a bin path, else a file in the root (a
// shell script, a shebang script, a WASI program) — anything else fails
// with the exit status a Linux shell gives (126, 127).
func (p *proc) exec(ctx context.Context, env *builtins.Env, args []string) int {
	name := args[0]
	if !strings.Contains(name, "/") {
		if shells[name] {
			return p.runShell(ctx, env, args)
		}
		if _, ok := builtins.Lookup(name); ok {
			return p.runBuiltin(ctx, env, args)
		}
		file, ok := p.lookPath(env, name)
		if !ok {
			fmt.Fprintf(env.Stderr, "sh: %s: not found%s\n", name, runtimeHint(name))
			return 127
		}
		return p.execFile(ctx, env, file, args)
	}
	file := env.Abs(name)
	if binDirs[path.Dir(file)] {
		base := path.Base(file)
		if shells[base] {
			return p.runShell(ctx, env, args)
		}
		if _, ok := builtins.Lookup(base); ok {
			return p.runBuiltin(ctx, env, args)
		}
	}
	return p.execFile(ctx, env, file, args)
}

// execInPlace are the builtins that exec their command in place (same
// pid), as their Linux versions do.
var execInPlace = map[string]bool{"env": true, "nice": true, "nohup": true}

func (p *proc) runBuiltin(ctx context.Context, env *builtins.Env, args []string) (code int) {
	if execInPlace[path.Base(args[0])] || p.initShell.CompareAndSwap(false, true) {
		// The process's own program, or an exec: no new process.
	} else {
		var end func(int) int
		var err error
		if ctx, end, err = p.startChild(ctx, args); err != nil {
			reportCantFork(env.Stderr, err)
			return codeCantFork
		}
		defer func() { code = end(code) }()
	}
	ctx, done := p.sigs.command(ctx)
	defer done()
	e := *env
	if p.isTerminal(env.Stdin) {
		e.Stdin = terminalReader{env.Stdin}
	}
	if p.isTerminal(env.Stdout) {
		return builtins.Run(ctx, &e, args) // a terminal: unbuffered, as stdio would be
	}
	out := newBufferedOut(env.Stdout)
	e.Stdout = out
	if e.Stdin != nil {
		e.Stdin = flushingReader{r: e.Stdin, out: out}
		if p.isTerminal(env.Stdin) {
			e.Stdin = terminalReader{e.Stdin}
		}
	}
	code = builtins.Run(ctx, &e, args)
	out.Flush()
	return code
}

// codeCantFork is what exec returns when a new process was refused (the
// container's --pids-limit): a shell then exits with 2, as busybox's does
// after "can't fork"; other callers see 2.
const codeCantFork = 1<<8 | 2

func exitOf(code int) int {
	if code == codeCantFork {
		return 2
	}
	return code
}

// execChild is exec for builtins that run commands (xargs, find -exec).
func (p *proc) execChild(ctx context.Context, env *builtins.Env, args []string) int {
	return exitOf(p.exec(ctx, env, args))
}

// reportCantFork says, as busybox's sh does, that a new process was
// refused.
func reportCantFork(w io.Writer, err error) {
	msg := err.Error()
	if errors.Is(err, syscall.EAGAIN) {
		msg = "Resource temporarily unavailable"
	}
	fmt.Fprintf(w, "sh: can't fork: %s\n", msg)
}

// startChild records args as a new process of the container (for ps,
// top and --pids-limit) and returns its context and the function that
// ends it, turning the exit code into 128+signal when it was killed. The
// first command of a background job takes the job's pid (and record), as
// a shell's fork-and-exec gives it.
func (p *proc) startChild(ctx context.Context, args []string) (context.Context, func(int) int, error) {
	if execNow(ctx, args) {
		return ctx, func(code int) int { return code }, nil
	}
	pid, ppid := 0, p.jobs.pidOf(ctx)
	if j := jobOf(ctx); j != nil && j.background && j.execd.CompareAndSwap(false, true) {
		pid, ppid = j.pid, j.ppid
	}
	got, err := hostStartChild(pid, ppid, args)
	if err != nil {
		return ctx, nil, err
	}
	if pid != 0 { // the job's record now shows the command; the job ends it
		return ctx, func(code int) int { return code }, nil
	}
	ctx, killedBy := p.jobs.start(ctx, got)
	return ctx, func(code int) int {
		if sig := killedBy(); sig > 0 {
			code = 128 + sig
		}
		hostProcEnd(int32(got))
		return code
	}, nil
}

func (p *proc) lookPath(env *builtins.Env, name string) (string, bool) {
	pathVar, ok := env.LookupEnv("PATH")
	if !ok {
		pathVar = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
	}
	for _, dir := range strings.Split(pathVar, ":") {
		if dir == "" {
			dir = "."
		}
		file := path.Join(env.Abs(dir), name)
		if fi, err := p.sys.Stat(file); err == nil && fi.Mode().IsRegular() {
			return file, true
		}
	}
	return "", false
}

// execFile runs a file from the container's root.
func (p *proc) execFile(ctx context.Context, env *builtins.Env, file string, args []string) int {
	fi, err := p.sys.Stat(file)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			fmt.Fprintf(env.Stderr, "sh: %s: not found\n", args[0])
			return 127
		}
		fmt.Fprintf(env.Stderr, "sh: %s: %v\n", args[0], errors.Unwrap(err))
		return 126
	}
	if fi.IsDir() {
		fmt.Fprintf(env.Stderr, "sh: %s: Permission denied\n", args[0])
		return 126
	}
	if fi.Mode()&0o111 == 0 {
		fmt.Fprintf(env.Stderr, "sh: %s: Permission denied\n", args[0])
		return 126
	}
	head := make([]byte, 256)
	f, err := os.Open(file)
	if err != nil {
		fmt.Fprintf(env.Stderr, "sh: %s: %v\n", args[0], errors.Unwrap(err))
		return 126
	}
	n, _ := io.ReadFull(f, head)
	f.Close()
	head = head[:n]
	switch {
	case bytes.HasPrefix(head, []byte("#!")):
		line, _, _ := bytes.Cut(head[2:], []byte("\n"))
		fields := strings.Fields(string(line))
		if len(fields) == 0 {
			return p.runShell(ctx, env, append([]string{"sh", file}, args[1:]...))
		}
		interpArgs := []string{fields[0]}
		if len(fields) > 1 {
			interpArgs = append(interpArgs, strings.Join(fields[1:], " "))
		}
		if path.Base(fields[0]) == "env" && len(interpArgs) > 1 {
			interpArgs = strings.Fields(interpArgs[1])
		}
		argv := append(append(interpArgs, file), args[1:]...)
		if interpArgs[0] == file {
			fmt.Fprintf(env.Stderr, "sh: %s: bad interpreter\n", args[0])
			return 126
		}
		return p.exec(ctx, env, argv)
	case bytes.HasPrefix(head, []byte("\x7fELF")):
		fmt.Fprintf(env.Stderr, "sh: %s: exec format error: %s is a Linux program and cannot run in the sandbox; "+
			"route this container to a backend (docker run --label io.sockerless.backend=<name>, or start the daemon with --escape-backend=<name>)\n",
			args[0], file)
		return 126
	case bytes.HasPrefix(head, []byte("\x00asm")):
		return p.runProgram(env, file, args)
	}
	// No magic number: POSIX shells run it as a shell script.
	return p.runShell(ctx, env, append([]string{"sh", file}, args[1:]...))
}

// shellQuote quotes s for reuse as shell input.
func shellQuote(s string) string {
	q, err := syntax.Quote(s, syntax.LangBash)
	if err != nil {
		return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
	}
	return q
}

// languageRuntimes are programs images usually ship as Linux binaries and
// the sandbox cannot provide.
var languageRuntimes = map[string]bool{
	"node": true, "nodejs": true, "npm": true, "npx": true, "python": true, "python3": true, "pip": true,
	"pip3": true, "ruby": true, "java": true, "go": true, "perl": true, "php": true, "dotnet": true, "deno": true, "bun": true,
}

// runtimeHint explains a missing language runtime.
func runtimeHint(name string) string {
	if !languageRuntimes[name] {
		return ""
	}
	return " (the sockerless sandbox runs sh and Go builtins only; a " + name +
		" program, such as a JavaScript action, needs a container on a backend: " +
		"--label io.sockerless.backend=<name> or the daemon's --escape-backend)"
}

// isTerminal reports whether f is (or wraps) one of the process's own
// stdio streams while the process runs with a TTY.
func (p *proc) isTerminal(f any) bool {
	if !p.spec.Tty {
		return false
	}
	for i := 0; i < 4 && f != nil; i++ {
		switch f {
		case processStdin, any(os.Stdout), any(os.Stderr):
			return true
		}
		// interp wraps its stdin in a struct embedding the reader.
		v := reflect.ValueOf(f)
		if v.Kind() == reflect.Pointer {
			v = v.Elem()
		}
		if v.Kind() != reflect.Struct {
			return false
		}
		fv := v.FieldByName("Reader")
		if !fv.IsValid() || !fv.CanInterface() {
			return false
		}
		f = fv.Interface()
	}
	return false
}

// terminalReader marks stdin as a terminal for builtins (tty).
type terminalReader struct{ io.Reader }

func (terminalReader) IsTerminal() bool { return true }

// terminalWriter marks stdout or stderr as a terminal for test -t.
type terminalWriter struct{ io.Writer }

func (terminalWriter) IsTerminal() bool { return true }
