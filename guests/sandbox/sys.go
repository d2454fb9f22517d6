//go:build wasip1

package main

import (
	"io/fs"
	"path"
	"syscall"
	"time"
	"unsafe"

	"github.com/sockerless/sockerless/builtins"
	"github.com/sockerless/sockerless/wit/abi"
)

// hostSys implements builtins.Sys through the "sockerless" host imports:
// WASI has no permission bits, owners, signals or process table.
type hostSys struct {
	pid, uid, gid int
	groups        []int
	jobs          *jobs
}

func errnoErr(e uint32) error {
	if e == 0 {
		return nil
	}
	return syscall.Errno(e)
}

func (s *hostSys) stat(op, name string, follow bool) (fs.FileInfo, error) {
	var buf [abi.StatSize]byte
	p, n := strPtr(name)
	f := int32(0)
	if follow {
		f = 1
	}
	if e := hostStat(p, n, f, unsafe.Pointer(&buf[0])); e != 0 {
		return nil, &fs.PathError{Op: op, Path: name, Err: syscall.Errno(e)}
	}
	var st abi.Stat
	st.Decode(buf[:])
	return &fileInfo{name: path.Base(name), st: st, sys: &builtins.StatT{
		Uid: st.Uid, Gid: st.Gid, Nlink: st.Nlink, Ino: st.Ino, Dev: st.Dev, Rdev: st.Rdev,
		Blocks: st.Blocks, Atime: st.Atime, Ctime: st.Ctime,
	}}, nil
}

func (s *hostSys) Stat(name string) (fs.FileInfo, error)  { return s.stat("stat", name, true) }
func (s *hostSys) Lstat(name string) (fs.FileInfo, error) { return s.stat("lstat", name, false) }

func (s *hostSys) Chmod(name string, mode fs.FileMode) error {
	p, n := strPtr(name)
	if e := hostChmod(p, n, abi.LinuxMode(mode)&0o7777); e != 0 {
		return &fs.PathError{Op: "chmod", Path: name, Err: syscall.Errno(e)}
	}
	return nil
}

func (s *hostSys) chown(name string, uid, gid int, follow int32) error {
	p, n := strPtr(name)
	if e := hostChown(p, n, int32(uid), int32(gid), follow); e != 0 {
		return &fs.PathError{Op: "chown", Path: name, Err: syscall.Errno(e)}
	}
	return nil
}

func (s *hostSys) Chown(name string, uid, gid int) error  { return s.chown(name, uid, gid, 1) }
func (s *hostSys) Lchown(name string, uid, gid int) error { return s.chown(name, uid, gid, 0) }

func (s *hostSys) Mkfifo(name string, mode fs.FileMode) error {
	p, n := strPtr(name)
	if e := hostMkfifo(p, n, abi.LinuxMode(mode)&0o7777); e != 0 {
		return &fs.PathError{Op: "mkfifo", Path: name, Err: syscall.Errno(e)}
	}
	return nil
}

func (s *hostSys) Kill(pid, sig int) error {
	if s.jobs != nil && s.jobs.signal(pid, sig) {
		return nil
	}
	return errnoErr(hostKill(int32(pid), int32(sig)))
}
func (s *hostSys) Getpid() int { return s.pid }
func (s *hostSys) Getuid() int { return s.uid }
func (s *hostSys) Getgid() int { return s.gid }
func (s *hostSys) Getgroups() []int {
	return s.groups
}

// Umask is the process's file creation mask, which the host applies to
// the entries the guest creates.
func (s *hostSys) Umask() fs.FileMode {
	if m := hostUmask(-1); m >= 0 {
		return fs.FileMode(m)
	}
	return 0o022
}

// setUmask sets it.
func (s *hostSys) setUmask(m fs.FileMode) error {
	if e := hostUmask(int32(m & 0o777)); e < 0 {
		return syscall.Errno(-e)
	}
	return nil
}

type fileInfo struct {
	name string
	st   abi.Stat
	sys  *builtins.StatT
}

func (fi *fileInfo) Name() string       { return fi.name }
func (fi *fileInfo) Size() int64        { return fi.st.Size }
func (fi *fileInfo) Mode() fs.FileMode  { return abi.FileMode(fi.st.Mode) }
func (fi *fileInfo) ModTime() time.Time { return time.Unix(0, fi.st.Mtime) }
func (fi *fileInfo) IsDir() bool        { return fi.Mode().IsDir() }
func (fi *fileInfo) Sys() any           { return fi.sys }
