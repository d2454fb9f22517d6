package text

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/sockerless/sockerless/builtins"
)

func init() {
	builtins.Register(&builtins.Command{
		Name: "sed",
		Usage: `Usage: sed [-i[SFX]] [-nrEs] [-f FILE]... [-e CMD]... [FILE]...
or: sed [-i[SFX]] [-nrEs] CMD [FILE]...

Stream editor: apply the script's commands to each input line.

	-e CMD, --expression=CMD	Add CMD to sed commands to be executed
	-f FILE, --file=FILE	Add FILE contents to sed commands to be executed
	-i[SFX], --in-place[=SFX]	Edit files in-place, optionally backing them up with suffix SFX
	-n, --quiet, --silent	Suppress automatic printing of pattern space
	-r, -E, --regexp-extended	Use extended regex syntax
	-s, --separate	Consider files as separate rather than one stream`,
		Run: runSed,
	})
}

type sedOpts struct {
	quiet    bool
	ere      bool
	separate bool
	inPlace  bool
	suffix   string
	script   []string
	haveE    bool
	files    []string
}

func parseSedArgs(env *builtins.Env, args []string) (*sedOpts, int, bool) {
	o := &sedOpts{}
	bad := func(format string, a ...any) (*sedOpts, int, bool) {
		env.Errorf("sed", format, a...)
		return nil, 1, false
	}
	readScriptFile := func(name string) bool {
		var data []byte
		var err error
		if name == "-" {
			data, err = io.ReadAll(env.Stdin)
		} else {
			data, err = os.ReadFile(env.Abs(name))
		}
		if err != nil {
			env.Errorf("sed", "can't open '%s': %s", name, errText(err))
			return false
		}
		o.script = append(o.script, strings.TrimSuffix(string(data), "\n"))
		o.haveE = true
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
			switch name {
			case "quiet", "silent":
				o.quiet = true
			case "regexp-extended":
				o.ere = true
			case "separate":
				o.separate = true
			case "posix", "debug", "sandbox", "unbuffered", "follow-symlinks":
			case "in-place":
				o.inPlace, o.suffix = true, val
			case "expression":
				v, ok := need()
				if !ok {
					return bad("option '--expression' requires an argument")
				}
				o.script = append(o.script, v)
				o.haveE = true
			case "file":
				v, ok := need()
				if !ok {
					return bad("option '--file' requires an argument")
				}
				if !readScriptFile(v) {
					return nil, 1, false
				}
			default:
				return bad("unrecognized option '%s'", a)
			}
			continue
		}
		if len(a) < 2 || a[0] != '-' {
			rest = append(rest, a)
			continue
		}
	shorts:
		for j := 1; j < len(a); j++ {
			switch a[j] {
			case 'n':
				o.quiet = true
			case 'r', 'E':
				o.ere = true
			case 's':
				o.separate = true
			case 'u':
			case 'i':
				o.inPlace = true
				o.suffix = a[j+1:]
				break shorts
			case 'e', 'f':
				var v string
				if j+1 < len(a) {
					v = a[j+1:]
				} else if i+1 < len(args) {
					i++
					v = args[i]
				} else {
					return bad("option requires an argument -- '%c'", a[j])
				}
				if a[j] == 'e' {
					o.script = append(o.script, v)
					o.haveE = true
				} else if !readScriptFile(v) {
					return nil, 1, false
				}
				break shorts
			default:
				return bad("invalid option -- '%c'", a[j])
			}
		}
	}
	if !o.haveE {
		if len(rest) == 0 {
			env.Errorf("sed", "no script specified")
			return nil, 1, false
		}
		o.script = append(o.script, rest[0])
		rest = rest[1:]
	}
	o.files = rest
	if o.inPlace {
		o.separate = true
		if len(o.files) == 0 {
			return bad("no input files")
		}
	}
	return o, 0, true
}

func errText(err error) string {
	switch {
	case os.IsNotExist(err):
		return "No such file or directory"
	case os.IsPermission(err):
		return "Permission denied"
	}
	var pe *os.PathError
	if e, ok := err.(*os.PathError); ok {
		pe = e
		if strings.Contains(pe.Err.Error(), "is a directory") {
			return "Is a directory"
		}
		msg := pe.Err.Error()
		if msg != "" {
			return strings.ToUpper(msg[:1]) + msg[1:]
		}
	}
	return err.Error()
}

