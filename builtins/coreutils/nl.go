package coreutils

import (
	"context"
	"fmt"
	"io"
	"strconv"

	"github.com/sockerless/sockerless/builtins"
)

func init() {
	builtins.Register(&builtins.Command{Name: "nl", Usage: nlUsage, Run: runNl})
}

const nlUsage = `Usage: nl [OPTIONS] [FILE]...

Write FILEs to standard output with line numbers added

	-b, --body-numbering=STYLE	Which lines to number - a: all, t: nonempty, n: none
	-i, --line-increment=N		Line number increment
	-s, --number-separator=STRING	Use STRING as line number separator
	-v, --starting-line-number=N	Start from N
	-w, --number-width=N		Width of line numbers
	-n, --number-format=FORMAT	ln: left justified, rn: right justified, rz: zero padded`

func runNl(ctx context.Context, env *builtins.Env, args []string) int {
	fl := builtins.Flags(env, "nl")
	style := fl.StringP("body-numbering", "b", "t", "")
	incr := fl.IntP("line-increment", "i", 1, "")
	sep := fl.StringP("number-separator", "s", "\t", "")
	start := fl.IntP("starting-line-number", "v", 1, "")
	width := fl.IntP("number-width", "w", 6, "")
	format := fl.StringP("number-format", "n", "rn", "")
	if st, ok := builtins.ParseFlags(env, fl, args[1:]); !ok {
		return st
	}
	switch *style {
	case "a", "t", "n":
	default:
		return usageErr(env, "nl", "invalid numbering style '%s'", *style)
	}
	var numFmt string
	switch *format {
	case "ln":
		numFmt = "%-*d"
	case "rn":
		numFmt = "%*d"
	case "rz":
		numFmt = "%0*d"
	default:
		return usageErr(env, "nl", "invalid line numbering format '%s'", *format)
	}
	out := newOut(env)
	defer out.Flush()
	blank := fmt.Sprintf("%*s", *width+len(*sep), "")
	n := *start
	status := 0
	var nb []byte
	for _, name := range files(fl.Args()) {
		r, err := openIn(env, name)
		if err != nil {
			fileErr(env, "nl", name, err)
			status = 1
			continue
		}
		lr := newLineReader(ctxReader{ctx, nulLines{r}}, '\n')
		for {
			line, _, err := lr.next()
			if err == io.EOF {
				break
			}
			if *style == "a" || (*style == "t" && len(line) > 0) {
				if *format == "rn" {
					nb = strconv.AppendInt(nb[:0], int64(n), 10)
					for i := len(nb); i < *width; i++ {
						out.WriteByte(' ')
					}
					out.Write(nb)
				} else {
					fmt.Fprintf(out, numFmt, *width, n)
				}
				out.WriteString(*sep)
				n += *incr
			} else {
				out.WriteString(blank)
			}
			out.Write(line)
			out.WriteByte('\n')
			if err != nil {
				if ctx.Err() != nil {
					return 1
				}
				readErr(env, "nl", err)
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
