package rootfs

import (
	"crypto/rand"
	"fmt"
	"hash/fnv"
	"io/fs"
	"strconv"
	"strings"
	"time"

	xsys "github.com/tetratelabs/wazero/experimental/sys"
	"github.com/tetratelabs/wazero/sys"
)

// ProcSource feeds the synthesised /proc of one container.
type ProcSource interface {
	// Processes lists the container's processes.
	Processes() []ProcInfo
	// System returns machine-wide numbers.
	System() SystemInfo
}

// ProcInfo describes one process of the container.
type ProcInfo struct {
	PID, PPID int
	Args      []string // argv; Args[0] names the command
	State     byte     // 'R', 'S', 'Z' …; 0 means 'S'
	Start     time.Time
	UID, GID  int
	RSS       int64  // resident bytes
	Cwd       string // container path; "" means "/"
	Env       []string
}

// SystemInfo holds the machine numbers /proc shows.
type SystemInfo struct {
	CPUs              int
	MemTotal, MemFree uint64 // bytes
	Boot              time.Time
	Load              [3]float64
	Hostname          string
	OSRelease         string // uname -r
	Version           string // uname -v
}

// FakeProc is a ProcSource for tests; its zero value has no processes and
// plausible system numbers.
type FakeProc struct {
	Procs []ProcInfo
	Sys   SystemInfo
}

func (p *FakeProc) Processes() []ProcInfo { return p.Procs }

func (p *FakeProc) System() SystemInfo {
	s := p.Sys
	if s.CPUs == 0 {
		s.CPUs = 1
	}
	if s.MemTotal == 0 {
		s.MemTotal, s.MemFree = 1<<30, 512<<20
	}
	if s.Boot.IsZero() {
		s.Boot = loadTime
	}
	return s
}

// loadTime stands in for a boot time a ProcSource leaves zero: the time
// this program (the daemon) started.
var loadTime = time.Now()

// bootTime is the source's boot time, loadTime if it gives none: the
// times of virtual entries, which a zero time.Time would make overflow
// (its UnixNano is before 1678).
func bootTime(v *View) time.Time {
	if b := v.fs.proc.System().Boot; !b.IsZero() {
		return b
	}
	return loadTime
}

type devKind uint8

const (
	devNone devKind = iota
	devNull
	devZero
	devFull
	devRandom
	devTTY
	devStdio // /proc/<pid>/fd/{0,1,2}: the guest opens its stdio itself
)

func stdioNode(base, n string) *vnode {
	return &vnode{name: n, mode: fs.ModeNamedPipe | 0o600, ino: vino(base + "/fd/" + n), dev: devStdio}
}

// vnode is a virtual file, directory or symlink.
type vnode struct {
	name string
	mode fs.FileMode
	ino  uint64
	dev  devKind
	link func(v *View) string
	data func(v *View) []byte
	kids func(v *View) []*vnode
}

func vino(path string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(path))
	return h.Sum64() | 1<<63
}

func (n *vnode) children(v *View) []*vnode {
	if n.kids == nil {
		return nil
	}
	return n.kids(v)
}

func (n *vnode) lookup(v *View, name string) *vnode {
	for _, c := range n.children(v) {
		if c.name == name {
			return c
		}
	}
	return nil
}

func (n *vnode) stat(v *View) sys.Stat_t {
	st := sys.Stat_t{Dev: 0x5f5f, Ino: n.ino, Mode: n.mode, Nlink: 1}
	t := bootTime(v).UnixNano()
	st.Atim, st.Mtim, st.Ctim = t, t, t
	switch {
	case n.link != nil:
		st.Size = int64(len(n.link(v)))
	case n.mode.IsDir():
		st.Nlink = 2
	}
	return st
}

func vlink(path, name string, target func(*View) string) *vnode {
	return &vnode{name: name, mode: fs.ModeSymlink | 0o777, ino: vino(path), link: target}
}

func vfileNode(path, name string, data func(*View) []byte) *vnode {
	return &vnode{name: name, mode: 0o444, ino: vino(path), data: data}
}

func vdirNode(path, name string, kids func(*View) []*vnode) *vnode {
	return &vnode{name: name, mode: fs.ModeDir | 0o555, ino: vino(path), kids: kids}
}

func constLink(t string) func(*View) string { return func(*View) string { return t } }

func devNode(name string, k devKind) *vnode {
	return &vnode{name: name, mode: fs.ModeDevice | fs.ModeCharDevice | 0o666, ino: vino("/dev/" + name), dev: k}
}

