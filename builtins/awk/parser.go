package awk

import "fmt"

type argUse struct {
	call *callExpr
	i    int
	sym  *symbol
}

type parser struct {
	lx      lexer
	tok     token
	globals map[string]*symbol
	locals  map[string]*symbol
	prog    *program
	uses    []argUse
	calls   []*callExpr
	noGT    int // inside print arguments: > is redirection
	depth   int // nesting, bounded so hostile input cannot exhaust the stack
	loops   int
	inFunc  bool
}

// parse compiles an awk program. Errors are *syntaxError.
func parse(src string) (prog *program, err error) {
	defer func() {
		if r := recover(); r != nil {
			if se, ok := r.(*syntaxError); ok {
				prog, err = nil, se
				return
			}
			prog, err = nil, fmt.Errorf("internal error: %v", r)
		}
	}()
	p := &parser{
		lx:      lexer{src: src, line: 1},
		globals: map[string]*symbol{},
		prog:    &program{funcs: map[string]*funcDef{}},
	}
	// special variables and the predefined arrays take the first slots
	for name, sp := range specialNames {
		p.globals[name] = &symbol{name: name, idx: sp, special: sp}
	}
	p.prog.globals = make([]*symbol, numSpecials)
	for _, s := range p.globals {
		p.prog.globals[s.idx] = s
	}
	p.prog.globals[0] = &symbol{name: ""}
	p.global("ENVIRON").array = true
	p.global("ARGV").array = true
	p.global("ARGC")
	p.next()
	p.program()
	p.resolve()
	return p.prog, nil
}

func (p *parser) global(name string) *symbol {
	s, ok := p.globals[name]
	if !ok {
		s = &symbol{name: name, idx: len(p.prog.globals)}
		p.globals[name] = s
		p.prog.globals = append(p.prog.globals, s)
	}
	return s
}

func (p *parser) sym(name string) *symbol {
	if s, ok := p.locals[name]; ok {
		return s
	}
	return p.global(name)
}

func (p *parser) next() {
	p.tok = p.lx.next()
}

func (p *parser) errorf(format string, args ...any) {
	p.lx.line = p.tok.line
	p.lx.errorf(format, args...)
}

func (p *parser) unexpected() {
	if p.tok.kind == tEOF {
		p.errorf("Unexpected end of program")
	}
	p.errorf("Unexpected token")
}

func (p *parser) expect(k tokKind) {
	if p.tok.kind != k {
		p.unexpected()
	}
	p.next()
}

func (p *parser) optNewlines() {
	for p.tok.kind == tNewline {
		p.next()
	}
}

// peek returns the token after the current one without consuming it.
func (p *parser) peek() token {
	save := p.lx
	t := p.lx.next()
	p.lx = save
	return t
}

func (p *parser) program() {
	for {
		for p.tok.kind == tNewline || p.tok.kind == tSemi {
			p.next()
		}
		if p.tok.kind == tEOF {
			return
		}
		p.item()
	}
}

func (p *parser) item() {
	switch p.tok.kind {
	case tFunction:
		p.function()
		return
	case tBegin, tEnd:
		begin := p.tok.kind == tBegin
		p.next()
		if p.tok.kind != tLbrace {
			p.unexpected()
		}
		r := rule{body: p.block(), hasBody: true}
		if begin {
			p.prog.begin = append(p.prog.begin, r)
		} else {
			p.prog.end = append(p.prog.end, r)
		}
		return
	}
	var r rule
	if p.tok.kind != tLbrace {
		r.pattern = p.expr()
		if p.tok.kind == tComma {
			p.next()
			p.optNewlines()
			r.pattern2 = p.expr()
		}
	}
	if p.tok.kind == tLbrace {
		r.body = p.block()
		r.hasBody = true
	} else if p.tok.kind != tNewline && p.tok.kind != tSemi && p.tok.kind != tEOF {
		p.unexpected()
	}
	p.prog.rules = append(p.prog.rules, r)
}

