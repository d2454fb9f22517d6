package text

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/sockerless/sockerless/builtins"
)

func init() {
	builtins.Register(&builtins.Command{
		Name: "diff",
		Usage: `Usage: diff [-abBdiNqrTstw] [-L LABEL] [-S FILE] [-U LINES] FILE1 FILE2

Compare files line by line and output the differences between them.
This implementation supports unified diffs only ("-u")

	-a	Treat all files as text
	-b	Ignore changes in the amount of whitespace
	-B	Ignore changes whose lines are all blank
	-d	Try hard to find a smaller set of changes
	-i	Ignore case differences
	-L	Use LABEL instead of the filename in the unified header
	-N	Treat absent files as empty
	-q	Output only whether files differ
	-r	Recurse
	-S	Start with FILE when comparing directories
	-T	Make tabs line up by prefixing a tab when necessary
	-s	Report when two files are the same
	-t	Expand tabs to spaces in output
	-U	Output LINES lines of context
	-w	Ignore all whitespace`,
		Run: runDiff,
	})
}

type diffOpts struct {
	text, ignSpace, ignBlank, icase, newFile, brief, recurse bool
	same, ignAll, expandTabs, initialTab                     bool
	context                                                  int
	labels                                                   []string
}

type differ struct {
	ctx    context.Context
	env    *builtins.Env
	o      *diffOpts
	out    *bufio.Writer
	status int
}

func runDiff(ctx context.Context, env *builtins.Env, args []string) int {
	o := &diffOpts{context: 3}
	fs := builtins.Flags(env, "diff")
	fs.BoolVarP(&o.text, "text", "a", false, "")
	fs.BoolVarP(&o.ignSpace, "ignore-space-change", "b", false, "")
	fs.BoolVarP(&o.ignBlank, "ignore-blank-lines", "B", false, "")
	fs.BoolP("minimal", "d", false, "")
	fs.BoolVarP(&o.icase, "ignore-case", "i", false, "")
	fs.StringArrayVarP(&o.labels, "label", "L", nil, "")
	fs.BoolVarP(&o.newFile, "new-file", "N", false, "")
	fs.BoolVarP(&o.brief, "brief", "q", false, "")
	fs.BoolVarP(&o.recurse, "recursive", "r", false, "")
	fs.StringP("starting-file", "S", "", "")
	fs.BoolVarP(&o.initialTab, "initial-tab", "T", false, "")
	fs.BoolVarP(&o.same, "report-identical-files", "s", false, "")
	fs.BoolVarP(&o.expandTabs, "expand-tabs", "t", false, "")
	fs.IntVarP(&o.context, "unified", "U", 3, "")
	unified := fs.BoolP("u", "u", false, "")
	fs.BoolVarP(&o.ignAll, "ignore-all-space", "w", false, "")
	fs.Lookup("u").Hidden = true
	_ = unified
	if st, ok := builtins.ParseFlags(env, fs, args[1:]); !ok {
		return 2
	} else {
		_ = st
	}
	rest := fs.Args()
	if len(rest) != 2 {
		env.Errorf("diff", "need two files")
		return 2
	}
	d := &differ{ctx: ctx, env: env, o: o, out: bufio.NewWriter(env.Stdout)}
	defer d.out.Flush()
	a, b := rest[0], rest[1]
	ia, erra := d.stat(a)
	ib, errb := d.stat(b)
	if erra != nil && !(o.newFile && os.IsNotExist(erra)) {
		env.Errorf("diff", "can't stat '%s': %s", a, errText(erra))
		return 2
	}
	if errb != nil && !(o.newFile && os.IsNotExist(errb)) {
		env.Errorf("diff", "can't stat '%s': %s", b, errText(errb))
		return 2
	}
	aDir := ia != nil && ia.IsDir()
	bDir := ib != nil && ib.IsDir()
	switch {
	case aDir && bDir:
		d.dirs(a, b, "")
	case aDir && b != "-":
		d.files(filepath.Join(a, filepath.Base(b)), b)
	case bDir && a != "-":
		d.files(a, filepath.Join(b, filepath.Base(a)))
	case aDir || bDir:
		env.Errorf("diff", "can't compare stdin to a directory")
		return 2
	default:
		d.files(a, b)
	}
	return d.status
}

func (d *differ) stat(name string) (os.FileInfo, error) {
	if name == "-" {
		return nil, nil
	}
	return os.Stat(d.env.Abs(name))
}

func (d *differ) setStatus(s int) {
	if s > d.status {
		d.status = s
	}
}

