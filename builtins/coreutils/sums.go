package coreutils

import (
	"context"
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/hex"
	"fmt"
	"hash"
	"io"
	"strings"

	"github.com/sockerless/sockerless/builtins"
)

func init() {
	for _, h := range []struct {
		name string
		long string
		new  func() hash.Hash
	}{
		{"md5sum", "MD5", md5.New},
		{"sha1sum", "SHA1", sha1.New},
		{"sha256sum", "SHA256", sha256.New},
		{"sha512sum", "SHA512", sha512.New},
	} {
		name, newHash := h.name, h.new
		builtins.Register(&builtins.Command{
			Name: name,
			Usage: "Usage: " + name + ` [-c[sw]] [FILE]...

Print or check ` + h.long + ` checksums

	-c, --check	Check sums against list in FILEs
	-s, --status	Don't output anything, status code shows success
	-w, --warn	Warn about improperly formatted checksum lines
	-b, -t		Ignored (binary and text mode are the same)`,
			Run: func(ctx context.Context, env *builtins.Env, args []string) int {
				return runHashSum(ctx, env, args, name, newHash)
			},
		})
	}
	builtins.Register(
		&builtins.Command{Name: "cksum", Usage: cksumUsage, Run: runCksum},
		&builtins.Command{Name: "sum", Usage: sumUsage, Run: runSum},
	)
}