func (p *parser) function() {
	p.next()
	if p.tok.kind != tName && p.tok.kind != tFuncName {
		p.unexpected()
	}
	name := p.tok.s
	line := p.tok.line
	p.next()
	f := p.prog.funcs[name]
	if f == nil {
		f = &funcDef{name: name}
		p.prog.funcs[name] = f
	}
	if f.defined {
		p.errorf("Duplicate function")
	}
	f.defined = true
	f.line = line
	p.expect(tLparen)
	p.locals = map[string]*symbol{}
	for p.tok.kind != tRparen {
		if p.tok.kind != tName {
			p.unexpected()
		}
		if _, dup := p.locals[p.tok.s]; dup {
			p.errorf("duplicate parameter")
		}
		s := &symbol{name: p.tok.s, local: true, idx: len(f.params)}
		p.locals[p.tok.s] = s
		f.params = append(f.params, s)
		p.next()
		if p.tok.kind == tComma {
			p.next()
			p.optNewlines()
		} else if p.tok.kind != tRparen {
			p.unexpected()
		}
	}
	p.next()
	p.optNewlines()
	if p.tok.kind != tLbrace {
		p.unexpected()
	}
	p.inFunc = true
	f.body = p.block()
	p.inFunc = false
	p.locals = nil
}

func (p *parser) block() []stmt {
	p.expect(tLbrace)
	var body []stmt
	for {
		for p.tok.kind == tNewline || p.tok.kind == tSemi {
			p.next()
		}
		if p.tok.kind == tRbrace {
			p.next()
			return body
		}
		if s := p.stmt(); s != nil {
			body = append(body, s)
		}
	}
}

// body parses the statement controlled by if/while/for.
func (p *parser) body() []stmt {
	p.optNewlines()
	if p.tok.kind == tSemi {
		p.next()
		return nil
	}
	s := p.stmt()
	if b, ok := s.(*blockStmt); ok {
		return b.body
	}
	if s == nil {
		return nil
	}
	return []stmt{s}
}

func (p *parser) endSimple() {
	switch p.tok.kind {
	case tSemi, tNewline:
		p.next()
		p.optNewlines()
	case tRbrace, tEOF:
	default:
		p.unexpected()
	}
}

func (p *parser) stmt() stmt {
	p.enter()
	defer func() { p.depth-- }()
	switch p.tok.kind {
	case tLbrace:
		return &blockStmt{p.block()}
	case tIf:
		p.next()
		p.expect(tLparen)
		cond := p.expr()
		p.expect(tRparen)
		s := &ifStmt{cond: cond, then: p.body()}
		p.optNewlines()
		if p.tok.kind == tElse {
			p.next()
			s.els = p.body()
		}
		return s
	case tWhile:
		p.next()
		p.expect(tLparen)
		cond := p.expr()
		p.expect(tRparen)
		if p.tok.kind == tSemi {
			p.next()
			return &whileStmt{cond: cond}
		}
		p.loops++
		b := p.body()
		p.loops--
		return &whileStmt{cond: cond, body: b}
	case tDo:
		p.next()
		p.loops++
		b := p.body()
		p.loops--
		for p.tok.kind == tNewline || p.tok.kind == tSemi {
			p.next()
		}
		p.expect(tWhile)
		p.expect(tLparen)
		cond := p.expr()
		p.expect(tRparen)
		p.endSimple()
		return &doStmt{body: b, cond: cond}
	case tFor:
		return p.forStmt()
	case tSemi:
		p.next()
		return nil
	}
	s := p.simpleStmt()
	p.endSimple()
	return s
}

