package archive

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sockerless/sockerless/builtins/cmdtest"
)

const busybox = "/bin/busybox"

func need(t *testing.T) {
	t.Helper()
	if _, err := os.Stat(busybox); err != nil {
		t.Fatalf("reference %s missing: install busybox-static", busybox)
	}
}

// tree builds a source tree with files, a directory, a symlink and a hard link.
func tree(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	mk := func(name, content string, mode os.FileMode) {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), mode); err != nil {
			t.Fatal(err)
		}
		os.Chmod(p, mode)
	}
	mk("src/a.txt", "hello\n", 0o644)
	mk("src/exe.sh", "#!/bin/sh\necho hi\n", 0o755)
	mk("src/d/b.txt", strings.Repeat("data ", 1000), 0o600)
	mk("src/d/e/deep.log", "log\n", 0o640)
	mk("src/skip.o", "obj", 0o644)
	mk("src/"+strings.Repeat("long", 30)+".txt", "long name\n", 0o644)
	os.Symlink("a.txt", filepath.Join(dir, "src/ln"))
	os.Link(filepath.Join(dir, "src/a.txt"), filepath.Join(dir, "src/hard"))
	ts := time.Date(2020, 1, 2, 3, 4, 5, 0, time.UTC)
	filepath.Walk(filepath.Join(dir, "src"), func(p string, fi os.FileInfo, err error) error {
		if err == nil && fi.Mode()&os.ModeSymlink == 0 {
			os.Chtimes(p, ts, ts)
		}
		return nil
	})
	return dir
}

