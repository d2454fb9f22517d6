package awk

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

func (e *builtinExpr) eval(in *interp) value {
	a := e.args
	switch e.fn {
	case fLength:
		if len(a) == 0 {
			return num(float64(len(in.record)))
		}
		arg := a[0]
		if p, ok := arg.(*parenExpr); ok {
			arg = p.e
		}
		if v, ok := arg.(*varExpr); ok && v.sym.array {
			return num(float64(in.array(v.sym).len()))
		}
		return num(float64(len(in.toStr(arg.eval(in)))))
	case fSubstr:
		s := in.toStr(a[0].eval(in))
		m := clampInt(a[1].eval(in).toNum() - 1)
		if m > len(s) {
			m = len(s)
		}
		if m < 0 {
			m = 0
		}
		n := len(s) - m
		if len(a) > 2 {
			n = clampInt(a[2].eval(in).toNum())
		}
		if n < 0 {
			n = 0
		}
		if m+n > len(s) {
			n = len(s) - m
		}
		return str(s[m : m+n])
	case fIndex:
		s := in.toStr(a[0].eval(in))
		t := in.toStr(a[1].eval(in))
		if t == "" {
			return num(0)
		}
		return num(float64(strings.Index(s, t) + 1))
	case fSplit:
		return in.split(a)
	case fSub, fGsub:
		return in.sub(a, e.fn == fGsub)
	case fMatch:
		s := in.toStr(a[0].eval(in))
		re := in.regexOf(a[1])
		loc := re.FindStringIndex(s)
		start, length := 0, -1
		if loc != nil {
			start, length = loc[0]+1, loc[1]-loc[0]
		}
		in.globals[spRSTART] = num(float64(start))
		in.globals[spRLENGTH] = num(float64(length))
		return num(float64(start))
	case fSprintf:
		vals := make([]value, len(a)-1)
		for i, x := range a[1:] {
			vals[i] = x.eval(in)
		}
		return str(in.sprintf(in.toStr(a[0].eval(in)), vals))
	case fTolower:
		return str(asciiMap(in.toStr(a[0].eval(in)), 'A', 'Z', 'a'-'A'))
	case fToupper:
		return str(asciiMap(in.toStr(a[0].eval(in)), 'a', 'z', 'A'-'a'))
	case fInt:
		return num(math.Trunc(a[0].eval(in).toNum()))
	case fSqrt:
		return num(math.Sqrt(a[0].eval(in).toNum()))
	case fExp:
		return num(math.Exp(a[0].eval(in).toNum()))
	case fLog:
		return num(math.Log(a[0].eval(in).toNum()))
	case fSin:
		return num(math.Sin(a[0].eval(in).toNum()))
	case fCos:
		return num(math.Cos(a[0].eval(in).toNum()))
	case fAtan2:
		y := a[0].eval(in).toNum()
		return num(math.Atan2(y, a[1].eval(in).toNum()))
	case fRand:
		return num(in.rng.awkRand())
	case fSrand:
		prev := in.seed
		if len(a) > 0 {
			in.seed = float64(uint32(toInt64(a[0].eval(in).toNum())))
		} else {
			in.seed = float64(uint32(timeNow()))
		}
		in.rng.seed(uint32(in.seed))
		return num(prev)
	case fSystem:
		cmd := in.toStr(a[0].eval(in))
		in.fflush("", true)
		child := *in.env
		child.Stdout = in.rawOut
		child.Stderr = in.rawErr
		return num(float64(in.env.Exec(in.ctx, &child, []string{"sh", "-c", cmd})))
	case fClose:
		return num(float64(in.closeStream(in.toStr(a[0].eval(in)))))
	case fFflush:
		if len(a) == 0 {
			return num(float64(in.fflush("", true)))
		}
		return num(float64(in.fflush(in.toStr(a[0].eval(in)), false)))
	}
	return value{}
}

func clampInt(f float64) int {
	switch {
	case math.IsNaN(f):
		return 0
	case f > 1e15:
		return 1e15
	case f < -1e15:
		return -1e15
	}
	return int(f)
}

func asciiMap(s string, lo, hi byte, delta int) string {
	i := 0
	for i < len(s) && !(s[i] >= lo && s[i] <= hi) {
		i++
	}
	if i == len(s) {
		return s
	}
	b := []byte(s)
	for ; i < len(b); i++ {
		if b[i] >= lo && b[i] <= hi {
			b[i] = byte(int(b[i]) + delta)
		}
	}
	return string(b)
}

func (in *interp) split(a []expr) value {
	s := in.toStr(a[0].eval(in))
	arr := in.array(a[1].(*varExpr).sym)
	var parts []value
	if len(a) == 2 {
		parts = in.splitInto(nil, s, in.fsMode, in.fsChar, in.fsRe)
	} else if r, ok := a[2].(*regexExpr); ok {
		parts = in.splitInto(nil, s, fsRegex, 0, r.re)
	} else {
		fs := in.toStr(a[2].eval(in))
		switch {
		case fs == " ":
			parts = in.splitInto(nil, s, fsSpace, 0, nil)
		case fs == "":
			parts = in.splitInto(nil, s, fsEmpty, 0, nil)
		case len(fs) == 1 && fs != "\\":
			parts = in.splitInto(nil, s, fsChar, fs[0], nil)
		default:
			parts = in.splitInto(nil, s, fsRegex, 0, in.regex(fs))
		}
	}
	arr.clear()
	for i, p := range parts {
		*arr.get(strconv.Itoa(i + 1)) = p
	}
	return num(float64(len(parts)))
}