func (p *parser) forStmt() stmt {
	p.next()
	p.expect(tLparen)
	var init stmt
	if p.tok.kind != tSemi {
		e := p.expr()
		if in, ok := e.(*inExpr); ok && p.tok.kind == tRparen && len(in.index) == 1 {
			if lv, ok := in.index[0].(lvalue); ok {
				p.next()
				p.loops++
				b := p.body()
				p.loops--
				return &forInStmt{v: lv, arr: in.arr, body: b}
			}
		}
		init = &exprStmt{e}
	}
	p.expect(tSemi)
	p.optNewlines()
	var cond expr
	if p.tok.kind != tSemi {
		cond = p.expr()
	}
	p.expect(tSemi)
	p.optNewlines()
	var post stmt
	if p.tok.kind != tRparen {
		post = &exprStmt{p.expr()}
	}
	p.expect(tRparen)
	if p.tok.kind == tSemi {
		p.next()
		return &forStmt{init: init, cond: cond, post: post}
	}
	p.loops++
	b := p.body()
	p.loops--
	return &forStmt{init: init, cond: cond, post: post, body: b}
}

func isTerminator(k tokKind) bool {
	return k == tSemi || k == tNewline || k == tRbrace || k == tEOF
}

func (p *parser) simpleStmt() stmt {
	switch p.tok.kind {
	case tPrint, tPrintf:
		return p.printStmt()
	case tNext:
		p.next()
		return &nextStmt{}
	case tNextfile:
		p.next()
		return &nextfileStmt{}
	case tExit:
		p.next()
		s := &exitStmt{}
		if !isTerminator(p.tok.kind) {
			s.e = p.expr()
		}
		return s
	case tReturn:
		p.next()
		s := &returnStmt{}
		if !isTerminator(p.tok.kind) {
			s.e = p.expr()
		}
		return s
	case tBreak, tContinue:
		if p.loops == 0 {
			p.errorf("'break' or 'continue' not in a loop")
		}
		k := p.tok.kind
		p.next()
		if k == tBreak {
			return &breakStmt{}
		}
		return &continueStmt{}
	case tDelete:
		p.next()
		if p.tok.kind != tName {
			p.unexpected()
		}
		s := &deleteStmt{arr: p.sym(p.tok.s)}
		s.arr.array = true
		p.next()
		if p.tok.kind == tLbracket {
			p.next()
			s.index = p.exprList(tRbracket)
			p.expect(tRbracket)
		}
		return s
	}
	return &exprStmt{p.expr()}
}

func (p *parser) printStmt() stmt {
	s := &printStmt{printf: p.tok.kind == tPrintf}
	p.next()
	if !isTerminator(p.tok.kind) && p.tok.kind != tGt && p.tok.kind != tAppend && p.tok.kind != tPipe {
		p.noGT++
		s.args = p.exprList(tEOF)
		p.noGT--
		if len(s.args) == 1 {
			if g, ok := s.args[0].(*groupExpr); ok {
				s.args = g.exprs
			}
		}
	}
	for _, a := range s.args {
		if _, ok := a.(*groupExpr); ok {
			p.unexpected()
		}
	}
	switch p.tok.kind {
	case tGt, tAppend, tPipe:
		s.redir = p.tok.kind
		p.next()
		p.noGT++
		s.dest = p.concat()
		p.noGT--
	}
	return s
}

func (p *parser) exprList(end tokKind) []expr {
	var list []expr
	if p.tok.kind == end {
		return nil
	}
	for {
		list = append(list, p.expr())
		if p.tok.kind != tComma {
			return list
		}
		p.next()
		p.optNewlines()
	}
}

func isAssignOp(k tokKind) bool {
	switch k {
	case tAssign, tAddAssign, tSubAssign, tMulAssign, tDivAssign, tModAssign, tPowAssign:
		return true
	}
	return false
}

var compoundOp = map[tokKind]tokKind{
	tAddAssign: tAdd, tSubAssign: tSub, tMulAssign: tMul, tDivAssign: tDiv,
	tModAssign: tMod, tPowAssign: tPow, tAssign: tAssign,
}

func (p *parser) enter() {
	p.depth++
	if p.depth > 400 {
		p.errorf("expression nested too deeply")
	}
}

