// Package refdocker starts a private reference Docker Engine (Debian's
// dockerd, docker.io 20.10) for differential tests, and builds the reference
// image (a busybox-static rootfs made with `docker import`, tagged
// alpine:latest and busybox-ref:latest).
//
// Each engine gets its own socket, data root, exec root, pid file and default
// bridge (a Linux bridge created for it, with its own subnet and address pool),
// so several engines, or other suites' engines, can run side by side without
// touching the host's docker0 or /var/lib/docker. Close stops everything it
// started, unmounts what dockerd left mounted and removes the temp dirs; a
// later Start also sweeps what a killed test process left behind.
//
// It must not be used to talk to sockerless: its job is to be the reference.
// A missing dockerd is an error, never a skip: a differential suite that
// silently compares against nothing proves nothing.
package refdocker

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// Options tune Start. The zero value works.
type Options struct {
	// TempDir is where the engine's directory is made (default: /tmp; unix
	// socket paths must stay short).
	TempDir string
	// StartTimeout bounds the wait for /_ping (default 60s).
	StartTimeout time.Duration
	// NoImage skips importing the reference image.
	NoImage bool
}

// Engine is a running reference dockerd.
type Engine struct {
	Dir      string // everything lives below it
	Socket   string // path of the API socket
	Host     string // DOCKER_HOST value: unix://<Socket>
	DataRoot string
	LogPath  string // dockerd's stderr/stdout

	bridge string
	cmd    *exec.Cmd
	exited chan struct{}
	once   sync.Once
	err    error
}

const dirPrefix = "refdocker-"

var subnetMu sync.Mutex
var subnetsTaken = map[int]bool{}

// Start starts dockerd and waits until /_ping answers, then imports the
// reference image (unless opts.NoImage).
func Start(ctx context.Context, opts Options) (*Engine, error) {
	if os.Geteuid() != 0 {
		return nil, errors.New("refdocker: the reference dockerd needs root (run the tests as root or under sudo)")
	}
	dockerd, err := exec.LookPath("dockerd")
	if err != nil {
		return nil, fmt.Errorf("refdocker: dockerd not found (run tests/deps.sh to install docker.io): %w", err)
	}
	if _, err := exec.LookPath("docker"); err != nil {
		return nil, fmt.Errorf("refdocker: docker CLI not found (run tests/deps.sh): %w", err)
	}
	if opts.TempDir == "" {
		opts.TempDir = "/tmp"
	}
	if opts.StartTimeout == 0 {
		opts.StartTimeout = 60 * time.Second
	}
	Sweep(opts.TempDir)

	dir, err := os.MkdirTemp(opts.TempDir, fmt.Sprintf("%s%d-", dirPrefix, os.Getpid()))
	if err != nil {
		return nil, err
	}
	e := &Engine{
		Dir:      dir,
		Socket:   filepath.Join(dir, "docker.sock"),
		DataRoot: filepath.Join(dir, "root"),
		LogPath:  filepath.Join(dir, "dockerd.log"),
		exited:   make(chan struct{}),
	}
	e.Host = "unix://" + e.Socket
	ok := false
	defer func() {
		if !ok {
			e.Close()
		}
	}()

	octet, err := e.makeBridge()
	if err != nil {
		return nil, err
	}
	for _, d := range []string{"config", "exec"} {
		if err := os.MkdirAll(filepath.Join(dir, d), 0o700); err != nil {
			return nil, err
		}
	}
	// An explicit, empty daemon.json: /etc/docker/daemon.json must not apply.
	cfg := filepath.Join(dir, "daemon.json")
	if err := os.WriteFile(cfg, []byte("{}\n"), 0o644); err != nil {
		return nil, err
	}
	logf, err := os.Create(e.LogPath)
	if err != nil {
		return nil, err
	}
	e.cmd = exec.Command(dockerd, Flags(dir, e.bridge, octet)...)
	e.cmd.Stdout, e.cmd.Stderr = logf, logf
	e.cmd.Dir = dir
	e.cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := e.cmd.Start(); err != nil {
		logf.Close()
		return nil, fmt.Errorf("refdocker: start dockerd: %w", err)
	}
	go func() {
		e.cmd.Wait()
		logf.Close()
		close(e.exited)
	}()

	if err := e.waitPing(ctx, opts.StartTimeout); err != nil {
		return nil, err
	}
	if !opts.NoImage {
		if err := ImportImage(e.Env()); err != nil {
			return nil, fmt.Errorf("refdocker: import reference image: %w\n%s", err, e.LogTail(20))
		}
	}
	ok = true
	return e, nil
}