// sedOut writes output lines, remembering whether the last line written
// lacked its newline (GNU adds it back before writing more).
type sedOut struct {
	w       *bufio.Writer
	missing bool
}

func (o *sedOut) line(s string, nl bool) {
	if o.missing {
		o.w.WriteByte('\n')
	}
	o.w.WriteString(s)
	if nl {
		o.w.WriteByte('\n')
	}
	o.missing = !nl
}

type sedInput struct {
	env    *builtins.Env
	files  []string
	fi     int
	r      *bufio.Reader
	closer io.Closer
	name   string
	status int
	// one line of lookahead, to know which line is the last
	next     string
	nextNL   bool
	haveNext bool
	long     []byte // a line longer than the read buffer
	eof      bool
}

func (in *sedInput) openNext() bool {
	for in.fi < len(in.files) {
		name := in.files[in.fi]
		in.fi++
		if name == "-" || builtins.StdStream(in.env.Abs(name)) == 0 {
			in.r = bufio.NewReaderSize(in.env.Stdin, sedBufSize)
			in.closer = nil
			in.name = name
			return true
		}
		f, err := os.Open(in.env.Abs(name))
		if err == nil {
			if st, e := f.Stat(); e == nil && st.IsDir() {
				f.Close()
				in.env.Errorf("sed", "read error on %s: Is a directory", name)
				in.status = 1
				continue
			}
		}
		if err != nil {
			in.env.Errorf("sed", "%s: %s", name, errText(err))
			in.status = 1
			continue
		}
		in.r = bufio.NewReaderSize(f, sedBufSize)
		in.closer = f
		in.name = name
		return true
	}
	return false
}

func (in *sedInput) fill() {
	if in.haveNext || in.eof {
		return
	}
	for {
		if in.r == nil && !in.openNext() {
			in.eof = true
			return
		}
		line, err := readLine(in.r, '\n', &in.long)
		if len(line) > 0 {
			in.haveNext = true
			in.nextNL = line[len(line)-1] == '\n'
			if in.nextNL {
				line = line[:len(line)-1]
			}
			in.next = string(line)
			return
		}
		_ = err
		if in.closer != nil {
			in.closer.Close()
		}
		in.r = nil
	}
}

// read returns the next line; ok false at the end of input.
func (in *sedInput) read() (line string, nl, ok bool) {
	in.fill()
	if !in.haveNext {
		return "", false, false
	}
	in.haveNext = false
	return in.next, in.nextNL, true
}

// idle reports whether the next read may block: nothing is buffered.
func (in *sedInput) idle() bool {
	return !in.haveNext && (in.r == nil || in.r.Buffered() == 0)
}

func (in *sedInput) isLast() bool {
	in.fill()
	return !in.haveNext
}

func (in *sedInput) close() {
	if in.closer != nil {
		in.closer.Close()
		in.closer = nil
	}
}

type sedRun struct {
	ctx     context.Context
	env     *builtins.Env
	cmds    []*sedCmd
	quiet   bool
	out     *sedOut
	in      *sedInput
	wfiles  map[string]*sedOut
	lastRe  *regex
	lineNo  int
	ps      string
	psNL    bool
	hold    string
	appends []sedAppend
	quit    bool
	status  int
	tflag   bool
	steps   int
	buf     []byte // scratch for s///
}

type sedAppend struct {
	text string
	file string
}

// sedBufSize is the size of sed's input and output buffers.
const sedBufSize = 64 << 10