func (p *parser) expr() expr {
	p.enter()
	defer func() { p.depth-- }()
	lhs := p.ternary()
	if isAssignOp(p.tok.kind) {
		lv, ok := lhs.(lvalue)
		if !ok {
			if p.tok.kind == tDivAssign {
				return lhs // let the caller complain
			}
			p.errorf("assignment to non-lvalue")
		}
		op := compoundOp[p.tok.kind]
		p.next()
		p.optNewlines()
		rhs := p.expr()
		return &assignExpr{lhs: lv, rhs: rhs, op: op}
	}
	return lhs
}

func (p *parser) ternary() expr {
	c := p.or()
	if p.tok.kind != tQuestion {
		return c
	}
	p.next()
	p.optNewlines()
	a := p.expr()
	p.optNewlines()
	p.expect(tColon)
	p.optNewlines()
	b := p.expr()
	return &condExpr{c, a, b}
}

func (p *parser) or() expr {
	a := p.and()
	for p.tok.kind == tOr {
		p.next()
		p.optNewlines()
		a = &orExpr{a, p.and()}
	}
	return a
}

func (p *parser) and() expr {
	a := p.in()
	for p.tok.kind == tAnd {
		p.next()
		p.optNewlines()
		a = &andExpr{a, p.in()}
	}
	return a
}

func (p *parser) in() expr {
	a := p.match()
	for p.tok.kind == tIn {
		p.next()
		a = &inExpr{index: []expr{a}, arr: p.arrayName()}
	}
	return a
}

func (p *parser) arrayName() *symbol {
	if p.tok.kind != tName {
		p.unexpected()
	}
	s := p.sym(p.tok.s)
	s.array = true
	p.next()
	return s
}

func (p *parser) match() expr {
	a := p.compare()
	for p.tok.kind == tMatch || p.tok.kind == tNoMatch {
		neg := p.tok.kind == tNoMatch
		p.next()
		p.optNewlines()
		a = &matchExpr{a: a, re: p.compare(), neg: neg}
	}
	return a
}

func (p *parser) compare() expr {
	a := p.pipeGetline()
	for {
		switch k := p.tok.kind; k {
		case tLt, tLe, tEq, tNe, tGe, tGt:
			if k == tGt && p.noGT > 0 {
				return a
			}
			p.next()
			p.optNewlines()
			a = &cmpExpr{op: k, a: a, b: p.pipeGetline()}
		default:
			return a
		}
	}
}

func (p *parser) pipeGetline() expr {
	a := p.concat()
	for p.tok.kind == tPipe && p.peek().kind == tGetline {
		p.next()
		p.next()
		a = &getlineExpr{kind: glCmd, src: a, lv: p.optLvalue()}
	}
	return a
}

func (p *parser) concat() expr {
	a := p.additive()
	var parts []expr
	for {
		switch p.tok.kind {
		case tNumber, tString, tName, tFuncName, tBuiltin, tDollar, tLparen, tIncr, tDecr:
		default:
			if parts != nil {
				return &concatExpr{parts}
			}
			return a
		}
		if parts == nil {
			parts = []expr{a}
		}
		parts = append(parts, p.additive())
	}
}

func (p *parser) additive() expr {
	a := p.multiplicative()
	for p.tok.kind == tAdd || p.tok.kind == tSub {
		op := p.tok.kind
		p.next()
		p.optNewlines() // busybox continues a line after an operator
		a = &binaryExpr{op: op, a: a, b: p.multiplicative()}
	}
	return a
}

func (p *parser) multiplicative() expr {
	a := p.unary()
	for p.tok.kind == tMul || p.tok.kind == tDiv || p.tok.kind == tMod {
		op := p.tok.kind
		p.next()
		p.optNewlines()
		a = &binaryExpr{op: op, a: a, b: p.unary()}
	}
	return a
}

func (p *parser) unary() expr {
	p.enter()
	defer func() { p.depth-- }()
	switch p.tok.kind {
	case tNot:
		p.next()
		return &notExpr{p.unary()}
	case tSub:
		p.next()
		return &negExpr{p.unary()}
	case tAdd:
		p.next()
		return &plusExpr{p.unary()}
	}
	return p.pow()
}

