package archive

import (
	"bufio"
	"compress/gzip"
	"context"
	"errors"
	"io"
	"os"
	"strings"

	"github.com/sockerless/sockerless/builtins"
)

func init() {
	builtins.Register(
		&builtins.Command{Name: "gzip", Usage: `Usage: gzip [-cfkdtnq123456789] [FILE]...

Compress FILEs (or stdin)

	-1..-9	Compression level
	-d	Decompress
	-c	Write to stdout
	-f	Force
	-k	Keep input files
	-t	Test integrity
	-n	Don't save name and time (default)
	-q	Quiet`, Run: func(ctx context.Context, env *builtins.Env, args []string) int {
			return runGzip(ctx, env, args, "gzip")
		}},
		&builtins.Command{Name: "gunzip", Usage: `Usage: gunzip [-cfkt] [FILE]...

Decompress FILEs (or stdin)

	-c	Write to stdout
	-f	Force
	-k	Keep input files
	-t	Test integrity`, Run: func(ctx context.Context, env *builtins.Env, args []string) int {
			return runGzip(ctx, env, args, "gunzip")
		}},
		&builtins.Command{Name: "zcat", Usage: "Usage: zcat [FILE]...\n\nDecompress to stdout", Run: func(ctx context.Context, env *builtins.Env, args []string) int {
			return runGzip(ctx, env, args, "zcat")
		}},
	)
}

type gzOpts struct {
	decompress, stdout, force, keep, test, quiet bool
	level                                        int
}

func runGzip(ctx context.Context, env *builtins.Env, args []string, name string) int {
	o := gzOpts{level: gzip.DefaultCompression}
	switch name {
	case "gunzip":
		o.decompress = true
	case "zcat":
		o.decompress, o.stdout = true, true
	}
	var files []string
	for i := 1; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			files = append(files, args[i+1:]...)
			break
		}
		if len(a) < 2 || a[0] != '-' {
			files = append(files, a)
			continue
		}
		long := map[string]string{"--stdout": "c", "--to-stdout": "c", "--decompress": "d", "--uncompress": "d",
			"--force": "f", "--keep": "k", "--test": "t", "--quiet": "q", "--no-name": "n", "--name": "N",
			"--verbose": "v", "--best": "9", "--fast": "1"}
		if strings.HasPrefix(a, "--") {
			s, ok := long[a]
			if !ok {
				env.Errorf(name, "unrecognized option '%s'", a)
				return 1
			}
			a = "-" + s
		}
		for _, c := range a[1:] {
			switch {
			case c == 'c':
				o.stdout = true
			case c == 'd':
				o.decompress = true
			case c == 'f':
				o.force = true
			case c == 'k':
				o.keep = true
			case c == 't':
				o.test, o.decompress = true, true
			case c == 'q':
				o.quiet = true
			case c == 'n' || c == 'N' || c == 'v':
			case c >= '1' && c <= '9' && name == "gzip":
				o.level = int(c - '0')
			default:
				env.Errorf(name, "invalid option -- '%c'", c)
				return 1
			}
		}
	}
	if len(files) == 0 {
		files = []string{"-"}
	}
	status := 0
	for _, f := range files {
		if ctx.Err() != nil {
			return 130
		}
		if st := gzipOne(ctx, env, name, f, o); st != 0 {
			status = st
		}
	}
	return status
}

