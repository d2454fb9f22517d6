package coreutils

import (
	"bytes"
	"context"
	"io"
	"os"
	"strconv"

	"github.com/sockerless/sockerless/builtins"
)

func init() {
	builtins.Register(&builtins.Command{Name: "wc", Usage: wcUsage, Run: runWc})
}

const wcUsage = `Usage: wc [-cmlwL] [FILE]...

Count lines, words, and bytes for FILEs (or stdin)

	-c, --bytes		Count bytes
	-m, --chars		Count characters
	-l, --lines		Count newlines
	-w, --words		Count words
	-L, --max-line-length	Print longest line length`

// Column order, as busybox prints them.
const (
	wcLines = iota
	wcWords
	wcChars
	wcBytes
	wcLength
	wcN
)

func runWc(ctx context.Context, env *builtins.Env, args []string) int {
	fl := builtins.Flags(env, "wc")
	var sel [wcN]*bool
	sel[wcBytes] = fl.BoolP("bytes", "c", false, "")
	sel[wcChars] = fl.BoolP("chars", "m", false, "")
	sel[wcLines] = fl.BoolP("lines", "l", false, "")
	sel[wcWords] = fl.BoolP("words", "w", false, "")
	sel[wcLength] = fl.BoolP("max-line-length", "L", false, "")
	if st, ok := builtins.ParseFlags(env, fl, args[1:]); !ok {
		return st
	}
	var show [wcN]bool
	nshow := 0
	for i, p := range sel {
		show[i] = *p
		if *p {
			nshow++
		}
	}
	if nshow == 0 {
		show[wcLines], show[wcWords], show[wcBytes] = true, true, true
		nshow = 3
	}
	names := fl.Args()
	onlyStdin := len(names) == 0
	if onlyStdin {
		names = []string{"-"}
	}
	firstFmt := 9
	if nshow == 1 && len(names) == 1 {
		firstFmt = 0
	}
	out := newOut(env)
	defer out.Flush()
	var total [wcN]int64
	status := 0
	var line []byte
	print := func(c *[wcN]int64, name string, withName bool) {
		line = line[:0]
		first := true
		for i := 0; i < wcN; i++ {
			if !show[i] {
				continue
			}
			w := 9
			if first {
				w = firstFmt
			} else {
				line = append(line, ' ')
			}
			first = false
			s := strconv.FormatInt(c[i], 10)
			for j := len(s); j < w; j++ {
				line = append(line, ' ')
			}
			line = append(line, s...)
		}
		if withName {
			line = append(line, ' ')
			line = append(line, name...)
		}
		line = append(line, '\n')
		out.Write(line)
	}
	for _, name := range names {
		r, err := openIn(env, name)
		if err != nil {
			fileErr(env, "wc", name, err)
			status = 1
			continue
		}
		var c [wcN]int64
		err = wcCount(ctx, r, &c, show, unicodeOn(env))
		r.Close()
		if err != nil {
			if ctx.Err() != nil {
				return 1
			}
			fileErr(env, "wc", name, err)
			status = 1
		}
		for i := range c {
			if i != wcLength {
				total[i] += c[i]
			}
		}
		if c[wcLength] > total[wcLength] {
			total[wcLength] = c[wcLength]
		}
		print(&c, name, !onlyStdin)
	}
	if len(names) > 1 {
		print(&total, "total", true)
	}
	if out.Flush() != nil {
		return 1
	}
	return status
}

// wcClass classifies bytes the way busybox's wc loop does.
var wcClass = func() (t [256]byte) {
	for c := 0; c < 256; c++ {
		switch {
		case c == ' ':
			t[c] = wcSpace
		case c > ' ' && c < 127:
			t[c] = wcPrint
		case c == '\t':
			t[c] = wcTab
		case c == '\n' || c == '\r' || c == '\f':
			t[c] = wcEOL
		case c == '\v':
			t[c] = wcVT
		default:
			t[c] = wcOther
		}
	}
	return t
}()

const (
	wcOther = iota
	wcPrint
	wcSpace
	wcTab
	wcEOL
	wcVT
)

func wcCount(ctx context.Context, r io.Reader, c *[wcN]int64, show [wcN]bool, utf8 bool) error {
	// Fast paths: -c alone on a regular file, -l/-c only.
	if !show[wcWords] && !show[wcChars] && !show[wcLength] && !show[wcLines] {
		if f, ok := r.(*os.File); ok {
			if fi, err := f.Stat(); err == nil && fi.Mode().IsRegular() {
				if pos, err := f.Seek(0, io.SeekCurrent); err == nil {
					c[wcBytes] = fi.Size() - pos
					return nil
				}
			}
		}
	}
	buf := make([]byte, bufSize)
	simple := !show[wcWords] && !show[wcChars] && !show[wcLength]
	inWord := false
	var linepos int64
	for {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		n, err := r.Read(buf)
		b := buf[:n]
		c[wcBytes] += int64(n)
		if simple {
			c[wcLines] += int64(bytes.Count(b, []byte{'\n'}))
		} else {
			for _, ch := range b {
				if !utf8 || ch&0xc0 != 0x80 {
					c[wcChars]++
				}
				switch wcClass[ch] {
				case wcPrint:
					linepos++
					inWord = true
					continue
				case wcSpace:
					linepos++
				case wcTab:
					linepos = (linepos | 7) + 1
				case wcEOL, wcVT:
					if linepos > c[wcLength] {
						c[wcLength] = linepos
					}
					if ch == '\n' {
						c[wcLines]++
					}
					if ch != '\v' {
						linepos = 0
					}
				default:
					continue
				}
				if inWord {
					c[wcWords]++
				}
				inWord = false
			}
		}
		if err != nil {
			if inWord {
				c[wcWords]++
			}
			if linepos > c[wcLength] {
				c[wcLength] = linepos
			}
			if err == io.EOF {
				return nil
			}
			return err
		}
	}
}
