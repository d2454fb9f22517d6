//go:build wasip1

package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"strconv"
	"strings"
	"sync/atomic"

	"mvdan.cc/sh/v3/expand"
	"mvdan.cc/sh/v3/interp"
	"mvdan.cc/sh/v3/syntax"

	"github.com/sockerless/sockerless/builtins"
)

// statusMarker is appended to scripts that set signal traps, so a signal
// that arrives during the last command still runs its trap (the call
// handler sees it) before the EXIT trap; it exits with its argument.
const statusMarker = "__sockerless_status"

// bashVersionStmt sets $BASH_VERSION (not exported) when the shell runs as bash.
var bashVersionStmt = func() *syntax.Stmt {
	f, err := syntax.NewParser().Parse(strings.NewReader("BASH_VERSION='5.2.15(1)-release'"), "")
	if err != nil {
		panic(err)
	}
	return f.Stmts[0]
}()

// shellOpts is the parsed command line of sh/ash/bash.
type shellOpts struct {
	set         []string // options for interp.Params, e.g. "-e"
	command     string   // -c
	hasCommand  bool
	stdin       bool // -s or no script operand
	interactive bool
	name        string // $0
	params      []string
}

func parseShellArgs(args []string) (*shellOpts, error) {
	o := &shellOpts{name: args[0]}
	a := args[1:]
	for len(a) > 0 {
		arg := a[0]
		if arg == "--" || arg == "-" {
			a = a[1:]
			break
		}
		if len(arg) < 2 || (arg[0] != '-' && arg[0] != '+') {
			break
		}
		if strings.HasPrefix(arg, "--") {
			switch arg {
			case "--login", "--noprofile", "--norc", "--posix":
			default:
				return nil, fmt.Errorf("%s: invalid option", arg)
			}
			a = a[1:]
			continue
		}
		a = a[1:]
		for _, c := range arg[1:] {
			switch c {
			case 'c':
				o.hasCommand = true
			case 's':
				o.stdin = true
			case 'i':
				o.interactive = arg[0] == '-'
			case 'l':
			case 'o':
				if len(a) == 0 {
					return nil, fmt.Errorf("-o: option requires an argument")
				}
				o.set = append(o.set, string(arg[0])+"o", a[0])
				a = a[1:]
			case 'e', 'u', 'x', 'f', 'n', 'a', 'v':
				if c == 'v' {
					continue // not supported by interp; accepted like -l
				}
				o.set = append(o.set, string(arg[0])+string(c))
			default:
				return nil, fmt.Errorf("-%c: invalid option", c)
			}
		}
	}
	if o.hasCommand {
		if len(a) == 0 {
			return nil, fmt.Errorf("-c: option requires an argument")
		}
		o.command, a = a[0], a[1:]
		if len(a) > 0 {
			o.name, a = a[0], a[1:]
		}
		o.params = a
		return o, nil
	}
	if !o.stdin && len(a) > 0 {
		o.name, o.params = a[0], a[1:]
		return o, nil
	}
	o.stdin = true
	o.params = a
	return o, nil
}

