package text

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"github.com/sockerless/sockerless/builtins"
)

func init() {
	builtins.Register(&builtins.Command{
		Name: "grep",
		Usage: `Usage: grep [-HhnlLoqvsrRiwxFEz] [-m N] [-A|B|C N] { PATTERN | -e PATTERN... | -f FILE... } [FILE]...

Search for PATTERN in FILEs (or stdin)

	-H	Add 'filename:' prefix
	-h	Do not add 'filename:' prefix
	-n	Add 'line_no:' prefix
	-l	Show only names of files that match
	-L	Show only names of files that don't match
	-c	Show only count of matching lines
	-o	Show only the matching part of line
	-q	Quiet. Return 0 if PATTERN is found, 1 otherwise
	-v	Select non-matching lines
	-s	Suppress open and read errors
	-r	Recurse
	-R	Recurse and dereference symlinks
	-i	Ignore case
	-w	Match whole words only
	-x	Match whole lines only
	-F	PATTERN is a literal (not regexp)
	-E	PATTERN is an extended regexp
	-G	PATTERN is a basic regexp (default)
	-z	NUL terminated input
	-m N	Match up to N times per file
	-A N	Print N lines of trailing context
	-B N	Print N lines of leading context
	-C N	Same as '-A N -B N'
	-e PTRN	Pattern to match
	-f FILE	Read pattern from file
	--include=GLOB, --exclude=GLOB, --exclude-dir=GLOB	Select files when recursing`,
		Run: runGrep,
	})
	builtins.Register(&builtins.Command{
		Name:  "egrep",
		Usage: "Usage: egrep [OPTION]... PATTERN [FILE]...\n\nSame as grep -E.",
		Run: func(ctx context.Context, env *builtins.Env, args []string) int {
			return runGrep(ctx, env, append([]string{"grep", "-E"}, args[1:]...))
		},
	})
	builtins.Register(&builtins.Command{
		Name:  "fgrep",
		Usage: "Usage: fgrep [OPTION]... PATTERN [FILE]...\n\nSame as grep -F.",
		Run: func(ctx context.Context, env *builtins.Env, args []string) int {
			return runGrep(ctx, env, append([]string{"grep", "-F"}, args[1:]...))
		},
	})
}

type grepOpts struct {
	mode                                  byte // 'G', 'E', 'F'
	withName, noName                      bool
	lineNum, list, listNot, count, only   bool
	quiet, invert, silent, recurse, deref bool
	icase, word, line, nul                bool
	max                                   int
	after, before                         int
	patterns                              []string
	havePat                               bool
	include, exclude, excludeDir          []string
	res                                   []*regex
	matchAll                              bool // an empty pattern
	sep                                   byte
	stdinLabel                            string
}

func runGrep(ctx context.Context, env *builtins.Env, args []string) int {
	o := &grepOpts{mode: 'G', max: -1, after: -1, before: -1, stdinLabel: "(standard input)"}
	files, st, ok := parseGrepArgs(env, o, args)
	if !ok {
		return st
	}
	if err := o.compile(); err != nil {
		env.Errorf("grep", "%v", err)
		return 2
	}
	if o.after < 0 {
		o.after = 0
	}
	if o.before < 0 {
		o.before = 0
	}
	o.sep = '\n'
	if o.nul {
		o.sep = 0
	}
	if len(files) == 0 {
		files = []string{"-"}
	}
	if (len(files) > 1 || o.recurse) && !o.noName {
		o.withName = true
	}
	if o.noName {
		o.withName = false
	}
	g := &grepper{ctx: ctx, env: env, o: o, out: bufio.NewWriterSize(env.Stdout, 64<<10)}
	defer g.out.Flush()
	for _, f := range files {
		if g.done {
			break
		}
		if f == "-" {
			g.search(env.Stdin, o.stdinLabel)
			continue
		}
		g.file(f, true)
	}
	if o.listNot {
		// busybox: success means some file was listed
		g.matched = g.listed
	}
	switch {
	case o.quiet && g.matched:
		return 0
	case g.errs:
		return 2
	case g.matched:
		return 0
	}
	return 1
}

