package rootfs

import (
	"strings"

	"golang.org/x/sys/unix"
)

const (
	layerUpper = 0  // index of the upper dir in the merged layer list
	layerMount = -1 // a directory inside a mount
)

// ldir is one layer's (or a mount's) copy of a directory, open as O_PATH.
type ldir struct {
	fd    int
	layer int // layerUpper, 1+index into FS.lowers, or layerMount
}

// dnode is a resolved directory of the container.
type dnode struct {
	path   string // canonical container path, symlink-free
	name   string // last component ("" for the root)
	parent *dnode
	mnt    *mount // inside (or the root of) this mount
	ls     []ldir // visible copies, top-most first (one for a mount)
	virt   *vnode // virtual directory (/proc …)
	dev    bool   // /dev: device nodes overlay the merged listing
}

func (d *dnode) child(name string) string {
	if d.path == "/" {
		return "/" + name
	}
	return d.path + "/" + name
}

// entry is the result of looking a name up in a dnode.
type entry struct {
	dir      *dnode
	name     string // "" only for the root itself
	found    bool
	li       int    // index in dir.ls where found
	fd       int    // host directory fd holding the entry
	hname    string // name of the entry in fd ("." for a directory mount root)
	layer    int
	mnt      *mount // the entry lives in this mount
	mroot    bool   // the entry is the mount's root
	virt     *vnode
	st       unix.Stat_t
	wh       bool // hidden by a whiteout in the upper dir
	reserved bool // a ".wh." name in the merged view
	mustDir  bool // the path had a trailing slash
}

func (e *entry) isDir() bool {
	if e.virt != nil {
		return e.virt.mode.IsDir()
	}
	return e.st.Mode&unix.S_IFMT == unix.S_IFDIR
}

func (e *entry) isLink() bool {
	if e.virt != nil {
		return e.virt.mode&0o170000 == 0 && e.virt.link != nil
	}
	return e.st.Mode&unix.S_IFMT == unix.S_IFLNK
}

// path returns the entry's canonical container path.
func (e *entry) path() string {
	if e.name == "" {
		return e.dir.path
	}
	return e.dir.child(e.name)
}

// writable reports whether changes to entries of d are allowed.
func (w *walker) writableDir(d *dnode) Errno {
	if d.virt != nil {
		return EACCES
	}
	if d.mnt != nil {
		if d.mnt.ro {
			return EROFS
		}
		return 0
	}
	if w.v.fs.ro && !w.v.internal {
		return EROFS
	}
	return 0
}

// walker resolves paths; it owns every descriptor it opens until release.
type walker struct {
	v    *View
	fds  []int
	root *dnode
}

func (v *View) walker() *walker { return &walker{v: v} }

func (w *walker) release() {
	for _, fd := range w.fds {
		unix.Close(fd)
	}
	w.fds = w.fds[:0]
}

func (w *walker) rootNode() *dnode {
	if w.root == nil {
		f := w.v.fs
		ls := make([]ldir, 0, 1+len(f.lowers))
		if fd := f.upperDir(); fd > 0 {
			ls = append(ls, ldir{fd: fd, layer: layerUpper})
		}
		for i, l := range f.lowers {
			ls = append(ls, ldir{fd: l.fd, layer: i + 1})
		}
		w.root = &dnode{path: "/", ls: ls}
	}
	return w.root
}

// openDir opens name in dirfd as a directory without following a symlink.
func (w *walker) openDir(dirfd int, name string) (int, Errno) {
	fd, err := unix.Openat(dirfd, name, unix.O_PATH|unix.O_DIRECTORY|unix.O_NOFOLLOW|unix.O_CLOEXEC, 0)
	if err != nil {
		if err == unix.ELOOP { // swapped for a symlink under our feet
			return -1, ENOTDIR
		}
		return -1, errnoOf(err)
	}
	w.fds = append(w.fds, fd)
	return fd, 0
}

func exists(fd int, name string) bool {
	var st unix.Stat_t
	return unix.Fstatat(fd, name, &st, unix.AT_SYMLINK_NOFOLLOW) == nil
}

