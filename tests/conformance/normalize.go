package conformance

import (
	"regexp"
	"strconv"
	"strings"
)

// Normalizer rewrites one scenario's output so that what legitimately
// differs between two engines (or two runs) compares equal. The rules, in
// the order they apply:
//
//  1. Literals: the scenario's scratch dir → <T>, its name prefix → P, the
//     engine's data root → <root>.
//  2. Ids: every 64-hex token (container, image, volume, network, exec ids and
//     digests, with or without "sha256:") becomes <id1>, <id2>, … in order of
//     first appearance; a 12-hex token that is the prefix of one of them (short
//     ids, default hostnames) gets the same number; other 12-hex tokens get
//     their own numbers. Equal ids stay equal, so "the id printed by run -d is
//     the one ps shows" is still checked.
//  3. Times: RFC 3339 timestamps and Go's "2006-01-02 15:04:05.999 -0700 MST"
//     form → <time>; Docker's human durations ("2 seconds ago", "Up About a
//     minute", "Less than a second ago") → <ago> / "Up <dur>".
//  4. Sizes with a unit (0B, 1.2MB, 3.5kB, 10MiB) → <size>.
//  5. A port after an address ("0.0.0.0:49153->80/tcp", "127.0.0.1:32768",
//     "[::]:32768") → <port>; then non-loopback, non-0.0.0.0 IPv4 addresses
//     (with an optional /prefix) → <ip>.
//  6. Server names: "sockerless" → "docker" (version strings, server headers).
//  7. Layout: a run of two or more blanks (a table column gap, whose width
//     depends on the replaced values) becomes two spaces; trailing blanks and
//     "\r" before "\n" are dropped.
type Normalizer struct {
	Literals [][2]string // applied first, in order: {from, to}
}

var (
	reHex64    = regexp.MustCompile(`\b[0-9a-f]{64}\b`)
	reHex12    = regexp.MustCompile(`\b[0-9a-f]{12}\b`)
	reRFC3339  = regexp.MustCompile(`\b\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)`)
	reGoTime   = regexp.MustCompile(`\b\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d+)? [+-]\d{4}( [A-Z]{2,5})?`)
	durWords   = `(?:Less than a second|About an? (?:second|minute|hour)|\d+ (?:seconds?|minutes?|hours?|days?|weeks?|months?|years?))`
	reAgo      = regexp.MustCompile(durWords + ` ago`)
	reUp       = regexp.MustCompile(`\bUp ` + durWords)
	reSize     = regexp.MustCompile(`\b\d+(\.\d+)?(B|kB|KB|MB|GB|TB|KiB|MiB|GiB|TiB)\b`)
	reIPv4     = regexp.MustCompile(`\b(\d{1,3})\.\d{1,3}\.\d{1,3}\.\d{1,3}(/\d{1,2})?\b`)
	reHostPort = regexp.MustCompile(`((?:\d{1,3}\.){3}\d{1,3}|\[::\]):\d{1,5}\b`)
	reServer   = regexp.MustCompile(`(?i)sockerless`)
	reBlanks   = regexp.MustCompile(`[ \t]{2,}`)
	reTrail    = regexp.MustCompile(`[ \t]+\n`)
)

// Normalize applies the rules to s.
func (n Normalizer) Normalize(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	for _, l := range n.Literals {
		if l[0] != "" {
			s = strings.ReplaceAll(s, l[0], l[1])
		}
	}
	s = normalizeIDs(s)
	s = reRFC3339.ReplaceAllString(s, "<time>")
	s = reGoTime.ReplaceAllString(s, "<time>")
	s = reAgo.ReplaceAllString(s, "<ago>")
	s = reUp.ReplaceAllString(s, "Up <dur>")
	s = reSize.ReplaceAllString(s, "<size>")
	s = reHostPort.ReplaceAllString(s, "$1:<port>")
	s = reIPv4.ReplaceAllStringFunc(s, func(m string) string {
		if strings.HasPrefix(m, "127.") || strings.HasPrefix(m, "0.0.0.0") {
			return m
		}
		return "<ip>"
	})
	s = reServer.ReplaceAllString(s, "docker")
	s = reBlanks.ReplaceAllString(s, "  ")
	s = reTrail.ReplaceAllString(s, "\n")
	return strings.TrimRight(s, " \t")
}

// normalizeIDs numbers 64-hex ids and their 12-hex prefixes by first
// appearance.
func normalizeIDs(s string) string {
	type tok struct {
		start, end int
		full       bool
	}
	var toks []tok
	for _, m := range reHex64.FindAllStringIndex(s, -1) {
		toks = append(toks, tok{m[0], m[1], true})
	}
	fulls := map[string]bool{}
	for _, t := range toks {
		fulls[s[t.start:t.end]] = true
	}
	for _, m := range reHex12.FindAllStringIndex(s, -1) {
		toks = append(toks, tok{m[0], m[1], false})
	}
	if len(toks) == 0 {
		return s
	}
	// Sort by position (insertion sort: outputs are small).
	for i := 1; i < len(toks); i++ {
		for j := i; j > 0 && toks[j].start < toks[j-1].start; j-- {
			toks[j], toks[j-1] = toks[j-1], toks[j]
		}
	}
	// key: the 12-hex prefix (a short id equals its full id's prefix).
	keyOf := func(t tok) string {
		v := s[t.start:t.end]
		if t.full {
			return v[:12]
		}
		for f := range fulls {
			if strings.HasPrefix(f, v) {
				return v
			}
		}
		return "short:" + v
	}
	nums := map[string]int{}
	var b strings.Builder
	last := 0
	for _, t := range toks {
		k := keyOf(t)
		if _, ok := nums[k]; !ok {
			nums[k] = len(nums) + 1
		}
		b.WriteString(s[last:t.start])
		b.WriteString("<id" + strconv.Itoa(nums[k]) + ">")
		last = t.end
	}
	b.WriteString(s[last:])
	return b.String()
}
