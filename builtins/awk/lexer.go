package awk

import (
	"fmt"
	"strings"
)

type tokKind int

const (
	tEOF tokKind = iota
	tNewline
	tLbrace
	tRbrace
	tLparen
	tRparen
	tLbracket
	tRbracket
	tSemi
	tComma
	tAdd
	tSub
	tMul
	tDiv
	tMod
	tPow
	tAssign
	tAddAssign
	tSubAssign
	tMulAssign
	tDivAssign
	tModAssign
	tPowAssign
	tEq
	tNe
	tLt
	tLe
	tGt
	tGe
	tMatch
	tNoMatch
	tNot
	tAnd
	tOr
	tQuestion
	tColon
	tIncr
	tDecr
	tDollar
	tAppend
	tPipe
	tNumber
	tString
	tRegex
	tName
	tFuncName
	tBuiltin
	// keywords
	tBegin
	tEnd
	tFunction
	tIf
	tElse
	tWhile
	tFor
	tDo
	tBreak
	tContinue
	tNext
	tNextfile
	tExit
	tReturn
	tDelete
	tIn
	tGetline
	tPrint
	tPrintf
)

var keywords = map[string]tokKind{
	"BEGIN": tBegin, "END": tEnd, "function": tFunction, "func": tFunction,
	"if": tIf, "else": tElse, "while": tWhile, "for": tFor, "do": tDo,
	"break": tBreak, "continue": tContinue, "next": tNext, "nextfile": tNextfile,
	"exit": tExit, "return": tReturn, "delete": tDelete, "in": tIn,
	"getline": tGetline, "print": tPrint, "printf": tPrintf,
}

// builtin function identifiers
const (
	fLength = iota
	fSubstr
	fIndex
	fSplit
	fSub
	fGsub
	fMatch
	fSprintf
	fTolower
	fToupper
	fInt
	fSqrt
	fExp
	fLog
	fSin
	fCos
	fAtan2
	fRand
	fSrand
	fSystem
	fClose
	fFflush
)

var builtinNames = map[string]int{
	"length": fLength, "substr": fSubstr, "index": fIndex, "split": fSplit,
	"sub": fSub, "gsub": fGsub, "match": fMatch, "sprintf": fSprintf,
	"tolower": fTolower, "toupper": fToupper, "int": fInt, "sqrt": fSqrt,
	"exp": fExp, "log": fLog, "sin": fSin, "cos": fCos, "atan2": fAtan2,
	"rand": fRand, "srand": fSrand, "system": fSystem, "close": fClose,
	"fflush": fFflush,
}

type token struct {
	kind tokKind
	s    string  // name, string value, regex source
	n    float64 // number value, builtin id
	line int
}

type lexer struct {
	src  string
	pos  int
	line int
}

type syntaxError struct {
	line int
	msg  string
}

func (e *syntaxError) Error() string { return fmt.Sprintf("cmd. line:%d: %s", e.line, e.msg) }

func (lx *lexer) errorf(format string, args ...any) {
	panic(&syntaxError{lx.line, fmt.Sprintf(format, args...)})
}