// runShell runs sh/ash/bash in this instance: a new interpreter that
// shares the process's file system, stdio and signal handling.
func (p *proc) runShell(ctx context.Context, env *builtins.Env, args []string) (code int) {
	o, err := parseShellArgs(args)
	if err != nil {
		fmt.Fprintf(env.Stderr, "%s: %v\n", path.Base(args[0]), err)
		return 2
	}
	var src io.Reader
	switch {
	case o.hasCommand:
		src = strings.NewReader(o.command)
	case !o.stdin:
		f, err := os.Open(env.Abs(o.name))
		if err != nil {
			fmt.Fprintf(env.Stderr, "%s: can't open '%s': %v\n", path.Base(args[0]), o.name, errors.Unwrap(err))
			return 2
		}
		defer f.Close()
		src = f
	}
	r, err := p.newRunner(env, o)
	if err != nil {
		fmt.Fprintf(env.Stderr, "%s: %v\n", path.Base(args[0]), err)
		return 2
	}
	if p.initShell.CompareAndSwap(false, true) {
		r.Pid = p.spec.Pid
	} else {
		// A nested shell (sh -c inside a script) is a process of its own.
		var end func(int) int
		if ctx, end, err = p.startChild(ctx, args); err != nil {
			reportCantFork(env.Stderr, err)
			return codeCantFork
		}
		r.Pid = p.jobs.pidOf(ctx)
		defer func() { code = end(code) }()
	}
	r.FatalArithm = true
	if path.Base(args[0]) == "bash" {
		// Scripts test ${BASH_VERSION:+bash}; interp implements bash's syntax.
		r.Run(ctx, bashVersionStmt)
	}
	if src == nil {
		interactive := o.interactive || (p.spec.Tty && isTerminal(env.Stdin))
		// ash ends a script at an arithmetic error; at a prompt it
		// abandons the line.
		r.FatalArithm = !interactive
		return p.runStream(ctx, r, env, interactive)
	}
	text, err := io.ReadAll(src)
	if err != nil {
		fmt.Fprintf(env.Stderr, "%s: %v\n", path.Base(args[0]), err)
		return 2
	}
	file, err := syntax.NewParser(syntax.Variant(syntax.LangBash)).Parse(strings.NewReader(string(text)), o.name)
	if err != nil {
		fmt.Fprintf(env.Stderr, "%s: %v\n", path.Base(args[0]), err)
		return 2
	}
	if strings.Contains(string(text), "trap") {
		file.Stmts = append(file.Stmts, markerStmt())
	} else if o.hasCommand {
		ppid := 0
		if j := jobOf(ctx); j != nil && j.pid == r.Pid {
			ppid = j.ppid
		}
		ctx = withExecLast(ctx, file, r.Pid, ppid)
	}
	return exitCode(r.Run(ctx, file))
}

func markerStmt() *syntax.Stmt {
	w := func(parts ...syntax.WordPart) *syntax.Word { return &syntax.Word{Parts: parts} }
	return &syntax.Stmt{Cmd: &syntax.CallExpr{Args: []*syntax.Word{
		w(&syntax.Lit{Value: statusMarker}),
		w(&syntax.ParamExp{Short: true, Param: &syntax.Lit{Value: "?"}}),
	}}}
}

// cantFork ends a shell whose command could not get a process; the
// message is already printed.
type cantFork struct{}

func (cantFork) Error() string { return "can't fork" }

func exitCode(err error) int {
	if err == nil {
		return 0
	}
	if errors.As(err, new(cantFork)) {
		return 2
	}
	if st, ok := interp.IsExitStatus(err); ok {
		return int(st)
	}
	if errors.Is(err, context.Canceled) {
		return 1 // killed: the caller reports the signal
	}
	fmt.Fprintln(os.Stderr, err)
	return 1
}

func (p *proc) newRunner(env *builtins.Env, o *shellOpts) (*interp.Runner, error) {
	params := append(append([]string{}, o.set...), "--")
	params = append(params, o.params...)
	return interp.New(
		interp.StdIO(env.Stdin, env.Stdout, env.Stderr),
		interp.Env(expand.ListEnviron(env.Environ...)),
		interp.Dir(env.Dir),
		interp.Params(params...),
		interp.CallHandler(p.callHandler),
		interp.ExecHandlers(p.execHandler),
		interp.OpenHandler(p.openHandler),
		interp.StatHandler(p.statHandler),
		interp.AccessHandler(p.accessHandler),
	)
}

// callNeeded runs before every simple command: it lets the host stop a
// busy guest (sockerless.check ends a killed process) and says whether
// callHandler has work to do; when it has none, the interpreter skips it
// and the handler context it would build.
func (p *proc) callNeeded(args []string) bool {
	return hostCheck() != 0 || args[0] == "kill" || args[0] == "trap" || p.sigs.hasPending()
}

// callHandler delivers caught signals, runs pending signal traps, and
// takes over `kill` and `trap` for signals (interp itself only knows EXIT
// and ERR).
func (p *proc) callHandler(ctx context.Context, args []string) ([]string, error) {
	if hostCheck() != 0 {
		p.sigs.poll()
	}
	switch args[0] {
	case "kill":
		// interp's kill needs OS processes; ours signals container processes.
		args = append([]string{"/bin/kill"}, args[1:]...)
	case "trap":
		hc := interp.HandlerCtx(ctx)
		rest, out, errMsg := p.sigs.interceptTrap(args)
		for _, l := range out {
			fmt.Fprintln(hc.Stdout, l)
		}
		if errMsg != "" {
			fmt.Fprintln(hc.Stderr, errMsg)
			return []string{"false"}, nil
		}
		if rest == nil {
			args = []string{"true"}
		} else {
			args = rest
		}
	}
	if code, ok := p.sigs.takePending(); ok {
		quoted := make([]string, len(args))
		for i, a := range args {
			quoted[i] = shellQuote(a)
		}
		return []string{"eval", code + "\n" + strings.Join(quoted, " ")}, nil
	}
	return args, nil
}

