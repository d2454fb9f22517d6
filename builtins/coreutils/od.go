package coreutils

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"

	"github.com/sockerless/sockerless/builtins"
)

func init() {
	builtins.Register(&builtins.Command{Name: "od", Usage: odUsage, Run: runOd})
}

const odUsage = `Usage: od [-abcdhiloxsv] [-t TYPE] [-A RADIX] [-N SIZE] [-j SKIP] [-w WIDTH] [FILE]...

Print FILEs (or stdin) unambiguously, as octal bytes by default

	-A, --address-radix=RADIX	Offsets in d(ecimal), o(ctal), x (hex) or n(one)
	-t, --format=TYPE	a, c, d[SIZE], o[SIZE], u[SIZE], x[SIZE] (SIZE 1 2 4 8 C S I L)
	-a	Same as -t a	-b	Same as -t o1
	-c	Same as -t c	-d	Same as -t u2
	-o	Same as -t o2	-x, -h	Same as -t x2
	-s, -i	Same as -t d2	-l	Same as -t d4
	-N, --read-bytes=SIZE	Read at most SIZE bytes
	-j, --skip-bytes=SKIP	Skip SKIP bytes first
	-w, --width[=N]		Bytes per line (default 16, 32 without N)
	-v, --output-duplicates	Don't replace repeated lines with *`

// odFormat is one output type: kind a c d o u x and byte size.
type odFormat struct {
	kind byte
	size int
}

var odNames = [...]string{
	"nul", "soh", "stx", "etx", "eot", "enq", "ack", "bel", "bs", "ht", "nl", "vt", "ff", "cr", "so", "si",
	"dle", "dc1", "dc2", "dc3", "dc4", "nak", "syn", "etb", "can", "em", "sub", "esc", "fs", "gs", "rs", "us", "sp",
}

// parseOdType parses a -t argument, which may hold several types ("x1c").
func parseOdType(s string) ([]odFormat, error) {
	var fs []odFormat
	orig := s
	for s != "" {
		k := s[0]
		s = s[1:]
		switch k {
		case 'a', 'c':
			fs = append(fs, odFormat{k, 1})
			continue
		case 'd', 'o', 'u', 'x':
		default:
			return nil, fmt.Errorf("invalid character '%c' in type string '%s'", k, orig)
		}
		size := 4
		if s != "" {
			switch s[0] {
			case 'C':
				size, s = 1, s[1:]
			case 'S':
				size, s = 2, s[1:]
			case 'I':
				size, s = 4, s[1:]
			case 'L':
				size, s = 8, s[1:]
			default:
				i := 0
				for i < len(s) && s[i] >= '0' && s[i] <= '9' {
					i++
				}
				if i > 0 {
					n, _ := strconv.Atoi(s[:i])
					if n != 1 && n != 2 && n != 4 && n != 8 {
						return nil, fmt.Errorf("invalid type string '%s'; %d-byte integral type is not supported", orig, n)
					}
					size, s = n, s[i:]
				}
			}
		}
		fs = append(fs, odFormat{k, size})
	}
	return fs, nil
}

// field formats one value of format f from b (len(b) == f.size).
func (f odFormat) field(dst []byte, b []byte) []byte {
	switch f.kind {
	case 'a':
		c := b[0] & 0x7f
		var s string
		switch {
		case c <= ' ':
			s = odNames[c]
		case c == 127:
			s = "del"
		default:
			s = string(rune(c))
		}
		return fmt.Appendf(dst, " %3s", s)
	case 'c':
		return fmt.Appendf(dst, " %3s", odChar(b[0]))
	}
	var u uint64
	switch f.size {
	case 1:
		u = uint64(b[0])
	case 2:
		u = uint64(binary.LittleEndian.Uint16(b))
	case 4:
		u = uint64(binary.LittleEndian.Uint32(b))
	case 8:
		u = binary.LittleEndian.Uint64(b)
	}
	w := odWidth(f)
	switch f.kind {
	case 'd':
		var v int64
		switch f.size {
		case 1:
			v = int64(int8(u))
		case 2:
			v = int64(int16(u))
		case 4:
			v = int64(int32(u))
		default:
			v = int64(u)
		}
		return fmt.Appendf(dst, " %*d", w, v)
	case 'u':
		return fmt.Appendf(dst, " %*d", w, u)
	case 'o':
		return fmt.Appendf(dst, " %0*o", w, u)
	default:
		return fmt.Appendf(dst, " %0*x", w, u)
	}
}

