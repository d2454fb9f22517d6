package coreutils

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"

	"github.com/sockerless/sockerless/builtins"
)

func init() {
	builtins.Register(&builtins.Command{Name: "hexdump", Usage: hexdumpUsage, Run: runHexdump})
}

const hexdumpUsage = `Usage: hexdump [-bcdoxCv] [-n LEN] [-s OFS] [FILE]...

Display FILEs (or stdin) in a user specified format

	-b		1-byte octal display
	-c		1-byte character display
	-d		2-byte decimal display
	-o		2-byte octal display
	-x		2-byte hex display
	-C		hex+ASCII 16 bytes per line
	-v		Show all (no dup folding)
	-n LENGTH	Show only first LENGTH bytes
	-s OFFSET	Skip OFFSET bytes`

// hexdump display formats, named by their option letter; 0 is the default.
func hexdumpLine(dst []byte, kind byte, off int64, b []byte) []byte {
	switch kind {
	case 'C':
		dst = fmt.Appendf(dst, "%08x ", off)
		for i := 0; i < 16; i++ {
			if i == 8 {
				dst = append(dst, ' ')
			}
			if i < len(b) {
				dst = fmt.Appendf(dst, " %02x", b[i])
			} else {
				dst = append(dst, "   "...)
			}
		}
		dst = append(dst, "  |"...)
		for _, c := range b {
			if c < ' ' || c >= 127 {
				c = '.'
			}
			dst = append(dst, c)
		}
		return append(dst, "|\n"...)
	case 'b', 'c':
		dst = fmt.Appendf(dst, "%07x", off)
		for i := 0; i < 16; i++ {
			switch {
			case i >= len(b):
				dst = append(dst, "    "...)
			case kind == 'b':
				dst = fmt.Appendf(dst, " %03o", b[i])
			default:
				dst = fmt.Appendf(dst, " %3s", odChar(b[i]))
			}
		}
		return append(dst, '\n')
	}
	dst = fmt.Appendf(dst, "%07x", off)
	for i := 0; i < 16; i += 2 {
		if i >= len(b) {
			if kind == 0 {
				dst = append(dst, "     "...)
			} else {
				dst = append(dst, "        "...)
			}
			continue
		}
		v := uint16(b[i])
		if i+1 < len(b) {
			v |= uint16(b[i+1]) << 8
		}
		switch kind {
		case 'd':
			dst = fmt.Appendf(dst, "   %05d", v)
		case 'o':
			dst = fmt.Appendf(dst, "  %06o", v)
		case 'x':
			dst = fmt.Appendf(dst, "    %04x", v)
		default:
			dst = fmt.Appendf(dst, " %04x", v)
		}
	}
	return append(dst, '\n')
}

func runHexdump(ctx context.Context, env *builtins.Env, args []string) int {
	fl := builtins.Flags(env, "hexdump")
	var kinds []byte
	opts := map[byte]*bool{}
	for _, k := range "bcdoxC" {
		opts[byte(k)] = fl.BoolP(string(k), string(k), false, "")
	}
	verbose := fl.BoolP("no-squeezing", "v", false, "")
	lenS := fl.StringP("length", "n", "", "")
	skipS := fl.StringP("skip", "s", "", "")
	fl.Bool("canonical", false, "")
	for _, a := range args[1:] {
		if a == "--" {
			break
		}
		if len(a) > 1 && a[0] == '-' && a[1] != '-' {
			for _, c := range []byte(a[1:]) {
				if c == 'n' || c == 's' {
					break
				}
				if _, ok := opts[c]; ok {
					kinds = append(kinds, c)
				}
			}
		}
		if a == "--canonical" {
			kinds = append(kinds, 'C')
		}
	}
	if st, ok := builtins.ParseFlags(env, fl, args[1:]); !ok {
		return st
	}
	if len(kinds) == 0 {
		kinds = []byte{0}
	}
	limit := int64(-1)
	if *lenS != "" {
		n, ok := parseOffset(*lenS)
		if !ok {
			return usageErr(env, "hexdump", "invalid number '%s'", *lenS)
		}
		limit = n
	}
	var skip int64
	if *skipS != "" {
		n, ok := parseOffset(*skipS)
		if !ok {
			return usageErr(env, "hexdump", "invalid number '%s'", *skipS)
		}
		skip = n
	}
	if limit == 0 {
		return 0
	}
	if skip > 0 && (fl.NArg() == 0 || (fl.NArg() == 1 && fl.Arg(0) == "-")) {
		// busybox seeks stdin, which fails on a pipe.
		f, ok := env.Stdin.(*os.File)
		if fi, err := statFile(f, ok); err != nil || !fi.Mode().IsRegular() {
			env.Errorf("hexdump", "stdin: Illegal seek")
			return 1
		}
	}
	in, closeAll, status := openAll(env, "hexdump", fl.Args(), fileErr)
	defer closeAll()
	r := io.Reader(ctxReader{ctx, in})
	var off int64
	if skip > 0 {
		off, _ = io.CopyN(io.Discard, r, skip)
	}
	if limit >= 0 {
		r = io.LimitReader(r, limit)
	}
	out := newOut(env)
	defer out.Flush()
	block := make([]byte, 16)
	var prev []byte
	dup := false
	var line []byte
	any := false
	for {
		n, err := io.ReadFull(r, block)
		if n == 0 {
			break
		}
		any = true
		b := block[:n]
		// A short last block that matches the start of the previous one
		// also gets a "*" in busybox, but is printed anyway.
		if !*verbose && prev != nil && bytes.Equal(prev[:n], b) {
			if !dup {
				out.WriteString("*\n")
				dup = true
			}
			if n == 16 {
				off += int64(n)
				continue
			}
		}
		dup = false
		prev = append(prev[:0], b...)
		for _, k := range kinds {
			line = hexdumpLine(line[:0], k, off, b)
			out.Write(line)
		}
		off += int64(n)
		if err != nil {
			break
		}
	}
	if ctx.Err() != nil {
		return 1
	}
	if any || off > 0 {
		if kinds[len(kinds)-1] == 'C' {
			fmt.Fprintf(out, "%08x\n", off)
		} else {
			fmt.Fprintf(out, "%07x\n", off)
		}
	}
	if out.Flush() != nil {
		return 1
	}
	return status
}

func statFile(f *os.File, ok bool) (os.FileInfo, error) {
	if !ok || f == nil {
		return nil, os.ErrInvalid
	}
	return f.Stat()
}
