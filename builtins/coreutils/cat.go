package coreutils

import (
	"bufio"
	"context"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/sockerless/sockerless/builtins"
)

func init() {
	builtins.Register(
		&builtins.Command{Name: "cat", Usage: catUsage, Run: runCat},
		&builtins.Command{Name: "tac", Usage: tacUsage, Run: runTac},
		&builtins.Command{Name: "tee", Usage: teeUsage, Run: runTee},
		&builtins.Command{Name: "yes", Usage: yesUsage, Run: runYes},
	)
}

const catUsage = `Usage: cat [-nbvteAEsT] [FILE]...

Print FILEs to stdout

	-n, --number		Number output lines
	-b, --number-nonblank	Number nonempty lines
	-s, --squeeze-blank	Squeeze repeated empty lines
	-v, --show-nonprinting	Show nonprinting characters as ^x or M-x
	-t			...and tabs as ^I
	-e			...and end lines with $
	-A, --show-all		Same as -vte
	-E, --show-ends		End lines with $
	-T, --show-tabs		Show tabs as ^I`

func runCat(ctx context.Context, env *builtins.Env, args []string) int {
	fl := builtins.Flags(env, "cat")
	number := fl.BoolP("number", "n", false, "")
	nonblank := fl.BoolP("number-nonblank", "b", false, "")
	squeeze := fl.BoolP("squeeze-blank", "s", false, "")
	v := fl.BoolP("show-nonprinting", "v", false, "")
	t := fl.BoolP("t", "t", false, "")
	e := fl.BoolP("e", "e", false, "")
	all := fl.BoolP("show-all", "A", false, "")
	ends := fl.BoolP("show-ends", "E", false, "")
	tabs := fl.BoolP("show-tabs", "T", false, "")
	fl.BoolP("u", "u", false, "")
	if st, ok := builtins.ParseFlags(env, fl, args[1:]); !ok {
		return st
	}
	c := catOpts{
		number:   *number || *nonblank,
		nonblank: *nonblank,
		squeeze:  *squeeze,
		nonprint: *v || *t || *e || *all,
		ends:     *e || *all || *ends,
		tabs:     *t || *all || *tabs,
	}
	out := newOut(env)
	defer out.Flush()
	status := 0
	st := &catState{atBOL: true}
	for _, name := range files(fl.Args()) {
		r, err := openIn(env, name)
		if err != nil {
			if c.number && !c.nonprint {
				fileErr(env, "cat", name, err)
			} else {
				cantOpen(env, "cat", name, err)
			}
			status = 1
			continue
		}
		var rerr error
		switch {
		case c.nonprint || c.ends || c.tabs:
			rerr = c.catV(ctx, out, r, st)
		case c.number || c.squeeze:
			rerr = c.catLines(ctx, out, r, st)
		default:
			_, rerr = copyOut(out, ctxReader{ctx, r})
		}
		r.Close()
		if rerr != nil {
			out.Flush()
			if ctx.Err() != nil {
				return 1
			}
			readErr(env, "cat", rerr)
			status = 1
		}
	}
	if err := out.Flush(); err != nil {
		return 1
	}
	return status
}

type catOpts struct {
	number, nonblank, squeeze, nonprint, ends, tabs bool
}

type catState struct {
	line      int
	atBOL     bool
	lastBlank bool
	numBuf    []byte
}

func (s *catState) num(out *bufio.Writer, sep string) {
	s.line++
	s.numBuf = strconv.AppendInt(s.numBuf[:0], int64(s.line), 10)
	for i := len(s.numBuf); i < 6; i++ {
		out.WriteByte(' ')
	}
	out.Write(s.numBuf)
	out.WriteString(sep)
}

// catLines numbers lines the way busybox does without -v: every line,
// including an unterminated last one, is printed with a newline.
func (c *catOpts) catLines(ctx context.Context, out *bufio.Writer, r io.Reader, s *catState) error {
	lr := newLineReader(nulLines{r}, '\n')
	for n := 0; ; n++ {
		if n&1023 == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
		line, term, err := lr.next()
		if err == io.EOF {
			return nil
		}
		blank := len(line) == 0
		if c.squeeze && blank && s.lastBlank {
			continue
		}
		s.lastBlank = blank
		if c.number && !(c.nonblank && blank) {
			s.num(out, "\t")
		}
		out.Write(line)
		if c.number || term {
			out.WriteByte('\n')
		}
		if err != nil {
			return err
		}
	}
}

