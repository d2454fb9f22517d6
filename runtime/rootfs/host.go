package rootfs

import (
	"archive/tar"
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"sort"
	"strings"
	"time"

	"golang.org/x/sys/unix"
)

// Info describes a container path for the Docker API (docker cp headers).
type Info struct {
	Name     string // base name ("/" for the root)
	Path     string // canonical container path
	Mode     fs.FileMode
	Size     int64
	ModTime  time.Time
	Linkname string // target of a symlink
	UID, GID int
	Dev, Ino uint64
	Nlink    uint64
}

func pathErr(op, p string, errno Errno) error {
	if errno == 0 {
		return nil
	}
	return &fs.PathError{Op: op, Path: p, Err: errno}
}

// StatInfo is lstat of a container path, as root, with owner and link target.
func (f *FS) StatInfo(p string) (Info, error) {
	w := f.View.walker()
	defer w.release()
	e, errno := w.existing(p, false)
	if errno != 0 {
		return Info{}, pathErr("stat", p, errno)
	}
	return f.infoOf(w, &e)
}

func (f *FS) infoOf(w *walker, e *entry) (Info, error) {
	st, _ := f.View.statEntry(w, e)
	in := Info{Name: e.name, Path: e.path(), Mode: st.Mode, Size: st.Size,
		ModTime: time.Unix(0, st.Mtim), Dev: st.Dev, Ino: st.Ino, Nlink: st.Nlink}
	if in.Name == "" {
		in.Name = "/"
	}
	if e.isLink() {
		t, errno := w.readlink(e)
		if errno != 0 {
			return Info{}, pathErr("readlink", e.path(), errno)
		}
		in.Linkname = t
	}
	if e.virt == nil {
		in.UID, in.GID = f.ownerOf(e.fd, e.hname, &e.st)
	}
	return in, nil
}

// OpenReader opens a container path for reading, following symlinks.
func (f *FS) OpenReader(p string) (io.ReadCloser, error) {
	fl, errno := f.View.OpenFile(p, O_RDONLY, 0)
	if errno != 0 {
		return nil, pathErr("open", p, errno)
	}
	if d, _ := fl.IsDir(); d {
		fl.Close()
		return nil, pathErr("open", p, EISDIR)
	}
	return readCloser{fl}, nil
}

// tarWalker writes merged-view trees as tar entries.
type tarWalker struct {
	f         *FS
	tw        *tar.Writer
	links     map[[2]uint64]string
	skipMount bool // export: mount contents are not part of the container
}

func (t *tarWalker) header(in Info, name string) *tar.Header {
	h := &tar.Header{Name: name, Mode: int64(permToUnix(in.Mode.Perm() | in.Mode&(fs.ModeSetuid|fs.ModeSetgid|fs.ModeSticky))),
		Uid: in.UID, Gid: in.GID, ModTime: in.ModTime, Format: tar.FormatPAX}
	switch {
	case in.Mode.IsDir():
		h.Typeflag, h.Name = tar.TypeDir, name+"/"
	case in.Mode&fs.ModeSymlink != 0:
		h.Typeflag, h.Linkname = tar.TypeSymlink, in.Linkname
	case in.Mode.IsRegular():
		h.Typeflag, h.Size = tar.TypeReg, in.Size
	case in.Mode&fs.ModeNamedPipe != 0:
		h.Typeflag = tar.TypeFifo
	default:
		return nil // devices, sockets: not archived
	}
	return h
}

