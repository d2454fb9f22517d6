package rootfs

import (
	"slices"

	"golang.org/x/sys/unix"
)

// Permission checks for processes that do not run as root, as the Linux
// kernel makes them (without capabilities): the owner, group or other
// bits of an entry decide reads and writes, a directory's write and
// search bits decide what may be created, removed or renamed in it, search
// bits decide which directories a path may pass through, a sticky
// directory protects other users' entries, and only an owner changes
// modes and times. uid 0 passes every check; so do the daemon's own
// (internal) views.

const (
	mayExec  = 1
	mayWrite = 2
	mayRead  = 4
)

// inGroup reports whether v's process is in group gid: its own group or
// one of its supplementary groups.
func (v *View) inGroup(gid int) bool {
	return v.gid == gid || slices.Contains(v.groups, gid)
}

// checked reports whether v is subject to permission checks.
func (v *View) checked() bool { return v.uid != 0 && !v.internal }

// permits reports whether v may access an entry of mode and owner.
func (v *View) permits(mode uint32, uid, gid int, want uint32) bool {
	if !v.checked() {
		return true
	}
	bits := mode
	switch {
	case v.uid == uid:
		bits = mode >> 6
	case v.inGroup(gid):
		bits = mode >> 3
	}
	return bits&want == want
}

// mayEntry checks want against an existing entry. Virtual entries (/proc,
// /dev) carry their own rules.
func (w *walker) mayEntry(e *entry, want uint32) Errno {
	if !w.v.checked() || e.virt != nil {
		return 0
	}
	uid, gid := w.v.fs.ownerOf(e.fd, e.hname, &e.st)
	if !w.v.permits(e.st.Mode, uid, gid, want) {
		return EACCES
	}
	return 0
}

// dirStat is the mode and owner of directory d as its top-most copy has them.
func (w *walker) dirStat(d *dnode) (st unix.Stat_t, uid, gid int, errno Errno) {
	fd := w.attrFD(d)
	if err := unix.Fstat(fd, &st); err != nil {
		return st, 0, 0, errnoOf(err)
	}
	uid, gid = w.v.fs.ownerOf(fd, ".", &st)
	return st, uid, gid, 0
}

// mayChange checks that v may add or remove names in directory d: write
// and search permission on it.
func (w *walker) mayChange(d *dnode) Errno {
	_, errno := w.mayChangeDir(d)
	return errno
}

// mayChangeDir is mayChange that also returns the owner of d (-1 when
// unchecked).
func (w *walker) mayChangeDir(d *dnode) (dirUID int, errno Errno) {
	if !w.v.checked() || d.virt != nil {
		return -1, 0
	}
	st, uid, gid, errno := w.dirStat(d)
	if errno != 0 {
		return -1, errno
	}
	if !w.v.permits(st.Mode, uid, gid, mayWrite|mayExec) {
		return -1, EACCES
	}
	if st.Mode&unix.S_ISVTX == 0 {
		return -1, 0 // only a sticky directory's owner matters
	}
	return uid, 0
}

// mayRemove checks that v may remove or rename away entry e of its
// directory: mayChange, and in a sticky directory v must own e or the
// directory.
func (w *walker) mayRemove(e *entry) Errno {
	duid, errno := w.mayChangeDir(e.dir)
	if errno != 0 || duid < 0 || e.virt != nil {
		return errno
	}
	if uid, _ := w.v.fs.ownerOf(e.fd, e.hname, &e.st); uid != w.v.uid && duid != w.v.uid {
		return EPERM
	}
	return 0
}

// mayOwn checks that v owns entry e (chmod, utimes with explicit times).
func (w *walker) mayOwn(e *entry) Errno {
	if !w.v.checked() || e.virt != nil {
		return 0
	}
	if uid, _ := w.v.fs.ownerOf(e.fd, e.hname, &e.st); uid != w.v.uid {
		return EPERM
	}
	return 0
}
