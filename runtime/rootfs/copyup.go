package rootfs

import (
	"crypto/rand"
	"encoding/hex"
	"io"
	"os"

	"golang.org/x/sys/unix"
)

// upperOf makes sure directory d exists in the writable layer (copying up it
// and its parents with their modes, owners and times) and returns the
// writable host directory fd for d. Callers hold fs.mu.
func (w *walker) upperOf(d *dnode) (int, Errno) {
	if errno := w.writableDir(d); errno != 0 {
		return -1, errno
	}
	if d.mnt != nil {
		return d.ls[0].fd, 0
	}
	if len(d.ls) > 0 && d.ls[0].layer == layerUpper {
		return d.ls[0].fd, 0
	}
	if d.parent == nil { // the root, before anything was written
		fd, errno := w.v.fs.writableLayer()
		if errno != 0 {
			return -1, errno
		}
		d.ls = append([]ldir{{fd: fd, layer: layerUpper}}, d.ls...)
		return fd, 0
	}
	pfd, errno := w.upperOf(d.parent)
	if errno != 0 {
		return -1, errno
	}
	src := d.ls[0]
	var st unix.Stat_t
	if err := unix.Fstat(src.fd, &st); err != nil {
		return -1, errnoOf(err)
	}
	f := w.v.fs
	err := unix.Mkdirat(pfd, d.name, 0o700)
	if err != nil && err != unix.EEXIST {
		return -1, errnoOf(err)
	}
	fd, errno := w.openDir(pfd, d.name)
	if errno != 0 {
		return -1, errno
	}
	if err == nil {
		uid, gid := f.ownerOf(src.fd, ".", &st)
		f.setOwner(pfd, d.name, uid, gid, true)
		chmodAt(pfd, d.name, st.Mode&0o7777)
		utimensAt(pfd, d.name, st.Atim.Nano(), st.Mtim.Nano())
	}
	d.ls = append([]ldir{{fd: fd, layer: layerUpper}}, d.ls...)
	return fd, 0
}

func tempName(kind string) string {
	var b [8]byte
	rand.Read(b[:])
	return stagePrefix + kind + "." + hex.EncodeToString(b[:])
}

// copyUp copies the lower entry e into the writable layer (its content too
// when data is set) and points e at the copy. A directory is copied without
// its children. Callers hold fs.mu.
func (w *walker) copyUp(e *entry, data bool) Errno {
	if e.virt != nil {
		return EACCES
	}
	if e.mnt != nil {
		if e.mnt.ro {
			return EROFS
		}
		return 0
	}
	if e.name == "" { // the root: the writable layer's directory
		if w.v.fs.ro && !w.v.internal {
			return EROFS
		}
		if e.layer != layerUpper {
			fd, errno := w.upperOf(e.dir)
			if errno != 0 {
				return errno
			}
			e.fd, e.layer, e.li = fd, layerUpper, 0
			if err := unix.Fstat(fd, &e.st); err != nil {
				return errnoOf(err)
			}
		}
		return 0
	}
	if e.layer == layerUpper {
		return w.writableDir(e.dir)
	}
	pfd, errno := w.upperOf(e.dir)
	if errno != 0 {
		return errno
	}
	f := w.v.fs
	// Another process may have copied it up since we looked.
	var ust unix.Stat_t
	if unix.Fstatat(pfd, e.name, &ust, unix.AT_SYMLINK_NOFOLLOW) == nil {
		e.st, e.fd, e.hname, e.layer, e.li = ust, pfd, e.name, layerUpper, 0
		return 0
	}
	st := e.st
	uid, gid := f.ownerOf(e.fd, e.hname, &st)
	switch st.Mode & unix.S_IFMT {
	case unix.S_IFDIR:
		nd, errno := w.descend(e)
		if errno != 0 {
			return errno
		}
		if _, errno := w.upperOf(nd); errno != 0 {
			return errno
		}
	case unix.S_IFLNK:
		target, errno := w.readlink(e)
		if errno != 0 {
			return errno
		}
		if err := unix.Symlinkat(target, pfd, e.name); err != nil {
			return errnoOf(err)
		}
		f.setOwner(pfd, e.name, uid, gid, true)
		utimensAt(pfd, e.name, st.Atim.Nano(), st.Mtim.Nano())
	case unix.S_IFREG:
		tmp := tempName("copyup")
		dfd, err := unix.Openat(pfd, tmp, unix.O_CREAT|unix.O_EXCL|unix.O_WRONLY|unix.O_CLOEXEC|unix.O_NOFOLLOW, 0o600)
		if err != nil {
			return errnoOf(err)
		}
		dst := os.NewFile(uintptr(dfd), tmp)
		ok := false
		defer func() {
			if !ok {
				unix.Unlinkat(pfd, tmp, 0)
			}
		}()
		if data && st.Size > 0 {
			sfd, err := unix.Openat(e.fd, e.hname, unix.O_RDONLY|unix.O_NOFOLLOW|unix.O_CLOEXEC, 0)
			if err != nil {
				dst.Close()
				return errnoOf(err)
			}
			src := os.NewFile(uintptr(sfd), e.hname)
			_, err = io.Copy(dst, src)
			src.Close()
			if err != nil {
				dst.Close()
				return errnoOf(err)
			}
		}
		if err := dst.Close(); err != nil {
			return errnoOf(err)
		}
		f.setOwner(pfd, tmp, uid, gid, true)
		if errno := chmodAt(pfd, tmp, st.Mode&0o7777); errno != 0 {
			return errno
		}
		utimensAt(pfd, tmp, st.Atim.Nano(), st.Mtim.Nano())
		if err := unix.Renameat(pfd, tmp, pfd, e.name); err != nil {
			return errnoOf(err)
		}
		ok = true
	case unix.S_IFIFO:
		if err := unix.Mknodat(pfd, e.name, unix.S_IFIFO|(st.Mode&0o7777), 0); err != nil {
			return errnoOf(err)
		}
		f.setOwner(pfd, e.name, uid, gid, true)
	default:
		return ENOTSUP // devices and sockets in an image can't be copied up
	}
	if err := unix.Fstatat(pfd, e.name, &e.st, unix.AT_SYMLINK_NOFOLLOW); err != nil {
		return errnoOf(err)
	}
	e.fd, e.hname, e.layer, e.li = pfd, e.name, layerUpper, 0
	return 0
}

