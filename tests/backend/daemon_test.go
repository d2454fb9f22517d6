package backend_test

// The daemon with backends, through the real docker CLI: sockerless
// (tests/sockerlessd) with its docker backend pointed at a reference
// engine (tests/refdocker).

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sockerless/sockerless/tests/refdocker"
	"github.com/sockerless/sockerless/tests/sockerlessd"
)

var (
	binOnce sync.Once
	binPath string
	binErr  error
)

// sockerlessBin builds the daemon once per test binary.
func sockerlessBin(t *testing.T) string {
	t.Helper()
	binOnce.Do(func() {
		dir, err := os.MkdirTemp("", "sockerless-bin-")
		if err != nil {
			binErr = err
			return
		}
		binPath, binErr = sockerlessd.Build(dir)
	})
	if binErr != nil {
		t.Fatal(binErr)
	}
	return binPath
}

func startDaemon(t *testing.T, args ...string) *sockerlessd.Daemon {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	d, err := sockerlessd.Start(ctx, sockerlessBin(t), args...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("sockerless log:\n%s", d.Log())
		}
		d.Close()
	})
	return d
}

// cli runs the docker CLI with env and stdin; it returns stdout, stderr
// and the exit code.
func cli(t *testing.T, env []string, stdin string, args ...string) (string, string, int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "docker", args...)
	cmd.Env = append(os.Environ(), env...)
	if stdin != "" {
		cmd.Stdin = strings.NewReader(stdin)
	}
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	if err != nil {
		ee, ok := err.(*exec.ExitError)
		if !ok {
			t.Fatalf("docker %s: %v", strings.Join(args, " "), err)
		}
		code = ee.ExitCode()
	}
	return out.String(), errb.String(), code
}

func mustCLI(t *testing.T, env []string, args ...string) string {
	t.Helper()
	out, errs, code := cli(t, env, "", args...)
	if code != 0 {
		t.Fatalf("docker %s: exit %d: %s%s", strings.Join(args, " "), code, out, errs)
	}
	return out
}

// loadRefImage copies the reference image (busybox-ref: a static busybox
// ELF and its applet links) from the engine into sockerless.
func loadRefImage(t *testing.T, eng *refdocker.Engine, d *sockerlessd.Daemon) {
	t.Helper()
	save := exec.Command("docker", "save", refdocker.AltImage)
	save.Env = append(os.Environ(), eng.Env()...)
	tarball, err := save.Output()
	if err != nil {
		t.Fatalf("docker save: %v", err)
	}
	load := exec.Command("docker", "load")
	load.Env = append(os.Environ(), d.Env()...)
	load.Stdin = bytes.NewReader(tarball)
	if out, err := load.CombinedOutput(); err != nil {
		t.Fatalf("docker load into sockerless: %v: %s", err, out)
	}
}

