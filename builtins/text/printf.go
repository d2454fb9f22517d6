package text

import (
	"bufio"
	"context"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/sockerless/sockerless/builtins"
)

func init() {
	builtins.Register(&builtins.Command{
		Name: "printf",
		Usage: `Usage: printf FORMAT [ARG]...

Format and print ARG(s) according to FORMAT (a-la C printf)`,
		Run: runPrintf,
	})
}

type printfRun struct {
	out    *bufio.Writer
	env    *builtins.Env
	args   []string
	used   int
	status int
	stop   bool // \c seen
}

func runPrintf(ctx context.Context, env *builtins.Env, args []string) int {
	args = args[1:]
	if len(args) > 0 && args[0] == "--" {
		args = args[1:]
	}
	if len(args) == 0 {
		env.Errorf("printf", "not enough arguments")
		return 1
	}
	p := &printfRun{out: bufio.NewWriter(env.Stdout), env: env, args: args[1:]}
	defer p.out.Flush()
	format := args[0]
	for {
		before := p.used
		if !p.format(format) {
			p.out.Flush()
			return 1
		}
		if p.stop || p.used >= len(p.args) || p.used == before {
			break
		}
		if ctx.Err() != nil {
			return 1
		}
	}
	return p.status
}

func (p *printfRun) next() (string, bool) {
	if p.used < len(p.args) {
		p.used++
		return p.args[p.used-1], true
	}
	return "", false
}

// escape decodes the backslash escape at s[0] == '\\' and returns the
// text and how many bytes it used. In %b (bmode) octal escapes are \0NNN
// and \c stops all output.
func (p *printfRun) escape(s string, bmode bool) (string, int) {
	if len(s) < 2 {
		return `\`, 1
	}
	c := s[1]
	switch c {
	case '\\':
		return `\`, 2
	case 'a':
		return "\a", 2
	case 'b':
		return "\b", 2
	case 'e', 'E':
		return "\x1b", 2
	case 'f':
		return "\f", 2
	case 'n':
		return "\n", 2
	case 'r':
		return "\r", 2
	case 't':
		return "\t", 2
	case 'v':
		return "\v", 2
	case '"':
		return `"`, 2
	case 'c':
		if bmode {
			p.stop = true
			return "", 2
		}
	case 'x':
		n, i := 0, 2
		for ; i < len(s) && i < 4 && isHex(s[i]); i++ {
			n = n*16 + hexVal(s[i])
		}
		if i == 2 {
			return `\x`, 2
		}
		return string([]byte{byte(n)}), i
	}
	if c >= '0' && c <= '7' {
		i := 1
		limit := 4
		if bmode && c == '0' {
			i, limit = 2, 5
		}
		n := 0
		for ; i < len(s) && i < limit && s[i] >= '0' && s[i] <= '7'; i++ {
			n = n*8 + int(s[i]-'0')
		}
		return string([]byte{byte(n)}), i
	}
	return s[:2], 2
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

func hexVal(c byte) int {
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0')
	case c >= 'a' && c <= 'f':
		return int(c-'a') + 10
	}
	return int(c-'A') + 10
}

