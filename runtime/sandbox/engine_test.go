package sandbox

import (
	"bytes"
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/tetratelabs/wazero/experimental/sys"
	"github.com/tetratelabs/wazero/experimental/sysfs"

	"github.com/sockerless/sockerless/wit/abi"
)

var (
	engOnce sync.Once
	eng     *Engine
	engErr  error
)

func testEngine(t testing.TB) *Engine {
	t.Helper()
	engOnce.Do(func() {
		eng, engErr = New(context.Background(), Config{CacheDir: filepath.Join(os.TempDir(), "sockerless-test-cache"), PoolSize: 2})
	})
	if engErr != nil {
		t.Fatal(engErr)
	}
	return eng
}

// dirMeta serves metadata from a plain host directory. Test only: it
// does no safe path resolution (runtime/rootfs does).
type dirMeta struct{ root string }

func (d dirMeta) Stat(path string, follow bool) (abi.Stat, sys.Errno) {
	var fi fs.FileInfo
	var err error
	if follow {
		fi, err = os.Stat(filepath.Join(d.root, path))
	} else {
		fi, err = os.Lstat(filepath.Join(d.root, path))
	}
	if err != nil {
		return abi.Stat{}, sys.UnwrapOSError(err)
	}
	st := fi.Sys().(*syscall.Stat_t)
	return abi.Stat{Mode: abi.LinuxMode(fi.Mode()), Size: fi.Size(), Mtime: fi.ModTime().UnixNano(), Nlink: uint64(st.Nlink), Ino: st.Ino}, 0
}

func (d dirMeta) Chmod(path string, mode uint32) sys.Errno {
	return sys.UnwrapOSError(os.Chmod(filepath.Join(d.root, path), abi.FileMode(mode)))
}

func (d dirMeta) Chown(path string, uid, gid int, follow bool) sys.Errno { return 0 }
func (d dirMeta) Umask(mask int) (int, sys.Errno)                        { return 0, sys.ENOSYS }

func (d dirMeta) Mkfifo(path string, mode uint32) sys.Errno {
	return sys.UnwrapOSError(syscall.Mkfifo(filepath.Join(d.root, path), mode))
}

type result struct {
	stdout, stderr string
	code           int
}

func runIn(t *testing.T, root string, stdin string, args ...string) result {
	t.Helper()
	var out, errb bytes.Buffer
	p, err := testEngine(t).Start(context.Background(), ProcessConfig{
		Spec:   abi.Spec{Args: args, Env: []string{"PATH=/usr/bin:/bin", "HOME=/root"}, Pid: 1, Init: true},
		FS:     sysfs.DirFS(root),
		Meta:   dirMeta{root},
		Stdin:  strings.NewReader(stdin),
		Stdout: &out,
		Stderr: &errb,
	})
	if err != nil {
		t.Fatal(err)
	}
	code := p.Wait()
	return result{out.String(), errb.String(), code}
}

func TestShellBasics(t *testing.T) {
	root := t.TempDir()
	for _, tc := range []struct {
		script, stdin, want string
		code                int
	}{
		{"echo hello | cat", "", "hello\n", 0},
		{"x=$(echo sub); echo $x; exit 3", "", "sub\n", 3},
		{"cat <<EOF\nheredoc $((1+2))\nEOF", "", "heredoc 3\n", 0},
		{"read a b; echo \"$b-$a\"", "one two\n", "two-one\n", 0},
		{"nosuchcmd", "", "", 127},
		{"f() { return 4; }; f; echo $?", "", "4\n", 0},
		{"set -e; false; echo no", "", "", 1},
		{"echo hi > /tmp/x 2>/dev/null || mkdir -p /tmp; echo hi > /tmp/x; cat /tmp/x", "", "hi\n", 0},
		{"trap 'echo bye' EXIT; echo hi", "", "hi\nbye\n", 0},
		{"sleep 0.1 & wait; echo done", "", "done\n", 0},
		{"kill -TERM $$ 2>/dev/null; echo alive", "", "alive\n", 0},
		{"trap 'echo got USR1' USR1; kill -USR1 $$; echo after", "", "got USR1\nafter\n", 0},
	} {
		r := runIn(t, root, tc.stdin, "sh", "-c", tc.script)
		if r.stdout != tc.want || r.code != tc.code {
			t.Errorf("%q: got %q (exit %d, stderr %q), want %q (exit %d)", tc.script, r.stdout, r.code, r.stderr, tc.want, tc.code)
		}
	}
}