func gzipOne(ctx context.Context, env *builtins.Env, name, file string, o gzOpts) int {
	if file == "-" {
		if o.test {
			return gzTest(env, name, "-", env.Stdin)
		}
		if o.decompress {
			return gunzipStream(ctx, env, name, env.Stdin, env.Stdout)
		}
		return gzipStream(ctx, env, name, env.Stdin, env.Stdout, o.level)
	}
	path := env.Abs(file)
	fi, err := os.Stat(path)
	if err != nil {
		env.Errorf(name, "can't open '%s': %s", file, errText(err))
		return 1
	}
	if fi.IsDir() {
		env.Errorf(name, "'%s' is a directory", file)
		return 1
	}
	in, err := os.Open(path)
	if err != nil {
		env.Errorf(name, "can't open '%s': %s", file, errText(err))
		return 1
	}
	defer in.Close()
	if o.test {
		return gzTest(env, name, file, in)
	}
	if o.stdout {
		if o.decompress {
			return gunzipStream(ctx, env, name, in, env.Stdout)
		}
		return gzipStream(ctx, env, name, in, env.Stdout, o.level)
	}
	var outName string
	if o.decompress {
		switch {
		case strings.HasSuffix(file, ".gz") && len(file) > 3:
			outName = strings.TrimSuffix(path, ".gz")
		case strings.HasSuffix(file, ".tgz") && len(file) > 4:
			outName = strings.TrimSuffix(path, ".tgz") + ".tar"
		default:
			env.Errorf(name, "%s: unknown suffix - ignored", file)
			return 1
		}
	} else {
		outName = path + ".gz"
	}
	flags := os.O_WRONLY | os.O_CREATE | os.O_EXCL
	if o.force {
		flags = os.O_WRONLY | os.O_CREATE | os.O_TRUNC
	}
	out, err := os.OpenFile(outName, flags, 0o600)
	if err != nil {
		env.Errorf(name, "can't open '%s': %s", displayName(file, outName, path), errText(err))
		return 1
	}
	var st int
	if o.decompress {
		st = gunzipStream(ctx, env, name, in, out)
	} else {
		st = gzipStream(ctx, env, name, in, out, o.level)
	}
	if err := out.Close(); err != nil && st == 0 {
		env.Errorf(name, "%s", err)
		st = 1
	}
	if st != 0 {
		os.Remove(outName)
		return st
	}
	// keep the mode of the input, like busybox
	if sfi, err := env.Sys.Stat(path); err == nil {
		env.Sys.Chmod(outName, sfi.Mode().Perm())
	}
	if !o.keep {
		os.Remove(path)
	}
	return 0
}

func displayName(file, outName, path string) string {
	return file + strings.TrimPrefix(outName, path)
}

func gzipStream(ctx context.Context, env *builtins.Env, name string, in io.Reader, out io.Writer, level int) int {
	bw := bufio.NewWriterSize(ctxWriter{ctx, out}, 64<<10)
	zw, err := gzip.NewWriterLevel(bw, level)
	if err != nil {
		env.Errorf(name, "%s", err)
		return 1
	}
	zw.OS = 3
	if _, err := io.Copy(zw, in); err != nil {
		return streamErr(ctx, env, name, err)
	}
	if err := zw.Close(); err != nil {
		return streamErr(ctx, env, name, err)
	}
	if err := bw.Flush(); err != nil {
		return streamErr(ctx, env, name, err)
	}
	return 0
}

func streamErr(ctx context.Context, env *builtins.Env, name string, err error) int {
	if ctx.Err() != nil {
		return 130
	}
	env.Errorf(name, "%s", err)
	return 1
}

// gunzipStream decompresses every concatenated member of in.
func gunzipStream(ctx context.Context, env *builtins.Env, name string, in io.Reader, out io.Writer) int {
	br := bufio.NewReaderSize(in, 64<<10)
	if _, err := br.Peek(1); err == io.EOF {
		return 0 // busybox accepts empty input
	}
	zr, err := gzip.NewReader(br)
	if err != nil {
		env.Errorf(name, "invalid magic")
		return 1
	}
	bw := bufio.NewWriterSize(ctxWriter{ctx, out}, 64<<10)
	if _, err := io.Copy(bw, zr); err != nil {
		bw.Flush()
		if ctx.Err() != nil {
			return 130
		}
		switch {
		case errors.Is(err, io.ErrUnexpectedEOF):
			env.Errorf(name, "unexpected end of file")
		case errors.Is(err, gzip.ErrChecksum):
			env.Errorf(name, "crc error")
		default:
			env.Errorf(name, "corrupted data")
		}
		return 1
	}
	if err := bw.Flush(); err != nil {
		return streamErr(ctx, env, name, err)
	}
	return 0
}

func gzTest(env *builtins.Env, name, file string, in io.Reader) int {
	zr, err := gzip.NewReader(bufio.NewReader(in))
	if err == nil {
		_, err = io.Copy(io.Discard, zr)
	}
	if err != nil {
		env.Errorf(name, "%s: %s", file, "invalid compressed data")
		return 1
	}
	return 0
}
