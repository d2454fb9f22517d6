package busybox

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/sockerless/sockerless/runtime/rootfs"
	"github.com/sockerless/sockerless/runtime/sandbox"
	"github.com/sockerless/sockerless/wit/abi"
)

// busyboxPath is Debian's busybox-static, installed by tests/deps.sh.
const busyboxPath = "/bin/busybox"

// caseTimeout bounds one run of one case on either side.
const caseTimeout = 30 * time.Second

// env is the whole environment of both sides.
var env = []string{
	"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
	"HOME=/root",
	"LANG=C",
}

// fixtureTime is the mtime of every fixture file and directory.
var fixtureTime = time.Date(2020, 1, 2, 3, 4, 5, 0, time.UTC)

// fixtureFile is one entry of the fixture root shared by both sides.
type fixtureFile struct {
	path    string // container path
	content string
	mode    os.FileMode // 0 means 0644 (0755 for dirs)
	dir     bool
	link    string // symlink target
}

// result is what one side gave for a case.
type result struct {
	stdout, stderr string
	code           int
	err            error // the harness failed (not the script)
}

func (r result) String() string {
	if r.err != nil {
		return "harness error: " + r.err.Error()
	}
	return fmt.Sprintf("exit %d\n--- stdout\n%s--- stderr\n%s", r.code, r.stdout, r.stderr)
}

// writeFixture creates the fixture files under dir with fixed mtimes.
func writeFixture(dir string, files []fixtureFile) error {
	var dirs []string
	for _, f := range files {
		p := filepath.Join(dir, filepath.FromSlash(f.path))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		switch {
		case f.dir:
			mode := f.mode
			if mode == 0 {
				mode = 0o755
			}
			if err := os.MkdirAll(p, 0o755); err != nil {
				return err
			}
			if err := os.Chmod(p, mode); err != nil {
				return err
			}
		case f.link != "":
			if err := os.Symlink(f.link, p); err != nil {
				return err
			}
			if err := lchtimes(p, fixtureTime); err != nil {
				return err
			}
			continue
		default:
			mode := f.mode
			if mode == 0 {
				mode = 0o644
			}
			if err := os.WriteFile(p, []byte(f.content), mode); err != nil {
				return err
			}
			if err := os.Chmod(p, mode); err != nil {
				return err
			}
		}
		if err := os.Chtimes(p, fixtureTime, fixtureTime); err != nil {
			return err
		}
	}
	// Directory mtimes last, deepest first, once their entries exist.
	err := filepath.Walk(dir, func(p string, fi os.FileInfo, err error) error {
		if err == nil && fi.IsDir() {
			dirs = append(dirs, p)
		}
		return err
	})
	if err != nil {
		return err
	}
	for i := len(dirs) - 1; i >= 0; i-- {
		if err := os.Chtimes(dirs[i], fixtureTime, fixtureTime); err != nil {
			return err
		}
	}
	return nil
}

// lchtimes sets the times of a symbolic link itself.
func lchtimes(p string, t time.Time) error {
	ts := unix.NsecToTimespec(t.UnixNano())
	if err := unix.UtimesNanoAt(unix.AT_FDCWD, p, []unix.Timespec{ts, ts}, unix.AT_SYMLINK_NOFOLLOW); err != nil {
		return &os.PathError{Op: "lutimes", Path: p, Err: err}
	}
	return nil
}

// busyboxTemplate builds a root holding /bin/busybox, one symlink per
// applet and the fixture. Missing busybox is an error, never a skip.
func busyboxTemplate(dir string, files []fixtureFile) error {
	if _, err := os.Stat(busyboxPath); err != nil {
		return fmt.Errorf("reference busybox missing (install busybox-static, see tests/deps.sh): %w", err)
	}
	if err := writeFixture(dir, files); err != nil {
		return err
	}
	bin := filepath.Join(dir, "bin")
	if err := os.MkdirAll(bin, 0o755); err != nil {
		return err
	}
	data, err := os.ReadFile(busyboxPath)
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(bin, "busybox"), data, 0o755); err != nil {
		return err
	}
	list, err := exec.Command(busyboxPath, "--list").Output()
	if err != nil {
		return fmt.Errorf("busybox --list: %w", err)
	}
	n := 0
	for _, name := range strings.Fields(string(list)) {
		if name == "busybox" {
			continue
		}
		if err := os.Symlink("busybox", filepath.Join(bin, name)); err != nil {
			return err
		}
		n++
	}
	if n < 100 {
		return fmt.Errorf("busybox --list gave only %d applets", n)
	}
	if err := os.Chtimes(bin, fixtureTime, fixtureTime); err != nil {
		return err
	}
	// /dev as in a container: the usual nodes, std streams via /proc
	// (bind-mounted per run).
	dev := filepath.Join(dir, "dev")
	if err := os.MkdirAll(filepath.Join(dir, "proc"), 0o555); err != nil {
		return err
	}
	if err := os.MkdirAll(dev, 0o755); err != nil {
		return err
	}
	for name, minor := range map[string]int{"null": 3, "zero": 5, "random": 8, "urandom": 9} {
		if err := syscall.Mknod(filepath.Join(dev, name), syscall.S_IFCHR|0o666, 1<<8|minor); err != nil {
			return fmt.Errorf("mknod /dev/%s: %w", name, err)
		}
		if err := os.Chmod(filepath.Join(dev, name), 0o666); err != nil {
			return err
		}
	}
	for name, target := range map[string]string{"fd": "/proc/self/fd", "stdin": "/proc/self/fd/0", "stdout": "/proc/self/fd/1", "stderr": "/proc/self/fd/2"} {
		if err := os.Symlink(target, filepath.Join(dev, name)); err != nil {
			return err
		}
	}
	return nil
}