func odWidth(f odFormat) int {
	i := map[int]int{1: 0, 2: 1, 4: 2, 8: 3}[f.size]
	switch f.kind {
	case 'd':
		return [4]int{4, 6, 11, 20}[i]
	case 'u':
		return [4]int{3, 5, 10, 20}[i]
	case 'o':
		return [4]int{3, 6, 11, 22}[i]
	case 'x':
		return [4]int{2, 4, 8, 16}[i]
	}
	return 3
}

// odChar is how od -c and hexdump -c show a byte.
func odChar(c byte) string {
	switch c {
	case 0:
		return `\0`
	case '\a':
		return `\a`
	case '\b':
		return `\b`
	case '\f':
		return `\f`
	case '\n':
		return `\n`
	case '\r':
		return `\r`
	case '\t':
		return `\t`
	case '\v':
		return `\v`
	}
	if c >= ' ' && c < 127 {
		return string(rune(c))
	}
	return fmt.Sprintf("%03o", c)
}

// parseOffset parses sizes like 10, 0x10, 010, 2k, 1b, 1m.
func parseOffset(s string) (int64, bool) {
	mult := int64(1)
	switch {
	case strings.HasSuffix(s, "b") && !strings.HasPrefix(s, "0x"):
		mult, s = 512, s[:len(s)-1]
	case strings.HasSuffix(s, "k") || strings.HasSuffix(s, "K"):
		mult, s = 1024, s[:len(s)-1]
	case strings.HasSuffix(s, "m") || strings.HasSuffix(s, "M"):
		mult, s = 1024*1024, s[:len(s)-1]
	}
	n, err := strconv.ParseInt(s, 0, 64)
	if err != nil || n < 0 {
		return 0, false
	}
	return n * mult, true
}

// multiReader concatenates the inputs, reporting open failures.
func openAll(env *builtins.Env, cmd string, names []string, style func(*builtins.Env, string, string, error)) (io.Reader, func(), int) {
	var rs []io.Reader
	var cs []io.Closer
	status := 0
	for _, name := range files(names) {
		r, err := openIn(env, name)
		if err != nil {
			style(env, cmd, name, err)
			status = 1
			continue
		}
		rs = append(rs, r)
		cs = append(cs, r)
	}
	return io.MultiReader(rs...), func() {
		for _, c := range cs {
			c.Close()
		}
	}, status
}

var odWidthArg = regexp.MustCompile(`^-w([0-9]+)$`)

