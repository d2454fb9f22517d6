package text

import (
	"context"
	"fmt"
	"strings"

	"github.com/sockerless/sockerless/builtins"
)

func init() {
	builtins.Register(&builtins.Command{
		Name: "getopt",
		Usage: `Usage: getopt [OPTIONS] [--] OPTSTRING PARAMS

	-a,--alternative		Allow long options starting with single -
	-l,--longoptions LOPT[,...]	Long options to recognize
	-n,--name PROGNAME		The name under which errors are reported
	-o,--options OPTSTRING		Short options to recognize
	-q,--quiet			No error messages on unrecognized options
	-Q,--quiet-output		No normal output
	-s,--shell SHELL		Set shell quoting conventions
	-T,--test			Version test (exits with 4)
	-u,--unquoted			Don't quote output

Example:

O=$(getopt -l bb: -- ab:c:: "$@") || exit 1
eval set -- "$O"
while true; do
	case "$1" in
	-a)	echo A; shift;;
	-b)	echo "B:'$2'"; shift 2;;
	-c)	case "$2" in
		"")	echo C; shift 2;;
		*)	echo "C:'$2'"; shift 2;;
		esac;;
	--)	shift; break;;
	*)	echo Error; exit 1;;
	esac
done`,
		Run: runGetopt,
	})
}

type longOpt struct {
	name string
	arg  int // 0 none, 1 required, 2 optional
}

type getoptRun struct {
	env       *builtins.Env
	name      string
	quiet     bool
	shorts    string
	longs     []longOpt
	alt       bool
	quote     bool
	out       []string
	status    int
	stopAtArg bool
	inOrder   bool
}

func runGetopt(ctx context.Context, env *builtins.Env, args []string) int {
	g := &getoptRun{env: env, name: "getopt", quote: true}
	var shorts *string
	quietOut := false
	i := 1
	addLongs := func(s string) {
		for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' || r == '\n' }) {
			lo := longOpt{name: f}
			if strings.HasSuffix(f, "::") {
				lo = longOpt{name: strings.TrimSuffix(f, "::"), arg: 2}
			} else if strings.HasSuffix(f, ":") {
				lo = longOpt{name: strings.TrimSuffix(f, ":"), arg: 1}
			}
			g.longs = append(g.longs, lo)
		}
	}
	bad := func(format string, a ...any) int {
		env.Errorf("getopt", format, a...)
		return 2
	}
parse:
	for ; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			i++
			break
		}
		if !strings.HasPrefix(a, "-") || a == "-" {
			break
		}
		if strings.HasPrefix(a, "--") {
			name, val, hasVal := strings.Cut(a[2:], "=")
			need := func() (string, bool) {
				if hasVal {
					return val, true
				}
				if i+1 < len(args) {
					i++
					return args[i], true
				}
				return "", false
			}
			full := ""
			for _, n := range []string{"alternative", "longoptions", "name", "options", "quiet", "quiet-output", "shell", "test", "unquoted", "help"} {
				if n == name || (strings.HasPrefix(n, name) && full == "") {
					full = n
					if n == name {
						break
					}
				}
			}
			switch full {
			case "alternative":
				g.alt = true
			case "quiet":
				g.quiet = true
			case "quiet-output":
				quietOut = true
			case "test":
				return 4
			case "unquoted":
				g.quote = false
			case "longoptions", "name", "options", "shell":
				v, ok := need()
				if !ok {
					return bad("option '--%s' requires an argument", full)
				}
				switch full {
				case "longoptions":
					addLongs(v)
				case "name":
					g.name = v
				case "options":
					s := v
					shorts = &s
				case "shell":
					if v != "sh" && v != "bash" && v != "tcsh" && v != "csh" {
						return bad("unknown shell after -s or --shell argument")
					}
				}
			default:
				return bad("unrecognized option '%s'", a)
			}
			continue
		}
		for j := 1; j < len(a); j++ {
			c := a[j]
			switch c {
			case 'a':
				g.alt = true
			case 'q':
				g.quiet = true
			case 'Q':
				quietOut = true
			case 'T':
				return 4
			case 'u':
				g.quote = false
			case 'l', 'n', 'o', 's':
				var v string
				if j+1 < len(a) {
					v = a[j+1:]
				} else if i+1 < len(args) {
					i++
					v = args[i]
				} else {
					return bad("option requires an argument -- '%c'", c)
				}
				switch c {
				case 'l':
					addLongs(v)
				case 'n':
					g.name = v
				case 'o':
					s := v
					shorts = &s
				case 's':
					if v != "sh" && v != "bash" && v != "tcsh" && v != "csh" {
						return bad("unknown shell after -s or --shell argument")
					}
				}
				continue parse
			default:
				return bad("invalid option -- '%c'", c)
			}
		}
	}
	params := args[i:]
	if shorts == nil {
		if len(params) == 0 {
			return bad("missing optstring argument")
		}
		s := params[0]
		shorts = &s
		params = params[1:]
		// the traditional form prints its output unquoted
		if i == 1 {
			g.quote = false
		}
	}
	g.shorts = *shorts
	if strings.HasPrefix(g.shorts, "+") {
		g.stopAtArg = true
		g.shorts = g.shorts[1:]
	} else if strings.HasPrefix(g.shorts, "-") {
		g.inOrder = true
		g.shorts = g.shorts[1:]
	}
	if _, ok := env.LookupEnv("POSIXLY_CORRECT"); ok {
		g.stopAtArg = true
	}
	g.parse(params)
	if !quietOut {
		fmt.Fprintln(env.Stdout, strings.Join(append([]string{""}, g.out...), " "))
	}
	return g.status
}