func runSed(ctx context.Context, env *builtins.Env, args []string) int {
	o, st, ok := parseSedArgs(env, args)
	if !ok {
		return st
	}
	script := strings.Join(o.script, "\n")
	if strings.HasPrefix(script, "#n\n") || script == "#n" {
		o.quiet = true
	}
	cmds, err := parseSed(script, o.ere)
	if err != nil {
		env.Errorf("sed", "%v", err)
		return 1
	}
	r := &sedRun{ctx: ctx, env: env, cmds: cmds, quiet: o.quiet, wfiles: map[string]*sedOut{}}
	stdout := &sedOut{w: bufio.NewWriterSize(env.Stdout, sedBufSize)}
	defer stdout.w.Flush()
	// w files are created before any input is read
	for _, c := range cmds {
		name := c.wfile
		if c.name == 'w' || c.name == 'W' {
			name = c.text
		}
		if name == "" || r.wfiles[name] != nil {
			continue
		}
		switch name {
		case "/dev/stdout":
			r.wfiles[name] = stdout
		case "/dev/stderr":
			r.wfiles[name] = &sedOut{w: bufio.NewWriter(env.Stderr)}
		default:
			f, err := os.Create(env.Abs(name))
			if err != nil {
				env.Errorf("sed", "couldn't open file %s: %s", name, errText(err))
				return 4
			}
			defer f.Close()
			w := &sedOut{w: bufio.NewWriter(f)}
			defer w.w.Flush()
			r.wfiles[name] = w
		}
	}
	files := o.files
	if len(files) == 0 {
		files = []string{"-"}
	}
	if !o.separate {
		r.out = stdout
		r.in = &sedInput{env: env, files: files}
		r.process()
		r.in.close()
		if r.in.status != 0 && r.status == 0 {
			r.status = r.in.status
		}
		return r.status
	}
	status := 0
	for _, name := range files {
		if r.quit {
			break
		}
		r.in = &sedInput{env: env, files: []string{name}}
		r.lineNo = 0
		if !o.inPlace {
			r.out = stdout
			r.process()
			r.in.close()
			if r.in.status != 0 {
				status = r.in.status
			}
			continue
		}
		path := env.Abs(name)
		info, err := env.Sys.Stat(path)
		if err != nil {
			env.Errorf("sed", "can't stat '%s': %s", name, errText(err))
			status = 4
			continue
		}
		if !info.Mode().IsRegular() {
			env.Errorf("sed", "couldn't edit %s: not a regular file", name)
			status = 4
			continue
		}
		tmp, err := os.CreateTemp(filepath.Dir(path), ".sed")
		if err != nil {
			env.Errorf("sed", "couldn't open temporary file: %s", errText(err))
			status = 4
			continue
		}
		r.out = &sedOut{w: bufio.NewWriter(tmp)}
		r.process()
		r.in.close()
		r.out.w.Flush()
		tmp.Close()
		if r.in.status != 0 {
			os.Remove(tmp.Name())
			status = r.in.status
			continue
		}
		_ = env.Sys.Chmod(tmp.Name(), info.Mode().Perm())
		if o.suffix != "" {
			bak := path + o.suffix
			if strings.Contains(o.suffix, "*") {
				bak = filepath.Join(filepath.Dir(path), strings.ReplaceAll(o.suffix, "*", filepath.Base(path)))
			}
			if err := os.Rename(path, bak); err != nil {
				env.Errorf("sed", "couldn't rename %s: %s", name, errText(err))
			}
		}
		if err := os.Rename(tmp.Name(), path); err != nil {
			env.Errorf("sed", "couldn't rename %s: %s", name, errText(err))
			os.Remove(tmp.Name())
			status = 4
		}
	}
	if r.status != 0 {
		return r.status
	}
	return status
}

// process runs the script over the current input.
func (r *sedRun) process() {
	for !r.quit {
		line, nl, ok := r.in.read()
		if !ok {
			return
		}
		if r.lineNo%4096 == 0 && r.ctx.Err() != nil {
			r.status = 1
			r.quit = true
			return
		}
		r.lineNo++
		r.ps, r.psNL = line, nl
		r.tflag = false
		r.cycle()
	}
}

// cycle runs the script over the pattern space, restarting for D.
func (r *sedRun) cycle() {
	for {
		restart := r.exec()
		if restart == cycleRestart {
			// D with a newline left: restart without reading
			r.flushAppends()
			continue
		}
		if restart != cycleNoPrint && !r.quiet {
			r.out.line(r.ps, r.psNL)
		}
		r.flushAppends()
		return
	}
}

