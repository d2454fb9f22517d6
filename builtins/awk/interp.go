package awk

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"math"
	"regexp"
	"strings"

	"github.com/sockerless/sockerless/builtins"
)

type ctrl int

const (
	cNone ctrl = iota
	cNext
	cNextFile
	cExit
	cBreak
	cContinue
	cReturn
)

// runtimeError aborts the program with a message and errStatus.
type runtimeError struct{ msg string }

// ctrlPanic carries next/nextfile/exit out of a function call.
type ctrlPanic ctrl

type frame struct {
	vals []value
	arrs []*array
}

const (
	fsSpace = iota
	fsChar
	fsRegex
	fsEmpty
)

type interp struct {
	ctx     context.Context
	env     *builtins.Env
	prog    *program
	globals []value
	arrays  []*array
	frame   *frame
	depth   int

	record      string
	fields      []value
	nf          int
	maxNF       int
	fieldsValid bool
	nr, fnr     float64

	fs, ofs, ors, rs, subsep, convfmt, ofmt string
	fsMode                                  int
	fsChar                                  byte
	fsRe                                    *regexp.Regexp
	rsRe                                    *regexp.Regexp

	rawOut, rawErr *lockedWriter
	stdout         *bufio.Writer
	numBuf         []byte // print's scratch for integers
	outputs        map[string]*outStream
	outOrder       []string
	inputs         map[string]*inStream

	mainIn     *recReader
	mainCloser io.Closer
	argIndex   int
	inEnd      bool
	usedFile   bool

	reCache  map[string]*regexp.Regexp
	rng      glibcRandom
	seed     float64
	exitCode int
	retVal   value
	ticks    int
}

func (in *interp) fatalf(format string, args ...any) {
	panic(&runtimeError{fmt.Sprintf(format, args...)})
}

func (in *interp) tick() {
	in.ticks++
	if in.ticks&4095 == 0 && in.ctx.Err() != nil {
		panic(&runtimeError{in.ctx.Err().Error()})
	}
}

// ---- conversions ----

func (in *interp) toStr(v value) string {
	switch v.k {
	case kNum:
		return formatNum(v.n, in.convfmt)
	case kUninit:
		return ""
	}
	return v.s
}

func (in *interp) toOutStr(v value) string {
	if v.k == kNum {
		return formatNum(v.n, in.ofmt)
	}
	return in.toStr(v)
}

func (in *interp) compare(a, b value) int {
	an, aok := numericValue(a)
	if aok {
		if bn, bok := numericValue(b); bok {
			switch {
			case an < bn:
				return -1
			case an > bn:
				return 1
			case an == bn:
				return 0
			}
			return 1 // NaN
		}
	}
	return strings.Compare(in.toStr(a), in.toStr(b))
}

func numericValue(v value) (float64, bool) {
	switch v.k {
	case kNum:
		return v.n, true
	case kUninit:
		return 0, true
	case kStrnum:
		return strToNum(v.s)
	}
	return 0, false
}

// ---- variables ----

func (in *interp) array(s *symbol) *array {
	if s.local {
		m := in.frame.arrs[s.idx]
		if m == nil {
			in.fatalf("can't use scalar %s as array", s.name)
		}
		return m
	}
	return in.arrays[s.idx]
}

func (in *interp) getSpecial(sp int) value {
	switch sp {
	case spNF:
		if !in.fieldsValid {
			in.splitRecord()
		}
		return num(float64(in.nf))
	case spNR:
		return num(in.nr)
	case spFNR:
		return num(in.fnr)
	}
	return in.globals[sp]
}