func bb(t *testing.T, dir, stdin string, args ...string) (string, int) {
	t.Helper()
	need(t)
	cmd := exec.Command(busybox, args...)
	cmd.Dir = dir
	cmd.Env = []string{"PATH=/usr/bin:/bin", "TZ=UTC"}
	cmd.Stdin = strings.NewReader(stdin)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	if ee, ok := err.(*exec.ExitError); ok {
		return out.String(), ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return out.String(), 0
}

func ours(t *testing.T, dir, stdin string, args ...string) cmdtest.Result {
	t.Helper()
	return cmdtest.Run(t, dir, stdin, args, "TZ=UTC")
}

// snapshot describes a tree: names, types, modes, sizes, contents, link targets.
func snapshot(t *testing.T, root string) string {
	t.Helper()
	var b strings.Builder
	defer func() {}()
	filepath.Walk(root, func(p string, fi os.FileInfo, err error) error {
		if err != nil {
			return nil
		}
		rel, _ := filepath.Rel(root, p)
		b.WriteString(strings.ReplaceAll(rel, filepath.Base(root), "X") + " " + fi.Mode().String())
		switch {
		case fi.Mode()&os.ModeSymlink != 0:
			l, _ := os.Readlink(p)
			b.WriteString(" -> " + l)
		case fi.Mode().IsRegular():
			data, _ := os.ReadFile(p)
			if strings.HasSuffix(p, ".gz") || strings.HasSuffix(p, ".tar") || strings.HasSuffix(p, ".tgz") {
				if zr, err := gzip.NewReader(bytes.NewReader(data)); err == nil {
					var u bytes.Buffer
					u.ReadFrom(zr)
					data = u.Bytes()
				}
				if len(data) > 100 {
					data = data[:100] // tar member name only
				}
				b.WriteString(" " + strings.ReplaceAll(strings.TrimRight(string(data), "\x00"), filepath.Base(filepath.Dir(root)), "X") + "\n")
				return nil
			}
			b.WriteString(" " + string(data[:min(len(data), 40)]))
			if fi.ModTime().Before(time.Now().Add(-time.Hour)) {
				b.WriteString(" " + fi.ModTime().UTC().Format(time.RFC3339))
			}
		}
		b.WriteString("\n")
		return nil
	})
	return b.String()
}

// compare runs the same command line through both implementations in two
// identical trees and compares stdout, status and the resulting trees.
func compare(t *testing.T, name string, prep func(t *testing.T, dir string), args ...string) {
	t.Run(name, func(t *testing.T) {
		d1, d2 := tree(t), tree(t)
		if prep != nil {
			prep(t, d1)
			prep(t, d2)
		}
		got := ours(t, d1, "", args...)
		want, wst := bb(t, d2, "", args...)
		if got.Stdout != want || got.Status != wst {
			t.Errorf("%v:\n got  %q (status %d, stderr %q)\n want %q (status %d)", args, got.Stdout, got.Status, got.Stderr, want, wst)
		}
		norm := strings.NewReplacer("/001/", "/00N/", "/002/", "/00N/")
		s1, s2 := norm.Replace(snapshot(t, d1)), norm.Replace(snapshot(t, d2))
		if s1 != s2 {
			t.Errorf("%v: trees differ:\n ours:\n%s\n busybox:\n%s", args, s1, s2)
		}
	})
}

// made runs a busybox command in a tree during preparation.
func made(args ...string) func(t *testing.T, dir string) {
	return func(t *testing.T, dir string) {
		if _, st := bb(t, dir, "", args...); st != 0 {
			t.Fatalf("prep %v failed: %d", args, st)
		}
	}
}

func TestTarCompare(t *testing.T) {
	compare(t, "create-list", made("tar", "cf", "t.tar", "src"), "tar", "tf", "t.tar")
	compare(t, "create-list-v", made("tar", "cf", "t.tar", "src"), "tar", "tvf", "t.tar")
	compare(t, "create-v", nil, "tar", "cvf", "t.tar", "src")
	compare(t, "create-dash-v", nil, "tar", "-cvf", "t.tar", "src/d")
	compare(t, "create-z-list", made("tar", "czf", "t.tgz", "src"), "tar", "tzvf", "t.tgz")
	compare(t, "extract", made("tar", "cf", "t.tar", "src"), "tar", "xf", "t.tar", "-C", "src/d")
	compare(t, "extract-v", made("tar", "cf", "t.tar", "src"), "tar", "-xvf", "t.tar", "-C", "src/d/e")
	compare(t, "extract-z", made("tar", "czf", "t.tgz", "src"), "tar", "xzf", "t.tgz", "-C", "src/d")
	compare(t, "extract-member", made("tar", "cf", "t.tar", "src"), "tar", "xvf", "t.tar", "-C", "src/d", "src/d")
	compare(t, "list-member", made("tar", "cf", "t.tar", "src"), "tar", "tf", "t.tar", "src/d")
	compare(t, "list-missing", made("tar", "cf", "t.tar", "src"), "tar", "tf", "t.tar", "nosuch")
	compare(t, "extract-O", made("tar", "cf", "t.tar", "src/a.txt", "src/d/b.txt"), "tar", "xOf", "t.tar")
	compare(t, "extract-O-member", made("tar", "cf", "t.tar", "src"), "tar", "-xOf", "t.tar", "src/a.txt")
	compare(t, "strip", made("tar", "cf", "t.tar", "src"), "tar", "xvf", "t.tar", "--strip-components=1", "-C", "src/d")
	compare(t, "strip2", made("tar", "cf", "t.tar", "src"), "tar", "xf", "t.tar", "--strip-components", "2", "-C", "src/d/e")
	compare(t, "keep", made("tar", "cf", "t.tar", "src/a.txt"), "tar", "xkf", "t.tar")
	compare(t, "overwrite", made("tar", "cf", "t.tar", "src/a.txt"), "tar", "xf", "t.tar", "--overwrite")
	compare(t, "m", made("tar", "cf", "t.tar", "src"), "tar", "xmf", "t.tar", "-C", "src/d")
	compare(t, "o", made("tar", "cf", "t.tar", "src"), "tar", "xof", "t.tar", "-C", "src/d")
	compare(t, "absolute", func(t *testing.T, dir string) {
		made("tar", "cf", "t.tar", filepath.Join(dir, "src/a.txt"))(t, dir)
	}, "tar", "xf", "t.tar", "-C", "src/d")
	compare(t, "dir-C-create", made("tar", "cf", "t.tar", "-C", "src", "d"), "tar", "tf", "t.tar")
	compare(t, "no-recursion", made("tar", "cf", "t.tar", "--no-recursion", "src", "src/a.txt"), "tar", "tf", "t.tar")
	compare(t, "h", made("tar", "chf", "t.tar", "src/ln"), "tar", "tvf", "t.tar")
	compare(t, "numeric", made("tar", "cf", "t.tar", "src/a.txt"), "tar", "tvf", "t.tar", "--numeric-owner")
	compare(t, "empty", func(t *testing.T, dir string) { os.WriteFile(filepath.Join(dir, "e.tar"), nil, 0o644) }, "tar", "tf", "e.tar")
	compare(t, "missing-archive", nil, "tar", "tf", "nope.tar")
	compare(t, "create-missing", nil, "tar", "cf", "t.tar", "nope")
}

// TestTarRoundTrip makes archives with our tar and reads them with
// busybox, and the other way round.
func TestTarRoundTrip(t *testing.T) {
	for _, z := range []string{"", "z"} {
		t.Run("ours-to-busybox"+z, func(t *testing.T) {
			d := tree(t)
			if r := ours(t, d, "", "tar", "c"+z+"f", "t.tar", "src"); r.Status != 0 {
				t.Fatalf("create: %d %s", r.Status, r.Stderr)
			}
			os.Mkdir(filepath.Join(d, "out"), 0o755)
			if _, st := bb(t, d, "", "tar", "x"+z+"f", "t.tar", "-C", "out"); st != 0 {
				t.Fatalf("busybox extract: %d", st)
			}
			if a, b := snapshot(t, filepath.Join(d, "src")), snapshot(t, filepath.Join(d, "out/src")); a != b {
				t.Errorf("trees differ:\n%s\n%s", a, b)
			}
			l1 := ours(t, d, "", "tar", "tv"+z+"f", "t.tar")
			l2, _ := bb(t, d, "", "tar", "tv"+z+"f", "t.tar")
			if l1.Stdout != l2 {
				t.Errorf("listing differs:\n%s\n%s", l1.Stdout, l2)
			}
		})
		t.Run("busybox-to-ours"+z, func(t *testing.T) {
			d := tree(t)
			if _, st := bb(t, d, "", "tar", "c"+z+"f", "t.tar", "src"); st != 0 {
				t.Fatal("busybox create failed")
			}
			os.Mkdir(filepath.Join(d, "out"), 0o755)
			if r := ours(t, d, "", "tar", "x"+z+"f", "t.tar", "-C", "out"); r.Status != 0 {
				t.Fatalf("extract: %d %s", r.Status, r.Stderr)
			}
			if a, b := snapshot(t, filepath.Join(d, "src")), snapshot(t, filepath.Join(d, "out/src")); a != b {
				t.Errorf("trees differ:\n%s\n%s", a, b)
			}
		})
	}
	t.Run("stdin-stdout", func(t *testing.T) {
		d := tree(t)
		r := ours(t, d, "", "tar", "-c", "src/a.txt")
		l, st := bb(t, d, r.Stdout, "tar", "-t")
		if st != 0 || l != "src/a.txt\n" {
			t.Errorf("pipe: %q %d", l, st)
		}
		data, _ := bb(t, d, "", "tar", "c", "src/d")
		r = ours(t, d, data, "tar", "t")
		if r.Stdout != "src/d/\nsrc/d/b.txt\nsrc/d/e/\nsrc/d/e/deep.log\n" && !strings.Contains(r.Stdout, "src/d/e/deep.log") {
			t.Errorf("from stdin: %q", r.Stdout)
		}
	})
	t.Run("gzip-autodetect", func(t *testing.T) {
		d := tree(t)
		bb(t, d, "", "tar", "czf", "t.tgz", "src/a.txt")
		if r := ours(t, d, "", "tar", "tf", "t.tgz"); r.Stdout != "src/a.txt\n" {
			t.Errorf("autodetect (busybox needs -z; we sniff the magic): %q %s", r.Stdout, r.Stderr)
		}
	})
}

// evil writes a tar archive with the given entries.
type entry struct {
	name, link string
	typ        byte
	body       string
}

func writeTar(t *testing.T, p string, entries []entry) {
	t.Helper()
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for _, e := range entries {
		h := &tar.Header{Name: e.name, Linkname: e.link, Typeflag: e.typ, Mode: 0o644, Size: int64(len(e.body)), ModTime: time.Unix(1e9, 0)}
		if e.typ == tar.TypeDir {
			h.Mode = 0o755
		}
		if e.typ != tar.TypeReg {
			h.Size = 0
		}
		if err := tw.WriteHeader(h); err != nil {
			t.Fatal(err)
		}
		tw.Write([]byte(e.body))
	}
	tw.Close()
	os.WriteFile(p, buf.Bytes(), 0o644)
}

// TestTarGNUOptions covers GNU options busybox 1.35 (Debian) lacks:
// --exclude, -T and -X.
func TestTarGNUOptions(t *testing.T) {
	d := tree(t)
	os.WriteFile(filepath.Join(d, "list"), []byte("src/a.txt\nsrc/d/e\n"), 0o644)
	os.WriteFile(filepath.Join(d, "ex"), []byte("*.txt\nln\n"), 0o644)
	for _, c := range []struct {
		create []string
		want   string
	}{
		{[]string{"tar", "cf", "t.tar", "--exclude", "*.o", "--exclude=*long*", "src/d", "src/skip.o"}, "src/d/\nsrc/d/b.txt\nsrc/d/e/\nsrc/d/e/deep.log\n"},
		{[]string{"tar", "cf", "t.tar", "--exclude=src/d", "src/d", "src/a.txt"}, "src/a.txt\n"},
		{[]string{"tar", "cf", "t.tar", "-T", "list"}, "src/a.txt\nsrc/d/e/\nsrc/d/e/deep.log\n"},
		{[]string{"tar", "-c", "-X", "ex", "-f", "t.tar", "src/d", "src/ln"}, "src/d/\nsrc/d/e/\nsrc/d/e/deep.log\n"},
	} {
		if r := ours(t, d, "", c.create...); r.Status != 0 {
			t.Fatalf("%v: %d %s", c.create, r.Status, r.Stderr)
		}
		got, _ := bb(t, d, "", "tar", "tf", "t.tar")
		if got != c.want {
			t.Errorf("%v: listing %q, want %q", c.create, got, c.want)
		}
	}
	bb(t, d, "", "tar", "cf", "t.tar", "src/d")
	os.Mkdir(filepath.Join(d, "o"), 0o755)
	ours(t, d, "", "tar", "xf", "t.tar", "-C", "o", "--exclude=*.txt")
	if _, err := os.Stat(filepath.Join(d, "o/src/d/b.txt")); err == nil {
		t.Errorf("--exclude on extract did not exclude")
	}
	if _, err := os.Stat(filepath.Join(d, "o/src/d/e/deep.log")); err != nil {
		t.Errorf("--exclude on extract dropped too much: %v", err)
	}
}

func TestTarEscapes(t *testing.T) {
	cases := map[string][]entry{
		"dotdot":   {{name: "../victim", typ: tar.TypeReg, body: "pwned"}},
		"deep":     {{name: "a/../../victim", typ: tar.TypeReg, body: "pwned"}},
		"absolute": {{name: "VICTIM_ABS", typ: tar.TypeReg, body: "pwned"}},
		"symlink-dir": {
			{name: "evil", link: "..", typ: tar.TypeSymlink},
			{name: "evil/victim", typ: tar.TypeReg, body: "pwned"},
		},
		"symlink-file": {
			{name: "evil", link: "../victim", typ: tar.TypeSymlink},
			{name: "evil", typ: tar.TypeReg, body: "pwned"},
		},
		"symlink-abs": {
			{name: "evil", link: "OUTSIDE", typ: tar.TypeSymlink},
			{name: "evil/victim", typ: tar.TypeReg, body: "pwned"},
		},
		"hardlink-out": {
			{name: "h", link: "../victim", typ: tar.TypeLink},
		},
		"hardlink-later": {
			{name: "h", link: "later", typ: tar.TypeLink},
			{name: "later", typ: tar.TypeReg, body: "x"},
		},
	}
	for name, entries := range cases {
		t.Run(name, func(t *testing.T) {
			top := t.TempDir()
			outside := filepath.Join(top, "outside")
			dest := filepath.Join(top, "dest")
			os.Mkdir(outside, 0o755)
			os.Mkdir(dest, 0o755)
			victim := filepath.Join(top, "victim")
			os.WriteFile(victim, []byte("original"), 0o644)
			for i := range entries {
				if entries[i].name == "VICTIM_ABS" {
					entries[i].name = victim
				}
				if entries[i].link == "OUTSIDE" {
					entries[i].link = outside
				}
			}
			writeTar(t, filepath.Join(top, "evil.tar"), entries)
			r := ours(t, dest, "", "tar", "xf", "../evil.tar")
			if b, _ := os.ReadFile(victim); string(b) != "original" {
				t.Errorf("victim overwritten: %q (stderr %q)", b, r.Stderr)
			}
			if ents, _ := os.ReadDir(outside); len(ents) != 0 {
				t.Errorf("wrote outside: %v", ents)
			}
			if fi, err := os.Lstat(filepath.Join(dest, "h")); err == nil && fi.Mode().IsRegular() {
				t.Errorf("hard link created")
			}
		})
	}
}

func TestGzipCompare(t *testing.T) {
	compare(t, "gzip-file", nil, "gzip", "src/a.txt")
	compare(t, "gzip-k", nil, "gzip", "-k", "src/a.txt")
	compare(t, "gzip-exists", made("gzip", "-k", "src/a.txt"), "gzip", "src/a.txt")
	compare(t, "gzip-f", made("gzip", "-k", "src/a.txt"), "gzip", "-f", "src/a.txt")
	compare(t, "gzip-missing", nil, "gzip", "nope")
	compare(t, "gzip-suffix", made("gzip", "src/a.txt"), "gzip", "src/a.txt.gz")
	compare(t, "gunzip", made("gzip", "src/a.txt"), "gunzip", "src/a.txt.gz")
	compare(t, "gzip-d", made("gzip", "src/d/b.txt"), "gzip", "-d", "src/d/b.txt.gz")
	compare(t, "gunzip-k", made("gzip", "-k", "src/d/b.txt"), "gunzip", "-kf", "src/d/b.txt.gz")
	compare(t, "gunzip-c", made("gzip", "src/a.txt"), "gunzip", "-c", "src/a.txt.gz")
	compare(t, "zcat", made("gzip", "src/a.txt", "src/exe.sh"), "zcat", "src/a.txt.gz", "src/exe.sh.gz")
	compare(t, "gunzip-suffix", nil, "gunzip", "src/a.txt")
	compare(t, "gunzip-t", made("gzip", "src/a.txt"), "gunzip", "-t", "src/a.txt.gz")
	compare(t, "gzip-t-bad", nil, "gzip", "-t", "src/a.txt")
	compare(t, "gunzip-tgz", made("tar", "czf", "t.tgz", "src/a.txt"), "gunzip", "t.tgz")
	t.Run("stdin-roundtrip", func(t *testing.T) {
		d := t.TempDir()
		input := strings.Repeat("round trip\n", 500)
		r := ours(t, d, input, "gzip", "-9")
		out, st := bb(t, d, r.Stdout, "gunzip")
		if st != 0 || out != input {
			t.Errorf("ours→busybox: %d %d bytes", st, len(out))
		}
		z, _ := bb(t, d, input, "gzip", "-c")
		r = ours(t, d, z, "zcat")
		if r.Stdout != input || r.Status != 0 {
			t.Errorf("busybox→ours: %d %q", r.Status, r.Stderr)
		}
		r = ours(t, d, z+z, "gunzip", "-c")
		if r.Stdout != input+input {
			t.Errorf("concatenated members: %d bytes", len(r.Stdout))
		}
		r = ours(t, d, "not gzip", "gunzip")
		if r.Status != 1 {
			t.Errorf("bad magic status %d", r.Status)
		}
		r = ours(t, d, "", "gzip", "-c")
		zr, err := gzip.NewReader(strings.NewReader(r.Stdout))
		if err != nil || zr.Header.OS != 3 {
			t.Errorf("empty input: %v", err)
		}
	})
}

func makeZip(t *testing.T, p string, entries []entry) {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, e := range entries {
		h := &zip.FileHeader{Name: e.name, Method: zip.Deflate}
		h.Modified = time.Date(2021, 3, 4, 5, 6, 0, 0, time.UTC)
		h.SetMode(0o644)
		if e.typ == tar.TypeSymlink {
			h.SetMode(os.ModeSymlink | 0o777)
		}
		if strings.HasSuffix(e.name, "/") {
			h.SetMode(os.ModeDir | 0o755)
		}
		w, err := zw.CreateHeader(h)
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(e.body))
	}
	zw.Close()
	os.WriteFile(p, buf.Bytes(), 0o644)
}

