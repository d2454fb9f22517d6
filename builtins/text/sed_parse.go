package text

import (
	"fmt"
	"strconv"
	"strings"
)

// sed addresses
const (
	addrLine = iota + 1
	addrLast
	addrRegex
	addrZero // 0,/re/
	addrStep // first~step
	addrPlus // addr1,+N
	addrMult // addr1,~N
)

type sedAddr struct {
	kind  int
	line  int
	step  int
	re    *regex // nil for addrRegex: reuse the last regex
	empty bool   // the regex was //
}

type sedCmd struct {
	a1, a2 *sedAddr
	neg    bool
	name   byte

	text  string // a i c text, label for b t T :, file name for r w
	num   int    // q Q exit code, l width (-1: default)
	jump  int    // b t T target, { matching }
	block int    // } : index of its {

	// s
	re      *regex
	reEmpty bool
	repl    []replPart
	global  bool
	nth     int
	print   int
	wfile   string
	ymap    map[rune]rune
	hasNum  bool
	reFlags string

	// range state
	zeroStarted bool
	dead        bool // a line-number range that has run
	active      bool
	endLine     int
}

// replPart is a piece of an s replacement: a literal, a group reference
// (0 for &), or a case conversion (\U \L \u \l \E).
type replPart struct {
	lit   string
	group int // -1 for literal
	conv  byte
}

type sedParser struct {
	s    string
	i    int
	ere  bool
	cmds []*sedCmd
}

type sedError struct{ msg string }

func (e *sedError) Error() string { return e.msg }

func (p *sedParser) errf(format string, args ...any) error {
	return &sedError{fmt.Sprintf(format, args...)}
}

func (p *sedParser) eof() bool { return p.i >= len(p.s) }
func (p *sedParser) peek() byte {
	if p.i < len(p.s) {
		return p.s[p.i]
	}
	return 0
}

func (p *sedParser) skipSpace() {
	for p.i < len(p.s) && (p.s[p.i] == ' ' || p.s[p.i] == '\t') {
		p.i++
	}
}