// devDir holds the device entries overlaid on the container's /dev.
var devDir = func() *vnode {
	kids := []*vnode{
		devNode("full", devFull),
		devNode("null", devNull),
		devNode("random", devRandom),
		devNode("tty", devTTY),
		devNode("urandom", devRandom),
		devNode("zero", devZero),
		vlink("/dev/fd", "fd", constLink("/proc/self/fd")),
		vlink("/dev/stdin", "stdin", constLink("/proc/self/fd/0")),
		vlink("/dev/stdout", "stdout", constLink("/proc/self/fd/1")),
		vlink("/dev/stderr", "stderr", constLink("/proc/self/fd/2")),
	}
	return &vnode{name: "dev", mode: fs.ModeDir | 0o755, ino: vino("/dev"),
		kids: func(*View) []*vnode { return kids }}
}()

// procRoot is the synthesised /proc.
var procRoot = vdirNode("/proc", "proc", procKids)

var procStatic = []*vnode{
	vfileNode("/proc/cpuinfo", "cpuinfo", procCPUInfo),
	vfileNode("/proc/filesystems", "filesystems", func(*View) []byte {
		return []byte("nodev\tproc\nnodev\ttmpfs\nnodev\toverlay\n")
	}),
	vfileNode("/proc/loadavg", "loadavg", func(v *View) []byte {
		s := v.fs.proc.System()
		return fmt.Appendf(nil, "%.2f %.2f %.2f 1/%d %d\n", s.Load[0], s.Load[1], s.Load[2], len(v.fs.proc.Processes()), maxPID(v))
	}),
	vfileNode("/proc/meminfo", "meminfo", func(v *View) []byte {
		s := v.fs.proc.System()
		return fmt.Appendf(nil, "MemTotal:       %8d kB\nMemFree:        %8d kB\nMemAvailable:   %8d kB\nBuffers:               0 kB\nCached:                0 kB\nSwapTotal:             0 kB\nSwapFree:              0 kB\n",
			s.MemTotal>>10, s.MemFree>>10, s.MemFree>>10)
	}),
	vfileNode("/proc/mounts", "mounts", procMounts),
	vfileNode("/proc/uptime", "uptime", func(v *View) []byte {
		up := uptime(v).Seconds()
		return fmt.Appendf(nil, "%.2f %.2f\n", up, up*float64(v.fs.proc.System().CPUs))
	}),
	vfileNode("/proc/version", "version", func(v *View) []byte {
		s := v.fs.proc.System()
		return fmt.Appendf(nil, "Linux version %s (sockerless) %s\n", osRelease(s), kversion(s))
	}),
	vlink("/proc/self", "self", func(v *View) string { return strconv.Itoa(v.pid) }),
	vlink("/proc/thread-self", "thread-self", func(v *View) string { return strconv.Itoa(v.pid) + "/task/" + strconv.Itoa(v.pid) }),
	vdirNode("/proc/sys", "sys", func(*View) []*vnode { return procSys }),
}

var procSys = []*vnode{vdirNode("/proc/sys/kernel", "kernel", func(*View) []*vnode { return procKernel })}

var procKernel = []*vnode{
	vfileNode("/proc/sys/kernel/hostname", "hostname", func(v *View) []byte {
		return []byte(v.fs.proc.System().Hostname + "\n")
	}),
	vfileNode("/proc/sys/kernel/ostype", "ostype", func(*View) []byte { return []byte("Linux\n") }),
	vfileNode("/proc/sys/kernel/osrelease", "osrelease", func(v *View) []byte {
		return []byte(osRelease(v.fs.proc.System()) + "\n")
	}),
	vfileNode("/proc/sys/kernel/version", "version", func(v *View) []byte {
		return []byte(kversion(v.fs.proc.System()) + "\n")
	}),
}

func osRelease(s SystemInfo) string {
	if s.OSRelease != "" {
		return s.OSRelease
	}
	return "6.1.0-sockerless"
}

func kversion(s SystemInfo) string {
	if s.Version != "" {
		return s.Version
	}
	return "#1 SMP"
}

func uptime(v *View) time.Duration {
	b := v.fs.proc.System().Boot
	if b.IsZero() {
		return 0
	}
	return time.Since(b)
}

func maxPID(v *View) int {
	m := 0
	for _, p := range v.fs.proc.Processes() {
		m = max(m, p.PID)
	}
	return m
}

