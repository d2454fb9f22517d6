package coreutils

import (
	"bufio"
	"context"
	"io"

	"github.com/sockerless/sockerless/builtins"
)

func init() {
	builtins.Register(&builtins.Command{Name: "paste", Usage: pasteUsage, Run: runPaste})
}

const pasteUsage = `Usage: paste [-d LIST] [-s] [FILE]...

Paste lines from each input file, separated with tab

	-d, --delimiters=LIST	Use delimiters from LIST, not tab (\n \t \\ \0 escapes)
	-s, --serial		Serial: one file at a time`

// pasteDelims decodes the -d list; a 0 byte means "no delimiter".
func pasteDelims(s string) []byte {
	var d []byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '\\' && i+1 < len(s) {
			i++
			switch s[i] {
			case 'n':
				c = '\n'
			case 't':
				c = '\t'
			case '0':
				c = 0
			default:
				c = s[i]
			}
		}
		d = append(d, c)
	}
	return d
}

func runPaste(ctx context.Context, env *builtins.Env, args []string) int {
	fl := builtins.Flags(env, "paste")
	delimS := fl.StringP("delimiters", "d", "\t", "")
	serial := fl.BoolP("serial", "s", false, "")
	if st, ok := builtins.ParseFlags(env, fl, args[1:]); !ok {
		return st
	}
	delims := pasteDelims(*delimS)
	if len(delims) == 0 {
		return usageErr(env, "paste", "-d '' is not supported")
	}
	names := files(fl.Args())
	var readers []*lineReader
	var closers []io.Closer
	defer func() {
		for _, c := range closers {
			c.Close()
		}
	}()
	status := 0
	var stdin *lineReader // every "-" shares stdin
	for _, name := range names {
		if name == "-" && stdin != nil {
			readers = append(readers, stdin)
			continue
		}
		r, err := openIn(env, name)
		if err != nil {
			fileErr(env, "paste", name, err)
			if !*serial {
				return 1
			}
			status = 1
			readers = append(readers, nil)
			continue
		}
		closers = append(closers, r)
		lr := newLineReader(ctxReader{ctx, nulLines{r}}, '\n')
		if name == "-" {
			stdin = lr
		}
		readers = append(readers, lr)
	}
	out := newOut(env)
	defer out.Flush()
	if *serial {
		for _, lr := range readers {
			if lr == nil {
				continue
			}
			pasteSerial(out, lr, delims)
		}
	} else {
		pasteParallel(ctx, out, readers, delims)
	}
	if ctx.Err() != nil {
		return 1
	}
	if out.Flush() != nil {
		return 1
	}
	return status
}

func pasteSerial(out *bufio.Writer, lr *lineReader, delims []byte) {
	di := 0
	first := true
	for {
		line, _, err := lr.next()
		if err == io.EOF || (err != nil && line == nil) {
			break
		}
		if !first {
			if d := delims[di]; d != 0 {
				out.WriteByte(d)
			}
			di = (di + 1) % len(delims)
		}
		first = false
		out.Write(line)
	}
	if !first {
		out.WriteByte('\n')
	}
}

// pasteParallel follows busybox: an exhausted file contributes nothing,
// not even its delimiter, and the newline comes with the last file's line.
func pasteParallel(ctx context.Context, out *bufio.Writer, readers []*lineReader, delims []byte) {
	active := len(readers)
	last := len(readers) - 1
	for active > 0 && ctx.Err() == nil {
		di := 0
		for i, lr := range readers {
			if lr == nil {
				continue
			}
			line, _, err := lr.next()
			if err == io.EOF || (err != nil && line == nil) {
				// Drop every slot reading from this (possibly shared) reader.
				for j := range readers {
					if readers[j] == lr {
						readers[j] = nil
						active--
					}
				}
				continue
			}
			out.Write(line)
			d := byte('\n')
			if i != last {
				d = delims[di]
				di = (di + 1) % len(delims)
			}
			if d != 0 {
				out.WriteByte(d)
			}
		}
	}
}
