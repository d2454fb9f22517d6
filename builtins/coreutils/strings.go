package coreutils

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"strconv"

	"github.com/sockerless/sockerless/builtins"
)

func init() {
	builtins.Register(&builtins.Command{Name: "strings", Usage: stringsUsage, Run: runStrings})
}

const stringsUsage = `Usage: strings [-afo] [-t o|d|x] [-n LEN] [FILE]...

Display printable strings in a binary file

	-a, --all		Scan the whole file (always done)
	-f, --print-file-name	Precede strings with filenames
	-o			Precede strings with octal offsets
	-t, --radix=o|d|x	Precede strings with offsets in base 8/10/16
	-n, --bytes=LEN		At least LEN characters form a string (default 4)`

func runStrings(ctx context.Context, env *builtins.Env, args []string) int {
	args = legacyStringsLen(args)
	fl := builtins.Flags(env, "strings")
	fl.BoolP("all", "a", false, "")
	withName := fl.BoolP("print-file-name", "f", false, "")
	octal := fl.BoolP("o", "o", false, "")
	radix := fl.StringP("radix", "t", "", "")
	minS := fl.StringP("bytes", "n", "4", "")
	if st, ok := builtins.ParseFlags(env, fl, args[1:]); !ok {
		return st
	}
	min, err := strconv.Atoi(*minS)
	if err != nil || min < 1 {
		return usageErr(env, "strings", "invalid number '%s'", *minS)
	}
	offFmt := ""
	if *octal {
		offFmt = "%7o "
	}
	switch *radix {
	case "":
	case "o":
		offFmt = "%7o "
	case "d":
		offFmt = "%7d "
	case "x":
		offFmt = "%7x "
	default:
		return usageErr(env, "strings", "invalid radix '%s'", *radix)
	}
	out := newOut(env)
	defer out.Flush()
	status := 0
	n := min - 1
	str := make([]byte, min)
	for _, name := range files(fl.Args()) {
		title := name
		if fl.NArg() == 0 {
			title = "{standard input}"
		}
		r, err := openIn(env, name)
		if err != nil {
			cantOpen(env, "strings", name, err)
			status = 1
			continue
		}
		br := bufio.NewReaderSize(ctxReader{ctx, r}, bufSize)
		count := 0
		var off int64
		for {
			c, err := br.ReadByte()
			if err == nil && (c >= 0x20 && c < 0x7f || c == '\t') {
				switch {
				case count > n:
					out.WriteByte(c)
				default:
					str[count] = c
					if count == n {
						if *withName {
							fmt.Fprintf(out, "%s: ", title)
						}
						if offFmt != "" {
							fmt.Fprintf(out, offFmt, off-int64(n))
						}
						out.Write(str[:count+1])
					}
				}
				count++
			} else {
				if count > n {
					out.WriteByte('\n')
				}
				count = 0
			}
			if err != nil {
				if err != io.EOF && ctx.Err() == nil {
					readErr(env, "strings", err)
					status = 1
				}
				break
			}
			off++
		}
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

// legacyStringsLen turns "-N" into "-n N".
func legacyStringsLen(args []string) []string {
	out := []string{args[0]}
	for _, a := range args[1:] {
		if legacyCount.MatchString(a) {
			out = append(out, "-n", a[1:])
			continue
		}
		out = append(out, a)
	}
	return out
}
