package sandbox

import (
	"errors"
	"io/fs"
	"strings"

	"github.com/tetratelabs/wazero/experimental/sys"

	"github.com/sockerless/sockerless/runtime/rootfs"
	"github.com/sockerless/sockerless/wit/abi"
)

// RootMeta serves a process's stat/chmod/chown/umask/mkfifo imports from
// its view of the container root (whose umask is the process's).
func RootMeta(v *rootfs.View) Meta { return rootMeta{v} }

type rootMeta struct{ v *rootfs.View }

func rel(p string) string {
	p = strings.TrimLeft(p, "/")
	if p == "" {
		return "."
	}
	return p
}

func (m rootMeta) Stat(path string, follow bool) (abi.Stat, sys.Errno) {
	a, errno := m.v.Attr(rel(path), follow)
	if errno != 0 {
		return abi.Stat{}, errno
	}
	return abi.Stat{
		Mode: abi.LinuxMode(a.Mode), Uid: uint32(a.UID), Gid: uint32(a.GID),
		Nlink: a.Nlink, Ino: a.Ino, Size: a.Size,
		Atime: a.Atim, Mtime: a.Mtim, Ctime: a.Ctim,
		Blocks: a.Blocks, Dev: a.Dev,
	}, 0
}

func (m rootMeta) Chmod(path string, mode uint32) sys.Errno {
	return m.v.Chmod(rel(path), abi.FileMode(mode|0o100000))
}

func (m rootMeta) Chown(path string, uid, gid int, follow bool) sys.Errno {
	return toErrno(m.v.Chown(rel(path), uid, gid, follow))
}

func (m rootMeta) Umask(mask int) (int, sys.Errno) {
	if mask < 0 {
		return int(m.v.Umask()), 0
	}
	return int(m.v.SetUmask(fs.FileMode(mask))), 0
}

func (m rootMeta) Mkfifo(path string, mode uint32) sys.Errno {
	return m.v.Mkfifo(rel(path), abi.FileMode(mode&0o7777))
}

// toErrno recovers the errno from rootfs's *fs.PathError results.
func toErrno(err error) sys.Errno {
	if err == nil {
		return 0
	}
	var e sys.Errno
	if errors.As(err, &e) {
		return e
	}
	return sys.UnwrapOSError(err)
}
