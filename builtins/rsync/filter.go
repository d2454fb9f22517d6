package rsync

import (
	"regexp"
	"strings"
)

// rule is one --exclude/--include pattern, compiled the way rsync's filter
// rules match (rsync(1), "INCLUDE/EXCLUDE PATTERN RULES"):
//   - a trailing "/" matches directories only;
//   - a leading "/" anchors the pattern at the root of the transfer;
//   - a pattern holding "/" or "**" is matched against the whole path below
//     the transfer root (unanchored: against any trailing run of components);
//     otherwise against the final component only;
//   - "*" and "?" stop at "/", "**" does not, "dir/***" matches dir and
//     everything below it.
type rule struct {
	include bool
	dirOnly bool
	whole   bool // match against the whole path rather than the base name
	re      *regexp.Regexp
	alt     *regexp.Regexp // for "x/***": also matches x itself
}

func newRule(pat string, include bool) (*rule, bool) {
	r := &rule{include: include}
	if pat == "" {
		return nil, false
	}
	if strings.HasSuffix(pat, "/") && pat != "/" {
		r.dirOnly = true
		pat = strings.TrimRight(pat, "/")
	}
	anchored := strings.HasPrefix(pat, "/")
	pat = strings.TrimPrefix(pat, "/")
	triple := false
	if strings.HasSuffix(pat, "/***") {
		triple = true
		pat = strings.TrimSuffix(pat, "/***")
	}
	r.whole = anchored || strings.Contains(pat, "/") || strings.Contains(pat, "**") || triple
	prefix := "^"
	if r.whole && !anchored {
		prefix = "^(?:.*/)?"
	}
	body := globRegexp(pat)
	var err error
	if triple {
		r.re, err = regexp.Compile(prefix + body + "/.*$")
		if err == nil {
			r.alt, err = regexp.Compile(prefix + body + "$")
		}
	} else {
		r.re, err = regexp.Compile(prefix + body + "$")
	}
	return r, err == nil
}

// globRegexp translates an rsync wildcard pattern to a regexp body.
func globRegexp(p string) string {
	var b strings.Builder
	for i := 0; i < len(p); i++ {
		c := p[i]
		switch c {
		case '*':
			if i+1 < len(p) && p[i+1] == '*' {
				for i+1 < len(p) && p[i+1] == '*' {
					i++
				}
				b.WriteString(".*")
			} else {
				b.WriteString("[^/]*")
			}
		case '?':
			b.WriteString("[^/]")
		case '[':
			j := i + 1
			if j < len(p) && (p[j] == '!' || p[j] == '^') {
				j++
			}
			if j < len(p) && p[j] == ']' {
				j++
			}
			for j < len(p) && p[j] != ']' {
				j++
			}
			if j >= len(p) {
				b.WriteString(`\[`)
				continue
			}
			class := p[i+1 : j]
			if strings.HasPrefix(class, "!") {
				class = "^" + class[1:]
			}
			b.WriteString("[" + strings.ReplaceAll(class, `\`, `\\`) + "]")
			i = j
		case '\\':
			if i+1 < len(p) {
				i++
				b.WriteString(regexp.QuoteMeta(string(p[i])))
			} else {
				b.WriteString(`\\`)
			}
		default:
			b.WriteString(regexp.QuoteMeta(string(c)))
		}
	}
	return b.String()
}

func (r *rule) matches(rel string, dir bool) bool {
	if r.dirOnly && !dir {
		return false
	}
	subject := rel
	if !r.whole {
		subject = rel[strings.LastIndexByte(rel, '/')+1:]
	}
	return r.re.MatchString(subject) || (r.alt != nil && r.alt.MatchString(subject))
}

// filters is the ordered rule list; the first matching rule decides.
type filters []*rule

// excluded reports whether rel (a path below the transfer root, "/"-separated,
// no leading "/") is excluded.
func (fs filters) excluded(rel string, dir bool) bool {
	for _, r := range fs {
		if r.matches(rel, dir) {
			return !r.include
		}
	}
	return false
}