// dirs compares two directory trees below rel.
func (d *differ) dirs(a, b, rel string) {
	if d.ctx.Err() != nil {
		d.setStatus(2)
		return
	}
	list := func(dir string) (map[string]os.DirEntry, error) {
		ents, err := os.ReadDir(d.env.Abs(filepath.Join(dir, rel)))
		m := map[string]os.DirEntry{}
		for _, e := range ents {
			m[e.Name()] = e
		}
		return m, err
	}
	ea, err := list(a)
	if err != nil {
		d.env.Errorf("diff", "%s: %s", filepath.Join(a, rel), errText(err))
		d.setStatus(2)
		return
	}
	eb, err := list(b)
	if err != nil {
		d.env.Errorf("diff", "%s: %s", filepath.Join(b, rel), errText(err))
		d.setStatus(2)
		return
	}
	var names []string
	for n := range ea {
		names = append(names, n)
	}
	for n := range eb {
		if _, ok := ea[n]; !ok {
			names = append(names, n)
		}
	}
	slices.Sort(names)
	isDir := func(dir, name string) (bool, bool) {
		info, err := os.Stat(d.env.Abs(filepath.Join(dir, rel, name)))
		if err != nil {
			return false, false
		}
		return info.IsDir(), true
	}
	for _, n := range names {
		r := filepath.Join(rel, n)
		da, oka := isDir(a, n)
		db, okb := isDir(b, n)
		switch {
		case oka && okb && da && db:
			if d.o.recurse {
				d.dirs(a, b, r)
			} else {
				fmt.Fprintf(d.out, "Common subdirectories: %s and %s\n", filepath.Join(a, r), filepath.Join(b, r))
			}
		case oka && okb && !da && !db:
			d.files(filepath.Join(a, r), filepath.Join(b, r))
		case oka && okb:
			// a file and a directory
			fmt.Fprintf(d.out, "File %s is a %s while file %s is a %s\n",
				filepath.Join(a, r), kind(da), filepath.Join(b, r), kind(db))
			d.setStatus(1)
		case d.o.recurse && (da || db):
			// busybox only descends into directories present on both sides
			if d.o.newFile {
				if oka {
					d.onlyTree(a, b, r, true)
				} else {
					d.onlyTree(b, a, r, false)
				}
			}
			d.setStatus(1)
		case d.o.newFile:
			if oka {
				d.files(filepath.Join(a, r), filepath.Join(b, r))
			} else {
				d.files(filepath.Join(a, r), filepath.Join(b, r))
			}
		default:
			dir := a
			if !oka {
				dir = b
			}
			fmt.Fprintf(d.out, "Only in %s: %s\n", dir, r)
			d.setStatus(1)
		}
	}
}

func kind(dir bool) string {
	if dir {
		return "directory"
	}
	return "regular file"
}

// onlyTree diffs every file of a directory present on one side only
// against nothing (-N).
func (d *differ) onlyTree(have, other, rel string, left bool) {
	root := d.env.Abs(filepath.Join(have, rel))
	var files []string
	filepath.WalkDir(root, func(p string, e os.DirEntry, err error) error {
		if err == nil && !e.IsDir() {
			r, _ := filepath.Rel(d.env.Abs(have), p)
			files = append(files, r)
		}
		return nil
	})
	for _, r := range files {
		if left {
			d.files(filepath.Join(have, r), filepath.Join(other, r))
		} else {
			d.files(filepath.Join(other, r), filepath.Join(have, r))
		}
	}
}

type diffFile struct {
	lines  []string
	noEOL  bool // the last line has no newline
	binary bool
	exists bool
}

func (d *differ) read(name string) (*diffFile, error) {
	var data []byte
	var err error
	if name == "-" {
		data, err = io.ReadAll(d.env.Stdin)
	} else {
		data, err = os.ReadFile(d.env.Abs(name))
		if err != nil && d.o.newFile && os.IsNotExist(err) {
			return &diffFile{}, nil
		}
	}
	if err != nil {
		return nil, err
	}
	f := &diffFile{exists: true}
	if !d.o.text && bytes.IndexByte(data, 0) >= 0 {
		f.binary = true
	}
	s := string(data)
	if s != "" {
		if !strings.HasSuffix(s, "\n") {
			f.noEOL = true
		} else {
			s = s[:len(s)-1]
		}
		f.lines = strings.Split(s, "\n")
	}
	return f, nil
}

func (d *differ) key(s string) string {
	if d.o.ignAll {
		s = strings.Map(func(r rune) rune {
			if r == ' ' || r == '\t' || r == '\v' || r == '\f' || r == '\r' {
				return -1
			}
			return r
		}, s)
	} else if d.o.ignSpace {
		lead := len(s) > 0 && (s[0] == ' ' || s[0] == '\t')
		s = strings.Join(strings.Fields(s), " ")
		if lead {
			// leading whitespace counts, only its amount is ignored
			s = " " + s
		}
	}
	if d.o.icase {
		s = strings.ToLower(s)
	}
	return s
}