func (in *interp) setSpecial(sp int, v value) {
	switch sp {
	case spNF:
		n := v.toNum()
		if n < 0 || n > 1e7 {
			in.fatalf("NF set to invalid value")
		}
		in.setNF(int(n))
		return
	case spNR:
		in.nr = v.toNum()
		return
	case spFNR:
		in.fnr = v.toNum()
		return
	}
	in.globals[sp] = v
	s := in.toStr(v)
	switch sp {
	case spFS:
		if !in.fieldsValid {
			in.splitRecord() // the current record keeps the old FS
		}
		in.fs = s
		in.updateFS()
	case spOFS:
		in.ofs = s
	case spORS:
		in.ors = s
	case spRS:
		in.rs = s
		in.rsRe = nil
		if len(s) > 1 {
			re, err := compileERE(s)
			if err != nil {
				in.fatalf("bad RS regex: %v", err)
			}
			in.rsRe = re
		}
		in.updateFS()
	case spSUBSEP:
		in.subsep = s
	case spCONVFMT:
		in.convfmt = s
	case spOFMT:
		in.ofmt = s
	}
}

func (in *interp) updateFS() {
	para := in.rs == ""
	switch {
	case in.fs == " ":
		in.fsMode = fsSpace
		return
	case in.fs == "":
		in.fsMode = fsEmpty
		return
	case len(in.fs) == 1 && in.fs != "\\" && !para:
		in.fsMode, in.fsChar = fsChar, in.fs[0]
		return
	}
	src := in.fs
	if len(src) == 1 {
		src = regexp.QuoteMeta(src)
	}
	re := in.regex(src)
	if para {
		var err error
		t, _ := translateERE(in.fs)
		if len(in.fs) == 1 {
			t = "(?s)" + regexp.QuoteMeta(in.fs)
		}
		re, err = regexp.Compile(t + "|\n")
		if err != nil {
			in.fatalf("bad FS: %v", err)
		}
		re.Longest()
	}
	in.fsMode, in.fsRe = fsRegex, re
}

func (in *interp) regex(src string) *regexp.Regexp {
	if re, ok := in.reCache[src]; ok {
		return re
	}
	re, err := compileERE(src)
	if err != nil {
		in.fatalf("bad regex '%s': %v", src, err)
	}
	if len(in.reCache) > 500 {
		clear(in.reCache)
	}
	in.reCache[src] = re
	return re
}

func (in *interp) regexOf(e expr) *regexp.Regexp {
	if r, ok := e.(*regexExpr); ok {
		return r.re
	}
	return in.regex(in.toStr(e.eval(in)))
}

// ---- fields ----

func (in *interp) setRecord(s string) {
	in.record = s
	in.fieldsValid = false
}

func (in *interp) splitRecord() {
	in.fields = in.splitInto(in.fields[:0], in.record, in.fsMode, in.fsChar, in.fsRe)
	in.nf = len(in.fields)
	in.maxNF = max(in.maxNF, in.nf)
	in.fieldsValid = true
}

func (in *interp) splitInto(dst []value, s string, mode int, ch byte, re *regexp.Regexp) []value {
	switch mode {
	case fsSpace:
		i := 0
		// busybox splits on every isspace() character, \r included
		for {
			for i < len(s) && isSpace(s[i]) {
				i++
			}
			if i >= len(s) {
				return dst
			}
			j := i
			for j < len(s) && !isSpace(s[j]) {
				j++
			}
			dst = append(dst, strnum(s[i:j]))
			i = j
		}
	case fsChar:
		if s == "" {
			return dst
		}
		for {
			j := strings.IndexByte(s, ch)
			if j < 0 {
				return append(dst, strnum(s))
			}
			dst = append(dst, strnum(s[:j]))
			s = s[j+1:]
		}
	case fsEmpty:
		for i := 0; i < len(s); i++ {
			dst = append(dst, strnum(s[i:i+1]))
		}
		return dst
	}
	if s == "" {
		return dst
	}
	locs := re.FindAllStringIndex(s, -1)
	start := 0
	for _, l := range locs {
		if l[1] == l[0] {
			continue // empty matches do not split
		}
		dst = append(dst, strnum(s[start:l[0]]))
		start = l[1]
	}
	return append(dst, strnum(s[start:]))
}