func parseGrepArgs(env *builtins.Env, o *grepOpts, args []string) ([]string, int, bool) {
	bad := func(format string, a ...any) ([]string, int, bool) {
		env.Errorf("grep", format, a...)
		return nil, 2, false
	}
	num := func(flag, v string) (int, bool) {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			env.Errorf("grep", "invalid number '%s'", v)
			return 0, false
		}
		_ = flag
		return n, true
	}
	readPatFile := func(name string) bool {
		var data []byte
		var err error
		if name == "-" {
			data, err = io.ReadAll(env.Stdin)
		} else {
			data, err = os.ReadFile(env.Abs(name))
		}
		if err != nil {
			env.Errorf("grep", "%s: %s", name, errText(err))
			return false
		}
		s := strings.TrimSuffix(string(data), "\n")
		if len(data) > 0 {
			o.patterns = append(o.patterns, strings.Split(s, "\n")...)
		}
		o.havePat = true
		return true
	}
	var rest []string
	for i := 1; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			rest = append(rest, args[i+1:]...)
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
			var v string
			var ok bool
			switch name {
			case "regexp", "file", "max-count", "after-context", "before-context", "context",
				"include", "exclude", "exclude-dir", "label":
				if v, ok = need(); !ok {
					return bad("option '--%s' requires an argument", name)
				}
			}
			switch name {
			case "extended-regexp":
				o.mode = 'E'
			case "fixed-strings":
				o.mode = 'F'
			case "basic-regexp":
				o.mode = 'G'
			case "with-filename":
				o.withName, o.noName = true, false
			case "no-filename":
				o.noName = true
			case "line-number":
				o.lineNum = true
			case "files-with-matches":
				o.list = true
			case "files-without-match":
				o.listNot = true
			case "count":
				o.count = true
			case "only-matching":
				o.only = true
			case "quiet", "silent":
				o.quiet = true
			case "invert-match":
				o.invert = true
			case "no-messages":
				o.silent = true
			case "recursive":
				o.recurse = true
			case "dereference-recursive":
				o.recurse, o.deref = true, true
			case "ignore-case":
				o.icase = true
			case "no-ignore-case":
				o.icase = false
			case "word-regexp":
				o.word = true
			case "line-regexp":
				o.line = true
			case "null-data":
				o.nul = true
			case "color", "colour", "binary-files", "devices", "directories":
				// output is never coloured
			case "text", "binary", "line-buffered":
			case "regexp":
				o.patterns = append(o.patterns, v)
				o.havePat = true
			case "file":
				if !readPatFile(v) {
					return nil, 2, false
				}
			case "max-count":
				if o.max, ok = num(name, v); !ok {
					return nil, 2, false
				}
			case "after-context":
				if o.after, ok = num(name, v); !ok {
					return nil, 2, false
				}
			case "before-context":
				if o.before, ok = num(name, v); !ok {
					return nil, 2, false
				}
			case "context":
				n, ok := num(name, v)
				if !ok {
					return nil, 2, false
				}
				o.after, o.before = n, n
			case "include":
				o.include = append(o.include, v)
			case "exclude":
				o.exclude = append(o.exclude, v)
			case "exclude-dir":
				o.excludeDir = append(o.excludeDir, v)
			case "label":
				o.stdinLabel = v
			default:
				return bad("unrecognized option '%s'", a)
			}
			continue
		}
		if len(a) < 2 || a[0] != '-' {
			rest = append(rest, a)
			continue
		}
		// -NUM is -C NUM
		if n, err := strconv.Atoi(a[1:]); err == nil {
			o.after, o.before = n, n
			continue
		}
	shorts:
		for j := 1; j < len(a); j++ {
			c := a[j]
			switch c {
			case 'e', 'f', 'm', 'A', 'B', 'C':
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
				case 'e':
					o.patterns = append(o.patterns, v)
					o.havePat = true
				case 'f':
					if !readPatFile(v) {
						return nil, 2, false
					}
				case 'm':
					if o.max, ok = num("m", v); !ok {
						return nil, 2, false
					}
				case 'A':
					if o.after, ok = num("A", v); !ok {
						return nil, 2, false
					}
				case 'B':
					if o.before, ok = num("B", v); !ok {
						return nil, 2, false
					}
				case 'C':
					n, ok := num("C", v)
					if !ok {
						return nil, 2, false
					}
					o.after, o.before = n, n
				}
				break shorts
			case 'E', 'F', 'G':
				o.mode = c
			case 'H':
				o.withName, o.noName = true, false
			case 'h':
				o.noName = true
			case 'n':
				o.lineNum = true
			case 'l':
				o.list = true
			case 'L':
				o.listNot = true
			case 'c':
				o.count = true
			case 'o':
				o.only = true
			case 'q':
				o.quiet = true
			case 'v':
				o.invert = true
			case 's':
				o.silent = true
			case 'r':
				o.recurse = true
			case 'R':
				o.recurse, o.deref = true, true
			case 'i', 'y':
				o.icase = true
			case 'w':
				o.word = true
			case 'x':
				o.line = true
			case 'z':
				o.nul = true
			case 'a', 'I', 'U':
			default:
				return bad("invalid option -- '%c'", c)
			}
		}
	}
	if !o.havePat {
		if len(rest) == 0 {
			env.Errorf("grep", "no pattern given")
			fmt.Fprintln(env.Stderr, "Usage: grep [OPTION]... PATTERN [FILE]...")
			return nil, 2, false
		}
		o.patterns = strings.Split(rest[0], "\n")
		rest = rest[1:]
	}
	return rest, 0, true
}

