package text

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/sockerless/sockerless/builtins"
)

func init() {
	builtins.Register(&builtins.Command{
		Name: "expr",
		Usage: `Usage: expr EXPRESSION

Print the value of EXPRESSION to stdout

EXPRESSION may be:
	ARG1 | ARG2	ARG1 if it is neither null nor 0, otherwise ARG2
	ARG1 & ARG2	ARG1 if neither argument is null or 0, otherwise 0
	ARG1 < ARG2	1 if ARG1 is less than ARG2, else 0. Similarly:
	ARG1 <= ARG2
	ARG1 = ARG2
	ARG1 != ARG2
	ARG1 >= ARG2
	ARG1 > ARG2
	ARG1 + ARG2	Sum of ARG1 and ARG2. Similarly:
	ARG1 - ARG2
	ARG1 * ARG2
	ARG1 / ARG2
	ARG1 % ARG2
	STRING : REGEXP		Anchored pattern match of REGEXP in STRING
	match STRING REGEXP	Same as STRING : REGEXP
	substr STRING POS LENGTH Substring of STRING, POS counted from 1
	index STRING CHARS	Index in STRING where any CHARS is found, or 0
	length STRING		Length of STRING
	quote TOKEN		Interpret TOKEN as a string, even if
				it is a keyword like 'match' or an
				operator like '/'
	(EXPRESSION)		Value of EXPRESSION

Beware that many operators need to be escaped or quoted for shells.
Comparisons are arithmetic if both ARGs are numbers, else
lexicographical. Pattern matches return the string matched between
\( and \) or null; if \( and \) are not used, they return the number
of characters matched or 0.`,
		Run: runExpr,
	})
}

// exprVal is an integer or a string.
type exprVal struct {
	isInt bool
	i     int64
	s     string
}

func (v exprVal) String() string {
	if v.isInt {
		return strconv.FormatInt(v.i, 10)
	}
	return v.s
}

// null reports whether v is the empty string or zero.
func (v exprVal) null() bool {
	if v.isInt {
		return v.i == 0
	}
	return v.s == "" || v.s == "0"
}

// toInt converts like strtoll: optional blanks and sign, digits only,
// saturating on overflow.
func (v exprVal) toInt() (int64, bool) {
	if v.isInt {
		return v.i, true
	}
	s := strings.TrimLeft(v.s, " \t\n")
	if s == "" {
		return 0, false
	}
	digits := s
	if digits[0] == '-' || digits[0] == '+' {
		digits = digits[1:]
	}
	if digits == "" {
		return 0, false
	}
	for _, c := range digits {
		if c < '0' || c > '9' {
			return 0, false
		}
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		if s[0] == '-' {
			return -1 << 63, true
		}
		return 1<<63 - 1, true
	}
	return n, true
}

var errExprSyntax = errors.New("syntax error")

type exprParser struct {
	args []string
	i    int
	err  error
}

func runExpr(ctx context.Context, env *builtins.Env, args []string) int {
	if len(args) < 2 {
		env.Errorf("expr", "too few arguments")
		return 2
	}
	p := &exprParser{args: args[1:]}
	v, err := p.parse()
	if err != nil {
		env.Errorf("expr", "%v", err)
		return 2
	}
	fmt.Fprintln(env.Stdout, v.String())
	if v.null() {
		return 1
	}
	return 0
}

func (p *exprParser) parse() (exprVal, error) {
	v, err := p.or()
	if err != nil {
		return v, err
	}
	if p.i < len(p.args) {
		return v, errExprSyntax
	}
	return v, nil
}

func (p *exprParser) peek() (string, bool) {
	if p.i < len(p.args) {
		return p.args[p.i], true
	}
	return "", false
}

func (p *exprParser) or() (exprVal, error) {
	l, err := p.and()
	if err != nil {
		return l, err
	}
	for {
		if t, ok := p.peek(); !ok || t != "|" {
			return l, nil
		}
		p.i++
		r, err := p.and()
		if err != nil {
			return r, err
		}
		if l.null() {
			l = r
		}
	}
}

func (p *exprParser) and() (exprVal, error) {
	l, err := p.cmp()
	if err != nil {
		return l, err
	}
	for {
		if t, ok := p.peek(); !ok || t != "&" {
			return l, nil
		}
		p.i++
		r, err := p.cmp()
		if err != nil {
			return r, err
		}
		if l.null() || r.null() {
			l = exprVal{isInt: true}
		}
	}
}

func (p *exprParser) cmp() (exprVal, error) {
	l, err := p.add()
	if err != nil {
		return l, err
	}
	for {
		t, ok := p.peek()
		if !ok {
			return l, nil
		}
		switch t {
		case "=", "==", "!=", "<", "<=", ">", ">=":
		default:
			return l, nil
		}
		p.i++
		r, err := p.add()
		if err != nil {
			return r, err
		}
		var c int
		li, lok := l.toInt()
		ri, rok := r.toInt()
		if lok && rok {
			switch {
			case li < ri:
				c = -1
			case li > ri:
				c = 1
			}
		} else {
			c = strings.Compare(l.String(), r.String())
		}
		var res bool
		switch t {
		case "=", "==":
			res = c == 0
		case "!=":
			res = c != 0
		case "<":
			res = c < 0
		case "<=":
			res = c <= 0
		case ">":
			res = c > 0
		case ">=":
			res = c >= 0
		}
		l = exprVal{isInt: true}
		if res {
			l.i = 1
		}
	}
}

