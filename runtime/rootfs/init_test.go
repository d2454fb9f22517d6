package rootfs

import (
	"io/fs"
	"os"
	"path/filepath"
	"slices"
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
}