func (p *parser) pow() expr {
	p.enter()
	defer func() { p.depth-- }()
	a := p.postfix()
	if p.tok.kind == tPow {
		p.next()
		p.optNewlines()
		// right associative, and the exponent may carry a sign
		var b expr
		switch p.tok.kind {
		case tSub:
			p.next()
			b = &negExpr{p.powOperand()}
		case tAdd:
			p.next()
			b = &plusExpr{p.powOperand()}
		case tNot:
			p.next()
			b = &notExpr{p.powOperand()}
		default:
			b = p.powOperand()
		}
		return &binaryExpr{op: tPow, a: a, b: b}
	}
	return a
}

func (p *parser) powOperand() expr { return p.pow() }

func (p *parser) postfix() expr {
	p.enter()
	defer func() { p.depth-- }()
	if p.tok.kind == tIncr || p.tok.kind == tDecr {
		d := 1.0
		if p.tok.kind == tDecr {
			d = -1
		}
		p.next()
		e := p.postfix()
		lv, ok := e.(lvalue)
		if !ok {
			p.unexpected()
		}
		return &incrExpr{lv: lv, pre: true, delta: d}
	}
	a := p.primary()
	if lv, ok := a.(lvalue); ok && (p.tok.kind == tIncr || p.tok.kind == tDecr) {
		d := 1.0
		if p.tok.kind == tDecr {
			d = -1
		}
		p.next()
		return &incrExpr{lv: lv, delta: d}
	}
	return a
}

func (p *parser) regex(src string) *regexExpr {
	re, err := compileERE(src)
	if err != nil {
		p.errorf("bad regex '%s': %v", src, err)
	}
	return &regexExpr{src: src, re: re}
}

func (p *parser) primary() expr {
	t := p.tok
	switch t.kind {
	case tNumber:
		p.next()
		return &litExpr{num(t.n)}
	case tString:
		p.next()
		return &litExpr{str(t.s)}
	case tDiv, tDivAssign:
		prefix := ""
		if t.kind == tDivAssign {
			prefix = "="
		}
		rt := p.lx.readRegex(prefix)
		p.next()
		return p.regex(rt.s)
	case tDollar:
		p.enter()
		defer func() { p.depth-- }()
		p.next()
		var e expr
		switch p.tok.kind {
		case tIncr, tDecr:
			e = p.postfix()
		case tSub, tAdd, tNot:
			e = p.unary()
		default:
			e = p.primary()
		}
		return &fieldExpr{e}
	case tLparen:
		p.next()
		save := p.noGT
		p.noGT = 0
		list := p.exprList(tRparen)
		p.noGT = save
		p.expect(tRparen)
		if len(list) == 0 {
			p.unexpected()
		}
		if len(list) > 1 {
			if p.tok.kind == tIn {
				p.next()
				return &inExpr{index: list, arr: p.arrayName()}
			}
			return &groupExpr{list}
		}
		if _, ok := list[0].(*groupExpr); ok {
			p.unexpected()
		}
		return &parenExpr{list[0]}
	case tNot, tSub, tAdd:
		return p.unary()
	case tIncr, tDecr:
		return p.postfix()
	case tName:
		p.next()
		if p.tok.kind == tLbracket {
			p.next()
			s := p.sym(t.s)
			s.array = true
			save := p.noGT
			p.noGT = 0
			idx := p.exprList(tRbracket)
			p.noGT = save
			if len(idx) == 0 {
				p.unexpected()
			}
			p.expect(tRbracket)
			return &indexExpr{sym: s, index: idx}
		}
		return &varExpr{p.sym(t.s)}
	case tFuncName:
		p.next()
		p.expect(tLparen)
		save := p.noGT
		p.noGT = 0
		p.optNewlines()
		args := p.exprList(tRparen)
		p.optNewlines()
		p.noGT = save
		p.expect(tRparen)
		c := &callExpr{name: t.s, args: args, line: t.line}
		for i, a := range args {
			if v, ok := a.(*varExpr); ok {
				p.uses = append(p.uses, argUse{c, i, v.sym})
			}
		}
		p.calls = append(p.calls, c)
		return c
	case tBuiltin:
		return p.builtin()
	case tGetline:
		p.next()
		g := &getlineExpr{kind: glSimple, lv: p.optLvalue()}
		if p.tok.kind == tLt {
			p.next()
			g.kind = glFile
			g.src = p.postfix()
		}
		return g
	}
	p.unexpected()
	return nil
}