func TestDaemonDockerBackend(t *testing.T) {
	eng := refdocker.New(t)
	d := startDaemon(t, "--backend-opt", "docker.host="+eng.Host, "--escape-backend=docker")
	env := d.Env()
	far := eng.Env()

	t.Run("run", func(t *testing.T) {
		out, errs, code := cli(t, env, "", "run", "--name", "hi3", "--label", "io.sockerless.backend=docker", "busybox-ref", "sh", "-c", "echo hi; exit 3")
		if code != 3 || out != "hi\n" {
			t.Fatalf("run: exit %d, stdout %q, stderr %q; want 3 and hi", code, out, errs)
		}
		id := strings.TrimSpace(mustCLI(t, env, "inspect", "-f", "{{.Id}}", "hi3"))
		rt := strings.TrimSpace(mustCLI(t, env, "inspect", "-f", "{{.HostConfig.Runtime}} {{.State.Status}} {{.State.ExitCode}}", "hi3"))
		if rt != "sockerless-docker exited 3" {
			t.Fatalf("inspect: %q", rt)
		}
		// The container ran in the reference engine.
		farOut := mustCLI(t, far, "ps", "-a", "--filter", "label=io.sockerless.container="+id, "--format", "{{.Status}}|{{.Command}}")
		if !strings.HasPrefix(farOut, "Exited (3)") || !strings.Contains(farOut, "echo hi") {
			t.Fatalf("reference engine ps -a: %q", farOut)
		}
		mustCLI(t, env, "rm", "hi3")
		if farOut := mustCLI(t, far, "ps", "-aq", "--filter", "label=io.sockerless.container="+id); farOut != "" {
			t.Fatalf("rm left the far container: %q", farOut)
		}
	})

	t.Run("lifecycle", func(t *testing.T) {
		mustCLI(t, env, "run", "-d", "--name", "ticker", "--label", "io.sockerless.backend=docker", "busybox-ref",
			"sh", "-c", "trap 'echo bye; exit 0' TERM; i=0; while true; do echo tick $i; i=$((i+1)); sleep 0.2; done")
		// exec: output and exit code, then with stdin.
		out, _, code := cli(t, env, "", "exec", "ticker", "sh", "-c", "echo from-exec; exit 5")
		if code != 5 || out != "from-exec\n" {
			t.Fatalf("exec: %d %q", code, out)
		}
		out, _, code = cli(t, env, "some input\n", "exec", "-i", "ticker", "sh", "-c", "cat; echo done")
		if code != 0 || out != "some input\ndone\n" {
			t.Fatalf("exec -i: %d %q", code, out)
		}
		// logs -f streams new lines while the container runs.
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
		defer cancel()
		lf := exec.CommandContext(ctx, "docker", "logs", "-f", "ticker")
		lf.Env = append(os.Environ(), env...)
		var lb syncBuf
		lf.Stdout = &lb
		lf.Start()
		time.Sleep(500 * time.Millisecond)
		n0 := strings.Count(lb.String(), "tick")
		lf.Wait()
		if n1 := strings.Count(lb.String(), "tick"); n0 == 0 || n1 <= n0+3 {
			t.Fatalf("logs -f: %d ticks after 0.5 s, %d after 3 s:\n%s", n0, n1, lb.String())
		}
		// cp both ways.
		dir := t.TempDir()
		src := filepath.Join(dir, "in.txt")
		os.WriteFile(src, []byte("copied in\n"), 0o644)
		mustCLI(t, env, "cp", src, "ticker:/tmp/in.txt")
		if got := mustCLI(t, env, "exec", "ticker", "cat", "/tmp/in.txt"); got != "copied in\n" {
			t.Fatalf("cp in: %q", got)
		}
		mustCLI(t, env, "exec", "ticker", "sh", "-c", "echo made inside > /tmp/out.txt")
		mustCLI(t, env, "cp", "ticker:/tmp/out.txt", filepath.Join(dir, "out.txt"))
		if got, _ := os.ReadFile(filepath.Join(dir, "out.txt")); string(got) != "made inside\n" {
			t.Fatalf("cp out: %q", got)
		}
		// top, pause and stats go through the adapter too.
		if out, errs, code := cli(t, env, "", "top", "ticker"); code != 0 || !strings.Contains(out, "while true") {
			t.Fatalf("top: %d %q %q", code, out, errs)
		}
		mustCLI(t, env, "pause", "ticker")
		if out := mustCLI(t, env, "inspect", "-f", "{{.State.Status}} {{.State.Paused}}", "ticker"); strings.TrimSpace(out) != "paused true" {
			t.Fatalf("inspect after pause: %q", out)
		}
		mustCLI(t, env, "unpause", "ticker")
		if out := mustCLI(t, env, "stats", "--no-stream", "--format", "{{.Name}}", "ticker"); strings.TrimSpace(out) != "ticker" {
			t.Fatalf("stats name: %q", out)
		}
		// stop: the TERM trap runs, the state follows.
		mustCLI(t, env, "stop", "ticker")
		st := strings.TrimSpace(mustCLI(t, env, "inspect", "-f", "{{.State.Status}} {{.State.Running}} {{.State.ExitCode}}", "ticker"))
		if st != "exited false 0" {
			t.Fatalf("after stop: %q", st)
		}
		if logs := mustCLI(t, env, "logs", "--tail", "1", "ticker"); logs != "bye\n" {
			t.Fatalf("last log line: %q", logs)
		}
		mustCLI(t, env, "rm", "ticker")
		if out := mustCLI(t, far, "ps", "-aq", "--filter", "label=io.sockerless.name=ticker"); out != "" {
			t.Fatalf("rm left the far container: %q", out)
		}
	})

	t.Run("events", func(t *testing.T) {
		since := time.Now().Add(-time.Second).Format(time.RFC3339Nano)
		mustCLI(t, env, "run", "--rm", "--name", "ev", "--label", "io.sockerless.backend=docker", "busybox-ref", "true")
		until := time.Now().Add(time.Second).Format(time.RFC3339Nano)
		out := mustCLI(t, env, "events", "--since", since, "--until", until, "--filter", "container=ev", "--format", "{{.Action}}")
		for _, a := range []string{"create", "attach", "start", "die", "destroy"} {
			if !strings.Contains(out, a+"\n") {
				t.Fatalf("events: no %s in %q", a, out)
			}
		}
	})

	t.Run("escape", func(t *testing.T) {
		loadRefImage(t, eng, d)
		// An ELF program leaves the sandbox on its own ...
		out, errs, code := cli(t, env, "", "run", "--name", "elf", "busybox-ref", "/bin/busybox", "echo", "escaped")
		if code != 0 || out != "escaped\n" {
			t.Fatalf("escape: exit %d %q %q", code, out, errs)
		}
		if rt := strings.TrimSpace(mustCLI(t, env, "inspect", "-f", "{{.HostConfig.Runtime}}", "elf")); rt != "sockerless-docker" {
			t.Fatalf("escaped container's runtime: %q", rt)
		}
		// ... while the sandbox keeps what it can run (sh and echo are
		// the sandbox's own).
		out, _, code = cli(t, env, "", "run", "--name", "sb", "busybox-ref", "sh", "-c", "echo sandboxed")
		if rt := strings.TrimSpace(mustCLI(t, env, "inspect", "-f", "{{.HostConfig.Runtime}}", "sb")); code != 0 || out != "sandboxed\n" || rt == "sockerless-docker" {
			t.Fatalf("sandbox run: %d %q runtime %q", code, out, rt)
		}
	})
}

