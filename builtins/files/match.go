package files

import (
	"regexp"
	"strings"
	"unicode/utf8"
)

// fnmatch reports whether name matches the shell pattern pat the way
// fnmatch(3) does without flags: '*' and '?' also match '/' and a leading
// '.', "[...]" takes ranges, '!' or '^' negation and [:class:] names, and
// a backslash quotes the next character. fold makes it case-insensitive.
func fnmatch(pat, name string, fold bool) bool {
	if fold {
		pat, name = strings.ToLower(pat), strings.ToLower(name)
	}
	// Iterative matcher with single-star backtracking.
	px, nx := 0, 0
	starPx, starNx := -1, -1
	for px < len(pat) || nx < len(name) {
		if px < len(pat) {
			switch c := pat[px]; c {
			case '*':
				starPx, starNx = px, nx
				px++
				continue
			case '?':
				if nx < len(name) {
					_, w := utf8.DecodeRuneInString(name[nx:])
					px++
					nx += w
					continue
				}
			case '[':
				if nx < len(name) {
					r, w := utf8.DecodeRuneInString(name[nx:])
					if ok, end, valid := matchBracket(pat[px:], r); valid {
						if ok {
							px += end
							nx += w
							continue
						}
					} else if name[nx] == '[' {
						px++
						nx++
						continue
					}
				}
			case '\\':
				if px+1 < len(pat) {
					if nx < len(name) && name[nx] == pat[px+1] {
						px += 2
						nx++
						continue
					}
				} else if nx < len(name) && name[nx] == '\\' {
					px++
					nx++
					continue
				}
			default:
				if nx < len(name) && name[nx] == c {
					px++
					nx++
					continue
				}
			}
		}
		if starPx >= 0 && starNx < len(name) {
			_, w := utf8.DecodeRuneInString(name[starNx:])
			starNx += w
			px, nx = starPx+1, starNx
			continue
		}
		return false
	}
	return true
}

var charClasses = map[string]func(rune) bool{
	"alpha": func(r rune) bool { return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' },
	"digit": func(r rune) bool { return r >= '0' && r <= '9' },
	"alnum": func(r rune) bool { return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' },
	"upper": func(r rune) bool { return r >= 'A' && r <= 'Z' },
	"lower": func(r rune) bool { return r >= 'a' && r <= 'z' },
	"space": func(r rune) bool { return r == ' ' || r >= '\t' && r <= '\r' },
	"blank": func(r rune) bool { return r == ' ' || r == '\t' },
	"punct": func(r rune) bool {
		return r > ' ' && r < 0x7f && !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9')
	},
	"print":  func(r rune) bool { return r >= ' ' && r < 0x7f },
	"graph":  func(r rune) bool { return r > ' ' && r < 0x7f },
	"cntrl":  func(r rune) bool { return r < ' ' || r == 0x7f },
	"xdigit": func(r rune) bool { return r >= '0' && r <= '9' || r >= 'a' && r <= 'f' || r >= 'A' && r <= 'F' },
}

// matchBracket matches r against the bracket expression at the start of p.
// It returns whether r matched, the length of the expression, and whether
// the expression was well formed (else '[' is literal).
func matchBracket(p string, r rune) (matched bool, end int, valid bool) {
	i := 1
	neg := false
	if i < len(p) && (p[i] == '!' || p[i] == '^') {
		neg = true
		i++
	}
	first := true
	for i < len(p) {
		if p[i] == ']' && !first {
			return matched != neg, i + 1, true
		}
		first = false
		if strings.HasPrefix(p[i:], "[:") {
			if j := strings.Index(p[i+2:], ":]"); j >= 0 {
				if f, ok := charClasses[p[i+2:i+2+j]]; ok {
					if f(r) {
						matched = true
					}
					i += j + 4
					continue
				}
			}
		}
		lo, w := utf8.DecodeRuneInString(p[i:])
		if lo == '\\' && i+1 < len(p) {
			i++
			lo, w = utf8.DecodeRuneInString(p[i:])
		}
		i += w
		hi := lo
		if i+1 < len(p) && p[i] == '-' && p[i+1] != ']' {
			i++
			hi, w = utf8.DecodeRuneInString(p[i:])
			if hi == '\\' && i+1 < len(p) {
				i++
				hi, w = utf8.DecodeRuneInString(p[i:])
			}
			i += w
		}
		if lo <= r && r <= hi {
			matched = true
		}
	}
	return false, 0, false
}

// breToERE translates a POSIX basic regular expression (as regcomp with
// no flags reads it, plus GNU's \+ \? \|) into Go regexp syntax.
func breToERE(bre string) string {
	var b strings.Builder
	atStart := true // where '*' is literal
	for i := 0; i < len(bre); i++ {
		c := bre[i]
		switch {
		case c == '\\' && i+1 < len(bre):
			i++
			n := bre[i]
			switch n {
			case '(':
				b.WriteString("(")
				atStart = true
				continue
			case ')', '{', '}', '|', '+', '?':
				b.WriteByte(n)
				atStart = n == '|'
				continue
			case '<', '>':
				b.WriteString(`\b`)
			case 'w', 'W', 's', 'S', 'b', 'B':
				b.WriteByte('\\')
				b.WriteByte(n)
			case 'n':
				b.WriteString(`\n`)
			case 't':
				b.WriteString(`\t`)
			default:
				if n >= '1' && n <= '9' {
					// Back-references have no Go equivalent: match nothing
					// rather than something wrong.
					b.WriteString(`[^\x00-\x{10FFFF}]`)
				} else {
					b.WriteString(regexp.QuoteMeta(bre[i : i+1]))
				}
			}
		case c == '[':
			j := i + 1
			if j < len(bre) && bre[j] == '^' {
				j++
			}
			if j < len(bre) && bre[j] == ']' {
				j++
			}
			for j < len(bre) && bre[j] != ']' {
				if bre[j] == '[' && j+1 < len(bre) && (bre[j+1] == ':' || bre[j+1] == '.' || bre[j+1] == '=') {
					if k := strings.Index(bre[j+2:], string(bre[j+1])+"]"); k >= 0 {
						j += k + 4
						continue
					}
				}
				j++
			}
			if j >= len(bre) {
				b.WriteString(`\[`)
				break
			}
			body := bre[i+1 : j]
			neg := strings.HasPrefix(body, "^")
			if neg {
				body = body[1:]
			}
			b.WriteByte('[')
			if neg {
				b.WriteByte('^')
			}
			for k := 0; k < len(body); k++ {
				if body[k] == '[' && k+1 < len(body) && body[k+1] == ':' {
					if e := strings.Index(body[k:], ":]"); e >= 0 {
						b.WriteString(body[k : k+e+2])
						k += e + 1
						continue
					}
				}
				if body[k] == '\\' || body[k] == '[' || body[k] == ']' {
					b.WriteByte('\\')
				}
				b.WriteByte(body[k])
			}
			b.WriteByte(']')
			i = j
		case c == '*' && atStart:
			b.WriteString(`\*`)
		case c == '^' && atStart:
			b.WriteByte('^')
			continue
		case c == '$' && (i == len(bre)-1 || strings.HasPrefix(bre[i+1:], `\)`) || strings.HasPrefix(bre[i+1:], `\|`)):
			b.WriteByte('$')
		case c == '.' || c == '*':
			b.WriteByte(c)
		default:
			b.WriteString(regexp.QuoteMeta(bre[i : i+1]))
		}
		atStart = false
	}
	return b.String()
}
