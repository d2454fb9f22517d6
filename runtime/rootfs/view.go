package rootfs

import (
	"io/fs"
	"sync/atomic"

	xsys "github.com/tetratelabs/wazero/experimental/sys"
	"github.com/tetratelabs/wazero/sys"
	"golang.org/x/sys/unix"
)

// View is the file system as one process sees it: /proc/self is its pid and
// files it creates are owned by its uid and gid, with its umask applied.
// It implements wazero's experimental sys.FS; mount one per guest instance.
type View struct {
	xsys.UnimplementedFS
	fs            *FS
	uid, gid, pid int
	groups        []int  // supplementary groups (set before the view is used)
	umask         uint32 // read and set atomically (SetUmask)
	exact         bool   // perms are exact: no WASI default widening, no umask
	waits         *Waits // FIFO ends of this process that would block
	internal      bool   // setup writes: ignore Config.ReadOnly
}

var _ xsys.FS = (*View)(nil)

// As returns a view for a process running as uid:gid, whose /proc/self is
// the container's first process.
func (f *FS) As(uid, gid int) *View { return f.Process(1, uid, gid) }

// Process returns the view of process pid running as uid:gid, umask 022.
func (f *FS) Process(pid, uid, gid int) *View {
	return &View{fs: f, uid: uid, gid: gid, pid: pid, umask: 0o022, waits: &Waits{}}
}

// Waits returns the FIFO ends of the view's process that wait for a peer
// or for data (nil for the daemon's own views, whose FIFO ends never wait).
func (v *View) Waits() *Waits { return v.waits }

// SetGroups gives the view's process its supplementary groups, which
// grant group permissions as its own group does. Call it before the view
// is used.
func (v *View) SetGroups(groups []int) { v.groups = groups }

// WithUmask returns a copy of v that applies umask m to created entries.
func (v *View) WithUmask(m fs.FileMode) *View {
	c := *v
	c.umask = uint32(m & 0o777)
	return &c
}

// Umask returns the umask v applies to created entries.
func (v *View) Umask() fs.FileMode { return fs.FileMode(atomic.LoadUint32(&v.umask)) }

// SetUmask sets the umask of v itself (the process's umask(2)) and returns
// the previous one. Copies made earlier by WithUmask and Exact keep theirs.
func (v *View) SetUmask(m fs.FileMode) fs.FileMode {
	return fs.FileMode(atomic.SwapUint32(&v.umask, uint32(m&0o777)))
}

// Exact returns a copy of v that creates entries with exactly the requested
// permission bits (no umask, no widening of WASI's fixed 0600/0700).
func (v *View) Exact() *View {
	c := *v
	c.exact = true
	return &c
}

// UID, GID and PID report the identity of the view.
func (v *View) UID() int { return v.uid }
func (v *View) GID() int { return v.gid }
func (v *View) PID() int { return v.pid }

// createPerm computes the mode of a new entry. WASI always asks for 0600
// (files) or 0700 (directories); unless Exact, those become 0666/0777 and the
// umask applies, so `echo > f` gives 0644 as it does in Docker.
func (v *View) createPerm(perm fs.FileMode, dir bool) uint32 {
	m := permToUnix(perm)
	if v.exact {
		return m
	}
	if !dir && m == 0o600 {
		m = 0o666
	} else if dir && m == 0o700 {
		m = 0o777
	}
	return m &^ atomic.LoadUint32(&v.umask)
}

func (v *View) lock() func() {
	v.fs.mu.Lock()
	return v.fs.mu.Unlock
}

// statEntry returns the stat of a found entry.
func (v *View) statEntry(w *walker, e *entry) (sys.Stat_t, Errno) {
	if e.virt != nil {
		return e.virt.stat(v), 0
	}
	return statT(&e.st), 0
}

// Lstat implements sys.FS.
func (v *View) Lstat(path string) (sys.Stat_t, Errno) { return v.stat(path, false) }

// Stat implements sys.FS.
func (v *View) Stat(path string) (sys.Stat_t, Errno) { return v.stat(path, true) }

