package coreutils

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/sockerless/sockerless/builtins"
)

func init() {
	builtins.Register(&builtins.Command{Name: "cut", Usage: cutUsage, Run: runCut})
}

const cutUsage = `Usage: cut [OPTIONS] [FILE]...

Print selected fields from FILEs to stdout

	-b, --bytes=LIST	Output only bytes from LIST
	-c, --characters=LIST	Output only characters from LIST
	-d, --delimiter=SEP	Field delimiter for input (default TAB)
	-O, --output-delimiter=SEP	Field delimiter for output (default = -d)
	-f, --fields=LIST	Print only these fields
	-s, --only-delimited	Output only lines containing delimiter
	-z, --zero-terminated	Lines end with NUL
	-n			Ignored

LIST is comma separated N, N-, N-M or -M (1-based).`

// cutRange is an inclusive 1-based range.
type cutRange struct{ lo, hi int }

// parseCutList parses "1,3-5,7-" into sorted, merged ranges.
func parseCutList(s string) ([]cutRange, error) {
	var rs []cutRange
	for _, part := range strings.Split(s, ",") {
		if part == "" {
			return nil, fmt.Errorf("invalid byte or field list")
		}
		lo, hi := 1, math.MaxInt
		a, b, isRange := strings.Cut(part, "-")
		var err error
		if !isRange {
			if lo, err = strconv.Atoi(a); err != nil || lo < 1 {
				return nil, cutListErr(err, lo)
			}
			hi = lo
		} else {
			if a == "" && b == "" {
				return nil, fmt.Errorf("invalid byte or field list")
			}
			if a != "" {
				if lo, err = strconv.Atoi(a); err != nil || lo < 1 {
					return nil, cutListErr(err, lo)
				}
			}
			if b != "" {
				if hi, err = strconv.Atoi(b); err != nil || hi < 1 {
					return nil, cutListErr(err, hi)
				}
			}
			if hi < lo {
				return nil, fmt.Errorf("invalid decreasing range")
			}
		}
		rs = append(rs, cutRange{lo, hi})
	}
	slices.SortStableFunc(rs, func(x, y cutRange) int { return x.lo - y.lo })
	return rs, nil
}

// mergeRanges merges overlapping or adjacent sorted ranges.
func mergeRanges(rs []cutRange) []cutRange {
	merged := []cutRange{rs[0]}
	for _, r := range rs[1:] {
		last := &merged[len(merged)-1]
		if r.lo <= last.hi || (last.hi != math.MaxInt && r.lo == last.hi+1) {
			last.hi = max(last.hi, r.hi)
			continue
		}
		merged = append(merged, r)
	}
	return merged
}

func cutListErr(err error, n int) error {
	if err == nil && n < 1 {
		return fmt.Errorf("fields and positions are numbered from 1")
	}
	return fmt.Errorf("invalid byte or field list")
}

func runCut(ctx context.Context, env *builtins.Env, args []string) int {
	fl := builtins.Flags(env, "cut")
	bytesL := fl.StringP("bytes", "b", "", "")
	charsL := fl.StringP("characters", "c", "", "")
	fieldsL := fl.StringP("fields", "f", "", "")
	delim := fl.StringP("delimiter", "d", "\t", "")
	odelim := fl.StringP("output-delimiter", "O", "", "")
	only := fl.BoolP("only-delimited", "s", false, "")
	zero := fl.BoolP("zero-terminated", "z", false, "")
	fl.BoolP("n", "n", false, "")
	if st, ok := builtins.ParseFlags(env, fl, args[1:]); !ok {
		return st
	}
	var list string
	mode := 0
	for i, name := range []string{"bytes", "characters", "fields"} {
		if fl.Changed(name) {
			if mode != 0 {
				return usageErr(env, "cut", "only one type of list may be specified")
			}
			mode = i + 1
			list = []string{*bytesL, *charsL, *fieldsL}[i]
		}
	}
	if mode == 0 {
		return usageErr(env, "cut", "expected a list of bytes, characters, or fields")
	}
	ranges, err := parseCutList(list)
	if err != nil {
		return usageErr(env, "cut", "%s", err)
	}
	merged := mergeRanges(ranges)
	if len(*delim) != 1 {
		return usageErr(env, "cut", "the delimiter must be a single character")
	}
	if mode != 3 && fl.Changed("delimiter") {
		return usageErr(env, "cut", "an input delimiter may be specified only when operating on fields")
	}
	d := (*delim)[0]
	od := []byte(*delim)
	if fl.Changed("output-delimiter") {
		od = []byte(*odelim)
	}
	eol := byte('\n')
	if *zero {
		eol = 0
	}
	out := newOut(env)
	defer out.Flush()
	status := 0
	for _, name := range files(fl.Args()) {
		r, err := openIn(env, name)
		if err != nil {
			fileErr(env, "cut", name, err)
			status = 1
			continue
		}
		var lin io.Reader = r
		if eol == '\n' {
			lin = nulLines{r}
		}
		lr := newLineReader(ctxReader{ctx, lin}, eol)
		for {
			line, _, err := lr.next()
			if err == io.EOF {
				break
			}
			if mode == 3 {
				cutFields(out, line, ranges, d, od, *only, eol)
			} else {
				cutBytes(out, line, merged, od, fl.Changed("output-delimiter"))
				out.WriteByte(eol)
			}
			if err != nil {
				if ctx.Err() != nil {
					return 1
				}
				readErr(env, "cut", err)
				status = 1
				break
			}
		}
		r.Close()
	}
	if out.Flush() != nil {
		return 1
	}
	return status
}

func cutBytes(out *bufio.Writer, line []byte, ranges []cutRange, od []byte, withOD bool) {
	first := true
	for _, r := range ranges {
		if r.lo > len(line) {
			break
		}
		if !first && withOD {
			out.Write(od)
		}
		first = false
		out.Write(line[r.lo-1 : min(r.hi, len(line))])
	}
}

// cutFields follows busybox 1.35's field loop: ranges are sorted but not
// merged, and every range reached prints one (possibly empty) chunk, so
// "-f1,5" on "a:b:c" prints "a:".
func cutFields(out *bufio.Writer, line []byte, ranges []cutRange, d byte, od []byte, only bool, eol byte) {
	n := len(line)
	uu, start, end, dcount, cl, printed := 0, 0, 0, 0, 0, 0
	lo := func() int { return ranges[cl].lo - 1 }
	hi := func() int {
		if ranges[cl].hi == math.MaxInt {
			return math.MaxInt
		}
		return ranges[cl].hi - 1
	}
loop:
	for {
		if end == n || dcount > hi() {
			cl++
			if cl >= len(ranges) {
				break loop
			}
			end = 0
		}
		if uu == n {
			if cl == 0 && dcount == 0 {
				if only {
					return
				}
			} else if dcount < lo() {
				start = n
			}
			end = n
		} else {
			if line[uu] != d {
				// busybox steps one byte per loop turn and may move to
				// the next range on each turn; skip the run at once but
				// replay those range checks.
				m := bytes.IndexByte(line[uu:], d)
				if m < 0 {
					m = n - uu
				}
				uu += m
				for k := 1; k < m && (end == n || dcount > hi()); k++ {
					cl++
					if cl >= len(ranges) {
						break loop
					}
					end = 0
				}
				continue
			}
			if dcount < lo() {
				dcount++
				uu++
				start = uu
				continue
			}
			dcount++
			end = uu
			uu++
		}
		if printed > 0 {
			out.Write(od)
		}
		printed++
		out.Write(line[start:end])
		start = uu
		if dcount == 0 {
			break
		}
	}
	out.WriteByte(eol)
}
