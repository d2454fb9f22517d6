package files

import (
	"bufio"
	"context"
	"fmt"
	"io/fs"
	"os"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/sockerless/sockerless/builtins"
)

func init() {
	builtins.Register(&builtins.Command{Name: "find", Usage: findUsage, Run: runFind})
}

const findUsage = `Usage: find [-HL] [PATH]... [OPTIONS] [ACTIONS]

Search for files and perform actions on them.
First failed action stops processing of current file.
Defaults: PATH is current directory, action is '-print'

	-L,-follow	Follow symlinks
	-H		...on command line only
	-xdev		Don't descend directories on other filesystems
	-maxdepth N	Descend at most N levels. -maxdepth 0 applies
			actions to command line arguments only
	-mindepth N	Don't act on first N levels
	-depth		Act on directory *after* traversing it

Actions:
	( ACTIONS )	Group actions for -o / -a
	! ACT		Invert ACT's success/failure
	ACT1 [-a] ACT2	If ACT1 fails, stop, else do ACT2
	ACT1 -o ACT2	If ACT1 succeeds, stop, else do ACT2
			Note: -a has higher priority than -o
	-name PATTERN	Match file name (w/o directory name) to PATTERN
	-iname PATTERN	Case insensitive -name
	-path PATTERN	Match path to PATTERN
	-ipath PATTERN	Case insensitive -path
	-regex PATTERN	Match path to regex PATTERN
	-iregex PATTERN	Case insensitive -regex
	-type X		File type is X (one of: f,d,l,b,c,s,p)
	-executable	File is executable
	-perm MASK	At least one mask bit (+MASK), all bits (-MASK),
			or exactly MASK bits are set in file's mode
	-mtime DAYS	mtime is greater than (+N), less than (-N),
			or exactly N days in the past
	-atime, -ctime	The same for access and change times
	-mmin MINS	mtime is greater than (+N), less than (-N),
			or exactly N minutes in the past
	-amin, -cmin	The same for access and change times
	-newer FILE	mtime is more recent than FILE's
	-inum N		File has inode number N
	-samefile FILE	File is the same as FILE
	-user NAME/ID	File is owned by given user
	-group NAME/ID	File is owned by given group
	-uid N, -gid N	File is owned by the given numeric ids
	-size N[bck]	File size is N (c:bytes,k:kbytes,b:512 bytes(def.))
			+/-N: file size is bigger/smaller than N
	-links N	Number of links is greater than (+N), less than (-N),
			or exactly N
	-empty		Match empty file/directory
	-prune		If current file is directory, don't descend into it
If none of the following actions is specified, -print is assumed
	-print		Print file name
	-print0		Print file name, NUL terminated
	-printf FMT	Print with a GNU find format (%p %f %h %P %s %m %M %u %g
			%U %G %t %T@ %Tk %d %y %l %i %n %k %b %%)
	-exec CMD ARG ;	Run CMD with all instances of {} replaced by
			file name. Fails if CMD exits with nonzero
	-exec CMD ARG + Run CMD with {} replaced by list of file names
	-delete		Delete current file/directory. Turns on -depth option
	-quit		Exit`

// findFile is one visited file.
type findFile struct {
	path  string
	info  fs.FileInfo // from Sys: real modes and owners
	depth int
}

type findNode interface {
	eval(f *finder, ff *findFile) bool
}

type (
	andNode  struct{ l, r findNode }
	orNode   struct{ l, r findNode }
	notNode  struct{ x findNode }
	trueNode struct{}
	predNode struct {
		fn func(f *finder, ff *findFile) bool
	}
	execNode struct {
		argv  []string
		plus  bool
		files []string
		size  int
	}
)

func (n andNode) eval(f *finder, ff *findFile) bool { return n.l.eval(f, ff) && n.r.eval(f, ff) }
func (n orNode) eval(f *finder, ff *findFile) bool  { return n.l.eval(f, ff) || n.r.eval(f, ff) }
func (n notNode) eval(f *finder, ff *findFile) bool { return !n.x.eval(f, ff) }
func (trueNode) eval(*finder, *findFile) bool       { return true }
func (n predNode) eval(f *finder, ff *findFile) bool {
	return n.fn(f, ff)
}