func isNameStart(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// next scans one token. Division and regex are told apart by the parser,
// which calls readRegex when it expects an operand and gets tDiv.
func (lx *lexer) next() token {
	for {
		if lx.pos >= len(lx.src) {
			return token{kind: tEOF, line: lx.line}
		}
		c := lx.src[lx.pos]
		switch {
		case c == ' ' || c == '\t' || c == '\r':
			lx.pos++
			continue
		case c == '\\' && lx.pos+1 < len(lx.src) && lx.src[lx.pos+1] == '\n':
			lx.pos += 2
			lx.line++
			continue
		case c == '\\' && lx.pos+2 < len(lx.src) && lx.src[lx.pos+1] == '\r' && lx.src[lx.pos+2] == '\n':
			lx.pos += 3
			lx.line++
			continue
		case c == '#':
			for lx.pos < len(lx.src) && lx.src[lx.pos] != '\n' {
				lx.pos++
			}
			continue
		}
		break
	}
	line := lx.line
	tok := func(k tokKind, n int) token {
		lx.pos += n
		return token{kind: k, line: line}
	}
	c := lx.src[lx.pos]
	var c1 byte
	if lx.pos+1 < len(lx.src) {
		c1 = lx.src[lx.pos+1]
	}
	switch c {
	case '\n':
		lx.line++
		return tok(tNewline, 1)
	case '{':
		return tok(tLbrace, 1)
	case '}':
		return tok(tRbrace, 1)
	case '(':
		return tok(tLparen, 1)
	case ')':
		return tok(tRparen, 1)
	case '[':
		return tok(tLbracket, 1)
	case ']':
		return tok(tRbracket, 1)
	case ';':
		return tok(tSemi, 1)
	case ',':
		return tok(tComma, 1)
	case '+':
		if c1 == '+' {
			return tok(tIncr, 2)
		}
		if c1 == '=' {
			return tok(tAddAssign, 2)
		}
		return tok(tAdd, 1)
	case '-':
		if c1 == '-' {
			return tok(tDecr, 2)
		}
		if c1 == '=' {
			return tok(tSubAssign, 2)
		}
		return tok(tSub, 1)
	case '*':
		if c1 == '*' {
			if lx.pos+2 < len(lx.src) && lx.src[lx.pos+2] == '=' {
				return tok(tPowAssign, 3)
			}
			return tok(tPow, 2)
		}
		if c1 == '=' {
			return tok(tMulAssign, 2)
		}
		return tok(tMul, 1)
	case '/':
		if c1 == '=' {
			return tok(tDivAssign, 2)
		}
		return tok(tDiv, 1)
	case '%':
		if c1 == '=' {
			return tok(tModAssign, 2)
		}
		return tok(tMod, 1)
	case '^':
		if c1 == '=' {
			return tok(tPowAssign, 2)
		}
		return tok(tPow, 1)
	case '=':
		if c1 == '=' {
			return tok(tEq, 2)
		}
		return tok(tAssign, 1)
	case '!':
		if c1 == '=' {
			return tok(tNe, 2)
		}
		if c1 == '~' {
			return tok(tNoMatch, 2)
		}
		return tok(tNot, 1)
	case '<':
		if c1 == '=' {
			return tok(tLe, 2)
		}
		return tok(tLt, 1)
	case '>':
		if c1 == '=' {
			return tok(tGe, 2)
		}
		if c1 == '>' {
			return tok(tAppend, 2)
		}
		return tok(tGt, 1)
	case '~':
		return tok(tMatch, 1)
	case '&':
		if c1 == '&' {
			return tok(tAnd, 2)
		}
	case '|':
		if c1 == '|' {
			return tok(tOr, 2)
		}
		return tok(tPipe, 1)
	case '?':
		return tok(tQuestion, 1)
	case ':':
		return tok(tColon, 1)
	case '$':
		return tok(tDollar, 1)
	case '"':
		return lx.readString()
	}
	if isDigit(c) || c == '.' && isDigit(c1) {
		return lx.readNumber()
	}
	if isNameStart(c) {
		start := lx.pos
		for lx.pos < len(lx.src) && (isNameStart(lx.src[lx.pos]) || isDigit(lx.src[lx.pos])) {
			lx.pos++
		}
		name := lx.src[start:lx.pos]
		if k, ok := keywords[name]; ok {
			return token{kind: k, s: name, line: line}
		}
		if b, ok := builtinNames[name]; ok {
			return token{kind: tBuiltin, s: name, n: float64(b), line: line}
		}
		if lx.pos < len(lx.src) && lx.src[lx.pos] == '(' {
			return token{kind: tFuncName, s: name, line: line}
		}
		return token{kind: tName, s: name, line: line}
	}
	lx.errorf("Unexpected token '%c'", c)
	return token{}
}

func (lx *lexer) readNumber() token {
	start := lx.pos
	s := lx.src
	// hex constants, as busybox accepts them
	if s[lx.pos] == '0' && lx.pos+2 < len(s) && (s[lx.pos+1] == 'x' || s[lx.pos+1] == 'X') && isHex(s[lx.pos+2]) {
		lx.pos += 2
		for lx.pos < len(s) && isHex(s[lx.pos]) {
			lx.pos++
		}
	} else {
		for lx.pos < len(s) && isDigit(s[lx.pos]) {
			lx.pos++
		}
		if lx.pos < len(s) && s[lx.pos] == '.' {
			lx.pos++
			for lx.pos < len(s) && isDigit(s[lx.pos]) {
				lx.pos++
			}
		}
		if lx.pos < len(s) && (s[lx.pos] == 'e' || s[lx.pos] == 'E') {
			p := lx.pos + 1
			if p < len(s) && (s[p] == '+' || s[p] == '-') {
				p++
			}
			if p < len(s) && isDigit(s[p]) {
				for p < len(s) && isDigit(s[p]) {
					p++
				}
				lx.pos = p
			}
		}
	}
	n, _ := strToNum(s[start:lx.pos])
	return token{kind: tNumber, n: n, s: s[start:lx.pos], line: lx.line}
}

func isHex(c byte) bool {
	return isDigit(c) || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

func (lx *lexer) readString() token {
	line := lx.line
	lx.pos++ // opening quote
	var b strings.Builder
	for {
		if lx.pos >= len(lx.src) || lx.src[lx.pos] == '\n' {
			lx.errorf("Unexpected end of string")
		}
		c := lx.src[lx.pos]
		if c == '"' {
			lx.pos++
			break
		}
		if c == '\\' && lx.pos+1 < len(lx.src) {
			if lx.src[lx.pos+1] == '\n' {
				lx.pos += 2
				lx.line++
				continue
			}
			n := unescape(&b, lx.src[lx.pos+1:])
			lx.pos += 1 + n
			continue
		}
		b.WriteByte(c)
		lx.pos++
	}
	return token{kind: tString, s: b.String(), line: line}
}

// unescape decodes the escape sequence at the start of s (just after the
// backslash) into b and returns how many bytes it used. Like busybox, an
// unknown escape stands for the character itself.
func unescape(b *strings.Builder, s string) int {
	if s == "" {
		b.WriteByte('\\')
		return 0
	}
	switch c := s[0]; c {
	case 'n':
		b.WriteByte('\n')
	case 't':
		b.WriteByte('\t')
	case 'r':
		b.WriteByte('\r')
	case 'a':
		b.WriteByte('\a')
	case 'b':
		b.WriteByte('\b')
	case 'f':
		b.WriteByte('\f')
	case 'v':
		b.WriteByte('\v')
	case '\\':
		b.WriteByte('\\')
	case '"':
		b.WriteByte('"')
	case '/':
		b.WriteByte('/')
	case '0', '1', '2', '3', '4', '5', '6', '7':
		n, i := 0, 0
		for i < 3 && i < len(s) && s[i] >= '0' && s[i] <= '7' {
			n = n*8 + int(s[i]-'0')
			i++
		}
		b.WriteByte(byte(n))
		return i
	case 'x':
		n, i := 0, 1
		for i < 3 && i < len(s) && isHex(s[i]) {
			d := s[i]
			if d <= '9' {
				d -= '0'
			} else {
				d = d | 0x20 - 'a' + 10
			}
			n = n*16 + int(d)
			i++
		}
		if i == 1 {
			b.WriteByte('x')
			return 1
		}
		b.WriteByte(byte(n))
		return i
	default:
		b.WriteByte(c)
	}
	return 1
}

// readRegex reads a regex literal whose opening slash has been consumed
// (prefix is "=" when the lexer took "/=" for a division assignment).
func (lx *lexer) readRegex(prefix string) token {
	line := lx.line
	var b strings.Builder
	b.WriteString(prefix)
	inBracket := false
	for {
		if lx.pos >= len(lx.src) || lx.src[lx.pos] == '\n' {
			lx.errorf("Unexpected end of regex")
		}
		c := lx.src[lx.pos]
		if c == '/' && !inBracket {
			lx.pos++
			break
		}
		if c == '\\' && lx.pos+1 < len(lx.src) {
			if lx.src[lx.pos+1] == '/' {
				b.WriteByte('/')
			} else if lx.src[lx.pos+1] == '\n' {
				lx.line++
			} else {
				b.WriteByte('\\')
				b.WriteByte(lx.src[lx.pos+1])
			}
			lx.pos += 2
			continue
		}
		if c == '[' && !inBracket {
			inBracket = true
			b.WriteByte(c)
			lx.pos++
			// a ] right after [ or [^ is literal
			if lx.pos < len(lx.src) && lx.src[lx.pos] == '^' {
				b.WriteByte('^')
				lx.pos++
			}
			if lx.pos < len(lx.src) && lx.src[lx.pos] == ']' {
				b.WriteByte(']')
				lx.pos++
			}
			continue
		}
		if inBracket && c == '[' && lx.pos+1 < len(lx.src) && (lx.src[lx.pos+1] == ':' || lx.src[lx.pos+1] == '.' || lx.src[lx.pos+1] == '=') {
			d := lx.src[lx.pos+1]
			end := strings.Index(lx.src[lx.pos+2:], string(d)+"]")
			if end >= 0 && !strings.Contains(lx.src[lx.pos+2:lx.pos+2+end], "\n") {
				b.WriteString(lx.src[lx.pos : lx.pos+2+end+2])
				lx.pos += 2 + end + 2
				continue
			}
		}
		if c == ']' && inBracket {
			inBracket = false
		}
		b.WriteByte(c)
		lx.pos++
	}
	return token{kind: tRegex, s: b.String(), line: line}
}