// builtin runs the shell builtins the guest implements instead of interp:
// printf (builtins/text printf, as busybox ash's is its printf applet),
// test and [ (builtins/system test: busybox's results and messages) and
// umask, on the shell's current directory and stdio.
func (p *proc) builtin(ctx context.Context, sio interp.BuiltinIO, args []string) (uint8, bool) {
	switch args[0] {
	case "printf":
		env := &builtins.Env{Stdin: strings.NewReader(""), Stdout: sio.Stdout, Stderr: sio.Stderr, Sys: p.sys}
		return uint8(builtins.Run(ctx, env, args)), true
	case "test":
		env := &builtins.Env{Stdin: sio.Stdin, Stdout: sio.Stdout, Stderr: sio.Stderr, Dir: sio.Dir, Sys: p.sys}
		// test -t N asks the stream whether it is a terminal.
		if env.Stdin == nil {
			env.Stdin = strings.NewReader("")
		} else if p.isTerminal(env.Stdin) {
			env.Stdin = terminalReader{env.Stdin}
		}
		if p.isTerminal(env.Stdout) {
			env.Stdout = terminalWriter{env.Stdout}
		}
		if p.isTerminal(env.Stderr) {
			env.Stderr = terminalWriter{env.Stderr}
		}
		return uint8(builtins.Run(ctx, env, args)), true
	case "umask":
		return p.umask(sio.Stdout, sio.Stderr, args[1:]), true
	}
	return 0, false
}

func (p *proc) execHandler(next interp.ExecHandlerFunc) interp.ExecHandlerFunc {
	return func(ctx context.Context, args []string) error {
		hc := interp.HandlerCtx(ctx)
		if args[0] == statusMarker {
			n, _ := strconv.Atoi(args[len(args)-1])
			return statusErr(n)
		}
		env := &builtins.Env{
			Stdin:   hc.Stdin,
			Stdout:  hc.Stdout,
			Stderr:  hc.Stderr,
			Dir:     hc.Dir,
			Environ: exported(hc.Env),
			Sys:     p.sys,
			Exec:    p.execChild,
		}
		if env.Stdin == nil {
			env.Stdin = strings.NewReader("")
		}
		code := p.exec(markExecNow(ctx, hc), env, args)
		if code == codeCantFork {
			return cantFork{} // fatal: the shell exits with 2
		}
		return statusErr(code)
	}
}

func statusErr(n int) error {
	if n == 0 {
		return nil
	}
	return interp.ExitStatus(uint8(n))
}

func exported(e expand.Environ) []string {
	var out []string
	for name, vr := range e.Each {
		if vr.Exported && vr.IsSet() {
			out = append(out, name+"="+vr.String())
		}
	}
	return out
}

type nopCloser struct {
	io.Reader
	io.Writer
}

func (nopCloser) Close() error { return nil }

type discard struct{}

func (discard) Read([]byte) (int, error)    { return 0, io.EOF }
func (discard) Write(b []byte) (int, error) { return len(b), nil }
func (discard) Close() error                { return nil }

// openHandler maps /dev/std* and /dev/fd/N onto the command's current
// stdio (which may be an in-guest pipe the host never sees).
func (p *proc) openHandler(ctx context.Context, name string, flag int, perm os.FileMode) (io.ReadWriteCloser, error) {
	hc := interp.HandlerCtx(ctx)
	switch builtins.StdStream(name) {
	case 0:
		return nopCloser{Reader: hc.Stdin}, nil
	case 1:
		return nopCloser{Writer: hc.Stdout}, nil
	case 2:
		return nopCloser{Writer: hc.Stderr}, nil
	}
	switch name {
	case "/dev/null":
		return discard{}, nil
	case "/dev/tty":
		if p.spec.Tty {
			return nopCloser{Reader: processStdin, Writer: os.Stdout}, nil
		}
	}
	if name != "" && !path.IsAbs(name) {
		name = path.Join(hc.Dir, name)
	}
	f, err := os.OpenFile(name, flag, perm)
	if err != nil {
		return nil, err
	}
	return f, nil
}