type finder struct {
	ctx        context.Context
	env        *builtins.Env
	out        *bufio.Writer
	expr       findNode
	needPrint  bool
	follow     int // derefNever, derefArgs, derefAll
	depthFirst bool
	xdev       bool
	minDepth   int
	maxDepth   int
	status     int
	quit       bool
	pruned     bool
	execs      []*execNode
	ids        names
	now        time.Time
	rootDev    uint64
	visiting   map[[2]uint64]bool
	sawAction  bool
	parseErr   string
}

// findError ends parsing with a message.
type findError string

// parseFind parses find's expression (the arguments after the paths).
func parseFind(f *finder, args []string) (node findNode, err error) {
	defer func() {
		if r := recover(); r != nil {
			if fe, ok := r.(findError); ok {
				node, err = nil, fmt.Errorf("%s", string(fe))
				return
			}
			panic(r)
		}
	}()
	p := &findParser{f: f, args: args}
	if len(args) == 0 {
		return trueNode{}, nil
	}
	n := p.or()
	if p.pos < len(args) {
		if args[p.pos] == ")" {
			panic(findError("unpaired ')'"))
		}
		panic(findError("unrecognized: " + args[p.pos]))
	}
	return n, nil
}

type findParser struct {
	f    *finder
	args []string
	pos  int
}

func (p *findParser) peek() string {
	if p.pos < len(p.args) {
		return p.args[p.pos]
	}
	return ""
}

func (p *findParser) or() findNode {
	n := p.and()
	for p.pos < len(p.args) && (p.peek() == "-o" || p.peek() == "-or") {
		p.pos++
		if p.pos >= len(p.args) || p.peek() == ")" {
			panic(findError("missing expression after -o"))
		}
		n = orNode{n, p.and()}
	}
	return n
}

func (p *findParser) and() findNode {
	n := p.unary()
	for p.pos < len(p.args) {
		t := p.peek()
		if t == "-o" || t == "-or" || t == ")" {
			break
		}
		if t == "-a" || t == "-and" {
			p.pos++
			if p.pos >= len(p.args) {
				panic(findError("missing expression after -a"))
			}
		}
		n = andNode{n, p.unary()}
	}
	return n
}

func (p *findParser) unary() findNode {
	if p.pos >= len(p.args) {
		panic(findError("missing expression"))
	}
	t := p.peek()
	if t == "!" || t == "-not" {
		p.pos++
		return notNode{p.unary()}
	}
	if t == "(" {
		p.pos++
		if p.peek() == ")" {
			panic(findError("empty parentheses"))
		}
		n := p.or()
		if p.peek() != ")" {
			panic(findError("unpaired '('"))
		}
		p.pos++
		return n
	}
	p.pos++
	return p.primary(t)
}

func (p *findParser) arg(name string) string {
	if p.pos >= len(p.args) {
		panic(findError(fmt.Sprintf("%s requires an argument", name)))
	}
	a := p.args[p.pos]
	p.pos++
	return a
}

// plusMinus splits "+N"/"-N"/"N" into its sign and the number.
func plusMinus(name, s string) (byte, string) {
	if s == "" {
		panic(findError(fmt.Sprintf("invalid argument '' to '%s'", name)))
	}
	if s[0] == '+' || s[0] == '-' {
		return s[0], s[1:]
	}
	return 0, s
}

func (p *findParser) number(name, s string) int64 {
	n, err := strconv.ParseUint(s, 10, 63)
	if err != nil {
		panic(findError(fmt.Sprintf("invalid number '%s'", s)))
	}
	return int64(n)
}