// Flags returns dockerd's command line for an engine living in dir, whose
// default bridge is the existing Linux bridge named bridge with the subnet
// 10.<octet>.0.0/24; user-defined networks come from 10.<octet>.16.0/20.
// No iptables rules and no masquerading are set up: the reference must not
// change the host's firewall, and the scenarios need no outside network.
func Flags(dir, bridge string, octet int) []string {
	return []string{
		"--host", "unix://" + filepath.Join(dir, "docker.sock"),
		"--data-root", filepath.Join(dir, "root"),
		"--exec-root", filepath.Join(dir, "exec"),
		"--pidfile", filepath.Join(dir, "docker.pid"),
		"--config-file", filepath.Join(dir, "daemon.json"),
		"--iptables=false",
		"--ip-masq=false",
		"--ip-forward=false",
		"--bridge", bridge,
		"--default-address-pool", fmt.Sprintf("base=10.%d.16.0/20,size=24", octet),
		"--shutdown-timeout", "3",
		"--log-level", "warn",
	}
}

// makeBridge creates this engine's default bridge with a /24 that no
// interface on the host uses.
func (e *Engine) makeBridge() (int, error) {
	subnetMu.Lock()
	defer subnetMu.Unlock()
	used := map[int]bool{}
	if addrs, err := net.InterfaceAddrs(); err == nil {
		for _, a := range addrs {
			if ipn, ok := a.(*net.IPNet); ok {
				if ip4 := ipn.IP.To4(); ip4 != nil && ip4[0] == 10 {
					used[int(ip4[1])] = true
				}
			}
		}
	}
	octet := -1
	start := 200 + os.Getpid()%50
	for i := 0; i < 50; i++ {
		o := 200 + (start-200+i)%50
		if !used[o] && !subnetsTaken[o] {
			octet = o
			break
		}
	}
	if octet < 0 {
		return 0, errors.New("refdocker: no free 10.200-249.0.0/16 subnet for the bridge")
	}
	for n := 0; ; n++ {
		name := fmt.Sprintf("rdk%dx%d", os.Getpid(), n)
		if _, err := net.InterfaceByName(name); err == nil {
			continue
		}
		e.bridge = name
		break
	}
	for _, args := range [][]string{
		{"link", "add", e.bridge, "type", "bridge"},
		{"addr", "add", fmt.Sprintf("10.%d.0.1/24", octet), "dev", e.bridge},
		{"link", "set", e.bridge, "up"},
	} {
		if out, err := exec.Command("ip", args...).CombinedOutput(); err != nil {
			return 0, fmt.Errorf("refdocker: ip %s: %w: %s", strings.Join(args, " "), err, out)
		}
	}
	subnetsTaken[octet] = true
	return octet, nil
}

func (e *Engine) waitPing(ctx context.Context, timeout time.Duration) error {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	for {
		if err := Ping(ctx, e.Socket); err == nil {
			return nil
		}
		select {
		case <-e.exited:
			return fmt.Errorf("refdocker: dockerd exited before answering /_ping:\n%s", e.LogTail(30))
		case <-ctx.Done():
			return fmt.Errorf("refdocker: dockerd did not answer /_ping within %v:\n%s", timeout, e.LogTail(30))
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// Ping sends GET /_ping on the unix socket and wants 200 "OK". It is also
// used to wait for sockerless.
func Ping(ctx context.Context, socket string) error {
	c := http.Client{Transport: &http.Transport{
		DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
			var d net.Dialer
			return d.DialContext(ctx, "unix", socket)
		},
	}, Timeout: 2 * time.Second}
	defer c.CloseIdleConnections()
	req, err := http.NewRequestWithContext(ctx, "GET", "http://docker/_ping", nil)
	if err != nil {
		return err
	}
	resp, err := c.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 64))
	if resp.StatusCode != 200 || string(body) != "OK" {
		return fmt.Errorf("/_ping: %s %q", resp.Status, body)
	}
	return nil
}

// Env returns the environment that points the docker CLI at this engine,
// with a private client config dir.
func (e *Engine) Env() []string {
	return ClientEnv(e.Host, filepath.Join(e.Dir, "config"))
}

// ClientEnv is the docker CLI environment for host with a private config
// dir: no user config, contexts or hints leak into outputs.
func ClientEnv(host, configDir string) []string {
	return []string{
		"DOCKER_HOST=" + host,
		"DOCKER_CONFIG=" + configDir,
		"DOCKER_CONTEXT=",
		"DOCKER_CLI_HINTS=false",
		"DOCKER_BUILDKIT=0",
	}
}

// Docker runs the docker CLI against the engine and returns its stdout.
func (e *Engine) Docker(args ...string) (string, error) {
	return docker(e.Env(), args...)
}

