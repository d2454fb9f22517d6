package files

import (
	"bufio"
	"context"
	"fmt"
	"io/fs"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/sockerless/sockerless/builtins"
)

func init() {
	builtins.Register(&builtins.Command{Name: "ls", Usage: lsUsage, Run: runLs})
}

const lsUsage = `Usage: ls [-1AaCxdLHRFplinshrSXvctu] [-w WIDTH] [FILE]...

List directory contents

	-1	One column output
	-a	Include names starting with .
	-A	Like -a, but exclude . and ..
	-x	List by lines
	-d	List directory names, not contents
	-L	Follow symlinks
	-H	Follow symlinks on command line
	-R	Recurse
	-p	Append / to directory names
	-F	Append indicator (one of */=@|) to names
	-l	Long format
	-i	List inode numbers
	-n	List numeric UIDs and GIDs instead of names
	-s	List allocated blocks
	-c	List ctime
	-u	List atime
	--full-time	List full date/time
	-h	Human readable sizes (1K 243M 2G)
	--group-directories-first
	-S	Sort by size
	-X	Sort by extension
	-v	Sort by version
	-t	Sort by mtime
	-tc	Sort by ctime
	-tu	Sort by atime
	-r	Reverse sort order
	-w N	Format N columns wide
	--color[={always,never,auto}]`

type lsNode struct {
	name, full string
	mode       uint32
	size       int64
	tm         time.Time
	st         *builtins.StatT
}

type lsOpts struct {
	all, almost, dir, long, one, cols, across, recur, rev, human     bool
	byTime, bySize, byExt, byVer, inode, numeric, noOwner, blocks    bool
	classify, slash, ctime, atime, deref, derefArgs, fullTime, quote bool
	dirsFirst                                                        bool
	width                                                            int
}

type lister struct {
	env    *builtins.Env
	o      lsOpts
	out    *bufio.Writer
	ids    names
	now    time.Time
	status int
	ctx    context.Context
	// active holds the directories being listed, against -RL loops.
	active map[[2]uint64]bool
}