func (p *findParser) primary(t string) findNode {
	f := p.f
	pred := func(fn func(f *finder, ff *findFile) bool) findNode { return predNode{fn} }
	switch t {
	case "-follow":
		f.follow = derefAll
		return trueNode{}
	case "-xdev", "-mount":
		f.xdev = true
		return trueNode{}
	case "-depth", "-d":
		f.depthFirst = true
		return trueNode{}
	case "-maxdepth", "-mindepth":
		a := p.arg(t)
		n, err := strconv.Atoi(a)
		if err != nil || n < 0 {
			panic(findError(fmt.Sprintf("invalid number '%s'", a)))
		}
		if t == "-maxdepth" {
			f.maxDepth = n
		} else {
			f.minDepth = n
		}
		return trueNode{}
	case "-true":
		return trueNode{}
	case "-false":
		return notNode{trueNode{}}
	case "-print":
		f.needPrint = false
		return pred(func(f *finder, ff *findFile) bool {
			f.out.WriteString(ff.path)
			f.out.WriteByte('\n')
			return true
		})
	case "-print0":
		f.needPrint = false
		return pred(func(f *finder, ff *findFile) bool {
			f.out.WriteString(ff.path)
			f.out.WriteByte(0)
			return true
		})
	case "-printf":
		format := p.arg(t)
		f.needPrint = false
		return pred(func(f *finder, ff *findFile) bool {
			f.out.WriteString(f.printf(format, ff))
			return true
		})
	case "-prune":
		return pred(func(f *finder, ff *findFile) bool {
			f.pruned = true
			return true
		})
	case "-quit":
		return pred(func(f *finder, ff *findFile) bool {
			f.quit = true
			return true
		})
	case "-delete":
		f.needPrint = false
		f.depthFirst = true
		return pred(func(f *finder, ff *findFile) bool {
			abs := f.env.Abs(ff.path)
			var err error
			if ff.info.IsDir() {
				if ff.path != "." {
					err = removeDir(abs)
				}
			} else {
				err = os.Remove(abs)
			}
			if err != nil {
				f.env.Errorf("find", "%s: %s", ff.path, errText(err))
				f.status = 1
			}
			return true
		})
	case "-empty":
		return pred(func(f *finder, ff *findFile) bool {
			if ff.info.IsDir() {
				d, err := os.Open(f.env.Abs(ff.path))
				if err != nil {
					f.env.Errorf("find", "%s: %s", ff.path, errText(err))
					return false
				}
				defer d.Close()
				names, _ := d.Readdirnames(1)
				return len(names) == 0
			}
			return ff.info.Mode().IsRegular() && ff.info.Size() == 0
		})
	case "-executable":
		return pred(func(f *finder, ff *findFile) bool {
			return unixMode(ff.info.Mode())&0o111 != 0
		})
	case "-exec", "-ok":
		e := &execNode{}
		for {
			if p.pos >= len(p.args) {
				panic(findError("-exec requires an argument"))
			}
			a := p.args[p.pos]
			p.pos++
			if a == ";" || a == "+" {
				e.plus = a == "+"
				break
			}
			e.argv = append(e.argv, a)
		}
		if len(e.argv) == 0 {
			panic(findError("-exec requires an argument"))
		}
		if e.plus {
			n := 0
			for _, a := range e.argv {
				n += strings.Count(a, "{}")
			}
			if n != 1 {
				panic(findError("only one '{}' allowed for -exec +"))
			}
		}
		f.needPrint = false
		f.execs = append(f.execs, e)
		return pred(func(f *finder, ff *findFile) bool { return f.exec(e, ff.path) })
	case "-name", "-iname":
		pat := p.arg(t)
		fold := t == "-iname"
		return pred(func(f *finder, ff *findFile) bool {
			return fnmatch(pat, findBase(ff.path), fold)
		})
	case "-path", "-wholename", "-ipath", "-iwholename":
		pat := p.arg(t)
		fold := t[1] == 'i'
		return pred(func(f *finder, ff *findFile) bool { return fnmatch(pat, ff.path, fold) })
	case "-regex", "-iregex":
		pat := p.arg(t)
		prefix := "^(?:"
		if t == "-iregex" {
			prefix = "(?i)^(?:"
		}
		re, err := regexp.Compile(prefix + breToERE(pat) + ")$")
		if err != nil {
			panic(findError(fmt.Sprintf("bad regex '%s'", pat)))
		}
		return pred(func(f *finder, ff *findFile) bool { return re.MatchString(ff.path) })
	case "-type":
		a := p.arg(t)
		want := map[string]uint32{"b": sIFBLK, "c": sIFCHR, "d": sIFDIR, "p": sIFIFO, "f": sIFREG, "l": sIFLNK, "s": sIFSOCK}[a]
		if want == 0 {
			panic(findError(fmt.Sprintf("invalid argument '%s' to '-type'", a)))
		}
		return pred(func(f *finder, ff *findFile) bool { return unixMode(ff.info.Mode())&sIFMT == want })
	case "-perm":
		a := p.arg(t)
		sign := byte(0)
		m := a
		if a != "" && (a[0] == '-' || a[0] == '+' || a[0] == '/') {
			sign, m = a[0], a[1:]
		}
		mask, ok := parseMode(m, 0, umask(p.f.env))
		if !ok {
			panic(findError(fmt.Sprintf("invalid mode '%s'", m)))
		}
		return pred(func(f *finder, ff *findFile) bool {
			mode := unixMode(ff.info.Mode())
			switch sign {
			case '+', '/':
				return mode&mask != 0
			case '-':
				return mode&mask == mask
			}
			return mode&0o7777 == mask
		})
	case "-mtime", "-atime", "-ctime", "-mmin", "-amin", "-cmin":
		sign, num := plusMinus(t, p.arg(t))
		n := p.number(t, num)
		unit := int64(86400)
		if strings.HasSuffix(t, "min") {
			unit = 60
		}
		kind := t[1]
		return pred(func(f *finder, ff *findFile) bool {
			tm := ff.info.ModTime()
			switch kind {
			case 'a':
				tm = atimeOf(ff.info)
			case 'c':
				tm = ctimeOf(ff.info)
			}
			age := f.now.Unix() - tm.Unix()
			switch sign {
			case '+':
				return age >= n*unit+unit
			case '-':
				return age < n*unit
			}
			return age >= n*unit && age < n*unit+unit
		})
	case "-newer", "-anewer", "-cnewer":
		ref := p.arg(t)
		fi, err := f.env.Sys.Stat(f.env.Abs(ref))
		if err != nil {
			panic(findError(fmt.Sprintf("can't stat '%s': %s", ref, errText(err))))
		}
		mt := fi.ModTime().Unix()
		kind := t[1]
		return pred(func(f *finder, ff *findFile) bool {
			tm := ff.info.ModTime()
			switch kind {
			case 'a':
				tm = atimeOf(ff.info)
			case 'c':
				tm = ctimeOf(ff.info)
			}
			return tm.Unix() > mt
		})
	case "-inum":
		n := p.number(t, p.arg(t))
		return pred(func(f *finder, ff *findFile) bool { return statT(ff.info).Ino == uint64(n) })
	case "-samefile":
		ref := p.arg(t)
		fi, err := f.env.Sys.Lstat(f.env.Abs(ref))
		if f.follow != derefNever {
			fi, err = f.env.Sys.Stat(f.env.Abs(ref))
		}
		if err != nil {
			panic(findError(fmt.Sprintf("can't stat '%s': %s", ref, errText(err))))
		}
		st := statT(fi)
		return pred(func(f *finder, ff *findFile) bool {
			s := statT(ff.info)
			return s.Ino == st.Ino && s.Dev == st.Dev
		})
	case "-user", "-uid":
		a := p.arg(t)
		id, ok := f.ids.uid(a)
		if t == "-uid" {
			var n uint64
			n, err := strconv.ParseUint(a, 10, 32)
			id, ok = uint32(n), err == nil
		}
		if !ok {
			panic(findError(fmt.Sprintf("unknown user '%s'", a)))
		}
		return pred(func(f *finder, ff *findFile) bool { return statT(ff.info).Uid == id })
	case "-group", "-gid":
		a := p.arg(t)
		id, ok := f.ids.gid(a)
		if t == "-gid" {
			n, err := strconv.ParseUint(a, 10, 32)
			id, ok = uint32(n), err == nil
		}
		if !ok {
			panic(findError(fmt.Sprintf("unknown group '%s'", a)))
		}
		return pred(func(f *finder, ff *findFile) bool { return statT(ff.info).Gid == id })
	case "-nouser", "-nogroup":
		return pred(func(f *finder, ff *findFile) bool {
			st := statT(ff.info)
			if t == "-nouser" {
				f.ids.user(st.Uid)
				return f.ids.users.byID[st.Uid] == ""
			}
			f.ids.group(st.Gid)
			return f.ids.groups.byID[st.Gid] == ""
		})
	case "-size":
		sign, num := plusMinus(t, p.arg(t))
		mult := int64(512)
		if num != "" {
			if m, ok := map[byte]int64{'c': 1, 'w': 2, 'b': 512, 'k': 1024, 'M': 1 << 20, 'G': 1 << 30}[num[len(num)-1]]; ok {
				mult, num = m, num[:len(num)-1]
			}
		}
		size := p.number(t, num) * mult
		return pred(func(f *finder, ff *findFile) bool {
			s := ff.info.Size()
			switch sign {
			case '+':
				return s > size
			case '-':
				return s < size
			}
			return s == size
		})
	case "-links":
		sign, num := plusMinus(t, p.arg(t))
		n := uint64(p.number(t, num))
		return pred(func(f *finder, ff *findFile) bool {
			l := statT(ff.info).Nlink
			switch sign {
			case '+':
				return l > n
			case '-':
				return l < n
			}
			return l == n
		})
	}
	panic(findError("unrecognized: " + t))
}

