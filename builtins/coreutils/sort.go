package coreutils

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"math"
	"os"
	"slices"
	"strconv"
	"strings"

	"github.com/sockerless/sockerless/builtins"
)

func init() {
	builtins.Register(&builtins.Command{Name: "sort", Usage: sortUsage, Run: runSort})
}

const sortUsage = `Usage: sort [-nrugMcszbdfiokthVCm] [-o FILE] [-k START[.OFS][OPTS][,END[.OFS][OPTS]] [-t CHAR] [FILE]...

Sort lines of text

	-o, --output=FILE	Output to FILE
	-c, --check		Check whether input is sorted
	-C			Like -c, but don't report the first disorder
	-b, --ignore-leading-blanks	Ignore leading blanks
	-f, --ignore-case	Ignore case
	-i, --ignore-nonprinting	Ignore unprintable characters
	-d, --dictionary-order	Dictionary order (blank or alphanumeric only)
	-n, --numeric-sort	Sort numbers
	-g, --general-numeric-sort	General numerical sort
	-h, --human-numeric-sort	Sort human readable numbers (2K 1G)
	-M, --month-sort	Sort month
	-V, --version-sort	Sort version
	-t, --field-separator=CHAR	Field separator
	-k, --key=N[,M]		Sort by Nth field
	-r, --reverse		Reverse sort order
	-s, --stable		Stable (don't sort ties alphabetically)
	-u, --unique		Suppress duplicate lines
	-z, --zero-terminated	NUL terminated input and output
	-m, --merge		Merge already sorted files`

// Ordering flags, global or per key.
const (
	sfB  = 1 << iota // -b: skip leading blanks at key start
	sfBB             // b on the end position: skip trailing blanks
	sfD
	sfF
	sfI
	sfN
	sfG
	sfM
	sfV
	sfH
	sfR
)

const sfTypes = sfN | sfG | sfM | sfV | sfH

// sortKey is one -k specification. Positions are 1-based as typed; end
// field 0 means end of line, char 0 means not given.
type sortKey struct {
	startField, startChar, endField, endChar int
	flags                                    int
}

// parseKeyFlags applies the ordering letters in s; end says whether they
// follow the end position (where b means trailing blanks).
func parseKeyFlags(s string, end bool) (int, bool) {
	f := 0
	for _, c := range s {
		switch c {
		case 'b':
			if end {
				f |= sfBB
			} else {
				f |= sfB
			}
		case 'd':
			f |= sfD
		case 'f':
			f |= sfF
		case 'i':
			f |= sfI
		case 'n':
			f |= sfN
		case 'g':
			f |= sfG
		case 'M':
			f |= sfM
		case 'h':
			f |= sfH
		case 'r':
			f |= sfR
		default:
			return 0, false
		}
	}
	return f, true
}

// parseKey parses a -k argument: F[.C][OPTS][,F[.C][OPTS]].
func parseKey(s string) (sortKey, error) {
	var k sortKey
	bad := fmt.Errorf("invalid number '%s'", s)
	pos := func(p string, end bool) (field, char, flags int, err error) {
		i := 0
		for i < len(p) && p[i] >= '0' && p[i] <= '9' {
			i++
		}
		if i == 0 {
			return 0, 0, 0, bad
		}
		field, err = strconv.Atoi(p[:i])
		if err != nil {
			return 0, 0, 0, bad
		}
		p = p[i:]
		if strings.HasPrefix(p, ".") {
			p = p[1:]
			j := 0
			for j < len(p) && p[j] >= '0' && p[j] <= '9' {
				j++
			}
			if j == 0 {
				return 0, 0, 0, bad
			}
			char, err = strconv.Atoi(p[:j])
			if err != nil {
				return 0, 0, 0, bad
			}
			p = p[j:]
		}
		f, ok := parseKeyFlags(p, end)
		if !ok {
			// Like busybox 1.35, which has no per-key V either.
			return 0, 0, 0, fmt.Errorf("unknown sort type")
		}
		return field, char, f, nil
	}
	start, end, hasEnd := strings.Cut(s, ",")
	var f1, f2 int
	var err error
	if k.startField, k.startChar, f1, err = pos(start, false); err != nil {
		return k, err
	}
	if k.startField == 0 {
		return k, bad
	}
	if hasEnd {
		if k.endField, k.endChar, f2, err = pos(end, true); err != nil {
			return k, err
		}
		if k.endField == 0 {
			return k, bad
		}
	}
	k.flags = f1 | f2
	return k, nil
}

