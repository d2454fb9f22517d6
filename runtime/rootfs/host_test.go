package rootfs

import (
	"archive/tar"
	"bytes"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"golang.org/x/sys/unix"
)

func tarList(t *testing.T, b []byte) map[string]*tar.Header {
	t.Helper()
	out := map[string]*tar.Header{}
	tr := tar.NewReader(bytes.NewReader(b))
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return out
		}
		must(t, err)
		out[h.Name] = h
	}
}

func TestWriteTarAndStatInfo(t *testing.T) {
	e := newEnv(t)
	in, err := e.fs.StatInfo("/lib")
	must(t, err)
	if in.Linkname != "usr/lib" || in.Mode&fs.ModeSymlink == 0 || in.Name != "lib" {
		t.Fatalf("info %+v", in)
	}
	var b bytes.Buffer
	must(t, e.fs.WriteTar(&b, "/usr"))
	l := tarList(t, b.Bytes())
	if _, ok := l["usr/lib/a"]; !ok || l["usr/lib/b"] != nil || l["usr/"] == nil {
		t.Fatalf("archive %v", l)
	}
	r, err := e.fs.OpenReader("/lib/a")
	must(t, err)
	data, _ := io.ReadAll(r)
	r.Close()
	if string(data) != "a1" {
		t.Fatalf("open %q", data)
	}
}

func TestExtractTar(t *testing.T) {
	e := newEnv(t)
	data := tarball(t, "f", tarEnt{name: "d/", body: ""}, tarEnt{name: "d/x", body: "xx"},
		tarEnt{name: "d/l", link: "/etc/passwd"}, tarEnt{name: "d/h", hard: "d/x"}, tarEnt{name: "new/deep/file", body: "nd"})
	// Give "f" an owner and a setuid mode.
	var b bytes.Buffer
	tw := tar.NewWriter(&b)
	tr := tar.NewReader(bytes.NewReader(data))
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if h.Name == "f" {
			h.Uid, h.Gid, h.Mode = 1000, 1001, 0o600|0o4000
		}
		tw.WriteHeader(h)
		io.Copy(tw, tr)
	}
	tw.Close()
	must(t, e.fs.ExtractTar("/data", bytes.NewReader(b.Bytes()), ExtractOptions{}))
	v := e.fs
	if s, _ := readFile(t, v, "data/d/x"); s != "xx" {
		t.Fatalf("x %q", s)
	}
	if s, _ := readFile(t, v, "data/d/l"); !strings.HasPrefix(s, "root:") {
		t.Fatalf("l %q", s)
	}
	if s, _ := readFile(t, v, "data/d/h"); s != "xx" {
		t.Fatalf("h %q", s)
	}
	if s, _ := readFile(t, v, "data/new/deep/file"); s != "nd" {
		t.Fatalf("deep %q", s)
	}
	st, _ := v.Stat("data/f")
	if st.Mode != 0o600|fs.ModeSetuid {
		t.Fatalf("mode %v", st.Mode)
	}
	st, _ = v.Stat("data/d")
	if st.Mode != fs.ModeDir|0o750 {
		t.Fatalf("dir mode %v", st.Mode)
	}
	if u, g, _ := v.Owner("data/f", true); u != 1000 || g != 1001 {
		if os.Geteuid() == 0 || xattrsWork(t, e.upper) {
			t.Fatalf("owner %d:%d", u, g)
		}
	}
	// noOverwriteDirNonDir
	err := e.fs.ExtractTar("/", bytes.NewReader(tarball(t, "etc")), ExtractOptions{NoOverwriteDirNonDir: true})
	if !errors.Is(err, ErrDirNonDir) {
		t.Fatalf("dir/non-dir: %v", err)
	}
	if st, _ := v.Stat("etc"); !st.Mode.IsDir() {
		t.Fatal("etc replaced")
	}
}

func xattrsWork(t *testing.T, dir string) bool {
	p := filepath.Join(dir, "xattr-probe")
	os.WriteFile(p, nil, 0o644)
	defer os.Remove(p)
	return setxattrProbe(p) == nil
}

func setxattrProbe(p string) error { return unix.Setxattr(p, OwnerXattr, []byte("1:1"), 0) }

