// Package e2e drives a real sockerless daemon with real clients: the
// docker CLI, the Docker Go SDK (github.com/moby/moby/client) and
// docker-compose. TestMain builds the binary, starts the daemon on a
// temporary socket and data root, and stops it at the end. Missing clients
// fail the tests (tests/deps.sh installs them); they never skip.
package e2e

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/moby/moby/client"
)

var (
	binPath  string // the sockerless binary under test
	cacheDir string // shared compiled-guest cache
	d        *daemon
)

// daemon is one running sockerless.
type daemon struct {
	sock, root string
	cmd        *exec.Cmd
	log        *bytes.Buffer
}

func TestMain(m *testing.M) {
	os.Exit(run(m))
}

func run(m *testing.M) int {
	tmp, err := os.MkdirTemp("", "sockerless-e2e")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(tmp)
	binPath = filepath.Join(tmp, "sockerless")
	build := exec.Command("go", "build", "-o", binPath, "github.com/sockerless/sockerless/cmd/sockerless")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "e2e: building sockerless failed (run `make guest` first):", err)
		return 1
	}
	cacheDir = filepath.Join(os.TempDir(), "sockerless-e2e-cache")
	d, err = startDaemon(filepath.Join(tmp, "d"))
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2e:", err)
		return 1
	}
	// Every suite starts from alpine being present (offline: the base image).
	pull := exec.Command("docker", "pull", "-q", "alpine")
	pull.Env = append(os.Environ(), "DOCKER_HOST="+d.host(), "DOCKER_CONFIG="+tmp)
	if out, err := pull.CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "e2e: docker pull alpine: %v\n%s", err, out)
		d.stop()
		return 1
	}
	code := m.Run()
	if err := d.stop(); err != nil {
		fmt.Fprintln(os.Stderr, "e2e: daemon stop:", err)
		code = 1
	}
	if code != 0 {
		fmt.Fprintf(os.Stderr, "---- daemon log (tail) ----\n%s\n", tail(d.log.String(), 4000))
	}
	return code
}

func tail(s string, n int) string {
	if len(s) > n {
		return s[len(s)-n:]
	}
	return s
}

type syncBuf struct {
	bytes.Buffer
}

func startDaemon(dir string) (*daemon, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	dd := &daemon{sock: filepath.Join(dir, "s.sock"), root: filepath.Join(dir, "root"), log: &bytes.Buffer{}}
	return dd, dd.start()
}

func (dd *daemon) start() error {
	dd.log.Reset()
	dd.cmd = exec.Command(binPath, "-H", "unix://"+dd.sock, "--data-root", dd.root, "--sandbox-cache", cacheDir, "--log-level", "info")
	dd.cmd.Stdout, dd.cmd.Stderr = dd.log, dd.log
	if err := dd.cmd.Start(); err != nil {
		return err
	}
	deadline := time.Now().Add(3 * time.Minute) // the first run compiles the guest
	hc := dd.httpClient()
	for time.Now().Before(deadline) {
		resp, err := hc.Get("http://sockerless/_ping")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 && strings.Contains(dd.log.String(), "API listening") {
				return nil
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	dd.cmd.Process.Kill()
	dd.cmd.Wait()
	return fmt.Errorf("daemon did not come up; log:\n%s", dd.log.String())
}

func (dd *daemon) stop() error {
	dd.cmd.Process.Signal(os.Interrupt)
	done := make(chan error, 1)
	go func() { done <- dd.cmd.Wait() }()
	select {
	case err := <-done:
		return err
	case <-time.After(20 * time.Second):
		dd.cmd.Process.Kill()
		return fmt.Errorf("daemon did not stop within 20s")
	}
}

func (dd *daemon) kill9() {
	dd.cmd.Process.Kill()
	dd.cmd.Wait()
}

func (dd *daemon) httpClient() *http.Client {
	return &http.Client{Transport: &http.Transport{DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
		var dl net.Dialer
		return dl.DialContext(ctx, "unix", dd.sock)
	}}}
}

func (dd *daemon) host() string { return "unix://" + dd.sock }

// sdk returns a Docker Go SDK client for dd.
func (dd *daemon) sdk(t testing.TB) *client.Client {
	t.Helper()
	c, err := client.New(client.WithHost(dd.host()), client.WithAPIVersionNegotiation())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

type result struct {
	stdout, stderr string
	code           int
}

// docker runs the real docker CLI against dd.
func (dd *daemon) docker(t testing.TB, stdin string, args ...string) result {
	t.Helper()
	dockerBin, err := exec.LookPath("docker")
	if err != nil {
		t.Fatal("the docker CLI is missing: run tests/deps.sh")
	}
	return dd.dockerBin(t, dockerBin, stdin, args...)
}

// dockerBin runs the docker CLI at dockerBin against dd.
func (dd *daemon) dockerBin(t testing.TB, dockerBin, stdin string, args ...string) result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, dockerBin, args...)
	cmd.Env = append(os.Environ(), "DOCKER_HOST="+dd.host(), "DOCKER_CONFIG="+t.TempDir())
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if stdin != "" {
		cmd.Stdin = strings.NewReader(stdin)
	}
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("docker %v: %v", args, err)
	}
	if ctx.Err() != nil {
		t.Fatalf("docker %v timed out; stdout %q stderr %q", args, out.String(), errb.String())
	}
	return result{out.String(), errb.String(), code}
}

// must runs docker and fails the test on a non-zero exit.
func (dd *daemon) must(t testing.TB, args ...string) string {
	t.Helper()
	r := dd.docker(t, "", args...)
	if r.code != 0 {
		t.Fatalf("docker %v: exit %d\nstdout: %s\nstderr: %s", args, r.code, r.stdout, r.stderr)
	}
	return r.stdout
}
