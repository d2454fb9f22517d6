package text

import (
	"fmt"
	"regexp"
	"strings"
)

// translateRegex turns a POSIX basic (ere=false) or extended (ere=true)
// regular expression, with the GNU extensions busybox accepts (\+ \? \|
// in BREs, \< \> \b \w \s, \n, \t), into Go RE2 syntax. Back-references
// in the pattern cannot be expressed in RE2 and are reported as errors.
func translateRegex(re string, ere bool) (string, error) {
	return translate(re, ere, false)
}

// translate is translateRegex; sed selects sed's escapes: \n, \t and \r
// are newline, tab and carriage return, inside brackets too (elsewhere
// they are n, t and r).
func translate(re string, ere, sed bool) (string, error) {
	var b strings.Builder
	// atomStart is the output index where the last atom began, -1 when
	// there is nothing a repetition operator could apply to.
	atomStart := -1
	lastRepeat := false
	// atStart reports whether we are at the start of the expression or of
	// a group or alternative, where ^ is an anchor and * is literal.
	atStart := true
	var groups []int   // output indices of open groups
	var groupNum []int // their numbers
	opened := 0
	closed := map[int]bool{}

	emitAtom := func(s string) {
		atomStart = b.Len()
		b.WriteString(s)
		lastRepeat = false
		atStart = false
	}
	emitRepeat := func(op string) {
		if atomStart < 0 {
			// nothing to repeat: literal
			emitAtom(regexp.QuoteMeta(op))
			return
		}
		if lastRepeat {
			// Go rejects a** and a*{2}: group what is there first.
			s := b.String()
			b.Reset()
			b.WriteString(s[:atomStart])
			b.WriteString("(?:")
			b.WriteString(s[atomStart:])
			b.WriteString(")")
		}
		b.WriteString(op)
		lastRepeat = true
		atStart = false
	}
	openGroup := func() {
		opened++
		groupNum = append(groupNum, opened)
		groups = append(groups, b.Len())
		b.WriteString("(")
		atomStart = -1
		lastRepeat = false
		atStart = true
	}
	closeGroup := func() error {
		if len(groups) == 0 {
			if ere {
				// glibc treats an unmatched ) in an ERE as literal.
				emitAtom(`\)`)
				return nil
			}
			return fmt.Errorf("unmatched \\)")
		}
		start := groups[len(groups)-1]
		groups = groups[:len(groups)-1]
		closed[groupNum[len(groupNum)-1]] = true
		groupNum = groupNum[:len(groupNum)-1]
		b.WriteString(")")
		atomStart = start
		lastRepeat = false
		atStart = false
		return nil
	}
	alternate := func() {
		b.WriteString("|")
		atomStart = -1
		lastRepeat = false
		atStart = true
	}
	// interval parses "m}", "m,}", "m,n}" (ERE) or with "\}" (BRE) at
	// re[i:], returning the Go operator and the length consumed.
	interval := func(i int) (string, int, bool) {
		j := i
		num := func() (string, bool) {
			k := j
			for j < len(re) && re[j] >= '0' && re[j] <= '9' {
				j++
			}
			return re[k:j], j > k
		}
		m, okm := num()
		n, hasComma, okn := "", false, false
		if j < len(re) && re[j] == ',' {
			hasComma = true
			j++
			n, okn = num()
		}
		if !okm && !(hasComma && okn) {
			return "", 0, false
		}
		if !okm {
			m = "0"
		}
		if ere {
			if j >= len(re) || re[j] != '}' {
				return "", 0, false
			}
			j++
		} else {
			if j+1 >= len(re) || re[j] != '\\' || re[j+1] != '}' {
				return "", 0, false
			}
			j += 2
		}
		op := "{" + m
		if hasComma {
			op += "," + n
		}
		op += "}"
		return op, j - i, true
	}

	for i := 0; i < len(re); i++ {
		c := re[i]
		switch {
		case c == '\\':
			if i+1 >= len(re) {
				return "", fmt.Errorf("trailing backslash (\\)")
			}
			i++
			d := re[i]
			switch {
			case !ere && d == '(':
				openGroup()
			case !ere && d == ')':
				if err := closeGroup(); err != nil {
					return "", err
				}
			case !ere && d == '|':
				alternate()
			case !ere && (d == '+' || d == '?'):
				if atStart && atomStart < 0 {
					emitAtom(regexp.QuoteMeta(string(d)))
				} else {
					emitRepeat(string(d))
				}
			case !ere && d == '{':
				op, n, ok := interval(i + 1)
				if !ok {
					return "", fmt.Errorf("invalid content of \\{\\}")
				}
				i += n
				emitRepeat(op)
			case d >= '1' && d <= '9':
				n := int(d - '0')
				if !closed[n] {
					return "", fmt.Errorf("invalid back reference")
				}
				emitAtom(backrefRune(n))
			case d == 'n' && sed:
				emitAtom(`\n`)
			case d == 't' && sed:
				emitAtom(`\t`)
			case d == 'r' && sed:
				emitAtom(`\r`)
			case d == 'w', d == 'W', d == 's', d == 'S':
				emitAtom(`\` + string(d))
			case d == 'b', d == 'B':
				b.WriteString(`\` + string(d))
				atStart = false
			case d == '<', d == '>':
				b.WriteString(`\b`)
				atStart = false
			case d == '`':
				b.WriteString(`\A`)
			case d == '\'':
				b.WriteString(`\z`)
			default:
				emitAtom(regexp.QuoteMeta(string(d)))
			}
		case c == '[':
			s, n, err := bracket(re[i:], sed)
			if err != nil {
				return "", err
			}
			i += n - 1
			emitAtom(s)
		case c == '.':
			emitAtom(".")
		case c == '*':
			if atStart || atomStart < 0 {
				emitAtom(`\*`)
			} else {
				emitRepeat("*")
			}
		case c == '^':
			if ere || atStart {
				b.WriteString("^")
				// "^*" makes * literal in a BRE
				atomStart = -1
				lastRepeat = false
			} else {
				emitAtom(`\^`)
			}
		case c == '$':
			if ere || i == len(re)-1 || strings.HasPrefix(re[i+1:], `\)`) || strings.HasPrefix(re[i+1:], `\|`) {
				b.WriteString("$")
				atomStart = -1
				lastRepeat = false
				atStart = false
			} else {
				emitAtom(`\$`)
			}
		case ere && c == '(':
			openGroup()
		case ere && c == ')':
			if err := closeGroup(); err != nil {
				return "", err
			}
		case ere && c == '|':
			alternate()
		case ere && (c == '+' || c == '?'):
			if atomStart < 0 {
				emitAtom(regexp.QuoteMeta(string(c)))
			} else {
				emitRepeat(string(c))
			}
		case ere && c == '{':
			op, n, ok := interval(i + 1)
			if !ok || atomStart < 0 {
				emitAtom(`\{`)
				continue
			}
			i += n
			emitRepeat(op)
		default:
			emitAtom(regexp.QuoteMeta(string(c)))
		}
	}
	if len(groups) > 0 {
		if ere {
			return "", fmt.Errorf("missing ')'")
		}
		return "", fmt.Errorf("unmatched \\(")
	}
	return b.String(), nil
}

// bracket translates the bracket expression at the start of s and returns
// it with the number of bytes it used.
func bracket(s string, sed bool) (string, int, error) {
	var b strings.Builder
	b.WriteString("[")
	i := 1
	if i < len(s) && s[i] == '^' {
		b.WriteString("^")
		i++
	}
	first := true
	for {
		if i >= len(s) {
			return "", 0, fmt.Errorf("unmatched [")
		}
		c := s[i]
		if c == ']' && !first {
			b.WriteString("]")
			return b.String(), i + 1, nil
		}
		first = false
		if c == '[' && i+1 < len(s) && (s[i+1] == ':' || s[i+1] == '=' || s[i+1] == '.') {
			kind := s[i+1]
			end := strings.Index(s[i+2:], string(kind)+"]")
			if end < 0 {
				return "", 0, fmt.Errorf("unmatched [")
			}
			name := s[i+2 : i+2+end]
			if name == "" {
				return "", 0, fmt.Errorf("invalid collation character")
			}
			switch kind {
			case ':':
				switch name {
				case "alpha", "digit", "alnum", "upper", "lower", "space", "blank",
					"punct", "print", "graph", "cntrl", "xdigit":
					b.WriteString("[:" + name + ":]")
				default:
					return "", 0, fmt.Errorf("invalid character class")
				}
			default:
				// [=c=] and [.c.]: the character itself
				for _, r := range name {
					b.WriteString(quoteBracketRune(r))
				}
			}
			i += 2 + end + 2
			continue
		}
		// a range a-z passes through, with both ends quoted
		r, size := decodeRune(s[i:])
		if sed && c == '\\' && i+1 < len(s) && (s[i+1] == 'n' || s[i+1] == 't' || s[i+1] == 'r') {
			r, size = '\n', 2
			switch s[i+1] {
			case 't':
				r = '\t'
			case 'r':
				r = '\r'
			}
		}
		b.WriteString(quoteBracketRune(r))
		i += size
		if i+1 < len(s) && s[i] == '-' && s[i+1] != ']' {
			r2, size2 := decodeRune(s[i+1:])
			if r2 < r {
				return "", 0, fmt.Errorf("invalid range end")
			}
			b.WriteString("-")
			b.WriteString(quoteBracketRune(r2))
			i += 1 + size2
		}
	}
}

func decodeRune(s string) (rune, int) {
	for i, r := range s {
		_ = i
		if r == 0xFFFD {
			return rune(s[0]), 1
		}
		return r, len(string(r))
	}
	return 0, 0
}

func quoteBracketRune(r rune) string {
	switch r {
	case '\\', ']', '[', '^', '-':
		return `\` + string(r)
	case '\n':
		return `\n`
	case '\t':
		return `\t`
	case '\r':
		return `\r`
	}
	return string(r)
}

// compileRegex translates and compiles a sed regular expression with
// leftmost-longest semantics. flags are Go inline flags such as "i", "s".
func compileRegex(re string, ere bool, flags string) (*regex, error) {
	g, err := translate(re, ere, true)
	if err != nil {
		return nil, err
	}
	if flags != "" {
		g = "(?" + flags + ")" + g
	}
	return newRegex(g)
}