func (v *View) stat(path string, follow bool) (sys.Stat_t, Errno) {
	w := v.walker()
	defer w.release()
	e, errno := w.existing(path, follow)
	if errno != 0 {
		return sys.Stat_t{}, errno
	}
	return v.statEntry(w, &e)
}

// Owner returns the owner of path (following a final symlink when follow).
// Errors are Errno values wrapped in *fs.PathError; nil on success.
func (v *View) Owner(path string, follow bool) (uid, gid int, err error) {
	w := v.walker()
	defer w.release()
	e, errno := w.existing(path, follow)
	if errno != 0 {
		return 0, 0, pathErr("owner", path, errno)
	}
	if e.virt != nil {
		return 0, 0, nil
	}
	uid, gid = v.fs.ownerOf(e.fd, e.hname, &e.st)
	return uid, gid, nil
}

// Attr is what stat(2) tells of a container path beyond sys.Stat_t.
type Attr struct {
	sys.Stat_t
	UID, GID int
	// Blocks is st_blocks, the 512-byte units the host allocated for
	// the file (0 for virtual /dev and /proc entries).
	Blocks int64
}

// Attr is Stat (Lstat unless follow) with the owner and allocated
// blocks, in one walk.
func (v *View) Attr(path string, follow bool) (Attr, Errno) {
	w := v.walker()
	defer w.release()
	e, errno := w.existing(path, follow)
	if errno != 0 {
		return Attr{}, errno
	}
	st, errno := v.statEntry(w, &e)
	if errno != 0 {
		return Attr{}, errno
	}
	a := Attr{Stat_t: st}
	if e.virt == nil {
		a.UID, a.GID = v.fs.ownerOf(e.fd, e.hname, &e.st)
		a.Blocks = e.st.Blocks
	}
	return a, 0
}

// Readlink implements sys.FS.
func (v *View) Readlink(path string) (string, Errno) {
	w := v.walker()
	defer w.release()
	e, errno := w.existing(path, false)
	if errno != 0 {
		return "", errno
	}
	if !e.isLink() {
		return "", EINVAL
	}
	return w.readlink(&e)
}

// OpenFile implements sys.FS.
func (v *View) OpenFile(path string, flag xsys.Oflag, perm fs.FileMode) (xsys.File, Errno) {
	w := v.walker()
	defer w.release()
	acc := flag & (O_RDONLY | O_WRONLY | O_RDWR)
	write := acc != O_RDONLY || flag&O_TRUNC != 0
	e, errno := w.resolve(path, flag&O_NOFOLLOW == 0)
	if errno != 0 {
		return nil, errno
	}
	if !e.found {
		if flag&O_CREAT == 0 {
			return nil, ENOENT
		}
		if flag&O_DIRECTORY != 0 || e.mustDir {
			return nil, EISDIR
		}
		return v.create(w, &e, flag, perm)
	}
	if flag&O_CREAT != 0 && flag&O_EXCL != 0 {
		return nil, EEXIST
	}
	if e.isLink() {
		return nil, ELOOP // O_NOFOLLOW on a symlink
	}
	if e.isDir() && write {
		return nil, EISDIR
	}
	want := uint32(0)
	if acc != O_WRONLY {
		want |= mayRead
	}
	if write {
		want |= mayWrite
	}
	if errno := w.mayEntry(&e, want); errno != 0 {
		return nil, errno
	}
	if e.isDir() {
		return v.openDir(w, &e)
	}
	if flag&O_DIRECTORY != 0 || e.mustDir {
		return nil, ENOTDIR
	}
	if e.virt != nil {
		return v.openVirtual(e.virt, flag)
	}
	if write {
		if e.layer != layerUpper {
			defer v.lock()()
		}
		// copyUp checks EROFS for entries already in upper too.
		if errno := w.copyUp(&e, flag&O_TRUNC == 0); errno != 0 {
			return nil, errno
		}
	}
	return v.openHost(&e, flag)
}