func hashFile(ctx context.Context, env *builtins.Env, name string, newHash func() hash.Hash) (string, error) {
	r, err := openIn(env, name)
	if err != nil {
		return "", err
	}
	defer r.Close()
	h := newHash()
	if _, err := io.Copy(h, ctxReader{ctx, r}); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

func runHashSum(ctx context.Context, env *builtins.Env, args []string, cmd string, newHash func() hash.Hash) int {
	fl := builtins.Flags(env, cmd)
	check := fl.BoolP("check", "c", false, "")
	silent := fl.BoolP("status", "s", false, "")
	warn := fl.BoolP("warn", "w", false, "")
	fl.BoolP("binary", "b", false, "")
	fl.BoolP("text", "t", false, "")
	fl.BoolP("quiet", "q", false, "")
	if st, ok := builtins.ParseFlags(env, fl, args[1:]); !ok {
		return st
	}
	out := newOut(env)
	defer out.Flush()
	status := 0
	if !*check {
		for _, name := range files(fl.Args()) {
			sum, err := hashFile(ctx, env, name, newHash)
			if err != nil {
				if ctx.Err() != nil {
					return 1
				}
				cantOpen(env, cmd, name, err)
				status = 1
				continue
			}
			fmt.Fprintf(out, "%s  %s\n", sum, name)
		}
		if out.Flush() != nil {
			return 1
		}
		return status
	}
	for _, list := range files(fl.Args()) {
		r, err := openIn(env, list)
		if err != nil {
			cantOpen(env, cmd, list, err)
			status = 1
			continue
		}
		data, err := io.ReadAll(ctxReader{ctx, r})
		r.Close()
		if err != nil {
			if ctx.Err() != nil {
				return 1
			}
			readErr(env, cmd, err)
			status = 1
			continue
		}
		nulToNewline(data)
		total, failed := 0, 0
		for _, line := range strings.Split(strings.TrimSuffix(string(data), "\n"), "\n") {
			if line == "" && total == 0 && len(data) == 0 {
				break
			}
			total++
			want, file, ok := strings.Cut(line, "  ")
			if !ok {
				want, file, ok = strings.Cut(line, " *")
			}
			if !ok {
				if *warn {
					env.Errorf(cmd, "invalid format")
				}
				failed++
				continue
			}
			got, err := hashFile(ctx, env, file, newHash)
			if err != nil {
				if ctx.Err() != nil {
					return 1
				}
				cantOpen(env, cmd, file, err)
			}
			if err == nil && got == want {
				if !*silent {
					fmt.Fprintf(out, "%s: OK\n", file)
				}
			} else {
				if !*silent {
					fmt.Fprintf(out, "%s: FAILED\n", file)
				}
				failed++
			}
		}
		if failed > 0 {
			status = 1
			if !*silent {
				out.Flush()
				env.Errorf(cmd, "WARNING: %d of %d computed checksums did NOT match", failed, total)
			}
		}
		if total == 0 {
			env.Errorf(cmd, "%s: no checksum lines found", list)
			status = 1
		}
	}
	if out.Flush() != nil {
		return 1
	}
	return status
}

const cksumUsage = `Usage: cksum [FILE]...

Print the POSIX CRC checksum and byte count of FILEs`

// cksumTable is the CRC-32 table of the POSIX polynomial 0x04C11DB7,
// processed most significant bit first.
var cksumTable = func() (t [256]uint32) {
	for i := range t {
		c := uint32(i) << 24
		for range 8 {
			if c&0x80000000 != 0 {
				c = c<<1 ^ 0x04C11DB7
			} else {
				c <<= 1
			}
		}
		t[i] = c
	}
	return t
}()

func runCksum(ctx context.Context, env *builtins.Env, args []string) int {
	fl := builtins.Flags(env, "cksum")
	if st, ok := builtins.ParseFlags(env, fl, args[1:]); !ok {
		return st
	}
	out := newOut(env)
	defer out.Flush()
	status := 0
	buf := make([]byte, bufSize)
	for _, name := range files(fl.Args()) {
		r, err := openIn(env, name)
		if err != nil {
			fileErr(env, "cksum", name, err)
			status = 1
			continue
		}
		var crc uint32
		var size uint64
		in := ctxReader{ctx, r}
		for {
			n, err := in.Read(buf)
			for _, c := range buf[:n] {
				crc = crc<<8 ^ cksumTable[byte(crc>>24)^c]
			}
			size += uint64(n)
			if err != nil {
				break
			}
		}
		r.Close()
		if ctx.Err() != nil {
			return 1
		}
		for l := size; l > 0; l >>= 8 {
			crc = crc<<8 ^ cksumTable[byte(crc>>24)^byte(l)]
		}
		crc = ^crc
		if name == "-" && len(fl.Args()) == 0 {
			fmt.Fprintf(out, "%d %d\n", crc, size)
		} else {
			fmt.Fprintf(out, "%d %d %s\n", crc, size, name)
		}
	}
	if out.Flush() != nil {
		return 1
	}
	return status
}

const sumUsage = `Usage: sum [-rs] [FILE]...

Checksum and count the blocks in FILEs

	-r		Use BSD sum algorithm (1K blocks, the default)
	-s, --sysv	Use System V sum algorithm (512byte blocks)`

func runSum(ctx context.Context, env *builtins.Env, args []string) int {
	fl := builtins.Flags(env, "sum")
	fl.BoolP("r", "r", false, "")
	sysv := fl.BoolP("sysv", "s", false, "")
	if st, ok := builtins.ParseFlags(env, fl, args[1:]); !ok {
		return st
	}
	names := files(fl.Args())
	out := newOut(env)
	defer out.Flush()
	status := 0
	for _, name := range names {
		r, err := openIn(env, name)
		if err != nil {
			fileErr(env, "sum", name, err)
			status = 1
			continue
		}
		data, err := io.ReadAll(ctxReader{ctx, r})
		r.Close()
		if err != nil {
			if ctx.Err() != nil {
				return 1
			}
			fileErr(env, "sum", name, err)
			status = 1
			continue
		}
		suffix := ""
		if len(fl.Args()) > 0 {
			suffix = " " + name
		}
		if *sysv {
			var s uint32
			for _, c := range data {
				s += uint32(c)
			}
			s = (s & 0xffff) + (s >> 16)
			s = (s & 0xffff) + (s >> 16)
			fmt.Fprintf(out, "%d %d%s\n", s, (len(data)+511)/512, suffix)
		} else {
			var s uint16
			for _, c := range data {
				s = (s >> 1) + ((s & 1) << 15)
				s += uint16(c)
			}
			fmt.Fprintf(out, "%05d %5d%s\n", s, (len(data)+1023)/1024, suffix)
		}
	}
	if out.Flush() != nil {
		return 1
	}
	return status
}