func (in *interp) getField(i int) value {
	if i == 0 {
		return strnum(in.record)
	}
	if i < 0 {
		in.fatalf("Access to negative field")
	}
	if !in.fieldsValid {
		in.splitRecord()
	}
	if i > in.nf {
		if i <= in.maxNF {
			// busybox: a field slot used by an earlier record is an
			// empty string, one never used is uninitialised
			return value{k: kStr}
		}
		return value{}
	}
	return in.fields[i-1]
}

func (in *interp) setField(i int, v value) {
	if i == 0 {
		in.setRecord(in.toStr(v))
		return
	}
	if i < 0 {
		in.fatalf("Access to negative field")
	}
	if i > 1e7 {
		in.fatalf("field index too large")
	}
	if !in.fieldsValid {
		in.splitRecord()
	}
	for in.nf < i {
		in.fields = append(in.fields, value{})
		in.nf++
	}
	in.fields[i-1] = v
	in.maxNF = max(in.maxNF, in.nf)
	in.rebuild()
}

func (in *interp) setNF(n int) {
	if !in.fieldsValid {
		in.splitRecord()
	}
	for in.nf < n {
		in.fields = append(in.fields, value{})
		in.nf++
	}
	in.fields = in.fields[:n]
	in.nf = n
	in.rebuild()
}

func (in *interp) rebuild() {
	var b strings.Builder
	for i, f := range in.fields[:in.nf] {
		if i > 0 {
			b.WriteString(in.ofs)
		}
		b.WriteString(in.toStr(f))
	}
	in.record = b.String()
}

// ---- statements ----

func (in *interp) execBlock(body []stmt) ctrl {
	for _, s := range body {
		if c := in.exec(s); c != cNone {
			return c
		}
	}
	return cNone
}

func (in *interp) exec(s stmt) ctrl {
	switch s := s.(type) {
	case *exprStmt:
		s.e.eval(in)
	case *printStmt:
		in.print(s)
	case *ifStmt:
		if s.cond.eval(in).toBool() {
			return in.execBlock(s.then)
		}
		return in.execBlock(s.els)
	case *whileStmt:
		for s.cond.eval(in).toBool() {
			in.tick()
			switch c := in.execBlock(s.body); c {
			case cBreak:
				return cNone
			case cNone, cContinue:
			default:
				return c
			}
		}
	case *doStmt:
		for {
			in.tick()
			switch c := in.execBlock(s.body); c {
			case cBreak:
				return cNone
			case cNone, cContinue:
			default:
				return c
			}
			if !s.cond.eval(in).toBool() {
				break
			}
		}
	case *forStmt:
		if s.init != nil {
			in.exec(s.init)
		}
		for s.cond == nil || s.cond.eval(in).toBool() {
			in.tick()
			switch c := in.execBlock(s.body); c {
			case cBreak:
				return cNone
			case cNone, cContinue:
			default:
				return c
			}
			if s.post != nil {
				in.exec(s.post)
			}
		}
	case *forInStmt:
		// like busybox, iterate over a snapshot of the keys
		for _, k := range in.array(s.arr).keys() {
			in.tick()
			in.assign(s.v, strnum(k))
			switch c := in.execBlock(s.body); c {
			case cBreak:
				return cNone
			case cNone, cContinue:
			default:
				return c
			}
		}
	case *blockStmt:
		return in.execBlock(s.body)
	case *nextStmt:
		return cNext
	case *nextfileStmt:
		return cNextFile
	case *exitStmt:
		if s.e != nil {
			in.exitCode = int(s.e.eval(in).toNum()) & 0xff
		}
		return cExit
	case *returnStmt:
		if s.e != nil {
			in.retVal = s.e.eval(in)
		} else {
			in.retVal = value{}
		}
		return cReturn
	case *breakStmt:
		return cBreak
	case *continueStmt:
		return cContinue
	case *deleteStmt:
		m := in.array(s.arr)
		if s.index == nil {
			m.clear()
		} else {
			m.delete(in.key(s.index))
		}
	}
	return cNone
}

func (in *interp) assign(lv lvalue, v value) {
	if p := lv.ref(in); p != nil {
		*p = v
		return
	}
	lv.assign(in, v)
}

