package coreutils

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"os"
	"strconv"

	"github.com/sockerless/sockerless/builtins"
)

func init() {
	builtins.Register(&builtins.Command{Name: "uniq", Usage: uniqUsage, Run: runUniq})
}

const uniqUsage = `Usage: uniq [-cdDuiz] [-f,s,w N] [FILE [OUTFILE]]

Discard duplicate lines

	-c, --count		Prefix lines by the number of occurrences
	-d, --repeated		Only print duplicate lines
	-D, --all-repeated	Print all duplicate lines
	-u, --unique		Only print unique lines
	-i, --ignore-case	Ignore case
	-z, --zero-terminated	NUL terminated output
	-f, --skip-fields=N	Skip first N fields
	-s, --skip-chars=N	Skip first N chars (after any skipped fields)
	-w, --check-chars=N	Compare N characters in line`

func runUniq(ctx context.Context, env *builtins.Env, args []string) int {
	fl := builtins.Flags(env, "uniq")
	count := fl.BoolP("count", "c", false, "")
	dupOnly := fl.BoolP("repeated", "d", false, "")
	allDup := fl.BoolP("all-repeated", "D", false, "")
	uniqOnly := fl.BoolP("unique", "u", false, "")
	icase := fl.BoolP("ignore-case", "i", false, "")
	zero := fl.BoolP("zero-terminated", "z", false, "")
	skipF := fl.IntP("skip-fields", "f", 0, "")
	skipC := fl.IntP("skip-chars", "s", 0, "")
	width := fl.IntP("check-chars", "w", -1, "")
	if st, ok := builtins.ParseFlags(env, fl, args[1:]); !ok {
		return st
	}
	ops := fl.Args()
	if len(ops) > 2 {
		return usageErr(env, "uniq", "extra operand '%s'", ops[2])
	}
	in := io.Reader(env.Stdin)
	if len(ops) > 0 && ops[0] != "-" {
		f, err := env.Open(ops[0])
		if err != nil {
			cantOpen(env, "uniq", ops[0], err)
			return 1
		}
		defer f.Close()
		in = f
	}
	var w io.Writer = env.Stdout
	if len(ops) > 1 && ops[1] != "-" {
		f, err := os.Create(env.Abs(ops[1]))
		if err != nil {
			cantOpen(env, "uniq", ops[1], err)
			return 1
		}
		defer f.Close()
		w = f
	}
	eol := byte('\n')
	if *zero {
		eol = 0
	}
	out := bufio.NewWriterSize(w, bufSize)
	key := func(line []byte) []byte {
		p := line
		for i := 0; i < *skipF; i++ {
			for len(p) > 0 && isSpace(p[0]) {
				p = p[1:]
			}
			for len(p) > 0 && !isSpace(p[0]) {
				p = p[1:]
			}
		}
		p = p[min(*skipC, len(p)):]
		if *width >= 0 && len(p) > *width {
			p = p[:*width]
		}
		return p
	}
	equal := func(a, b []byte) bool {
		if *icase {
			return bytes.EqualFold(a, b)
		}
		return bytes.Equal(a, b)
	}
	var prev []byte
	var group [][]byte // lines of the current group, for -D
	n := 0
	var numBuf []byte
	flush := func() {
		if n == 0 {
			return
		}
		if *allDup {
			if n > 1 {
				for _, l := range group {
					out.Write(l)
					out.WriteByte(eol)
				}
			}
			return
		}
		if (*dupOnly && n == 1) || (*uniqOnly && n > 1) {
			return
		}
		if *count {
			numBuf = strconv.AppendInt(numBuf[:0], int64(n), 10)
			for i := len(numBuf); i < 7; i++ {
				out.WriteByte(' ')
			}
			out.Write(numBuf)
			out.WriteByte(' ')
		}
		out.Write(prev)
		out.WriteByte(eol)
	}
	if eol == '\n' {
		in = nulLines{in}
	}
	lr := newLineReader(ctxReader{ctx, in}, eol)
	for {
		line, _, err := lr.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			if ctx.Err() != nil {
				return 1
			}
			readErr(env, "uniq", err)
			return 1
		}
		if n > 0 && equal(key(prev), key(line)) {
			n++
			if *allDup {
				group = append(group, append([]byte(nil), line...))
			}
			continue
		}
		flush()
		prev = append(prev[:0], line...)
		n = 1
		if *allDup {
			group = append(group[:0], append([]byte(nil), line...))
		}
	}
	flush()
	if out.Flush() != nil {
		return 1
	}
	return 0
}