// inLower reports whether name is visible in a lower layer of d, so that
// removing it from the merged view needs a whiteout.
func inLower(d *dnode, name string) bool {
	for _, l := range d.ls {
		if l.layer > layerUpper && exists(l.fd, name) {
			return true
		}
	}
	return false
}

// whiteout records in upper directory pfd that name is deleted.
func whiteout(pfd int, name string) Errno {
	fd, err := unix.Openat(pfd, whPrefix+name, unix.O_CREAT|unix.O_WRONLY|unix.O_NOFOLLOW|unix.O_CLOEXEC, 0)
	if err != nil {
		return errnoOf(err)
	}
	unix.Close(fd)
	return 0
}

// removeWhiteout drops a whiteout for name after name was created in upper.
func removeWhiteout(pfd int, name string) {
	unix.Unlinkat(pfd, whPrefix+name, 0)
}

// makeOpaque marks upper directory (pfd, name) as hiding lower layers.
func makeOpaque(pfd int, name string) Errno {
	dfd, err := unix.Openat(pfd, name, unix.O_PATH|unix.O_DIRECTORY|unix.O_NOFOLLOW|unix.O_CLOEXEC, 0)
	if err != nil {
		return errnoOf(err)
	}
	defer unix.Close(dfd)
	return whiteout(dfd, whOpaque[len(whPrefix):])
}

// copyUpTree copies the whole merged directory e into upper, so it can be
// renamed as one host directory. Callers hold fs.mu.
func (w *walker) copyUpTree(e *entry) Errno {
	if errno := w.copyUp(e, true); errno != 0 {
		return errno
	}
	nd, errno := w.descend(e)
	if errno != 0 {
		return errno
	}
	if len(nd.ls) == 1 {
		return 0 // upper only: nothing below to bring along
	}
	names, errno := w.mergedNames(nd)
	if errno != 0 {
		return errno
	}
	for _, n := range names {
		ce, errno := w.lookup(nd, n.Name)
		if errno != 0 {
			return errno
		}
		if !ce.found || ce.virt != nil || ce.mnt != nil {
			continue
		}
		if ce.isDir() {
			errno = w.copyUpTree(&ce)
		} else if ce.layer != layerUpper {
			errno = w.copyUp(&ce, true)
		}
		if errno != 0 {
			return errno
		}
	}
	// The copy is now complete: hide what lies below it.
	return makeOpaque(e.fd, e.hname)
}
