//go:build ignore

package internal

// Decimal integers without strconv, and the generation of $IFS
// (sockerless; written into mvdan.cc/sh/v3/internal by
// guests/sandbox/internal/shpatch).
// Arithmetic and test's integer comparisons parse a variable's string on
// every use; in a loop, the general parsers' trimming, prefix checks and
// base detection cost more than the arithmetic itself.

import "sync/atomic"

// IFSGen counts the events after which $IFS may differ: every time
// interp sets a variable named IFS (in any scope or runner), a function
// returns (dropping its locals) or a runner is reset. expand caches $IFS
// per Config for as long as it does not move; word splitting would
// otherwise look $IFS up through every scope for each word it expands.
var IFSGen atomic.Uint64

// Decimal parses s when it is a plain decimal integer: an optional '-'
// and 1 to 18 digits, the first not '0' unless it is the only one (a
// leading 0 means octal to the shell's arithmetic). ok is false for
// anything else, which the callers hand to their general parsers; for
// the strings it takes, every one of those gives the same value.
func Decimal(s string) (n int64, ok bool) {
	if !FastPaths {
		return 0, false
	}
	neg := false
	if len(s) > 1 && s[0] == '-' {
		neg, s = true, s[1:]
	}
	if len(s) == 0 || len(s) > 18 || s[0] == '0' && (len(s) > 1 || neg) {
		return 0, false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int64(c-'0')
	}
	if neg {
		n = -n
	}
	return n, true
}
