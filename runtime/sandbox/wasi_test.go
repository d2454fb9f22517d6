package sandbox

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

func TestWASIProgram(t *testing.T) {
	root := t.TempDir()
	os.MkdirAll(filepath.Join(root, "usr/local/bin"), 0o755)
	os.MkdirAll(filepath.Join(root, "etc"), 0o755)
	os.WriteFile(filepath.Join(root, "etc/motd"), []byte("hi"), 0o644)
	prog := filepath.Join(root, "usr/local/bin/wasiprog")
	cmd := exec.Command("go", "build", "-o", prog, "./testdata/wasiprog")
	cmd.Env = append(os.Environ(), "GOOS=wasip1", "GOARCH=wasm")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	os.Chmod(prog, 0o755)
	want := "args: [a b]\nwd: /etc env: hello\nmotd: \"hi\" <nil>\nstdin: \"in\\n\"\n"
	for _, tc := range []struct {
		script string
		code   int
	}{
		{"cd /etc; PATH=/usr/local/bin:$PATH GREETING=hello wasiprog a b", 5}, // on PATH, direct stdio
		{"cd /etc; export GREETING=hello; /usr/local/bin/wasiprog a b", 5},    // by path
		{"cd /etc; GREETING=hello /usr/local/bin/wasiprog a b | cat", 0},      // in a pipeline
	} {
		r := runIn(t, root, "in\n", "sh", "-c", tc.script)
		if r.stdout != want || r.code != tc.code || r.stderr != "to stderr\n" {
			t.Errorf("%s:\n got %q (exit %d, stderr %q)\nwant %q (exit %d)", tc.script, r.stdout, r.code, r.stderr, want, tc.code)
		}
	}
}