// LogTail returns the last n lines of dockerd's log.
func (e *Engine) LogTail(n int) string {
	data, _ := os.ReadFile(e.LogPath)
	lines := strings.Split(strings.TrimRight(string(data), "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// Close removes the engine's containers and networks, stops dockerd (and
// its containerd and shims), unmounts leftovers and removes the engine's
// directory and bridge. It is safe to call more than once.
func (e *Engine) Close() error {
	e.once.Do(func() { e.err = e.close() })
	return e.err
}

func (e *Engine) close() error {
	var errs []error
	var bridges []string
	if e.cmd != nil && e.cmd.Process != nil && Ping(context.Background(), e.Socket) == nil {
		if ids, err := e.Docker("ps", "-aq"); err == nil && strings.TrimSpace(ids) != "" {
			e.Docker(append([]string{"rm", "-f", "-v"}, strings.Fields(ids)...)...)
		}
		if ids, err := e.Docker("network", "ls", "-q", "--filter", "driver=bridge", "--no-trunc"); err == nil {
			for _, id := range strings.Fields(ids) {
				bridges = append(bridges, "br-"+id[:min(12, len(id))])
			}
		}
		e.Docker("network", "prune", "-f")
	}
	if e.cmd != nil && e.cmd.Process != nil {
		e.cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-e.exited:
		case <-time.After(20 * time.Second):
			// The whole group: dockerd and the containerd it started.
			syscall.Kill(-e.cmd.Process.Pid, syscall.SIGKILL)
			<-e.exited
		}
	}
	killUnder(e.Dir)
	if err := unmountUnder(e.Dir); err != nil {
		errs = append(errs, err)
	}
	for _, b := range append(bridges, e.bridge) {
		if b == "" || b == "br-" {
			continue
		}
		if _, err := net.InterfaceByName(b); err == nil {
			if out, err := exec.Command("ip", "link", "del", b).CombinedOutput(); err != nil {
				errs = append(errs, fmt.Errorf("ip link del %s: %w: %s", b, err, out))
			}
		}
	}
	if err := os.RemoveAll(e.Dir); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// killUnder kills processes whose command line names dir: the containerd
// and containerd-shims started for the engine living there (shims detach
// from dockerd's process group on purpose).
func killUnder(dir string) {
	ents, _ := os.ReadDir("/proc")
	for _, ent := range ents {
		pid, err := strconv.Atoi(ent.Name())
		if err != nil || pid == os.Getpid() {
			continue
		}
		cmdline, err := os.ReadFile(filepath.Join("/proc", ent.Name(), "cmdline"))
		if err != nil {
			continue
		}
		if strings.Contains(string(cmdline), dir+"/") {
			syscall.Kill(pid, syscall.SIGKILL)
		}
	}
}

// unmountUnder lazily unmounts every mount point at or below dir, deepest
// first.
func unmountUnder(dir string) error {
	f, err := os.Open("/proc/self/mountinfo")
	if err != nil {
		return err
	}
	defer f.Close()
	var mps []string
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) < 5 {
			continue
		}
		mp := unescapeMount(fields[4])
		if mp == dir || strings.HasPrefix(mp, dir+"/") {
			mps = append(mps, mp)
		}
	}
	var errs []error
	for i := len(mps) - 1; i >= 0; i-- {
		if err := syscall.Unmount(mps[i], syscall.MNT_DETACH); err != nil && !errors.Is(err, syscall.EINVAL) && !errors.Is(err, syscall.ENOENT) {
			errs = append(errs, fmt.Errorf("unmount %s: %w", mps[i], err))
		}
	}
	return errors.Join(errs...)
}

// unescapeMount undoes mountinfo's octal escapes (\040 for a space, …).
func unescapeMount(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+3 < len(s) {
			if n, err := strconv.ParseUint(s[i+1:i+4], 8, 8); err == nil {
				b.WriteByte(byte(n))
				i += 3
				continue
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// Sweep cleans up after engines whose test process died without Close
// (killed, timed out): directories named refdocker-<pid>-* under tempDir and
// bridges named rdk<pid>x* whose <pid> is no longer alive.
func Sweep(tempDir string) {
	alive := func(pid int) bool {
		return pid > 0 && syscall.Kill(pid, 0) == nil
	}
	ents, _ := os.ReadDir(tempDir)
	for _, ent := range ents {
		name := ent.Name()
		if !ent.IsDir() || !strings.HasPrefix(name, dirPrefix) {
			continue
		}
		rest := strings.TrimPrefix(name, dirPrefix)
		i := strings.IndexByte(rest, '-')
		if i < 0 {
			continue
		}
		pid, err := strconv.Atoi(rest[:i])
		if err != nil || alive(pid) {
			continue
		}
		dir := filepath.Join(tempDir, name)
		if data, err := os.ReadFile(filepath.Join(dir, "docker.pid")); err == nil {
			if p, err := strconv.Atoi(strings.TrimSpace(string(data))); err == nil && alive(p) {
				syscall.Kill(p, syscall.SIGKILL)
			}
		}
		killUnder(dir)
		unmountUnder(dir)
		os.RemoveAll(dir)
	}
	ifs, _ := net.Interfaces()
	for _, ifc := range ifs {
		if !strings.HasPrefix(ifc.Name, "rdk") {
			continue
		}
		rest := strings.TrimPrefix(ifc.Name, "rdk")
		i := strings.IndexByte(rest, 'x')
		if i < 0 {
			continue
		}
		if pid, err := strconv.Atoi(rest[:i]); err == nil && !alive(pid) {
			exec.Command("ip", "link", "del", ifc.Name).Run()
		}
	}
}
