package builtins

import (
	"io/fs"
	"os"
	"syscall"
)

// NativeSys implements [Sys] with the host's system calls. Tests use it to
// run commands natively; the sandbox guest has its own implementation.
type NativeSys struct{}

func (NativeSys) Stat(name string) (fs.FileInfo, error)  { return nativeInfo(os.Stat(name)) }
func (NativeSys) Lstat(name string) (fs.FileInfo, error) { return nativeInfo(os.Lstat(name)) }
func (NativeSys) Chmod(name string, mode fs.FileMode) error {
	return os.Chmod(name, mode)
}
func (NativeSys) Chown(name string, uid, gid int) error  { return os.Chown(name, uid, gid) }
func (NativeSys) Lchown(name string, uid, gid int) error { return os.Lchown(name, uid, gid) }
func (NativeSys) Mkfifo(name string, mode fs.FileMode) error {
	return syscall.Mkfifo(name, uint32(mode.Perm()))
}
func (NativeSys) Kill(pid, sig int) error { return syscall.Kill(pid, syscall.Signal(sig)) }
func (NativeSys) Getpid() int             { return os.Getpid() }
func (NativeSys) Getuid() int             { return os.Getuid() }
func (NativeSys) Getgid() int             { return os.Getgid() }
func (NativeSys) Getgroups() []int {
	gs, _ := os.Getgroups()
	return gs
}
func (NativeSys) Umask() fs.FileMode {
	m := syscall.Umask(0)
	syscall.Umask(m)
	return fs.FileMode(m)
}

type nativeFileInfo struct {
	fs.FileInfo
	st *StatT
}

func (i nativeFileInfo) Sys() any { return i.st }

func nativeInfo(fi fs.FileInfo, err error) (fs.FileInfo, error) {
	if err != nil {
		return nil, err
	}
	st := &StatT{Nlink: 1}
	if s, ok := fi.Sys().(*syscall.Stat_t); ok {
		*st = StatT{
			Uid: s.Uid, Gid: s.Gid, Nlink: uint64(s.Nlink), Ino: s.Ino, Dev: s.Dev, Rdev: s.Rdev,
			Blocks: s.Blocks, Atime: s.Atim.Nano(), Ctime: s.Ctim.Nano(),
		}
	}
	return nativeFileInfo{fi, st}, nil
}
