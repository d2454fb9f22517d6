package coreutils

import (
	"bufio"
	"context"
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"

	"github.com/sockerless/sockerless/builtins"
)

func init() {
	builtins.Register(&builtins.Command{Name: "seq", Usage: seqUsage, Run: runSeq})
}

const seqUsage = `Usage: seq [-w] [-s SEP] [-f FORMAT] [FIRST [INC]] LAST

Print numbers from FIRST to LAST, in steps of INC.
FIRST, INC default to 1.

	-w, --equal-width	Pad to last with leading zeros
	-s, --separator=SEP	String separator
	-f, --format=FORMAT	printf-style floating point FORMAT (%g %f %e)`

var seqFormatRe = regexp.MustCompile(`^((?:[^%]|%%)*)%([-+ #0']*)([0-9]*)(?:\.([0-9]*))?([eEfFgGaA])((?:[^%]|%%)*)$`)

func runSeq(ctx context.Context, env *builtins.Env, args []string) int {
	fl := builtins.Flags(env, "seq")
	fl.SetInterspersed(false)
	equal := fl.BoolP("equal-width", "w", false, "")
	sep := fl.StringP("separator", "s", "\n", "")
	format := fl.StringP("format", "f", "", "")
	if st, ok := builtins.ParseFlags(env, fl, args[1:]); !ok {
		return st
	}
	ops := fl.Args()
	if len(ops) < 1 || len(ops) > 3 {
		return usageErr(env, "seq", "missing operand")
	}
	vals := make([]float64, len(ops))
	for i, s := range ops {
		v, n := strtod([]byte(s))
		if n != len(s) || n == 0 || isSpace(s[0]) {
			return usageErr(env, "seq", "invalid number '%s'", s)
		}
		vals[i] = v
	}
	first, inc, last := 1.0, 1.0, vals[len(vals)-1]
	switch len(vals) {
	case 2:
		first = vals[0]
	case 3:
		first, inc = vals[0], vals[1]
	}
	// Width and precision follow busybox: the fractional digits of LAST
	// do not count.
	width, frac := 0, 0
	for i, s := range ops {
		dot := strings.IndexByte(s, '.')
		if dot < 0 {
			dot = len(s)
		}
		width = max(width, dot)
		if i == len(ops)-1 {
			break
		}
		frac = max(frac, len(s)-dot)
	}
	if frac > 0 {
		frac--
		width += frac + 1
	}
	if !*equal {
		width = 0
	}
	var layout func([]byte, float64) []byte
	if *format != "" {
		m := seqFormatRe.FindStringSubmatch(*format)
		if m == nil {
			return usageErr(env, "seq", "invalid format string: '%s'", *format)
		}
		prec := m[4]
		if strings.Contains(*format, "%"+m[2]+m[3]+"."+prec) && prec == "" {
			prec = "0"
		}
		verb := m[5]
		if verb == "F" {
			verb = "f"
		}
		goFmt := "%" + strings.ReplaceAll(m[2], "'", "") + m[3]
		if prec != "" {
			goFmt += "." + prec
		} else if verb == "g" || verb == "G" || verb == "e" || verb == "E" || verb == "f" {
			goFmt += ".6"
		}
		goFmt += verb
		pre := strings.ReplaceAll(m[1], "%%", "%")
		post := strings.ReplaceAll(m[6], "%%", "%")
		layout = func(b []byte, v float64) []byte {
			b = append(b, pre...)
			b = fmt.Appendf(b, goFmt, v)
			return append(b, post...)
		}
	} else {
		layout = func(b []byte, v float64) []byte {
			return fmt.Appendf(b, "%0*.*f", width, frac, v)
		}
	}
	out := newOut(env)
	defer out.Flush()
	if *format == "" && frac == 0 {
		if st, ok := seqInts(ctx, out, first, inc, last, width, *sep); ok {
			return st
		}
	}
	var line []byte
	n := 0
	for {
		v := first + float64(float64(n)*inc)
		if (inc > 0 && v > last) || (inc < 0 && v < last) {
			break
		}
		if inc == 0 && first > last {
			break
		}
		line = line[:0]
		if n > 0 {
			line = append(line, *sep...)
		}
		line = layout(line, v)
		if _, err := out.Write(line); err != nil {
			return 1
		}
		n++
		if n&1023 == 0 && ctx.Err() != nil {
			return 1
		}
	}
	if n > 0 {
		out.WriteByte('\n')
	}
	if out.Flush() != nil {
		return 1
	}
	return 0
}

// seqInts is the fast path for integer sequences without a format: it
// formats with strconv into one buffer instead of fmt per number. It
// reports false (and writes nothing) when the float loop of runSeq is
// needed: non-integers, magnitudes where float steps are inexact, a zero
// step, or a first value of -0 (printed "-0").
func seqInts(ctx context.Context, out *bufio.Writer, first, inc, last float64, width int, sep string) (int, bool) {
	const lim = 1 << 52
	for _, v := range [...]float64{first, inc, last} {
		if math.IsNaN(v) || math.Abs(v) >= lim {
			return 0, false
		}
	}
	if first != math.Trunc(first) || inc != math.Trunc(inc) || inc == 0 ||
		(first == 0 && math.Signbit(first)) {
		return 0, false
	}
	v, step := int64(first), int64(inc)
	buf := make([]byte, 0, bufSize)
	n := 0
	for ; (step > 0 && float64(v) <= last) || (step < 0 && float64(v) >= last); v += step {
		if n > 0 {
			buf = append(buf, sep...)
		}
		buf = appendPadded(buf, v, width)
		n++
		if len(buf) >= bufSize-64 {
			if _, err := out.Write(buf); err != nil {
				return 1, true
			}
			buf = buf[:0]
			if ctx.Err() != nil {
				return 1, true
			}
		}
	}
	if n > 0 {
		buf = append(buf, '\n')
	}
	if _, err := out.Write(buf); err != nil || out.Flush() != nil {
		return 1, true
	}
	return 0, true
}

// appendPadded appends v in decimal, zero-padded after the sign to width
// bytes, as fmt's %0*.0f does for an integral value.
func appendPadded(b []byte, v int64, width int) []byte {
	if width == 0 {
		return strconv.AppendInt(b, v, 10)
	}
	var tmp [24]byte
	d := strconv.AppendInt(tmp[:0], v, 10)
	if v < 0 {
		b = append(b, '-')
		d = d[1:]
		width--
	}
	for i := len(d); i < width; i++ {
		b = append(b, '0')
	}
	return append(b, d...)
}
