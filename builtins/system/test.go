package system

import (
	"context"
	"errors"
	"io/fs"
	"strconv"
	"strings"

	"github.com/sockerless/sockerless/builtins"
)

const testUsage = `Usage: test EXPRESSION
  or:   [ EXPRESSION ]

Check file types, compare values etc. Return a 0/1 exit code
depending on logical value of EXPRESSION`

func init() {
	builtins.Register(&builtins.Command{Name: "test", Usage: testUsage, Run: runTest})
	builtins.Alias("[", "test")
}

// testError is a syntax or number error: exit status 2.
type testError struct{ msg string }

func (e testError) Error() string { return e.msg }

func runTest(_ context.Context, env *builtins.Env, args []string) int {
	name := args[0]
	if i := strings.LastIndexByte(name, '/'); i >= 0 {
		name = name[i+1:]
	}
	args = args[1:]
	if name == "[" {
		if len(args) == 0 || args[len(args)-1] != "]" {
			env.Errorf(name, "missing ]")
			return 2
		}
		args = args[:len(args)-1]
	}
	ok, err := evalTest(env, args)
	if err != nil {
		env.Errorf("test", "%s", err.Error())
		return 2
	}
	if ok {
		return 0
	}
	return 1
}

// evalTest evaluates a test expression.
func evalTest(env *builtins.Env, args []string) (bool, error) {
	p := &testParser{env: env, args: args}
	return p.top()
}

type testParser struct {
	env  *builtins.Env
	args []string
	pos  int
}

var unaryOps = map[string]bool{
	"-e": true, "-f": true, "-d": true, "-h": true, "-L": true, "-r": true, "-w": true, "-x": true,
	"-s": true, "-p": true, "-S": true, "-b": true, "-c": true, "-u": true, "-g": true, "-k": true,
	"-O": true, "-G": true, "-z": true, "-n": true, "-t": true,
}

var binaryOps = map[string]bool{
	"=": true, "==": true, "!=": true, "<": true, ">": true, "-eq": true, "-ne": true, "-lt": true,
	"-le": true, "-gt": true, "-ge": true, "-nt": true, "-ot": true, "-ef": true,
}

// top applies the POSIX rules for up to four arguments, then falls back
// to the general grammar.
func (p *testParser) top() (bool, error) {
	a := p.args
	switch len(a) {
	case 0:
		return false, nil
	case 1:
		return a[0] != "", nil
	case 2:
		if a[0] == "!" {
			return a[1] == "", nil
		}
		if unaryOps[a[0]] {
			return p.unary(a[0], a[1])
		}
	case 3:
		if binaryOps[a[1]] {
			return p.binary(a[0], a[1], a[2])
		}
		if a[0] == "!" {
			sub := &testParser{env: p.env, args: a[1:]}
			v, err := sub.top()
			return !v, err
		}
		if a[0] == "(" && a[2] == ")" {
			return a[1] != "", nil
		}
	case 4:
		if a[0] == "!" {
			sub := &testParser{env: p.env, args: a[1:]}
			v, err := sub.top()
			return !v, err
		}
		if a[0] == "(" && a[3] == ")" {
			sub := &testParser{env: p.env, args: a[1:3]}
			return sub.top()
		}
	}
	v, err := p.or()
	if err != nil {
		return false, err
	}
	if p.pos < len(p.args) {
		return false, testError{p.args[p.pos] + ": unknown operand"}
	}
	return v, nil
}

func (p *testParser) peek(off int) (string, bool) {
	if p.pos+off < len(p.args) {
		return p.args[p.pos+off], true
	}
	return "", false
}

func (p *testParser) or() (bool, error) {
	v, err := p.and()
	if err != nil {
		return false, err
	}
	for {
		t, ok := p.peek(0)
		if !ok || t != "-o" {
			return v, nil
		}
		p.pos++
		w, err := p.and()
		if err != nil {
			return false, err
		}
		v = v || w
	}
}

func (p *testParser) and() (bool, error) {
	v, err := p.not()
	if err != nil {
		return false, err
	}
	for {
		t, ok := p.peek(0)
		if !ok || t != "-a" {
			return v, nil
		}
		p.pos++
		w, err := p.not()
		if err != nil {
			return false, err
		}
		v = v && w
	}
}

func (p *testParser) not() (bool, error) {
	if t, ok := p.peek(0); ok && t == "!" {
		if _, more := p.peek(1); more {
			p.pos++
			v, err := p.not()
			return !v, err
		}
	}
	return p.primary()
}

func (p *testParser) primary() (bool, error) {
	t, ok := p.peek(0)
	if !ok {
		return false, testError{"argument expected"}
	}
	if op, ok := p.peek(1); ok && binaryOps[op] {
		if r, ok := p.peek(2); ok {
			p.pos += 3
			return p.binary(t, op, r)
		}
	}
	if t == "(" {
		if _, more := p.peek(1); more {
			p.pos++
			v, err := p.or()
			if err != nil {
				return false, err
			}
			if c, ok := p.peek(0); !ok || c != ")" {
				return false, testError{"closing paren expected"}
			}
			p.pos++
			return v, nil
		}
	}
	if unaryOps[t] {
		if r, ok := p.peek(1); ok {
			p.pos += 2
			return p.unary(t, r)
		}
	}
	p.pos++
	return t != "", nil
}