func TestDiffAndExport(t *testing.T) {
	mdir := t.TempDir()
	tree(t, mdir, map[string]string{"vol": "v"})
	e := newEnv(t, Mount{Target: "/vol", Source: mdir})
	v := e.fs
	ok(t, writeFile(t, v, "etc/motd", "hi", O_CREAT))
	ok(t, v.Unlink("etc/passwd"))
	ok(t, v.Unlink("opq/new"))
	ok(t, v.Rmdir("opq"))
	var b bytes.Buffer
	must(t, e.fs.DiffTar(&b))
	d := tarList(t, b.Bytes())
	for _, n := range []string{"etc/", "etc/motd", "etc/.wh.passwd", ".wh.opq"} {
		if d[n] == nil {
			t.Errorf("diff lacks %s: %v", n, keys(d))
		}
	}
	if d["vol/vol"] != nil {
		t.Error("diff holds volume content")
	}
	b.Reset()
	must(t, e.fs.ExportTar(&b))
	x := tarList(t, b.Bytes())
	for _, n := range []string{"etc/motd", "usr/lib/a", "bin/sh", "proc/", "dev/", "vol/"} {
		if x[n] == nil {
			t.Errorf("export lacks %s: %v", n, keys(x))
		}
	}
	for n := range x {
		if strings.Contains(n, ".wh.") || n == "etc/passwd" || strings.HasPrefix(n, "opq") ||
			strings.HasPrefix(n, "proc/") && n != "proc/" || n == "vol/vol" || n == "dev/null" {
			t.Errorf("export holds %s", n)
		}
	}
	if x["bin/sh"].Mode&0o4000 == 0 {
		t.Errorf("export lost setuid: %o", x["bin/sh"].Mode)
	}
	if s, _ := readFile(t, v, "vol/vol"); s != "v" {
		t.Errorf("volume %q", s)
	}
}

func keys[M ~map[string]V, V any](m M) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

func TestReadOnlyRoot(t *testing.T) {
	d := t.TempDir()
	tree(t, filepath.Join(d, "l"), map[string]string{"etc/passwd": "p"})
	tree(t, filepath.Join(d, "m"), map[string]string{"x": "x"})
	tree(t, filepath.Join(d, "u"), map[string]string{"etc/hosts": "h"}) // written by the runtime earlier
	f, err := New(Config{Lower: []string{filepath.Join(d, "l")}, Upper: filepath.Join(d, "u"), ReadOnly: true,
		Mounts: []Mount{{Target: "/data", Source: filepath.Join(d, "m")}}})
	must(t, err)
	defer f.Close()
	wantErrno := func(got, want Errno) {
		t.Helper()
		if got != want {
			t.Fatalf("errno %v want %v", got, want)
		}
	}
	wantErrno(writeFile(t, f, "etc/passwd", "x", O_TRUNC), EROFS)
	wantErrno(writeFile(t, f, "new", "x", O_CREAT), EROFS)
	wantErrno(writeFile(t, f, "etc/hosts", "x", O_TRUNC), EROFS)
	fl, errno := f.OpenFile("etc/hosts", O_RDONLY, 0)
	wantErrno(errno, 0)
	wantErrno(fl.Utimens(1, 1), EPERM)
	fl.Close()
	wantErrno(f.Mkdir("d", 0o755), EROFS)
	wantErrno(f.Unlink("etc/passwd"), EROFS)
	wantErrno(f.Chmod("etc", 0o700), EROFS)
	wantErrno(writeFile(t, f, "data/y", "y", O_CREAT), 0) // volumes stay writable
	if s, _ := readFile(t, f, "etc/passwd"); s != "p" {
		t.Fatal(s)
	}
}

