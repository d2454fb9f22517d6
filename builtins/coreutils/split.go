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
	builtins.Register(&builtins.Command{Name: "split", Usage: splitUsage, Run: runSplit})
}

const splitUsage = `Usage: split [OPTIONS] [INPUT [PREFIX]]

Split INPUT (or stdin) into files PREFIXaa, PREFIXab... (PREFIX defaults to x)

	-l, --lines=N		Put N lines per output file (default 1000)
	-b, --bytes=N[KMG]	Put N bytes per output file (K=1024, KB=1000…)
	-a, --suffix-length=N	Use N letters as suffix (default 2)
	-d, --numeric-suffixes	Use numeric suffixes instead of letters`

// splitSuffix returns suffix number n with the given length, or false
// when n does not fit.
func splitSuffix(n, length int, numeric bool) (string, bool) {
	base, first := 26, byte('a')
	if numeric {
		base, first = 10, '0'
	}
	b := make([]byte, length)
	for i := length - 1; i >= 0; i-- {
		b[i] = first + byte(n%base)
		n /= base
	}
	return string(b), n == 0
}

func runSplit(ctx context.Context, env *builtins.Env, args []string) int {
	fl := builtins.Flags(env, "split")
	linesS := fl.StringP("lines", "l", "", "")
	bytesS := fl.StringP("bytes", "b", "", "")
	suffixLen := fl.IntP("suffix-length", "a", 2, "")
	numeric := fl.BoolP("numeric-suffixes", "d", false, "")
	if st, ok := builtins.ParseFlags(env, fl, args[1:]); !ok {
		return st
	}
	ops := fl.Args()
	if len(ops) > 2 {
		return usageErr(env, "split", "extra operand '%s'", ops[2])
	}
	if *suffixLen < 1 {
		return usageErr(env, "split", "invalid suffix length '%d'", *suffixLen)
	}
	byLines := true
	count := int64(1000)
	if *linesS != "" {
		n, err := strconv.ParseInt(*linesS, 10, 64)
		if err != nil || n < 1 {
			return usageErr(env, "split", "invalid number of lines: '%s'", *linesS)
		}
		count = n
	}
	if *bytesS != "" {
		n, ok := parseSize(*bytesS)
		if !ok || n < 1 {
			return usageErr(env, "split", "invalid number of bytes: '%s'", *bytesS)
		}
		count, byLines = n, false
	}
	name, prefix := "-", "x"
	if len(ops) > 0 {
		name = ops[0]
	}
	if len(ops) > 1 {
		prefix = ops[1]
	}
	r, err := openIn(env, name)
	if err != nil {
		cantOpen(env, "split", name, err)
		return 1
	}
	defer r.Close()
	br := bufio.NewReaderSize(ctxReader{ctx, r}, bufSize)

	fileNo := 0
	var cur *os.File
	var w *bufio.Writer
	var left int64 // lines or bytes still to put in cur
	closeCur := func() error {
		if cur == nil {
			return nil
		}
		err := w.Flush()
		if cerr := cur.Close(); err == nil {
			err = cerr
		}
		cur = nil
		return err
	}
	next := func() bool {
		if err := closeCur(); err != nil {
			env.Errorf("split", "%s", errText(err))
			return false
		}
		suf, ok := splitSuffix(fileNo, *suffixLen, *numeric)
		if !ok {
			env.Errorf("split", "output file suffixes exhausted")
			return false
		}
		fileNo++
		f, err := os.Create(env.Abs(prefix + suf))
		if err != nil {
			cantOpen(env, "split", prefix+suf, err)
			return false
		}
		cur, w, left = f, bufio.NewWriterSize(f, bufSize), count
		return true
	}
	buf := make([]byte, bufSize)
	for {
		n, rerr := br.Read(buf)
		chunk := buf[:n]
		for len(chunk) > 0 {
			if cur == nil || left == 0 {
				if !next() {
					return 1
				}
			}
			var take int
			if byLines {
				take = len(chunk)
				rest := chunk
				for left > 0 {
					i := bytes.IndexByte(rest, '\n')
					if i < 0 {
						break
					}
					left--
					rest = rest[i+1:]
				}
				if left == 0 {
					take = len(chunk) - len(rest)
				}
			} else {
				take = int(min(int64(len(chunk)), left))
				left -= int64(take)
			}
			w.Write(chunk[:take])
			chunk = chunk[take:]
		}
		if rerr != nil {
			if rerr != io.EOF {
				if ctx.Err() == nil {
					readErr(env, "split", rerr)
				}
				closeCur()
				return 1
			}
			break
		}
	}
	if err := closeCur(); err != nil {
		env.Errorf("split", "%s", errText(err))
		return 1
	}
	return 0
}