// catV is the character loop used by -v, -e, -t and -A.
func (c *catOpts) catV(ctx context.Context, out *bufio.Writer, r io.Reader, s *catState) error {
	br := bufio.NewReaderSize(ctxReader{ctx, r}, bufSize)
	blankRun := 0
	for {
		ch, err := br.ReadByte()
		if err != nil {
			if err == io.EOF {
				return nil
			}
			return err
		}
		if s.atBOL {
			if ch == '\n' {
				blankRun++
				if c.squeeze && blankRun > 1 {
					continue
				}
			} else {
				blankRun = 0
			}
			if c.number && !(c.nonblank && ch == '\n') {
				s.num(out, "  ")
			}
		}
		s.atBOL = ch == '\n'
		if ch == '\n' {
			if c.ends {
				out.WriteByte('$')
			}
			out.WriteByte('\n')
			continue
		}
		meta := false
		if c.nonprint && ch >= 128 {
			out.WriteString("M-")
			ch -= 128
			meta = true
		}
		switch {
		case ch == '\t' && !meta:
			if c.tabs {
				out.WriteString("^I")
			} else {
				out.WriteByte('\t')
			}
		case c.nonprint && ch < 32:
			out.WriteByte('^')
			out.WriteByte(ch | 0x40)
		case c.nonprint && ch == 127:
			out.WriteString("^?")
		default:
			out.WriteByte(ch)
		}
	}
}

const tacUsage = `Usage: tac [FILE]...

Concatenate FILEs and print them in reverse`

func runTac(ctx context.Context, env *builtins.Env, args []string) int {
	fl := builtins.Flags(env, "tac")
	if st, ok := builtins.ParseFlags(env, fl, args[1:]); !ok {
		return st
	}
	status := 0
	var data []byte
	var ends []int // end offset (exclusive) of each line
	for _, name := range files(fl.Args()) {
		r, err := openIn(env, name)
		if err != nil {
			fileErr(env, "tac", name, err)
			status = 1
			continue
		}
		b, err := io.ReadAll(ctxReader{ctx, r})
		r.Close()
		if err != nil {
			if ctx.Err() != nil {
				return 1
			}
			fileErr(env, "tac", name, err)
			status = 1
		}
		start := len(data)
		data = append(data, b...)
		for i := start; i < len(data); i++ {
			if data[i] == '\n' {
				ends = append(ends, i+1)
			}
		}
		if len(data) > start && data[len(data)-1] != '\n' {
			ends = append(ends, len(data))
		}
	}
	out := newOut(env)
	for i := len(ends) - 1; i >= 0; i-- {
		start := 0
		if i > 0 {
			start = ends[i-1]
		}
		out.Write(data[start:ends[i]])
	}
	if err := out.Flush(); err != nil {
		return 1
	}
	return status
}

const teeUsage = `Usage: tee [-ai] [FILE]...

Copy stdin to each FILE, and also to stdout

	-a, --append		Append to the given FILEs, don't overwrite
	-i, --ignore-interrupts	Ignore interrupt signals (SIGINT)`

func runTee(ctx context.Context, env *builtins.Env, args []string) int {
	fl := builtins.Flags(env, "tee")
	appendF := fl.BoolP("append", "a", false, "")
	ignore := fl.BoolP("ignore-interrupts", "i", false, "")
	if st, ok := builtins.ParseFlags(env, fl, args[1:]); !ok {
		return st
	}
	_ = *ignore // the sandbox delivers no SIGINT to builtins
	flags := os.O_WRONLY | os.O_CREATE | os.O_TRUNC
	if *appendF {
		flags = os.O_WRONLY | os.O_CREATE | os.O_APPEND
	}
	status := 0
	writers := []io.Writer{env.Stdout}
	var closers []io.Closer
	for _, name := range fl.Args() {
		if name == "-" {
			writers = append(writers, env.Stdout)
			continue
		}
		f, err := env.OpenWriter(name, flags, 0o666)
		if err != nil {
			cantOpen(env, "tee", name, err)
			status = 1
			continue
		}
		writers = append(writers, f)
		closers = append(closers, f)
	}
	buf := make([]byte, bufSize)
	failed := make([]bool, len(writers))
	in := ctxReader{ctx, env.Stdin}
	for {
		n, err := in.Read(buf)
		if n > 0 {
			for i, w := range writers {
				if failed[i] {
					continue
				}
				if _, werr := w.Write(buf[:n]); werr != nil {
					failed[i] = true
					status = 1
				}
			}
		}
		if err != nil {
			if err != io.EOF {
				if ctx.Err() == nil {
					readErr(env, "tee", err)
				}
				status = 1
			}
			break
		}
	}
	for _, f := range closers {
		if err := f.Close(); err != nil {
			status = 1
		}
	}
	return status
}

const yesUsage = `Usage: yes [STRING]...

Repeatedly print a line with STRING, or 'y'`

func runYes(ctx context.Context, env *builtins.Env, args []string) int {
	line := "y"
	if len(args) > 1 {
		line = strings.Join(args[1:], " ")
	}
	line += "\n"
	chunk := []byte(strings.Repeat(line, max(1, 8192/len(line))))
	for {
		if ctx.Err() != nil {
			return 1
		}
		if _, err := env.Stdout.Write(chunk); err != nil {
			return 1
		}
	}
}
