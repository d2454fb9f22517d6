package rootfs

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"
)

// TestInitLayer: with an init layer New writes nothing to the upper
// directory, the mount points are there with the modes New would give
// them, and docker diff reports the same as without one.
func TestInitLayer(t *testing.T) {
	d := t.TempDir()
	tree(t, filepath.Join(d, "img"), map[string]string{"etc/passwd": "p", "dev/": ""})
	initDir := filepath.Join(d, "init")
	must(t, MakeInit(initDir))
	must(t, MakeInit(initDir)) // idempotent
	changes := func(init string) []string {
		up := filepath.Join(d, "up-"+filepath.Base(init))
		f, err := New(Config{Lower: []string{filepath.Join(d, "img")}, Upper: up, Init: init})
		must(t, err)
		defer f.Close()
		if init != "" {
			if ents, _ := os.ReadDir(up); len(ents) != 0 {
				t.Fatalf("New wrote to upper with an init layer: %v", ents)
			}
		}
		for _, p := range []string{"proc", "dev", "dev/shm", "sys"} {
			st, errno := f.Stat(p)
			ok(t, errno)
			if !st.Mode.IsDir() {
				t.Fatalf("%s: %v", p, st.Mode)
			}
		}
		st, _ := f.Stat("dev/shm")
		if st.Mode&fs.ModeSticky == 0 || st.Mode.Perm() != 0o777 {
			t.Fatalf("/dev/shm mode %v", st.Mode)
		}
		ok(t, writeFile(t, f, "dev/shm/x", "x", O_CREAT))
		ok(t, writeFile(t, f, "sys-not", "x", O_CREAT))
		ok(t, f.Mkdir("proc2", 0o755))
		chs, err := f.Changes()
		must(t, err)
		var out []string
		for _, c := range chs {
			out = append(out, c.Kind.String()+" "+c.Path)
		}
		return out
	}
	with, without := changes(initDir), changes("")
	if !slices.Equal(with, without) {
		t.Fatalf("diff with an init layer %v, without %v", with, without)
	}
	if !slices.Contains(with, "A /dev/shm/x") || slices.Contains(with, "A /dev/shm") {
		t.Fatalf("diff %v", with)
	}
}

// TestContentMount: a Content mount costs no file until its target is
// looked up; then the file holds Content and takes writes like a bind
// mount; an existing source is kept as it is.
func TestContentMount(t *testing.T) {
	d := t.TempDir()
	src := filepath.Join(d, "hosts")
	kept := filepath.Join(d, "kept")
	must(t, os.WriteFile(kept, []byte("edited\n"), 0o644))
	e := newEnv(t, Mount{Target: "/etc/hosts", Source: src, Content: []byte("127.0.0.1 box\n")},
		Mount{Target: "/etc/kept", Source: kept, Content: []byte("fresh\n")})
	if _, err := os.Stat(src); !os.IsNotExist(err) {
		t.Fatalf("source made before any lookup: %v", err)
	}
	if got := names(t, e.fs, "etc"); !slices.Contains(got, "hosts") {
		t.Fatalf("/etc lacks hosts: %v", got)
	}
	if s, errno := readFile(t, e.fs, "etc/hosts"); errno != 0 || s != "127.0.0.1 box\n" {
		t.Fatalf("hosts %q %v", s, errno)
	}
	ok(t, writeFile(t, e.fs, "etc/hosts", "10.0.0.1 db\n", O_APPEND))
	if b, _ := os.ReadFile(src); string(b) != "127.0.0.1 box\n10.0.0.1 db\n" {
		t.Fatalf("source %q", b)
	}
	if s, _ := readFile(t, e.fs, "etc/kept"); s != "edited\n" {
		t.Fatalf("existing source replaced: %q", s)
	}
	if _, err := New(Config{Upper: filepath.Join(d, "u2"), Mounts: []Mount{{Target: "/x", Source: d, Content: []byte{}}}}); err == nil {
		t.Fatal("a Content mount over a directory source was accepted")
	}

	// A source in a directory that does not exist yet (the container's,
	// made at its first write): made with the file at the first lookup.
	later := filepath.Join(d, "c", "hostname")
	f, err := New(Config{Upper: filepath.Join(d, "u3"), Mounts: []Mount{{Target: "/etc/hostname", Source: later, Content: []byte("box\n")}}})
	must(t, err)
	defer f.Close()
	if _, err := os.Stat(filepath.Dir(later)); !os.IsNotExist(err) {
		t.Fatalf("source directory made before any lookup: %v", err)
	}
	if s, errno := readFile(t, f, "etc/hostname"); errno != 0 || s != "box\n" {
		t.Fatalf("hostname %q %v", s, errno)
	}
}

