package builtins

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestStdioPaths: the names of a command's standard streams open those
// streams (relative to the working directory too); other names open files.
func TestStdioPaths(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "f"), []byte("file\n"), 0o644)
	var out, errb bytes.Buffer
	e := &Env{Stdin: strings.NewReader("in\n"), Stdout: &out, Stderr: &errb, Dir: dir}
	for name, want := range map[string]int{
		"/dev/stdin": 0, "/dev/fd/0": 0, "/proc/self/fd/0": 0, "/dev/stdout": 1, "/dev/fd/1": 1,
		"/proc/self/fd/2": 2, "/dev/stderr": 2, "/dev/null": -1, "/dev/fd/3": -1, "stdin": -1,
	} {
		if got := StdStream(name); got != want {
			t.Errorf("StdStream(%q) = %d, want %d", name, got, want)
		}
	}
	r, err := e.Open("/dev/../dev/./stdin")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(r)
	r.Close()
	if string(b) != "in\n" {
		t.Fatalf("/dev/stdin read %q", b)
	}
	if r, err := e.Open("f"); err != nil {
		t.Fatal(err)
	} else if b, _ := io.ReadAll(r); string(b) != "file\n" {
		t.Fatalf("file read %q", b)
	}
	for name, buf := range map[string]*bytes.Buffer{"/dev/stdout": &out, "/proc/self/fd/2": &errb} {
		w, err := e.OpenWriter(name, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
		if err != nil {
			t.Fatal(err)
		}
		io.WriteString(w, "x")
		w.Close()
		if buf.String() != "x" {
			t.Fatalf("%s got %q", name, buf.String())
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "dev")); err == nil {
		t.Fatal("a stream name made a file")
	}
}