func runLs(ctx context.Context, env *builtins.Env, args []string) int {
	fl := builtins.Flags(env, "ls")
	var o lsOpts
	var kb bool
	var color string
	fl.BoolVarP(&o.one, "one", "1", false, "")
	fl.BoolVarP(&o.all, "all", "a", false, "")
	fl.BoolVarP(&o.almost, "almost-all", "A", false, "")
	fl.BoolVarP(&o.cols, "columns", "C", false, "")
	fl.BoolVarP(&o.across, "across", "x", false, "")
	fl.BoolVarP(&o.dir, "directory", "d", false, "")
	fl.BoolVarP(&o.deref, "dereference", "L", false, "")
	fl.BoolVarP(&o.derefArgs, "dereference-command-line", "H", false, "")
	fl.BoolVarP(&o.recur, "recursive", "R", false, "")
	fl.BoolVarP(&o.slash, "slash", "p", false, "")
	fl.BoolVarP(&o.classify, "classify", "F", false, "")
	fl.BoolVarP(&o.long, "long", "l", false, "")
	fl.BoolVarP(&o.inode, "inode", "i", false, "")
	fl.BoolVarP(&o.numeric, "numeric-uid-gid", "n", false, "")
	fl.BoolVarP(&o.noOwner, "no-owner", "g", false, "")
	fl.BoolVarP(&o.blocks, "size", "s", false, "")
	fl.BoolVarP(&o.ctime, "ctime", "c", false, "")
	fl.BoolVarP(&o.atime, "atime", "u", false, "")
	fl.BoolVar(&o.fullTime, "full-time", false, "")
	fl.BoolVarP(&o.human, "human-readable", "h", false, "")
	fl.BoolVar(&o.dirsFirst, "group-directories-first", false, "")
	fl.BoolVarP(&o.bySize, "sort-size", "S", false, "")
	fl.BoolVarP(&o.byExt, "sort-extension", "X", false, "")
	fl.BoolVarP(&o.byVer, "sort-version", "v", false, "")
	fl.BoolVarP(&o.byTime, "sort-time", "t", false, "")
	fl.BoolVarP(&o.rev, "reverse", "r", false, "")
	fl.BoolVarP(&o.quote, "quote-name", "Q", false, "")
	fl.BoolVarP(&kb, "kibibytes", "k", false, "")
	fl.BoolP("escape", "e", false, "")
	fl.BoolP("tabsize", "T", false, "")
	fl.IntVarP(&o.width, "width", "w", 0, "")
	fl.StringVar(&color, "color", "never", "")
	fl.Lookup("color").NoOptDefVal = "always"
	if st, ok := builtins.ParseFlags(env, fl, args[1:]); !ok {
		return st
	}
	if o.numeric || o.noOwner || o.fullTime {
		o.long = true
	}
	// Of -C/-x/-l/-1 and of -t/-S the last one given wins.
	for _, a := range args[1:] {
		if a == "--" {
			break
		}
		if strings.HasPrefix(a, "-") && !strings.HasPrefix(a, "--") {
			for _, c := range a[1:] {
				switch c {
				case 't':
					o.byTime, o.bySize = true, false
				case 'S':
					o.bySize, o.byTime = true, false
				case 'C':
					o.cols, o.across, o.long, o.one = true, false, false, false
				case 'x':
					o.across, o.cols, o.long, o.one = true, false, false, false
				case 'l', 'n', 'g':
					o.long, o.cols, o.across = true, false, false
				case '1':
					o.one, o.cols, o.across = true, false, false
				case 'c':
					o.ctime, o.atime = true, false
				case 'u':
					o.atime, o.ctime = true, false
				}
			}
		}
	}
	if o.dir {
		o.recur = false
	}
	if !o.long && (o.ctime || o.atime) {
		o.byTime = true
	}
	if !o.long && !o.one && !o.cols && !o.across {
		// Scripts never run ls on a terminal: one name per line.
		o.one = true
	}
	if o.width == 0 {
		o.width = 80
		if c, err := strconv.Atoi(env.Getenv("COLUMNS")); err == nil && c > 0 {
			o.width = c
		}
		o.width--
	}
	l := &lister{env: env, o: o, out: bufio.NewWriter(env.Stdout), now: time.Now(), ctx: ctx, active: map[[2]uint64]bool{}}
	defer l.out.Flush()

	operands := fl.Args()
	if len(operands) == 0 {
		operands = []string{"."}
	}
	follow := !(o.long || o.inode || o.blocks || o.classify) || o.derefArgs
	var files, dirs []*lsNode
	for _, a := range operands {
		n := l.stat(a, a, follow)
		if n == nil {
			continue
		}
		if !o.dir && n.mode&sIFMT == sIFDIR {
			dirs = append(dirs, n)
		} else {
			files = append(files, n)
		}
	}
	l.sort(files)
	l.display(files)
	l.sort(dirs)
	l.dirs(dirs, len(files) == 0, len(operands) > 1)
	return l.status
}

func (l *lister) stat(full, name string, follow bool) *lsNode {
	var fi fs.FileInfo
	var err error
	if l.o.deref || follow {
		fi, err = l.env.Sys.Stat(l.env.Abs(full))
	} else {
		fi, err = l.env.Sys.Lstat(l.env.Abs(full))
	}
	if err != nil {
		l.env.Errorf("ls", "%s: %s", full, errText(err))
		l.status = 1
		return nil
	}
	st := statT(fi)
	n := &lsNode{name: name, full: full, mode: unixMode(fi.Mode()), size: fi.Size(), tm: fi.ModTime(), st: st}
	if l.o.atime {
		n.tm = atimeOf(fi)
	}
	if l.o.ctime {
		n.tm = ctimeOf(fi)
	}
	return n
}

func (l *lister) sort(ns []*lsNode) {
	o := l.o
	slices.SortFunc(ns, func(a, b *lsNode) int {
		d := 0
		if o.dirsFirst {
			ad, bd := a.mode&sIFMT == sIFDIR, b.mode&sIFMT == sIFDIR
			if ad != bd {
				if ad {
					d = -1
				} else {
					d = 1
				}
			}
		}
		if d == 0 {
			switch {
			case o.bySize:
				d = cmpInt(b.size, a.size)
			case o.byTime:
				d = cmpInt(b.tm.Unix(), a.tm.Unix())
			case o.byVer:
				d = verCmp(a.name, b.name)
			case o.byExt:
				d = strings.Compare(extOf(a.name), extOf(b.name))
			}
			if d == 0 {
				d = strings.Compare(a.name, b.name)
			}
		}
		if o.rev {
			return -d
		}
		return d
	})
}

