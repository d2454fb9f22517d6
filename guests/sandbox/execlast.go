//go:build wasip1

package main

import (
	"context"
	"sync/atomic"

	"mvdan.cc/sh/v3/interp"
	"mvdan.cc/sh/v3/syntax"
)

// execLast is the last simple command of a `sh -c` string, which the shell
// runs in place of itself, as busybox's ash and dash do: the command takes
// the shell's pid and record (ps and top show it instead of the shell)
// and needs no process of its own (--pids-limit). Not when the string may
// set a trap: the shell must then outlive the command to run it.
type execLast struct {
	pos       syntax.Pos
	pid, ppid int
	done      atomic.Bool // the command has taken the shell's place
}

type (
	execLastKey struct{} // the shell's execLast, seen by its exec handler
	execNowKey  struct{} // set on the context of the command itself
)

// lastCommand finds the command `sh -c` execs in place: the last
// statement of the string, or the right-hand side of a trailing && or ||
// list, when it is a plain command (not backgrounded, negated, a shell
// builtin, a function of the string, or a name known only at run time).
func lastCommand(f *syntax.File) *syntax.CallExpr {
	if len(f.Stmts) == 0 {
		return nil
	}
	st := f.Stmts[len(f.Stmts)-1]
	for {
		if st.Background || st.Negated || st.Coprocess {
			return nil
		}
		switch c := st.Cmd.(type) {
		case *syntax.BinaryCmd:
			if c.Op != syntax.AndStmt && c.Op != syntax.OrStmt {
				return nil
			}
			st = c.Y
			continue
		case *syntax.CallExpr:
			if len(c.Args) == 0 {
				return nil
			}
			name := c.Args[0].Lit()
			if name == "" || interp.IsBuiltin(name) || declares(f, name) {
				return nil
			}
			return c
		}
		return nil
	}
}

// declares reports whether f defines a function called name.
func declares(f *syntax.File, name string) bool {
	found := false
	syntax.Walk(f, func(n syntax.Node) bool {
		if fd, ok := n.(*syntax.FuncDecl); ok && fd.Name.Value == name {
			found = true
		}
		return !found
	})
	return found
}

// withExecLast arms ctx so that the shell's exec handler recognises the
// command of f that runs in place of shell pid (child of ppid).
func withExecLast(ctx context.Context, f *syntax.File, pid, ppid int) context.Context {
	c := lastCommand(f)
	if c == nil {
		return ctx
	}
	return context.WithValue(ctx, execLastKey{}, &execLast{pos: c.Pos(), pid: pid, ppid: ppid})
}

// markExecNow is called by the exec handler for every command: the one
// that runs in place of its shell gets a context that says so.
func markExecNow(ctx context.Context, hc interp.HandlerContext) context.Context {
	if el, ok := ctx.Value(execLastKey{}).(*execLast); ok && hc.Pos == el.pos && !el.done.Load() {
		return context.WithValue(ctx, execNowKey{}, el)
	}
	return ctx
}

// execNow reports whether the command about to become a process is the
// one that replaces its shell, and records the replacement with the host
// (once: commands it runs in turn are processes of their own).
func execNow(ctx context.Context, args []string) bool {
	el, ok := ctx.Value(execNowKey{}).(*execLast)
	if !ok || !el.done.CompareAndSwap(false, true) {
		return false
	}
	hostStartChild(el.pid, el.ppid, args)
	return true
}
