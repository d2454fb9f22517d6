package text

import (
	"bytes"
	"regexp"
	"regexp/syntax"
	"strings"
	"unicode"
	"unicode/utf8"
)

// backrefBase is the first of nine private-use runes that stand for the
// back-references \1 to \9 in a translated pattern. RE2 cannot match
// them, so such patterns go to the backtracking matcher below.
const backrefBase = 0xF0000

func backrefRune(n int) string { return string(rune(backrefBase + n)) }

func isBackref(r rune) (int, bool) {
	if r > backrefBase && r <= backrefBase+9 {
		return int(r - backrefBase), true
	}
	return 0, false
}

// regex is a compiled POSIX pattern with leftmost-longest semantics: Go's
// RE2 engine, or backtracking when the pattern has back-references.
type regex struct {
	re *regexp.Regexp
	bt *syntax.Regexp
	n  int // number of groups
	// lit is set when the pattern is a plain case-sensitive string
	// (the common grep 7, sed s/1/one/): matching is then a substring
	// search, with no regexp machinery and no allocation.
	lit  string
	litb []byte
}

// newRegex compiles a pattern produced by translate.
func newRegex(g string) (*regex, error) {
	if !hasBackref(g) {
		re, err := regexp.Compile(g)
		if err != nil {
			return nil, err
		}
		re.Longest()
		lit := literalOf(g)
		return &regex{re: re, n: re.NumSubexp(), lit: lit, litb: []byte(lit)}, nil
	}
	t, err := syntax.Parse(g, syntax.Perl)
	if err != nil {
		return nil, err
	}
	return &regex{bt: t.Simplify(), n: t.MaxCap()}, nil
}

func (r *regex) NumSubexp() int { return r.n }

// literalOf returns the string g matches when it is a non-empty literal
// without case folding, else "". Literals holding U+FFFD are left to
// the regexp, which also matches that rune against invalid UTF-8.
func literalOf(g string) string {
	t, err := syntax.Parse(g, syntax.Perl)
	if err != nil {
		return ""
	}
	t = t.Simplify()
	if t.Op != syntax.OpLiteral || t.Flags&syntax.FoldCase != 0 || len(t.Rune) == 0 {
		return ""
	}
	for _, r := range t.Rune {
		if r == utf8.RuneError {
			return ""
		}
	}
	return string(t.Rune)
}

// Match reports whether b contains a match, without allocating when the
// pattern has no back-references.
func (r *regex) Match(b []byte) bool {
	switch {
	case r.lit != "":
		return bytes.Contains(b, r.litb)
	case r.re != nil:
		return r.re.Match(b)
	}
	return r.findAt(string(b), 0) != nil
}

func hasBackref(g string) bool {
	return strings.ContainsFunc(g, func(r rune) bool { _, ok := isBackref(r); return ok })
}

// findFrom returns the first match at or after from (RE2 sees only
// s[from:], so anchors there are approximate).
func (r *regex) findFrom(s string, from int) []int {
	if r.re == nil {
		return r.findAt(s, from)
	}
	m := r.re.FindStringIndex(s[from:])
	if m == nil {
		return nil
	}
	return []int{m[0] + from, m[1] + from}
}

func (r *regex) MatchString(s string) bool {
	if r.lit != "" {
		return strings.Contains(s, r.lit)
	}
	if r.re != nil {
		return r.re.MatchString(s)
	}
	return r.findAt(s, 0) != nil
}

func (r *regex) FindStringSubmatchIndex(s string) []int {
	if r.lit != "" {
		i := strings.Index(s, r.lit)
		if i < 0 {
			return nil
		}
		return []int{i, i + len(r.lit)}
	}
	if r.re != nil {
		return r.re.FindStringSubmatchIndex(s)
	}
	return r.findAt(s, 0)
}

// FindAllStringSubmatchIndex returns successive non-overlapping matches;
// an empty match right after the previous match is skipped (as in Go and
// GNU sed).
func (r *regex) FindAllStringSubmatchIndex(s string, n int) [][]int {
	if r.lit != "" {
		return r.findAllLit(s, n)
	}
	if r.re != nil {
		return r.re.FindAllStringSubmatchIndex(s, n)
	}
	var out [][]int
	pos, prevEnd := 0, -1
	for pos <= len(s) && (n < 0 || len(out) < n) {
		m := r.findAt(s, pos)
		if m == nil {
			break
		}
		step := 1
		if m[1] < len(s) {
			_, step = utf8.DecodeRuneInString(s[m[1]:])
		}
		if m[0] == m[1] && m[0] == prevEnd {
			pos = m[1] + step
			continue
		}
		out = append(out, m)
		prevEnd = m[1]
		if m[1] > m[0] {
			pos = m[1]
		} else {
			pos = m[1] + step
		}
	}
	return out
}

// findAllLit is FindAllStringSubmatchIndex for a literal: the matches
// share one backing array.
func (r *regex) findAllLit(s string, n int) [][]int {
	count := strings.Count(s, r.lit)
	if n >= 0 {
		count = min(count, n)
	}
	if count == 0 {
		return nil
	}
	idx := make([]int, 2*count)
	out := make([][]int, count)
	pos := 0
	for k := range out {
		i := pos + strings.Index(s[pos:], r.lit)
		pos = i + len(r.lit)
		m := idx[2*k : 2*k+2 : 2*k+2]
		m[0], m[1] = i, pos
		out[k] = m
	}
	return out
}