// walk archives container path p (canonical) under tar name name.
func (t *tarWalker) walk(p, name string) error {
	w := t.f.View.walker()
	e, errno := w.existing(p, false)
	if errno != 0 {
		w.release()
		return pathErr("archive", p, errno)
	}
	in, err := t.f.infoOf(w, &e)
	isVirtual := e.virt != nil
	isMount := e.mroot
	w.release()
	if err != nil {
		return err
	}
	if isVirtual && !in.Mode.IsDir() {
		return nil
	}
	if name != "" {
		h := t.header(in, name)
		if h == nil {
			return nil
		}
		if h.Typeflag == tar.TypeReg && in.Nlink > 1 {
			key := [2]uint64{in.Dev, in.Ino}
			if first, ok := t.links[key]; ok {
				h.Typeflag, h.Linkname, h.Size = tar.TypeLink, first, 0
			} else {
				t.links[key] = name
			}
		}
		if err := t.tw.WriteHeader(h); err != nil {
			return err
		}
		if h.Typeflag == tar.TypeReg {
			r, err := t.f.OpenReader(p)
			if err != nil {
				return err
			}
			_, err = io.CopyN(t.tw, r, h.Size)
			r.Close()
			if err != nil {
				return fmt.Errorf("archive %s: %w", p, err)
			}
		}
	}
	if !in.Mode.IsDir() || isVirtual || (isMount && t.skipMount) {
		return nil
	}
	fl, errno := t.f.View.OpenFile(p, O_RDONLY|O_DIRECTORY|O_NOFOLLOW, 0)
	if errno != 0 {
		return pathErr("archive", p, errno)
	}
	ents, errno := fl.Readdir(-1)
	fl.Close()
	if errno != 0 {
		return pathErr("archive", p, errno)
	}
	for _, de := range ents {
		cp := path.Join(p, de.Name)
		cn := de.Name
		if name != "" {
			cn = name + "/" + de.Name
		}
		if err := t.walk(cp, cn); err != nil {
			return err
		}
	}
	return nil
}

// WriteTar archives container path p like GET /containers/{id}/archive:
// entry names start with the base name of p; symlinks are stored, not
// followed; /proc and device nodes are left out.
func (f *FS) WriteTar(w io.Writer, p string) error {
	return f.WriteTarNamed(w, p, "")
}

// WriteTarNamed is WriteTar with the top entry called name ("" for the
// base name of p): "." gives a directory's contents as "./", "./a"… as
// Docker's archive of a path ending in "/." does.
func (f *FS) WriteTarNamed(w io.Writer, p, name string) error {
	e, err := f.StatInfo(p)
	if err != nil {
		return err
	}
	tw := tar.NewWriter(w)
	if name == "" {
		name = e.Name
		if e.Path == "/" {
			name = "."
		}
	}
	t := &tarWalker{f: f, tw: tw, links: map[[2]uint64]string{}}
	if err := t.walk(e.Path, name); err != nil {
		return err
	}
	return tw.Close()
}

// ExportTar writes the flattened merged root (docker export): entry names
// are relative to "/", mount contents and /proc are not included.
func (f *FS) ExportTar(w io.Writer) error {
	tw := tar.NewWriter(w)
	t := &tarWalker{f: f, tw: tw, links: map[[2]uint64]string{}, skipMount: true}
	if err := t.walk("/", ""); err != nil {
		return err
	}
	return tw.Close()
}

// ChangeKind is the kind of a docker diff entry (values as the Docker API).
type ChangeKind uint8

const (
	ChangeModify ChangeKind = 0
	ChangeAdd    ChangeKind = 1
	ChangeDelete ChangeKind = 2
)

func (k ChangeKind) String() string { return [...]string{"C", "A", "D"}[k] }

// Change is one docker diff entry.
type Change struct {
	Path string
	Kind ChangeKind
}

// upperWalk visits every entry of the upper directory, depth first in name
// order, with its container path. Staging entries are skipped.
func (f *FS) upperWalk(fn func(dirfd int, name, cpath string, st *unix.Stat_t) error) error {
	var rec func(dirfd int, cdir string) error
	rec = func(dirfd int, cdir string) error {
		ents, errno := readHostDir(dirfd)
		if errno != 0 {
			return pathErr("readdir", cdir, errno)
		}
		sort.Slice(ents, func(i, j int) bool { return ents[i].name < ents[j].name })
		for _, de := range ents {
			if strings.HasPrefix(de.name, stagePrefix) {
				continue
			}
			cp := path.Join(cdir, de.name)
			var st unix.Stat_t
			if err := unix.Fstatat(dirfd, de.name, &st, unix.AT_SYMLINK_NOFOLLOW); err != nil {
				continue
			}
			if err := fn(dirfd, de.name, cp, &st); err != nil {
				return err
			}
			if st.Mode&unix.S_IFMT == unix.S_IFDIR {
				fd, err := unix.Openat(dirfd, de.name, unix.O_PATH|unix.O_DIRECTORY|unix.O_NOFOLLOW|unix.O_CLOEXEC, 0)
				if err != nil {
					return pathErr("open", cp, errnoOf(err))
				}
				err = rec(fd, cp)
				unix.Close(fd)
				if err != nil {
					return err
				}
			}
		}
		return nil
	}
	fd := f.upperDir()
	if fd < 0 {
		return nil // nothing written
	}
	return rec(fd, "/")
}

