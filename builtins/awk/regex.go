package awk

import (
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"
)

// translateERE rewrites a POSIX extended regular expression, as awk
// writes it, into Go regexp syntax.
func translateERE(re string) (string, error) {
	var out strings.Builder
	out.WriteString("(?s)")
	// atomStart is where the last repeatable item starts in out, -1 when
	// a repetition operator would have nothing to apply to.
	atomStart := -1
	lastWasRepeat := false
	depth := 0
	i := 0
	for i < len(re) {
		c := re[i]
		switch c {
		case '\\':
			i++
			start := out.Len()
			if i >= len(re) {
				out.WriteString(`\\`)
			} else {
				i += translateEscape(&out, re[i:])
			}
			atomStart, lastWasRepeat = start, false
			continue
		case '[':
			start := out.Len()
			n, err := translateBracket(&out, re[i:])
			if err != nil {
				return "", err
			}
			i += n
			atomStart, lastWasRepeat = start, false
			continue
		case '(':
			depth++
			out.WriteByte('(')
			atomStart, lastWasRepeat = -1, false
		case ')':
			if depth == 0 {
				// unmatched ) is literal in POSIX
				start := out.Len()
				out.WriteString(`\)`)
				atomStart, lastWasRepeat = start, false
				break
			}
			depth--
			out.WriteByte(')')
			// find the matching ( to make the group repeatable
			s := out.String()
			lvl := 0
			atomStart = -1
			for j := len(s) - 1; j >= 0; j-- {
				if s[j] == ')' && !escapedAt(s, j) {
					lvl++
				} else if s[j] == '(' && !escapedAt(s, j) {
					lvl--
					if lvl == 0 {
						atomStart = j
						break
					}
				}
			}
			lastWasRepeat = false
		case '|':
			out.WriteByte('|')
			atomStart, lastWasRepeat = -1, false
		case '^':
			out.WriteByte('^')
			atomStart, lastWasRepeat = -1, false
		case '$':
			out.WriteByte('$')
			atomStart, lastWasRepeat = -1, false
		case '*', '+', '?', '{':
			op := string(c)
			if c == '{' {
				j := i + 1
				for j < len(re) && (isDigit(re[j]) || re[j] == ',') {
					j++
				}
				body := re[i+1 : min(j, len(re))]
				if j >= len(re) || re[j] != '}' || body == "" || body[0] == ',' && len(body) == 1 || strings.Count(body, ",") > 1 {
					// not an interval: a literal brace
					start := out.Len()
					out.WriteString(`\{`)
					atomStart, lastWasRepeat = start, false
					break
				}
				if body[0] == ',' {
					body = "0" + body
				}
				op = "{" + body + "}"
				i = j
			}
			if atomStart < 0 {
				start := out.Len()
				out.WriteString(regexp.QuoteMeta(op))
				atomStart, lastWasRepeat = start, false
				break
			}
			if lastWasRepeat {
				// a** or a+?: wrap what we have so Go accepts it
				s := out.String()
				out.Reset()
				out.WriteString(s[:atomStart])
				out.WriteString("(?:")
				out.WriteString(s[atomStart:])
				out.WriteString(")")
			}
			out.WriteString(op)
			lastWasRepeat = true
		case '.':
			start := out.Len()
			out.WriteByte('.')
			atomStart, lastWasRepeat = start, false
		default:
			start := out.Len()
			if c >= utf8.RuneSelf {
				i += writeRune(&out, re[i:])
				atomStart, lastWasRepeat = start, false
				continue
			}
			out.WriteByte(c)
			atomStart, lastWasRepeat = start, false
		}
		i++
	}
	for ; depth > 0; depth-- {
		return "", fmt.Errorf("unmatched ( or \\(")
	}
	return out.String(), nil
}

func escapedAt(s string, j int) bool {
	n := 0
	for k := j - 1; k >= 0 && s[k] == '\\'; k-- {
		n++
	}
	return n%2 == 1
}

// translateEscape handles the text after a backslash outside brackets and
// returns how many bytes it used.
func translateEscape(out *strings.Builder, s string) int {
	c := s[0]
	switch c {
	case 'n':
		out.WriteString(`\n`)
	case 't':
		out.WriteString(`\t`)
	case 'r':
		out.WriteString(`\r`)
	case 'f':
		out.WriteString(`\f`)
	case 'v':
		out.WriteString(`\v`)
	case 'a':
		out.WriteString(`\x07`)
	case 'w', 'W', 's', 'S', 'b', 'B':
		out.WriteByte('\\')
		out.WriteByte(c)
	case '<', '>':
		out.WriteString(`\b`)
	case '`':
		out.WriteString(`\A`)
	case '\'':
		out.WriteString(`\z`)
	case '0', '1', '2', '3', '4', '5', '6', '7':
		n, i := 0, 0
		for i < 3 && i < len(s) && s[i] >= '0' && s[i] <= '7' {
			n = n*8 + int(s[i]-'0')
			i++
		}
		writeLiteral(out, byte(n))
		return i
	default:
		if c >= utf8.RuneSelf {
			return writeRune(out, s)
		}
		writeLiteral(out, c)
	}
	return 1
}

