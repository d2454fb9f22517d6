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

// dirs compares two directories the way busybox does: each tree is
// listed as sorted relative paths (files only with -r, where a directory
// missing on the other side is not entered unless -N), and the two lists
// are merged.
func (d *differ) dirs(a, b, _ string) {
	la := d.listTree(a, b)
	lb := d.listTree(b, a)
	i, j := 0, 0
	for i < len(la) || j < len(lb) {
		if d.ctx.Err() != nil {
			d.setStatus(2)
			return
		}
		var pos int
		switch {
		case i >= len(la):
			pos = 1
		case j >= len(lb):
			pos = -1
		default:
			pos = strings.Compare(la[i], lb[j])
		}
		k, rel := 0, ""
		if pos > 0 {
			k, rel = 1, lb[j]
		} else {
			rel = la[i]
		}
		roots := [2]string{a, b}
		full := [2]string{filepath.Join(a, rel), filepath.Join(b, rel)}
		switch {
		case pos != 0 && !d.o.newFile:
			fmt.Fprintf(d.out, "Only in %s: %s\n", roots[k], rel)
			d.setStatus(1)
		default:
			// a side missing under -N takes the type of the other
			ia, err := os.Stat(d.env.Abs(full[k]))
			if err != nil {
				break
			}
			ib := ia
			if pos == 0 {
				if ib, err = os.Stat(d.env.Abs(full[1])); err != nil {
					break
				}
			}
			da, db := ia.IsDir(), ib.IsDir()
			switch {
			case da && db:
				fmt.Fprintf(d.out, "Common subdirectories: %s and %s\n", full[0], full[1])
			case da != db:
				fmt.Fprintf(d.out, "File %s is a %s while file %s is a %s\n", full[0], kind(da), full[1], kind(db))
				d.setStatus(1)
			default:
				// -N compares a file missing on one side with /dev/null
				path := full
				if pos != 0 {
					path[1-k] = "/dev/null"
				}
				d.files(path[0], path[1])
			}
		}
		if pos <= 0 {
			i++
		}
		if pos >= 0 {
			j++
		}
	}
}

// listTree lists root's entries as relative paths, sorted.
func (d *differ) listTree(root, other string) []string {
	var out []string
	var walk func(rel string)
	walk = func(rel string) {
		ents, err := os.ReadDir(d.env.Abs(filepath.Join(root, rel)))
		if err != nil {
			d.env.Errorf("diff", "%s: %s", filepath.Join(root, rel), errText(err))
			d.setStatus(2)
			return
		}
		for _, e := range ents {
			r := filepath.Join(rel, e.Name())
			info, err := os.Stat(d.env.Abs(filepath.Join(root, r)))
			if err != nil || !info.IsDir() {
				out = append(out, r)
				continue
			}
			if !d.o.recurse {
				out = append(out, r)
				continue
			}
			if !d.o.newFile {
				oi, err := os.Stat(d.env.Abs(filepath.Join(other, r)))
				if err != nil || !oi.IsDir() {
					// like diffutils: not entered, but the trees differ
					d.setStatus(1)
					continue
				}
			}
			walk(r)
		}
	}
	walk("")
	slices.Sort(out)
	return out
}

