//go:build ignore

package internal

// Caches for shell pattern matching (sockerless; written into
// mvdan.cc/sh/v3/internal by guests/sandbox/internal/shpatch). Every case
// pattern, [[ x == pattern ]], ${x#pattern} and ${x/pattern/...} is
// translated to a regexp and compiled each time it runs; in a loop,
// that dominates. Matchers and regexps are kept here instead, and a
// pattern made only of literal characters, '*' and '?' is matched
// without a regexp at all, as is one that adds only simple bracket
// expressions ([0-9], [!abc]).

import (
	"regexp"
	"strings"
	"sync"
	"unicode/utf8"

	"mvdan.cc/sh/v3/pattern"
)

// FastPaths turns sockerless's fast paths (here, in expand and in interp)
// on; tests turn it off to compare them with the general paths.
var FastPaths = true

// maxCached bounds each cache; a full cache starts afresh.
const maxCached = 256

type cache[K comparable, V any] struct {
	mu sync.Mutex
	m  map[K]V
}

func (c *cache[K, V]) get(k K, make1 func() (V, error)) (V, error) {
	c.mu.Lock()
	v, ok := c.m[k]
	c.mu.Unlock()
	if ok {
		return v, nil
	}
	v, err := make1()
	if err != nil {
		return v, err
	}
	c.mu.Lock()
	if c.m == nil || len(c.m) >= maxCached {
		c.m = make(map[K]V)
	}
	c.m[k] = v
	c.mu.Unlock()
	return v, nil
}

var (
	matchers cache[string, func(string) bool]
	regexps  cache[string, *regexp.Regexp]
)

// matchMode is the mode of case and [[ == ]] patterns, whose matchers
// are cached; pathname expansion (other modes) reads directories anyway.
const matchMode = pattern.EntireString | pattern.ExtendedOperators

// ExtendedPatternMatcher returns a [regexp.Regexp.MatchString]-like function
// to support !(pattern-list) extglob negation (compileMatcher), caching
// those of matchMode. Matchers are safe for concurrent use.
func ExtendedPatternMatcher(pat string, mode pattern.Mode) (func(string) bool, error) {
	if mode != matchMode || !FastPaths {
		return compileMatcher(pat, mode)
	}
	return matchers.get(pat, func() (func(string) bool, error) {
		if simpleGlob(pat) {
			return globMatcher(pat), nil
		}
		return compileMatcher(pat, mode)
	})
}

// CachedRegexp is regexp.MustCompile for the expressions that
// pattern.Regexp produces, compiling each one once.
func CachedRegexp(expr string) *regexp.Regexp {
	if !FastPaths {
		return regexp.MustCompile(expr)
	}
	rx, _ := regexps.get(expr, func() (*regexp.Regexp, error) { return regexp.MustCompile(expr), nil })
	return rx
}

// simpleGlob reports whether pat is ASCII made of literal characters,
// '*', '?' and bracket expressions of letters, digits and ranges of them
// ([0-9a-f], [!xyz]): no escapes, character classes or extglob groups.
func simpleGlob(pat string) bool {
	for i := 0; i < len(pat); i++ {
		switch c := pat[i]; c {
		case '[':
			end, ok := bracketEnd(pat, i)
			if !ok {
				return false
			}
			i = end
		case ']', '\\', '(', ')', '|', 0:
			return false
		default:
			if c >= utf8.RuneSelf {
				return false
			}
		}
	}
	return true
}

func alnum(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'
}

// bracketEnd returns the index of the ']' closing the bracket expression
// at pat[i], if it is a simple one.
func bracketEnd(pat string, i int) (int, bool) {
	i++
	if i < len(pat) && (pat[i] == '!' || pat[i] == '^') {
		i++
	}
	start := i
	for i < len(pat) && pat[i] != ']' {
		if !alnum(pat[i]) {
			return 0, false
		}
		if i+2 < len(pat) && pat[i+1] == '-' && pat[i+2] != ']' {
			if !alnum(pat[i+2]) || pat[i+2] < pat[i] {
				return 0, false
			}
			i += 2
		}
		i++
	}
	return i, i < len(pat) && i > start
}

// inBracket reports whether c matches the simple bracket expression at
// pat[i] (whose ']' is at end).
func inBracket(pat string, i, end int, c byte) bool {
	i++
	negate := pat[i] == '!' || pat[i] == '^'
	if negate {
		i++
	}
	for i < end {
		lo, hi := pat[i], pat[i]
		if i+2 < end && pat[i+1] == '-' {
			hi = pat[i+2]
			i += 2
		}
		if lo <= c && c <= hi {
			return !negate
		}
		i++
	}
	return negate
}

// globMatch matches name against a simpleGlob pattern as its regexp
// would (EntireString, not Filenames): '*' matches any string, '?' any
// one character, a bracket expression one character of its set, and
// anything else itself. A '?' or bracket facing a non-ASCII name goes
// to the regexp, which counts characters its own way in invalid UTF-8.
func globMatch(pat, name string) bool {
	px, nx := 0, 0
	starPx, starNx := -1, 0
	for px < len(pat) || nx < len(name) {
		if px < len(pat) {
			switch c := pat[px]; c {
			case '*':
				starPx, starNx = px, nx
				px++
				continue
			case '?', '[':
				if nx < len(name) {
					if name[nx] >= utf8.RuneSelf {
						return CachedRegexp(globRegexp(pat)).MatchString(name)
					}
					if c == '?' {
						px++
						nx++
						continue
					}
					end, _ := bracketEnd(pat, px)
					if inBracket(pat, px, end, name[nx]) {
						px = end + 1
						nx++
						continue
					}
				}
			default:
				if nx < len(name) && name[nx] == c {
					px++
					nx++
					continue
				}
			}
		}
		// Mismatch: let the last star take one more byte, if any.
		if starPx >= 0 && starNx < len(name) {
			starNx++
			px, nx = starPx+1, starNx
			continue
		}
		return false
	}
	return true
}

// globMatcher returns globMatch for pat, or a quicker equivalent for
// the commonest case patterns: "*", literals with a '*' at either end
// (x*, *.c, *5*) and "*[set]".
func globMatcher(pat string) func(string) bool {
	star0 := strings.HasPrefix(pat, "*")
	lit := strings.TrimPrefix(pat, "*")
	star1 := strings.HasSuffix(lit, "*")
	lit = strings.TrimSuffix(lit, "*")
	switch {
	case !strings.ContainsAny(lit, "*?["):
		switch {
		case star0 && star1:
			return func(name string) bool { return strings.Contains(name, lit) }
		case star0:
			return func(name string) bool { return strings.HasSuffix(name, lit) }
		case star1:
			return func(name string) bool { return strings.HasPrefix(name, lit) }
		}
		return func(name string) bool { return name == lit }
	case star0 && !star1 && lit[0] == '[':
		if end, _ := bracketEnd(pat, 1); end == len(pat)-1 {
			return func(name string) bool {
				if len(name) == 0 || name[len(name)-1] >= utf8.RuneSelf {
					return globMatch(pat, name)
				}
				return inBracket(pat, 1, end, name[len(name)-1])
			}
		}
	}
	return func(name string) bool { return globMatch(pat, name) }
}

func globRegexp(pat string) string {
	expr, err := pattern.Regexp(pat, pattern.EntireString)
	if err != nil {
		panic("sockerless: simple glob " + pat + ": " + err.Error())
	}
	return expr
}
