package e2e

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestCLIRun(t *testing.T) {
	for _, tc := range []struct {
		name, stdin    string
		args           []string
		stdout, stderr string
		code           int
	}{
		{"echo", "", []string{"run", "--rm", "alpine", "echo", "hello"}, "hello\n", "", 0},
		{"stdin", "hi\n", []string{"run", "-i", "--rm", "alpine", "cat"}, "hi\n", "", 0},
		{"exit-code", "", []string{"run", "--rm", "alpine", "sh", "-c", "echo out; echo err >&2; exit 3"}, "out\n", "err\n", 3},
		{"no-rm", "", []string{"run", "--name", "e2e-norm", "alpine", "echo", "kept"}, "kept\n", "", 0},
		{"env-workdir", "", []string{"run", "--rm", "-e", "FOO=bar", "-w", "/tmp/wd", "alpine", "sh", "-c", "echo $FOO $(pwd) $HOSTNAME | wc -w"}, "3\n", "", 0},
		{"user", "", []string{"run", "--rm", "-u", "nobody", "alpine", "id", "-u"}, "65534\n", "", 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := d.docker(t, tc.stdin, tc.args...)
			if r.stdout != tc.stdout || r.code != tc.code || (tc.stderr != "" && r.stderr != tc.stderr) {
				t.Fatalf("got stdout %q stderr %q exit %d; want %q %q %d", r.stdout, r.stderr, r.code, tc.stdout, tc.stderr, tc.code)
			}
		})
	}
	d.must(t, "rm", "e2e-norm")
	r := d.docker(t, "", "run", "--rm", "alpine", "no-such-binary")
	if r.code != 127 || !strings.Contains(r.stderr, "executable file not found") {
		t.Fatalf("missing binary: exit %d stderr %q", r.code, r.stderr)
	}
}

// TestDebianCLI drives the daemon with Debian's docker CLI 20.10 (from
// docker.io, which tests/deps.sh installs for the reference engine). It
// sends hijacked attach and exec requests over a unix socket with an empty
// Host header, which the daemon must accept as Docker Engine does.
func TestDebianCLI(t *testing.T) {
	const cli = "/usr/bin/docker"
	if _, err := os.Stat(cli); err != nil {
		t.Fatalf("Debian's docker CLI is missing (%v): run tests/deps.sh", err)
	}
	r := d.dockerBin(t, cli, "", "run", "--rm", "alpine", "sh", "-c", "echo out; echo err >&2; exit 3")
	if r.stdout != "out\n" || r.stderr != "err\n" || r.code != 3 {
		t.Fatalf("run: stdout %q stderr %q exit %d", r.stdout, r.stderr, r.code)
	}
	if r := d.dockerBin(t, cli, "in\n", "run", "-i", "--rm", "alpine", "cat"); r.stdout != "in\n" || r.code != 0 {
		t.Fatalf("run -i: stdout %q stderr %q exit %d", r.stdout, r.stderr, r.code)
	}
	d.must(t, "run", "-d", "--name", "e2e-debcli", "alpine", "sleep", "100")
	defer d.docker(t, "", "rm", "-f", "e2e-debcli")
	if r := d.dockerBin(t, cli, "x\n", "exec", "-i", "e2e-debcli", "sh", "-c", "cat; exit 4"); r.stdout != "x\n" || r.code != 4 {
		t.Fatalf("exec -i: stdout %q stderr %q exit %d", r.stdout, r.stderr, r.code)
	}
}

func TestCLIDetachedLogsStop(t *testing.T) {
	d.must(t, "run", "-d", "--name", "e2e-ticker", "alpine", "sh", "-c", "i=0; while true; do echo tick $i; i=$((i+1)); sleep 0.1; done")
	defer d.docker(t, "", "rm", "-f", "e2e-ticker")
	time.Sleep(500 * time.Millisecond)
	out := d.must(t, "logs", "--tail", "2", "e2e-ticker")
	if lines := strings.Split(strings.TrimSpace(out), "\n"); len(lines) != 2 || !strings.HasPrefix(lines[0], "tick ") {
		t.Fatalf("logs --tail 2: %q", out)
	}
	ps := d.must(t, "ps", "--filter", "name=e2e-ticker", "--format", "{{.Names}} {{.State}}")
	if strings.TrimSpace(ps) != "e2e-ticker running" {
		t.Fatalf("ps: %q", ps)
	}
	t0 := time.Now()
	d.must(t, "stop", "-t", "1", "e2e-ticker")
	if el := time.Since(t0); el < 900*time.Millisecond || el > 5*time.Second {
		t.Fatalf("stop took %v; sh as PID 1 ignores SIGTERM so want ~1s", el)
	}
	st := d.must(t, "inspect", "-f", "{{.State.Status}} {{.State.ExitCode}}", "e2e-ticker")
	if strings.TrimSpace(st) != "exited 137" {
		t.Fatalf("after stop: %q", st)
	}
	// logs after exit keep everything, one record per line
	all := d.must(t, "logs", "-t", "e2e-ticker")
	for _, l := range strings.Split(strings.TrimSpace(all), "\n") {
		if !strings.Contains(l, "Z tick ") {
			t.Fatalf("bad timestamped line %q", l)
		}
	}
	d.must(t, "rm", "e2e-ticker")
	if r := d.docker(t, "", "inspect", "e2e-ticker"); r.code == 0 {
		t.Fatal("container still there after rm")
	}
}

