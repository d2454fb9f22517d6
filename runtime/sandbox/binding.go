package sandbox

import (
	"io"
	"io/fs"
	"os"
	"sync/atomic"

	"github.com/tetratelabs/wazero/experimental/sys"
	wsys "github.com/tetratelabs/wazero/sys"
)

// binding connects a pooled instance to the process it runs. The
// instance's WASI stdio and file-system mounts are fixed when it is
// instantiated, so they point at a binding whose process is set when the
// instance is taken from the pool.
type binding struct {
	p atomic.Pointer[Process]
}

func (b *binding) proc() *Process { return b.p.Load() }

// rootFS forwards to the bound process's root file system.
type rootFS struct{ b *binding }

func (r rootFS) fs() sys.FS {
	if p := r.b.proc(); p != nil && p.cfg.FS != nil {
		return p.cfg.FS
	}
	return sys.UnimplementedFS{}
}

func (r rootFS) OpenFile(path string, flag sys.Oflag, perm fs.FileMode) (sys.File, sys.Errno) {
	if (path == "." || path == "") && flag&(sys.O_WRONLY|sys.O_RDWR|sys.O_CREAT|sys.O_TRUNC) == 0 {
		// wazero opens each preopen's root once (lazily, at the guest's
		// first use of it, or while a pooled instance has no process yet)
		// and keeps that file for the instance's life, panicking if the
		// open fails: give it one that follows the binding and reports a
		// root the process may not read (a 0700 root and a non-root user)
		// on each operation instead.
		return &boundDir{b: r.b}, 0
	}
	return r.fs().OpenFile(path, flag, perm)
}

// boundDir is the preopened root directory of a pooled instance: each
// operation goes to the root of the file system bound at that moment.
type boundDir struct {
	sys.UnimplementedFile
	b    *binding
	p    *Process
	file sys.File
}

func (d *boundDir) dir() (sys.File, sys.Errno) {
	p := d.b.proc()
	if p == nil || p.cfg.FS == nil {
		return nil, sys.EBADF
	}
	if d.p != p {
		if d.file != nil {
			d.file.Close()
		}
		f, errno := p.cfg.FS.OpenFile(".", sys.O_RDONLY|sys.O_DIRECTORY, 0)
		if errno != 0 {
			return nil, errno
		}
		d.p, d.file = p, f
	}
	return d.file, 0
}

func (d *boundDir) IsDir() (bool, sys.Errno) { return true, 0 }
func (d *boundDir) Close() sys.Errno {
	if d.file != nil {
		return d.file.Close()
	}
	return 0
}
func (d *boundDir) Stat() (wsys.Stat_t, sys.Errno) {
	f, errno := d.dir()
	if errno != 0 {
		return wsys.Stat_t{Mode: fs.ModeDir | 0o755}, 0
	}
	return f.Stat()
}
func (d *boundDir) Ino() (wsys.Inode, sys.Errno) {
	f, errno := d.dir()
	if errno != 0 {
		return 0, errno
	}
	return f.Ino()
}
func (d *boundDir) Dev() (uint64, sys.Errno) {
	f, errno := d.dir()
	if errno != 0 {
		return 0, errno
	}
	return f.Dev()
}
func (d *boundDir) Seek(offset int64, whence int) (int64, sys.Errno) {
	f, errno := d.dir()
	if errno != 0 {
		return 0, errno
	}
	return f.Seek(offset, whence)
}
func (d *boundDir) Readdir(n int) ([]sys.Dirent, sys.Errno) {
	f, errno := d.dir()
	if errno != 0 {
		return nil, errno
	}
	return f.Readdir(n)
}
func (d *boundDir) Utimens(atim, mtim int64) sys.Errno {
	f, errno := d.dir()
	if errno != 0 {
		return errno
	}
	return f.Utimens(atim, mtim)
}
func (r rootFS) Lstat(path string) (wsys.Stat_t, sys.Errno)    { return r.fs().Lstat(path) }
func (r rootFS) Stat(path string) (wsys.Stat_t, sys.Errno)     { return r.fs().Stat(path) }
func (r rootFS) Mkdir(path string, perm fs.FileMode) sys.Errno { return r.fs().Mkdir(path, perm) }
func (r rootFS) Chmod(path string, perm fs.FileMode) sys.Errno { return r.fs().Chmod(path, perm) }
func (r rootFS) Rename(from, to string) sys.Errno              { return r.fs().Rename(from, to) }
func (r rootFS) Rmdir(path string) sys.Errno                   { return r.fs().Rmdir(path) }
func (r rootFS) Unlink(path string) sys.Errno                  { return r.fs().Unlink(path) }
func (r rootFS) Link(oldPath, newPath string) sys.Errno        { return r.fs().Link(oldPath, newPath) }
func (r rootFS) Symlink(oldPath, link string) sys.Errno        { return r.fs().Symlink(oldPath, link) }
func (r rootFS) Readlink(path string) (string, sys.Errno)      { return r.fs().Readlink(path) }
func (r rootFS) Utimens(path string, atim, mtim int64) sys.Errno {
	return r.fs().Utimens(path, atim, mtim)
}

