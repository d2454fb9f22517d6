package process

import "github.com/tetratelabs/wazero/experimental/sys"

// wasiErrno maps wazero's portable errno to WASI preview 1 numbering,
// which is what Go's syscall package uses on wasip1.
func wasiErrno(e sys.Errno) uint16 {
	switch e {
	case sys.EACCES:
		return 2
	case sys.EAGAIN:
		return 6
	case sys.EBADF:
		return 8
	case sys.EEXIST:
		return 20
	case sys.EFAULT:
		return 21
	case sys.EINTR:
		return 27
	case sys.EINVAL:
		return 28
	case sys.EIO:
		return 29
	case sys.EISDIR:
		return 31
	case sys.ELOOP:
		return 32
	case sys.ENAMETOOLONG:
		return 37
	case sys.ENOENT:
		return 44
	case sys.ENOSYS:
		return 52
	case sys.ENOTDIR:
		return 54
	case sys.ENOTEMPTY:
		return 55
	case sys.ENOTSOCK:
		return 57
	case sys.ENOTSUP:
		return 58
	case sys.EPERM:
		return 63
	case sys.ERANGE:
		return 68
	case sys.EROFS:
		return 69
	case ESRCH:
		return 71
	}
	return 29 // EIO
}

// ESRCH is "no such process" in WASI numbering; wazero's sys has no
// constant for it, so Kill implementations return this one.
const ESRCH sys.Errno = 0x7fff