type sortOpts struct {
	flags   int // global flags
	keys    []sortKey
	sep     int // -t byte, or -1
	stable  bool
	unique  bool
	eol     byte
	noFinal bool // set while deduplicating: no last-resort compare
	badType bool // a compared key mixed n, g, M and V
}

// sortLine is one input line with its precomputed keys.
type sortLine struct {
	idx  int
	line []byte
	keys []sortKeyVal
}

type sortKeyVal struct {
	b   []byte
	num float64
	ok  bool // b held a number (-g) / month (-M)
	mon int
	hum int // -h suffix rank
}

func isSpace(c byte) bool { return c == ' ' || (c >= '\t' && c <= '\r') }

// extractKey returns the bytes of key k in line, busybox style (the end
// character offset is counted from the start of the line, as busybox 1.35
// does).
func (o *sortOpts) extractKey(line []byte, k *sortKey, flags int) []byte {
	if k.startField == 1 && k.startChar == 0 && k.endField == 0 && k.endChar == 0 &&
		flags&(sfB|sfD|sfF|sfI|sfBB) == 0 {
		return line
	}
	n := len(line)
	var start, end int
	for j := 0; j < 2; j++ {
		field := k.startField
		if j == 1 {
			field = k.endField
		}
		if field == 0 {
			end = n
		} else {
			end = 0
			var ch int = -1
			for i := 1; i < field+j; i++ {
				if o.sep >= 0 {
					ch = -1
					for end < n {
						ch = int(line[end])
						end++
						if ch == o.sep {
							break
						}
					}
					if end >= n && ch != o.sep {
						ch = -1
					}
				} else {
					for end < n && isSpace(line[end]) {
						end++
					}
					for end < n && !isSpace(line[end]) {
						end++
					}
				}
			}
			if j == 1 && ch >= 0 && o.sep >= 0 {
				end--
			}
		}
		if j == 0 {
			start = end
		}
	}
	if flags&sfB != 0 {
		for start < n && isSpace(line[start]) {
			start++
		}
	}
	if flags&sfBB != 0 {
		for end > start && isSpace(line[end-1]) {
			end--
		}
	}
	if k.endChar > 0 {
		end = min(k.endChar, n)
	}
	if k.startChar > 0 {
		start = min(start+k.startChar-1, n)
	}
	if end < start {
		end = start
	}
	key := line[start:end]
	if flags&(sfD|sfI|sfF) == 0 {
		return key
	}
	out := make([]byte, 0, len(key))
	for _, c := range key {
		if flags&sfD != 0 && !(isSpace(c) || isAlnum(c)) {
			continue
		}
		if flags&sfI != 0 && !(c >= 0x20 && c < 0x7f) {
			continue
		}
		if flags&sfF != 0 && c >= 'a' && c <= 'z' {
			c -= 'a' - 'A'
		}
		out = append(out, c)
	}
	return out
}

