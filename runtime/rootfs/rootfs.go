package rootfs

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"sort"
	"strings"
	"sync"
	"sync/atomic"

	"golang.org/x/sys/unix"
)

// Config describes a container root file system.
type Config struct {
	// Lower are host directories holding extracted image layers, top-most
	// first. They are never written to.
	Lower []string
	// Upper is the container's writable host directory. With an init
	// layer it is created (with its parents) at the first change, so a
	// container that writes nothing costs no directory; without one, New
	// creates it.
	Upper string
	// Init, if set, is a directory prepared by MakeInit that holds the
	// mount points every container needs (/proc, /dev, /dev/shm, /sys),
	// merged below the image layers as Docker merges its init layer: New
	// then has nothing to create in Upper unless a mount target is
	// missing. Without it New creates them in Upper.
	Init string
	// Mounts are volumes and bind mounts, applied at their Target.
	Mounts []Mount
	// Proc feeds /proc. Nil gives an empty process table.
	Proc ProcSource
	// ReadOnly makes the merged root read-only (docker run --read-only):
	// changes fail with EROFS. Read-write mounts stay writable.
	ReadOnly bool
}

// Mount puts the host directory or file Source at the container path Target.
type Mount struct {
	Target   string // absolute container path
	Source   string // host path of a directory or a regular file
	ReadOnly bool
	// Content makes a file mount whose Source may not exist yet: the
	// first lookup of Target writes Content to a new Source file (its
	// directory must exist), so a container that never looks at the file
	// costs no file. Nil for an ordinary mount.
	Content []byte
}

// Whiteout naming of OCI layers.
const (
	whPrefix = ".wh."
	whOpaque = ".wh..wh..opq"
	// stagePrefix names hidden scratch entries in upper (tar staging,
	// copy-up temporaries). It starts with whPrefix, so the guest can't see it.
	stagePrefix = ".wh..sockerless."
)

const (
	maxHops    = 40
	maxPathLen = 4096
	maxNameLen = 255
)

// layerRoot is one host directory of the merged root, opened once.
type layerRoot struct {
	path string
	fd   int // O_PATH|O_DIRECTORY
}

type mount struct {
	target string // canonical container path
	source string
	ro     bool
	// fd is the O_PATH fd of the source dir, or of the parent of a file
	// source; -1 for a Content mount whose parent directory is missing
	// until its first lookup makes it (read it after materialize).
	fd   int
	file string // base name of a file source, "" for a directory
	// content is written to a missing file source at its first lookup.
	content []byte
	made    sync.Once
}

