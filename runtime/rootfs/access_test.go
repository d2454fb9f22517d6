package rootfs

import (
	"errors"
	"io/fs"
	"os"
	"testing"
)

// TestPermissions checks the kernel's rules for a process that is not
// root, against entries of the image (owned by root) and its own.
func TestPermissions(t *testing.T) {
	e := newEnv(t)
	if os.Geteuid() != 0 && !xattrsWork(t, e.upper) {
		t.Skip("no user xattrs on the temp dir")
	}
	root := e.fs.As(0, 0)
	ok(t, root.Mkdir("home", 0o755))
	ok(t, root.Mkdir("home/u", 0o755))
	must(t, root.Chown("home/u", 1000, 1000, true))
	ok(t, root.Mkdir("secret", 0o755))
	ok(t, writeFile(t, root, "secret/key", "k", O_CREAT))
	ok(t, root.Chmod("secret", 0o700))
	ok(t, root.Mkdir("tmp", 0o777))
	ok(t, root.Chmod("tmp", 0o777|fs.ModeSticky))
	ok(t, writeFile(t, root, "tmp/roots", "r", O_CREAT))
	ok(t, writeFile(t, root, "grp", "g", O_CREAT))
	ok(t, root.Chmod("grp", 0o660))
	must(t, root.Chown("grp", 0, 50, true))

	u := e.fs.Process(2, 1000, 1000)
	g := e.fs.Process(3, 1001, 50)
	s := e.fs.Process(4, 1002, 1002) // a supplementary member of group 50
	s.SetGroups([]int{7, 50})
	for _, tc := range []struct {
		name string
		got  Errno
		want Errno
	}{
		{"read a world-readable image file", errnoOf2(readFile(t, u, "etc/passwd")), 0},
		{"write a root-owned image file", writeFile(t, u, "etc/passwd", "x", O_TRUNC), EACCES},
		{"append to a root-owned image file", writeFile(t, u, "bin/sh", "x", O_APPEND), EACCES},
		{"create in a root-owned directory", writeFile(t, u, "etc/new", "x", O_CREAT), EACCES},
		{"mkdir in a root-owned directory", u.Mkdir("etc/d", 0o755), EACCES},
		{"symlink in a root-owned directory", u.Symlink("x", "etc/l"), EACCES},
		{"unlink from a root-owned directory", u.Unlink("etc/passwd"), EACCES},
		{"rmdir in a root-owned directory", u.Rmdir("usr/lib"), ENOTEMPTY},
		{"rename out of a root-owned directory", u.Rename("etc/passwd", "home/u/p"), EACCES},
		{"chmod someone else's file", u.Chmod("etc/passwd", 0o777), EPERM},
		{"chown to oneself", pathErrno(u.Chown("etc/passwd", 1000, -1, true)), EPERM},
		{"utimes on a file one cannot write", u.Utimens("etc/passwd", 1, 1), EACCES},
		{"list a 0700 root directory", errnoOf2(names2(u, "secret")), EACCES},
		{"read through a 0700 root directory", errnoOf2(readFile(t, u, "secret/key")), EACCES},
		{"create in one's own home", writeFile(t, u, "home/u/f", "x", O_CREAT), 0},
		{"mkdir in one's own home", u.Mkdir("home/u/d", 0o700), 0},
		{"chmod one's own file", u.Chmod("home/u/f", 0o600), 0},
		{"chgrp one's own file to one's group", pathErrno(u.Chown("home/u/f", -1, 1000, true)), 0},
		{"chgrp one's own file to another group", pathErrno(u.Chown("home/u/f", -1, 0, true)), EPERM},
		{"another user reads a 0600 file", errnoOf2(readFile(t, g, "home/u/f")), EACCES},
		{"another user creates in someone's home", writeFile(t, g, "home/u/g", "x", O_CREAT), EACCES},
		{"group member writes a 0660 group file", writeFile(t, g, "grp", "x", O_TRUNC), 0},
		{"non-member reads a 0660 group file", errnoOf2(readFile(t, u, "grp")), EACCES},
		{"supplementary member writes a 0660 group file", writeFile(t, s, "grp", "x", O_TRUNC), 0},
		{"supplementary member reads a 0660 group file", errnoOf2(readFile(t, s, "grp")), 0},
		{"create in a sticky world-writable directory", writeFile(t, s, "tmp/s", "x", O_CREAT), 0},
		{"chgrp one's own file to a supplementary group", pathErrno(s.Chown("tmp/s", -1, 50, true)), 0},
		{"chgrp one's own file to a group one is not in", pathErrno(s.Chown("tmp/s", -1, 51, true)), EPERM},
		{"create in a sticky world-writable dir", writeFile(t, u, "tmp/mine", "x", O_CREAT), 0},
		{"remove another's file from a sticky dir", u.Unlink("tmp/roots"), EPERM},
		{"rename another's file in a sticky dir", u.Rename("tmp/roots", "tmp/x"), EPERM},
		{"remove one's own file from a sticky dir", u.Unlink("tmp/mine"), 0},
		{"root writes anywhere", writeFile(t, root, "secret/key", "y", O_TRUNC), 0},
	} {
		if tc.got != tc.want {
			t.Errorf("%s: errno %v, want %v", tc.name, tc.got, tc.want)
		}
	}
	if s, _ := readFile(t, root, "etc/passwd"); s != "root:x:0:0::/root:/bin/sh\n" {
		t.Errorf("etc/passwd changed: %q", s)
	}
}

func errnoOf2[T any](_ T, errno Errno) Errno { return errno }

func names2(v *View, p string) ([]string, Errno) {
	d, errno := v.OpenFile(p, O_RDONLY|O_DIRECTORY, 0)
	if errno != 0 {
		return nil, errno
	}
	defer d.Close()
	ents, errno := d.Readdir(-1)
	var r []string
	for _, e := range ents {
		r = append(r, e.Name)
	}
	return r, errno
}

func pathErrno(err error) Errno {
	if err == nil {
		return 0
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		if e, ok := pe.Err.(Errno); ok {
			return e
		}
	}
	return EIO
}