// parseSed compiles a sed script (the -e pieces joined with newlines).
func parseSed(script string, ere bool) ([]*sedCmd, error) {
	p := &sedParser{s: script, ere: ere}
	var open []int
	for {
		// skip blanks, newlines and semicolons between commands
		for !p.eof() && strings.IndexByte(" \t\n\r;", p.peek()) >= 0 {
			p.i++
		}
		if p.eof() {
			break
		}
		if p.peek() == '#' {
			for !p.eof() && p.peek() != '\n' {
				p.i++
			}
			continue
		}
		cmd := &sedCmd{num: -1}
		var err error
		if cmd.a1, err = p.parseAddr(false); err != nil {
			return nil, err
		}
		if cmd.a1 != nil {
			p.skipSpace()
			if p.peek() == ',' {
				p.i++
				p.skipSpace()
				if cmd.a2, err = p.parseAddr(true); err != nil {
					return nil, err
				}
				if cmd.a2 == nil {
					return nil, p.errf("unexpected ','")
				}
				if cmd.a2.kind == addrZero || cmd.a2.kind == addrStep {
					return nil, p.errf("invalid usage of line address 0")
				}
			}
			if cmd.a1.kind == addrZero && (cmd.a2 == nil || cmd.a2.kind != addrRegex) {
				return nil, p.errf("invalid usage of line address 0")
			}
		}
		p.skipSpace()
		for p.peek() == '!' {
			cmd.neg = true
			p.i++
			p.skipSpace()
		}
		if p.eof() {
			return nil, p.errf("missing command")
		}
		cmd.name = p.s[p.i]
		p.i++
		switch cmd.name {
		case '{':
			open = append(open, len(p.cmds))
			p.cmds = append(p.cmds, cmd)
			continue
		case '}':
			if cmd.a1 != nil || cmd.neg {
				return nil, p.errf("} doesn't want any addresses")
			}
			if len(open) == 0 {
				return nil, p.errf("unexpected '}'")
			}
			o := open[len(open)-1]
			open = open[:len(open)-1]
			p.cmds[o].jump = len(p.cmds)
			cmd.block = o
		case '=', 'd', 'D', 'g', 'G', 'h', 'H', 'n', 'N', 'p', 'P', 'x', 'z', 'F':
		case 'q', 'Q', 'l', 'L':
			if cmd.name == 'L' {
				return nil, p.errf("unknown command: 'L'")
			}
			p.skipSpace()
			start := p.i
			for !p.eof() && p.peek() >= '0' && p.peek() <= '9' {
				p.i++
			}
			if p.i > start {
				cmd.num, _ = strconv.Atoi(p.s[start:p.i])
			}
		case 'a', 'i', 'c':
			if cmd.name != 'c' && cmd.a2 != nil && false {
				return nil, p.errf("command only uses one address")
			}
			cmd.text = p.parseText()
		case ':':
			if cmd.a1 != nil {
				return nil, p.errf(": doesn't want any addresses")
			}
			p.skipSpace()
			cmd.text = p.readLabel()
			if cmd.text == "" {
				return nil, p.errf("\":\" lacks a label")
			}
		case 'b', 't', 'T':
			p.skipSpace()
			cmd.text = p.readLabel()
		case 'r', 'R', 'w', 'W':
			p.skipSpace()
			cmd.text = p.readToEOL()
			if cmd.text == "" && (cmd.name == 'w' || cmd.name == 'W') {
				return nil, p.errf("missing filename in r/R/w/W commands")
			}
		case 's':
			if err := p.parseSubst(cmd); err != nil {
				return nil, err
			}
		case 'y':
			if err := p.parseY(cmd); err != nil {
				return nil, err
			}
		default:
			return nil, p.errf("unknown command: '%c'", cmd.name)
		}
		p.cmds = append(p.cmds, cmd)
		if err := p.endCmd(); err != nil {
			return nil, err
		}
	}
	if len(open) > 0 {
		return nil, p.errf("unmatched '{'")
	}
	// resolve labels
	labels := map[string]int{}
	for i, c := range p.cmds {
		if c.name == ':' {
			if _, dup := labels[c.text]; dup {
				return nil, p.errf("duplicate label '%s'", c.text)
			}
			labels[c.text] = i
		}
	}
	for _, c := range p.cmds {
		switch c.name {
		case 'b', 't', 'T':
			if c.text == "" {
				c.jump = len(p.cmds)
				continue
			}
			j, ok := labels[c.text]
			if !ok {
				return nil, p.errf("can't find label for jump to '%s'", c.text)
			}
			c.jump = j
		}
	}
	return p.cmds, nil
}

// endCmd checks what follows a command: a separator, a closing brace or a
// comment.
func (p *sedParser) endCmd() error {
	p.skipSpace()
	if p.eof() {
		return nil
	}
	switch p.peek() {
	case ';', '\n', '\r':
		p.i++
		return nil
	case '}', '#':
		return nil
	}
	return p.errf("extra characters after command")
}

func (p *sedParser) readLabel() string {
	start := p.i
	for !p.eof() && strings.IndexByte(";\n\r \t", p.peek()) < 0 {
		p.i++
	}
	return p.s[start:p.i]
}

func (p *sedParser) readToEOL() string {
	start := p.i
	for !p.eof() && p.peek() != '\n' {
		p.i++
	}
	return p.s[start:p.i]
}

// parseText reads the text of a, i and c in both the one-liner GNU form
// ("a text") and the classic form ("a\" newline "text").
func (p *sedParser) parseText() string {
	p.skipSpace()
	if strings.HasPrefix(p.s[p.i:], "\\\n") {
		p.i += 2
	} else if strings.HasPrefix(p.s[p.i:], "\\") {
		p.i++
	}
	var b strings.Builder
	for !p.eof() {
		c := p.s[p.i]
		if c == '\n' {
			p.i++
			break
		}
		if c == '\\' && p.i+1 < len(p.s) {
			p.i++
			b.WriteByte(p.s[p.i])
			p.i++
			continue
		}
		b.WriteByte(c)
		p.i++
	}
	// the newline ending the text was consumed: step back so endCmd sees it
	if p.i > 0 && p.s[p.i-1] == '\n' {
		p.i--
	}
	return b.String()
}