// materialize creates a Content mount's source file (and its directory)
// if it is missing. Racing lookups wait for the first; a file that
// exists is kept as is.
func (m *mount) materialize() {
	if m.content == nil {
		return
	}
	m.made.Do(func() {
		if m.fd < 0 {
			dir := pathDir(m.source)
			if os.MkdirAll(dir, 0o700) != nil {
				return // the lookup reports EBADF
			}
			fd, err := unix.Open(dir, unix.O_PATH|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
			if err != nil {
				return
			}
			m.fd = fd
		}
		fd, err := unix.Openat(m.fd, m.file, unix.O_CREAT|unix.O_EXCL|unix.O_WRONLY|unix.O_NOFOLLOW|unix.O_CLOEXEC, 0o644)
		if err != nil {
			return // EEXIST: already there; otherwise the lookup reports it
		}
		for b := m.content; len(b) > 0; {
			n, err := unix.Write(fd, b)
			if err != nil {
				break
			}
			b = b[n:]
		}
		unix.Close(fd)
	})
}

// FS is a container root file system. Its sys.FS methods act as root (uid 0)
// for pid 1; use View for a process's own identity. It is safe for
// concurrent use.
type FS struct {
	View // root view

	upperPath string
	// upperFD is the writable layer's directory: 0 until the first change
	// makes it (writableLayer), -1 once closed. Read without f.mu by
	// lookups, which see no upper layer until it exists.
	upperFD  atomic.Int32
	upperMu  sync.Mutex  // serialises making it
	lowers   []layerRoot // image layers, then the init layer if any
	nimage   int         // how many of lowers are image layers
	initDirs bool        // the init layer provides the standard mount points
	mounts   map[string]*mount
	mountDir map[string]bool // container dirs that are mount targets or hold one
	proc     ProcSource
	ro       bool
	asRoot   bool            // daemon runs as root: real chown
	initPath map[string]bool // entries New created in upper (mount points, /proc …)

	mu     sync.Mutex // serialises structural changes (copy-up, whiteouts)
	closed bool
}

// New opens the layers, creates the upper directory and the mount points
// (/proc, /dev, /sys and every mount target, as Docker does in its rw layer).
func New(cfg Config) (*FS, error) {
	if cfg.Upper == "" {
		return nil, errors.New("rootfs: no upper directory")
	}
	f := &FS{
		mounts:   map[string]*mount{},
		mountDir: map[string]bool{},
		proc:     cfg.Proc,
		ro:       cfg.ReadOnly,
		asRoot:   os.Geteuid() == 0,
		initPath: map[string]bool{},
	}
	if f.proc == nil {
		f.proc = &FakeProc{}
	}
	f.View = View{fs: f, uid: 0, gid: 0, pid: 1, umask: 0o022}
	ok := false
	defer func() {
		if !ok {
			f.Close()
		}
	}()
	f.upperPath = cfg.Upper
	layers := cfg.Lower
	if cfg.Init != "" {
		layers = append(append([]string(nil), cfg.Lower...), cfg.Init)
	}
	for _, l := range layers {
		lr, err := openLayer(l)
		if err != nil {
			return nil, err
		}
		f.lowers = append(f.lowers, lr)
	}
	if cfg.Init == "" {
		// The root's own mode and owner are the writable layer's (an init
		// layer holds them until the first change).
		if _, errno := f.writableLayer(); errno != 0 {
			return nil, fmt.Errorf("rootfs: upper %s: %w", cfg.Upper, errno)
		}
	}
	f.nimage, f.initDirs = len(cfg.Lower), cfg.Init != ""
	// Mount points: container dirs created in upper like Docker's rw layer
	// (found in the init layer when there is one).
	for _, d := range initDirs {
		if err := f.ensureInit(d, true); err != nil {
			return nil, err
		}
	}
	if f.initPath["/dev/shm"] {
		v := &View{fs: f, internal: true}
		v.Chmod("/dev/shm", 0o777|fs.ModeSticky)
	}
	ms := append([]Mount(nil), cfg.Mounts...)
	sort.Slice(ms, func(i, j int) bool { return len(ms[i].Target) < len(ms[j].Target) })
	for _, m := range ms {
		if err := f.addMount(m); err != nil {
			return nil, err
		}
	}
	ok = true
	return f, nil
}

// initDirs are the mount points every container has.
var initDirs = []string{"/proc", "/dev", "/dev/shm", "/sys"}

// isInitDir reports whether p is one of initDirs.
func isInitDir(p string) bool {
	for _, d := range initDirs {
		if d == p {
			return true
		}
	}
	return false
}

// initFiles are the files Docker's init layer holds, the mount points of
// the container's own /etc/hostname, /etc/hosts and /etc/resolv.conf: in
// the init layer, mounting them writes nothing to the container's upper
// directory when the image lacks them.
var initFiles = []string{"/etc/hostname", "/etc/hosts", "/etc/resolv.conf"}

// MakeInit prepares dir as an init layer for Config.Init: the standard
// mount points (initDirs, initFiles) exactly as New would create them in
// an upper directory. It is idempotent and safe to race (the layer
// appears with one rename); a layer made by an older version gets what
// it lacks.
func MakeInit(dir string) error {
	if _, err := os.Stat(dir); err == nil {
		return fillInit(dir)
	}
	tmp, err := os.MkdirTemp(pathDir(dir), "."+pathBase(dir)+"-")
	if err != nil {
		return fmt.Errorf("rootfs: init layer: %w", err)
	}
	defer os.RemoveAll(tmp)
	os.Chmod(tmp, 0o755)
	if err := fillInit(tmp); err != nil {
		return err
	}
	if err := os.Rename(tmp, dir); err != nil {
		if _, serr := os.Stat(dir); serr == nil {
			return nil // made by a racing caller
		}
		return fmt.Errorf("rootfs: init layer: %w", err)
	}
	return nil
}

// fillInit makes the init layer's entries that dir lacks.
func fillInit(dir string) error {
	complete := true
	for _, p := range initFiles {
		if _, err := os.Lstat(dir + p); err != nil {
			complete = false
		}
	}
	if complete {
		return nil
	}
	f, err := New(Config{Upper: dir}) // New makes initDirs
	if err != nil {
		return err
	}
	defer f.Close()
	for _, p := range initFiles {
		if err := f.ensureInit(p, false); err != nil {
			return err
		}
	}
	return nil
}

func openLayer(p string) (layerRoot, error) {
	fd, err := unix.Open(p, unix.O_PATH|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
	if err != nil {
		return layerRoot{}, fmt.Errorf("rootfs: open layer %s: %w", p, err)
	}
	return layerRoot{path: p, fd: fd}, nil
}

func (f *FS) addMount(m Mount) error {
	t := path.Clean("/" + m.Target)
	if t == "/" || t == "/proc" || strings.HasPrefix(t, "/proc/") {
		return fmt.Errorf("rootfs: mount target %q not allowed", m.Target)
	}
	mt := &mount{target: t, source: m.Source, ro: m.ReadOnly, content: m.Content}
	st, err := os.Stat(m.Source)
	if err != nil && !(m.Content != nil && os.IsNotExist(err)) {
		return fmt.Errorf("rootfs: mount source: %w", err)
	}
	if st != nil && st.IsDir() && m.Content == nil {
		mt.fd, err = unix.Open(m.Source, unix.O_PATH|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
	} else if st == nil || st.Mode().IsRegular() {
		mt.file = pathBase(m.Source)
		mt.fd, err = unix.Open(pathDir(m.Source), unix.O_PATH|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
		if st == nil && os.IsNotExist(err) {
			mt.fd, err = -1, nil // made with the file, at the first lookup
		}
	} else {
		return fmt.Errorf("rootfs: mount source %s: not a directory or regular file", m.Source)
	}
	if err != nil {
		return fmt.Errorf("rootfs: mount source: %w", err)
	}
	// The mount point is created through the merged view (this honours
	// symlinks in the image and any mount it is nested in).
	if err := f.ensureInit(t, mt.file == ""); err != nil {
		if mt.fd >= 0 {
			unix.Close(mt.fd)
		}
		return err
	}
	f.mounts[t] = mt
	for d := t; d != "/"; d = pathDir(d) {
		f.mountDir[d] = true
	}
	return nil
}

// ensureInit makes sure a directory (or empty file) exists at container path p,
// creating missing parents, without honouring ReadOnly.
func (f *FS) ensureInit(p string, dir bool) error {
	v := &View{fs: f, pid: 1, umask: 0o022, internal: true}
	if st, errno := v.Stat(p); errno == 0 && dir == st.Mode.IsDir() {
		return nil // the common case: one lookup, nothing to make
	}
	cur := ""
	parts := strings.Split(strings.Trim(p, "/"), "/")
	for i, c := range parts {
		cur += "/" + c
		last := i == len(parts)-1
		st, errno := v.Stat(cur)
		if errno == 0 {
			if last && dir != st.Mode.IsDir() {
				return fmt.Errorf("rootfs: mount point %s: type mismatch with the image", p)
			}
			if !last && !st.Mode.IsDir() {
				return fmt.Errorf("rootfs: mount point %s: %s is not a directory", p, cur)
			}
			continue
		}
		if errno != ENOENT {
			return fmt.Errorf("rootfs: mount point %s: %w", p, errno)
		}
		if last && !dir {
			fl, errno := v.OpenFile(cur, O_CREAT|O_WRONLY, 0o644)
			if errno != 0 {
				return fmt.Errorf("rootfs: mount point %s: %w", p, errno)
			}
			fl.Close()
		} else if errno := v.Mkdir(cur, 0o755); errno != 0 {
			return fmt.Errorf("rootfs: mount point %s: %w", p, errno)
		}
		f.initPath[cur] = true
	}
	return nil
}

// Close releases the layer and mount descriptors. Open files stay usable.
func (f *FS) Close() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.closed {
		return nil
	}
	f.closed = true
	f.upperMu.Lock()
	if fd := f.upperFD.Swap(-1); fd > 0 {
		unix.Close(int(fd))
	}
	f.upperMu.Unlock()
	for _, l := range f.lowers {
		unix.Close(l.fd)
	}
	for _, m := range f.mounts {
		m.made.Do(func() {}) // no source made from now on (m.fd is settled)
		if m.fd >= 0 {
			unix.Close(m.fd)
		}
	}
	return nil
}

// UpperDir returns the host path of the writable layer (which exists only
// once something was changed).
func (f *FS) UpperDir() string { return f.upperPath }

// upperDir returns the writable layer's directory, or -1 while nothing has
// been written.
func (f *FS) upperDir() int {
	if fd := f.upperFD.Load(); fd > 0 {
		return int(fd)
	}
	return -1
}

// writableLayer returns the writable layer's directory, making it (and
// its parents) the first time.
func (f *FS) writableLayer() (int, Errno) {
	if fd := f.upperDir(); fd > 0 {
		return fd, 0
	}
	f.upperMu.Lock()
	defer f.upperMu.Unlock()
	switch fd := f.upperFD.Load(); {
	case fd > 0:
		return int(fd), 0
	case fd < 0:
		return -1, EBADF // closed
	}
	if err := os.MkdirAll(f.upperPath, 0o755); err != nil {
		return -1, errnoOf(err)
	}
	fd, err := unix.Open(f.upperPath, unix.O_PATH|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
	if err != nil {
		return -1, errnoOf(err)
	}
	f.upperFD.Store(int32(fd))
	return fd, 0
}

func pathDir(p string) string {
	i := strings.LastIndexByte(p, '/')
	switch {
	case i < 0:
		return "."
	case i == 0:
		return "/"
	}
	return p[:i]
}

func pathBase(p string) string {
	p = strings.TrimRight(p, "/")
	return p[strings.LastIndexByte(p, '/')+1:]
}

// modeFromUnix converts a host st_mode to an fs.FileMode.
func modeFromUnix(m uint32) fs.FileMode {
	mode := fs.FileMode(m & 0o777)
	switch m & unix.S_IFMT {
	case unix.S_IFDIR:
		mode |= fs.ModeDir
	case unix.S_IFLNK:
		mode |= fs.ModeSymlink
	case unix.S_IFIFO:
		mode |= fs.ModeNamedPipe
	case unix.S_IFSOCK:
		mode |= fs.ModeSocket
	case unix.S_IFCHR:
		mode |= fs.ModeDevice | fs.ModeCharDevice
	case unix.S_IFBLK:
		mode |= fs.ModeDevice
	}
	if m&unix.S_ISUID != 0 {
		mode |= fs.ModeSetuid
	}
	if m&unix.S_ISGID != 0 {
		mode |= fs.ModeSetgid
	}
	if m&unix.S_ISVTX != 0 {
		mode |= fs.ModeSticky
	}
	return mode
}

// permToUnix converts permission bits (fs.Mode{Setuid,Setgid,Sticky} or raw
// 07000 bits) to a host mode.
func permToUnix(p fs.FileMode) uint32 {
	m := uint32(p & 0o7777)
	if p&fs.ModeSetuid != 0 {
		m |= unix.S_ISUID
	}
	if p&fs.ModeSetgid != 0 {
		m |= unix.S_ISGID
	}
	if p&fs.ModeSticky != 0 {
		m |= unix.S_ISVTX
	}
	return m
}

func sortedMounts(f *FS) []*mount {
	out := make([]*mount, 0, len(f.mounts))
	for _, m := range f.mounts {
		out = append(out, m)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].target < out[j].target })
	return out
}