// findBase is the name -name matches: the last element, trailing slashes
// dropped ("/" stays "/").
func findBase(p string) string {
	t := strings.TrimRight(p, "/")
	if t == "" {
		if p == "" {
			return ""
		}
		return "/"
	}
	if i := strings.LastIndexByte(t, '/'); i >= 0 {
		return t[i+1:]
	}
	return t
}

func runFind(ctx context.Context, env *builtins.Env, args []string) int {
	f := &finder{ctx: ctx, env: env, needPrint: true, maxDepth: -1, now: time.Now(), visiting: map[[2]uint64]bool{}}
	i := 1
	for ; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			i++
			break
		}
		if len(a) < 2 || a[0] != '-' || strings.Trim(a[1:], "HLP") != "" {
			break
		}
		for _, c := range a[1:] {
			switch c {
			case 'H':
				f.follow = derefArgs
			case 'L':
				f.follow = derefAll
			case 'P':
				f.follow = derefNever
			}
		}
	}
	var paths []string
	for ; i < len(args); i++ {
		a := args[i]
		if (strings.HasPrefix(a, "-") && a != "-") || a == "!" || a == "(" {
			break
		}
		paths = append(paths, a)
	}
	if len(paths) == 0 {
		paths = []string{"."}
	}
	f.out = bufio.NewWriter(env.Stdout)
	defer f.out.Flush()
	expr, err := parseFind(f, args[i:])
	if err != nil {
		env.Errorf("find", "%s", err)
		return 1
	}
	f.expr = expr
	for _, p := range paths {
		if f.quit || ctx.Err() != nil {
			break
		}
		f.rootDev = 0
		if f.xdev {
			if fi, err := env.Sys.Stat(env.Abs(p)); err == nil {
				f.rootDev = statT(fi).Dev
			}
		}
		f.walk(p, 0)
	}
	if f.quit {
		return f.status
	}
	if ctx.Err() != nil {
		return 1
	}
	for _, e := range f.execs {
		if len(e.files) > 0 && !f.flush(e) {
			f.status = 1
		}
	}
	return f.status
}

