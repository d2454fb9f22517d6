package system

import (
	"bufio"
	"context"
	"strings"

	"github.com/sockerless/sockerless/builtins"
)

func init() {
	builtins.Register(
		&builtins.Command{Name: "echo", Usage: `Usage: echo [-neE] [ARG]...

Print the specified ARGs to stdout

	-n	No trailing newline
	-e	Interpret backslash escapes (i.e., \t=tab)
	-E	Don't interpret backslash escapes (default)`, Run: runEcho},
		&builtins.Command{Name: "true", Usage: "Usage: true\n\nReturn an exit code of TRUE (0)", Run: func(context.Context, *builtins.Env, []string) int { return 0 }},
		&builtins.Command{Name: "false", Usage: "Usage: false\n\nReturn an exit code of FALSE (1)", Run: func(context.Context, *builtins.Env, []string) int { return 1 }},
	)
}

func runEcho(_ context.Context, env *builtins.Env, args []string) int {
	args = args[1:]
	nl, esc := true, false
	for len(args) > 0 {
		a := args[0]
		if len(a) < 2 || a[0] != '-' || strings.Trim(a[1:], "neE") != "" {
			break
		}
		for _, c := range a[1:] {
			switch c {
			case 'n':
				nl = false
			case 'e':
				esc = true
			case 'E':
				esc = false
			}
		}
		args = args[1:]
	}
	w := bufio.NewWriter(env.Stdout)
	defer w.Flush()
	for i, a := range args {
		if i > 0 {
			w.WriteByte(' ')
		}
		if !esc {
			w.WriteString(a)
			continue
		}
		out, stop := unescape(a)
		w.WriteString(out)
		if stop {
			return 0
		}
	}
	if nl {
		w.WriteByte('\n')
	}
	return 0
}

// unescape interprets echo -e escapes; stop reports a \c.
func unescape(s string) (string, bool) {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '\\' || i+1 >= len(s) {
			b.WriteByte(c)
			continue
		}
		i++
		switch c = s[i]; c {
		case 'a':
			b.WriteByte('\a')
		case 'b':
			b.WriteByte('\b')
		case 'c':
			return b.String(), true
		case 'e':
			b.WriteByte(0x1b)
		case 'f':
			b.WriteByte('\f')
		case 'n':
			b.WriteByte('\n')
		case 'r':
			b.WriteByte('\r')
		case 't':
			b.WriteByte('\t')
		case 'v':
			b.WriteByte('\v')
		case '\\':
			b.WriteByte('\\')
		case 'x':
			v, n := 0, 0
			for n < 2 && i+1 < len(s) && isHex(s[i+1]) {
				v = v*16 + hexVal(s[i+1])
				i++
				n++
			}
			if n == 0 {
				b.WriteString("\\x")
			} else {
				b.WriteByte(byte(v))
			}
		case '0', '1', '2', '3', '4', '5', '6', '7':
			v, n := 0, 0
			if c == '0' {
				// \0NNN: up to three more octal digits
			} else {
				v, n = int(c-'0'), 1
			}
			for n < 3 && i+1 < len(s) && s[i+1] >= '0' && s[i+1] <= '7' {
				v = v*8 + int(s[i+1]-'0')
				i++
				n++
			}
			b.WriteByte(byte(v))
		default:
			b.WriteByte('\\')
			b.WriteByte(c)
		}
	}
	return b.String(), false
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

func hexVal(c byte) int {
	switch {
	case c >= 'a':
		return int(c-'a') + 10
	case c >= 'A':
		return int(c-'A') + 10
	}
	return int(c - '0')
}