func (d *differ) files(a, b string) {
	fa, err := d.read(a)
	if err != nil {
		d.env.Errorf("diff", "can't open '%s': %s", a, errText(err))
		d.setStatus(2)
		return
	}
	fb, err := d.read(b)
	if err != nil {
		d.env.Errorf("diff", "can't open '%s': %s", b, errText(err))
		d.setStatus(2)
		return
	}
	if fa.binary || fb.binary {
		if !slices.Equal(fa.lines, fb.lines) || fa.noEOL != fb.noEOL {
			fmt.Fprintf(d.out, "Files %s and %s differ\n", a, b)
			d.setStatus(1)
		}
		return
	}
	ka := make([]string, len(fa.lines))
	kb := make([]string, len(fb.lines))
	for i, l := range fa.lines {
		ka[i] = d.key(l)
	}
	for i, l := range fb.lines {
		kb[i] = d.key(l)
	}
	// a missing final newline makes the last lines differ
	if fa.noEOL && len(ka) > 0 {
		ka[len(ka)-1] += "\x00noeol"
	}
	if fb.noEOL && len(kb) > 0 {
		kb[len(kb)-1] += "\x00noeol"
	}
	ca, cb := lcsDiff(ka, kb)
	hunks := makeHunks(ca, cb, d.o.context)
	if d.o.ignBlank {
		hunks = d.dropBlank(hunks, fa, fb, ca, cb)
	}
	if len(hunks) == 0 {
		// busybox accepts -s but, unlike GNU, reports nothing
		return
	}
	d.setStatus(1)
	if d.o.brief {
		fmt.Fprintf(d.out, "Files %s and %s differ\n", a, b)
		return
	}
	la, lb := a, b
	if !fa.exists {
		la = "/dev/null"
	}
	if !fb.exists {
		lb = "/dev/null"
	}
	if len(d.o.labels) > 0 {
		la = d.o.labels[0]
	}
	if len(d.o.labels) > 1 {
		lb = d.o.labels[1]
	}
	fmt.Fprintf(d.out, "--- %s\n+++ %s\n", la, lb)
	for _, h := range hunks {
		d.printHunk(h, fa, fb, ca, cb)
	}
}

// lcsDiff marks the lines of a deleted and of b inserted by a shortest
// edit script (Myers' linear-space algorithm).
func lcsDiff(a, b []string) (ca, cb []bool) {
	// map lines to ints for fast comparison
	ids := map[string]int{}
	ia := make([]int, len(a))
	ib := make([]int, len(b))
	for i, s := range a {
		id, ok := ids[s]
		if !ok {
			id = len(ids)
			ids[s] = id
		}
		ia[i] = id
	}
	for i, s := range b {
		id, ok := ids[s]
		if !ok {
			id = len(ids)
			ids[s] = id
		}
		ib[i] = id
	}
	m := &myers{a: ia, b: ib, ca: make([]bool, len(a)), cb: make([]bool, len(b))}
	n := len(a) + len(b) + 2
	m.vf = make([]int, 2*n+2)
	m.vb = make([]int, 2*n+2)
	m.compare(0, len(a), 0, len(b))
	return m.ca, m.cb
}

type myers struct {
	a, b   []int
	ca, cb []bool
	vf, vb []int
}

func (m *myers) compare(a0, a1, b0, b1 int) {
	for a0 < a1 && b0 < b1 && m.a[a0] == m.b[b0] {
		a0++
		b0++
	}
	for a0 < a1 && b0 < b1 && m.a[a1-1] == m.b[b1-1] {
		a1--
		b1--
	}
	if a0 == a1 {
		for j := b0; j < b1; j++ {
			m.cb[j] = true
		}
		return
	}
	if b0 == b1 {
		for i := a0; i < a1; i++ {
			m.ca[i] = true
		}
		return
	}
	x0, y0, x1, y1 := m.middleSnake(a0, a1, b0, b1)
	m.compare(a0, a0+x0, b0, b0+y0)
	m.compare(a0+x1, a1, b0+y1, b1)
}

