package rootfs

import (
	"encoding/binary"
	"io/fs"
	"sort"
	"strings"

	xsys "github.com/tetratelabs/wazero/experimental/sys"
	"github.com/tetratelabs/wazero/sys"
	"golang.org/x/sys/unix"
)

// hostDirent is one raw directory entry of a host directory.
type hostDirent struct {
	ino  uint64
	typ  uint8
	name string
}

// readHostDir lists a host directory open as O_PATH, without "." and "..".
func readHostDir(pathFd int) ([]hostDirent, Errno) {
	fd, err := unix.Openat(pathFd, ".", unix.O_RDONLY|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
	if err != nil {
		return nil, errnoOf(err)
	}
	defer unix.Close(fd)
	var out []hostDirent
	buf := make([]byte, 16<<10)
	for {
		n, err := unix.Getdents(fd, buf)
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			return nil, errnoOf(err)
		}
		if n <= 0 {
			return out, 0
		}
		b := buf[:n]
		for len(b) >= 19 {
			reclen := int(binary.NativeEndian.Uint16(b[16:18]))
			if reclen < 19 || reclen > len(b) {
				break
			}
			name := b[19:reclen]
			if i := strings.IndexByte(string(name), 0); i >= 0 {
				name = name[:i]
			}
			if s := string(name); s != "." && s != ".." {
				out = append(out, hostDirent{ino: binary.NativeEndian.Uint64(b[0:8]), typ: b[18], name: s})
			}
			b = b[reclen:]
		}
	}
}

func direntType(t uint8) fs.FileMode {
	switch t {
	case unix.DT_DIR:
		return fs.ModeDir
	case unix.DT_LNK:
		return fs.ModeSymlink
	case unix.DT_FIFO:
		return fs.ModeNamedPipe
	case unix.DT_SOCK:
		return fs.ModeSocket
	case unix.DT_CHR:
		return fs.ModeDevice | fs.ModeCharDevice
	case unix.DT_BLK:
		return fs.ModeDevice
	}
	return 0
}

// mergedNames lists directory d as the container sees it: upper wins,
// whiteouts hide lower names, ".wh." names never show, device nodes of /dev
// and mount points are included. The result is sorted by name.
func (w *walker) mergedNames(d *dnode) ([]xsys.Dirent, Errno) {
	if d.virt != nil {
		var out []xsys.Dirent
		for _, n := range d.virt.children(w.v) {
			out = append(out, xsys.Dirent{Name: n.name, Ino: n.ino, Type: n.mode.Type()})
		}
		return out, 0
	}
	seen := map[string]bool{}
	hidden := map[string]bool{}
	var out []xsys.Dirent
	add := func(name string, ino uint64, t fs.FileMode) {
		if !seen[name] {
			seen[name] = true
			out = append(out, xsys.Dirent{Name: name, Ino: ino, Type: t})
		}
	}
	if d.dev {
		for _, n := range devDir.children(w.v) {
			add(n.name, n.ino, n.mode.Type())
		}
	}
	merged := d.mnt == nil
	for i, l := range d.ls {
		ents, errno := readHostDir(l.fd)
		if errno != 0 {
			return nil, errno
		}
		var whs []string
		for _, de := range ents {
			if merged && strings.HasPrefix(de.name, whPrefix) {
				if i < len(d.ls)-1 && de.name != whOpaque {
					whs = append(whs, de.name[len(whPrefix):])
				}
				continue
			}
			if hidden[de.name] {
				continue
			}
			add(de.name, de.ino, direntType(de.typ))
		}
		for _, n := range whs {
			hidden[n] = true
		}
	}
	// Mount points whose directory could not be created stay visible.
	prefix := d.path
	if prefix != "/" {
		prefix += "/"
	}
	for t, m := range w.v.fs.mounts {
		if rest, ok := strings.CutPrefix(t, prefix); ok && rest != "" && !strings.Contains(rest, "/") {
			typ := fs.ModeDir
			if m.file != "" {
				typ = 0
			}
			add(rest, 0, typ)
		}
	}
	if d.path == "/" {
		add("proc", procRoot.ino, fs.ModeDir)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, 0
}

// dirFile is an open directory of the merged view.
type dirFile struct {
	xsys.UnimplementedFile
	xsys.DirFile
	v      *View
	path   string // canonical container path
	st     sys.Stat_t
	ents   []xsys.Dirent
	loaded bool
	closed bool
}

func (v *View) openDir(w *walker, e *entry) (*dirFile, Errno) {
	df := &dirFile{v: v, path: e.path()}
	st, errno := v.statEntry(w, e)
	if errno != 0 {
		return nil, errno
	}
	df.st = st
	return df, 0
}

func (d *dirFile) Dev() (uint64, Errno)       { return d.st.Dev, 0 }
func (d *dirFile) Ino() (sys.Inode, Errno)    { return d.st.Ino, 0 }
func (d *dirFile) IsDir() (bool, Errno)       { return true, 0 }
func (d *dirFile) IsAppend() bool             { return false }
func (d *dirFile) SetAppend(bool) Errno       { return EISDIR }
func (d *dirFile) Read([]byte) (int, Errno)   { return 0, EISDIR }
func (d *dirFile) Write([]byte) (int, Errno)  { return 0, EISDIR }
func (d *dirFile) Truncate(int64) Errno       { return EISDIR }
func (d *dirFile) Sync() Errno                { return 0 }
func (d *dirFile) Datasync() Errno            { return 0 }
func (d *dirFile) Utimens(int64, int64) Errno { return EPERM } // wazero falls back to the path
func (d *dirFile) Pread([]byte, int64) (int, Errno) {
	return 0, EISDIR
}
func (d *dirFile) Pwrite([]byte, int64) (int, Errno) {
	return 0, EISDIR
}

func (d *dirFile) Stat() (sys.Stat_t, Errno) {
	if d.closed {
		return sys.Stat_t{}, EBADF
	}
	if st, errno := d.v.Stat(d.path); errno == 0 {
		return st, 0
	}
	return d.st, 0
}

func (d *dirFile) Seek(offset int64, whence int) (int64, Errno) {
	if d.closed {
		return 0, EBADF
	}
	if offset != 0 || whence != 0 {
		return 0, EINVAL
	}
	d.loaded, d.ents = false, nil
	return 0, 0
}

func (d *dirFile) Readdir(n int) ([]xsys.Dirent, Errno) {
	if d.closed {
		return nil, EBADF
	}
	if !d.loaded {
		w := d.v.walker()
		defer w.release()
		e, errno := w.existing(d.path, true)
		if errno != 0 {
			return nil, errno
		}
		nd, errno := w.descend(&e)
		if errno != 0 {
			return nil, errno
		}
		if d.ents, errno = w.mergedNames(nd); errno != 0 {
			return nil, errno
		}
		d.loaded = true
	}
	if n <= 0 || n > len(d.ents) {
		n = len(d.ents)
	}
	out := d.ents[:n:n]
	d.ents = d.ents[n:]
	return out, 0
}

func (d *dirFile) Close() Errno {
	d.closed = true
	return 0
}