func isAlnum(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

// keyFlags returns the flags that apply to key i: its own, or the global
// ones when it has none.
func (o *sortOpts) keyFlags(i int) int {
	if i < 0 || o.keys[i].flags == 0 {
		return o.flags
	}
	return o.keys[i].flags
}

func mixedTypes(f int) bool {
	t := f & (sfN | sfG | sfM | sfV)
	return t&(t-1) != 0
}

func (o *sortOpts) nkeys() int {
	return max(1, len(o.keys))
}

// prepare extracts line's keys into keys (len o.nkeys()).
func (o *sortOpts) prepare(line []byte, keys []sortKeyVal) sortLine {
	sl := sortLine{line: line, keys: keys}
	nk := len(keys)
	for i := range nk {
		var b []byte
		flags := o.flags
		if len(o.keys) == 0 {
			whole := sortKey{startField: 1}
			b = o.extractKey(line, &whole, flags)
		} else {
			flags = o.keyFlags(i)
			b = o.extractKey(line, &o.keys[i], flags)
		}
		kv := sortKeyVal{b: b}
		switch flags & sfTypes {
		case sfN:
			kv.num, _ = strtod(b)
		case sfG:
			var n int
			kv.num, n = strtod(b)
			kv.ok = n > 0
		case sfM:
			kv.mon, kv.ok = monthOf(b)
		case sfH:
			kv.num, kv.hum = humanOf(b)
		}
		sl.keys[i] = kv
	}
	return sl
}

func cmpFloat(a, b float64) int {
	switch {
	case a > b:
		return 1
	case a < b:
		return -1
	}
	return 0
}

func (o *sortOpts) compare(x, y *sortLine) int {
	r := 0
	flags := o.flags
	for i := range x.keys {
		if len(o.keys) > 0 {
			flags = o.keyFlags(i)
		}
		a, b := &x.keys[i], &y.keys[i]
		if mixedTypes(flags) {
			// busybox dies once a comparison reaches such a key.
			o.badType = true
			return 0
		}
		switch flags & sfTypes {
		case sfN:
			r = cmpFloat(a.num, b.num)
		case sfG:
			r = cmpGeneral(a, b)
		case sfM:
			switch {
			case !a.ok && !b.ok:
				r = 0
			case !a.ok:
				r = -1
			case !b.ok:
				r = 1
			default:
				r = a.mon - b.mon
			}
		case sfV:
			r = strverscmp(a.b, b.b)
		case sfH:
			r = a.hum - b.hum
			if r == 0 {
				r = cmpFloat(a.num, b.num)
			}
		default:
			r = bytes.Compare(a.b, b.b)
		}
		if r != 0 {
			break
		}
	}
	if r == 0 {
		if o.stable {
			// busybox keeps input order, reversed by the last key's r.
			r = x.idx - y.idx
			if flags&sfR != 0 {
				return -r
			}
			return r
		}
		if o.noFinal {
			return 0
		}
		r = bytes.Compare(x.line, y.line)
		flags = o.flags
	}
	if flags&sfR != 0 {
		return -r
	}
	return r
}

func cmpGeneral(a, b *sortKeyVal) int {
	dx, dy := a.num, b.num
	switch {
	case !a.ok:
		if !b.ok {
			return 0
		}
		return -1
	case !b.ok:
		return 1
	case math.IsNaN(dx):
		if math.IsNaN(dy) {
			return 0
		}
		return -1
	case math.IsNaN(dy):
		return 1
	}
	return cmpFloat(dx, dy)
}

// strtod parses the longest prefix of b that C's strtod accepts and
// returns its value and length (0 when b holds no number).
func strtod(b []byte) (float64, int) {
	i := 0
	for i < len(b) && isSpace(b[i]) {
		i++
	}
	start := i
	if i < len(b) && (b[i] == '+' || b[i] == '-') {
		i++
	}
	neg := i > start && b[start] == '-'
	rest := b[i:]
	if v, n, ok := parseDigits(rest); ok {
		return signed(v, neg), i + n
	}
	lower := func(n int) string {
		if len(rest) < n {
			return ""
		}
		return strings.ToLower(string(rest[:n]))
	}
	if len(rest) > 0 && (rest[0]|0x20 == 'i' || rest[0]|0x20 == 'n') {
		switch {
		case lower(8) == "infinity":
			return signed(math.Inf(1), neg), i + 8
		case lower(3) == "inf":
			return signed(math.Inf(1), neg), i + 3
		case lower(3) == "nan":
			n := i + 3
			if n < len(b) && b[n] == '(' {
				if j := bytes.IndexByte(b[n:], ')'); j >= 0 {
					n += j + 1
				}
			}
			return math.NaN(), n
		}
	}
	if len(rest) >= 2 && rest[0] == '0' && (rest[1] == 'x' || rest[1] == 'X') {
		j := 2
		digits := 0
		for j < len(rest) && isHex(rest[j]) {
			j++
			digits++
		}
		if j < len(rest) && rest[j] == '.' {
			j++
			for j < len(rest) && isHex(rest[j]) {
				j++
				digits++
			}
		}
		if digits > 0 {
			mant := string(rest[:j])
			exp := "p0"
			if j < len(rest) && (rest[j] == 'p' || rest[j] == 'P') {
				k := j + 1
				if k < len(rest) && (rest[k] == '+' || rest[k] == '-') {
					k++
				}
				if k < len(rest) && rest[k] >= '0' && rest[k] <= '9' {
					for k < len(rest) && rest[k] >= '0' && rest[k] <= '9' {
						k++
					}
					exp = string(rest[j:k])
					j = k
				}
			}
			v, _ := strconv.ParseFloat(mant+exp, 64)
			return signed(v, neg), i + j
		}
		// "0x" without digits: the number is the 0.
		return signed(0, neg), i + 1
	}
	j := 0
	digits := 0
	for j < len(rest) && rest[j] >= '0' && rest[j] <= '9' {
		j++
		digits++
	}
	if j < len(rest) && rest[j] == '.' {
		j++
		for j < len(rest) && rest[j] >= '0' && rest[j] <= '9' {
			j++
			digits++
		}
	}
	if digits == 0 {
		return 0, 0
	}
	if j < len(rest) && (rest[j] == 'e' || rest[j] == 'E') {
		k := j + 1
		if k < len(rest) && (rest[k] == '+' || rest[k] == '-') {
			k++
		}
		if k < len(rest) && rest[k] >= '0' && rest[k] <= '9' {
			for k < len(rest) && rest[k] >= '0' && rest[k] <= '9' {
				k++
			}
			j = k
		}
	}
	v, _ := strconv.ParseFloat(string(rest[:j]), 64)
	return signed(v, neg), i + j
}

// parseDigits is strtod's fast path for a plain run of at most 15
// decimal digits (exact in a float64) not followed by '.', 'e', 'E', 'x'
// or 'X', which would make it part of a longer number.
func parseDigits(b []byte) (float64, int, bool) {
	var v int64
	n := 0
	for n < len(b) && b[n] >= '0' && b[n] <= '9' {
		v = v*10 + int64(b[n]-'0')
		n++
	}
	if n == 0 || n > 15 {
		return 0, 0, false
	}
	if n < len(b) {
		switch b[n] {
		case '.', 'e', 'E', 'x', 'X':
			return 0, 0, false
		}
	}
	return float64(v), n, true
}

func signed(v float64, neg bool) float64 {
	if neg {
		return -v
	}
	return v
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

var months = []string{"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"}

// monthOf matches strptime("%b"): a month name or abbreviation.
func monthOf(b []byte) (int, bool) {
	if len(b) < 3 {
		return 0, false
	}
	p := strings.ToLower(string(b[:3]))
	for i, m := range months {
		if p == m {
			return i, true
		}
	}
	return 0, false
}

// humanOf parses GNU -h numbers: sign, digits, optional SI suffix.
func humanOf(b []byte) (float64, int) {
	v, n := strtod(b)
	if n == 0 {
		return 0, 0
	}
	rank := 1
	if n < len(b) {
		if r := strings.IndexByte("KMGTPEZY", upper(b[n])); r >= 0 {
			rank = r + 2
		} else if b[n] == 'k' {
			rank = 2
		}
	}
	if v < 0 {
		return v, -rank
	}
	if v == 0 {
		return v, 0
	}
	return v, rank
}

func upper(c byte) byte {
	if c >= 'a' && c <= 'z' {
		return c - 'a' + 'A'
	}
	return c
}

// strverscmp is glibc's version comparison, which busybox sort -V uses.
func strverscmp(s1, s2 []byte) int {
	const (
		sN = 0 // normal
		sI = 3 // comparing integral part
		sF = 6 // comparing fractional parts
		sZ = 9 // idem but with leading zeroes only
	)
	const (
		cmp  = 2
		len_ = 3
	)
	nextState := [...]uint8{
		/* state    x    d    0  */
		/* S_N */ sN, sI, sZ,
		/* S_I */ sN, sI, sI,
		/* S_F */ sN, sF, sF,
		/* S_Z */ sN, sF, sZ,
	}
	result := [...]int8{
		/* state   x/x  x/d  x/0  d/x  d/d  d/0  0/x  0/d  0/0  */
		/* S_N */ cmp, cmp, cmp, cmp, len_, cmp, cmp, cmp, cmp,
		/* S_I */ cmp, -1, -1, +1, len_, len_, +1, len_, len_,
		/* S_F */ cmp, cmp, cmp, cmp, cmp, cmp, cmp, cmp, cmp,
		/* S_Z */ cmp, +1, +1, -1, cmp, cmp, -1, cmp, cmp,
	}
	at := func(s []byte, i int) int {
		if i < len(s) {
			return int(s[i])
		}
		return 0
	}
	class := func(c int) int {
		if c == '0' {
			return 2
		}
		if c >= '1' && c <= '9' {
			return 1
		}
		return 0
	}
	if bytes.Equal(s1, s2) {
		return 0
	}
	i := 0
	c1, c2 := at(s1, 0), at(s2, 0)
	i++
	state := int(sN) + class(c1)
	diff := c1 - c2
	for diff == 0 {
		if c1 == 0 {
			return diff
		}
		state = int(nextState[state])
		c1, c2 = at(s1, i), at(s2, i)
		i++
		state += class(c1)
		diff = c1 - c2
	}
	r := int(result[state*3+class(c2)])
	switch r {
	case cmp:
		return diff
	case len_:
		for {
			a, b := at(s1, i), at(s2, i)
			i++
			da, db := a >= '0' && a <= '9', b >= '0' && b <= '9'
			if !da {
				if db {
					return -1
				}
				return diff
			}
			if !db {
				return 1
			}
		}
	default:
		return r
	}
}

func runSort(ctx context.Context, env *builtins.Env, args []string) int {
	fl := builtins.Flags(env, "sort")
	o := &sortOpts{sep: -1, eol: '\n'}
	type flagBit struct {
		set *bool
		bit int
	}
	var bits []flagBit
	for _, d := range []struct {
		long, short string
		bit         int
	}{
		{"ignore-leading-blanks", "b", sfB}, {"dictionary-order", "d", sfD},
		{"ignore-case", "f", sfF}, {"ignore-nonprinting", "i", sfI},
		{"numeric-sort", "n", sfN}, {"general-numeric-sort", "g", sfG},
		{"month-sort", "M", sfM}, {"version-sort", "V", sfV},
		{"human-numeric-sort", "h", sfH}, {"reverse", "r", sfR},
	} {
		bits = append(bits, flagBit{fl.BoolP(d.long, d.short, false, ""), d.bit})
	}
	check := fl.BoolP("check", "c", false, "")
	quietCheck := fl.BoolP("C", "C", false, "")
	stable := fl.BoolP("stable", "s", false, "")
	unique := fl.BoolP("unique", "u", false, "")
	zero := fl.BoolP("zero-terminated", "z", false, "")
	fl.BoolP("merge", "m", false, "")
	output := fl.StringP("output", "o", "", "")
	sep := fl.StringP("field-separator", "t", "", "")
	keys := fl.StringArrayP("key", "k", nil, "")
	fl.StringP("buffer-size", "S", "", "")
	fl.StringP("temporary-directory", "T", "", "")
	fl.String("parallel", "", "")
	if err := fl.Parse(args[1:]); err != nil {
		env.Errorf("sort", "%s", strings.TrimPrefix(err.Error(), "flag: "))
		return 2
	}
	for _, b := range bits {
		if *b.set {
			o.flags |= b.bit
		}
	}
	if o.flags&sfB != 0 {
		o.flags |= sfBB // busybox: global -b strips trailing blanks too
	}
	o.stable, o.unique = *stable, *unique
	if *zero {
		o.eol = 0
	}
	if fl.Changed("field-separator") {
		if len(*sep) != 1 {
			if *sep == `\0` {
				*sep = "\x00"
			} else {
				env.Errorf("sort", "bad -t parameter")
				return 2
			}
		}
		o.sep = int((*sep)[0])
	}
	for _, ks := range *keys {
		k, err := parseKey(ks)
		if err != nil {
			env.Errorf("sort", "%s", err)
			return 2
		}
		o.keys = append(o.keys, k)
	}

	// Read every input into one buffer.
	var data []byte
	for _, name := range files(fl.Args()) {
		r, err := openIn(env, name)
		if err != nil {
			fileErr(env, "sort", name, err)
			return 2
		}
		start := len(data)
		data, err = readAllInto(ctx, data, r)
		r.Close()
		if err != nil {
			if ctx.Err() != nil {
				return 2
			}
			readErr(env, "sort", err)
			return 2
		}
		if len(data) > start && data[len(data)-1] != o.eol {
			data = append(data, o.eol)
		}
	}
	if o.eol == '\n' {
		nulToNewline(data) // busybox's line reader ends lines at NUL too
	}
	n := bytes.Count(data, []byte{o.eol})
	if len(o.keys) == 0 && o.flags&^sfR == 0 && !*check && !*quietCheck && !o.stable {
		return o.plainSort(env, data, n, *output)
	}
	if len(o.keys) == 0 && o.flags&^sfR == sfN && !*check && !*quietCheck && !o.stable {
		return o.numericSort(ctx, env, data, n, *output)
	}
	lines := make([]sortLine, 0, n)
	nk := o.nkeys()
	keyBuf := make([]sortKeyVal, n*nk)
	for len(data) > 0 {
		i := bytes.IndexByte(data, o.eol)
		k := len(lines) * nk
		sl := o.prepare(data[:i], keyBuf[k:k+nk:k+nk])
		sl.idx = len(lines)
		lines = append(lines, sl)
		data = data[i+1:]
		if len(lines)&4095 == 0 && ctx.Err() != nil {
			return 2
		}
	}

	if *check || *quietCheck {
		for i := 1; i < len(lines); i++ {
			c := o.compare(&lines[i-1], &lines[i])
			if o.badType {
				env.Errorf("sort", "unknown sort type")
				return 2
			}
			if c > 0 || (o.unique && c == 0) {
				if !*quietCheck {
					env.Errorf("sort", "-:%d: disorder: %s", i+1, lines[i].line)
				}
				return 1
			}
		}
		return 0
	}

	// compare only ties identical lines (or, with -s, breaks ties by
	// input position), so an unstable sort of pointers gives the same
	// result as a stable one and is much faster.
	ptrs := make([]*sortLine, len(lines))
	for i := range lines {
		ptrs[i] = &lines[i]
	}
	slices.SortFunc(ptrs, o.compare)
	if ctx.Err() != nil {
		return 2
	}
	if o.badType {
		env.Errorf("sort", "unknown sort type")
		return 2
	}
	if o.unique && len(ptrs) > 0 {
		o.noFinal = true
		kept := ptrs[:1]
		for _, p := range ptrs[1:] {
			if o.compare(kept[len(kept)-1], p) != 0 {
				kept = append(kept, p)
			}
		}
		ptrs = kept
		o.noFinal = false
		if o.badType {
			env.Errorf("sort", "unknown sort type")
			return 2
		}
	}

	out := make([][]byte, len(ptrs))
	for i, p := range ptrs {
		out[i] = p.line
	}
	return o.write(env, out, *output)
}

// plainSort is the fast path for byte-order sorts of whole lines.
func (o *sortOpts) plainSort(env *builtins.Env, data []byte, n int, output string) int {
	lines := make([][]byte, 0, n)
	for len(data) > 0 {
		i := bytes.IndexByte(data, o.eol)
		lines = append(lines, data[:i])
		data = data[i+1:]
	}
	if o.flags&sfR != 0 {
		slices.SortFunc(lines, func(a, b []byte) int { return bytes.Compare(b, a) })
	} else {
		slices.SortFunc(lines, bytes.Compare)
	}
	if o.unique && len(lines) > 0 {
		kept := lines[:1]
		for _, l := range lines[1:] {
			if !bytes.Equal(kept[len(kept)-1], l) {
				kept = append(kept, l)
			}
		}
		lines = kept
	}
	return o.write(env, lines, output)
}

// numLine is a line and its -n key, for numericSort.
type numLine struct {
	num  float64
	line []byte
}

// numericSort is the fast path for sort -n [-r] [-u] of whole lines: the
// same order as compare (number, then the whole line; all reversed by
// -r), on a slice of small values instead of lines with key lists.
func (o *sortOpts) numericSort(ctx context.Context, env *builtins.Env, data []byte, n int, output string) int {
	lines := make([]numLine, 0, n)
	for len(data) > 0 {
		i := bytes.IndexByte(data, o.eol)
		num, _ := strtod(data[:i])
		lines = append(lines, numLine{num, data[:i]})
		data = data[i+1:]
		if len(lines)&4095 == 0 && ctx.Err() != nil {
			return 2
		}
	}
	cmp := func(x, y numLine) int {
		if r := cmpFloat(x.num, y.num); r != 0 {
			return r
		}
		return bytes.Compare(x.line, y.line)
	}
	switch {
	case slices.ContainsFunc(lines, func(l numLine) bool { return math.IsNaN(l.num) }):
		// NaN compares equal to everything: no total order, so keep
		// the exact comparison sequence of the general path.
		if o.flags&sfR != 0 {
			slices.SortFunc(lines, func(x, y numLine) int { return -cmp(x, y) })
		} else {
			slices.SortFunc(lines, cmp)
		}
	default:
		// (number, line) is a total order (lines that compare equal are
		// identical), so any sort gives the same result: radix by number,
		// then each run of equal numbers by bytes; -r is its reverse.
		lines = radixByNum(lines)
		for i := 0; i < len(lines); {
			j := i + 1
			for j < len(lines) && lines[j].num == lines[i].num {
				j++
			}
			if j-i > 1 {
				slices.SortFunc(lines[i:j], func(x, y numLine) int { return bytes.Compare(x.line, y.line) })
			}
			i = j
		}
		if o.flags&sfR != 0 {
			slices.Reverse(lines)
		}
	}
	if ctx.Err() != nil {
		return 2
	}
	if o.unique && len(lines) > 0 {
		// -u keeps the first of each run of equal numbers.
		kept := lines[:1]
		for _, l := range lines[1:] {
			if cmpFloat(kept[len(kept)-1].num, l.num) != 0 {
				kept = append(kept, l)
			}
		}
		lines = kept
	}
	out := make([][]byte, len(lines))
	for i := range lines {
		out[i] = lines[i].line
	}
	return o.write(env, out, output)
}

// radixByNum returns lines stably sorted by number (NaN-free; -0 and 0
// are equal), with an LSD radix sort over order-preserving key bits that
// skips the bytes all keys share.
func radixByNum(lines []numLine) []numLine {
	n := len(lines)
	if n < 2 {
		return lines
	}
	keys := make([]uint64, n)
	for i, l := range lines {
		v := l.num
		if v == 0 {
			v = 0 // -0 sorts with 0
		}
		b := math.Float64bits(v)
		if b>>63 != 0 {
			b = ^b
		} else {
			b |= 1 << 63
		}
		keys[i] = b
	}
	idx, tmp := make([]uint32, n), make([]uint32, n)
	for i := range idx {
		idx[i] = uint32(i)
	}
	var count [256]int
	for shift := 0; shift < 64; shift += 8 {
		clear(count[:])
		for _, k := range keys {
			count[byte(k>>shift)]++
		}
		if count[byte(keys[0]>>shift)] == n {
			continue
		}
		pos := 0
		for b, c := range count {
			count[b] = pos
			pos += c
		}
		for _, i := range idx {
			b := byte(keys[i] >> shift)
			tmp[count[b]] = i
			count[b]++
		}
		idx, tmp = tmp, idx
	}
	out := make([]numLine, n)
	for j, i := range idx {
		out[j] = lines[i]
	}
	return out
}

// write prints the sorted lines to stdout or the -o file.
func (o *sortOpts) write(env *builtins.Env, lines [][]byte, output string) int {
	var w io.Writer = env.Stdout
	var f *os.File
	if output != "" && output != "-" {
		var err error
		f, err = os.Create(env.Abs(output))
		if err != nil {
			cantOpen(env, "sort", output, err)
			return 2
		}
		w = f
	}
	bw := bufio.NewWriterSize(w, bufSize)
	for _, l := range lines {
		bw.Write(l)
		bw.WriteByte(o.eol)
	}
	err := bw.Flush()
	if f != nil {
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}
	if err != nil {
		return 2
	}
	return 0
}

// readAllInto appends all of r to data.
func readAllInto(ctx context.Context, data []byte, r io.Reader) ([]byte, error) {
	if f, ok := r.(*os.File); ok {
		if fi, err := f.Stat(); err == nil && fi.Mode().IsRegular() {
			data = slices.Grow(data, int(fi.Size())+1)
		}
	}
	in := ctxReader{ctx, r}
	for {
		if len(data) == cap(data) {
			data = slices.Grow(data, max(bufSize, len(data)))
		}
		n, err := in.Read(data[len(data):cap(data)])
		data = data[:len(data)+n]
		if err != nil {
			if err == io.EOF {
				return data, nil
			}
			return data, err
		}
	}
}