// inLowers reports whether canonical container path p exists in the image.
func (f *FS) inLowers(p string) bool {
	if f.nimage == 0 {
		return false
	}
	w := f.View.walker()
	defer w.release()
	d := &dnode{path: "/"}
	for i, l := range f.lowers[:f.nimage] {
		d.ls = append(d.ls, ldir{fd: l.fd, layer: i + 1})
	}
	rest := p
	for {
		comp, r := nextComp(rest)
		if comp == "" {
			return true
		}
		e := entry{dir: d, name: comp, li: -1}
		for i, l := range d.ls {
			if unix.Fstatat(l.fd, comp, &e.st, unix.AT_SYMLINK_NOFOLLOW) == nil {
				e.found, e.li, e.fd, e.hname, e.layer = true, i, l.fd, comp, l.layer
				break
			}
			if i < len(d.ls)-1 && exists(l.fd, whPrefix+comp) {
				break
			}
		}
		if !e.found {
			return false
		}
		if !hasComp(r) {
			return true
		}
		nd, errno := w.descend(&e)
		if errno != 0 {
			return false
		}
		d, rest = nd, r
	}
}

// isInitPath reports whether p is a mount point New made (in the upper
// directory or, for the standard ones, the init layer).
func (f *FS) isInitPath(p string) bool {
	return f.initPath[p] || f.initDirs && isInitDir(p)
}

// Changes lists what the container changed against its image (docker diff),
// sorted by path. Mount points and /proc, /dev, /sys created at start are
// not reported themselves.
func (f *FS) Changes() ([]Change, error) {
	var out []Change
	err := f.upperWalk(func(dirfd int, name, cp string, st *unix.Stat_t) error {
		if name == whOpaque {
			return nil
		}
		if strings.HasPrefix(name, whPrefix) {
			out = append(out, Change{Path: path.Join(path.Dir(cp), name[len(whPrefix):]), Kind: ChangeDelete})
			return nil
		}
		if f.isInitPath(cp) && !f.inLowers(cp) {
			return nil
		}
		k := ChangeAdd
		if f.inLowers(cp) {
			k = ChangeModify
		}
		out = append(out, Change{Path: cp, Kind: k})
		return nil
	})
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	// An image directory copied up only to hold mount points New made
	// (/etc for /etc/hosts) is no change of the container's (Docker keeps
	// those in its init layer): drop it unless something under it changed.
	initDir := map[string]bool{}
	addInit := func(p string) {
		for d := pathDir(p); d != "/"; d = pathDir(d) {
			initDir[d] = true
		}
	}
	for p := range f.initPath {
		addInit(p)
	}
	if f.initDirs {
		for _, p := range initDirs {
			addInit(p)
		}
	}
	changedUnder := map[string]bool{}
	for _, ch := range out {
		for d := pathDir(ch.Path); d != "/" && !changedUnder[d]; d = pathDir(d) {
			changedUnder[d] = true
		}
	}
	kept := out[:0]
	for _, ch := range out {
		if ch.Kind == ChangeModify && initDir[ch.Path] && !changedUnder[ch.Path] {
			continue
		}
		kept = append(kept, ch)
	}
	return kept, err
}