func zipPrep(t *testing.T, dir string) {
	makeZip(t, filepath.Join(dir, "x.zip"), []entry{
		{name: "a.txt", body: "alpha\n"},
		{name: "d/", body: ""},
		{name: "d/b.txt", body: strings.Repeat("b", 3000)},
		{name: "d/e/c.txt", body: "c\n"},
	})
}

func TestUnzipCompare(t *testing.T) {
	compare(t, "l", zipPrep, "unzip", "-l", "x.zip")
	compare(t, "extract", zipPrep, "unzip", "x.zip")
	compare(t, "d", zipPrep, "unzip", "x.zip", "-d", "out")
	compare(t, "q", zipPrep, "unzip", "-q", "x.zip", "-d", "out")
	compare(t, "p", zipPrep, "unzip", "-p", "x.zip", "a.txt")
	compare(t, "member", zipPrep, "unzip", "x.zip", "d/b.txt", "-d", "out")
	compare(t, "o", func(t *testing.T, dir string) { zipPrep(t, dir); made("unzip", "-q", "x.zip")(t, dir) }, "unzip", "-o", "x.zip")
	compare(t, "n", func(t *testing.T, dir string) { zipPrep(t, dir); made("unzip", "-q", "x.zip")(t, dir) }, "unzip", "-n", "x.zip")
	compare(t, "suffix", zipPrep, "unzip", "x", "-d", "o2")
	compare(t, "missing", nil, "unzip", "nope.zip")
	compare(t, "j", zipPrep, "unzip", "-j", "x.zip", "-d", "flat")
	compare(t, "x", zipPrep, "unzip", "x.zip", "-x", "a.txt", "-d", "o3")
}