func hostFlags(flag xsys.Oflag) int {
	o := unix.O_CLOEXEC | unix.O_NOFOLLOW | unix.O_NOCTTY
	switch flag & (O_RDONLY | O_WRONLY | O_RDWR) {
	case O_WRONLY:
		o |= unix.O_WRONLY
	case O_RDWR:
		o |= unix.O_RDWR
	}
	if flag&O_APPEND != 0 {
		o |= unix.O_APPEND
	}
	if flag&O_TRUNC != 0 {
		o |= unix.O_TRUNC
	}
	if flag&xsys.O_SYNC != 0 {
		o |= unix.O_SYNC
	}
	if flag&xsys.O_DSYNC != 0 {
		o |= unix.O_DSYNC
	}
	if flag&xsys.O_NONBLOCK != 0 {
		o |= unix.O_NONBLOCK
	}
	return o
}

func (v *View) openHost(e *entry, flag xsys.Oflag) (xsys.File, Errno) {
	if e.st.Mode&unix.S_IFMT == unix.S_IFIFO {
		return v.openFifo(e, flag) // never blocks the host (fifo.go)
	}
	fd, err := retry(func() (int, error) { return unix.Openat(e.fd, e.hname, hostFlags(flag), 0) })
	if err != nil {
		if err == unix.ELOOP { // became a symlink under our feet
			return nil, ELOOP
		}
		return nil, errnoOf(err)
	}
	writable := e.layer == layerUpper && (!v.fs.ro || v.internal) || e.mnt != nil && !e.mnt.ro
	hf, errno := newHostFile(fd, flag, writable)
	if errno != 0 {
		return nil, errno
	}
	return hf, 0
}

// create makes a new regular file for OpenFile(O_CREAT).
func (v *View) create(w *walker, e *entry, flag xsys.Oflag, perm fs.FileMode) (xsys.File, Errno) {
	if e.reserved {
		return nil, EPERM
	}
	if errno := w.mayChange(e.dir); errno != 0 {
		return nil, errno
	}
	defer v.lock()()
	pfd, errno := w.upperOf(e.dir)
	if errno != 0 {
		return nil, errno
	}
	mode := v.createPerm(perm, false)
	fd, err := retry(func() (int, error) {
		return unix.Openat(pfd, e.name, hostFlags(flag)|unix.O_CREAT|unix.O_EXCL, mode)
	})
	if err == unix.EEXIST && flag&O_EXCL == 0 {
		// Created by another process since we looked: open it instead.
		e.found, e.fd, e.hname, e.layer = true, pfd, e.name, layerUpper
		if e.dir.mnt != nil {
			e.layer = layerMount
		}
		if err := unix.Fstatat(pfd, e.name, &e.st, unix.AT_SYMLINK_NOFOLLOW); err != nil {
			return nil, errnoOf(err)
		}
		if e.isLink() {
			return nil, ELOOP
		}
		if e.isDir() {
			return nil, EISDIR
		}
		return v.openHost(e, flag)
	}
	if err != nil {
		return nil, errnoOf(err)
	}
	unix.Fchmod(fd, mode) // the daemon's own umask must not apply
	v.fs.setOwner(pfd, e.name, v.uid, v.gid, true)
	if e.wh {
		removeWhiteout(pfd, e.name)
	}
	writable := e.mnt == nil || !e.mnt.ro
	hf, errno := newHostFile(fd, flag, writable)
	if errno != 0 {
		return nil, errno
	}
	return hf, 0
}

// Mkdir implements sys.FS.
func (v *View) Mkdir(path string, perm fs.FileMode) Errno {
	w := v.walker()
	defer w.release()
	e, errno := w.resolve(path, false)
	if errno == ENOTDIR {
		return ENOENT // as wazero's DirFS
	}
	if errno != 0 {
		return errno
	}
	if e.found {
		return EEXIST
	}
	if e.reserved {
		return EPERM
	}
	if errno := w.mayChange(e.dir); errno != 0 {
		return errno
	}
	defer v.lock()()
	pfd, errno := w.upperOf(e.dir)
	if errno != 0 {
		return errno
	}
	mode := v.createPerm(perm, true)
	if err := unix.Mkdirat(pfd, e.name, mode); err != nil {
		return errnoOf(err)
	}
	chmodAt(pfd, e.name, mode)
	v.fs.setOwner(pfd, e.name, v.uid, v.gid, true)
	if e.wh {
		// A lower directory of that name was deleted: keep its content hidden.
		makeOpaque(pfd, e.name)
		removeWhiteout(pfd, e.name)
	}
	return 0
}