// chrootWrapper runs in a private mount namespace (unshare): it mounts
// a throw-away overlay of the template ($0) with the case's upper dir
// ($1), binds the host's /proc into it (for /dev/std*) and chroots there
// to run the script ($2). The namespace, and so the mounts, end with the
// process. Its own failures are marked so that they fail the test.
const chrootWrapper = `m="$1/merged"
mkdir -p "$1/upper" "$1/work" "$m" &&
mount -t overlay overlay -o "lowerdir=$0,upperdir=$1/upper,workdir=$1/work" "$m" || { echo "` + harnessMark + ` overlay mount failed" >&2; exit 125; }
mount --bind /proc "$m/proc" || { echo "` + harnessMark + ` mount /proc failed" >&2; exit 125; }
exec chroot "$m" /bin/sh -c "$2"`

const harnessMark = "sockerless-harness:"

// runBusybox runs script under `chroot ROOT /bin/sh -c script`, ROOT
// being a fresh overlay of the template with its upper dir in scratch.
func runBusybox(template, scratch, script, stdin string) result {
	if err := os.MkdirAll(scratch, 0o755); err != nil {
		return result{err: err}
	}
	ctx, cancel := context.WithTimeout(context.Background(), caseTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, "unshare", "--mount", "--propagation", "private", "--", "/bin/sh", "-c", chrootWrapper, template, scratch, script)
	cmd.Env = env
	cmd.Dir = "/"
	cmd.Stdin = strings.NewReader(stdin)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	r := result{stdout: out.String(), stderr: errb.String()}
	var ee *exec.ExitError
	switch {
	case ctx.Err() != nil:
		r.err = fmt.Errorf("busybox timed out after %v: %s", caseTimeout, errb.String())
	case err == nil:
	case errors.As(err, &ee):
		r.code = ee.ExitCode()
		if r.code < 0 || strings.Contains(errb.String(), harnessMark) || strings.HasPrefix(errb.String(), "chroot:") || strings.HasPrefix(errb.String(), "unshare:") {
			r.err = fmt.Errorf("chroot failed (exit %d): %s", r.code, errb.String())
		}
	default:
		r.err = fmt.Errorf("chroot: %w", err)
	}
	return r
}

var (
	engOnce sync.Once
	eng     *sandbox.Engine
	engErr  error
)

// engine is the one sandbox engine of the test binary.
func engine(t testing.TB) *sandbox.Engine {
	t.Helper()
	engOnce.Do(func() {
		eng, engErr = sandbox.New(context.Background(), sandbox.Config{
			CacheDir: filepath.Join(os.TempDir(), "sockerless-test-cache"),
			PoolSize: 4,
		})
	})
	if engErr != nil {
		t.Fatal(engErr)
	}
	return eng
}

// runSandbox runs args in the sandbox on a fresh upper dir over lower.
func runSandbox(e *sandbox.Engine, lower, upper, stdin string, args ...string) result {
	return runSandboxEnv(e, lower, upper, env, stdin, args...)
}

// runSandboxEnv is runSandbox with the environment environ.
func runSandboxEnv(e *sandbox.Engine, lower, upper string, environ []string, stdin string, args ...string) result {
	if err := os.MkdirAll(upper, 0o755); err != nil {
		return result{err: err}
	}
	rfs, err := rootfs.New(rootfs.Config{Lower: []string{lower}, Upper: upper})
	if err != nil {
		return result{err: err}
	}
	defer rfs.Close()
	view := rfs.Process(2, 0, 0)
	var out, errb bytes.Buffer
	p, err := e.Start(context.Background(), sandbox.ProcessConfig{
		Spec:   abi.Spec{Args: args, Env: environ, Dir: "/", Pid: 2, Hostname: "sandbox"},
		FS:     view,
		Meta:   sandbox.RootMeta(view),
		Stdin:  strings.NewReader(stdin),
		Stdout: &lockedWriter{w: &out},
		Stderr: &lockedWriter{w: &errb},
	})
	if err != nil {
		return result{err: err}
	}
	select {
	case <-p.Done():
	case <-time.After(caseTimeout):
		p.Kill()
		<-p.Done()
		return result{err: fmt.Errorf("sandbox timed out after %v", caseTimeout), stdout: out.String(), stderr: errb.String()}
	}
	return result{stdout: out.String(), stderr: errb.String(), code: p.ExitCode()}
}

// lockedWriter serialises writes from concurrent guest goroutines.
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(b []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(b)
}