func (in *interp) key(index []expr) string {
	if len(index) == 1 {
		return in.toStr(index[0].eval(in))
	}
	var b strings.Builder
	for i, e := range index {
		if i > 0 {
			b.WriteString(in.subsep)
		}
		b.WriteString(in.toStr(e.eval(in)))
	}
	return b.String()
}

// ---- expressions ----

func (e *litExpr) eval(in *interp) value { return e.v }

func (e *regexExpr) eval(in *interp) value {
	return boolVal(e.re.MatchString(in.record))
}

func (e *varExpr) eval(in *interp) value {
	s := e.sym
	if s.local {
		return in.frame.vals[s.idx]
	}
	if s.special != 0 {
		return in.getSpecial(s.special)
	}
	return in.globals[s.idx]
}

func (e *varExpr) assign(in *interp, v value) {
	s := e.sym
	switch {
	case s.local:
		in.frame.vals[s.idx] = v
	case s.special != 0:
		in.setSpecial(s.special, v)
	default:
		in.globals[s.idx] = v
	}
}

func (e *varExpr) ref(in *interp) *value {
	s := e.sym
	switch {
	case s.local:
		return &in.frame.vals[s.idx]
	case s.special != 0:
		return nil
	}
	return &in.globals[s.idx]
}

func (e *indexExpr) eval(in *interp) value { return *e.ref(in) }

func (e *indexExpr) assign(in *interp, v value) { *e.ref(in) = v }

func (e *indexExpr) ref(in *interp) *value {
	return in.array(e.sym).get(in.key(e.index))
}

func (in *interp) fieldIndex(e expr) int {
	n := e.eval(in).toNum()
	if n < 0 {
		in.fatalf("Access to negative field")
	}
	if n > 1e7 {
		in.fatalf("field index too large")
	}
	return int(n)
}

func (e *fieldExpr) eval(in *interp) value      { return in.getField(in.fieldIndex(e.index)) }
func (e *fieldExpr) assign(in *interp, v value) { in.setField(in.fieldIndex(e.index), v) }
func (e *fieldExpr) ref(in *interp) *value      { return nil }

func (e *assignExpr) eval(in *interp) value {
	if e.op == tAssign {
		// like busybox, the target (and its subscript) comes first
		if p := e.lhs.ref(in); p != nil {
			v := e.rhs.eval(in)
			*p = v
			return v
		}
		v := e.rhs.eval(in)
		e.lhs.assign(in, v)
		return v
	}
	if p := e.lhs.ref(in); p != nil {
		old := p.toNum()
		r := e.rhs.eval(in).toNum()
		v := num(in.arith(e.op, old, r))
		*p = v
		return v
	}
	old := e.lhs.eval(in).toNum()
	r := e.rhs.eval(in).toNum()
	v := num(in.arith(e.op, old, r))
	e.lhs.assign(in, v)
	return v
}

func (in *interp) arith(op tokKind, a, b float64) float64 {
	switch op {
	case tAdd:
		return a + b
	case tSub:
		return a - b
	case tMul:
		return a * b
	case tDiv:
		if b == 0 {
			in.fatalf("Division by zero")
		}
		return a / b
	case tMod:
		if b == 0 {
			in.fatalf("Division by zero")
		}
		if a == math.Trunc(a) && b == math.Trunc(b) && math.Abs(a) < 1<<53 && math.Abs(b) < 1<<53 {
			// integers: the remainder is exact either way; it keeps
			// the sign of a, -0 included
			r := float64(int64(a) % int64(b))
			if r == 0 {
				r = math.Copysign(0, a)
			}
			return r
		}
		return math.Mod(a, b)
	case tPow:
		return pow(a, b)
	}
	return 0
}

func pow(a, b float64) float64 {
	if b == math.Trunc(b) && b >= 0 && b <= 64 {
		r := 1.0
		for i := 0; i < int(b); i++ {
			r *= a
		}
		return r
	}
	return math.Pow(a, b)
}