// DiffTar writes the upper directory as an OCI layer (docker commit):
// deletions as ".wh.<name>" files, replaced directories with
// ".wh..wh..opq".
func (f *FS) DiffTar(w io.Writer) error {
	tw := tar.NewWriter(w)
	links := map[uint64]string{}
	err := f.upperWalk(func(dirfd int, name, cp string, st *unix.Stat_t) error {
		tn := strings.TrimPrefix(cp, "/")
		mode := modeFromUnix(st.Mode)
		uid, gid := f.ownerOf(dirfd, name, st)
		if strings.HasPrefix(name, whPrefix) {
			uid, gid, mode = 0, 0, 0
		}
		in := Info{Mode: mode, Size: st.Size, ModTime: time.Unix(0, st.Mtim.Nano()), UID: uid, GID: gid}
		if mode&fs.ModeSymlink != 0 {
			buf := make([]byte, maxPathLen)
			n, err := unix.Readlinkat(dirfd, name, buf)
			if err != nil {
				return pathErr("readlink", cp, errnoOf(err))
			}
			in.Linkname = string(buf[:n])
		}
		h := (&tarWalker{}).header(in, tn)
		if h == nil {
			return nil
		}
		if h.Typeflag == tar.TypeReg && st.Nlink > 1 {
			if first, ok := links[st.Ino]; ok {
				h.Typeflag, h.Linkname, h.Size = tar.TypeLink, first, 0
			} else {
				links[st.Ino] = tn
			}
		}
		if err := tw.WriteHeader(h); err != nil {
			return err
		}
		if h.Typeflag == tar.TypeReg && h.Size > 0 {
			fd, err := unix.Openat(dirfd, name, unix.O_RDONLY|unix.O_NOFOLLOW|unix.O_CLOEXEC, 0)
			if err != nil {
				return pathErr("open", cp, errnoOf(err))
			}
			fl := os.NewFile(uintptr(fd), name)
			_, err = io.CopyN(tw, fl, h.Size)
			fl.Close()
			if err != nil {
				return fmt.Errorf("diff %s: %w", cp, err)
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	return tw.Close()
}

// UnsafeTarError rejects an archive entry that would leave its destination;
// when it is returned nothing was written.
type UnsafeTarError struct {
	Name   string
	Reason string
}

func (e *UnsafeTarError) Error() string {
	return fmt.Sprintf("unsafe archive entry %q: %s", e.Name, e.Reason)
}

// ErrDirNonDir reports a directory/non-directory conflict under
// ExtractOptions.NoOverwriteDirNonDir; nothing was written.
var ErrDirNonDir = errors.New("cannot overwrite a directory with a non-directory or the reverse")

// ExtractOptions tune ExtractTar.
type ExtractOptions struct {
	// NoOverwriteDirNonDir refuses to replace a directory with a
	// non-directory and the reverse (the Docker API's noOverwriteDirNonDir).
	NoOverwriteDirNonDir bool
}

type stagedEntry struct {
	h     *tar.Header
	rel   string // cleaned name inside dst
	stage string // staged content file name, for large regular files
	data  []byte // content of small regular files
}

// ExtractTar unpacks r into container directory dst (PUT archive). The
// archive is read completely and validated before anything is written:
// absolute names, ".." components, reserved ".wh." names, members written
// through a symlink of the same archive, hard links outside it, devices,
// and existing symlinks that would lead a member out of dst are rejected
// with *UnsafeTarError. Regular file content is staged in a hidden
// directory of the upper layer meanwhile.
func (f *FS) ExtractTar(dst string, r io.Reader, opts ExtractOptions) error {
	v := f.View.Exact().WithUmask(0)
	v.exact = true
	base, err := f.StatInfo(dst)
	if err != nil {
		return err
	}
	if si, err := f.resolvedInfo(dst); err != nil {
		return err
	} else if !si.Mode.IsDir() {
		return pathErr("extract", dst, ENOTDIR)
	} else {
		base = si
	}
	// Small content stays in memory; past memStage bytes it is staged in a
	// hidden directory of upper, created on demand.
	sfd := -1
	var stageName string
	defer func() {
		if sfd >= 0 {
			unix.Close(sfd)
			os.RemoveAll(path.Join(f.upperPath, stageName))
		}
	}()
	var inMem int64
	const memStage = 8 << 20

	// Phase 1: read, validate and stage.
	var ents []stagedEntry
	links := map[string]bool{} // symlinks declared by this archive
	seen := map[string]byte{}
	tr := tar.NewReader(r)
	for i := 0; ; i++ {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return fmt.Errorf("extract: %w", err)
		}
		switch h.Typeflag {
		case tar.TypeXGlobalHeader, tar.TypeXHeader:
			continue
		case tar.TypeReg, tar.TypeDir, tar.TypeSymlink, tar.TypeLink:
		default:
			return &UnsafeTarError{h.Name, fmt.Sprintf("unsupported entry type %q", h.Typeflag)}
		}
		rel, reason := cleanTarName(h.Name)
		if reason != "" {
			return &UnsafeTarError{h.Name, reason}
		}
		if rel == "." {
			if h.Typeflag != tar.TypeDir {
				return &UnsafeTarError{h.Name, "names the destination itself"}
			}
		}
		for p := rel; p != "." && p != "/"; p = path.Dir(p) {
			if p != rel && links[p] {
				return &UnsafeTarError{h.Name, "written through symlink " + p + " of the same archive"}
			}
		}
		if h.Typeflag == tar.TypeLink {
			lt, reason := cleanTarName(h.Linkname)
			if reason != "" {
				return &UnsafeTarError{h.Name, "hard link target: " + reason}
			}
			if _, ok := seen[lt]; !ok {
				return &UnsafeTarError{h.Name, "hard link to a path outside the archive"}
			}
			h.Linkname = lt
		}
		if h.Typeflag == tar.TypeSymlink {
			links[rel] = true
		} else {
			delete(links, rel)
		}
		seen[rel] = h.Typeflag
		se := stagedEntry{h: h, rel: rel}
		if h.Typeflag == tar.TypeReg && inMem+h.Size <= memStage {
			se.data = make([]byte, h.Size)
			if _, err := io.ReadFull(tr, se.data); err != nil {
				return fmt.Errorf("extract %s: %w", h.Name, err)
			}
			inMem += h.Size
		} else if h.Typeflag == tar.TypeReg {
			if sfd < 0 {
				ufd, errno := f.writableLayer()
				if errno != 0 {
					return fmt.Errorf("extract: staging: %w", errno)
				}
				stageName = tempName("stage")
				if err := unix.Mkdirat(ufd, stageName, 0o700); err != nil {
					return fmt.Errorf("extract: staging: %w", err)
				}
				if sfd, err = unix.Openat(ufd, stageName, unix.O_PATH|unix.O_DIRECTORY|unix.O_NOFOLLOW|unix.O_CLOEXEC, 0); err != nil {
					return fmt.Errorf("extract: staging: %w", err)
				}
			}
			se.stage = fmt.Sprintf("%d", i)
			fd, err := unix.Openat(sfd, se.stage, unix.O_CREAT|unix.O_EXCL|unix.O_WRONLY|unix.O_CLOEXEC, 0o600)
			if err != nil {
				return fmt.Errorf("extract: staging: %w", err)
			}
			fl := os.NewFile(uintptr(fd), se.stage)
			_, err = io.Copy(fl, tr)
			if cerr := fl.Close(); err == nil {
				err = cerr
			}
			if err != nil {
				return fmt.Errorf("extract %s: %w", h.Name, err)
			}
		}
		ents = append(ents, se)
	}
	// Existing entries: a symlink already in the container may not lead a
	// member out of dst, and dir/non-dir conflicts are checked up front.
	for _, se := range ents {
		if se.rel == "." {
			continue
		}
		parent := path.Dir(se.rel)
		if parent != "." {
			if _, declared := seen[parent]; !declared || seen[parent] != tar.TypeDir {
				if pi, err := f.resolvedInfo(path.Join(base.Path, parent)); err == nil {
					if !within(pi.Path, base.Path) {
						return &UnsafeTarError{se.h.Name, "parent leads outside " + dst + " through a symlink"}
					}
				}
			}
		}
		if opts.NoOverwriteDirNonDir {
			if in, err := f.StatInfo(path.Join(base.Path, se.rel)); err == nil {
				if in.Mode.IsDir() != (se.h.Typeflag == tar.TypeDir) {
					return fmt.Errorf("extract %s: %w", se.h.Name, ErrDirNonDir)
				}
			}
		}
	}

	// Phase 2: apply.
	for _, se := range ents {
		if err := f.applyEntry(v, base.Path, sfd, se); err != nil {
			return err
		}
	}
	return nil
}

// resolvedInfo stats p following symlinks; Path is canonical.
func (f *FS) resolvedInfo(p string) (Info, error) {
	w := f.View.walker()
	defer w.release()
	e, errno := w.existing(p, true)
	if errno != 0 {
		return Info{}, pathErr("stat", p, errno)
	}
	return f.infoOf(w, &e)
}

func within(p, dir string) bool {
	return p == dir || dir == "/" || strings.HasPrefix(p, dir+"/")
}

// cleanTarName validates an archive member name and returns it cleaned.
func cleanTarName(name string) (string, string) {
	if name == "" {
		return "", "empty name"
	}
	if strings.HasPrefix(name, "/") {
		return "", "absolute name"
	}
	if strings.ContainsRune(name, 0) {
		return "", "NUL in name"
	}
	for _, c := range strings.Split(name, "/") {
		if c == ".." {
			return "", "\"..\" in name"
		}
		if strings.HasPrefix(c, whPrefix) {
			return "", "reserved .wh. name"
		}
		if len(c) > maxNameLen {
			return "", "name too long"
		}
	}
	return path.Clean(name), ""
}

func (f *FS) applyEntry(v *View, base string, sfd int, se stagedEntry) error {
	h := se.h
	p := path.Join(base, se.rel)
	fail := func(errno Errno) error { return pathErr("extract", p, errno) }
	if se.rel != "." {
		if err := mkdirAll(v, path.Dir(p)); err != nil {
			return err
		}
	}
	st, errno := v.Lstat(p)
	exists := errno == 0
	if exists && !(h.Typeflag == tar.TypeDir && st.Mode.IsDir()) {
		if st.Mode.IsDir() {
			if errno := v.Rmdir(p); errno != 0 {
				return fail(errno)
			}
		} else if errno := v.Unlink(p); errno != 0 {
			return fail(errno)
		}
		exists = false
	}
	mode := fs.FileMode(h.Mode & 0o7777)
	switch h.Typeflag {
	case tar.TypeDir:
		if !exists {
			if errno := v.Mkdir(p, mode); errno != 0 {
				return fail(errno)
			}
		}
	case tar.TypeReg:
		fl, errno := v.OpenFile(p, O_CREAT|O_EXCL|O_WRONLY|O_NOFOLLOW, mode)
		if errno != 0 {
			return fail(errno)
		}
		var src io.ReadCloser = io.NopCloser(bytes.NewReader(se.data))
		if se.stage != "" {
			fd, err := unix.Openat(sfd, se.stage, unix.O_RDONLY|unix.O_CLOEXEC|unix.O_NOFOLLOW, 0)
			if err != nil {
				fl.Close()
				return fail(errnoOf(err))
			}
			src = os.NewFile(uintptr(fd), se.stage)
		}
		buf := make([]byte, 64<<10)
		for {
			n, rerr := src.Read(buf)
			if n > 0 {
				if _, errno := fl.Write(buf[:n]); errno != 0 {
					src.Close()
					fl.Close()
					return fail(errno)
				}
			}
			if rerr != nil {
				break
			}
		}
		src.Close()
		fl.Close()
	case tar.TypeSymlink:
		if errno := v.Symlink(h.Linkname, p); errno != 0 {
			return fail(errno)
		}
	case tar.TypeLink:
		if errno := v.Link(path.Join(base, h.Linkname), p); errno != 0 {
			return fail(errno)
		}
		return nil
	}
	if errno := v.chown(p, h.Uid, h.Gid, false); errno != 0 {
		return fail(errno)
	}
	if h.Typeflag != tar.TypeSymlink {
		if errno := v.Chmod(p, mode); errno != 0 {
			return fail(errno)
		}
		mt := h.ModTime.UnixNano()
		if errno := v.Utimens(p, mt, mt); errno != 0 {
			return fail(errno)
		}
	}
	return nil
}

func mkdirAll(v *View, p string) error {
	st, errno := v.Stat(p)
	if errno == 0 {
		if !st.Mode.IsDir() {
			return pathErr("mkdir", p, ENOTDIR)
		}
		return nil
	}
	if p == "/" {
		return pathErr("mkdir", p, errno)
	}
	if err := mkdirAll(v, path.Dir(p)); err != nil {
		return err
	}
	if errno := v.Mkdir(p, 0o755); errno != 0 && errno != EEXIST {
		return pathErr("mkdir", p, errno)
	}
	return nil
}
