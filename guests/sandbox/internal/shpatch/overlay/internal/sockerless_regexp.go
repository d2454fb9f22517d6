//go:build ignore

package internal

// A cache of compiled pattern regexps (sockerless; written into
// mvdan.cc/sh/v3/internal by guests/sandbox/internal/shpatch). Every case
// pattern, ${x#pattern} and ${x/pattern/...} is translated to a regexp
// and compiled each time it runs; in a loop, compiling dominates.

import (
	"regexp"
	"sync"
)

var regexps struct {
	sync.Mutex
	m map[string]*regexp.Regexp
}

// maxRegexps bounds the cache; it starts afresh when full.
const maxRegexps = 256

// CachedRegexp is regexp.MustCompile for the expressions that
// pattern.Regexp produces, compiling each one once. A *regexp.Regexp is
// safe for concurrent use, so background jobs may share them.
func CachedRegexp(expr string) *regexp.Regexp {
	regexps.Lock()
	rx, ok := regexps.m[expr]
	regexps.Unlock()
	if ok {
		return rx
	}
	rx = regexp.MustCompile(expr)
	regexps.Lock()
	if regexps.m == nil || len(regexps.m) >= maxRegexps {
		regexps.m = make(map[string]*regexp.Regexp)
	}
	regexps.m[expr] = rx
	regexps.Unlock()
	return rx
}