const (
	cycleEnd = iota
	cycleNoPrint
	cycleRestart
)

func (r *sedRun) flushAppends() {
	for _, a := range r.appends {
		if a.file == "" {
			r.out.line(a.text, true)
			continue
		}
		if a.file == "/dev/stdin" {
			data, _ := io.ReadAll(r.env.Stdin)
			r.writeRaw(string(data))
			continue
		}
		data, err := os.ReadFile(r.env.Abs(a.file))
		if err != nil {
			continue
		}
		r.writeRaw(string(data))
	}
	r.appends = r.appends[:0]
	// Output stays prompt for a slow producer (tail -f | sed) without a
	// write per line when input is streaming: flush only before a read
	// that may block.
	if r.in.idle() {
		r.out.w.Flush()
	}
}

func (r *sedRun) writeRaw(s string) {
	if s == "" {
		return
	}
	if r.out.missing {
		r.out.w.WriteByte('\n')
	}
	r.out.w.WriteString(s)
	r.out.missing = !strings.HasSuffix(s, "\n")
}

func (r *sedRun) matchRe(a *sedAddr) bool {
	re := a.re
	if a.empty {
		re = r.lastRe
	}
	if re == nil {
		return false
	}
	r.lastRe = re
	return re.MatchString(r.ps)
}

func (r *sedRun) matchAddr(a *sedAddr) bool {
	switch a.kind {
	case addrLine:
		return r.lineNo == a.line
	case addrLast:
		return r.in.isLast()
	case addrRegex:
		return r.matchRe(a)
	case addrStep:
		if a.step <= 0 {
			return r.lineNo == a.line
		}
		return r.lineNo >= a.line && (r.lineNo-a.line)%a.step == 0
	}
	return false
}

func (r *sedRun) selected(c *sedCmd) bool {
	if c.a1 == nil {
		return true
	}
	if c.a2 == nil {
		return r.matchAddr(c.a1)
	}
	if c.a1.kind == addrZero && !c.zeroStarted {
		// 0,/re/: the range is open before line 1, so the regex may
		// end it on line 1.
		c.zeroStarted = true
		c.active = true
	}
	if c.active {
		switch c.a2.kind {
		case addrLine, addrPlus, addrMult:
			// a line skipped by n or N still ends the range here
			if r.lineNo >= c.endLine {
				c.active = false
			}
			return true
		case addrLast:
			if r.in.isLast() {
				c.active = false
			}
			return true
		case addrRegex:
			if r.matchRe(c.a2) {
				c.active = false
			}
			return true
		}
		return true
	}
	switch c.a1.kind {
	case addrZero:
		return false
	case addrLine:
		// like GNU and busybox, a range starting at line N starts at
		// the first line >= N seen (N may have been read by n or N),
		// and only once
		if c.dead || r.lineNo < c.a1.line {
			return false
		}
		c.dead = true
	default:
		if !r.matchAddr(c.a1) {
			return false
		}
	}
	switch c.a2.kind {
	case addrLine:
		if c.a2.line > r.lineNo {
			c.active = true
			c.endLine = c.a2.line
		}
	case addrPlus:
		if c.a2.line > 0 {
			c.active = true
			c.endLine = r.lineNo + c.a2.line
		}
	case addrMult:
		if c.a2.line > 0 && r.lineNo%c.a2.line != 0 {
			c.active = true
			c.endLine = (r.lineNo/c.a2.line + 1) * c.a2.line
		}
	case addrLast:
		if !r.in.isLast() {
			c.active = true
		}
	case addrRegex:
		c.active = true
	}
	return true
}