func (g *getoptRun) q(s string) string {
	if !g.quote {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

func (g *getoptRun) errorf(format string, a ...any) {
	g.status = 1
	if !g.quiet {
		g.env.Errorf(g.name, format, a...)
	}
}

// shortArg reports how option c takes an argument: -1 unknown, 0 none,
// 1 required, 2 optional.
func (g *getoptRun) shortArg(c byte) int {
	i := strings.IndexByte(g.shorts, c)
	if i < 0 || c == ':' {
		return -1
	}
	if strings.HasPrefix(g.shorts[i+1:], "::") {
		return 2
	}
	if strings.HasPrefix(g.shorts[i+1:], ":") {
		return 1
	}
	return 0
}

func (g *getoptRun) findLong(name string) (*longOpt, bool) {
	var found *longOpt
	for k := range g.longs {
		lo := &g.longs[k]
		if lo.name == name {
			return lo, false
		}
		if strings.HasPrefix(lo.name, name) {
			if found != nil && (found.arg != lo.arg) {
				return nil, true
			}
			if found == nil {
				found = lo
			}
		}
	}
	return found, false
}

func (g *getoptRun) parse(params []string) {
	var rest []string
	for i := 0; i < len(params); i++ {
		a := params[i]
		if a == "--" {
			rest = append(rest, params[i+1:]...)
			break
		}
		// without long options getopt(3) reads "--name" as short options
		long := strings.HasPrefix(a, "--") && len(a) > 2 && len(g.longs) > 0
		alt := !long && g.alt && len(a) > 2 && a[0] == '-' && a[1] != '-'
		if alt {
			name, _, _ := strings.Cut(a[1:], "=")
			if lo, _ := g.findLong(name); lo == nil {
				alt = false
			}
		}
		switch {
		case long || alt:
			body := a[2:]
			if alt {
				body = a[1:]
			}
			name, val, hasVal := strings.Cut(body, "=")
			lo, ambiguous := g.findLong(name)
			switch {
			case ambiguous:
				g.errorf("option '%s' is ambiguous", a)
			case lo == nil:
				g.errorf("unrecognized option '%s'", a)
			case lo.arg == 0 && hasVal:
				g.errorf("option '--%s' doesn't allow an argument", lo.name)
			case lo.arg == 0:
				g.out = append(g.out, "--"+lo.name)
			case lo.arg == 1 && !hasVal:
				if i+1 >= len(params) {
					g.errorf("option '--%s' requires an argument", lo.name)
					continue
				}
				i++
				g.out = append(g.out, "--"+lo.name, g.q(params[i]))
			default:
				g.out = append(g.out, "--"+lo.name, g.q(val))
			}
		case len(a) > 1 && a[0] == '-':
			for j := 1; j < len(a); j++ {
				c := a[j]
				switch g.shortArg(c) {
				case -1:
					g.errorf("invalid option -- '%c'", c)
				case 0:
					g.out = append(g.out, "-"+string(c))
				case 1:
					v := a[j+1:]
					if v == "" {
						if i+1 >= len(params) {
							g.errorf("option requires an argument -- '%c'", c)
							j = len(a)
							continue
						}
						i++
						v = params[i]
					}
					g.out = append(g.out, "-"+string(c), g.q(v))
					j = len(a)
				case 2:
					g.out = append(g.out, "-"+string(c), g.q(a[j+1:]))
					j = len(a)
				}
			}
		default:
			if g.stopAtArg {
				rest = append(rest, params[i:]...)
				i = len(params)
				continue
			}
			if g.inOrder {
				g.out = append(g.out, g.q(a))
				continue
			}
			rest = append(rest, a)
		}
	}
	g.out = append(g.out, "--")
	for _, r := range rest {
		g.out = append(g.out, g.q(r))
	}
}