func (o *grepOpts) compile() error {
	flags := ""
	if o.icase {
		flags = "i"
	}
	var alts []string
	for _, p := range o.patterns {
		var g string
		switch o.mode {
		case 'F':
			g = regexp.QuoteMeta(p)
		default:
			var err error
			g, err = translateRegex(p, o.mode == 'E')
			if err != nil {
				return err
			}
		}
		if p == "" && !o.line {
			o.matchAll = true
		}
		alts = append(alts, g)
	}
	multi := o.word
	for _, g := range alts {
		multi = multi || hasBackref(g)
	}
	if multi {
		// -w is checked match by match, and back-references number
		// their groups per pattern: one regex per pattern
		for _, g := range alts {
			if o.line {
				g = "^(?:" + g + ")$"
			}
			if flags != "" {
				g = "(?" + flags + ")" + g
			}
			re, err := newRegex(g)
			if err != nil {
				return err
			}
			o.res = append(o.res, re)
		}
		return nil
	}
	var b strings.Builder
	if flags != "" {
		b.WriteString("(?" + flags + ")")
	}
	if o.line {
		b.WriteString("^(?:")
	}
	for i, g := range alts {
		if i > 0 {
			b.WriteString("|")
		}
		b.WriteString("(?:" + g + ")")
	}
	if o.line {
		b.WriteString(")$")
	}
	re, err := newRegex(b.String())
	if err != nil {
		return err
	}
	o.res = []*regex{re}
	return nil
}

type grepper struct {
	ctx     context.Context
	env     *builtins.Env
	o       *grepOpts
	out     *bufio.Writer
	matched bool
	printed bool // a line was output, for context separators
	listed  bool
	errs    bool
	done    bool
}

func (g *grepper) errorf(format string, a ...any) {
	g.errs = true
	if !g.o.silent {
		g.env.Errorf("grep", format, a...)
	}
}

