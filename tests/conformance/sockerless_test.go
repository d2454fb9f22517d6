package conformance

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/sockerless/sockerless/tests/refdocker"
)

// sockerlessEngine builds (make build) and starts sockerless on a private
// socket and data root, and imports the reference image into it exactly as
// into the reference engine. It never fails t itself: a sockerless that
// cannot start makes every scenario fail with the reason (engine.Err), while
// the reference half still runs. extra are more daemon flags.
func sockerlessEngine(t *testing.T, extra ...string) *engine {
	e := &engine{Name: "sockerless"}
	bin := os.Getenv("SOCKERLESS_BIN")
	if bin == "" {
		root := repoRoot(t)
		out, err := exec.Command("make", "-C", root, "build").CombinedOutput()
		if err != nil {
			e.Err = fmt.Errorf("make build: %v\n%s", err, tail(string(out), 30))
			return e
		}
		bin = filepath.Join(root, "bin", "sockerless")
	}
	dir, err := os.MkdirTemp("/tmp", "sockerless-conf-")
	if err != nil {
		e.Err = err
		return e
	}
	socket := filepath.Join(dir, "sockerless.sock")
	e.DataRoot = filepath.Join(dir, "data")
	e.Env = refdocker.ClientEnv("unix://"+socket, filepath.Join(dir, "config"))
	os.MkdirAll(filepath.Join(dir, "config"), 0o700)
	logPath := filepath.Join(dir, "sockerless.log")
	logf, err := os.Create(logPath)
	if err != nil {
		e.Err = err
		return e
	}
	args := []string{"-H", "unix://" + socket, "--data-root", e.DataRoot}
	// The compiled sandbox guest is kept across runs (build/ is not
	// committed): compiling it costs tens of seconds on a fresh data root.
	if help, _ := exec.Command(bin, "--help").CombinedOutput(); strings.Contains(string(help), "--sandbox-cache") {
		args = append(args, "--sandbox-cache", filepath.Join(repoRoot(t), "build", "conformance-cache"))
	}
	args = append(args, extra...)
	cmd := exec.Command(bin, args...)
	cmd.Stdout, cmd.Stderr = logf, logf
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	exited := make(chan struct{})
	if err := cmd.Start(); err != nil {
		logf.Close()
		e.Err = fmt.Errorf("start %s: %w", bin, err)
		return e
	}
	go func() { cmd.Wait(); logf.Close(); close(exited) }()
	t.Cleanup(func() {
		cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-exited:
		case <-time.After(10 * time.Second):
			syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
			<-exited
		}
		if t.Failed() {
			t.Logf("sockerless log (last lines):\n%s", tailFile(logPath, 40))
		}
		os.RemoveAll(dir)
	})

	startTimeout := 180 * time.Second // a cold guest compile on 2 busy cores
	ctx, cancel := context.WithTimeout(context.Background(), startTimeout)
	defer cancel()
	for {
		if err := refdocker.Ping(ctx, socket); err == nil {
			break
		} else {
			select {
			case <-exited:
				e.Err = fmt.Errorf("sockerless exited before answering /_ping (%s -H unix://%s --data-root %s):\n%s", bin, socket, e.DataRoot, tailFile(logPath, 30))
				return e
			case <-ctx.Done():
				e.Err = fmt.Errorf("sockerless did not answer GET /_ping on %s within %v (last error: %v):\n%s", socket, startTimeout, err, tailFile(logPath, 30))
				return e
			case <-time.After(100 * time.Millisecond):
			}
		}
	}
	if err := refdocker.ImportImage(e.Env); err != nil {
		e.Err = fmt.Errorf("import the reference image into sockerless: %w", err)
	}
	return e
}

func tail(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

func tailFile(path string, n int) string {
	data, _ := os.ReadFile(path)
	return tail(string(data), n)
}
