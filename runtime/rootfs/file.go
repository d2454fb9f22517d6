package rootfs

import (
	"io"

	xsys "github.com/tetratelabs/wazero/experimental/sys"
	"github.com/tetratelabs/wazero/sys"
	"golang.org/x/sys/unix"
)

// hostFile is an open regular file (or fifo) of a layer or mount.
type hostFile struct {
	xsys.UnimplementedFile
	fd       int
	flag     xsys.Oflag
	writable bool // lives in upper or a rw mount: fd-level metadata changes allowed
	closed   bool
	dev, ino uint64
}

func newHostFile(fd int, flag xsys.Oflag, writable bool) (*hostFile, Errno) {
	var st unix.Stat_t
	if err := unix.Fstat(fd, &st); err != nil {
		unix.Close(fd)
		return nil, errnoOf(err)
	}
	return &hostFile{fd: fd, flag: flag, writable: writable, dev: st.Dev, ino: st.Ino}, 0
}

func (f *hostFile) Dev() (uint64, Errno)    { return f.dev, 0 }
func (f *hostFile) Ino() (sys.Inode, Errno) { return f.ino, 0 }
func (f *hostFile) IsDir() (bool, Errno)    { return false, 0 }
func (f *hostFile) IsAppend() bool          { return f.flag&O_APPEND != 0 }

func (f *hostFile) SetAppend(enable bool) Errno {
	if f.closed {
		return EBADF
	}
	fl, err := unix.FcntlInt(uintptr(f.fd), unix.F_GETFL, 0)
	if err != nil {
		return errnoOf(err)
	}
	if enable {
		fl |= unix.O_APPEND
		f.flag |= O_APPEND
	} else {
		fl &^= unix.O_APPEND
		f.flag &^= O_APPEND
	}
	_, err = unix.FcntlInt(uintptr(f.fd), unix.F_SETFL, fl)
	return errnoOf(err)
}

func (f *hostFile) Stat() (sys.Stat_t, Errno) {
	if f.closed {
		return sys.Stat_t{}, EBADF
	}
	var st unix.Stat_t
	if err := unix.Fstat(f.fd, &st); err != nil {
		return sys.Stat_t{}, errnoOf(err)
	}
	return statT(&st), 0
}

func retry[T any](fn func() (T, error)) (T, error) {
	for {
		v, err := fn()
		if err != unix.EINTR {
			return v, err
		}
	}
}

func (f *hostFile) Read(buf []byte) (int, Errno) {
	if f.closed {
		return 0, EBADF
	}
	if len(buf) == 0 {
		return 0, 0
	}
	n, err := retry(func() (int, error) { return unix.Read(f.fd, buf) })
	return max(n, 0), errnoOf(err)
}

func (f *hostFile) Pread(buf []byte, off int64) (int, Errno) {
	if f.closed {
		return 0, EBADF
	}
	if off < 0 {
		return 0, EINVAL
	}
	if len(buf) == 0 {
		return 0, 0
	}
	n, err := retry(func() (int, error) { return unix.Pread(f.fd, buf, off) })
	return max(n, 0), errnoOf(err)
}

func (f *hostFile) Seek(offset int64, whence int) (int64, Errno) {
	if f.closed {
		return 0, EBADF
	}
	if whence < io.SeekStart || whence > io.SeekEnd {
		return 0, EINVAL
	}
	n, err := unix.Seek(f.fd, offset, whence)
	return n, errnoOf(err)
}

func (f *hostFile) Readdir(int) ([]xsys.Dirent, Errno) { return nil, EBADF }

func (f *hostFile) Write(buf []byte) (int, Errno) {
	if f.closed {
		return 0, EBADF
	}
	if len(buf) == 0 {
		return 0, 0
	}
	n, err := retry(func() (int, error) { return unix.Write(f.fd, buf) })
	return max(n, 0), errnoOf(err)
}

func (f *hostFile) Pwrite(buf []byte, off int64) (int, Errno) {
	if f.closed {
		return 0, EBADF
	}
	if off < 0 {
		return 0, EINVAL
	}
	if len(buf) == 0 {
		return 0, 0
	}
	n, err := retry(func() (int, error) { return unix.Pwrite(f.fd, buf, off) })
	return max(n, 0), errnoOf(err)
}

func (f *hostFile) Truncate(size int64) Errno {
	if f.closed {
		return EBADF
	}
	if size < 0 {
		return EINVAL
	}
	err := unix.Ftruncate(f.fd, size)
	if err == unix.EINVAL && f.flag&(O_WRONLY|O_RDWR) == 0 {
		return EBADF
	}
	return errnoOf(err)
}

func (f *hostFile) Sync() Errno {
	if f.closed {
		return EBADF
	}
	return errnoOf(unix.Fsync(f.fd))
}

func (f *hostFile) Datasync() Errno {
	if f.closed {
		return EBADF
	}
	return errnoOf(unix.Fdatasync(f.fd))
}

// Utimens changes times through the descriptor only for files in a writable
// place; for image files it returns EPERM, which makes wazero fall back to
// FS.Utimens, which copies the file up first.
func (f *hostFile) Utimens(atim, mtim int64) Errno {
	if f.closed {
		return EBADF
	}
	if !f.writable {
		return EPERM
	}
	ts := [2]unix.Timespec{timespec(atim), timespec(mtim)}
	return errnoOf(unix.UtimesNanoAt(f.fd, "", ts[:], unix.AT_EMPTY_PATH))
}

func (f *hostFile) Close() Errno {
	if f.closed {
		return 0
	}
	f.closed = true
	return errnoOf(unix.Close(f.fd))
}

// readCloser adapts a sys.File for host-side readers.
type readCloser struct{ f xsys.File }

func (r readCloser) Read(p []byte) (int, error) {
	n, errno := r.f.Read(p)
	if errno != 0 {
		return n, errno
	}
	if n == 0 && len(p) > 0 {
		return 0, io.EOF
	}
	return n, nil
}

func (r readCloser) Close() error {
	if errno := r.f.Close(); errno != 0 {
		return errno
	}
	return nil
}