// Mkfifo makes a named pipe at path (not following a final symlink) with
// permission bits perm, as creating a file does: write and search
// permission on the parent, the umask (unless Exact; WASI's 0600 is not
// widened: the mode comes from the caller), the view's owner, EEXIST when
// the name exists, EROFS on a read-only root. The pipe goes to the
// writable layer (made at this first change) or the mount.
func (v *View) Mkfifo(path string, perm fs.FileMode) Errno {
	mode := permToUnix(perm) & 0o7777
	if !v.exact {
		mode &^= uint32(v.Umask())
	}
	return v.makeEntry(path, func(pfd int, name string) Errno {
		if err := unix.Mknodat(pfd, name, unix.S_IFIFO|mode, 0); err != nil {
			return errnoOf(err)
		}
		chmodAt(pfd, name, mode)
		return 0
	})
}

// Chmod implements sys.FS. perm may carry fs.ModeSetuid/Setgid/Sticky or the
// raw 07000 bits.
func (v *View) Chmod(path string, perm fs.FileMode) Errno {
	return v.modify(path, true, (*walker).mayOwn, func(e *entry) Errno {
		return chmodAt(e.fd, e.hname, permToUnix(perm))
	})
}

// Chown changes the owner of path; uid or gid -1 leaves that one unchanged.
// Errors are Errno values wrapped in *fs.PathError (EROFS, ENOENT …); nil on
// success. See the package doc for where the owner is stored.
func (v *View) Chown(path string, uid, gid int, follow bool) error {
	return pathErr("chown", path, v.chown(path, uid, gid, follow))
}

func (v *View) chown(path string, uid, gid int, follow bool) Errno {
	// Without root, an owner may only change the group, to its own.
	check := func(w *walker, e *entry) Errno {
		if !v.checked() || e.virt != nil {
			return 0
		}
		ou, og := v.fs.ownerOf(e.fd, e.hname, &e.st)
		if ou != v.uid || uid >= 0 && uid != ou || gid >= 0 && gid != og && !v.inGroup(gid) {
			return EPERM
		}
		return 0
	}
	return v.modify(path, follow, check, func(e *entry) Errno {
		ou, og := v.fs.ownerOf(e.fd, e.hname, &e.st)
		if uid < 0 {
			uid = ou
		}
		if gid < 0 {
			gid = og
		}
		return v.fs.setOwner(e.fd, e.hname, uid, gid, false)
	})
}

// Utimens implements sys.FS.
func (v *View) Utimens(path string, atim, mtim int64) Errno {
	// The owner sets times; others need write permission (touch).
	check := func(w *walker, e *entry) Errno {
		if w.mayOwn(e) == 0 {
			return 0
		}
		return w.mayEntry(e, mayWrite)
	}
	return v.modify(path, true, check, func(e *entry) Errno {
		return utimensAt(e.fd, e.hname, atim, mtim)
	})
}

// modify checks that v may change path (check), copies it up and applies
// fn to its writable host copy.
func (v *View) modify(path string, follow bool, check func(*walker, *entry) Errno, fn func(e *entry) Errno) Errno {
	w := v.walker()
	defer w.release()
	e, errno := w.existing(path, follow)
	if errno != 0 {
		return errno
	}
	if e.virt != nil {
		return EPERM
	}
	if errno := check(w, &e); errno != 0 {
		return errno
	}
	defer v.lock()()
	if errno := w.copyUp(&e, true); errno != 0 {
		return errno
	}
	return fn(&e)
}

// Symlink implements sys.FS. Absolute targets are allowed: they resolve
// inside the container.
func (v *View) Symlink(target, link string) Errno {
	return v.makeEntry(link, func(pfd int, name string) Errno {
		return errnoOf(unix.Symlinkat(target, pfd, name))
	})
}