func (p *exprParser) arith(l, r exprVal, op string) (exprVal, error) {
	a, aok := l.toInt()
	b, bok := r.toInt()
	if !aok || !bok {
		return exprVal{}, errors.New("non-numeric argument")
	}
	var n int64
	switch op {
	case "+":
		n = a + b
	case "-":
		n = a - b
	case "*":
		n = a * b
	case "/", "%":
		if b == 0 {
			return exprVal{}, errors.New("division by zero")
		}
		if b == -1 {
			// avoid the overflow trap of MinInt64 / -1
			if op == "/" {
				n = -a
			}
		} else if op == "/" {
			n = a / b
		} else {
			n = a % b
		}
	}
	return exprVal{isInt: true, i: n}, nil
}

func (p *exprParser) add() (exprVal, error) {
	l, err := p.mul()
	if err != nil {
		return l, err
	}
	for {
		t, ok := p.peek()
		if !ok || (t != "+" && t != "-") {
			return l, nil
		}
		p.i++
		r, err := p.mul()
		if err != nil {
			return r, err
		}
		if l, err = p.arith(l, r, t); err != nil {
			return l, err
		}
	}
}

func (p *exprParser) mul() (exprVal, error) {
	l, err := p.match()
	if err != nil {
		return l, err
	}
	for {
		t, ok := p.peek()
		if !ok || (t != "*" && t != "/" && t != "%") {
			return l, nil
		}
		p.i++
		r, err := p.match()
		if err != nil {
			return r, err
		}
		if l, err = p.arith(l, r, t); err != nil {
			return l, err
		}
	}
}

func (p *exprParser) match() (exprVal, error) {
	l, err := p.primary()
	if err != nil {
		return l, err
	}
	for {
		if t, ok := p.peek(); !ok || t != ":" {
			return l, nil
		}
		p.i++
		r, err := p.primary()
		if err != nil {
			return r, err
		}
		if l, err = exprMatch(l.String(), r.String()); err != nil {
			return l, err
		}
	}
}

func exprMatch(s, pat string) (exprVal, error) {
	g, err := translateRegex(pat, false)
	if err != nil {
		return exprVal{}, err
	}
	// the match is anchored at the start of the string
	re, err := newRegex(`(?s)^(?:` + g + `)`)
	if err != nil {
		return exprVal{}, err
	}
	m := re.FindStringSubmatchIndex(s)
	if re.NumSubexp() > 0 {
		if m == nil || m[2] < 0 {
			return exprVal{s: ""}, nil
		}
		return exprVal{s: s[m[2]:m[3]]}, nil
	}
	if m == nil {
		return exprVal{isInt: true}, nil
	}
	return exprVal{isInt: true, i: int64(len([]rune(s[:m[1]])))}, nil
}

// primary parses the keywords (quote, length, match, index, substr),
// whose operands are themselves primaries, then an atom.
func (p *exprParser) primary() (exprVal, error) {
	t, ok := p.peek()
	if !ok {
		return exprVal{}, errExprSyntax
	}
	switch t {
	case "quote":
		p.i++
		v, ok := p.peek()
		if !ok {
			return exprVal{}, errExprSyntax
		}
		p.i++
		return exprVal{s: v}, nil
	case "length":
		p.i++
		v, err := p.primary()
		if err != nil {
			return v, err
		}
		return exprVal{isInt: true, i: int64(len(v.String()))}, nil
	case "match", "index":
		p.i++
		l, err := p.primary()
		if err != nil {
			return l, err
		}
		r, err := p.primary()
		if err != nil {
			return r, err
		}
		if t == "match" {
			return exprMatch(l.String(), r.String())
		}
		i := strings.IndexAny(l.String(), r.String())
		return exprVal{isInt: true, i: int64(i + 1)}, nil
	case "substr":
		p.i++
		var vs [3]exprVal
		for k := range vs {
			v, err := p.primary()
			if err != nil {
				return v, err
			}
			vs[k] = v
		}
		s := vs[0].String()
		pos, ok1 := vs[1].toInt()
		n, ok2 := vs[2].toInt()
		if !ok1 || !ok2 || pos < 1 || pos > int64(len(s)) || n < 1 {
			return exprVal{s: ""}, nil
		}
		end := pos - 1 + n
		if end > int64(len(s)) || end < pos-1 {
			end = int64(len(s))
		}
		return exprVal{s: s[pos-1 : end]}, nil
	}
	return p.atom()
}

// atom is a parenthesized expression or any other token as a string.
func (p *exprParser) atom() (exprVal, error) {
	t, _ := p.peek()
	switch t {
	case "(":
		p.i++
		v, err := p.or()
		if err != nil {
			return v, err
		}
		if c, ok := p.peek(); !ok || c != ")" {
			return v, errExprSyntax
		}
		p.i++
		return v, nil
	case ")":
		return exprVal{}, errExprSyntax
	}
	p.i++
	return exprVal{s: t}, nil
}