// exec runs the commands once over the pattern space.
func (r *sedRun) exec() int {
	for pc := 0; pc < len(r.cmds); pc++ {
		r.steps++
		if r.steps%4096 == 0 && r.ctx.Err() != nil {
			// a script like ":a;ba" loops forever: stop when cancelled
			r.quit = true
			r.status = 1
			return cycleNoPrint
		}
		c := r.cmds[pc]
		sel := r.selected(c)
		if c.neg {
			sel = !sel
		}
		if !sel {
			if c.name == '{' {
				pc = c.jump
			}
			continue
		}
		switch c.name {
		case '{', '}', ':':
		case '=':
			fmt.Fprintf(r.out.w, "%s%d\n", r.missingNL(), r.lineNo)
		case 'a':
			r.appends = append(r.appends, sedAppend{text: c.text})
		case 'i':
			r.out.line(c.text, true)
		case 'c':
			if c.a2 == nil || c.neg || !c.active {
				r.out.line(c.text, true)
			}
			return cycleNoPrint
		case 'd':
			return cycleNoPrint
		case 'D':
			i := strings.IndexByte(r.ps, '\n')
			if i < 0 {
				return cycleNoPrint
			}
			r.ps = r.ps[i+1:]
			return cycleRestart
		case 'p':
			r.out.line(r.ps, true)
		case 'P':
			first, _, _ := strings.Cut(r.ps, "\n")
			r.out.line(first, true)
		case 'n':
			if r.in.isLast() {
				// GNU: quit, printing the pattern space
				r.quit = true
				return cycleEnd
			}
			if !r.quiet {
				r.out.line(r.ps, r.psNL)
			}
			r.flushAppends()
			line, nl, _ := r.in.read()
			r.lineNo++
			r.ps, r.psNL = line, nl
		case 'N':
			if r.in.isLast() {
				r.quit = true
				return cycleEnd
			}
			r.flushAppends()
			line, nl, _ := r.in.read()
			r.lineNo++
			r.ps += "\n" + line
			r.psNL = nl
		case 'g':
			r.ps = r.hold
		case 'G':
			r.ps += "\n" + r.hold
		case 'h':
			r.hold = r.ps
		case 'H':
			r.hold += "\n" + r.ps
		case 'x':
			r.ps, r.hold = r.hold, r.ps
		case 'z':
			r.ps = ""
		case 'F':
			name := r.in.name
			r.out.line(name, true)
		case 'l':
			r.listLine(c.num)
		case 'q':
			r.quit = true
			if c.num >= 0 {
				r.status = c.num
			}
			return cycleEnd
		case 'Q':
			r.quit = true
			if c.num >= 0 {
				r.status = c.num
			}
			return cycleNoPrint
		case 'b':
			pc = c.jump - 1
			if c.jump >= len(r.cmds) {
				return cycleEnd
			}
		case 't':
			if r.tflag {
				r.tflag = false
				if c.jump >= len(r.cmds) {
					return cycleEnd
				}
				pc = c.jump - 1
			}
		case 'T':
			if !r.tflag {
				if c.jump >= len(r.cmds) {
					return cycleEnd
				}
				pc = c.jump - 1
			} else {
				r.tflag = false
			}
		case 'r', 'R':
			r.appends = append(r.appends, sedAppend{file: c.text})
		case 'w':
			r.wfiles[c.text].line(r.ps, true)
		case 'W':
			first, _, _ := strings.Cut(r.ps, "\n")
			r.wfiles[c.text].line(first, true)
		case 's':
			r.subst(c)
		case 'y':
			var b strings.Builder
			for _, ch := range r.ps {
				if m, ok := c.ymap[ch]; ok {
					ch = m
				}
				b.WriteRune(ch)
			}
			r.ps = b.String()
		}
	}
	return cycleEnd
}

func (r *sedRun) missingNL() string {
	if r.out.missing {
		r.out.missing = false
		return "\n"
	}
	return ""
}