func (e *condExpr) eval(in *interp) value {
	if e.c.eval(in).toBool() {
		return e.a.eval(in)
	}
	return e.b.eval(in)
}

func (e *andExpr) eval(in *interp) value {
	return boolVal(e.a.eval(in).toBool() && e.b.eval(in).toBool())
}

func (e *orExpr) eval(in *interp) value {
	return boolVal(e.a.eval(in).toBool() || e.b.eval(in).toBool())
}

func (e *notExpr) eval(in *interp) value  { return boolVal(!e.a.eval(in).toBool()) }
func (e *negExpr) eval(in *interp) value  { return num(-e.a.eval(in).toNum()) }
func (e *plusExpr) eval(in *interp) value { return num(e.a.eval(in).toNum()) }

func (e *binaryExpr) eval(in *interp) value {
	a := e.a.eval(in).toNum()
	b := e.b.eval(in).toNum()
	return num(in.arith(e.op, a, b))
}

func (e *concatExpr) eval(in *interp) value {
	if len(e.parts) == 2 {
		a := in.toStr(e.parts[0].eval(in))
		return str(a + in.toStr(e.parts[1].eval(in)))
	}
	var b strings.Builder
	for _, p := range e.parts {
		b.WriteString(in.toStr(p.eval(in)))
	}
	return str(b.String())
}

func (e *cmpExpr) eval(in *interp) value {
	c := in.compare(e.a.eval(in), e.b.eval(in))
	switch e.op {
	case tLt:
		return boolVal(c < 0)
	case tLe:
		return boolVal(c <= 0)
	case tGt:
		return boolVal(c > 0)
	case tGe:
		return boolVal(c >= 0)
	case tEq:
		return boolVal(c == 0)
	}
	return boolVal(c != 0)
}

func (e *matchExpr) eval(in *interp) value {
	s := in.toStr(e.a.eval(in))
	return boolVal(in.regexOf(e.re).MatchString(s) != e.neg)
}

func (e *inExpr) eval(in *interp) value {
	return boolVal(in.array(e.arr).has(in.key(e.index)))
}

func (e *incrExpr) eval(in *interp) value {
	if p := e.lv.ref(in); p != nil {
		old := p.toNum()
		*p = num(old + e.delta)
		if e.pre {
			return *p
		}
		return num(old)
	}
	old := e.lv.eval(in).toNum()
	e.lv.assign(in, num(old+e.delta))
	if e.pre {
		return num(old + e.delta)
	}
	return num(old)
}

func (e *groupExpr) eval(in *interp) value {
	// only meaningful as print's argument list; elsewhere concatenate
	// with SUBSEP like a multi-dimensional subscript
	return str(in.key(e.exprs))
}

func (e *callExpr) eval(in *interp) value {
	f := e.fn
	fr := &frame{vals: make([]value, len(f.params))}
	for i, p := range f.params {
		if p.array {
			if fr.arrs == nil {
				fr.arrs = make([]*array, len(f.params))
			}
			if i < len(e.args) {
				a := e.args[i]
				if pe, ok := a.(*parenExpr); ok {
					a = pe.e
				}
				v, ok := a.(*varExpr)
				if !ok || !v.sym.array {
					in.fatalf("can't pass scalar as array to %s", f.name)
				}
				fr.arrs[i] = in.array(v.sym)
			} else {
				fr.arrs[i] = newArray()
			}
		} else if i < len(e.args) {
			if v, ok := e.args[i].(*varExpr); ok && v.sym.array {
				in.fatalf("can't use array %s in scalar context", v.sym.name)
			}
			fr.vals[i] = e.args[i].eval(in)
		}
	}
	in.depth++
	if in.depth > 20000 {
		in.fatalf("function call nesting too deep")
	}
	saved := in.frame
	in.frame = fr
	c := in.execBlock(f.body)
	in.frame = saved
	in.depth--
	switch c {
	case cReturn:
		v := in.retVal
		in.retVal = value{}
		return v
	case cNext, cNextFile, cExit:
		panic(ctrlPanic(c))
	}
	return value{}
}