func (f *finder) walk(path string, depth int) {
	if f.quit {
		return
	}
	if f.ctx.Err() != nil {
		f.status = 1
		return
	}
	abs := f.env.Abs(path)
	follow := f.follow == derefAll || (f.follow == derefArgs && depth == 0)
	var fi fs.FileInfo
	var err error
	if follow {
		fi, err = f.env.Sys.Stat(abs)
		if err != nil && os.IsNotExist(err) {
			if li, lerr := f.env.Sys.Lstat(abs); lerr == nil {
				fi, err = li, nil // dangling link
			}
		}
	} else {
		fi, err = f.env.Sys.Lstat(abs)
	}
	if err != nil {
		f.env.Errorf("find", "%s: %s", path, errText(err))
		f.status = 1
		return
	}
	ff := &findFile{path: path, info: fi, depth: depth}
	if !fi.IsDir() {
		f.visit(ff)
		return
	}
	st := statT(fi)
	key := [2]uint64{st.Dev, st.Ino}
	if follow && f.visiting[key] {
		f.env.Errorf("find", "File system loop detected; '%s' is part of the same file system loop", path)
		f.status = 1
		return
	}
	if !f.depthFirst {
		if skip := f.visit(ff); skip {
			return
		}
	} else if f.maxDepth >= 0 && depth > f.maxDepth {
		return
	}
	if f.maxDepth < 0 || depth < f.maxDepth {
		sameFS := !f.xdev || st.Dev == f.rootDev
		if sameFS || depth == 0 {
			f.visiting[key] = true
			d, err := os.Open(abs)
			if err != nil {
				f.env.Errorf("find", "%s: %s", path, errText(err))
				f.status = 1
			} else {
				names, err := d.Readdirnames(-1)
				d.Close()
				if err != nil {
					f.env.Errorf("find", "%s: %s", path, errText(err))
					f.status = 1
				}
				for _, n := range names {
					if f.quit {
						break
					}
					f.walk(joinName(path, n), depth+1)
				}
			}
			delete(f.visiting, key)
		}
	}
	if f.depthFirst && !f.quit {
		f.visit(ff)
	}
}

