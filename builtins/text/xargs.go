package text

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/sockerless/sockerless/builtins"
)

func init() {
	builtins.Register(&builtins.Command{
		Name: "xargs",
		Usage: `Usage: xargs [OPTIONS] [PROG ARGS]

Run PROG on every item given by stdin

	-0	NUL terminated input
	-a FILE	Read from FILE instead of stdin
	-d DELIM	Items are separated by DELIM, not blanks
	-r	Don't run command if input is empty
	-t	Print the command on stderr before execution
	-p	Ask user whether to run each command (ignored)
	-E STR,-e[STR]	STR stops input processing
	-I STR	Replace STR within PROG ARGS with input line
	-L N	Use at most N input lines per command
	-n N	Pass no more than N args to PROG
	-s N	Pass command line of no more than N bytes
	-P N	Run up to N PROGs in parallel (run one at a time here)
	-x	Exit if size is exceeded`,
		Run: runXargs,
	})
}

type xargsOpts struct {
	nul, noEmpty, trace, exitSize bool
	delim                         int // -1 none
	file, eof, replace            string
	hasReplace                    bool
	maxArgs, maxLines, maxSize    int
}

func runXargs(ctx context.Context, env *builtins.Env, args []string) int {
	o := &xargsOpts{delim: -1, maxSize: 128 * 1024}
	bad := func(format string, a ...any) int {
		env.Errorf("xargs", format, a...)
		return 1
	}
	num := func(s string) (int, bool) {
		n, err := strconv.Atoi(s)
		if err != nil || n <= 0 {
			env.Errorf("xargs", "invalid number '%s'", s)
			return 0, false
		}
		return n, true
	}
	i := 1
parse:
	for ; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			i++
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
			var ok bool
			switch name {
			case "null":
				o.nul = true
			case "no-run-if-empty":
				o.noEmpty = true
			case "verbose":
				o.trace = true
			case "exit":
				o.exitSize = true
			case "interactive", "open-tty":
			case "arg-file", "delimiter", "eof", "replace", "max-args", "max-lines", "max-chars", "max-procs":
				if val, ok = need(); !ok && name != "eof" && name != "replace" {
					return bad("option '--%s' requires an argument", name)
				}
				switch name {
				case "arg-file":
					o.file = val
				case "delimiter":
					d, ok := parseDelim(val)
					if !ok {
						return bad("invalid delimiter '%s'", val)
					}
					o.delim = d
				case "eof":
					o.eof = val
				case "replace":
					o.replace, o.hasReplace = val, true
					if o.replace == "" {
						o.replace = "{}"
					}
				case "max-args":
					if o.maxArgs, ok = num(val); !ok {
						return 1
					}
				case "max-lines":
					if o.maxLines, ok = num(val); !ok {
						return 1
					}
				case "max-chars":
					if o.maxSize, ok = num(val); !ok {
						return 1
					}
				case "max-procs":
					if _, err := strconv.Atoi(val); err != nil {
						return bad("invalid number '%s'", val)
					}
				}
			default:
				return bad("unrecognized option '%s'", a)
			}
			continue
		}
		if len(a) < 2 || a[0] != '-' {
			break
		}
		for j := 1; j < len(a); j++ {
			c := a[j]
			switch c {
			case '0':
				o.nul = true
			case 'r':
				o.noEmpty = true
			case 't':
				o.trace = true
			case 'x':
				o.exitSize = true
			case 'p', 'o':
			case 'e', 'i', 'l':
				// optional argument glued to the option
				v := a[j+1:]
				switch c {
				case 'e':
					o.eof = v
				case 'i':
					o.replace, o.hasReplace = v, true
					if v == "" {
						o.replace = "{}"
					}
				case 'l':
					o.maxLines = 1
					if v != "" {
						n, ok := num(v)
						if !ok {
							return 1
						}
						o.maxLines = n
					}
				}
				continue parse
			case 'a', 'd', 'E', 'I', 'L', 'n', 's', 'P':
				var v string
				if j+1 < len(a) {
					v = a[j+1:]
				} else if i+1 < len(args) {
					i++
					v = args[i]
				} else {
					return bad("option requires an argument -- '%c'", c)
				}
				var ok bool
				switch c {
				case 'a':
					o.file = v
				case 'd':
					d, ok := parseDelim(v)
					if !ok {
						return bad("invalid delimiter '%s'", v)
					}
					o.delim = d
				case 'E':
					o.eof = v
				case 'I':
					o.replace, o.hasReplace = v, true
				case 'L':
					if o.maxLines, ok = num(v); !ok {
						return 1
					}
				case 'n':
					if o.maxArgs, ok = num(v); !ok {
						return 1
					}
				case 's':
					if o.maxSize, ok = num(v); !ok {
						return 1
					}
				case 'P':
					if _, err := strconv.Atoi(v); err != nil {
						return bad("invalid number '%s'", v)
					}
				}
				continue parse
			default:
				return bad("invalid option -- '%c'", c)
			}
		}
	}
	cmd := args[i:]
	if len(cmd) == 0 {
		cmd = []string{"echo"}
	}
	var in io.Reader = env.Stdin
	if o.file != "" {
		f, err := env.Open(o.file)
		if err != nil {
			return bad("can't open '%s': %s", o.file, errText(err))
		}
		defer f.Close()
		in = f
	}
	x := &xargs{ctx: ctx, env: env, o: o, cmd: cmd, r: bufio.NewReader(in)}
	return x.run()
}