func (r *sedRun) subst(c *sedCmd) {
	re := c.re
	if c.reEmpty {
		if r.lastRe == nil {
			return
		}
		re = r.lastRe
	} else {
		r.lastRe = re
	}
	n := -1
	if !c.global && c.nth <= 1 {
		n = 1
	} else if !c.global {
		n = c.nth
	}
	var b []byte
	if re.lit != "" {
		var ok bool
		if b, ok = r.replaceLit(c, re.lit); !ok {
			return
		}
	} else {
		matches := re.FindAllStringSubmatchIndex(r.ps, n)
		if len(matches) == 0 {
			return
		}
		first := 0
		if c.nth > 1 {
			first = c.nth - 1
			if first >= len(matches) {
				return
			}
		}
		if !c.global {
			matches = matches[first : first+1]
		} else {
			matches = matches[first:]
		}
		b = r.buf[:0]
		last := 0
		for _, m := range matches {
			b = append(b, r.ps[last:m[0]]...)
			b = appendRepl(b, c.repl, r.ps, m)
			last = m[1]
		}
		b = append(b, r.ps[last:]...)
	}
	r.ps = string(b)
	r.buf = b
	r.tflag = true
	for i := 0; i < c.print; i++ {
		r.out.line(r.ps, true)
	}
	if c.wfile != "" {
		r.wfiles[c.wfile].line(r.ps, true)
	}
}

// replaceLit is the substitution of s for a literal pattern, without
// building the list of matches: the new pattern space, or false when
// nothing was replaced.
func (r *sedRun) replaceLit(c *sedCmd, lit string) ([]byte, bool) {
	s := r.ps
	first := max(c.nth-1, 0)
	b := r.buf[:0]
	last, done := 0, false
	var m [2]int
	for pos, k := 0, 0; ; k++ {
		i := strings.Index(s[pos:], lit)
		if i < 0 {
			break
		}
		m[0] = pos + i
		m[1] = m[0] + len(lit)
		pos = m[1]
		if k < first {
			continue
		}
		b = append(b, s[last:m[0]]...)
		b = appendRepl(b, c.repl, s, m[:])
		last, done = m[1], true
		if !c.global {
			break
		}
	}
	if !done {
		return nil, false
	}
	return append(b, s[last:]...), true
}

// appendRepl appends the replacement for match m of s to b.
func appendRepl(b []byte, parts []replPart, s string, m []int) []byte {
	var mode, once byte // mode U/L, once u/l
	write := func(t string) {
		if mode == 0 && once == 0 {
			b = append(b, t...)
			return
		}
		for _, ch := range t {
			switch {
			case once == 'u':
				ch = unicode.ToUpper(ch)
				once = 0
			case once == 'l':
				ch = unicode.ToLower(ch)
				once = 0
			case mode == 'U':
				ch = unicode.ToUpper(ch)
			case mode == 'L':
				ch = unicode.ToLower(ch)
			}
			b = utf8.AppendRune(b, ch)
		}
	}
	for _, p := range parts {
		switch {
		case p.conv == 'U' || p.conv == 'L':
			mode, once = p.conv, 0
		case p.conv == 'E':
			mode, once = 0, 0
		case p.conv != 0:
			once = p.conv
		case p.group >= 0:
			if 2*p.group+1 < len(m) && m[2*p.group] >= 0 {
				write(s[m[2*p.group]:m[2*p.group+1]])
			}
		default:
			write(p.lit)
		}
	}
	return b
}

// listLine implements l: the pattern space with escapes, wrapped.
func (r *sedRun) listLine(width int) {
	if width < 0 {
		width = 70
	}
	var out strings.Builder
	col := 0
	emit := func(s string) {
		if width > 1 && col+len(s) > width-1 {
			out.WriteString("\\\n")
			col = 0
		}
		out.WriteString(s)
		col += len(s)
	}
	data := []byte(r.ps)
	for i := 0; i < len(data); {
		c := data[i]
		var s string
		switch c {
		case '\\':
			s = `\\`
		case '\a':
			s = `\a`
		case '\b':
			s = `\b`
		case '\f':
			s = `\f`
		case '\n':
			s = `\n`
		case '\r':
			s = `\r`
		case '\t':
			s = `\t`
		case '\v':
			s = `\v`
		default:
			if c >= 0x80 {
				if rr, size := utf8.DecodeRune(data[i:]); rr != utf8.RuneError && unicode.IsPrint(rr) {
					s = string(data[i : i+size])
					i += size
					emit(s)
					continue
				}
			}
			if c < 32 || c >= 127 {
				s = fmt.Sprintf("\\%03o", c)
			} else {
				s = string(c)
			}
		}
		i++
		emit(s)
	}
	out.WriteString("$")
	r.out.line(out.String(), true)
}
