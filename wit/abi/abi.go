// Package abi is the Go encoding of wit/sandbox.wit: the process spec the
// host hands the sandbox guest, the layout of the stat record, and the
// conversion between Go's fs.FileMode and Linux st_mode bits. Both the
// guest (GOOS=wasip1) and the host import it, so it must stay dependency
// free.
package abi

import (
	"encoding/binary"
	"io/fs"
)

// Spec is what one process runs: read by the guest through the
// "sockerless.spec" import.
type Spec struct {
	Args []string `json:"args"`
	Env  []string `json:"env"`
	Dir  string   `json:"dir"`
	Tty  bool     `json:"tty"`
	Pid  int      `json:"pid"`
	Uid  int      `json:"uid"`
	Gid  int      `json:"gid"`
	// Groups are the supplementary group ids (the user's memberships in
	// /etc/group and docker run --group-add).
	Groups   []int  `json:"groups,omitempty"`
	Hostname string `json:"hostname"`
	// Init is true for a container's first process (PID 1 semantics:
	// signals without a handler are ignored, except SIGKILL).
	Init bool `json:"init"`
	// GCPercent and GCMemoryLimit tune the guest's garbage collector
	// (debug.SetGCPercent / SetMemoryLimit; 0 leaves Go's default).
	GCPercent     int   `json:"gc_percent,omitempty"`
	GCMemoryLimit int64 `json:"gc_memory_limit,omitempty"`
}

// Signal dispositions passed to "sockerless.signal_action".
const (
	SigDefault = 0
	SigIgnore  = 1
	SigCatch   = 2
	// SigNotify delivers the signal like SigCatch but, unlike a shell
	// trap, does not interrupt a pending read of stdin (the interactive
	// shell's SIGINT).
	SigNotify = 3
)

// SignalPath is where the guest opens its signal file: reading it yields
// one byte per delivered signal number, and it never blocks the guest
// (it is non-blocking; the host's poll_oneoff wakes the reader).
const SignalPath = "/.sockerless/signal"

// StdinPath is the process's stdin as a non-blocking file (EAGAIN when no
// input has arrived; poll_oneoff waits for it).
const StdinPath = "/.sockerless/stdin"

// StatSize is the size of the record "sockerless.stat" writes.
const StatSize = 88

// Stat is a file's metadata as the host reports it.
type Stat struct {
	Mode   uint32 // Linux st_mode: type and permission bits
	Uid    uint32
	Gid    uint32
	Nlink  uint64
	Ino    uint64
	Size   int64
	Atime  int64 // unix nanoseconds
	Mtime  int64
	Ctime  int64
	Rdev   uint64
	Blocks int64
	Dev    uint64
}

// Encode writes s into b (at least StatSize bytes), little endian.
func (s *Stat) Encode(b []byte) {
	le := binary.LittleEndian
	le.PutUint32(b[0:], s.Mode)
	le.PutUint32(b[4:], s.Uid)
	le.PutUint32(b[8:], s.Gid)
	le.PutUint32(b[12:], 0)
	le.PutUint64(b[16:], s.Nlink)
	le.PutUint64(b[24:], s.Ino)
	le.PutUint64(b[32:], uint64(s.Size))
	le.PutUint64(b[40:], uint64(s.Atime))
	le.PutUint64(b[48:], uint64(s.Mtime))
	le.PutUint64(b[56:], uint64(s.Ctime))
	le.PutUint64(b[64:], s.Rdev)
	le.PutUint64(b[72:], uint64(s.Blocks))
	le.PutUint64(b[80:], s.Dev)
}

// Decode reads a record written by Encode.
func (s *Stat) Decode(b []byte) {
	le := binary.LittleEndian
	s.Mode = le.Uint32(b[0:])
	s.Uid = le.Uint32(b[4:])
	s.Gid = le.Uint32(b[8:])
	s.Nlink = le.Uint64(b[16:])
	s.Ino = le.Uint64(b[24:])
	s.Size = int64(le.Uint64(b[32:]))
	s.Atime = int64(le.Uint64(b[40:]))
	s.Mtime = int64(le.Uint64(b[48:]))
	s.Ctime = int64(le.Uint64(b[56:]))
	s.Rdev = le.Uint64(b[64:])
	s.Blocks = int64(le.Uint64(b[72:]))
	s.Dev = le.Uint64(b[80:])
}

// Linux st_mode bits.
const (
	IFMT   = 0o170000 // file type mask
	IFSOCK = 0o140000
	IFLNK  = 0o120000
	IFREG  = 0o100000
	IFBLK  = 0o060000
	IFDIR  = 0o040000
	IFCHR  = 0o020000
	IFIFO  = 0o010000
	ISUID  = 0o4000
	ISGID  = 0o2000
	ISVTX  = 0o1000
)

// LinuxMode converts a Go file mode to Linux st_mode bits.
func LinuxMode(m fs.FileMode) uint32 {
	r := uint32(m.Perm())
	switch {
	case m&fs.ModeDir != 0:
		r |= IFDIR
	case m&fs.ModeSymlink != 0:
		r |= IFLNK
	case m&fs.ModeNamedPipe != 0:
		r |= IFIFO
	case m&fs.ModeSocket != 0:
		r |= IFSOCK
	case m&fs.ModeCharDevice != 0:
		r |= IFCHR
	case m&fs.ModeDevice != 0:
		r |= IFBLK
	default:
		r |= IFREG
	}
	if m&fs.ModeSetuid != 0 {
		r |= ISUID
	}
	if m&fs.ModeSetgid != 0 {
		r |= ISGID
	}
	if m&fs.ModeSticky != 0 {
		r |= ISVTX
	}
	return r
}

// FileMode converts Linux st_mode bits to a Go file mode.
func FileMode(m uint32) fs.FileMode {
	r := fs.FileMode(m & 0o777)
	switch m & IFMT {
	case IFDIR:
		r |= fs.ModeDir
	case IFLNK:
		r |= fs.ModeSymlink
	case IFIFO:
		r |= fs.ModeNamedPipe
	case IFSOCK:
		r |= fs.ModeSocket
	case IFCHR:
		r |= fs.ModeDevice | fs.ModeCharDevice
	case IFBLK:
		r |= fs.ModeDevice
	}
	if m&ISUID != 0 {
		r |= fs.ModeSetuid
	}
	if m&ISGID != 0 {
		r |= fs.ModeSetgid
	}
	if m&ISVTX != 0 {
		r |= fs.ModeSticky
	}
	return r
}

// ProgramRequest asks the host to run a WASI command module from the
// container's root ("sockerless.program_run"). Pass* connect the program
// straight to the process's own stream; otherwise stdin comes from Stdin
// and the output is collected for the guest to copy on.
type ProgramRequest struct {
	Path       string   `json:"path"`
	Args       []string `json:"args"`
	Env        []string `json:"env"`
	Dir        string   `json:"dir"`
	Stdin      []byte   `json:"stdin,omitempty"`
	PassStdin  bool     `json:"pass_stdin,omitempty"`
	PassStdout bool     `json:"pass_stdout,omitempty"`
	PassStderr bool     `json:"pass_stderr,omitempty"`
}
