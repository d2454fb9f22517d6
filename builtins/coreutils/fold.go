package coreutils

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"strconv"

	"github.com/sockerless/sockerless/builtins"
)

func init() {
	builtins.Register(
		&builtins.Command{Name: "fold", Usage: foldUsage, Run: runFold},
		&builtins.Command{Name: "expand", Usage: expandUsage, Run: runExpand},
		&builtins.Command{Name: "unexpand", Usage: unexpandUsage, Run: runUnexpand},
	)
}

const foldUsage = `Usage: fold [-bs] [-w WIDTH] [FILE]...

Wrap input lines in FILEs (or stdin), writing to stdout

	-b, --bytes	Count bytes rather than columns
	-s, --spaces	Break at spaces
	-w, --width=WIDTH	Use WIDTH columns instead of 80`

func runFold(ctx context.Context, env *builtins.Env, args []string) int {
	args = legacyWidth(args)
	fl := builtins.Flags(env, "fold")
	byBytes := fl.BoolP("bytes", "b", false, "")
	spaces := fl.BoolP("spaces", "s", false, "")
	width := fl.IntP("width", "w", 80, "")
	if st, ok := builtins.ParseFlags(env, fl, args[1:]); !ok {
		return st
	}
	if *width < 1 {
		return usageErr(env, "fold", "invalid number '%d'", *width)
	}
	utf8 := unicodeOn(env)
	adjust := func(col int, c byte) int {
		switch {
		case *byBytes:
			return col + 1
		case c == '\t':
			return col + 8 - col%8
		case c == '\b':
			return max(col-1, 0)
		case c == '\r':
			return 0
		case utf8 && c&0xc0 == 0x80:
			return col
		}
		return col + 1
	}
	out := newOut(env)
	defer out.Flush()
	status := 0
	for _, name := range files(fl.Args()) {
		r, err := openIn(env, name)
		if err != nil {
			cantOpen(env, "fold", name, err)
			status = 1
			continue
		}
		br := bufio.NewReaderSize(ctxReader{ctx, r}, bufSize)
		var line []byte
		col := 0
		for {
			c, err := br.ReadByte()
			if err != nil {
				if err != io.EOF && ctx.Err() == nil {
					readErr(env, "fold", err)
					status = 1
				}
				break
			}
		rescan:
			if c == '\n' {
				out.Write(line)
				out.WriteByte('\n')
				line, col = line[:0], 0
				continue
			}
			ncol := adjust(col, c)
			if ncol <= *width || len(line) == 0 {
				line = append(line, c)
				col = ncol
				continue
			}
			if *spaces {
				end := -1
				for i := len(line) - 1; i >= 0; i-- {
					if line[i] == ' ' || line[i] == '\t' {
						end = i + 1
						break
					}
				}
				if end > 0 {
					out.Write(line[:end])
					out.WriteByte('\n')
					line = append(line[:0], line[end:]...)
					col = 0
					for _, b := range line {
						col = adjust(col, b)
					}
					goto rescan
				}
			}
			out.Write(line)
			out.WriteByte('\n')
			line, col = line[:0], 0
			goto rescan
		}
		out.Write(line)
		r.Close()
		if ctx.Err() != nil {
			return 1
		}
	}
	if out.Flush() != nil {
		return 1
	}
	return status
}

// legacyWidth turns the obsolete "-N" width form into "-w N".
func legacyWidth(args []string) []string {
	out := []string{args[0]}
	for _, a := range args[1:] {
		if legacyCount.MatchString(a) {
			out = append(out, "-w", a[1:])
			continue
		}
		out = append(out, a)
	}
	return out
}

const expandUsage = `Usage: expand [-i] [-t N] [FILE]...

Convert tabs to spaces, writing to stdout

	-i, --initial	Don't convert tabs after non blanks
	-t, --tabs=N	Tabstops every N chars`

func parseTabs(env *builtins.Env, cmd, s string) (int, bool) {
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 {
		env.Errorf(cmd, "invalid number '%s'", s)
		return 0, false
	}
	return n, true
}