func (p *sedParser) parseAddr(second bool) (*sedAddr, error) {
	if p.eof() {
		return nil, nil
	}
	c := p.peek()
	switch {
	case c >= '0' && c <= '9':
		n := p.number()
		if p.peek() == '~' && !second {
			p.i++
			step := p.number()
			return &sedAddr{kind: addrStep, line: n, step: step}, nil
		}
		if n == 0 {
			return &sedAddr{kind: addrZero}, nil
		}
		return &sedAddr{kind: addrLine, line: n}, nil
	case c == '+' && second:
		p.i++
		return &sedAddr{kind: addrPlus, line: p.number()}, nil
	case c == '~' && second:
		p.i++
		return &sedAddr{kind: addrMult, line: p.number()}, nil
	case c == '$':
		p.i++
		return &sedAddr{kind: addrLast}, nil
	case c == '/' || c == '\\':
		if c == '\\' {
			p.i++
			if p.eof() || p.peek() == '\n' || p.peek() == '\\' {
				return nil, p.errf("unexpected end of regex")
			}
		}
		delim := p.s[p.i]
		p.i++
		raw, err := p.delimited(delim, true)
		if err != nil {
			return nil, err
		}
		flags := "s"
		for !p.eof() {
			if p.peek() == 'I' {
				flags += "i"
			} else if p.peek() == 'M' {
				flags = strings.Replace(flags, "s", "", 1) + "m"
			} else {
				break
			}
			p.i++
		}
		a := &sedAddr{kind: addrRegex}
		if raw == "" {
			a.empty = true
			return a, nil
		}
		re, err := compileRegex(raw, p.ere, flags)
		if err != nil {
			return nil, p.errf("bad regex '%s': %v", raw, err)
		}
		a.re = re
		return a, nil
	}
	return nil, nil
}

func (p *sedParser) number() int {
	start := p.i
	for !p.eof() && p.peek() >= '0' && p.peek() <= '9' {
		p.i++
	}
	n, _ := strconv.Atoi(p.s[start:p.i])
	return n
}

// delimited reads up to the next unescaped delim. In a regex, "\delim"
// becomes delim and "\n" a newline; other escapes are kept for the regex
// translator. In a replacement (isRegex false) escapes are kept except
// "\delim" and backslash-newline.
func (p *sedParser) delimited(delim byte, isRegex bool) (string, error) {
	var b strings.Builder
	for {
		if p.eof() {
			return "", p.errf("unterminated address regex")
		}
		c := p.s[p.i]
		p.i++
		if c == delim {
			return b.String(), nil
		}
		if c == '\n' && isRegex {
			return "", p.errf("unterminated address regex")
		}
		if c == '\\' {
			if p.eof() {
				return "", p.errf("unterminated address regex")
			}
			d := p.s[p.i]
			p.i++
			switch {
			case d == delim:
				if isRegex && delim != '&' && strings.IndexByte(`.*[]^$`, d) >= 0 {
					b.WriteByte('\\')
				}
				b.WriteByte(d)
			case d == 'n' && isRegex:
				b.WriteString(`\n`)
			case d == '\n':
				if isRegex {
					b.WriteString(`\n`)
				} else {
					b.WriteString("\\\n")
				}
			default:
				b.WriteByte('\\')
				b.WriteByte(d)
			}
			continue
		}
		b.WriteByte(c)
	}
}

