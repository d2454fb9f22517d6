package rootfs

import (
	"bytes"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"testing"
	"time"

	xsys "github.com/tetratelabs/wazero/experimental/sys"
	"golang.org/x/sys/unix"
)

// tree writes files into dir: "name" -> content; "name/" -> directory;
// "name@" -> symlink to content; modes via perm map.
func tree(t testing.TB, dir string, files map[string]string) {
	t.Helper()
	keys := make([]string, 0, len(files))
	for k := range files {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		v := files[k]
		switch {
		case k[len(k)-1] == '/':
			must(t, os.MkdirAll(filepath.Join(dir, k), 0o755))
		case k[len(k)-1] == '@':
			p := filepath.Join(dir, k[:len(k)-1])
			must(t, os.MkdirAll(filepath.Dir(p), 0o755))
			must(t, os.Symlink(v, p))
		default:
			p := filepath.Join(dir, k)
			must(t, os.MkdirAll(filepath.Dir(p), 0o755))
			must(t, os.WriteFile(p, []byte(v), 0o644))
		}
	}
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func ok(t testing.TB, errno xsys.Errno) {
	t.Helper()
	if errno != 0 {
		t.Fatalf("errno %v", errno)
	}
}

// snapshot records every path, mode, content and mtime under dir.
func snapshot(t testing.TB, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	filepath.Walk(dir, func(p string, fi os.FileInfo, err error) error {
		if err != nil {
			return nil
		}
		rel, _ := filepath.Rel(dir, p)
		s := fi.Mode().String() + " " + fi.ModTime().String()
		if fi.Mode().IsRegular() {
			b, _ := os.ReadFile(p)
			s += " " + string(b)
		} else if fi.Mode()&fs.ModeSymlink != 0 {
			l, _ := os.Readlink(p)
			s += " -> " + l
		}
		out[rel] = s
		return nil
	})
	return out
}

type env struct {
	lower1, lower2, upper string
	fs                    *FS
}

// newEnv: lower2 (bottom) and lower1 (top) with whiteouts and an opaque dir.
func newEnv(t testing.TB, mounts ...Mount) *env {
	t.Helper()
	d := t.TempDir()
	e := &env{lower1: filepath.Join(d, "l1"), lower2: filepath.Join(d, "l2"), upper: filepath.Join(d, "up")}
	tree(t, e.lower2, map[string]string{
		"etc/passwd":     "root:x:0:0::/root:/bin/sh\n",
		"etc/hosts.old":  "old",
		"bin/sh":         "#!sh",
		"opq/old":        "hidden",
		"gone/deep/file": "x",
		"usr/lib/a":      "a2",
		"usr/lib/b":      "b2",
		"data/keep":      "k",
	})
	tree(t, e.lower1, map[string]string{
		"etc/.wh.hosts.old": "",
		"opq/.wh..wh..opq":  "",
		"opq/new":           "visible",
		".wh.gone":          "",
		"usr/lib/a":         "a1",
		"usr/lib/.wh.b":     "",
		"lib@":              "usr/lib",
		"abs@":              "/etc/passwd",
	})
	must(t, os.Chmod(filepath.Join(e.lower2, "bin/sh"), 0o755|fs.ModeSetuid))
	f, err := New(Config{Lower: []string{e.lower1, e.lower2}, Upper: e.upper, Mounts: mounts,
		Proc: &FakeProc{Procs: []ProcInfo{{PID: 1, Args: []string{"/bin/sh", "-c", "x"}}, {PID: 7, PPID: 1, Args: []string{"sleep", "9"}}},
			Sys: SystemInfo{Hostname: "box", Boot: time.Now().Add(-time.Hour)}}})
	must(t, err)
	t.Cleanup(func() { f.Close() })
	e.fs = f
	return e
}

func readFile(t testing.TB, v xsys.FS, p string) (string, xsys.Errno) {
	t.Helper()
	f, errno := v.OpenFile(p, O_RDONLY, 0)
	if errno != 0 {
		return "", errno
	}
	defer f.Close()
	var b bytes.Buffer
	buf := make([]byte, 4096)
	for {
		n, errno := f.Read(buf)
		b.Write(buf[:n])
		if errno != 0 {
			return b.String(), errno
		}
		if n == 0 {
			return b.String(), 0
		}
	}
}

func writeFile(t testing.TB, v xsys.FS, p, s string, flag xsys.Oflag) xsys.Errno {
	t.Helper()
	f, errno := v.OpenFile(p, O_WRONLY|flag, 0o600)
	if errno != 0 {
		return errno
	}
	defer f.Close()
	_, errno = f.Write([]byte(s))
	return errno
}

func names(t testing.TB, v xsys.FS, p string) []string {
	t.Helper()
	f, errno := v.OpenFile(p, O_RDONLY|O_DIRECTORY, 0)
	ok(t, errno)
	defer f.Close()
	var out []string
	for {
		ds, errno := f.Readdir(2)
		ok(t, errno)
		for _, d := range ds {
			out = append(out, d.Name)
		}
		if len(ds) < 2 {
			return out
		}
	}
}

func TestMergeView(t *testing.T) {
	e := newEnv(t)
	v := e.fs
	if got, _ := readFile(t, v, "etc/passwd"); got != "root:x:0:0::/root:/bin/sh\n" {
		t.Fatalf("passwd %q", got)
	}
	if _, errno := v.Stat("etc/hosts.old"); errno != ENOENT {
		t.Fatalf("whiteout: %v", errno)
	}
	if _, errno := v.Stat("gone/deep/file"); errno != ENOENT {
		t.Fatalf("whiteout dir: %v", errno)
	}
	if got := names(t, v, "opq"); !slices.Equal(got, []string{"new"}) {
		t.Fatalf("opaque: %v", got)
	}
	if got := names(t, v, "usr/lib"); !slices.Equal(got, []string{"a"}) {
		t.Fatalf("usr/lib: %v", got)
	}
	if got, _ := readFile(t, v, "lib/a"); got != "a1" {
		t.Fatalf("upper wins: %q", got)
	}
	if got, _ := readFile(t, v, "abs"); got[:4] != "root" {
		t.Fatalf("abs symlink: %q", got)
	}
	root := names(t, v, "/")
	for _, n := range []string{"etc", "bin", "usr", "lib", "abs", "proc", "dev", "sys", "opq", "data"} {
		if !slices.Contains(root, n) {
			t.Fatalf("root listing %v lacks %s", root, n)
		}
	}
	for _, n := range root {
		if n == "gone" || len(n) > 3 && n[:4] == ".wh." {
			t.Fatalf("root listing shows %s", n)
		}
	}
	st, errno := v.Stat("bin/sh")
	ok(t, errno)
	if st.Mode != 0o755|fs.ModeSetuid || st.Ino == 0 || st.Nlink != 1 || st.Size != 4 {
		t.Fatalf("stat %+v", st)
	}
	lst, errno := v.Lstat("lib")
	ok(t, errno)
	if lst.Mode&fs.ModeSymlink == 0 {
		t.Fatalf("lstat %v", lst.Mode)
	}
	if l, _ := v.Readlink("lib"); l != "usr/lib" {
		t.Fatalf("readlink %q", l)
	}
}

func TestCopyUp(t *testing.T) {
	e := newEnv(t)
	before1, before2 := snapshot(t, e.lower1), snapshot(t, e.lower2)
	v := e.fs.As(0, 0) // root: TestPermissions covers other users

	ok(t, writeFile(t, v, "bin/sh", "more", O_APPEND))
	if got, _ := readFile(t, v, "bin/sh"); got != "#!shmore" {
		t.Fatalf("append: %q", got)
	}
	st, _ := v.Stat("bin/sh")
	if st.Mode != 0o755|fs.ModeSetuid {
		t.Fatalf("mode kept: %v", st.Mode)
	}
	ok(t, v.Chmod("etc", 0o700))
	st, _ = v.Stat("etc")
	if st.Mode != fs.ModeDir|0o700 {
		t.Fatalf("chmod dir: %v", st.Mode)
	}
	ok(t, v.Chmod("usr/lib/a", 0o600|fs.ModeSticky))
	ok(t, v.Utimens("data/keep", 1e9, 2e9))
	st, _ = v.Stat("data/keep")
	if st.Mtim != 2e9 {
		t.Fatalf("utimens %d", st.Mtim)
	}
	ok(t, v.Unlink("etc/passwd"))
	if _, errno := v.Stat("etc/passwd"); errno != ENOENT {
		t.Fatalf("unlink: %v", errno)
	}
	if names(t, v, "etc") != nil {
		t.Fatalf("etc not empty: %v", names(t, v, "etc"))
	}
	if errno := v.Rmdir("usr"); errno != ENOTEMPTY {
		t.Fatalf("rmdir nonempty: %v", errno)
	}
	ok(t, v.Rmdir("etc"))
	ok(t, v.Mkdir("etc", 0o700))
	if got := names(t, v, "etc"); got != nil {
		t.Fatalf("recreated etc shows lower: %v", got)
	}
	st, _ = v.Stat("etc")
	if st.Mode != fs.ModeDir|0o755 {
		t.Fatalf("mkdir mode with umask: %v", st.Mode)
	}
	ok(t, writeFile(t, v, "etc/new", "n", O_CREAT|O_EXCL))
	st, _ = v.Stat("etc/new")
	if st.Mode != 0o644 {
		t.Fatalf("create mode: %v", st.Mode)
	}
	if u, g, _ := v.Owner("etc/new", true); u != 0 || g != 0 {
		t.Fatalf("owner %d:%d", u, g)
	}
	ok(t, v.Rename("usr", "usr2"))
	if got, _ := readFile(t, v, "usr2/lib/a"); got != "a1" {
		t.Fatalf("renamed dir: %q", got)
	}
	if got := names(t, v, "usr2/lib"); !slices.Equal(got, []string{"a"}) {
		t.Fatalf("renamed dir listing: %v", got)
	}
	if _, errno := v.Stat("usr"); errno != ENOENT {
		t.Fatalf("old name: %v", errno)
	}
	ok(t, v.Link("data/keep", "data/keep2"))
	ok(t, v.Symlink("/data/keep", "data/abs"))
	if got, _ := readFile(t, v, "data/abs"); got != "k" {
		t.Fatalf("abs link %q", got)
	}
	ok(t, v.Rename("bin/sh", "data/sh"))
	ch, err := e.fs.Changes()
	must(t, err)
	want := map[string]ChangeKind{"/bin/sh": ChangeDelete, "/data/sh": ChangeAdd, "/usr": ChangeDelete, "/usr2": ChangeAdd, "/etc": ChangeModify, "/etc/new": ChangeAdd, "/data/keep": ChangeModify}
	got := map[string]ChangeKind{}
	for _, c := range ch {
		got[c.Path] = c.Kind
	}
	for p, k := range want {
		if gk, ok := got[p]; !ok || gk != k {
			t.Errorf("change %s: got %v want %v (all %v)", p, gk, k, ch)
		}
	}
	if a, b := snapshot(t, e.lower1), snapshot(t, e.lower2); !mapsEqual(a, before1) || !mapsEqual(b, before2) {
		t.Fatal("lower layer modified")
	}
}

func mapsEqual(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

func TestDevProc(t *testing.T) {
	e := newEnv(t)
	v := e.fs.Process(7, 0, 0)
	got := names(t, v, "dev")
	for _, n := range []string{"null", "zero", "full", "random", "urandom", "tty", "stdin", "stdout", "stderr", "fd"} {
		if !slices.Contains(got, n) {
			t.Fatalf("/dev lacks %s: %v", n, got)
		}
	}
	ok(t, writeFile(t, v, "dev/null", "x", 0))
	if errno := writeFile(t, v, "dev/full", "x", 0); errno == 0 {
		t.Fatal("write /dev/full succeeded")
	}
	f, errno := v.OpenFile("dev/zero", O_RDONLY, 0)
	ok(t, errno)
	b := []byte{1, 2, 3}
	n, _ := f.Read(b)
	f.Close()
	if n != 3 || b[0] != 0 {
		t.Fatal("zero")
	}
	if l, _ := v.Readlink("proc/self"); l != "7" {
		t.Fatalf("self %q", l)
	}
	if s, _ := readFile(t, v, "proc/self/cmdline"); s != "sleep\x009\x00" {
		t.Fatalf("cmdline %q", s)
	}
	if s, _ := readFile(t, v, "proc/1/stat"); s[:12] != "1 (sh) S 0 1" {
		t.Fatalf("stat %q", s)
	}
	if s, _ := readFile(t, v, "proc/sys/kernel/hostname"); s != "box\n" {
		t.Fatalf("hostname %q", s)
	}
	for _, p := range []string{"proc/meminfo", "proc/cpuinfo", "proc/uptime", "proc/loadavg", "proc/version", "proc/mounts", "proc/self/status"} {
		if s, errno := readFile(t, v, p); errno != 0 || s == "" {
			t.Fatalf("%s: %v %q", p, errno, s)
		}
	}
	if got := names(t, v, "proc/self/root"); !slices.Contains(got, "etc") {
		t.Fatalf("/proc/self/root: %v", got)
	}
	if errno := writeFile(t, v, "proc/uptime", "x", 0); errno == 0 {
		t.Fatal("wrote /proc")
	}
	if errno := v.Mkdir("proc/x", 0o700); errno == 0 {
		t.Fatal("mkdir in /proc")
	}
	_ = io.EOF
}

func TestSetUmask(t *testing.T) {
	e := newEnv(t)
	v := e.fs.Process(7, 0, 0)
	exact := v.Exact()
	if old := v.SetUmask(0o077); old != 0o022 {
		t.Fatalf("previous umask %o, want 022", old)
	}
	if v.Umask() != 0o077 {
		t.Fatalf("umask %o", v.Umask())
	}
	ok(t, writeFile(t, v, "tmp-a", "a", O_CREAT|O_EXCL))
	ok(t, v.Mkdir("tmp-d", 0o700))
	ok(t, writeFile(t, exact, "tmp-x", "x", O_CREAT|O_EXCL))
	v.SetUmask(0o1002) // only the permission bits count
	ok(t, writeFile(t, v, "tmp-b", "b", O_CREAT|O_EXCL))
	for name, want := range map[string]fs.FileMode{"tmp-a": 0o600, "tmp-d": fs.ModeDir | 0o700, "tmp-x": 0o600, "tmp-b": 0o664} {
		if st, errno := v.Stat(name); errno != 0 || st.Mode != want {
			t.Errorf("%s: mode %v (errno %v), want %v", name, st.Mode, errno, want)
		}
	}
	if e.fs.Process(8, 0, 0).Umask() != 0o022 {
		t.Error("another process's view changed")
	}
}

// Virtual /dev and /proc entries have the source's boot time, or the
// daemon's start when it gives none: never a zero time.Time (whose
// UnixNano overflows to 1754).
func TestVirtualTimes(t *testing.T) {
	boot := time.Now().Add(-time.Hour).Truncate(time.Second)
	for _, c := range []struct {
		proc ProcSource
		want time.Time
	}{
		{nil, loadTime},
		{&FakeProc{}, loadTime},
		{&FakeProc{Sys: SystemInfo{Boot: boot}}, boot},
	} {
		f, err := New(Config{Lower: []string{t.TempDir()}, Upper: t.TempDir(), Proc: c.proc})
		must(t, err)
		for _, p := range []string{"dev/null", "dev/zero", "proc", "proc/uptime"} {
			st, errno := f.Stat(p)
			if errno != 0 {
				t.Fatalf("stat %s: %v", p, errno)
			}
			if st.Mtim != c.want.UnixNano() || st.Ctim != st.Mtim || st.Atim != st.Mtim {
				t.Errorf("%s (proc %v): mtime %v ctime %d atime %d, want %v", p, c.proc, time.Unix(0, st.Mtim), st.Ctim, st.Atim, c.want)
			}
		}
		f.Close()
	}
}

// Attr gives the host's allocated blocks (not size/512) and the owner.
func TestAttrBlocks(t *testing.T) {
	lower, upper := t.TempDir(), t.TempDir()
	must(t, os.WriteFile(filepath.Join(lower, "small"), []byte("x"), 0o644))
	must(t, os.WriteFile(filepath.Join(lower, "big"), bytes.Repeat([]byte("y"), 10000), 0o644))
	f, err := New(Config{Lower: []string{lower}, Upper: upper})
	must(t, err)
	defer f.Close()
	for _, name := range []string{"small", "big", "."} {
		var host unix.Stat_t
		must(t, unix.Lstat(filepath.Join(lower, name), &host))
		a, errno := f.Attr(name, false)
		if errno != 0 {
			t.Fatalf("attr %s: %v", name, errno)
		}
		if a.Blocks != host.Blocks || a.Size != host.Size || a.UID != int(host.Uid) || a.GID != int(host.Gid) {
			t.Errorf("%s: blocks %d size %d owner %d:%d, host has %d %d %d:%d", name, a.Blocks, a.Size, a.UID, a.GID, host.Blocks, host.Size, host.Uid, host.Gid)
		}
	}
	if a, errno := f.Attr("dev/null", true); errno != 0 || a.Blocks != 0 || a.UID != 0 {
		t.Errorf("dev/null: %+v %v", a, errno)
	}
	if _, errno := f.Attr("nope", true); errno != ENOENT {
		t.Errorf("missing: %v", errno)
	}
}