// signalFS is mounted at /.sockerless: its one file, "signal", yields the
// numbers of the signals delivered to the process, one byte each, and
// never blocks (EAGAIN when none is pending; poll_oneoff waits for them).
type signalFS struct {
	sys.UnimplementedFS
	b *binding
}

func (s signalFS) OpenFile(path string, flag sys.Oflag, perm fs.FileMode) (sys.File, sys.Errno) {
	switch path {
	case "", ".":
		return signalDir{}, 0
	case "signal":
		p := s.b.proc()
		if p == nil {
			return nil, sys.ENOENT
		}
		return &signalFile{p: p}, 0
	case "stdin":
		p := s.b.proc()
		if p == nil {
			return nil, sys.ENOENT
		}
		return &stdinFile{signalFile{p: p}}, 0
	}
	return nil, sys.ENOENT
}

// stdinFile is the process's stdin as a non-blocking file: reads return
// what has arrived, or EAGAIN (poll_oneoff waits for more), so a guest
// waiting for input still runs its other goroutines and its signal traps.
type stdinFile struct{ signalFile }

func (f *stdinFile) Poll(_ sys.Pflag, _ int32) (bool, sys.Errno) { return f.p.StdinReady(), 0 }

func (f *stdinFile) Read(buf []byte) (int, sys.Errno) {
	f.p.Check()
	if f.p.stdin == nil || f.p.takeStdinIntr() {
		return 0, 0
	}
	n, err := f.p.stdin.tryRead(buf)
	switch {
	case err == errAgain:
		return 0, sys.EAGAIN
	case err == io.EOF || (err != nil && n > 0):
		return n, 0
	case err != nil:
		return 0, sys.EIO
	}
	return n, 0
}

func (s signalFS) Stat(path string) (wsys.Stat_t, sys.Errno) {
	switch path {
	case "", ".":
		return wsys.Stat_t{Mode: fs.ModeDir | 0o555, Nlink: 2}, 0
	case "signal", "stdin":
		return wsys.Stat_t{Mode: fs.ModeDevice | fs.ModeCharDevice | 0o400, Nlink: 1}, 0
	}
	return wsys.Stat_t{}, sys.ENOENT
}

func (s signalFS) Lstat(path string) (wsys.Stat_t, sys.Errno) { return s.Stat(path) }

type signalFile struct {
	sys.UnimplementedFile
	p        *Process
	nonblock bool
}

// Poll makes the file a sys.PollableFile, which wazero requires before it
// lets the guest set O_NONBLOCK.
func (f *signalFile) Poll(_ sys.Pflag, _ int32) (bool, sys.Errno) {
	return f.p.SignalPending(), 0
}

func (f *signalFile) IsNonblock() bool              { return f.nonblock }
func (f *signalFile) SetNonblock(on bool) sys.Errno { f.nonblock = on; return 0 }
func (f *signalFile) IsDir() (bool, sys.Errno)      { return false, 0 }
func (f *signalFile) Close() sys.Errno              { return 0 }
func (f *signalFile) Stat() (wsys.Stat_t, sys.Errno) {
	return wsys.Stat_t{Mode: fs.ModeDevice | fs.ModeCharDevice | 0o400, Nlink: 1}, 0
}

func (f *signalFile) Read(buf []byte) (int, sys.Errno) {
	f.p.Check()
	n := f.p.TakeSignals(buf)
	if n == 0 {
		return 0, sys.EAGAIN
	}
	return n, 0
}

// stdinIO is the instance's fd 0.
type stdinIO struct{ b *binding }

func (s stdinIO) Read(buf []byte) (int, error) {
	p := s.b.proc()
	if p == nil {
		return 0, io.EOF
	}
	return p.readStdin(buf)
}

// outIO is the instance's fd 1 or 2.
type outIO struct {
	b  *binding
	fd int
}

func (o outIO) Write(buf []byte) (int, error) {
	p := o.b.proc()
	if p == nil {
		// Output before a process is bound comes from the guest's
		// initialisation: a crash report worth seeing.
		return os.Stderr.Write(buf)
	}
	return p.write(o.fd, buf)
}

type signalDir struct{ sys.UnimplementedFile }

func (signalDir) IsDir() (bool, sys.Errno) { return true, 0 }
func (signalDir) Close() sys.Errno         { return 0 }
func (signalDir) Stat() (wsys.Stat_t, sys.Errno) {
	return wsys.Stat_t{Mode: fs.ModeDir | 0o555, Nlink: 2}, 0
}