func runExpand(ctx context.Context, env *builtins.Env, args []string) int {
	fl := builtins.Flags(env, "expand")
	initial := fl.BoolP("initial", "i", false, "")
	tabsS := fl.StringP("tabs", "t", "8", "")
	if st, ok := builtins.ParseFlags(env, fl, args[1:]); !ok {
		return st
	}
	tabs, ok := parseTabs(env, "expand", *tabsS)
	if !ok {
		return 1
	}
	utf8 := unicodeOn(env)
	return eachLine(ctx, env, "expand", fl.Args(), func(out *bufio.Writer, line []byte) {
		col := 0
		i := 0
		for ; i < len(line); i++ {
			c := line[i]
			if *initial && c != ' ' && c != '\t' {
				break
			}
			if c == '\t' {
				n := tabs - col%tabs
				for range n {
					out.WriteByte(' ')
				}
				col += n
				continue
			}
			out.WriteByte(c)
			if !utf8 || c&0xc0 != 0x80 {
				col++
			}
		}
		out.Write(line[i:])
	})
}

// eachLine calls fn with every line of the files, newline included.
func eachLine(ctx context.Context, env *builtins.Env, cmd string, names []string, fn func(*bufio.Writer, []byte)) int {
	out := newOut(env)
	defer out.Flush()
	status := 0
	var line []byte
	for _, name := range files(names) {
		r, err := openIn(env, name)
		if err != nil {
			cantOpen(env, cmd, name, err)
			status = 1
			continue
		}
		// busybox reads these lines with fgets-like code that also ends a
		// line at NUL and prints with fputs, so the NUL itself vanishes.
		lr := newLineReader(ctxReader{ctx, r}, '\n')
		for {
			l, term, err := lr.next()
			if err == io.EOF {
				break
			}
			for {
				k := bytes.IndexByte(l, 0)
				if k < 0 {
					break
				}
				fn(out, l[:k])
				l = l[k+1:]
			}
			line = append(line[:0], l...)
			if term {
				line = append(line, '\n')
			}
			fn(out, line)
			if err != nil {
				if ctx.Err() != nil {
					return 1
				}
				readErr(env, cmd, err)
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

const unexpandUsage = `Usage: unexpand [-fa] [-t N] [FILE]...

Convert spaces to tabs, writing to stdout

	-a, --all	Convert all blanks
	-f, --first-only	Convert only leading blanks
	-t, --tabs=N	Tabstops every N chars`

func runUnexpand(ctx context.Context, env *builtins.Env, args []string) int {
	fl := builtins.Flags(env, "unexpand")
	all := fl.BoolP("all", "a", false, "")
	fl.BoolP("first-only", "f", false, "")
	tabsS := fl.StringP("tabs", "t", "8", "")
	if st, ok := builtins.ParseFlags(env, fl, args[1:]); !ok {
		return st
	}
	tabs, ok := parseTabs(env, "unexpand", *tabsS)
	if !ok {
		return 1
	}
	if fl.Changed("tabs") && !fl.Changed("first-only") {
		*all = true
	}
	if fl.Changed("first-only") {
		*all = false
	}
	return eachLine(ctx, env, "unexpand", fl.Args(), func(out *bufio.Writer, line []byte) {
		unexpandLine(out, line, tabs, *all)
	})
}

// unexpandLine follows busybox: runs of blanks that reach a tab stop
// become tabs; without -a only the leading run is converted.
func unexpandLine(out *bufio.Writer, line []byte, tabs int, all bool) {
	p := 0
	col := 0
	for p < len(line) {
		n := 0
		for p < len(line) && line[p] == ' ' {
			p++
			n++
		}
		col += n
		if p < len(line) && line[p] == '\t' {
			col += tabs - col%tabs
			p++
			continue
		}
		if k := col / tabs; k > 0 {
			col %= tabs
			n = col
			for range k {
				out.WriteByte('\t')
			}
		}
		for range n {
			out.WriteByte(' ')
		}
		if !all && p != 0 {
			out.Write(line[p:])
			return
		}
		w := p
		for w < len(line) && line[w] != ' ' && line[w] != '\t' {
			w++
		}
		out.Write(line[p:w])
		col = (col + w - p) % tabs
		p = w
	}
}