func (g *grepper) file(name string, top bool) {
	path := g.env.Abs(name)
	if builtins.StdStream(path) == 0 {
		in, _ := g.env.Open(path)
		g.search(in, name)
		return
	}
	var info os.FileInfo
	var err error
	if g.o.deref || top {
		info, err = os.Stat(path)
	} else {
		info, err = os.Lstat(path)
	}
	if err != nil {
		g.errorf("%s: %s", name, errText(err))
		return
	}
	if info.Mode()&os.ModeSymlink != 0 {
		return
	}
	if info.IsDir() {
		if !g.o.recurse {
			if !g.o.silent {
				g.env.Errorf("grep", "%s: Is a directory", name)
			}
			return
		}
		if !top && globAny(g.o.excludeDir, filepath.Base(name)) {
			return
		}
		entries, err := os.ReadDir(path)
		if err != nil {
			g.errorf("%s: %s", name, errText(err))
			return
		}
		for _, e := range entries {
			if g.done || g.ctx.Err() != nil {
				return
			}
			// busybox keeps the name as given: "./d/f", "d//f"
			child := name + "/" + e.Name()
			if strings.HasSuffix(name, "/") {
				child = name + e.Name()
			}
			g.file(child, false)
		}
		return
	}
	if !top || g.o.recurse {
		base := filepath.Base(name)
		if len(g.o.include) > 0 && !globAny(g.o.include, base) {
			return
		}
		if globAny(g.o.exclude, base) {
			return
		}
	}
	f, err := os.Open(path)
	if err != nil {
		g.errorf("%s: %s", name, errText(err))
		return
	}
	defer f.Close()
	g.search(f, name)
}

func globAny(globs []string, name string) bool {
	for _, p := range globs {
		if ok, _ := filepath.Match(p, name); ok {
			return true
		}
	}
	return false
}

// matches reports whether line matches, like len(matchLine(line, false))
// > 0 but without allocating in the common cases.
func (g *grepper) matches(line []byte) bool {
	o := g.o
	if o.matchAll && !o.word {
		return true
	}
	if len(o.res) == 1 && !o.word {
		return o.res[0].Match(line)
	}
	return len(g.matchLine(line, false)) > 0
}

// readLine is br.ReadBytes(sep) without a copy when the line fits in the
// buffer: the line is valid until the next read; buf holds long lines.
func readLine(br *bufio.Reader, sep byte, buf *[]byte) ([]byte, error) {
	line, err := br.ReadSlice(sep)
	if err != bufio.ErrBufferFull {
		return line, err
	}
	*buf = append((*buf)[:0], line...)
	for {
		line, err = br.ReadSlice(sep)
		*buf = append(*buf, line...)
		if err != bufio.ErrBufferFull {
			return *buf, err
		}
	}
}

// matchLine returns the match positions in line: all of them when all is
// set (for -o), else just the first.
func (g *grepper) matchLine(lineb []byte, all bool) [][]int {
	o := g.o
	if o.matchAll && !all && !o.word {
		return [][]int{{0, 0}}
	}
	line := string(lineb)
	if len(o.res) == 1 && !o.word {
		if all {
			return o.res[0].FindAllStringSubmatchIndex(line, -1)
		}
		if m := o.res[0].FindStringSubmatchIndex(line); m != nil {
			return [][]int{m[:2]}
		}
		return nil
	}
	var out [][]int
	pos := 0
	for pos <= len(line) {
		// the leftmost-longest acceptable match of any pattern
		var best []int
		for _, re := range o.res {
			for start := pos; start <= len(line); {
				m := re.findFrom(line, start)
				if m == nil {
					break
				}
				if !o.word || wordBoundary(lineb, m[0], m[1]) {
					if best == nil || m[0] < best[0] || (m[0] == best[0] && m[1] > best[1]) {
						best = m[:2]
					}
					break
				}
				start = m[0] + 1
			}
		}
		if best == nil {
			break
		}
		out = append(out, best)
		if !all {
			break
		}
		if best[1] > best[0] {
			pos = best[1]
		} else {
			pos = best[1] + 1
		}
	}
	return out
}

func isWordByte(c byte) bool {
	return c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= 0x80
}