func TestMissingCommand(t *testing.T) {
	r := runIn(t, t.TempDir(), "", "sh", "-c", "foo")
	if r.code != 127 || r.stderr != "sh: foo: not found\n" {
		t.Fatalf("got %d %q", r.code, r.stderr)
	}
}

func TestStopLatency(t *testing.T) {
	root := t.TempDir()
	for _, tc := range []struct {
		name, script string
		sig          int
		want         int
	}{
		{"sleep-kill", "sleep 100", 9, 137},
		{"busy-kill", "while true; do :; done", 9, 137},
		{"read-kill", "read x", 9, 137},
		{"trap-term", "trap 'echo term; exit 7' TERM; sleep 100", 15, 7},
		{"trap-term-wait-loop", "trap 'exit 5' TERM; while true; do sleep 1; done", 15, 5},
	} {
		t.Run(tc.name, func(t *testing.T) {
			pr, pw := io_pipe()
			defer pw.Close()
			var out bytes.Buffer
			p, err := testEngine(t).Start(context.Background(), ProcessConfig{
				Spec:  abi.Spec{Args: []string{"sh", "-c", tc.script}, Pid: 1, Init: true},
				FS:    sysfs.DirFS(root),
				Meta:  dirMeta{root},
				Stdin: pr, Stdout: &out, Stderr: &out,
			})
			if err != nil {
				t.Fatal(err)
			}
			time.Sleep(100 * time.Millisecond)
			t0 := time.Now()
			p.Signal(tc.sig)
			select {
			case <-p.Done():
			case <-time.After(5 * time.Second):
				t.Fatalf("process did not stop (output %q)", out.String())
			}
			t.Logf("stopped in %v", time.Since(t0))
			if p.ExitCode() != tc.want {
				t.Fatalf("exit %d, want %d (output %q)", p.ExitCode(), tc.want, out.String())
			}
		})
	}
}

func TestMemoryLimit(t *testing.T) {
	root := t.TempDir()
	var out bytes.Buffer
	p, err := testEngine(t).Start(context.Background(), ProcessConfig{
		Spec:        abi.Spec{Args: []string{"sh", "-c", `x=a; while :; do x="$x$x"; done`}, Pid: 1, Init: true},
		FS:          sysfs.DirFS(root),
		Meta:        dirMeta{root},
		Stdout:      &out,
		Stderr:      &out,
		MemoryLimit: 96 << 20,
	})
	if err != nil {
		t.Fatal(err)
	}
	select {
	case <-p.Done():
	case <-time.After(60 * time.Second):
		p.Kill()
		t.Fatal("memory hog did not stop")
	}
	if p.ExitCode() != 137 || !p.OOMKilled() {
		t.Fatalf("exit %d, OOMKilled %v, output %.300q", p.ExitCode(), p.OOMKilled(), out.String())
	}
}

func TestProcLimit(t *testing.T) {
	root := t.TempDir()
	lim := NewProcLimit(1)
	start := func() (*Process, error) {
		return testEngine(t).Start(context.Background(), ProcessConfig{
			Spec: abi.Spec{Args: []string{"sleep", "10"}, Pid: 1, Init: true},
			FS:   sysfs.DirFS(root), Meta: dirMeta{root}, Procs: lim,
		})
	}
	p, err := start()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := start(); err != ErrProcLimit {
		t.Fatalf("second process: %v, want ErrProcLimit", err)
	}
	p.Kill()
	p.Wait()
	if lim.Running() != 0 {
		t.Fatalf("running = %d after exit", lim.Running())
	}
	p2, err := start()
	if err != nil {
		t.Fatalf("after exit: %v", err)
	}
	p2.Kill()
	p2.Wait()
}