// middleSnake finds the middle snake of an optimal path from (a0,b0) to
// (a1,b1), returned as offsets from (a0,b0).
func (m *myers) middleSnake(a0, a1, b0, b1 int) (int, int, int, int) {
	n, mm := a1-a0, b1-b0
	delta := n - mm
	odd := delta&1 != 0
	max := (n + mm + 1) / 2
	off := max + 1
	vf := m.vf[:2*off+1]
	vb := m.vb[:2*off+1]
	vf[off+1] = 0
	vb[off+1] = 0
	for d := 0; d <= max; d++ {
		for k := -d; k <= d; k += 2 {
			var x int
			if k == -d || (k != d && vf[off+k-1] < vf[off+k+1]) {
				x = vf[off+k+1]
			} else {
				x = vf[off+k-1] + 1
			}
			y := x - k
			sx, sy := x, y
			for x < n && y < mm && m.a[a0+x] == m.b[b0+y] {
				x++
				y++
			}
			vf[off+k] = x
			if odd {
				kr := delta - k
				if kr >= -(d-1) && kr <= d-1 && vf[off+k]+vb[off+kr] >= n {
					return sx, sy, x, y
				}
			}
		}
		for k := -d; k <= d; k += 2 {
			var x int
			if k == -d || (k != d && vb[off+k-1] < vb[off+k+1]) {
				x = vb[off+k+1]
			} else {
				x = vb[off+k-1] + 1
			}
			y := x - k
			sx, sy := x, y
			for x < n && y < mm && m.a[a1-1-x] == m.b[b1-1-y] {
				x++
				y++
			}
			vb[off+k] = x
			if !odd {
				kf := delta - k
				if kf >= -d && kf <= d && vb[off+k]+vf[off+kf] >= n {
					return n - x, mm - y, n - sx, mm - sy
				}
			}
		}
	}
	// not reached for a consistent input
	return n, mm, n, mm
}

type hunk struct {
	a0, a1, b0, b1 int // line ranges shown, half-open
}

// makeHunks groups changes with ctx lines of context around them.
func makeHunks(ca, cb []bool, ctx int) []hunk {
	type change struct{ a0, a1, b0, b1 int }
	var changes []change
	i, j := 0, 0
	for i < len(ca) || j < len(cb) {
		if i < len(ca) && j < len(cb) && !ca[i] && !cb[j] {
			i++
			j++
			continue
		}
		c := change{a0: i, b0: j}
		for i < len(ca) && ca[i] {
			i++
		}
		for j < len(cb) && cb[j] {
			j++
		}
		c.a1, c.b1 = i, j
		changes = append(changes, c)
	}
	var hunks []hunk
	for _, c := range changes {
		h := hunk{
			a0: max(c.a0-ctx, 0), a1: min(c.a1+ctx, len(ca)),
			b0: max(c.b0-ctx, 0), b1: min(c.b1+ctx, len(cb)),
		}
		if n := len(hunks); n > 0 && hunks[n-1].a1 >= h.a0 {
			hunks[n-1].a1, hunks[n-1].b1 = h.a1, h.b1
			continue
		}
		hunks = append(hunks, h)
	}
	return hunks
}

// dropBlank removes hunks whose changes only add or remove blank lines.
func (d *differ) dropBlank(hunks []hunk, fa, fb *diffFile, ca, cb []bool) []hunk {
	var out []hunk
	for _, h := range hunks {
		blank := true
		for i := h.a0; i < h.a1; i++ {
			if ca[i] && strings.TrimSpace(fa.lines[i]) != "" {
				blank = false
			}
		}
		for j := h.b0; j < h.b1; j++ {
			if cb[j] && strings.TrimSpace(fb.lines[j]) != "" {
				blank = false
			}
		}
		if !blank {
			out = append(out, h)
		}
	}
	return out
}

func rangeStr(start, n int) string {
	if n == 1 {
		return strconv.Itoa(start + 1)
	}
	if n == 0 {
		return strconv.Itoa(start) + ",0"
	}
	return strconv.Itoa(start+1) + "," + strconv.Itoa(n)
}

func (d *differ) printHunk(h hunk, fa, fb *diffFile, ca, cb []bool) {
	fmt.Fprintf(d.out, "@@ -%s +%s @@\n", rangeStr(h.a0, h.a1-h.a0), rangeStr(h.b0, h.b1-h.b0))
	line := func(prefix byte, s string, noEOL bool) {
		d.out.WriteByte(prefix)
		if d.o.initialTab {
			d.out.WriteByte('\t')
		}
		if d.o.expandTabs {
			s = expandTabs(s)
		}
		d.out.WriteString(s)
		d.out.WriteByte('\n')
		if noEOL {
			d.out.WriteString("\\ No newline at end of file\n")
		}
	}
	i, j := h.a0, h.b0
	for i < h.a1 || j < h.b1 {
		if i < h.a1 && j < h.b1 && !ca[i] && !cb[j] {
			line(' ', fa.lines[i], fa.noEOL && i == len(fa.lines)-1)
			i++
			j++
			continue
		}
		for i < h.a1 && ca[i] {
			line('-', fa.lines[i], fa.noEOL && i == len(fa.lines)-1)
			i++
		}
		for j < h.b1 && cb[j] {
			line('+', fb.lines[j], fb.noEOL && j == len(fb.lines)-1)
			j++
		}
	}
}

func expandTabs(s string) string {
	if !strings.Contains(s, "\t") {
		return s
	}
	var b strings.Builder
	col := 0
	for _, r := range s {
		if r == '\t' {
			n := 8 - col%8
			b.WriteString(strings.Repeat(" ", n))
			col += n
			continue
		}
		b.WriteRune(r)
		col++
	}
	return b.String()
}