func kind(dir bool) string {
	if dir {
		return "directory"
	}
	return "regular file"
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
	} else if name == "/dev/null" {
		// also where the sandbox has no /dev
		return &diffFile{}, nil
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

// lcsDiff marks the lines of a deleted and of b inserted, from a longest
// common subsequence found with the Hunt-McIlroy algorithm (Harold
// Stone's k-candidates), the algorithm of Unix and busybox diff. Using
// the same algorithm matters: when several edit scripts are equally
// short, it picks the one busybox prints.
func lcsDiff(a, b []string) (ca, cb []bool) {
	ids := map[string]int{}
	id := func(s string) int {
		v, ok := ids[s]
		if !ok {
			v = len(ids) + 1
			ids[s] = v
		}
		return v
	}
	ia := make([]int, len(a))
	ib := make([]int, len(b))
	for i, s := range a {
		ia[i] = id(s)
	}
	for i, s := range b {
		ib[i] = id(s)
	}
	match := stoneMatch(ia, ib)
	ca = make([]bool, len(a))
	cb = make([]bool, len(b))
	for j := range cb {
		cb[j] = true
	}
	for i := range ca {
		if m := match[i+1]; m == 0 {
			ca[i] = true
		} else {
			cb[m-1] = false
		}
	}
	return ca, cb
}

// stoneMatch returns the match vector of a longest common subsequence:
// match[i] is the (1-based) line of b paired with line i of a, or 0.
func stoneMatch(a, b []int) []int {
	n0, n1 := len(a), len(b)
	match := make([]int, n0+2)
	pref := 0
	for pref < n0 && pref < n1 && a[pref] == b[pref] {
		pref++
	}
	suff := 0
	for suff < n0-pref && suff < n1-pref && a[n0-1-suff] == b[n1-1-suff] {
		suff++
	}
	for i := 1; i <= n0; i++ {
		switch {
		case i <= pref:
			match[i] = i
		case i > n0-suff:
			match[i] = i + n1 - n0
		}
	}
	sa, sb := a[pref:n0-suff], b[pref:n1-suff]
	m0, m1 := len(sa), len(sb)
	if m0 == 0 || m1 == 0 {
		return match
	}
	// Lines of b sorted by value then position form the equivalence
	// classes; members[k] lists them 1-based, a class's first member
	// negated, with a -1 sentinel at the end.
	order := make([]int, m1)
	for j := range order {
		order[j] = j + 1
	}
	slices.SortStableFunc(order, func(x, y int) int { return sb[x-1] - sb[y-1] })
	members := make([]int, m1+2)
	first := map[int]int{} // value -> index in members of its class head
	for k, j := range order {
		v := sb[j-1]
		if _, ok := first[v]; !ok {
			first[v] = k + 1
			members[k+1] = -j
		} else {
			members[k+1] = j
		}
	}
	members[m1+1] = -1
	class := make([]int, m0+1)
	for i, v := range sa {
		class[i+1] = first[v]
	}

	type cand struct{ x, y, pred int }
	clist := []cand{{}}
	klist := make([]int, m0+2)
	k := 0
	bound := max(256, isqrt(m0))
	// search finds where y belongs among the k-candidates.
	search := func(y int) int {
		if clist[klist[k]].y < y {
			return k + 1
		}
		lo, hi := 0, k+1
		for {
			mid := (lo + hi) / 2
			if mid <= lo {
				return mid + 1
			}
			t := clist[klist[mid]].y
			switch {
			case t > y:
				hi = mid
			case t < y:
				lo = mid
			default:
				return mid
			}
		}
	}
	for x := 1; x <= m0; x++ {
		j := class[x]
		if j == 0 {
			continue
		}
		y := -members[j]
		pred := klist[0]
		oldl, tries := 0, 0
		for {
			if y > clist[pred].y {
				l := search(y)
				if l != oldl+1 {
					pred = klist[l-1]
				}
				if l > k || clist[klist[l]].y > y {
					clist = append(clist, cand{x, y, pred})
					replaced := klist[l]
					klist[l] = len(clist) - 1
					if l > k {
						k++
						break
					}
					pred = replaced
					oldl = l
					tries++
				}
			}
			j++
			y = members[j]
			if y <= 0 || tries >= bound {
				break
			}
		}
	}
	for q := klist[k]; clist[q].y != 0; q = clist[q].pred {
		match[clist[q].x+pref] = clist[q].y + pref
	}
	return match
}

// isqrt is an integer square root by Newton's method.
func isqrt(n int) int {
	x := 1
	for {
		y := x
		x = (n/x + x) / 2
		if x <= y+1 && x >= y-1 {
			return x
		}
	}
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