// visit evaluates the expression on ff. It reports whether a directory's
// contents must be skipped.
func (f *finder) visit(ff *findFile) (skip bool) {
	if ff.depth < f.minDepth {
		return false
	}
	if f.maxDepth >= 0 && ff.depth > f.maxDepth {
		return true
	}
	f.pruned = false
	if f.expr.eval(f, ff) && f.needPrint && !f.quit {
		f.out.WriteString(ff.path)
		f.out.WriteByte('\n')
	}
	if f.quit {
		f.out.Flush()
	}
	if f.xdev && ff.info.IsDir() && statT(ff.info).Dev != f.rootDev {
		return true
	}
	return f.pruned
}

const maxExecArgs = 128 * 1024

func (f *finder) exec(e *execNode, path string) bool {
	if e.plus {
		e.files = append(e.files, path)
		e.size += len(path) + 9
		if e.size >= maxExecArgs {
			return f.flush(e)
		}
		return true
	}
	argv := make([]string, len(e.argv))
	for i, a := range e.argv {
		argv[i] = strings.ReplaceAll(a, "{}", path)
	}
	return f.run(argv)
}

func (f *finder) flush(e *execNode) bool {
	var argv []string
	for _, a := range e.argv {
		if strings.Contains(a, "{}") {
			for _, p := range e.files {
				argv = append(argv, strings.Replace(a, "{}", p, 1))
			}
		} else {
			argv = append(argv, a)
		}
	}
	e.files, e.size = nil, 0
	return f.run(argv)
}

func (f *finder) run(argv []string) bool {
	f.out.Flush()
	if f.env.Exec == nil {
		f.env.Errorf("find", "%s: can't execute", argv[0])
		return false
	}
	return f.env.Exec(f.ctx, f.env, argv) == 0
}