func cmpInt(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func extOf(name string) string {
	if i := strings.IndexByte(name, '.'); i >= 0 {
		return name[i:]
	}
	return ""
}

// verCmp compares like strverscmp: digit runs by numeric value.
func verCmp(a, b string) int {
	for a != "" && b != "" {
		if isDigit(a[0]) && isDigit(b[0]) {
			i, j := 0, 0
			for i < len(a) && isDigit(a[i]) {
				i++
			}
			for j < len(b) && isDigit(b[j]) {
				j++
			}
			na, nb := strings.TrimLeft(a[:i], "0"), strings.TrimLeft(b[:j], "0")
			if len(na) != len(nb) {
				return cmpInt(int64(len(na)), int64(len(nb)))
			}
			if c := strings.Compare(na, nb); c != 0 {
				return c
			}
			a, b = a[i:], b[j:]
			continue
		}
		if a[0] != b[0] {
			return cmpInt(int64(a[0]), int64(b[0]))
		}
		a, b = a[1:], b[1:]
	}
	return cmpInt(int64(len(a)), int64(len(b)))
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func (l *lister) dirs(ds []*lsNode, first, label bool) {
	for _, d := range ds {
		if l.ctx.Err() != nil {
			l.status = 1
			return
		}
		if label || l.o.recur {
			if !first {
				l.out.WriteByte('\n')
			}
			first = false
			fmt.Fprintf(l.out, "%s:\n", d.full)
		}
		key := [2]uint64{d.st.Dev, d.st.Ino}
		if l.active[key] && d.st.Ino != 0 {
			l.env.Errorf("ls", "%s: not listing already-listed directory", d.full)
			l.status = 1
			continue
		}
		l.active[key] = true
		kids, ok := l.scan(d.full)
		if !ok {
			l.status = 1
		}
		if l.o.long || l.o.blocks {
			var blocks int64 = 1
			for _, k := range kids {
				blocks += k.st.Blocks
			}
			blocks >>= 1
			if l.o.human {
				fmt.Fprintf(l.out, "total %-7s\n", humanSizeInt(uint64(blocks)*1024))
			} else {
				fmt.Fprintf(l.out, "total %d\n", blocks)
			}
		}
		if len(kids) == 0 {
			delete(l.active, key)
			continue
		}
		l.sort(kids)
		l.display(kids)
		if l.o.recur {
			var sub []*lsNode
			for _, k := range kids {
				if k.mode&sIFMT == sIFDIR && k.name != "." && k.name != ".." {
					sub = append(sub, k)
				}
			}
			l.sort(sub)
			l.dirs(sub, false, label)
		}
		delete(l.active, key)
	}
}

func (l *lister) scan(dir string) ([]*lsNode, bool) {
	f, err := os.Open(l.env.Abs(dir))
	if err != nil {
		l.env.Errorf("ls", "can't open '%s': %s", dir, errText(err))
		return nil, false
	}
	names, err := f.Readdirnames(-1)
	f.Close()
	if err != nil {
		l.env.Errorf("ls", "can't open '%s': %s", dir, errText(err))
		return nil, false
	}
	if l.o.all {
		names = append(names, ".", "..")
	}
	var out []*lsNode
	for _, name := range names {
		if name[0] == '.' && !l.o.all && !l.o.almost {
			continue
		}
		full := dir + "/" + name
		if strings.HasSuffix(dir, "/") {
			full = dir + name
		}
		if n := l.stat(full, name, false); n != nil {
			out = append(out, n)
		}
	}
	return out, true
}

func (l *lister) nameWidth(n *lsNode) int {
	w := len([]rune(printable(n.name)))
	if l.o.quote {
		w += 2 + strings.Count(n.name, `"`) + strings.Count(n.name, `\`)
	}
	return w
}

func (l *lister) display(ns []*lsNode) {
	if len(ns) == 0 {
		return
	}
	ncols, colw := 1, 0
	if !l.o.long && !l.o.one {
		for _, n := range ns {
			colw = max(colw, l.nameWidth(n))
		}
		colw += 2
		if l.o.inode {
			colw += 8
		}
		if l.o.blocks {
			colw += 5
		}
		ncols = l.o.width / colw
	}
	nrows := len(ns)
	if ncols > 1 {
		nrows = (len(ns) + ncols - 1) / ncols
	} else {
		ncols = 1
	}
	for row := 0; row < nrows; row++ {
		column, nexttab := 0, 0
		for nc := 0; nc < ncols; nc++ {
			i := nc*nrows + row
			if l.o.across {
				i = row*ncols + nc
			}
			if i >= len(ns) {
				continue
			}
			if column > 0 {
				pad := nexttab - column
				if pad > 0 {
					l.out.WriteString(strings.Repeat(" ", pad))
				}
				column += pad
			}
			nexttab = column + colw
			column += l.single(ns[i])
		}
		l.out.WriteByte('\n')
	}
}

func (l *lister) appendChar(mode uint32) string {
	if !l.o.classify && !l.o.slash {
		return ""
	}
	if mode&sIFMT == sIFDIR {
		return "/"
	}
	if !l.o.classify {
		return ""
	}
	switch mode & sIFMT {
	case sIFREG:
		if mode&0o111 != 0 {
			return "*"
		}
		return ""
	case sIFLNK:
		return "@"
	case sIFIFO:
		return "|"
	case sIFSOCK:
		return "="
	}
	return ""
}

func (l *lister) printName(s string) int {
	s = printable(s)
	if !l.o.quote {
		l.out.WriteString(s)
		return len([]rune(s))
	}
	q := `"` + strings.ReplaceAll(strings.ReplaceAll(s, `\`, `\\`), `"`, `\"`) + `"`
	l.out.WriteString(q)
	return len([]rune(q))
}

func (l *lister) single(n *lsNode) int {
	o := l.o
	column := 0
	app := l.appendChar(n.mode)
	var target string
	isLink := n.mode&sIFMT == sIFLNK
	if o.long && isLink {
		t, err := os.Readlink(l.env.Abs(n.full))
		if err != nil {
			l.env.Errorf("ls", "%s: cannot read link: %s", n.full, errText(err))
			isLink = false
		}
		target = t
	}
	w := l.out
	if o.inode {
		s := fmt.Sprintf("%7d ", n.st.Ino)
		w.WriteString(s)
		column += len(s)
	}
	if o.blocks {
		var s string
		if o.human {
			s = fmt.Sprintf("%7s ", humanSize(uint64(n.st.Blocks)<<9))
		} else {
			s = fmt.Sprintf("%6d ", n.st.Blocks>>1)
		}
		w.WriteString(s)
		column += len(s)
	}
	if o.long {
		var b strings.Builder
		fmt.Fprintf(&b, "%-10s %4d ", modeString(n.mode), n.st.Nlink)
		switch {
		case o.numeric && o.noOwner:
			fmt.Fprintf(&b, "%-8d ", n.st.Gid)
		case o.numeric:
			fmt.Fprintf(&b, "%-8d %-8d ", n.st.Uid, n.st.Gid)
		case o.noOwner:
			fmt.Fprintf(&b, "%-8s ", l.ids.group(n.st.Gid))
		default:
			fmt.Fprintf(&b, "%-8s %-8s ", l.ids.user(n.st.Uid), l.ids.group(n.st.Gid))
		}
		switch {
		case n.mode&sIFMT == sIFBLK || n.mode&sIFMT == sIFCHR:
			fmt.Fprintf(&b, "%4d, %3d ", devMajor(n.st.Rdev), devMinor(n.st.Rdev))
		case o.human:
			fmt.Fprintf(&b, "%7s ", humanSize(uint64(n.size)))
		default:
			fmt.Fprintf(&b, "%9d ", n.size)
		}
		t := n.tm.Local()
		if o.fullTime {
			b.WriteString(t.Format("2006-01-02 15:04:05 -0700 "))
		} else {
			age := l.now.Unix() - t.Unix()
			if age < 3600*24*365/2 && age > -15*60 {
				b.WriteString(t.Format("Jan _2 15:04 "))
			} else {
				b.WriteString(t.Format("Jan _2  2006 "))
			}
		}
		w.WriteString(b.String())
		column += b.Len()
	}
	column += l.printName(n.name)
	if o.long && isLink {
		w.WriteString(" -> ")
		if o.classify || o.slash {
			app = ""
			if fi, err := l.env.Sys.Stat(l.env.Abs(n.full)); err == nil {
				app = l.appendChar(unixMode(fi.Mode()))
			}
		}
		column += l.printName(target) + 4
	}
	if app != "" {
		w.WriteString(app)
		column++
	}
	return column
}

func devMajor(d uint64) uint64 { return ((d >> 8) & 0xfff) | ((d >> 32) &^ 0xfff) }
func devMinor(d uint64) uint64 { return (d & 0xff) | ((d >> 12) &^ 0xff) }