// format prints format once; false means an invalid format.
func (p *printfRun) format(f string) bool {
	for i := 0; i < len(f) && !p.stop; {
		c := f[i]
		if c == '\\' {
			s, n := p.escape(f[i:], false)
			p.out.WriteString(s)
			i += n
			continue
		}
		if c != '%' {
			p.out.WriteByte(c)
			i++
			continue
		}
		if i+1 < len(f) && f[i+1] == '%' {
			p.out.WriteByte('%')
			i += 2
			continue
		}
		// %[flags][width][.prec][length]conv
		j := i + 1
		for j < len(f) && strings.IndexByte("-+ #0'", f[j]) >= 0 {
			j++
		}
		flags := f[i+1 : j]
		width := ""
		if j < len(f) && f[j] == '*' {
			a, _ := p.next()
			width = strconv.Itoa(starArg(a))
			j++
		} else {
			k := j
			for j < len(f) && f[j] >= '0' && f[j] <= '9' {
				j++
			}
			width = f[k:j]
		}
		prec := ""
		hasPrec := false
		if j < len(f) && f[j] == '.' {
			hasPrec = true
			j++
			if j < len(f) && f[j] == '*' {
				a, _ := p.next()
				prec = strconv.Itoa(starArg(a))
				j++
			} else {
				k := j
				for j < len(f) && f[j] >= '0' && f[j] <= '9' {
					j++
				}
				prec = f[k:j]
			}
		}
		for j < len(f) && strings.IndexByte("hlLqjzt", f[j]) >= 0 {
			j++
		}
		if j >= len(f) || strings.IndexByte("diouxXcsbfFeEgGaA", f[j]) < 0 {
			p.env.Errorf("printf", "%s: invalid format", f[i:])
			return false
		}
		conv := f[j]
		i = j + 1
		spec := "%" + strings.ReplaceAll(flags, "'", "") + width
		if hasPrec {
			if prec == "" {
				prec = "0"
			}
			spec += "." + prec
		}
		arg, _ := p.next()
		switch conv {
		case 's':
			p.out.WriteString(fmt.Sprintf(spec+"s", arg))
		case 'b':
			var b strings.Builder
			for k := 0; k < len(arg) && !p.stop; {
				if arg[k] == '\\' {
					s, n := p.escape(arg[k:], true)
					b.WriteString(s)
					k += n
					continue
				}
				b.WriteByte(arg[k])
				k++
			}
			p.out.WriteString(fmt.Sprintf(spec+"s", b.String()))
		case 'c':
			s := "\x00" // busybox prints the terminating NUL of ""
			if arg != "" {
				s = arg[:1]
			}
			p.out.WriteString(fmt.Sprintf(strings.Split(spec, ".")[0]+"s", s))
		case 'd', 'i':
			n, ok := p.toInt(arg)
			if !ok {
				p.status = 1
			}
			p.out.WriteString(fmt.Sprintf(spec+"d", n))
		case 'o', 'u', 'x', 'X':
			n, ok := p.toUint(arg)
			if !ok {
				p.status = 1
			}
			verb := string(conv)
			if conv == 'u' {
				verb = "d"
			}
			if n == 0 && (conv == 'x' || conv == 'X') {
				// C prints no 0x prefix for zero
				spec = strings.Replace(spec, "#", "", 1)
			}
			p.out.WriteString(fmt.Sprintf(spec+verb, n))
		default: // floating point
			x, ok := p.toFloat(arg)
			if !ok {
				p.status = 1
			}
			if !hasPrec {
				spec += ".6"
			}
			verb := string(conv)
			if conv == 'F' {
				verb = "f"
			}
			if conv == 'a' || conv == 'A' {
				verb = "x"
				if conv == 'A' {
					verb = "X"
				}
			}
			s := fmt.Sprintf(spec+verb, x)
			if math.IsInf(x, 0) || math.IsNaN(x) {
				s = strings.ToLower(s)
				if conv == 'F' || conv == 'E' || conv == 'G' {
					s = strings.ToUpper(s)
				}
			}
			p.out.WriteString(s)
		}
	}
	return true
}

// starArg converts a * width or precision: decimal only, anything else
// is 0 without complaint (busybox).
func starArg(s string) int {
	n, err := strconv.Atoi(s)
	if err != nil || n > 1<<20 || n < -(1<<20) {
		return 0
	}
	return n
}

func (p *printfRun) invalid(s string) {
	p.out.Flush()
	p.env.Errorf("printf", "invalid number '%s'", s)
}

// charValue handles the 'c and "c forms: the code of the first byte.
func charValue(s string) (int64, bool) {
	if len(s) > 0 && (s[0] == '\'' || s[0] == '"') {
		if len(s) == 1 {
			return 0, true
		}
		return int64(s[1]), true
	}
	return 0, false
}

// cInteger reports whether t is spelled like a C integer constant (Go
// also accepts 0b, 0o and underscores).
func cInteger(t string) bool {
	u := strings.TrimLeft(t, "+-")
	if strings.ContainsRune(u, '_') || len(u) > 1 && u[0] == '0' && strings.IndexByte("bBoO", u[1]) >= 0 {
		return false
	}
	return true
}

func (p *printfRun) toInt(s string) (int64, bool) {
	if v, ok := charValue(s); ok {
		return v, true
	}
	t := strings.TrimLeft(s, " \t\n")
	if !cInteger(t) {
		p.invalid(s)
		return 0, false
	}
	n, err := strconv.ParseInt(t, 0, 64)
	if err != nil {
		if u, err2 := strconv.ParseUint(t, 0, 64); err2 == nil {
			return int64(u), true
		}
		p.invalid(s)
		return 0, false
	}
	return n, true
}

func (p *printfRun) toUint(s string) (uint64, bool) {
	if v, ok := charValue(s); ok {
		return uint64(v), true
	}
	t := strings.TrimLeft(s, " \t\n")
	if !cInteger(t) {
		p.invalid(s)
		return 0, false
	}
	if u, err := strconv.ParseUint(t, 0, 64); err == nil {
		return u, true
	}
	n, err := strconv.ParseInt(t, 0, 64)
	if err != nil {
		p.invalid(s)
		return 0, false
	}
	return uint64(n), true
}

func (p *printfRun) toFloat(s string) (float64, bool) {
	if v, ok := charValue(s); ok {
		return float64(v), true
	}
	t := strings.TrimLeft(s, " \t\n")
	if t == "" {
		return 0, true
	}
	x, err := strconv.ParseFloat(t, 64)
	if err != nil {
		if n, err2 := strconv.ParseInt(t, 0, 64); err2 == nil {
			return float64(n), true
		}
		if ne, ok := err.(*strconv.NumError); ok && ne.Err == strconv.ErrRange {
			return x, true
		}
		p.invalid(s)
		return 0, false
	}
	return x, true
}