func (p *proc) statHandler(ctx context.Context, name string, follow bool) (fs.FileInfo, error) {
	if !path.IsAbs(name) {
		name = path.Join(interp.HandlerCtx(ctx).Dir, name)
	}
	if follow {
		return p.sys.Stat(name)
	}
	return p.sys.Lstat(name)
}

// accessHandler implements access(2) with the container's ids: root may
// read and write anything and execute what has any x bit.
func (p *proc) accessHandler(ctx context.Context, name string, mode interp.AccessMode) error {
	fi, err := p.statHandler(ctx, name, true)
	if err != nil {
		return err
	}
	m := fi.Mode()
	if p.sys.uid == 0 {
		if mode&interp.AccessExec != 0 && m&0o111 == 0 && !m.IsDir() {
			return fs.ErrPermission
		}
		return nil
	}
	shift := 0
	if st, ok := fi.Sys().(*builtins.StatT); ok {
		switch {
		case int(st.Uid) == p.sys.uid:
			shift = 6
		case int(st.Gid) == p.sys.gid:
			shift = 3
		}
	}
	bits := (uint32(m.Perm()) >> shift) & 7
	if mode&interp.AccessRead != 0 && bits&4 == 0 ||
		mode&interp.AccessWrite != 0 && bits&2 == 0 ||
		mode&interp.AccessExec != 0 && bits&1 == 0 {
		return fs.ErrPermission
	}
	return nil
}

// runStream reads and runs statements from stdin as they arrive; with a
// terminal it prints prompts and ^C interrupts the running line.
func (p *proc) runStream(ctx context.Context, r *interp.Runner, env *builtins.Env, interactive bool) int {
	parser := syntax.NewParser(syntax.Variant(syntax.LangBash))
	var lineCancel context.CancelFunc = func() {}
	if interactive {
		p.sigs.catch(2)
		p.sigs.onSignal = func(sig int) {
			if sig == 2 {
				lineCancel()
			}
		}
	}
	prompt := func() {
		if !interactive {
			return
		}
		ps := "$ "
		if p.sys.uid == 0 {
			ps = "# "
		}
		dir := r.Dir
		fmt.Fprint(env.Stderr, dir+" "+ps)
	}
	prompt()
	var status int
	in := bufio.NewReader(&finalNewline{r: env.Stdin})
	err := parser.Interactive(in, func(stmts []*syntax.Stmt) bool {
		if parser.Incomplete() {
			if interactive {
				fmt.Fprint(env.Stderr, "> ")
			}
			return true
		}
		for _, st := range stmts {
			lctx, cancel := context.WithCancel(ctx)
			var interrupted atomic.Bool
			lineCancel = func() { interrupted.Store(true); cancel() }
			err := r.Run(lctx, st)
			cancel()
			if r.Exited() {
				status = exitCode(err)
				return false
			}
			if interrupted.Load() && interactive {
				fmt.Fprintln(env.Stderr)
				status = 130
				continue
			}
			status = exitCode(err)
		}
		prompt()
		return true
	})
	if err != nil && !r.Exited() {
		fmt.Fprintf(env.Stderr, "sh: %v\n", err)
		if !interactive {
			return 2
		}
	}
	if interactive && !r.Exited() {
		fmt.Fprintln(env.Stderr, "exit")
	}
	return status
}

// isTerminal reports whether r is the process's stdin and the host runs it
// with a TTY.
func isTerminal(r io.Reader) bool {
	return r == processStdin
}

func flushStdio() {}

// finalNewline adds a newline at the end of input that lacks one, so the
// last line of a script piped to `sh` runs (`printf 'echo hi' | sh`).
type finalNewline struct {
	r            io.Reader
	last         byte
	seen, eof    bool
	needsNewline bool
}

func (f *finalNewline) Read(p []byte) (int, error) {
	if f.eof {
		if f.needsNewline && len(p) > 0 {
			f.needsNewline = false
			p[0] = '\n'
			return 1, nil
		}
		return 0, io.EOF
	}
	n, err := f.r.Read(p)
	if n > 0 {
		f.last, f.seen = p[n-1], true
	}
	if err == io.EOF {
		f.eof = true
		f.needsNewline = f.seen && f.last != '\n'
		if n > 0 {
			return n, nil
		}
		return f.Read(p)
	}
	return n, err
}
