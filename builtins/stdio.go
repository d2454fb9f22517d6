package builtins

import (
	"io"
	"io/fs"
	"os"
)

// StdStream reports which of a command's standard streams a path names:
// /dev/stdin, /dev/stdout and /dev/stderr, and their /dev/fd/N and
// /proc/self/fd/N spellings, give 0, 1 and 2; any other path -1.
func StdStream(name string) int {
	switch name {
	case "/dev/stdin", "/dev/fd/0", "/proc/self/fd/0":
		return 0
	case "/dev/stdout", "/dev/fd/1", "/proc/self/fd/1":
		return 1
	case "/dev/stderr", "/dev/fd/2", "/proc/self/fd/2":
		return 2
	}
	return -1
}

// Open opens a file a command reads. A name of its standard input
// (StdStream, relative to the working directory too) is that stream, as on
// Linux, where those paths are the process's open descriptors: in the
// sandbox the stream may be an in-guest pipe no path reaches. Closing it
// leaves the stream open.
func (e *Env) Open(name string) (io.ReadCloser, error) {
	if StdStream(e.Abs(name)) == 0 {
		return nopReadCloser{e.Stdin}, nil
	}
	return os.Open(e.Abs(name))
}

// OpenWriter opens a file a command writes (os.OpenFile's flag and
// perm). A name of its standard output or error is that stream, left open
// by Close.
func (e *Env) OpenWriter(name string, flag int, perm fs.FileMode) (io.WriteCloser, error) {
	switch StdStream(e.Abs(name)) {
	case 1:
		return nopWriteCloser{e.Stdout}, nil
	case 2:
		return nopWriteCloser{e.Stderr}, nil
	}
	return os.OpenFile(e.Abs(name), flag, perm)
}

type nopReadCloser struct{ r io.Reader }

func (n nopReadCloser) Read(b []byte) (int, error) {
	if n.r == nil {
		return 0, io.EOF
	}
	return n.r.Read(b)
}
func (nopReadCloser) Close() error { return nil }

type nopWriteCloser struct{ io.Writer }

func (nopWriteCloser) Close() error { return nil }
