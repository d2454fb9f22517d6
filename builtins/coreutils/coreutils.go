// Package coreutils implements the sandbox's text and file-content commands
// (cat, head, tail, sort, uniq, cut, tr, wc, od, hexdump, sha256sum, …) with
// the behaviour of busybox 1.35, accepting the GNU long option spellings.
//
// Commands read files with package os and resolve names with Env.Abs; they
// must not use os/exec, cgo or system-call specific code, because the package
// is compiled into the wasip1 sandbox guest.
package coreutils

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"io"
	"io/fs"
	"os"
	"strconv"
	"strings"
	"syscall"

	"github.com/sockerless/sockerless/builtins"
)

const bufSize = 64 << 10

// openIn opens name for reading; "-" is the command's stdin.
func openIn(env *builtins.Env, name string) (io.ReadCloser, error) {
	if name == "-" {
		return io.NopCloser(env.Stdin), nil
	}
	return env.Open(name)
}

// errText is the strerror-like text of err ("No such file or directory").
func errText(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	var le *os.LinkError
	if errors.As(err, &le) {
		err = le.Err
	}
	var errno syscall.Errno
	if errors.As(err, &errno) {
		err = errno
	}
	s := err.Error()
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// cantOpen reports a file that could not be opened, busybox style.
func cantOpen(env *builtins.Env, cmd, name string, err error) {
	env.Errorf(cmd, "can't open '%s': %s", name, errText(err))
}

// fileErr reports "cmd: name: error", the other busybox style.
func fileErr(env *builtins.Env, cmd, name string, err error) {
	env.Errorf(cmd, "%s: %s", name, errText(err))
}

// readErr reports a read failure ("cat: read error: Is a directory").
func readErr(env *builtins.Env, cmd string, err error) {
	env.Errorf(cmd, "read error: %s", errText(err))
}

// newOut buffers the command's stdout.
func newOut(env *builtins.Env) *bufio.Writer {
	return bufio.NewWriterSize(env.Stdout, bufSize)
}

// files returns the operands, or "-" when there are none.
func files(args []string) []string {
	if len(args) == 0 {
		return []string{"-"}
	}
	return args
}

// ctxReader stops reading once ctx is cancelled.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}

// usageErr prints a busybox-like usage error and returns status 1.
func usageErr(env *builtins.Env, cmd, format string, args ...any) int {
	env.Errorf(cmd, format, args...)
	return 1
}

// parseSize parses a count with an optional busybox/GNU multiplier suffix
// (b 512, k/K 1024, m/M 1024², g/G 1024³, kB 1000, MB 1000², KiB …).
func parseSize(s string) (int64, bool) {
	if s == "" {
		return 0, false
	}
	i := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	if i == 0 {
		return 0, false
	}
	n, err := strconv.ParseInt(s[:i], 10, 64)
	if err != nil {
		return 0, false
	}
	mult := int64(1)
	switch s[i:] {
	case "":
	case "b":
		mult = 512
	case "k", "K", "KiB":
		mult = 1 << 10
	case "m", "M", "MiB":
		mult = 1 << 20
	case "g", "G", "GiB":
		mult = 1 << 30
	case "kB", "KB":
		mult = 1000
	case "MB":
		mult = 1000 * 1000
	case "GB":
		mult = 1000 * 1000 * 1000
	default:
		return 0, false
	}
	return n * mult, true
}

// lineReader yields lines (without the delimiter) from r with few
// allocations; the returned slice is valid until the next call.
type lineReader struct {
	br    *bufio.Reader
	delim byte
	buf   []byte
}

func newLineReader(r io.Reader, delim byte) *lineReader {
	return &lineReader{br: bufio.NewReaderSize(r, bufSize), delim: delim}
}

// next returns the next line, whether it ended with the delimiter, and
// io.EOF once there is nothing left.
func (l *lineReader) next() (line []byte, terminated bool, err error) {
	b, err := l.br.ReadSlice(l.delim)
	if err == nil {
		return b[:len(b)-1], true, nil
	}
	if err != bufio.ErrBufferFull {
		if len(b) == 0 {
			if err == io.EOF {
				return nil, false, io.EOF
			}
			return nil, false, err
		}
		if err == io.EOF {
			return b, false, nil
		}
		return b, false, err
	}
	l.buf = append(l.buf[:0], b...)
	for {
		b, err = l.br.ReadSlice(l.delim)
		l.buf = append(l.buf, b...)
		if err == nil {
			return l.buf[:len(l.buf)-1], true, nil
		}
		if err != bufio.ErrBufferFull {
			if err == io.EOF {
				return l.buf, false, nil
			}
			return l.buf, false, err
		}
	}
}

// nulToNewline turns NUL bytes into newlines: busybox's line reader ends a
// line at either.
func nulToNewline(b []byte) {
	for {
		i := bytes.IndexByte(b, 0)
		if i < 0 {
			return
		}
		b[i] = '\n'
		b = b[i+1:]
	}
}

// nulLines is a reader that ends lines at NUL bytes, as busybox does.
type nulLines struct{ r io.Reader }

func (n nulLines) Read(p []byte) (int, error) {
	m, err := n.r.Read(p)
	nulToNewline(p[:m])
	return m, err
}

// unicodeOn reports whether the environment selects a UTF-8 locale, the
// way busybox decides whether to count characters rather than bytes.
func unicodeOn(env *builtins.Env) bool {
	for _, k := range []string{"LC_ALL", "LC_CTYPE", "LANG"} {
		if v, ok := env.LookupEnv(k); ok && v != "" {
			v = strings.ToLower(v)
			return strings.Contains(v, "utf-8") || strings.Contains(v, "utf8")
		}
	}
	return false
}

// copyOut copies src to dst without io.Copy's ReaderFrom/WriterTo
// shortcuts: bufio.Writer.ReadFrom remembers a read error for good, which
// would silence the files after an unreadable one.
func copyOut(dst io.Writer, src io.Reader) (int64, error) {
	return io.CopyBuffer(struct{ io.Writer }{dst}, struct{ io.Reader }{src}, make([]byte, bufSize))
}