// TestLazyUpper: the writable layer's directory is made by the first
// change, not by New: reading, listing and diffing a container that has
// written nothing leave no trace on disk; concurrent first writes make it
// once; a read-only root never makes it.
func TestLazyUpper(t *testing.T) {
	d := t.TempDir()
	img := filepath.Join(d, "img")
	tree(t, img, map[string]string{"etc/passwd": "p", "bin/": "", "tmp/": ""})
	initDir := filepath.Join(d, "init")
	must(t, MakeInit(initDir))
	open := func(name string, ro bool) (*FS, string) {
		up := filepath.Join(d, name, "upper")
		f, err := New(Config{Lower: []string{img}, Upper: up, Init: initDir, ReadOnly: ro})
		must(t, err)
		t.Cleanup(func() { f.Close() })
		return f, up
	}
	absent := func(up string) {
		t.Helper()
		if _, err := os.Stat(filepath.Dir(up)); !os.IsNotExist(err) {
			t.Fatalf("container directory exists before any change: %v", err)
		}
	}

	f, up := open("c1", false)
	if s, errno := readFile(t, f, "etc/passwd"); errno != 0 || s != "p" {
		t.Fatalf("passwd %q %v", s, errno)
	}
	for _, p := range []string{"etc/hostname", "etc/hosts", "etc/resolv.conf"} {
		if st, errno := f.Stat(p); errno != 0 || !st.Mode.IsRegular() {
			t.Fatalf("%s from the init layer: %v %v", p, st.Mode, errno)
		}
	}
	if got := names(t, f, "."); !slices.Contains(got, "etc") || !slices.Contains(got, "proc") {
		t.Fatalf("root lists %v", got)
	}
	if chs, err := f.Changes(); err != nil || len(chs) != 0 {
		t.Fatalf("changes %v %v", chs, err)
	}
	absent(up)
	ok(t, writeFile(t, f, "new", "x", O_CREAT))
	if b, err := os.ReadFile(filepath.Join(up, "new")); err != nil || string(b) != "x" {
		t.Fatalf("first write: %q %v", b, err)
	}
	if s, errno := readFile(t, f, "new"); errno != 0 || s != "x" {
		t.Fatalf("read back %q %v", s, errno)
	}

	// Changing the root itself is a first change too.
	f2, up2 := open("c2", false)
	ok(t, f2.Chmod(".", 0o700))
	if st, err := os.Stat(up2); err != nil || st.Mode().Perm() != 0o700 {
		t.Fatalf("chmod / made upper %v %v", st, err)
	}

	// Racing first writes.
	f3, up3 := open("c3", false)
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ok(t, writeFile(t, f3, fmt.Sprintf("tmp/f%d", i), "y", O_CREAT))
			ok(t, writeFile(t, f3, fmt.Sprintf("r%d", i), "y", O_CREAT))
		}()
	}
	wg.Wait()
	for i := 0; i < 8; i++ {
		for _, p := range []string{"tmp/f%d", "r%d"} {
			if _, err := os.Stat(filepath.Join(up3, fmt.Sprintf(p, i))); err != nil {
				t.Fatal(err)
			}
		}
	}

	f4, up4 := open("c4", true)
	if errno := writeFile(t, f4, "new", "x", O_CREAT); errno != EROFS {
		t.Fatalf("write to a read-only root: %v", errno)
	}
	absent(up4)
}
