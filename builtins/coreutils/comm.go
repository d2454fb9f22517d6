package coreutils

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"strconv"

	"github.com/sockerless/sockerless/builtins"
)

func init() {
	builtins.Register(
		&builtins.Command{Name: "comm", Usage: commUsage, Run: runComm},
		&builtins.Command{Name: "cmp", Usage: cmpUsage, Run: runCmp},
	)
}

const commUsage = `Usage: comm [-123] FILE1 FILE2

Compare FILE1 with FILE2 (both sorted): column 1 holds lines only in
FILE1, column 2 lines only in FILE2, column 3 lines in both.

	-1	Suppress first column (lines unique to FILE1)
	-2	Suppress second column (lines unique to FILE2)
	-3	Suppress third column (lines common to both files)`

func runComm(ctx context.Context, env *builtins.Env, args []string) int {
	fl := builtins.Flags(env, "comm")
	var hide [4]*bool
	hide[1] = fl.BoolP("1", "1", false, "")
	hide[2] = fl.BoolP("2", "2", false, "")
	hide[3] = fl.BoolP("3", "3", false, "")
	if st, ok := builtins.ParseFlags(env, fl, args[1:]); !ok {
		return st
	}
	if fl.NArg() != 2 {
		return usageErr(env, "comm", "need two files")
	}
	var lr [2]*lineReader
	for i, name := range fl.Args() {
		r, err := openIn(env, name)
		if err != nil {
			fileErr(env, "comm", name, err)
			return 1
		}
		defer r.Close()
		lr[i] = newLineReader(ctxReader{ctx, r}, '\n')
	}
	out := newOut(env)
	defer out.Flush()
	emit := func(col int, line []byte) {
		if *hide[col] {
			return
		}
		for c := 1; c < col; c++ {
			if !*hide[c] {
				out.WriteByte('\t')
			}
		}
		out.Write(line)
		out.WriteByte('\n')
	}
	next := func(i int) ([]byte, bool) {
		l, _, err := lr[i].next()
		if err == io.EOF || (err != nil && l == nil) {
			return nil, false
		}
		return append([]byte(nil), l...), true
	}
	a, okA := next(0)
	b, okB := next(1)
	for okA || okB {
		switch {
		case !okB || (okA && bytes.Compare(a, b) < 0):
			emit(1, a)
			a, okA = next(0)
		case !okA || bytes.Compare(a, b) > 0:
			emit(2, b)
			b, okB = next(1)
		default:
			emit(3, a)
			a, okA = next(0)
			b, okB = next(1)
		}
	}
	if ctx.Err() != nil || out.Flush() != nil {
		return 1
	}
	return 0
}

const cmpUsage = `Usage: cmp [-ls] [-n NUM] FILE1 [FILE2 [SKIP1 [SKIP2]]]

Compare FILE1 with FILE2 (or stdin)

	-l, --verbose	Write the byte numbers (decimal) and values (octal)
			for all differing bytes
	-s, --quiet, --silent	Quiet
	-n, --bytes=NUM	Compare at most NUM bytes`

func runCmp(ctx context.Context, env *builtins.Env, args []string) int {
	fl := builtins.Flags(env, "cmp")
	verbose := fl.BoolP("verbose", "l", false, "")
	quiet := fl.BoolP("quiet", "s", false, "")
	fl.BoolVar(quiet, "silent", false, "")
	limitS := fl.StringP("bytes", "n", "", "")
	if st, ok := builtins.ParseFlags(env, fl, args[1:]); !ok {
		return st
	}
	if *verbose && *quiet {
		return usageErr(env, "cmp", "-l and -s are mutually exclusive")
	}
	ops := fl.Args()
	if len(ops) < 1 || len(ops) > 4 {
		env.Errorf("cmp", "bad number of arguments")
		return 2
	}
	limit := int64(-1)
	if *limitS != "" {
		n, err := strconv.ParseInt(*limitS, 10, 64)
		if err != nil || n < 0 {
			env.Errorf("cmp", "invalid number '%s'", *limitS)
			return 1
		}
		limit = n
	}
	names := []string{ops[0], "-"}
	if len(ops) > 1 {
		names[1] = ops[1]
	}
	var skip [2]int64
	for i := 2; i < len(ops); i++ {
		n, ok := parseSize(ops[i])
		if !ok {
			env.Errorf("cmp", "invalid number '%s'", ops[i])
			return 1
		}
		skip[i-2] = n
	}
	var br [2]*bufio.Reader
	for i, name := range names {
		r, err := openIn(env, name)
		if err != nil {
			if !*quiet {
				fileErr(env, "cmp", name, err)
			}
			return 2
		}
		defer r.Close()
		br[i] = bufio.NewReaderSize(ctxReader{ctx, r}, bufSize)
		if _, err := io.CopyN(io.Discard, br[i], skip[i]); err != nil && err != io.EOF {
			return 2
		}
	}
	out := newOut(env)
	defer out.Flush()
	var pos int64 = 0
	line := int64(1)
	status := 0
	for limit < 0 || pos < limit {
		c1, e1 := br[0].ReadByte()
		c2, e2 := br[1].ReadByte()
		if e1 != nil || e2 != nil {
			if ctx.Err() != nil {
				return 2
			}
			if e1 != nil && e2 != nil {
				break
			}
			if !*quiet {
				out.Flush()
				name := names[0]
				if e2 != nil {
					name = names[1]
				}
				env.Errorf("cmp", "EOF on %s", name)
			}
			status = 1
			break
		}
		pos++
		if c1 != c2 {
			status = 1
			if *quiet {
				break
			}
			if !*verbose {
				fmt.Fprintf(out, "%s %s differ: char %d, line %d\n", names[0], names[1], pos, line)
				if limit < 0 {
					break // busybox goes on reporting every difference with -n
				}
			} else {
				fmt.Fprintf(out, "%d %3o %3o\n", pos, c1, c2)
			}
		}
		if c1 == '\n' && c2 == '\n' {
			line++ // busybox counts lines only where both files have one
		}
	}
	if out.Flush() != nil {
		return 2
	}
	return status
}
