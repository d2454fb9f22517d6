package system

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/sockerless/sockerless/builtins"
)

func init() {
	builtins.Register(
		&builtins.Command{Name: "kill", Usage: `Usage: kill [-l] [-SIG] PID...

Send a signal (default: TERM) to given PIDs

	-l	List all signal names and numbers`, Run: runKill},
		&builtins.Command{Name: "timeout", Usage: `Usage: timeout [-s SIG] [-k KILL_SECS] SECS PROG ARGS

Run PROG. Send SIG to it if it is not gone in SECS seconds.
Default SIG: TERM.If it still exists in KILL_SECS seconds, send KILL.

	--preserve-status	Exit with PROG's status even on timeout
	--foreground		Accepted for compatibility`, Run: runTimeout},
	)
}

// signalNames lists the Linux signal numbers 1..31.
var signalNames = []string{"", "HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "BUS", "FPE", "KILL",
	"USR1", "SEGV", "USR2", "PIPE", "ALRM", "TERM", "STKFLT", "CHLD", "CONT", "STOP", "TSTP",
	"TTIN", "TTOU", "URG", "XCPU", "XFSZ", "VTALRM", "PROF", "WINCH", "POLL", "PWR", "SYS"}

// signalNumber accepts a signal number or a name with or without SIG.
func signalNumber(s string) (int, bool) {
	if n, err := strconv.Atoi(s); err == nil {
		return n, n >= 0 && n < 65
	}
	u := strings.TrimPrefix(strings.ToUpper(s), "SIG")
	switch u {
	case "IOT":
		return 6, true
	case "IO":
		return 29, true
	case "CLD":
		return 17, true
	}
	for i, n := range signalNames {
		if i > 0 && n == u {
			return i, true
		}
	}
	return 0, false
}

func runKill(_ context.Context, env *builtins.Env, args []string) int {
	args = args[1:]
	sig := 15
	if len(args) == 0 {
		env.Errorf("kill", "usage: kill [-l] [-SIG] PID...")
		return 1
	}
	a := args[0]
	switch {
	case a == "-l" || a == "-L" || a == "--list":
		if len(args) == 1 {
			var b strings.Builder
			for i := 1; i < len(signalNames); i++ {
				fmt.Fprintf(&b, "%2d) %s\n", i, signalNames[i])
			}
			fmt.Fprint(env.Stdout, b.String())
			return 0
		}
		status := 0
		for _, s := range args[1:] {
			if n, err := strconv.Atoi(s); err == nil {
				if n > 128 {
					n -= 128
				}
				if n > 0 && n < len(signalNames) {
					fmt.Fprintln(env.Stdout, signalNames[n])
					continue
				}
			} else if n, ok := signalNumber(s); ok {
				fmt.Fprintln(env.Stdout, n)
				continue
			}
			env.Errorf("kill", "bad signal name '%s'", s)
			status = 1
		}
		return status
	case a == "-s" || a == "-n":
		if len(args) < 2 {
			env.Errorf("kill", "option requires an argument -- '%s'", a[1:])
			return 1
		}
		n, ok := signalNumber(args[1])
		if !ok {
			env.Errorf("kill", "bad signal name '%s'", args[1])
			return 1
		}
		sig, args = n, args[2:]
	case a == "--":
		args = args[1:]
	case len(a) > 1 && a[0] == '-':
		n, ok := signalNumber(a[1:])
		if !ok {
			env.Errorf("kill", "bad signal name '%s'", a[1:])
			return 1
		}
		sig, args = n, args[1:]
	}
	if len(args) > 0 && args[0] == "--" {
		args = args[1:]
	}
	if len(args) == 0 {
		env.Errorf("kill", "usage: kill [-l] [-SIG] PID...")
		return 1
	}
	status := 0
	for _, p := range args {
		pid, err := strconv.Atoi(p)
		if err != nil {
			env.Errorf("kill", "invalid number '%s'", p)
			status = 1
			continue
		}
		if err := env.Sys.Kill(pid, sig); err != nil {
			env.Errorf("kill", "can't kill pid %d: %s", pid, capitalize(err.Error()))
			status = 1
		}
	}
	return status
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

func runTimeout(ctx context.Context, env *builtins.Env, args []string) int {
	args = args[1:]
	sig := 15
	var killAfter time.Duration
	preserve := false
	for len(args) > 0 && len(args[0]) > 1 && args[0][0] == '-' {
		a := args[0]
		val := func(short string) (string, bool) {
			if v, ok := strings.CutPrefix(a, short); ok && v != "" && !strings.HasPrefix(a, "--") {
				return v, true
			}
			if len(args) < 2 {
				env.Errorf("timeout", "option requires an argument -- '%s'", strings.TrimLeft(short, "-"))
				return "", false
			}
			args = args[1:]
			return args[0], true
		}
		switch {
		case a == "--":
			args = args[1:]
			goto done
		case a == "--preserve-status":
			preserve = true
		case a == "--foreground", a == "-f", a == "-v", a == "--verbose":
		case strings.HasPrefix(a, "--signal="):
			n, ok := signalNumber(a[len("--signal="):])
			if !ok {
				env.Errorf("timeout", "unknown signal '%s'", a[len("--signal="):])
				return 125
			}
			sig = n
		case strings.HasPrefix(a, "--kill-after="):
			d, ok := parseDuration(a[len("--kill-after="):])
			if !ok {
				env.Errorf("timeout", "invalid number '%s'", a[len("--kill-after="):])
				return 125
			}
			killAfter = d
		case strings.HasPrefix(a, "-s") || a == "--signal":
			v, ok := val("-s")
			if !ok {
				return 125
			}
			n, ok := signalNumber(v)
			if !ok {
				env.Errorf("timeout", "unknown signal '%s'", v)
				return 125
			}
			sig = n
		case strings.HasPrefix(a, "-k") || a == "--kill-after":
			v, ok := val("-k")
			if !ok {
				return 125
			}
			d, ok := parseDuration(v)
			if !ok {
				env.Errorf("timeout", "invalid number '%s'", v)
				return 125
			}
			killAfter = d
		default:
			if _, ok := parseDuration(a[1:]); ok {
				goto done
			}
			env.Errorf("timeout", "unrecognized option '%s'", a)
			return 125
		}
		args = args[1:]
	}
done:
	if len(args) < 2 {
		env.Errorf("timeout", "missing operand")
		return 125
	}
	limit, ok := parseDuration(args[0])
	if !ok {
		env.Errorf("timeout", "invalid number '%s'", args[0])
		return 125
	}
	child, cancel := context.WithCancel(ctx)
	defer cancel()
	result := make(chan int, 1)
	go func() { result <- env.Exec(child, env, args[1:]) }()
	var timer <-chan time.Time
	if limit > 0 {
		t := time.NewTimer(limit)
		defer t.Stop()
		timer = t.C
	}
	select {
	case st := <-result:
		return st
	case <-timer:
	case <-ctx.Done():
	}
	cancel()
	timedOut := ctx.Err() == nil
	var kill <-chan time.Time
	if killAfter > 0 {
		t := time.NewTimer(killAfter)
		defer t.Stop()
		kill = t.C
	}
	select {
	case st := <-result:
		if preserve {
			if st == 0 || st == 130 {
				st = 128 + sig
			}
			return st
		}
		if !timedOut {
			return st
		}
		return 124
	case <-kill:
		return 128 + 9
	}
}