// lookup finds name (a single component, not "." or "..") in d.
func (w *walker) lookup(d *dnode, name string) (entry, Errno) {
	e := entry{dir: d, name: name, li: -1}
	if d.virt != nil {
		if n := d.virt.lookup(w.v, name); n != nil {
			e.virt, e.found = n, true
		}
		return e, 0
	}
	child := d.child(name)
	f := w.v.fs
	if m := f.mounts[child]; m != nil {
		if m.file != "" {
			m.materialize() // before m.fd is read: it may make the directory
		}
		e.mnt, e.mroot, e.layer, e.fd, e.hname = m, true, layerMount, m.fd, "."
		if m.file != "" {
			e.hname = m.file
		}
		if err := unix.Fstatat(e.fd, e.hname, &e.st, unix.AT_SYMLINK_NOFOLLOW); err != nil {
			return e, errnoOf(err)
		}
		e.found = true
		return e, 0
	}
	if child == "/proc" {
		e.virt, e.found = procRoot, true
		return e, 0
	}
	if d.dev {
		if n := devDir.lookup(w.v, name); n != nil {
			e.virt, e.found = n, true
			return e, 0
		}
	}
	if d.mnt != nil {
		e.mnt, e.layer, e.fd, e.hname, e.li = d.mnt, layerMount, d.ls[0].fd, name, 0
		err := unix.Fstatat(e.fd, name, &e.st, unix.AT_SYMLINK_NOFOLLOW)
		if err == nil {
			e.found = true
		} else if err != unix.ENOENT {
			return e, errnoOf(err)
		}
		return e, 0
	}
	if strings.HasPrefix(name, whPrefix) {
		e.reserved = true
		return e, 0
	}
	for i, l := range d.ls {
		err := unix.Fstatat(l.fd, name, &e.st, unix.AT_SYMLINK_NOFOLLOW)
		if err == nil {
			e.found, e.li, e.fd, e.hname, e.layer = true, i, l.fd, name, l.layer
			return e, 0
		}
		if err != unix.ENOENT {
			return e, errnoOf(err)
		}
		if i < len(d.ls)-1 && exists(l.fd, whPrefix+name) {
			e.wh = l.layer == layerUpper
			return e, 0
		}
	}
	return e, 0
}

// descend opens the directory entry e as a dnode.
func (w *walker) descend(e *entry) (*dnode, Errno) {
	d := e.dir
	if e.name == "" {
		return d, 0
	}
	if !e.isDir() {
		return nil, ENOTDIR
	}
	nd := &dnode{path: d.child(e.name), name: e.name, parent: d}
	if e.virt != nil {
		nd.virt = e.virt
		return nd, 0
	}
	if e.mnt != nil {
		fd, errno := w.openDir(e.fd, e.hname)
		if errno != 0 {
			return nil, errno
		}
		nd.mnt, nd.ls = e.mnt, []ldir{{fd: fd, layer: layerMount}}
		return nd, 0
	}
	nd.dev = nd.path == "/dev"
	fd, errno := w.openDir(e.fd, e.hname)
	if errno != 0 {
		return nil, errno
	}
	nd.ls = []ldir{{fd: fd, layer: e.layer}}
	if e.li+1 >= len(d.ls) || exists(fd, whOpaque) {
		return nd, 0
	}
	var st unix.Stat_t
	for j := e.li + 1; j < len(d.ls); j++ {
		l := d.ls[j]
		err := unix.Fstatat(l.fd, e.name, &st, unix.AT_SYMLINK_NOFOLLOW)
		if err == unix.ENOENT {
			if exists(l.fd, whPrefix+e.name) {
				break
			}
			continue
		}
		if err != nil {
			return nil, errnoOf(err)
		}
		if st.Mode&unix.S_IFMT != unix.S_IFDIR {
			break
		}
		fd, errno := w.openDir(l.fd, e.name)
		if errno != 0 {
			return nil, errno
		}
		nd.ls = append(nd.ls, ldir{fd: fd, layer: l.layer})
		if j+1 < len(d.ls) && exists(fd, whOpaque) {
			break
		}
	}
	return nd, 0
}

// attrFD is the host directory holding d's mode, owner and times: its
// top-most copy, except for the root before anything was written, which
// has them from the init layer (made as the writable layer would be),
// not from the image layer's extraction directory.
func (w *walker) attrFD(d *dnode) int {
	if d.parent == nil && d.ls[0].layer != layerUpper {
		if f := w.v.fs; f.initDirs {
			return f.lowers[len(f.lowers)-1].fd
		}
	}
	return d.ls[0].fd
}