func runOd(ctx context.Context, env *builtins.Env, args []string) int {
	args = append([]string(nil), args...)
	for i, a := range args {
		if m := odWidthArg.FindStringSubmatch(a); m != nil {
			args[i] = "--width=" + m[1]
		}
	}
	fl := builtins.Flags(env, "od")
	radix := fl.StringP("address-radix", "A", "o", "")
	types := fl.StringArrayP("format", "t", nil, "")
	limitS := fl.StringP("read-bytes", "N", "", "")
	skipS := fl.StringP("skip-bytes", "j", "", "")
	widthS := fl.StringP("width", "w", "16", "")
	fl.Lookup("width").NoOptDefVal = "32"
	verbose := fl.BoolP("output-duplicates", "v", false, "")
	short := map[string]string{"a": "a", "b": "o1", "c": "c", "d": "u2", "o": "o2", "x": "x2", "h": "x2", "s": "d2", "i": "d2", "l": "d4"}
	shortSet := map[string]*bool{}
	for k := range short {
		shortSet[k] = fl.BoolP(k, k, false, "")
	}
	// Keep the order in which type options were given.
	var order []string
	for _, a := range args[1:] {
		if a == "--" {
			break
		}
		if len(a) > 1 && a[0] == '-' && a[1] != '-' {
			for _, c := range a[1:] {
				if _, ok := short[string(c)]; ok {
					order = append(order, short[string(c)])
				} else if strings.ContainsRune("tANjw", c) {
					break
				}
			}
		}
	}
	if st, ok := builtins.ParseFlags(env, fl, args[1:]); !ok {
		return st
	}
	var fmts []odFormat
	for _, t := range order {
		f, _ := parseOdType(t)
		fmts = append(fmts, f...)
	}
	for _, t := range *types {
		f, err := parseOdType(t)
		if err != nil {
			return usageErr(env, "od", "%s", err)
		}
		fmts = append(fmts, f...)
	}
	if len(fmts) == 0 {
		fmts = []odFormat{{'o', 2}}
	}
	var addr string
	switch *radix {
	case "o":
		addr = "%07o"
	case "d":
		addr = "%07d"
	case "x":
		addr = "%06x"
	case "n":
	default:
		return usageErr(env, "od", "bad -A argument '%s'", *radix)
	}
	width, err := strconv.Atoi(*widthS)
	if err != nil || width < 1 {
		return usageErr(env, "od", "invalid number '%s'", *widthS)
	}
	limit := int64(-1)
	if *limitS != "" {
		n, ok := parseOffset(*limitS)
		if !ok {
			return usageErr(env, "od", "invalid number '%s'", *limitS)
		}
		limit = n
	}
	var skip int64
	if *skipS != "" {
		n, ok := parseOffset(*skipS)
		if !ok {
			return usageErr(env, "od", "invalid number '%s'", *skipS)
		}
		skip = n
	}
	// busybox falls back to one element per line when the width is not
	// a multiple of the largest element size.
	maxSize := 1
	for _, f := range fmts {
		maxSize = max(maxSize, f.size)
	}
	if width%maxSize != 0 {
		width = maxSize
	}
	in, closeAll, status := openAll(env, "od", fl.Args(), fileErr)
	defer closeAll()
	r := io.Reader(ctxReader{ctx, in})
	if skip > 0 {
		n, _ := io.CopyN(io.Discard, r, skip)
		if n < skip {
			env.Errorf("od", "can't skip past end of combined input")
			return 1
		}
	}
	if limit >= 0 {
		r = io.LimitReader(r, limit)
	}
	out := newOut(env)
	defer out.Flush()
	block := make([]byte, width)
	var prev []byte
	dup := false
	off := skip
	var line []byte
	pad := ""
	if addr != "" {
		pad = strings.Repeat(" ", len(fmt.Sprintf(addr, 0)))
	}
	for {
		n, err := io.ReadFull(r, block)
		if n == 0 {
			if err != nil && err != io.EOF && err != io.ErrUnexpectedEOF && ctx.Err() != nil {
				return 1
			}
			break
		}
		b := block[:n]
		if !*verbose && n == width && prev != nil && bytes.Equal(prev, b) {
			if !dup {
				out.WriteString("*\n")
				dup = true
			}
			off += int64(n)
			continue
		}
		dup = false
		prev = append(prev[:0], b...)
		for i, f := range fmts {
			line = line[:0]
			if addr != "" {
				if i == 0 {
					line = fmt.Appendf(line, addr, off)
				} else {
					line = append(line, pad...)
				}
			}
			for j := 0; j < n; j += f.size {
				chunk := b[j:min(j+f.size, n)]
				if len(chunk) < f.size {
					tmp := make([]byte, f.size)
					copy(tmp, chunk)
					chunk = tmp
				}
				line = f.field(line, chunk)
			}
			line = append(line, '\n')
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
	if addr != "" {
		fmt.Fprintf(out, addr+"\n", off)
	}
	if out.Flush() != nil {
		return 1
	}
	return status
}