func procKids(v *View) []*vnode {
	out := append([]*vnode(nil), procStatic...)
	self := false
	for _, p := range v.fs.proc.Processes() {
		out = append(out, pidDir(p))
		self = self || p.PID == v.pid
	}
	if !self && v.pid > 0 {
		// The caller always sees itself, even before the runtime lists it.
		out = append(out, pidDir(ProcInfo{PID: v.pid, UID: v.uid, GID: v.gid}))
	}
	return out
}

func findProc(v *View, pid int) (ProcInfo, bool) {
	for _, p := range v.fs.proc.Processes() {
		if p.PID == pid {
			return p, true
		}
	}
	return ProcInfo{}, false
}

// pidDir builds /proc/<pid>; file contents are read when opened.
func pidDir(p ProcInfo) *vnode {
	base := "/proc/" + strconv.Itoa(p.PID)
	get := func(v *View) ProcInfo {
		if q, ok := findProc(v, p.PID); ok {
			return q
		}
		return p
	}
	var fds []*vnode
	kids := []*vnode{
		vfileNode(base+"/cmdline", "cmdline", func(v *View) []byte {
			var b []byte
			for _, a := range get(v).Args {
				b = append(append(b, a...), 0)
			}
			return b
		}),
		vfileNode(base+"/comm", "comm", func(v *View) []byte { return []byte(comm(get(v)) + "\n") }),
		vfileNode(base+"/environ", "environ", func(v *View) []byte {
			var b []byte
			for _, a := range get(v).Env {
				b = append(append(b, a...), 0)
			}
			return b
		}),
		vfileNode(base+"/stat", "stat", func(v *View) []byte { return procStat(v, get(v)) }),
		vfileNode(base+"/status", "status", func(v *View) []byte { return procStatus(get(v)) }),
		vlink(base+"/cwd", "cwd", func(v *View) string {
			if c := get(v).Cwd; c != "" {
				return c
			}
			return "/"
		}),
		vlink(base+"/root", "root", constLink("/")),
		vdirNode(base+"/fd", "fd", func(*View) []*vnode { return fds }),
	}
	fds = []*vnode{stdioNode(base, "0"), stdioNode(base, "1"), stdioNode(base, "2")}
	return vdirNode(base, strconv.Itoa(p.PID), func(*View) []*vnode { return kids })
}

func comm(p ProcInfo) string {
	if len(p.Args) == 0 {
		return "?"
	}
	c := p.Args[0]
	c = c[strings.LastIndexByte(c, '/')+1:]
	if len(c) > 15 {
		c = c[:15]
	}
	return c
}

func state(p ProcInfo) byte {
	if p.State == 0 {
		return 'S'
	}
	return p.State
}

const clkTck = 100

func procStat(v *View, p ProcInfo) []byte {
	start := int64(0)
	if b := v.fs.proc.System().Boot; !b.IsZero() && !p.Start.IsZero() {
		start = int64(p.Start.Sub(b) / (time.Second / clkTck))
	}
	rssPages := p.RSS / 4096
	// pid (comm) state ppid pgrp session tty_nr tpgid flags minflt cminflt
	// majflt cmajflt utime stime cutime cstime priority nice num_threads
	// itrealvalue starttime vsize rss, then zeros to 52 fields.
	b := fmt.Appendf(nil, "%d (%s) %c %d %d %d 0 -1 4194560 0 0 0 0 0 0 0 0 20 0 1 0 %d %d %d",
		p.PID, comm(p), state(p), p.PPID, p.PID, p.PID, start, p.RSS, rssPages)
	for i := 25; i <= 52; i++ {
		b = append(b, " 0"...)
	}
	return append(b, '\n')
}

func procStatus(p ProcInfo) []byte {
	names := map[byte]string{'R': "running", 'S': "sleeping", 'Z': "zombie", 'T': "stopped", 'D': "disk sleep"}
	st := state(p)
	return fmt.Appendf(nil, "Name:\t%s\nState:\t%c (%s)\nTgid:\t%d\nPid:\t%d\nPPid:\t%d\nUid:\t%d\t%d\t%d\t%d\nGid:\t%d\t%d\t%d\t%d\nVmRSS:\t%8d kB\nThreads:\t1\n",
		comm(p), st, names[st], p.PID, p.PID, p.PPID, p.UID, p.UID, p.UID, p.UID, p.GID, p.GID, p.GID, p.GID, p.RSS>>10)
}

func procCPUInfo(v *View) []byte {
	var b []byte
	for i := 0; i < v.fs.proc.System().CPUs; i++ {
		b = fmt.Appendf(b, "processor\t: %d\nvendor_id\t: sockerless\nmodel name\t: WebAssembly virtual CPU\ncpu cores\t: %d\n\n", i, v.fs.proc.System().CPUs)
	}
	return b
}