// printf expands a GNU find -printf format.
func (f *finder) printf(format string, ff *findFile) string {
	var b strings.Builder
	for i := 0; i < len(format); i++ {
		c := format[i]
		if c == '\\' && i+1 < len(format) {
			i++
			switch format[i] {
			case 'n':
				b.WriteByte('\n')
			case 't':
				b.WriteByte('\t')
			case '0':
				b.WriteByte(0)
			case 'r':
				b.WriteByte('\r')
			case 'a':
				b.WriteByte('\a')
			case 'v':
				b.WriteByte('\v')
			case 'f':
				b.WriteByte('\f')
			case 'b':
				b.WriteByte('\b')
			case '\\':
				b.WriteByte('\\')
			case 'c':
				return b.String()
			default:
				b.WriteByte('\\')
				b.WriteByte(format[i])
			}
			continue
		}
		if c != '%' || i+1 >= len(format) {
			b.WriteByte(c)
			continue
		}
		j := i + 1
		for j < len(format) && strings.IndexByte("-+ #0123456789.", format[j]) >= 0 {
			j++
		}
		if j >= len(format) {
			b.WriteString(format[i:])
			break
		}
		mods := format[i+1 : j]
		d := format[j]
		i = j
		st := statT(ff.info)
		s := func(v string) { fmt.Fprintf(&b, "%"+mods+"s", v) }
		n := func(v any) { fmt.Fprintf(&b, "%"+mods+"d", v) }
		switch d {
		case '%':
			b.WriteByte('%')
		case 'p':
			s(ff.path)
		case 'f':
			s(findBase(ff.path))
		case 'h':
			p := strings.TrimRight(ff.path, "/")
			if k := strings.LastIndexByte(p, '/'); k > 0 {
				s(p[:k])
			} else if k == 0 {
				s("")
			} else {
				s(".")
			}
		case 'P':
			s(strings.TrimPrefix(strings.TrimPrefix(ff.path, rootOf(ff.path, ff.depth)), "/"))
		case 'H':
			s(rootOf(ff.path, ff.depth))
		case 's':
			n(ff.info.Size())
		case 'm':
			fmt.Fprintf(&b, "%"+mods+"o", unixMode(ff.info.Mode())&0o7777)
		case 'M':
			s(modeString(unixMode(ff.info.Mode())))
		case 'u':
			s(f.ids.user(st.Uid))
		case 'g':
			s(f.ids.group(st.Gid))
		case 'U':
			n(st.Uid)
		case 'G':
			n(st.Gid)
		case 'd':
			n(ff.depth)
		case 'i':
			n(st.Ino)
		case 'n':
			n(st.Nlink)
		case 'k':
			n((st.Blocks + 1) / 2)
		case 'b':
			n(st.Blocks)
		case 'y', 'Y':
			mode := unixMode(ff.info.Mode())
			if d == 'Y' && mode&sIFMT == sIFLNK {
				if ti, err := f.env.Sys.Stat(f.env.Abs(ff.path)); err == nil {
					mode = unixMode(ti.Mode())
				} else {
					s("N")
					break
				}
			}
			s(string("?pc?d?b?f?l?s???"[(mode>>12)&0xf]))
		case 'l':
			t := ""
			if ff.info.Mode()&fs.ModeSymlink != 0 {
				t, _ = os.Readlink(f.env.Abs(ff.path))
			}
			s(t)
		case 't', 'a', 'c':
			tm := ff.info.ModTime()
			if d == 'a' {
				tm = atimeOf(ff.info)
			} else if d == 'c' {
				tm = ctimeOf(ff.info)
			}
			s(tm.Local().Format("Mon Jan _2 15:04:05.0000000000 2006"))
		case 'T', 'A', 'C':
			tm := ff.info.ModTime()
			if d == 'A' {
				tm = atimeOf(ff.info)
			} else if d == 'C' {
				tm = ctimeOf(ff.info)
			}
			if i+1 >= len(format) {
				break
			}
			i++
			s(timeDirective(format[i], tm.Local()))
		default:
			b.WriteByte('%')
			b.WriteByte(d)
		}
	}
	return b.String()
}

// rootOf returns the starting point a path was found under.
func rootOf(p string, depth int) string {
	r := p
	for k := 0; k < depth; k++ {
		i := strings.LastIndexByte(r, '/')
		if i < 0 {
			return r
		}
		r = r[:i]
		if r == "" {
			return "/"
		}
	}
	return r
}

// timeDirective is one strftime-like conversion of -printf's %T.
func timeDirective(c byte, t time.Time) string {
	switch c {
	case '@':
		return fmt.Sprintf("%d.%010d", t.Unix(), t.Nanosecond()*10)
	case 'Y':
		return t.Format("2006")
	case 'm':
		return t.Format("01")
	case 'd':
		return t.Format("02")
	case 'H':
		return t.Format("15")
	case 'M':
		return t.Format("04")
	case 'S':
		return t.Format("05")
	case 'y':
		return t.Format("06")
	case 'b', 'h':
		return t.Format("Jan")
	case 'B':
		return t.Format("January")
	case 'a':
		return t.Format("Mon")
	case 'A':
		return t.Format("Monday")
	case 'e':
		return t.Format("_2")
	case 'j':
		return fmt.Sprintf("%03d", t.YearDay())
	case 'p':
		return t.Format("PM")
	case 'Z':
		return t.Format("MST")
	case 'z':
		return t.Format("-0700")
	case 'D':
		return t.Format("01/02/06")
	case 'F':
		return t.Format("2006-01-02")
	case 'T':
		return t.Format("15:04:05")
	case 'R':
		return t.Format("15:04")
	case 'r':
		return t.Format("03:04:05 PM")
	case 'k':
		return fmt.Sprintf("%2d", t.Hour())
	case 'l':
		return fmt.Sprintf("%2d", (t.Hour()+11)%12+1)
	case 'I':
		return t.Format("03")
	case 's':
		return strconv.FormatInt(t.Unix(), 10)
	case '+':
		return t.Format("2006-01-02+15:04:05.0000000000")
	}
	return string(c)
}