func parseDelim(s string) (int, bool) {
	if len(s) == 1 {
		return int(s[0]), true
	}
	if len(s) == 2 && s[0] == '\\' {
		switch s[1] {
		case 'n':
			return '\n', true
		case 't':
			return '\t', true
		case '0':
			return 0, true
		case '\\':
			return '\\', true
		}
	}
	if strings.HasPrefix(s, `\x`) {
		if n, err := strconv.ParseUint(s[2:], 16, 8); err == nil {
			return int(n), true
		}
	}
	if strings.HasPrefix(s, `\`) {
		if n, err := strconv.ParseUint(s[1:], 8, 8); err == nil {
			return int(n), true
		}
	}
	return 0, false
}

type xargs struct {
	ctx  context.Context
	env  *builtins.Env
	o    *xargsOpts
	cmd  []string
	r    *bufio.Reader
	done bool // input finished (end of file or eof string)
	// carry is an item read that did not fit the previous command line
	carry *xitem
}

// item is one input argument and whether it ended an input line.
type xitem struct {
	s       string
	lineEnd bool
}

// next reads one item; ok false at the end of input.
func (x *xargs) next() (xitem, bool, error) {
	if x.done {
		return xitem{}, false, nil
	}
	o := x.o
	if o.nul || o.delim >= 0 {
		sep := byte(0)
		if o.delim >= 0 {
			sep = byte(o.delim)
		}
		s, err := x.r.ReadString(sep)
		if s == "" && err != nil {
			x.done = true
			return xitem{}, false, nil
		}
		s = strings.TrimSuffix(s, string(sep))
		if o.eof != "" && s == o.eof {
			x.done = true
			return xitem{}, false, nil
		}
		return xitem{s: s, lineEnd: true}, true, nil
	}
	if o.hasReplace {
		for {
			s, err := x.r.ReadString('\n')
			if s == "" && err != nil {
				x.done = true
				return xitem{}, false, nil
			}
			s = strings.TrimLeft(strings.TrimSuffix(s, "\n"), " \t")
			if s == "" {
				continue
			}
			if o.eof != "" && s == o.eof {
				x.done = true
				return xitem{}, false, nil
			}
			return xitem{s: s, lineEnd: true}, true, nil
		}
	}
	// blank-separated items with quotes and backslashes
	var b strings.Builder
	inItem := false
	quote := byte(0)
	truncated := false // a NUL byte ends the item's text, as in C
	for {
		c, err := x.r.ReadByte()
		if err != nil {
			if quote != 0 {
				kind := "single"
				if quote == '"' {
					kind = "double"
				}
				return xitem{}, false, fmt.Errorf("unmatched %s quote", kind)
			}
			x.done = true
			if inItem {
				return x.eofCheck(xitem{s: b.String(), lineEnd: true})
			}
			return xitem{}, false, nil
		}
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			} else if c == '\n' {
				kind := "single"
				if quote == '"' {
					kind = "double"
				}
				return xitem{}, false, fmt.Errorf("unmatched %s quote", kind)
			} else {
				b.WriteByte(c)
			}
		case c == '\'' || c == '"':
			quote = c
			inItem = true
		case c == '\\':
			d, err := x.r.ReadByte()
			if err == nil {
				b.WriteByte(d)
			}
			inItem = true
		case c == ' ' || c == '\t' || c == '\n':
			if inItem {
				lineEnd := c == '\n'
				if !lineEnd && x.o.maxLines > 0 {
					// a line ending in blanks continues (GNU -L)
					lineEnd = x.restOfLineBlank()
				}
				return x.eofCheck(xitem{s: b.String(), lineEnd: lineEnd})
			}
		case c == 0:
			truncated = true
			inItem = true
		default:
			if !truncated {
				b.WriteByte(c)
			}
			inItem = true
		}
	}
}

func (x *xargs) restOfLineBlank() bool {
	for {
		c, err := x.r.ReadByte()
		if err != nil {
			return true
		}
		if c == '\n' {
			return true
		}
		if c != ' ' && c != '\t' {
			x.r.UnreadByte()
			return false
		}
	}
}

func (x *xargs) eofCheck(it xitem) (xitem, bool, error) {
	if x.o.eof != "" && it.s == x.o.eof {
		x.done = true
		return xitem{}, false, nil
	}
	return it, true, nil
}

func (x *xargs) run() int {
	o := x.o
	base := 0
	for _, a := range x.cmd {
		base += len(a) + 1
	}
	status := 0
	ran := false
	for {
		if x.ctx.Err() != nil {
			return 125
		}
		var items []string
		size := base
		lines := 0
		for {
			var it xitem
			if x.carry != nil {
				it, x.carry = *x.carry, nil
			} else {
				var ok bool
				var err error
				it, ok, err = x.next()
				if err != nil {
					x.env.Errorf("xargs", "%v", err)
					return 1
				}
				if !ok {
					break
				}
			}
			if o.hasReplace {
				items = append(items, it.s)
				break
			}
			if size+len(it.s)+1 > o.maxSize && len(items) > 0 {
				x.carry = &it
				break
			}
			if size+len(it.s)+1 > o.maxSize {
				// the item does not fit even alone
				x.env.Errorf("xargs", "argument line too long")
				return 1
			}
			items = append(items, it.s)
			size += len(it.s) + 1
			if it.lineEnd {
				lines++
			}
			if o.maxArgs > 0 && len(items) >= o.maxArgs {
				break
			}
			if o.maxLines > 0 && lines >= o.maxLines {
				break
			}
		}
		if len(items) == 0 && (ran || o.noEmpty || o.hasReplace) {
			return status
		}
		ran = true
		argv := x.build(items)
		if o.trace {
			fmt.Fprintln(x.env.Stderr, strings.Join(argv, " "))
		}
		st := x.env.Exec(x.ctx, x.env, argv)
		switch {
		case st == 0:
		case st == 255:
			x.env.Errorf("xargs", "%s: exited with status 255; aborting", argv[0])
			return 124
		case st == 126 || st == 127:
			return st
		case st > 128:
			x.env.Errorf("xargs", "%s: terminated by signal %d", argv[0], st-128)
			return 125
		default:
			status = 123
		}
		if x.done && x.carry == nil {
			return status
		}
	}
}

func (x *xargs) build(items []string) []string {
	if !x.o.hasReplace {
		return append(append([]string(nil), x.cmd...), items...)
	}
	argv := make([]string, len(x.cmd))
	for i, a := range x.cmd {
		argv[i] = strings.ReplaceAll(a, x.o.replace, items[0])
	}
	return argv
}