// writeRune copies the UTF-8 character at the start of s; an invalid byte
// becomes U+FFFD, which is what Go's matcher sees for it in the input.
func writeRune(out *strings.Builder, s string) int {
	r, n := utf8.DecodeRuneInString(s)
	if r == utf8.RuneError {
		out.WriteString(`\x{fffd}`)
		return 1
	}
	out.WriteString(s[:n])
	return n
}

func writeLiteral(out *strings.Builder, c byte) {
	if c < 0x80 {
		if c < ' ' || c == 0x7f {
			fmt.Fprintf(out, `\x%02x`, c)
			return
		}
		out.WriteString(regexp.QuoteMeta(string(c)))
		return
	}
	out.WriteString(`\x{fffd}`)
}

// translateBracket converts the bracket expression at the start of s and
// returns its length in s.
func translateBracket(out *strings.Builder, s string) (int, error) {
	i := 1
	var b strings.Builder
	b.WriteByte('[')
	if i < len(s) && s[i] == '^' {
		b.WriteByte('^')
		i++
	}
	first := true
	items := 0
	for {
		if i >= len(s) {
			return 0, fmt.Errorf("unmatched [, [^, [:, [., or [=")
		}
		c := s[i]
		if c == ']' && !first {
			i++
			break
		}
		first = false
		switch {
		case c == '[' && i+1 < len(s) && (s[i+1] == ':' || s[i+1] == '.' || s[i+1] == '='):
			d := s[i+1]
			end := strings.Index(s[i+2:], string(d)+"]")
			if end < 0 {
				return 0, fmt.Errorf("unmatched [, [^, [:, [., or [=")
			}
			name := s[i+2 : i+2+end]
			if d == ':' {
				switch name {
				case "alpha", "digit", "alnum", "upper", "lower", "space", "blank",
					"punct", "print", "graph", "cntrl", "xdigit":
					b.WriteString("[:" + name + ":]")
				default:
					return 0, fmt.Errorf("invalid character class")
				}
			} else {
				for k := 0; k < len(name); {
					if name[k] >= utf8.RuneSelf {
						k += writeRune(&b, name[k:])
						continue
					}
					writeClassChar(&b, name[k])
					k++
				}
			}
			i += 2 + end + 2
		case c == '\\' && i+1 < len(s):
			// awk lets escapes work inside brackets
			var tmp strings.Builder
			n := unescapeRegexChar(&tmp, s[i+1:])
			t := tmp.String()
			if t == "" {
				b.WriteString(`\\`)
			}
			for k := 0; k < len(t); {
				if t[k] >= utf8.RuneSelf {
					k += writeRune(&b, t[k:])
					continue
				}
				writeClassChar(&b, t[k])
				k++
			}
			i += 1 + n
		case c == '-' && i+1 < len(s) && s[i+1] != ']' && items > 0:
			b.WriteByte('-')
			i++
			continue
		default:
			if c >= utf8.RuneSelf {
				i += writeRune(&b, s[i:])
			} else {
				writeClassChar(&b, c)
				i++
			}
		}
		items++
	}
	cls := b.String()
	if cls == "[" || cls == "[^" {
		return 0, fmt.Errorf("empty bracket")
	}
	b.WriteByte(']')
	if _, err := regexp.Compile(b.String()); err != nil {
		return 0, fmt.Errorf("invalid range end")
	}
	out.WriteString(b.String())
	return i, nil
}

func unescapeRegexChar(b *strings.Builder, s string) int {
	switch c := s[0]; c {
	case 'n':
		b.WriteByte('\n')
	case 't':
		b.WriteByte('\t')
	case 'r':
		b.WriteByte('\r')
	case 'f':
		b.WriteByte('\f')
	case 'v':
		b.WriteByte('\v')
	case 'a':
		b.WriteByte('\a')
	case 'b':
		b.WriteByte('\b')
	case '0', '1', '2', '3', '4', '5', '6', '7':
		n, i := 0, 0
		for i < 3 && i < len(s) && s[i] >= '0' && s[i] <= '7' {
			n = n*8 + int(s[i]-'0')
			i++
		}
		b.WriteByte(byte(n))
		return i
	default:
		b.WriteByte(c)
	}
	return 1
}

func writeClassChar(b *strings.Builder, c byte) {
	switch {
	case c < ' ' || c == 0x7f:
		fmt.Fprintf(b, `\x%02x`, c)
	case c < 0x80 && !isNameStart(c) && !isDigit(c):
		b.WriteByte('\\')
		b.WriteByte(c)
	default:
		b.WriteByte(c)
	}
}

// compileERE translates and compiles an awk regex with POSIX
// leftmost-longest semantics.
func compileERE(src string) (*regexp.Regexp, error) {
	t, err := translateERE(src)
	if err != nil {
		return nil, err
	}
	re, err := regexp.Compile(t)
	if err != nil {
		return nil, err
	}
	re.Longest()
	return re, nil
}