func TestOwnership(t *testing.T) {
	e := newEnv(t)
	if os.Geteuid() != 0 && !xattrsWork(t, e.upper) {
		t.Skip("no user xattrs on the temp dir")
	}
	ok(t, e.fs.Chmod("data", 0o777)) // a directory that user 1234 may write to
	v := e.fs.Process(7, 1234, 99)
	ok(t, writeFile(t, v, "data/mine", "m", O_CREAT))
	ok(t, v.Mkdir("data/dir", 0o700))
	for _, p := range []string{"data/mine", "data/dir"} {
		if u, g, _ := v.Owner(p, true); u != 1234 || g != 99 {
			t.Fatalf("%s owner %d:%d", p, u, g)
		}
	}
	must(t, e.fs.Chown("data/keep", 5, -1, true))
	if u, g, _ := e.fs.Owner("data/keep", true); u != 5 || g != 0 {
		t.Fatalf("chown %d:%d", u, g)
	}
	in, err := e.fs.StatInfo("/data/mine")
	must(t, err)
	if in.UID != 1234 || in.GID != 99 {
		t.Fatalf("info owner %d:%d", in.UID, in.GID)
	}
	// Copy-up keeps the owner.
	must(t, e.fs.Chown("data/keep", 0, 0, true))
	if u, g, _ := e.fs.Owner("data/keep", true); u != 0 || g != 0 {
		t.Fatalf("chown back %d:%d", u, g)
	}
}

func TestMountsVisible(t *testing.T) {
	src := t.TempDir()
	tree(t, src, map[string]string{"a": "1"})
	file := filepath.Join(t.TempDir(), "cfg")
	must(t, os.WriteFile(file, []byte("cfg"), 0o600))
	e := newEnv(t, Mount{Target: "/srv/deep/vol", Source: src}, Mount{Target: "/etc/app.conf", Source: file, ReadOnly: true})
	v := e.fs
	if got := names(t, v, "srv/deep"); !slices.Equal(got, []string{"vol"}) {
		t.Fatalf("mount point listing %v", got)
	}
	if s, _ := readFile(t, v, "etc/app.conf"); s != "cfg" {
		t.Fatalf("file mount %q", s)
	}
	if errno := writeFile(t, v, "etc/app.conf", "x", O_TRUNC); errno != EROFS {
		t.Fatalf("ro file mount %v", errno)
	}
	ok(t, writeFile(t, v, "srv/deep/vol/b", "2", O_CREAT))
	if b, _ := os.ReadFile(filepath.Join(src, "b")); string(b) != "2" {
		t.Fatal("volume write not on host source")
	}
	if errno := v.Rmdir("srv/deep/vol"); errno != EPERM && errno != ENOTEMPTY {
		t.Fatalf("rmdir mount point %v", errno)
	}
	if errno := v.Rename("srv/deep/vol/a", "a"); errno != ENOTSUP {
		t.Fatalf("cross-mount rename %v", errno)
	}
	ch, err := e.fs.Changes()
	must(t, err)
	for _, c := range ch {
		if c.Path == "/proc" || c.Path == "/srv/deep/vol" {
			t.Fatalf("changes report %v", c)
		}
	}
}

func TestConcurrentCopyUp(t *testing.T) {
	e := newEnv(t)
	const n = 16
	done := make(chan Errno, n)
	for i := 0; i < n; i++ {
		go func() {
			v := e.fs.Process(100+i, 0, 0)
			done <- writeFile(t, v, "etc/passwd", "x", O_APPEND)
		}()
	}
	for i := 0; i < n; i++ {
		ok(t, <-done)
	}
	s, _ := readFile(t, e.fs, "etc/passwd")
	if want := "root:x:0:0::/root:/bin/sh\n" + strings.Repeat("x", n); s != want {
		t.Fatalf("got %q", s)
	}
}

func TestStdioEntries(t *testing.T) {
	e := newEnv(t)
	v := e.fs.Process(42, 0, 0) // not in the process table
	for _, p := range []string{"dev/stdin", "dev/stdout", "dev/stderr", "dev/fd/1", "proc/self/fd/2"} {
		if _, errno := v.Stat(p); errno != 0 {
			t.Fatalf("stat %s: %v", p, errno)
		}
	}
	if got := names(t, v, "proc/self/root/dev/shm"); got != nil {
		t.Fatalf("shm %v", got)
	}
	st, _ := v.Stat("dev/shm")
	if st.Mode != fs.ModeDir|fs.ModeSticky|0o777 {
		t.Fatalf("shm mode %v", st.Mode)
	}
}