// Without --escape-backend an ELF entrypoint fails at start with the
// guest's message; an endpoint the operator did not allow is refused. The
// options come from the daemon config file.
func TestDaemonNoEscapeAndDenied(t *testing.T) {
	eng := refdocker.New(t)
	cfgFile := filepath.Join(t.TempDir(), "daemon.json")
	raw, _ := json.Marshal(map[string]any{"backends": map[string]any{
		"docker": map[string]string{"host": eng.Host, "allow": "unix:///nowhere.sock"}}})
	os.WriteFile(cfgFile, raw, 0o644)
	d := startDaemon(t, "--config-file", cfgFile)
	env := d.Env()
	loadRefImage(t, eng, d)

	out, errs, code := cli(t, env, "", "run", "--name", "elf", "busybox-ref", "/bin/busybox", "echo", "hi")
	if code != 126 || out != "" || !strings.Contains(errs, "exec format error") || !strings.Contains(errs, "--escape-backend") {
		t.Fatalf("ELF without escape: exit %d stdout %q stderr %q", code, out, errs)
	}
	if rt := strings.TrimSpace(mustCLI(t, env, "inspect", "-f", "{{.HostConfig.Runtime}}", "elf")); rt == "sockerless-docker" {
		t.Fatalf("placed on docker without --escape-backend")
	}
	_, errs, code = cli(t, env, "", "run", "--label", "io.sockerless.backend=docker", "busybox-ref", "true")
	if code == 0 || !strings.Contains(errs, "docker backend") || !strings.Contains(errs, "not allowed") {
		t.Fatalf("denied socket: exit %d %q", code, errs)
	}
	_, errs, code = cli(t, env, "", "run", "--label", "io.sockerless.backend=nosuch", "busybox-ref", "true")
	if code == 0 || !strings.Contains(errs, `no backend called "nosuch"`) {
		t.Fatalf("unknown backend: exit %d %q", code, errs)
	}
}

// A container on a backend outlives a daemon restart.
func TestDaemonBackendRestart(t *testing.T) {
	eng := refdocker.New(t)
	bin := sockerlessBin(t)
	dataRoot := t.TempDir()
	args := []string{"--data-root", dataRoot, "--backend-opt", "docker.host=" + eng.Host}
	ctx := context.Background()
	d1, err := sockerlessd.Start(ctx, bin, args...)
	if err != nil {
		t.Fatal(err)
	}
	mustCLI(t, d1.Env(), "run", "-d", "--name", "long", "--label", "io.sockerless.backend=docker", "busybox-ref", "sleep", "600")
	mustCLI(t, d1.Env(), "run", "-d", "--name", "short", "--label", "io.sockerless.backend=docker", "busybox-ref", "sh", "-c", "sleep 2; exit 7")
	d1.Close()
	time.Sleep(3 * time.Second) // short ends while no daemon watches
	d2 := startDaemon(t, args...)
	env := d2.Env()
	if st := strings.TrimSpace(mustCLI(t, env, "inspect", "-f", "{{.State.Status}}", "long")); st != "running" {
		t.Fatalf("long after restart: %q", st)
	}
	if st := strings.TrimSpace(mustCLI(t, env, "inspect", "-f", "{{.State.Status}} {{.State.ExitCode}}", "short")); st != "exited 7" {
		t.Fatalf("short after restart: %q", st)
	}
	mustCLI(t, env, "kill", "long")
	if st := strings.TrimSpace(mustCLI(t, env, "inspect", "-f", "{{.State.Status}} {{.State.ExitCode}}", "long")); st != "exited 137" {
		t.Fatalf("long after kill: %q", st)
	}
	mustCLI(t, env, "rm", "-f", "long", "short")
}

// An adapter loaded with --backend-module runs `docker run`; what it
// cannot do (exec) is refused, naming it.
func TestDaemonUserModule(t *testing.T) {
	wasm := buildTestAdapter(t)
	d := startDaemon(t, "--backend-module", "mine="+wasm, "--backend-opt", "mine.prefix=did")
	env := d.Env()
	mustCLI(t, env, "pull", "alpine") // the sandbox's base image under that name: create needs no far image
	out, errs, code := cli(t, env, "", "run", "--name", "mod", "--label", "io.sockerless.backend=mine", "-e", "EXIT_CODE=4", "alpine", "echo", "hi")
	if code != 4 || out != "did: echo hi\n" {
		t.Fatalf("run on mine: exit %d stdout %q stderr %q", code, out, errs)
	}
	if rt := strings.TrimSpace(mustCLI(t, env, "inspect", "-f", "{{.HostConfig.Runtime}} {{.State.ExitCode}}", "mod")); rt != "sockerless-mine 4" {
		t.Fatalf("inspect: %q", rt)
	}
	mustCLI(t, env, "rm", "mod")
}