// A guest waiting for stdin keeps running its other goroutines and its
// signal traps (stdin is a non-blocking file polled by the host).
func TestStdinDoesNotFreezeGuest(t *testing.T) {
	root := t.TempDir()
	for _, tc := range []struct {
		script string
		signal int
		want   string
		code   int
	}{
		{"(sleep 0.2; echo bg) & read x; echo \"got $x\"; wait", 0, "bg\ngot hello\n", 0},
		{"trap 'echo term; exit 3' TERM; read x; echo no", 15, "term\n", 3},
	} {
		pr, pw := io_pipe()
		var out syncBuffer
		p, err := testEngine(t).Start(context.Background(), ProcessConfig{
			Spec: abi.Spec{Args: []string{"sh", "-c", tc.script}, Pid: 1, Init: true},
			FS:   sysfs.DirFS(root), Meta: dirMeta{root}, Stdin: pr, Stdout: &out, Stderr: &out,
		})
		if err != nil {
			t.Fatal(err)
		}
		time.Sleep(600 * time.Millisecond)
		if tc.signal != 0 {
			p.Signal(tc.signal)
		} else {
			pw.Write([]byte("hello\n"))
		}
		select {
		case <-p.Done():
		case <-time.After(10 * time.Second):
			p.Kill()
			t.Fatalf("%q did not finish; output %q", tc.script, out.String())
		}
		pw.Close()
		if out.String() != tc.want || p.ExitCode() != tc.code {
			t.Errorf("%q: got %q exit %d, want %q exit %d", tc.script, out.String(), p.ExitCode(), tc.want, tc.code)
		}
	}
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func TestPauseResumeAndStats(t *testing.T) {
	root := t.TempDir()
	var out syncBuffer
	p, err := testEngine(t).Start(context.Background(), ProcessConfig{
		Spec: abi.Spec{Args: []string{"sh", "-c", "while :; do echo x; sleep 0.02; done"}, Pid: 1, Init: true},
		FS:   sysfs.DirFS(root), Meta: dirMeta{root}, Stdout: &out,
	})
	if err != nil {
		t.Fatal(err)
	}
	defer func() { p.Kill(); p.Wait() }()
	time.Sleep(300 * time.Millisecond)
	p.Pause()
	time.Sleep(100 * time.Millisecond) // let the in-flight command finish
	n1 := len(out.String())
	time.Sleep(400 * time.Millisecond)
	if n2 := len(out.String()); n2 != n1 {
		t.Fatalf("paused process kept printing: %d -> %d bytes", n1, n2)
	}
	p.Resume()
	time.Sleep(300 * time.Millisecond)
	if n3 := len(out.String()); n3 <= n1 {
		t.Fatalf("resumed process printed nothing more (%d bytes)", n3)
	}
	if p.MemoryBytes() == 0 {
		t.Error("MemoryBytes = 0")
	}
	if cpu := p.CPUTime(); cpu <= 0 || cpu > time.Second {
		t.Errorf("CPUTime = %v for a mostly sleeping process", cpu)
	}
	// A paused process can still be killed.
	p.Pause()
	p.Kill()
	select {
	case <-p.Done():
	case <-time.After(5 * time.Second):
		t.Fatal("kill of a paused process did not end it")
	}
}

// deniedRoot is a root file system whose root directory a process may
// not open, as a 0700 root is to a non-root user.
type deniedRoot struct{ sys.FS }

func (d deniedRoot) OpenFile(path string, flag sys.Oflag, perm fs.FileMode) (sys.File, sys.Errno) {
	if path == "." || path == "" {
		return nil, sys.EACCES
	}
	return d.FS.OpenFile(path, flag, perm)
}

// TestUnreadableRoot: a root the process may not open makes its file
// operations fail with EACCES; the process does not crash (wazero panics
// when it cannot open a preopened directory).
func TestUnreadableRoot(t *testing.T) {
	root := t.TempDir()
	os.WriteFile(filepath.Join(root, "f"), []byte("x\n"), 0o644)
	var out, errb bytes.Buffer
	p, err := testEngine(t).Start(context.Background(), ProcessConfig{
		Spec:   abi.Spec{Args: []string{"sh", "-c", "cat /f; echo $?; ls / >/dev/null 2>&1; echo $?"}, Env: []string{"PATH=/bin"}, Pid: 1, Uid: 65534, Gid: 65534, Init: true},
		FS:     deniedRoot{sysfs.DirFS(root)},
		Meta:   dirMeta{root},
		Stdout: &out, Stderr: &errb,
	})
	if err != nil {
		t.Fatal(err)
	}
	if code := p.Wait(); code != 0 || p.Err() != nil {
		t.Fatalf("exit %d (%v), stdout %q stderr %q", code, p.Err(), out.String(), errb.String())
	}
	if out.String() != "x\n0\n1\n" {
		t.Fatalf("stdout %q stderr %q", out.String(), errb.String())
	}
}

// TestRandomPerProcess: every process starts from the same memory
// snapshot, yet two of them draw different $RANDOM sequences.
func TestRandomPerProcess(t *testing.T) {
	root := t.TempDir()
	a := runIn(t, root, "", "sh", "-c", "echo $RANDOM $RANDOM $RANDOM")
	b := runIn(t, root, "", "sh", "-c", "echo $RANDOM $RANDOM $RANDOM")
	if a.code != 0 || b.code != 0 || len(strings.Fields(a.stdout)) != 3 {
		t.Fatalf("%+v %+v", a, b)
	}
	if a.stdout == b.stdout {
		t.Fatalf("two processes drew the same $RANDOM sequence: %q", a.stdout)
	}
}
