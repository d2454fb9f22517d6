package coreutils

import (
	"context"
	"encoding/base64"
	"io"
	"strconv"

	"github.com/sockerless/sockerless/builtins"
)

func init() {
	builtins.Register(&builtins.Command{Name: "base64", Usage: base64Usage, Run: runBase64})
}

const base64Usage = `Usage: base64 [-d] [-w COL] [FILE]

Base64 encode or decode FILE to standard output

	-d, --decode		Decode data
	-i, --ignore-garbage	Ignore non-alphabet characters (always done)
	-w, --wrap=COL		Wrap lines at COL (default 76, 0 disables)`

func runBase64(ctx context.Context, env *builtins.Env, args []string) int {
	fl := builtins.Flags(env, "base64")
	decode := fl.BoolP("decode", "d", false, "")
	fl.BoolP("ignore-garbage", "i", false, "")
	wrapS := fl.StringP("wrap", "w", "76", "")
	if st, ok := builtins.ParseFlags(env, fl, args[1:]); !ok {
		return st
	}
	wrap, err := strconv.Atoi(*wrapS)
	if err != nil || wrap < 0 {
		return usageErr(env, "base64", "invalid number '%s'", *wrapS)
	}
	if fl.NArg() > 1 {
		return usageErr(env, "base64", "extra operand '%s'", fl.Arg(1))
	}
	name := "-"
	if fl.NArg() == 1 {
		name = fl.Arg(0)
	}
	r, err := openIn(env, name)
	if err != nil {
		cantOpen(env, "base64", name, err)
		return 1
	}
	defer r.Close()
	in := ctxReader{ctx, r}
	out := newOut(env)
	defer out.Flush()
	status := 0
	if *decode {
		status = base64Decode(env, out, in)
	} else {
		base64Encode(out, in, wrap)
	}
	if ctx.Err() != nil {
		return 1
	}
	if out.Flush() != nil {
		return 1
	}
	return status
}

func base64Encode(out io.Writer, in io.Reader, wrap int) {
	buf := make([]byte, 3*1024*16)
	enc := make([]byte, base64.StdEncoding.EncodedLen(len(buf)))
	col := 0
	wrote := false
	for {
		n, err := io.ReadFull(in, buf)
		if n > 0 {
			m := base64.StdEncoding.EncodedLen(n)
			base64.StdEncoding.Encode(enc, buf[:n])
			e := enc[:m]
			for len(e) > 0 {
				if wrap == 0 {
					out.Write(e)
					break
				}
				k := min(wrap-col, len(e))
				out.Write(e[:k])
				e = e[k:]
				col += k
				if col == wrap {
					out.Write([]byte{'\n'})
					col = 0
				}
			}
			wrote = true
		}
		if err != nil {
			break
		}
	}
	if wrote && wrap > 0 && col > 0 {
		out.Write([]byte{'\n'})
	}
}

// base64Decode skips characters outside the alphabet, like busybox.
func base64Decode(env *builtins.Env, out io.Writer, in io.Reader) int {
	var quad [4]byte
	q := 0
	buf := make([]byte, bufSize)
	var dec []byte
	bad := false
	for {
		n, err := in.Read(buf)
		dec = dec[:0]
		for _, c := range buf[:n] {
			if c == '=' {
				if q == 1 {
					bad = true
				}
				if q >= 2 {
					for i := q; i < 4; i++ {
						quad[i] = 'A'
					}
					var d [3]byte
					base64.StdEncoding.Decode(d[:], quad[:])
					dec = append(dec, d[:q-1]...)
				}
				q = 0
				continue
			}
			if !isB64(c) {
				continue
			}
			quad[q] = c
			q++
			if q == 4 {
				var d [3]byte
				base64.StdEncoding.Decode(d[:], quad[:])
				dec = append(dec, d[:]...)
				q = 0
			}
		}
		out.Write(dec)
		if err != nil {
			break
		}
	}
	if q != 0 || bad {
		env.Errorf("base64", "truncated input")
		return 1
	}
	return 0
}

func isB64(c byte) bool {
	return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '+' || c == '/'
}
