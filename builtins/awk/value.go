package awk

import (
	"math"
	"strconv"
	"strings"
)

type kind uint8

const (
	kUninit kind = iota
	kNum
	kStr
	kStrnum // input text: a number if it looks like one
)

// value is an awk scalar.
type value struct {
	k kind
	n float64
	s string
}

func num(n float64) value   { return value{k: kNum, n: n} }
func str(s string) value    { return value{k: kStr, s: s} }
func strnum(s string) value { return value{k: kStrnum, s: s} }
func boolVal(b bool) value {
	if b {
		return value{k: kNum, n: 1}
	}
	return value{k: kNum}
}

func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'
}

// strToNum converts the longest numeric prefix of s the way busybox's
// my_strtod does (leading blanks, 0x hex, 0-prefixed octal, inf, nan).
// full reports whether only blanks follow the number.
func strToNum(s string) (float64, bool) {
	i := 0
	for i < len(s) && isSpace(s[i]) {
		i++
	}
	start := i
	n, end := parseFloatPrefix(s, i, i == 0)
	if end == start {
		return 0, false
	}
	for end < len(s) && isSpace(s[end]) {
		end++
	}
	return n, end == len(s)
}

// parseFloatPrefix parses a number at s[i:]. bare is false when blanks
// were skipped: busybox only reads 0-prefixed octal at the very start.
func parseFloatPrefix(s string, i int, bare bool) (float64, int) {
	start := i
	if i+1 < len(s) && s[i] == '0' && bare {
		c := s[i+1] | 0x20
		if c == 'x' {
			j := i + 2
			var u uint64
			for j < len(s) && isHex(s[j]) {
				d := s[j]
				switch {
				case d <= '9':
					d -= '0'
				default:
					d = d | 0x20 - 'a' + 10
				}
				u = u*16 + uint64(d)
				j++
			}
			if j == i+2 {
				return 0, i + 1 // just "0"
			}
			return float64(u), j
		}
		if isDigit(s[i+1]) {
			j := i + 1
			var u uint64
			for j < len(s) && s[j] >= '0' && s[j] <= '7' {
				u = u*8 + uint64(s[j]-'0')
				j++
			}
			if j >= len(s) || !isDigit(s[j]) && s[j] != '.' {
				return float64(u), j
			}
			// a decimal float after all (009.5, 00.5)
		}
	}
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		i++
	}
	// strtod reads hexadecimal too
	if i+2 < len(s) && s[i] == '0' && s[i+1]|0x20 == 'x' && isHex(s[i+2]) {
		j := i + 2
		var u float64
		for j < len(s) && isHex(s[j]) {
			d := s[j]
			if d <= '9' {
				d -= '0'
			} else {
				d = d | 0x20 - 'a' + 10
			}
			u = u*16 + float64(d)
			j++
		}
		return signed(u, s[start] == '-'), j
	}
	// inf / nan
	if i < len(s) && (s[i]|0x20 == 'i' || s[i]|0x20 == 'n') {
		rest := strings.ToLower(s[i:min(len(s), i+8)])
		neg := s[start] == '-'
		switch {
		case strings.HasPrefix(rest, "infinity"):
			return signed(math.Inf(1), neg), i + 8
		case strings.HasPrefix(rest, "inf"):
			return signed(math.Inf(1), neg), i + 3
		case strings.HasPrefix(rest, "nan"):
			return signed(math.NaN(), neg), i + 3
		}
		return 0, start
	}
	digits := 0
	var iv int64
	for i < len(s) && isDigit(s[i]) {
		iv = iv*10 + int64(s[i]-'0')
		i++
		digits++
	}
	if digits > 0 && digits <= 15 && (i == len(s) || s[i] != '.' && s[i]|0x20 != 'e') {
		// a plain integer, exact in a float64: no ParseFloat
		return signed(float64(iv), s[start] == '-'), i
	}
	if i < len(s) && s[i] == '.' {
		i++
		for i < len(s) && isDigit(s[i]) {
			i++
			digits++
		}
	}
	if digits == 0 {
		return 0, start
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		j := i + 1
		if j < len(s) && (s[j] == '+' || s[j] == '-') {
			j++
		}
		if j < len(s) && isDigit(s[j]) {
			for j < len(s) && isDigit(s[j]) {
				j++
			}
			i = j
		}
	}
	f, err := strconv.ParseFloat(s[start:i], 64)
	if err != nil {
		// out of range: ParseFloat returns ±Inf or 0 with an error
		return f, i
	}
	return f, i
}

func signed(f float64, neg bool) float64 {
	if neg {
		return -f
	}
	return f
}

// toNum is awk's numeric value of v.
func (v value) toNum() float64 {
	switch v.k {
	case kNum:
		return v.n
	case kUninit:
		return 0
	}
	n, _ := strToNum(v.s)
	return n
}

// isNumeric reports whether v compares as a number.
func (v value) isNumeric() bool {
	switch v.k {
	case kNum, kUninit:
		return true
	case kStrnum:
		_, full := strToNum(v.s)
		return full
	}
	return false
}

func (v value) toBool() bool {
	switch v.k {
	case kNum:
		return v.n != 0
	case kStr:
		return v.s != ""
	case kStrnum:
		n, full := strToNum(v.s)
		if full {
			return n != 0
		}
		return v.s != ""
	}
	return false
}

// formatNum converts n to a string: integers as integers, others with
// the given format (CONVFMT or OFMT).
func formatNum(n float64, format string) string {
	if isIntegral(n) {
		return strconv.FormatInt(int64(n), 10)
	}
	if math.IsNaN(n) || math.IsInf(n, 0) {
		return infNaN(n)
	}
	if format == "%.6g" {
		return formatG(n, 6, false)
	}
	return fmtInterp.sprintf(format, []value{num(n)})
}

// isIntegral reports whether formatNum prints n as an integer.
func isIntegral(n float64) bool {
	return n == math.Trunc(n) && n > -9.2e18 && n < 9.2e18
}

func infNaN(n float64) string {
	switch {
	case math.IsNaN(n):
		if math.Signbit(n) {
			return "-nan"
		}
		return "nan"
	case n > 0:
		return "inf"
	}
	return "-inf"
}

// formatG is C's %.<prec>g.
func formatG(n float64, prec int, alt bool) string {
	if prec == 0 {
		prec = 1
	}
	s := strconv.FormatFloat(n, 'g', prec, 64)
	if alt {
		return s
	}
	return fixExp(s)
}

// fixExp makes Go's exponent at least two digits wide, as C prints it.
func fixExp(s string) string {
	i := strings.IndexAny(s, "eE")
	if i < 0 || i+2 >= len(s) {
		return s
	}
	if len(s)-(i+2) == 1 {
		return s[:i+2] + "0" + s[i+2:]
	}
	return s
}

// fmtInterp formats numbers outside of a running program; sprintf only
// reads its convfmt.
var fmtInterp = &interp{convfmt: "%.6g"}