func (p *sedParser) parseSubst(cmd *sedCmd) error {
	if p.eof() || p.peek() == '\n' || p.peek() == '\\' {
		return p.errf("unterminated `s' command")
	}
	delim := p.s[p.i]
	p.i++
	raw, err := p.delimited(delim, true)
	if err != nil {
		return p.errf("unterminated `s' command")
	}
	replRaw, err := p.delimited(delim, false)
	if err != nil {
		return p.errf("unterminated `s' command")
	}
	flags := "s"
flagLoop:
	for !p.eof() {
		c := p.peek()
		switch {
		case c == 'g':
			cmd.global = true
		case c == 'p':
			cmd.print++
		case c == 'i' || c == 'I':
			flags += "i"
		case c == 'm' || c == 'M':
			flags = strings.Replace(flags, "s", "", 1) + "m"
		case c == 'e':
		case c >= '0' && c <= '9':
			if cmd.hasNum {
				return p.errf("multiple number options to `s' command")
			}
			n := p.number()
			if n == 0 {
				return p.errf("number option to `s' command may not be zero")
			}
			cmd.nth = n
			cmd.hasNum = true
			continue
		case c == 'w':
			p.i++
			p.skipSpace()
			cmd.wfile = p.readToEOL()
			if cmd.wfile == "" {
				return p.errf("missing filename in r/R/w/W commands")
			}
			break flagLoop
		default:
			break flagLoop
		}
		p.i++
	}
	cmd.reFlags = flags
	if raw == "" {
		cmd.reEmpty = true
	} else {
		cmd.re, err = compileRegex(raw, p.ere, flags)
		if err != nil {
			return p.errf("bad regex '%s': %v", raw, err)
		}
	}
	cmd.repl, err = parseReplacement(replRaw, cmd.re)
	return err
}

func parseReplacement(s string, re *regex) ([]replPart, error) {
	var parts []replPart
	var lit strings.Builder
	flush := func() {
		if lit.Len() > 0 {
			parts = append(parts, replPart{lit: lit.String(), group: -1})
			lit.Reset()
		}
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '&' {
			flush()
			parts = append(parts, replPart{group: 0})
			continue
		}
		if c != '\\' || i+1 >= len(s) {
			lit.WriteByte(c)
			continue
		}
		i++
		d := s[i]
		switch {
		case d >= '0' && d <= '9':
			// busybox accepts references to missing groups: they are empty
			n := int(d - '0')
			flush()
			parts = append(parts, replPart{group: n})
		case d == 'n':
			lit.WriteByte('\n')
		case d == 't':
			lit.WriteByte('\t')
		case d == 'r':
			lit.WriteByte('\r')
		case d == 'a':
			lit.WriteByte('\a')
		case d == 'f':
			lit.WriteByte('\f')
		case d == 'v':
			lit.WriteByte('\v')
		case d == 'U' || d == 'L' || d == 'u' || d == 'l' || d == 'E':
			flush()
			parts = append(parts, replPart{group: -1, conv: d})
		default:
			lit.WriteByte(d)
		}
	}
	flush()
	return parts, nil
}

func (p *sedParser) parseY(cmd *sedCmd) error {
	if p.eof() || p.peek() == '\n' || p.peek() == '\\' {
		return p.errf("unterminated `y' command")
	}
	delim := p.s[p.i]
	p.i++
	read := func() ([]rune, error) {
		var out []rune
		for {
			if p.eof() {
				return nil, p.errf("unterminated `y' command")
			}
			c := p.s[p.i]
			if c == delim {
				p.i++
				return out, nil
			}
			if c == '\\' && p.i+1 < len(p.s) {
				d := p.s[p.i+1]
				switch d {
				case 'n':
					out = append(out, '\n')
				case '\\':
					out = append(out, '\\')
				case 't':
					out = append(out, '\t')
				default:
					if d == delim {
						out = append(out, rune(d))
					} else {
						out = append(out, '\\', rune(d))
					}
				}
				p.i += 2
				continue
			}
			r, size := decodeRune(p.s[p.i:])
			out = append(out, r)
			p.i += size
		}
	}
	src, err := read()
	if err != nil {
		return err
	}
	dst, err := read()
	if err != nil {
		return err
	}
	if len(src) != len(dst) {
		return p.errf("strings for `y' command are different lengths")
	}
	cmd.ymap = map[rune]rune{}
	for i, r := range src {
		cmd.ymap[r] = dst[i]
	}
	return nil
}