// findAt finds the leftmost-longest match starting at or after from.
func (r *regex) findAt(s string, from int) []int {
	m := &btMatcher{s: s, caps: make([]int, 2*(r.n+1)), best: make([]int, 2*(r.n+1))}
	for start := from; start <= len(s); {
		for i := range m.caps {
			m.caps[i] = -1
		}
		m.bestEnd = -1
		m.steps = 0
		m.match(r.bt, start, func(end int) bool {
			if end > m.bestEnd {
				m.bestEnd = end
				copy(m.best, m.caps)
				m.best[0], m.best[1] = start, end
			}
			return false // keep looking for a longer match
		})
		if m.bestEnd >= 0 {
			return m.best
		}
		if start == len(s) {
			break
		}
		_, size := utf8.DecodeRuneInString(s[start:])
		start += size
	}
	return nil
}

// btMatcher explores every way a pattern can match; steps bounds the
// work on pathological patterns (the longest match found so far wins).
type btMatcher struct {
	s       string
	caps    []int
	best    []int
	bestEnd int
	steps   int
}

const btMaxSteps = 1 << 20

func (m *btMatcher) match(re *syntax.Regexp, i int, k func(int) bool) bool {
	m.steps++
	if m.steps > btMaxSteps {
		return false
	}
	s := m.s
	switch re.Op {
	case syntax.OpNoMatch:
		return false
	case syntax.OpEmptyMatch:
		return k(i)
	case syntax.OpLiteral:
		fold := re.Flags&syntax.FoldCase != 0
		for _, want := range re.Rune {
			if n, ok := isBackref(want); ok {
				if 2*n+1 >= len(m.caps) || m.caps[2*n] < 0 || m.caps[2*n+1] < 0 {
					return false
				}
				sub := s[m.caps[2*n]:m.caps[2*n+1]]
				if len(s)-i < len(sub) {
					return false
				}
				got := s[i : i+len(sub)]
				if got != sub && !(fold && strings.EqualFold(got, sub)) {
					return false
				}
				i += len(sub)
				continue
			}
			if i >= len(s) {
				return false
			}
			r, size := utf8.DecodeRuneInString(s[i:])
			if r != want && !(fold && equalFold(r, want)) {
				return false
			}
			i += size
		}
		return k(i)
	case syntax.OpCharClass:
		if i >= len(s) {
			return false
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		for j := 0; j+1 < len(re.Rune); j += 2 {
			if r >= re.Rune[j] && r <= re.Rune[j+1] {
				return k(i + size)
			}
		}
		return false
	case syntax.OpAnyCharNotNL, syntax.OpAnyChar:
		if i >= len(s) || (re.Op == syntax.OpAnyCharNotNL && s[i] == '\n') {
			return false
		}
		_, size := utf8.DecodeRuneInString(s[i:])
		return k(i + size)
	case syntax.OpBeginLine:
		return (i == 0 || s[i-1] == '\n') && k(i)
	case syntax.OpEndLine:
		return (i == len(s) || s[i] == '\n') && k(i)
	case syntax.OpBeginText:
		return i == 0 && k(i)
	case syntax.OpEndText:
		return i == len(s) && k(i)
	case syntax.OpWordBoundary, syntax.OpNoWordBoundary:
		before := i > 0 && isASCIIWord(s[i-1])
		after := i < len(s) && isASCIIWord(s[i])
		return ((before != after) == (re.Op == syntax.OpWordBoundary)) && k(i)
	case syntax.OpCapture:
		n := re.Cap
		old0, old1 := m.caps[2*n], m.caps[2*n+1]
		m.caps[2*n] = i
		if m.match(re.Sub[0], i, func(j int) bool {
			prev := m.caps[2*n+1]
			m.caps[2*n+1] = j
			if k(j) {
				return true
			}
			m.caps[2*n+1] = prev
			return false
		}) {
			return true
		}
		m.caps[2*n], m.caps[2*n+1] = old0, old1
		return false
	case syntax.OpConcat:
		return m.concat(re.Sub, i, k)
	case syntax.OpAlternate:
		for _, sub := range re.Sub {
			if m.match(sub, i, k) {
				return true
			}
		}
		return false
	case syntax.OpQuest:
		return m.match(re.Sub[0], i, k) || k(i)
	case syntax.OpStar:
		return m.star(re.Sub[0], i, k)
	case syntax.OpPlus:
		return m.match(re.Sub[0], i, func(j int) bool { return m.star(re.Sub[0], j, k) })
	case syntax.OpRepeat:
		return m.repeat(re.Sub[0], re.Min, re.Max, i, k)
	}
	return false
}

func (m *btMatcher) concat(subs []*syntax.Regexp, i int, k func(int) bool) bool {
	if len(subs) == 0 {
		return k(i)
	}
	return m.match(subs[0], i, func(j int) bool { return m.concat(subs[1:], j, k) })
}

func (m *btMatcher) star(sub *syntax.Regexp, i int, k func(int) bool) bool {
	// an iteration must consume input, or x** would never end
	return m.match(sub, i, func(j int) bool { return j > i && m.star(sub, j, k) }) || k(i)
}

func (m *btMatcher) repeat(sub *syntax.Regexp, min, max, i int, k func(int) bool) bool {
	if max == 0 {
		return k(i)
	}
	if min > 0 {
		return m.match(sub, i, func(j int) bool { return m.repeat(sub, min-1, max-1, j, k) })
	}
	if max < 0 {
		return m.star(sub, i, k)
	}
	return m.match(sub, i, func(j int) bool { return j > i && m.repeat(sub, 0, max-1, j, k) }) || k(i)
}

func isASCIIWord(c byte) bool {
	return c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

func equalFold(a, b rune) bool {
	for r := unicode.SimpleFold(a); r != a; r = unicode.SimpleFold(r) {
		if r == b {
			return true
		}
	}
	return false
}
