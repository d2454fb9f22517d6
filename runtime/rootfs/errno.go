package rootfs

import (
	"errors"

	xsys "github.com/tetratelabs/wazero/experimental/sys"
	"golang.org/x/sys/unix"
)

// Short names for wazero's errno values and open flags used throughout.
type Errno = xsys.Errno

const (
	EACCES       = xsys.EACCES
	EAGAIN       = xsys.EAGAIN
	EBADF        = xsys.EBADF
	EEXIST       = xsys.EEXIST
	EINVAL       = xsys.EINVAL
	EIO          = xsys.EIO
	EISDIR       = xsys.EISDIR
	ELOOP        = xsys.ELOOP
	ENAMETOOLONG = xsys.ENAMETOOLONG
	ENOENT       = xsys.ENOENT
	ENOSYS       = xsys.ENOSYS
	ENOTDIR      = xsys.ENOTDIR
	ENOTEMPTY    = xsys.ENOTEMPTY
	ENOTSUP      = xsys.ENOTSUP
	EPERM        = xsys.EPERM
	EROFS        = xsys.EROFS
)

const (
	O_RDONLY    = xsys.O_RDONLY
	O_RDWR      = xsys.O_RDWR
	O_WRONLY    = xsys.O_WRONLY
	O_APPEND    = xsys.O_APPEND
	O_CREAT     = xsys.O_CREAT
	O_DIRECTORY = xsys.O_DIRECTORY
	O_EXCL      = xsys.O_EXCL
	O_NOFOLLOW  = xsys.O_NOFOLLOW
	O_TRUNC     = xsys.O_TRUNC
)

// errnoOf maps a host error to an Errno. EXDEV, ENOSPC and friends, which
// wazero can't express, become EIO/ENOTSUP rather than leaking host detail.
func errnoOf(err error) Errno {
	if err == nil {
		return 0
	}
	var en unix.Errno
	if errors.As(err, &en) {
		switch en {
		case unix.EXDEV:
			return ENOTSUP
		case unix.EOPNOTSUPP:
			return ENOTSUP
		case unix.EBUSY:
			return EPERM
		case unix.ENOSPC, unix.EDQUOT:
			return EIO
		}
	}
	if e := xsys.UnwrapOSError(err); e != 0 {
		return e
	}
	return EIO
}
