package e2e

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestCompose runs docker-compose 1.29 (Debian's): a two-service file
// whose services run shell commands; up, logs, down.
func TestCompose(t *testing.T) {
	bin, err := exec.LookPath("docker-compose")
	if err != nil {
		t.Fatal("docker-compose is missing: run tests/deps.sh")
	}
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "docker-compose.yml"), []byte(`version: "3"
services:
  a:
    image: alpine
    command: sh -c "echo from-a; sleep 0.5; echo a-done"
  b:
    image: alpine
    command: sh -c "echo from-b; exit 0"
`), 0o644)
	compose := func(args ...string) string {
		t.Helper()
		ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
		defer cancel()
		cmd := exec.CommandContext(ctx, bin, append([]string{"-p", "e2ecomp", "--no-ansi"}, args...)...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "DOCKER_HOST="+d.host(), "COMPOSE_INTERACTIVE_NO_CLI=1")
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("docker-compose %v: %v\n%s", args, err, out)
		}
		return string(out)
	}
	up := compose("up")
	for _, want := range []string{"from-a", "a-done", "from-b"} {
		if !strings.Contains(up, want) {
			t.Fatalf("compose up output lacks %q:\n%s", want, up)
		}
	}
	// compose prints "<name> exited with code N" only when its log thread
	// wins a race with its own handling of the die event (it drops the
	// line when its threads are slow, on a loaded machine, whatever the
	// engine): the exit codes are checked where compose reads them.
	for _, c := range []string{"e2ecomp_a_1", "e2ecomp_b_1"} {
		if code := strings.TrimSpace(d.must(t, "inspect", "-f", "{{.State.Status}} {{.State.ExitCode}}", c)); code != "exited 0" {
			t.Fatalf("%s: %s\n%s", c, code, up)
		}
	}
	logs := compose("logs")
	if !strings.Contains(logs, "from-a") || !strings.Contains(logs, "from-b") {
		t.Fatalf("compose logs:\n%s", logs)
	}
	compose("down")
	if ps := d.must(t, "ps", "-aq", "--filter", "name=e2ecomp"); strings.TrimSpace(ps) != "" {
		t.Fatalf("containers left after down: %q", ps)
	}
	if nets := d.must(t, "network", "ls", "-q", "--filter", "name=e2ecomp"); strings.TrimSpace(nets) != "" {
		t.Fatalf("network left after down: %q", nets)
	}
}