func (in *interp) sub(a []expr, global bool) value {
	re := in.regexOf(a[0])
	repl := in.toStr(a[1].eval(in))
	var target lvalue = &fieldExpr{&litExpr{num(0)}}
	if len(a) > 2 {
		target = a[2].(lvalue)
	}
	s := in.toStr(target.eval(in))
	n := -1
	if !global {
		n = 1
	}
	locs := re.FindAllStringIndex(s, n)
	if len(locs) == 0 {
		return num(0)
	}
	var b strings.Builder
	last := 0
	for _, l := range locs {
		b.WriteString(s[last:l[0]])
		for i := 0; i < len(repl); i++ {
			c := repl[i]
			if c == '\\' && i+1 < len(repl) && (repl[i+1] == '&' || repl[i+1] == '\\') {
				i++
				b.WriteByte(repl[i])
				continue
			}
			if c == '&' {
				b.WriteString(s[l[0]:l[1]])
				continue
			}
			b.WriteByte(c)
		}
		last = l[1]
	}
	b.WriteString(s[last:])
	in.assign(target, str(b.String()))
	return num(float64(len(locs)))
}

// sprintf implements awk's printf formatting.
func (in *interp) sprintf(format string, args []value) string {
	var b strings.Builder
	ai := 0
	nextArg := func() value {
		if ai < len(args) {
			ai++
			return args[ai-1]
		}
		return value{}
	}
	for i := 0; i < len(format); i++ {
		c := format[i]
		if c != '%' {
			b.WriteByte(c)
			continue
		}
		j := i + 1
		if j < len(format) && format[j] == '%' {
			b.WriteByte('%')
			i = j
			continue
		}
		start := i
		var spec strings.Builder
		spec.WriteByte('%')
		minus := false
		for j < len(format) && strings.IndexByte("-+ #0", format[j]) >= 0 {
			if format[j] == '-' {
				minus = true
			}
			spec.WriteByte(format[j])
			j++
		}
		width, prec := -1, -1
		if j < len(format) && format[j] == '*' {
			width = clampInt(nextArg().toNum())
			if width < 0 {
				minus = true
				spec.WriteByte('-')
				width = -width
			}
			fmt.Fprintf(&spec, "%d", width)
			j++
		} else {
			st := j
			for j < len(format) && isDigit(format[j]) {
				j++
			}
			if j > st {
				width, _ = strconv.Atoi(format[st:j])
				spec.WriteString(format[st:j])
			}
		}
		if j < len(format) && format[j] == '.' {
			j++
			if j < len(format) && format[j] == '*' {
				prec = clampInt(nextArg().toNum())
				j++
			} else {
				st := j
				for j < len(format) && isDigit(format[j]) {
					j++
				}
				prec, _ = strconv.Atoi(format[st:j])
			}
			if prec >= 0 {
				fmt.Fprintf(&spec, ".%d", prec)
			}
		}
		if j >= len(format) {
			b.WriteString(format[i:])
			break
		}
		conv := format[j]
		i = j
		sp := spec.String()
		switch conv {
		case 'd', 'i':
			v := nextArg().toNum()
			if math.IsInf(v, 0) || math.IsNaN(v) {
				b.WriteString(padStr(infNaN(v), width, minus))
				break
			}
			fmt.Fprintf(&b, sp+"d", toInt64(v))
		case 'o', 'x', 'X', 'u':
			v := uint64(toInt64(nextArg().toNum()))
			if conv == 'u' {
				conv = 'd'
			}
			if v == 0 && conv != 'o' {
				sp = strings.ReplaceAll(sp, "#", "") // C prints no 0x for zero
			}
			fmt.Fprintf(&b, sp+string(conv), v)
		case '%':
			b.WriteString(format[start : j+1]) // busybox copies "%5%" as is
		case 'e', 'E', 'f', 'F', 'g', 'G':
			v := nextArg().toNum()
			if math.IsInf(v, 0) || math.IsNaN(v) {
				s := infNaN(v)
				if conv == 'E' || conv == 'F' || conv == 'G' {
					s = strings.ToUpper(s)
				}
				if v > 0 && strings.Contains(sp, "+") {
					s = "+" + s
				}
				b.WriteString(padStr(s, width, minus))
				break
			}
			if conv == 'F' {
				conv = 'f'
			}
			b.WriteString(fixExp(fmt.Sprintf(sp+string(conv), v)))
		case 'c':
			v := nextArg()
			var s string
			if v.k == kNum || v.k == kStrnum && v.isNumeric() {
				s = string([]byte{byte(toInt64(v.toNum()))})
			} else {
				t := in.toStr(v)
				if t == "" {
					s = "\x00"
				} else {
					s = t[:1]
				}
			}
			b.WriteString(padStr(s, width, minus))
		case 's':
			s := in.toStr(nextArg())
			if prec >= 0 && prec < len(s) {
				s = s[:prec]
			}
			b.WriteString(padStr(s, width, minus))
		default:
			in.fatalf("Invalid format specifier")
		}
	}
	return b.String()
}

func padStr(s string, width int, left bool) string {
	if width <= len(s) {
		return s
	}
	pad := strings.Repeat(" ", width-len(s))
	if left {
		return s + pad
	}
	return pad + s
}

func toInt64(f float64) int64 {
	switch {
	case math.IsNaN(f):
		return math.MinInt64
	case f >= 9.223372036854775807e18:
		return math.MaxInt64
	case f <= -9.223372036854775808e18:
		return math.MinInt64
	}
	return int64(f)
}
