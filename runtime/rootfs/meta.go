package rootfs

import (
	"fmt"
	"io/fs"
	"strconv"
	"strings"

	"github.com/tetratelabs/wazero/sys"
	"golang.org/x/sys/unix"
)

// OwnerXattr holds "uid:gid" of a file when the daemon isn't root.
const OwnerXattr = "user.sockerless.owner"

// procPath names entry name of directory fd through /proc/self/fd, so that
// l* system calls address exactly that entry: the directory is pinned by the
// descriptor and name is a single component whose final symlink (if any) is
// not followed.
func procPath(fd int, name string) string {
	if name == "." || name == "" {
		return "/proc/self/fd/" + strconv.Itoa(fd)
	}
	return "/proc/self/fd/" + strconv.Itoa(fd) + "/" + name
}

// ownerOf returns the owner of (fd, name) whose stat is st.
func (f *FS) ownerOf(fd int, name string, st *unix.Stat_t) (uid, gid int) {
	if f.asRoot {
		return int(st.Uid), int(st.Gid)
	}
	if st.Mode&unix.S_IFMT == unix.S_IFLNK {
		return 0, 0
	}
	var buf [64]byte
	n, err := unix.Lgetxattr(procPath(fd, name), OwnerXattr, buf[:])
	if err != nil {
		return 0, 0
	}
	return parseOwner(string(buf[:n]))
}

func parseOwner(s string) (uid, gid int) {
	u, g, ok := strings.Cut(s, ":")
	if !ok {
		return 0, 0
	}
	uid, err1 := strconv.Atoi(u)
	gid, err2 := strconv.Atoi(g)
	if err1 != nil || err2 != nil || uid < 0 || gid < 0 {
		return 0, 0
	}
	return uid, gid
}

// setOwner records the owner of (fd, name). fresh means the entry was just
// created (nothing to clear when the owner is 0:0). Failures to store an
// xattr are ignored: the owner then reads back as 0:0.
func (f *FS) setOwner(fd int, name string, uid, gid int, fresh bool) Errno {
	if f.asRoot {
		return errnoOf(unix.Fchownat(fd, name, uid, gid, unix.AT_SYMLINK_NOFOLLOW))
	}
	p := procPath(fd, name)
	if uid == 0 && gid == 0 {
		if !fresh {
			_ = unix.Lremovexattr(p, OwnerXattr)
		}
		return 0
	}
	_ = unix.Lsetxattr(p, OwnerXattr, []byte(fmt.Sprintf("%d:%d", uid, gid)), 0)
	return 0
}

// chmodAt sets the permission bits of (fd, name) without following a symlink.
func chmodAt(fd int, name string, mode uint32) Errno {
	err := unix.Fchmodat(fd, name, mode, unix.AT_SYMLINK_NOFOLLOW)
	if err != unix.EOPNOTSUPP && err != unix.ENOSYS {
		return errnoOf(err)
	}
	// No fchmodat2: pin the inode, check it isn't a symlink, chmod via /proc.
	pfd, err := unix.Openat(fd, name, unix.O_PATH|unix.O_NOFOLLOW|unix.O_CLOEXEC, 0)
	if err != nil {
		return errnoOf(err)
	}
	defer unix.Close(pfd)
	var st unix.Stat_t
	if err := unix.Fstat(pfd, &st); err != nil {
		return errnoOf(err)
	}
	if st.Mode&unix.S_IFMT == unix.S_IFLNK {
		return ENOTSUP
	}
	return errnoOf(unix.Chmod(procPath(pfd, ""), mode))
}

func timespec(ns int64) unix.Timespec {
	const omit = -1 << 63 // sys.UTIME_OMIT
	if ns == omit {
		return unix.Timespec{Nsec: unix.UTIME_OMIT}
	}
	return unix.NsecToTimespec(ns)
}

func utimensAt(fd int, name string, atim, mtim int64) Errno {
	ts := []unix.Timespec{timespec(atim), timespec(mtim)}
	return errnoOf(unix.UtimesNanoAt(fd, name, ts, unix.AT_SYMLINK_NOFOLLOW))
}

// statT converts a host stat.
func statT(st *unix.Stat_t) sys.Stat_t {
	return sys.Stat_t{
		Dev:   st.Dev,
		Ino:   st.Ino,
		Mode:  modeFromUnix(st.Mode),
		Nlink: st.Nlink,
		Size:  st.Size,
		Atim:  st.Atim.Nano(),
		Mtim:  st.Mtim.Nano(),
		Ctim:  st.Ctim.Nano(),
	}
}

// typeOf returns the fs.FileMode type bits of a host mode.
func typeOf(m uint32) fs.FileMode { return modeFromUnix(m) & fs.ModeType }