func TestUnzipEscapes(t *testing.T) {
	cases := map[string][]entry{
		"dotdot":  {{name: "../victim", body: "pwned"}},
		"deep":    {{name: "a/../../victim", body: "pwned"}},
		"symlink": {{name: "evil", typ: tar.TypeSymlink, body: ".."}, {name: "evil/victim", body: "pwned"}},
	}
	for name, entries := range cases {
		t.Run(name, func(t *testing.T) {
			top := t.TempDir()
			dest := filepath.Join(top, "dest")
			os.Mkdir(dest, 0o755)
			victim := filepath.Join(top, "victim")
			os.WriteFile(victim, []byte("original"), 0o644)
			makeZip(t, filepath.Join(top, "evil.zip"), entries)
			r := ours(t, dest, "", "unzip", "-o", "../evil.zip")
			if b, _ := os.ReadFile(victim); string(b) != "original" {
				t.Errorf("victim overwritten: %q (stderr %q)", b, r.Stderr)
			}
		})
	}
}

func FuzzStripUnsafe(f *testing.F) {
	for _, s := range []string{"../a", "/abs/x", "a/../../b", "..", "./x/./../y", "////../"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, removed := stripUnsafe(s)
		if removed+n != s {
			t.Fatalf("stripUnsafe(%q) = %q + %q", s, removed, n)
		}
		if strings.HasPrefix(n, "/") || strings.HasPrefix(n, "../") {
			t.Fatalf("stripUnsafe(%q) left %q", s, n)
		}
	})
}

func FuzzTarRead(f *testing.F) {
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	tw.WriteHeader(&tar.Header{Name: "a", Size: 1, Mode: 0o644})
	tw.Write([]byte("x"))
	tw.Close()
	f.Add(buf.Bytes())
	f.Add([]byte{0x1f, 0x8b, 8, 0})
	f.Fuzz(func(t *testing.T, data []byte) {
		dir := t.TempDir()
		cmdtest.Run(t, dir, string(data), []string{"tar", "t"})
	})
}