// makeEntry adds a new non-directory entry at path (a final symlink is not
// followed): EEXIST when the name exists, write and search permission on
// the parent, made by mk in the parent's writable directory, owned by the
// view's uid and gid, replacing a whiteout.
func (v *View) makeEntry(path string, mk func(pfd int, name string) Errno) Errno {
	w := v.walker()
	defer w.release()
	e, errno := w.resolve(path, false)
	if errno != 0 {
		return errno
	}
	if e.found {
		return EEXIST
	}
	if e.reserved {
		return EPERM
	}
	if e.mustDir {
		return ENOENT
	}
	if errno := w.mayChange(e.dir); errno != 0 {
		return errno
	}
	defer v.lock()()
	pfd, errno := w.upperOf(e.dir)
	if errno != 0 {
		return errno
	}
	if errno := mk(pfd, e.name); errno != 0 {
		return errno
	}
	v.fs.setOwner(pfd, e.name, v.uid, v.gid, true)
	if e.wh {
		removeWhiteout(pfd, e.name)
	}
	return 0
}

// Link implements sys.FS: both names must end up in the same writable place
// (the upper layer, or one mount).
func (v *View) Link(oldPath, newPath string) Errno {
	w := v.walker()
	defer w.release()
	src, errno := w.existing(oldPath, false)
	if errno != 0 {
		return errno
	}
	if src.isDir() {
		return EPERM
	}
	if src.virt != nil {
		return EPERM
	}
	dst, errno := w.resolve(newPath, false)
	if errno != 0 {
		return errno
	}
	if dst.found {
		return EEXIST
	}
	if dst.reserved || dst.virt != nil || dst.dir.virt != nil {
		return EPERM
	}
	if dst.mustDir {
		return ENOENT
	}
	if src.mnt != dst.dir.mnt {
		return ENOTSUP // EXDEV
	}
	if errno := w.mayChange(dst.dir); errno != 0 {
		return errno
	}
	defer v.lock()()
	if errno := w.copyUp(&src, true); errno != 0 {
		return errno
	}
	pfd, errno := w.upperOf(dst.dir)
	if errno != 0 {
		return errno
	}
	if err := unix.Linkat(src.fd, src.hname, pfd, dst.name, 0); err != nil {
		return errnoOf(err)
	}
	if dst.wh {
		removeWhiteout(pfd, dst.name)
	}
	return 0
}

// Unlink implements sys.FS.
func (v *View) Unlink(path string) Errno {
	w := v.walker()
	defer w.release()
	e, errno := w.existing(path, false)
	if errno != 0 {
		return errno
	}
	if e.isDir() {
		return EISDIR
	}
	if e.mustDir {
		return ENOTDIR
	}
	return v.remove(w, &e, false)
}

// Rmdir implements sys.FS.
func (v *View) Rmdir(path string) Errno {
	w := v.walker()
	defer w.release()
	e, errno := w.existing(path, false)
	if errno != 0 {
		return errno
	}
	if e.name == "" {
		return EPERM
	}
	if !e.isDir() {
		return ENOTDIR
	}
	nd, errno := w.descend(&e)
	if errno != 0 {
		return errno
	}
	names, errno := w.mergedNames(nd)
	if errno != 0 {
		return errno
	}
	if len(names) > 0 {
		return ENOTEMPTY
	}
	return v.remove(w, &e, true)
}

// remove deletes entry e from the merged view: the upper copy goes, and a
// whiteout hides lower ones.
func (v *View) remove(w *walker, e *entry, dir bool) Errno {
	if e.virt != nil || e.dir.virt != nil {
		return EPERM
	}
	if e.mroot {
		return EPERM // busy
	}
	if errno := w.writableDir(e.dir); errno != 0 {
		return errno
	}
	if errno := w.mayRemove(e); errno != 0 {
		return errno
	}
	defer v.lock()()
	if e.mnt != nil {
		fl := 0
		if dir {
			fl = unix.AT_REMOVEDIR
		}
		return errnoOf(unix.Unlinkat(e.fd, e.hname, fl))
	}
	lower := inLower(e.dir, e.name)
	pfd, errno := w.upperOf(e.dir)
	if errno != 0 {
		return errno
	}
	if e.layer == layerUpper {
		if dir {
			// Drop whiteouts and the opaque marker the directory may hold.
			if errno := clearUpperDir(pfd, e.name); errno != 0 {
				return errno
			}
			if err := unix.Unlinkat(pfd, e.name, unix.AT_REMOVEDIR); err != nil {
				return errnoOf(err)
			}
		} else if err := unix.Unlinkat(pfd, e.name, 0); err != nil {
			return errnoOf(err)
		}
	}
	if lower {
		return whiteout(pfd, e.name)
	}
	return 0
}