// rootEntry describes the container root itself.
func (w *walker) rootEntry() (entry, Errno) {
	r := w.rootNode()
	e := entry{dir: r, found: true, li: 0, fd: w.attrFD(r), hname: ".", layer: r.ls[0].layer}
	if err := unix.Fstat(e.fd, &e.st); err != nil {
		return e, errnoOf(err)
	}
	return e, 0
}

// nextComp splits off the next component of p, skipping "" and ".". The
// rest keeps its leading separator, so a trailing slash leaves a non-empty
// rest.
func nextComp(p string) (comp, rest string) {
	for {
		for len(p) > 0 && p[0] == '/' {
			p = p[1:]
		}
		if p == "" {
			return "", ""
		}
		if i := strings.IndexByte(p, '/'); i >= 0 {
			comp, p = p[:i], p[i:]
		} else {
			comp, p = p, ""
		}
		if comp != "." {
			return comp, p
		}
	}
}

func hasComp(p string) bool {
	c, _ := nextComp(p)
	return c != ""
}

// resolve walks p inside the container. The final component is a symlink's
// target when follow is set (or the path ends in "/"), the link itself
// otherwise. A missing final component is not an error: e.found is false.
// Paths ending in "." or ".." resolve to that directory's entry in its parent.
// existing is resolve for an entry that must exist: ENOENT otherwise.
func (w *walker) existing(p string, follow bool) (entry, Errno) {
	e, errno := w.resolve(p, follow)
	if errno == 0 && !e.found {
		errno = ENOENT
	}
	return e, errno
}

func (w *walker) resolve(p string, follow bool) (entry, Errno) {
	if len(p) > maxPathLen {
		return entry{}, ENAMETOOLONG
	}
	cur := w.rootNode()
	rest := p
	hops := 0
	for {
		comp, r := nextComp(rest)
		if comp == "" {
			// The path ends at directory cur.
			if cur.parent == nil {
				return w.rootEntry()
			}
			e, errno := w.lookup(cur.parent, cur.name)
			e.mustDir = true
			if errno == 0 && !e.found {
				errno = ENOENT // removed under our feet
			}
			return e, errno
		}
		if comp == ".." {
			if cur.parent != nil {
				cur = cur.parent
			}
			rest = r
			if !hasComp(rest) {
				rest = ""
			}
			continue
		}
		if len(comp) > maxNameLen {
			return entry{}, ENAMETOOLONG
		}
		more := hasComp(r)
		trailing := !more && r != ""
		e, errno := w.lookup(cur, comp)
		if errno != 0 {
			return e, errno
		}
		if e.found && e.isLink() && (more || follow || trailing) {
			hops++
			if hops > maxHops {
				return e, ELOOP
			}
			target, errno := w.readlink(&e)
			if errno != 0 {
				return e, errno
			}
			if target == "" {
				return e, ENOENT
			}
			if target[0] == '/' {
				cur = w.rootNode()
			}
			target += r
			if len(target) > maxPathLen*2 {
				return e, ENAMETOOLONG
			}
			rest = target
			continue
		}
		if !more {
			e.mustDir = trailing
			if trailing && e.found && !e.isDir() {
				return e, ENOTDIR
			}
			return e, 0
		}
		if !e.found {
			return e, ENOENT
		}
		if e.isDir() {
			if errno := w.mayEntry(&e, mayExec); errno != 0 {
				return e, errno // no search permission
			}
		}
		nd, errno := w.descend(&e)
		if errno != 0 {
			return e, errno
		}
		cur, rest = nd, r
	}
}

// readlink returns the target of the symlink entry e.
func (w *walker) readlink(e *entry) (string, Errno) {
	if e.virt != nil {
		if e.virt.link == nil {
			return "", EINVAL
		}
		return e.virt.link(w.v), 0
	}
	buf := make([]byte, 256)
	for {
		n, err := unix.Readlinkat(e.fd, e.hname, buf)
		if err != nil {
			return "", errnoOf(err)
		}
		if n < len(buf) {
			return string(buf[:n]), 0
		}
		if len(buf) >= maxPathLen {
			return "", ENAMETOOLONG
		}
		buf = make([]byte, len(buf)*2)
	}
}