func procMounts(v *View) []byte {
	ro := "rw"
	if v.fs.ro {
		ro = "ro"
	}
	b := fmt.Appendf(nil, "overlay / overlay %s,relatime 0 0\nproc /proc proc rw,nosuid,nodev,noexec,relatime 0 0\ntmpfs /dev tmpfs rw,nosuid 0 0\n", ro)
	for _, m := range sortedMounts(v.fs) {
		opt := "rw"
		if m.ro {
			opt = "ro"
		}
		b = fmt.Appendf(b, "/dev/sockerless %s ext4 %s,relatime 0 0\n", m.target, opt)
	}
	return b
}

// vfile is an open virtual file: a /proc snapshot or a device.
type vfile struct {
	xsys.UnimplementedFile
	n      *vnode
	st     sys.Stat_t
	data   []byte
	off    int64
	flag   xsys.Oflag
	closed bool
}

func (v *View) openVirtual(n *vnode, flag xsys.Oflag) (xsys.File, Errno) {
	if n.mode.IsDir() {
		return nil, EISDIR // handled by the caller
	}
	write := flag&(O_WRONLY|O_RDWR) != 0 || flag&O_TRUNC != 0
	if n.dev == devNone && write {
		return nil, EACCES
	}
	if n.dev == devStdio {
		return nil, ENOTSUP
	}
	f := &vfile{n: n, st: n.stat(v), flag: flag}
	if n.data != nil {
		f.data = n.data(v)
		f.st.Size = int64(len(f.data))
	}
	return f, 0
}

func (f *vfile) Dev() (uint64, Errno)    { return f.st.Dev, 0 }
func (f *vfile) Ino() (sys.Inode, Errno) { return f.st.Ino, 0 }
func (f *vfile) IsDir() (bool, Errno)    { return false, 0 }
func (f *vfile) IsAppend() bool          { return false }
func (f *vfile) SetAppend(bool) Errno    { return 0 }
func (f *vfile) Sync() Errno             { return 0 }
func (f *vfile) Datasync() Errno         { return 0 }
func (f *vfile) Close() Errno            { f.closed = true; return 0 }
func (f *vfile) Utimens(int64, int64) Errno {
	return EPERM
}

func (f *vfile) Stat() (sys.Stat_t, Errno) {
	if f.closed {
		return sys.Stat_t{}, EBADF
	}
	return f.st, 0
}

func (f *vfile) readable() bool { return f.flag&O_WRONLY == 0 }
func (f *vfile) writable() bool { return f.flag&(O_WRONLY|O_RDWR) != 0 }

func (f *vfile) Read(buf []byte) (int, Errno) {
	n, errno := f.Pread(buf, f.off)
	f.off += int64(n)
	return n, errno
}

func (f *vfile) Pread(buf []byte, off int64) (int, Errno) {
	if f.closed || !f.readable() {
		return 0, EBADF
	}
	if off < 0 {
		return 0, EINVAL
	}
	switch f.n.dev {
	case devNull, devTTY:
		return 0, 0
	case devZero, devFull:
		clear(buf)
		return len(buf), 0
	case devRandom:
		rand.Read(buf)
		return len(buf), 0
	}
	if off >= int64(len(f.data)) {
		return 0, 0
	}
	return copy(buf, f.data[off:]), 0
}

func (f *vfile) Write(buf []byte) (int, Errno) { return f.Pwrite(buf, 0) }

func (f *vfile) Pwrite(buf []byte, off int64) (int, Errno) {
	if f.closed || !f.writable() {
		return 0, EBADF
	}
	switch f.n.dev {
	case devNull, devZero, devRandom, devTTY:
		return len(buf), 0
	case devFull:
		return 0, EIO // Linux says ENOSPC, which wazero can't express
	}
	return 0, EBADF
}

func (f *vfile) Seek(off int64, whence int) (int64, Errno) {
	if f.closed {
		return 0, EBADF
	}
	if f.n.dev != devNone {
		return 0, 0
	}
	switch whence {
	case 0:
	case 1:
		off += f.off
	case 2:
		off += int64(len(f.data))
	default:
		return 0, EINVAL
	}
	if off < 0 {
		return 0, EINVAL
	}
	f.off = off
	return off, 0
}

func (f *vfile) Truncate(int64) Errno {
	if f.n.dev != devNone && f.writable() {
		return 0
	}
	return EINVAL
}

func (f *vfile) Readdir(int) ([]xsys.Dirent, Errno) { return nil, EBADF }
