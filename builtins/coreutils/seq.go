package coreutils

import (
	"context"
	"fmt"
	"regexp"
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
