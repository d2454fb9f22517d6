package system

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/sockerless/sockerless/builtins"
)

func init() {
	builtins.Register(
		&builtins.Command{Name: "env", Usage: `Usage: env [-i0] [-u NAME]... [-] [NAME=VALUE]... [PROG ARGS]

Print current environment or run PROG after setting up environment

	-, -i	Start with empty environment
	-0	NUL terminated output
	-u NAME	Remove variable from environment`, Run: runEnv},
		&builtins.Command{Name: "printenv", Usage: `Usage: printenv [VARIABLE]...

Print environment VARIABLEs.
If no VARIABLE specified, print all.`, Run: runPrintenv},
		&builtins.Command{Name: "pwd", Usage: `Usage: pwd [-LP]

Print the full filename of the current working directory

	-L	Logical: use $PWD if it names the current directory (default)
	-P	Physical: resolve all symlinks`, Run: runPwd},
		&builtins.Command{Name: "tty", Usage: `Usage: tty [-s]

Print file name of stdin's terminal

	-s	Print nothing, only return exit code`, Run: runTty},
	)
}

func runEnv(ctx context.Context, env *builtins.Env, args []string) int {
	args = args[1:]
	environ := append([]string(nil), env.Environ...)
	nul := false
	unset := func(name string) {
		out := environ[:0]
		for _, kv := range environ {
			if k, _, _ := strings.Cut(kv, "="); k != name {
				out = append(out, kv)
			}
		}
		environ = out
	}
opts:
	for len(args) > 0 {
		a := args[0]
		switch {
		case a == "-" || a == "-i" || a == "--ignore-environment":
			environ = nil
		case a == "--":
			args = args[1:]
			break opts
		case a == "-0" || a == "--null":
			nul = true
		case a == "-u" || a == "--unset":
			if len(args) < 2 {
				env.Errorf("env", "option requires an argument -- 'u'")
				return 1
			}
			unset(args[1])
			args = args[1:]
		case strings.HasPrefix(a, "--unset="):
			unset(a[len("--unset="):])
		case len(a) > 1 && a[0] == '-' && a[1] != '-':
			// combined short options: -i0, -uNAME
			for i := 1; i < len(a); i++ {
				switch a[i] {
				case 'i':
					environ = nil
				case '0':
					nul = true
				case 'u':
					name := a[i+1:]
					if name == "" {
						if len(args) < 2 {
							env.Errorf("env", "option requires an argument -- 'u'")
							return 1
						}
						name = args[1]
						args = args[1:]
					}
					unset(name)
					i = len(a)
				default:
					env.Errorf("env", "invalid option -- '%c'", a[i])
					return 1
				}
			}
		default:
			break opts
		}
		args = args[1:]
	}
	for len(args) > 0 && strings.Contains(args[0], "=") {
		k, _, _ := strings.Cut(args[0], "=")
		unset(k)
		environ = append(environ, args[0])
		args = args[1:]
	}
	if len(args) == 0 {
		end := "\n"
		if nul {
			end = "\x00"
		}
		var b strings.Builder
		for _, kv := range environ {
			b.WriteString(kv)
			b.WriteString(end)
		}
		io.WriteString(env.Stdout, b.String())
		return 0
	}
	sub := *env
	sub.Environ = environ
	return env.Exec(ctx, &sub, args)
}

func runPrintenv(_ context.Context, env *builtins.Env, args []string) int {
	if len(args) == 1 {
		for _, kv := range env.Environ {
			fmt.Fprintln(env.Stdout, kv)
		}
		return 0
	}
	status := 0
	for _, name := range args[1:] {
		if strings.Contains(name, "=") {
			status = 1
			continue
		}
		if v, ok := env.LookupEnv(name); ok {
			fmt.Fprintln(env.Stdout, v)
		} else {
			status = 1
		}
	}
	return status
}

func runPwd(_ context.Context, env *builtins.Env, args []string) int {
	physical := false
	for _, a := range args[1:] {
		if a == "--" {
			break
		}
		if len(a) < 2 || a[0] != '-' {
			continue
		}
		switch a {
		case "--logical":
			physical = false
			continue
		case "--physical":
			physical = true
			continue
		}
		for _, c := range a[1:] {
			switch c {
			case 'L':
				physical = false
			case 'P':
				physical = true
			default:
				env.Errorf("pwd", "invalid option -- '%c'", c)
				return 1
			}
		}
	}
	dir := env.Dir
	if physical {
		if d, err := filepath.EvalSymlinks(dir); err == nil {
			dir = d
		}
	} else if pwd, ok := env.LookupEnv("PWD"); ok && validPWD(pwd, dir) {
		dir = pwd
	}
	fmt.Fprintln(env.Stdout, dir)
	return 0
}

// validPWD reports whether $PWD is an absolute name without . or ..
// components for the same directory as dir.
func validPWD(pwd, dir string) bool {
	if !filepath.IsAbs(pwd) {
		return false
	}
	for _, part := range strings.Split(pwd, "/") {
		if part == "." || part == ".." {
			return false
		}
	}
	a, err1 := os.Stat(pwd)
	b, err2 := os.Stat(dir)
	return err1 == nil && err2 == nil && os.SameFile(a, b)
}

func runTty(_ context.Context, env *builtins.Env, args []string) int {
	silent := false
	for _, a := range args[1:] {
		switch a {
		case "-s", "--silent", "--quiet":
			silent = true
		default:
			env.Errorf("tty", "invalid option -- '%s'", strings.TrimLeft(a, "-"))
			return 2
		}
	}
	if isTerminal(env.Stdin) {
		if !silent {
			fmt.Fprintln(env.Stdout, "/dev/pts/0")
		}
		return 0
	}
	if !silent {
		fmt.Fprintln(env.Stdout, "not a tty")
	}
	return 1
}
