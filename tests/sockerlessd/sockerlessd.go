// Package sockerlessd starts a sockerless daemon for tests and benchmarks:
// built from this checkout, on a private socket and data root, stopped and
// removed afterwards. It is the sockerless counterpart of tests/refdocker.
package sockerlessd

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
	"sync"
	"time"
)

// Daemon is a running sockerless daemon.
type Daemon struct {
	Dir    string
	Socket string
	Host   string // DOCKER_HOST value

	cmd  *exec.Cmd
	mu   sync.Mutex
	log  bytes.Buffer
	done chan error
}

// Build compiles the sockerless binary into dir (the guest must have been
// built: `make guest`) and returns its path.
func Build(dir string) (string, error) {
	bin := filepath.Join(dir, "sockerless")
	cmd := exec.Command("go", "build", "-o", bin, "github.com/sockerless/sockerless/cmd/sockerless")
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("building sockerless (run `make guest` first): %v\n%s", err, out)
	}
	return bin, nil
}

// Start runs bin as a daemon in a new directory under /tmp and waits until
// it answers /_ping. The guest compilation cache is shared across runs.
func Start(ctx context.Context, bin string, extraArgs ...string) (*Daemon, error) {
	dir, err := os.MkdirTemp("", "sockerlessd-")
	if err != nil {
		return nil, err
	}
	d := &Daemon{Dir: dir, Socket: filepath.Join(dir, "s.sock"), done: make(chan error, 1)}
	d.Host = "unix://" + d.Socket
	args := append([]string{"-H", d.Host, "--data-root", filepath.Join(dir, "root"),
		"--sandbox-cache", filepath.Join(os.TempDir(), "sockerless-test-cache")}, extraArgs...)
	d.cmd = exec.Command(bin, args...)
	d.cmd.Stdout, d.cmd.Stderr = (*lockedWriter)(d), (*lockedWriter)(d)
	if err := d.cmd.Start(); err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	go func() { d.done <- d.cmd.Wait() }()
	hc := d.HTTPClient()
	deadline := time.Now().Add(5 * time.Minute) // a cold guest compile is slow on a busy machine
	for time.Now().Before(deadline) {
		select {
		case err := <-d.done:
			os.RemoveAll(dir)
			return nil, fmt.Errorf("sockerless exited (%v):\n%s", err, d.Log())
		case <-ctx.Done():
			d.Close()
			return nil, ctx.Err()
		default:
		}
		if resp, err := hc.Get("http://sockerless/_ping"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return d, nil
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	d.Close()
	return nil, fmt.Errorf("sockerless did not answer /_ping:\n%s", d.Log())
}

type lockedWriter Daemon

func (w *lockedWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.log.Write(p)
}

// Log returns what the daemon printed.
func (d *Daemon) Log() string {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.log.String()
}

// HTTPClient talks to the daemon's socket.
func (d *Daemon) HTTPClient() *http.Client {
	return &http.Client{Transport: &http.Transport{DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
		var dl net.Dialer
		return dl.DialContext(ctx, "unix", d.Socket)
	}}}
}

// Env is the docker CLI environment for this daemon, with a private config.
func (d *Daemon) Env() []string {
	return []string{"DOCKER_HOST=" + d.Host, "DOCKER_CONFIG=" + filepath.Join(d.Dir, "config"),
		"DOCKER_CONTEXT=", "DOCKER_CLI_HINTS=false", "DOCKER_BUILDKIT=0"}
}

// Docker runs the docker CLI against the daemon.
func (d *Daemon) Docker(args ...string) (string, error) {
	cmd := exec.Command("docker", args...)
	cmd.Env = append(os.Environ(), d.Env()...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	if err != nil {
		return out.String(), fmt.Errorf("docker %s: %v: %s", strings.Join(args, " "), err, errb.String())
	}
	return out.String(), nil
}

// Close stops the daemon (SIGTERM, then SIGKILL after 20 s) and removes its directory.
func (d *Daemon) Close() error {
	d.cmd.Process.Signal(os.Interrupt)
	var err error
	select {
	case err = <-d.done:
	case <-time.After(20 * time.Second):
		d.cmd.Process.Kill()
		err = <-d.done
	}
	os.RemoveAll(d.Dir)
	return err
}