// testNumber parses an integer operand the way busybox does: blanks
// around it are allowed, nothing else.
func testNumber(s string) (int64, error) {
	t := strings.Trim(s, " \t\n\r\v\f")
	if t == "" {
		return 0, testError{s + ": bad number"}
	}
	v, err := strconv.ParseInt(t, 10, 64)
	if err != nil {
		if errors.Is(err, strconv.ErrRange) {
			return 0, testError{s + ": out of range"}
		}
		return 0, testError{s + ": bad number"}
	}
	return v, nil
}

func (p *testParser) binary(l, op, r string) (bool, error) {
	switch op {
	case "=", "==":
		return l == r, nil
	case "!=":
		return l != r, nil
	case "<":
		return l < r, nil
	case ">":
		return l > r, nil
	case "-nt", "-ot", "-ef":
		a, err1 := p.env.Sys.Stat(p.env.Abs(l))
		b, err2 := p.env.Sys.Stat(p.env.Abs(r))
		if err1 != nil || err2 != nil {
			return false, nil
		}
		switch op {
		case "-nt":
			return a.ModTime().After(b.ModTime()), nil
		case "-ot":
			return a.ModTime().Before(b.ModTime()), nil
		}
		sa, _ := a.Sys().(*builtins.StatT)
		sb, _ := b.Sys().(*builtins.StatT)
		return sa != nil && sb != nil && sa.Dev == sb.Dev && sa.Ino == sb.Ino, nil
	}
	x, err := testNumber(l)
	if err != nil {
		return false, err
	}
	y, err := testNumber(r)
	if err != nil {
		return false, err
	}
	switch op {
	case "-eq":
		return x == y, nil
	case "-ne":
		return x != y, nil
	case "-lt":
		return x < y, nil
	case "-le":
		return x <= y, nil
	case "-gt":
		return x > y, nil
	}
	return x >= y, nil
}

func (p *testParser) unary(op, arg string) (bool, error) {
	switch op {
	case "-z":
		return arg == "", nil
	case "-n":
		return arg != "", nil
	case "-t":
		fd, err := testNumber(arg)
		if err != nil {
			return false, err
		}
		switch fd {
		case 0:
			return isTerminal(p.env.Stdin), nil
		case 1:
			return isTerminal(p.env.Stdout), nil
		case 2:
			return isTerminal(p.env.Stderr), nil
		}
		return false, nil
	}
	if arg == "" {
		return false, nil
	}
	name := p.env.Abs(arg)
	var fi fs.FileInfo
	var err error
	if op == "-h" || op == "-L" {
		fi, err = p.env.Sys.Lstat(name)
	} else {
		fi, err = p.env.Sys.Stat(name)
	}
	if err != nil {
		return false, nil
	}
	m := fi.Mode()
	st, _ := fi.Sys().(*builtins.StatT)
	switch op {
	case "-e":
		return true, nil
	case "-f":
		return m.IsRegular(), nil
	case "-d":
		return m.IsDir(), nil
	case "-h", "-L":
		return m&fs.ModeSymlink != 0, nil
	case "-s":
		return fi.Size() > 0, nil
	case "-p":
		return m&fs.ModeNamedPipe != 0, nil
	case "-S":
		return m&fs.ModeSocket != 0, nil
	case "-b":
		return m&fs.ModeDevice != 0 && m&fs.ModeCharDevice == 0, nil
	case "-c":
		return m&fs.ModeCharDevice != 0, nil
	case "-u":
		return m&fs.ModeSetuid != 0, nil
	case "-g":
		return m&fs.ModeSetgid != 0, nil
	case "-k":
		return m&fs.ModeSticky != 0, nil
	case "-O":
		return st != nil && int(st.Uid) == p.env.Sys.Getuid(), nil
	case "-G":
		return st != nil && int(st.Gid) == p.env.Sys.Getgid(), nil
	case "-r":
		return canAccess(p.env.Sys, fi, 4), nil
	case "-w":
		return canAccess(p.env.Sys, fi, 2), nil
	case "-x":
		return canAccess(p.env.Sys, fi, 1), nil
	}
	return false, nil
}

// canAccess checks want (4 read, 2 write, 1 execute) against the mode
// bits for the calling user; root may read and write anything and execute
// anything with an execute bit.
func canAccess(sys builtins.Sys, fi fs.FileInfo, want fs.FileMode) bool {
	perm := fi.Mode().Perm()
	uid := sys.Getuid()
	if uid == 0 {
		if want != 1 {
			return true
		}
		return perm&0o111 != 0
	}
	st, _ := fi.Sys().(*builtins.StatT)
	switch {
	case st != nil && int(st.Uid) == uid:
		return perm>>6&want == want
	case st != nil && int(st.Gid) == sys.Getgid():
		return perm>>3&want == want
	}
	return perm&want == want
}

// isTerminal reports whether r says it is a terminal.
func isTerminal(r any) bool {
	t, ok := r.(interface{ IsTerminal() bool })
	return ok && t.IsTerminal()
}