// clearUpperDir removes the ".wh." entries of upper directory (pfd, name),
// which must otherwise be empty in the merged view.
func clearUpperDir(pfd int, name string) Errno {
	dfd, err := unix.Openat(pfd, name, unix.O_PATH|unix.O_DIRECTORY|unix.O_NOFOLLOW|unix.O_CLOEXEC, 0)
	if err != nil {
		return errnoOf(err)
	}
	defer unix.Close(dfd)
	ents, errno := readHostDir(dfd)
	if errno != 0 {
		return errno
	}
	for _, de := range ents {
		if len(de.name) >= len(whPrefix) && de.name[:len(whPrefix)] == whPrefix {
			unix.Unlinkat(dfd, de.name, 0)
		} else {
			return ENOTEMPTY
		}
	}
	return 0
}

// Rename implements sys.FS.
func (v *View) Rename(from, to string) Errno {
	w := v.walker()
	defer w.release()
	src, errno := w.existing(from, false)
	if errno != 0 {
		return errno
	}
	if src.name == "" || src.mroot {
		return EPERM
	}
	if src.virt != nil || src.dir.virt != nil {
		return EPERM
	}
	dst, errno := w.resolve(to, false)
	if errno != 0 {
		return errno
	}
	if dst.reserved || dst.virt != nil || dst.dir.virt != nil || dst.mroot || dst.name == "" {
		return EPERM
	}
	if src.mnt != dst.dir.mnt {
		return ENOTSUP // EXDEV
	}
	srcDir := src.isDir()
	if dst.found {
		if dst.path() == src.path() {
			return 0
		}
		switch {
		case srcDir && !dst.isDir():
			return ENOTDIR
		case !srcDir && dst.isDir():
			return EISDIR
		}
		if srcDir {
			nd, errno := w.descend(&dst)
			if errno != 0 {
				return errno
			}
			names, errno := w.mergedNames(nd)
			if errno != 0 {
				return errno
			}
			if len(names) > 0 {
				return ENOTEMPTY
			}
		}
	}
	if srcDir {
		// Moving a directory into itself.
		sp := src.path()
		if dp := dst.path(); len(dp) > len(sp) && dp[:len(sp)] == sp && dp[len(sp)] == '/' {
			return EINVAL
		}
	}
	if errno := w.writableDir(src.dir); errno != 0 {
		return errno
	}
	if errno := w.writableDir(dst.dir); errno != 0 {
		return errno
	}
	if errno := w.mayRemove(&src); errno != 0 {
		return errno
	}
	if errno := w.mayChange(dst.dir); errno != 0 {
		return errno
	}
	if dst.found {
		if errno := w.mayRemove(&dst); errno != 0 {
			return errno
		}
	}
	defer v.lock()()
	if src.mnt != nil {
		return errnoOf(unix.Renameat(src.fd, src.hname, dst.dir.ls[0].fd, dst.name))
	}
	srcLower := inLower(src.dir, src.name)
	if srcDir {
		errno = w.copyUpTree(&src)
	} else {
		errno = w.copyUp(&src, true)
	}
	if errno != 0 {
		return errno
	}
	pfd, errno := w.upperOf(dst.dir)
	if errno != 0 {
		return errno
	}
	dstLower := dst.wh || inLower(dst.dir, dst.name)
	if dst.found && dst.isDir() && dst.layer == layerUpper {
		if errno := clearUpperDir(pfd, dst.name); errno != 0 {
			return errno
		}
	}
	if err := unix.Renameat(src.fd, src.hname, pfd, dst.name); err != nil {
		return errnoOf(err)
	}
	if srcDir && dstLower {
		makeOpaque(pfd, dst.name)
	}
	if dst.wh {
		removeWhiteout(pfd, dst.name)
	}
	if srcLower {
		return whiteout(src.fd, src.name)
	}
	return 0
}