func TestCLIExecCp(t *testing.T) {
	d.must(t, "run", "-d", "--name", "e2e-exec", "alpine", "sleep", "1000")
	defer d.docker(t, "", "rm", "-f", "e2e-exec")
	if out := d.must(t, "exec", "e2e-exec", "sh", "-c", "echo $((6*7))"); out != "42\n" {
		t.Fatalf("exec: %q", out)
	}
	if r := d.docker(t, "", "exec", "e2e-exec", "sh", "-c", "exit 5"); r.code != 5 {
		t.Fatalf("exec exit code %d, want 5", r.code)
	}
	if r := d.docker(t, "in\n", "exec", "-i", "e2e-exec", "cat"); r.stdout != "in\n" {
		t.Fatalf("exec -i: %q", r.stdout)
	}
	d.must(t, "exec", "-d", "e2e-exec", "sh", "-c", "echo detached > /tmp/d")
	time.Sleep(200 * time.Millisecond)
	if out := d.must(t, "exec", "e2e-exec", "cat", "/tmp/d"); out != "detached\n" {
		t.Fatalf("exec -d: %q", out)
	}
	dir := t.TempDir()
	src := filepath.Join(dir, "in.txt")
	os.WriteFile(src, []byte("payload\n"), 0o644)
	d.must(t, "cp", src, "e2e-exec:/tmp/in.txt")
	if out := d.must(t, "exec", "e2e-exec", "cat", "/tmp/in.txt"); out != "payload\n" {
		t.Fatalf("cp in: %q", out)
	}
	d.must(t, "exec", "e2e-exec", "sh", "-c", "mkdir -p /out/sub && echo a > /out/a && echo b > /out/sub/b")
	d.must(t, "cp", "e2e-exec:/out", dir)
	if b, err := os.ReadFile(filepath.Join(dir, "out", "sub", "b")); err != nil || string(b) != "b\n" {
		t.Fatalf("cp out: %q %v", b, err)
	}
	top := d.must(t, "top", "e2e-exec")
	if !strings.Contains(top, "sleep 1000") {
		t.Fatalf("top: %q", top)
	}
}

func TestCLIResources(t *testing.T) {
	d.must(t, "volume", "create", "e2e-vol")
	d.must(t, "run", "--rm", "-v", "e2e-vol:/data", "alpine", "sh", "-c", "echo persisted > /data/f")
	if out := d.must(t, "run", "--rm", "-v", "e2e-vol:/data", "alpine", "cat", "/data/f"); out != "persisted\n" {
		t.Fatalf("volume data: %q", out)
	}
	if out := d.must(t, "volume", "ls", "-q", "--filter", "name=e2e-vol"); strings.TrimSpace(out) != "e2e-vol" {
		t.Fatalf("volume ls: %q", out)
	}
	d.must(t, "volume", "rm", "e2e-vol")
	host := t.TempDir()
	d.must(t, "run", "--rm", "-v", host+":/h", "alpine", "sh", "-c", "echo bound > /h/x")
	if b, _ := os.ReadFile(filepath.Join(host, "x")); string(b) != "bound\n" {
		t.Fatalf("bind mount: %q", b)
	}
	d.must(t, "network", "create", "e2e-net")
	d.must(t, "run", "-d", "--name", "e2e-netc", "--network", "e2e-net", "alpine", "sleep", "100")
	if out := d.must(t, "network", "inspect", "-f", "{{range .Containers}}{{.Name}}{{end}}", "e2e-net"); strings.TrimSpace(out) != "e2e-netc" {
		t.Fatalf("network inspect: %q", out)
	}
	d.must(t, "rm", "-f", "e2e-netc")
	d.must(t, "network", "rm", "e2e-net")
	if r := d.docker(t, "", "run", "--name", "e2e-dup", "alpine", "true"); r.code != 0 {
		t.Fatal(r.stderr)
	}
	if r := d.docker(t, "", "create", "--name", "e2e-dup", "alpine", "true"); r.code == 0 || !strings.Contains(r.stderr, "is already in use") {
		t.Fatalf("name conflict: %d %q", r.code, r.stderr)
	}
	d.must(t, "rm", "e2e-dup")
}

func TestCLIImages(t *testing.T) {
	d.must(t, "pull", "busybox:1.36")
	d.must(t, "tag", "busybox:1.36", "e2e-img:1")
	d.must(t, "run", "--name", "e2e-commit", "e2e-img:1", "sh", "-c", "echo committed > /marker")
	d.must(t, "commit", "-c", "CMD cat /marker", "e2e-commit", "e2e-img:committed")
	d.must(t, "rm", "e2e-commit")
	if out := d.must(t, "run", "--rm", "e2e-img:committed"); out != "committed\n" {
		t.Fatalf("committed image: %q", out)
	}
	tarPath := filepath.Join(t.TempDir(), "img.tar")
	d.must(t, "save", "-o", tarPath, "e2e-img:committed")
	d.must(t, "rmi", "e2e-img:committed")
	if out := d.must(t, "load", "-i", tarPath); !strings.Contains(out, "Loaded image: e2e-img:committed") {
		t.Fatalf("load: %q", out)
	}
	if out := d.must(t, "run", "--rm", "e2e-img:committed"); out != "committed\n" {
		t.Fatalf("loaded image: %q", out)
	}
	hist := d.must(t, "history", "e2e-img:committed")
	if !strings.Contains(hist, "echo committed") || !strings.Contains(hist, "<missing>") {
		t.Fatalf("history: %q", hist)
	}
	d.must(t, "create", "--name", "e2e-export", "e2e-img:committed")
	exp := filepath.Join(t.TempDir(), "fs.tar")
	d.must(t, "export", "-o", exp, "e2e-export")
	d.must(t, "rm", "e2e-export")
	d.must(t, "import", exp, "e2e-img:imported")
	if out := d.must(t, "run", "--rm", "e2e-img:imported", "cat", "/marker"); out != "committed\n" {
		t.Fatalf("imported image: %q", out)
	}
	d.must(t, "rmi", "e2e-img:imported", "e2e-img:committed", "e2e-img:1")
}