// parenExpr keeps track of parentheses, which matter only to tell
// "print (a) > f" apart; it evaluates to its content.
type parenExpr struct{ e expr }

func (e *parenExpr) eval(in *interp) value { return e.e.eval(in) }

func (p *parser) optLvalue() lvalue {
	switch p.tok.kind {
	case tName:
		e := p.primary()
		return e.(lvalue)
	case tDollar:
		p.enter()
		defer func() { p.depth-- }()
		p.next()
		var e expr
		switch p.tok.kind {
		case tIncr, tDecr:
			e = p.postfix()
		default:
			e = p.primary()
		}
		return &fieldExpr{e}
	}
	return nil
}

var builtinArity = map[int][2]int{
	fLength: {0, 1}, fSubstr: {2, 3}, fIndex: {2, 2}, fSplit: {2, 3}, fSub: {2, 3},
	fGsub: {2, 3}, fMatch: {2, 2}, fSprintf: {1, 1 << 20}, fTolower: {1, 1},
	fToupper: {1, 1}, fInt: {1, 1}, fSqrt: {1, 1}, fExp: {1, 1}, fLog: {1, 1},
	fSin: {1, 1}, fCos: {1, 1}, fAtan2: {2, 2}, fRand: {0, 0}, fSrand: {0, 1},
	fSystem: {1, 1}, fClose: {1, 1}, fFflush: {0, 1},
}

func (p *parser) builtin() expr {
	fn := int(p.tok.n)
	p.next()
	if p.tok.kind != tLparen {
		if fn == fLength {
			return &builtinExpr{fn: fn}
		}
		p.unexpected()
	}
	p.next()
	save := p.noGT
	p.noGT = 0
	p.optNewlines()
	args := p.exprList(tRparen)
	p.optNewlines()
	p.noGT = save
	p.expect(tRparen)
	ar := builtinArity[fn]
	if len(args) < ar[0] || len(args) > ar[1] {
		p.errorf("%d: bad number of arguments", fn)
	}
	switch fn {
	case fSplit:
		v, ok := args[1].(*varExpr)
		if !ok {
			p.errorf("split: second argument is not an array")
		}
		v.sym.array = true
	case fSub, fGsub:
		if len(args) == 3 {
			if _, ok := args[2].(lvalue); !ok {
				// busybox accepts any expression and drops the result
				args[2] = &tempLvalue{e: args[2]}
			}
		}
	}
	return &builtinExpr{fn: fn, args: args}
}

// tempLvalue lets sub/gsub take a non-lvalue target, whose result is lost.
type tempLvalue struct {
	e expr
}

func (t *tempLvalue) eval(in *interp) value      { return t.e.eval(in) }
func (t *tempLvalue) assign(in *interp, v value) {}
func (t *tempLvalue) ref(in *interp) *value      { return nil }

// resolve links calls to functions and settles which names are arrays.
func (p *parser) resolve() {
	for _, c := range p.calls {
		f := p.prog.funcs[c.name]
		if f == nil || !f.defined {
			p.lx.line = c.line
			p.lx.errorf("Call to undefined function")
		}
		if len(c.args) > len(f.params) {
			p.lx.line = c.line
			p.lx.errorf("function '%s' called with too many arguments", c.name)
		}
		c.fn = f
	}
	for changed := true; changed; {
		changed = false
		for _, u := range p.uses {
			param := u.call.fn.params[u.i]
			if param.array != u.sym.array {
				param.array, u.sym.array = true, true
				changed = true
			}
		}
	}
}