func wordBoundary(line []byte, s, e int) bool {
	if s > 0 && isWordByte(line[s-1]) {
		return false
	}
	if e < len(line) && isWordByte(line[e]) {
		return false
	}
	return true
}

func (g *grepper) search(r io.Reader, name string) {
	o := g.o
	br := bufio.NewReaderSize(r, 64*1024)
	var before [][]byte // context lines waiting before a match
	var beforeStart int
	afterLeft := 0
	lastPrinted := -1 // line number last printed, for "--" separators
	count := 0
	lineNo := 0
	prefix := func(n int, sep byte) {
		if o.withName {
			g.out.WriteString(name)
			g.out.WriteByte(sep)
		}
		if o.lineNum {
			g.out.WriteString(strconv.Itoa(n))
			g.out.WriteByte(sep)
		}
	}
	printLine := func(n int, line []byte, sep byte) {
		// groups are separated, also across files
		if (o.before > 0 || o.after > 0) && g.printed && (lastPrinted < 0 || n > lastPrinted+1) {
			g.out.WriteString("--\n")
		}
		prefix(n, sep)
		g.out.Write(line)
		g.out.WriteByte(o.sep)
		lastPrinted = n
		g.printed = true
	}
	output := !o.quiet && !o.list && !o.listNot && !o.count
	positions := o.only && !o.invert && output
	var long []byte
	for {
		if lineNo%4096 == 0 && g.ctx.Err() != nil {
			g.done = true
			return
		}
		line, err := readLine(br, o.sep, &long)
		if len(line) == 0 && err != nil {
			break
		}
		lineNo++
		line = bytes.TrimSuffix(line, []byte{o.sep})
		var ms [][]int
		var selected bool
		if positions {
			ms = g.matchLine(line, true)
			selected = len(ms) > 0
		} else {
			selected = g.matches(line) != o.invert
		}
		if selected {
			count++
			g.matched = true
			if o.quiet {
				g.done = true
				return
			}
			if o.list {
				break
			}
			if output {
				for k, b := range before {
					printLine(beforeStart+k, b, '-')
				}
				before = before[:0]
				if o.only && !o.invert {
					for _, m := range ms {
						if m[1] == m[0] {
							continue
						}
						prefix(lineNo, ':')
						g.out.Write(line[m[0]:m[1]])
						g.out.WriteByte(o.sep)
						lastPrinted = lineNo
						g.printed = true
					}
				} else if !o.only {
					printLine(lineNo, line, ':')
				}
				afterLeft = o.after
			}
			if o.max >= 0 && count >= o.max {
				// trailing context follows the last match, up to the
				// next line that would have been selected
				for output && afterLeft > 0 {
					line, err := readLine(br, o.sep, &long)
					if len(line) == 0 && err != nil {
						break
					}
					lineNo++
					line = bytes.TrimSuffix(line, []byte{o.sep})
					if g.matches(line) != o.invert {
						break
					}
					printLine(lineNo, line, '-')
					afterLeft--
				}
				break
			}
			continue
		}
		if !output {
			continue
		}
		if afterLeft > 0 {
			printLine(lineNo, line, '-')
			afterLeft--
			continue
		}
		if o.before > 0 {
			if len(before) == o.before {
				before = before[1:]
			}
			before = append(before, append([]byte(nil), line...))
			beforeStart = lineNo - len(before) + 1
		}
	}
	switch {
	case o.quiet:
	case o.count:
		if o.list && count > 0 {
			// busybox: -l wins over -c for files that match
			g.out.WriteString(name + "\n")
			break
		}
		if o.withName {
			g.out.WriteString(name + ":")
		}
		fmt.Fprintf(g.out, "%d\n", count)
	case o.list:
		if count > 0 {
			g.out.WriteString(name)
			g.out.WriteByte('\n')
		}
	case o.listNot:
		if count == 0 {
			g.listed = true
			g.out.WriteString(name)
			g.out.WriteByte('\n')
		}
	}
}
