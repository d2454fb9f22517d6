package rootfs

import (
	"io/fs"
	"os"
	"path/filepath"
	"testing"
	"time"

	xsys "github.com/tetratelabs/wazero/experimental/sys"
	"golang.org/x/sys/unix"
)

func TestMkfifo(t *testing.T) {
	vol := t.TempDir()
	e := newEnv(t, Mount{Target: "/vol", Source: vol})
	v := e.fs.Process(2, 0, 0)
	ok(t, v.Mkfifo("p", 0o666))
	st, errno := v.Lstat("p")
	ok(t, errno)
	if st.Mode != fs.ModeNamedPipe|0o644 {
		t.Fatalf("mode %v, want the umask applied to 0666", st.Mode)
	}
	var hst unix.Stat_t
	must(t, unix.Lstat(filepath.Join(e.upper, "p"), &hst))
	if hst.Mode&unix.S_IFMT != unix.S_IFIFO {
		t.Fatalf("upper entry mode %o", hst.Mode)
	}
	ok(t, v.Exact().Mkfifo("q", 0o600))
	if st, _ := v.Lstat("q"); st.Mode != fs.ModeNamedPipe|0o600 {
		t.Fatalf("exact mode %v", st.Mode)
	}
	for _, tc := range []struct {
		path string
		want Errno
	}{
		{"p", EEXIST},
		{"etc/passwd", EEXIST}, // an image file
		{"lib", EEXIST},        // a dangling-or-not symlink is not followed
		{"nope/p", ENOENT},
		{"etc/passwd/p", ENOTDIR},
		{".wh.x", EPERM},
	} {
		if errno := v.Mkfifo(tc.path, 0o644); errno != tc.want {
			t.Errorf("mkfifo %s: %v, want %v", tc.path, errno, tc.want)
		}
	}
	// A deleted image file's name can be reused: the whiteout goes.
	ok(t, v.Unlink("etc/passwd"))
	ok(t, v.Mkfifo("etc/passwd", 0o644))
	if st, _ := v.Lstat("etc/passwd"); st.Mode&fs.ModeNamedPipe == 0 {
		t.Fatalf("over a whiteout: %v", st.Mode)
	}
	if _, err := os.Lstat(filepath.Join(e.upper, "etc/.wh.passwd")); !os.IsNotExist(err) {
		t.Fatalf("whiteout left: %v", err)
	}
	// Volumes get the pipe on the host source.
	ok(t, v.Mkfifo("vol/p", 0o644))
	if fi, err := os.Lstat(filepath.Join(vol, "p")); err != nil || fi.Mode()&fs.ModeNamedPipe == 0 {
		t.Fatalf("volume pipe: %v %v", fi, err)
	}
}

func TestMkfifoReadOnlyAndPermissions(t *testing.T) {
	d := t.TempDir()
	tree(t, filepath.Join(d, "l"), map[string]string{"etc/passwd": "p"})
	f, err := New(Config{Lower: []string{filepath.Join(d, "l")}, Upper: filepath.Join(d, "u"), ReadOnly: true})
	must(t, err)
	defer f.Close()
	if errno := f.Process(1, 0, 0).Mkfifo("p", 0o644); errno != EROFS {
		t.Fatalf("read-only root: %v", errno)
	}
	if _, err := os.Lstat(filepath.Join(d, "u", "p")); !os.IsNotExist(err) {
		t.Fatal("read-only root changed")
	}

	e := newEnv(t)
	if os.Geteuid() != 0 && !xattrsWork(t, e.upper) {
		t.Skip("no user xattrs on the temp dir")
	}
	u := e.fs.Process(2, 1000, 1000)
	if errno := u.Mkfifo("etc/p", 0o644); errno != EACCES {
		t.Fatalf("user in a root-owned dir: %v", errno)
	}
	ok(t, e.fs.Mkdir("home", 0o777))
	ok(t, e.fs.Chmod("home", 0o777))
	ok(t, u.Mkfifo("home/p", 0o644))
	if uid, gid, _ := u.Owner("home/p", false); uid != 1000 || gid != 1000 {
		t.Fatalf("owner %d:%d", uid, gid)
	}
}

// openEnd opens a FIFO end through the view as the guest does.
func openEnd(t *testing.T, v *View, p string, flag xsys.Oflag) xsys.File {
	t.Helper()
	f, errno := v.OpenFile(p, flag, 0)
	ok(t, errno)
	t.Cleanup(func() { f.Close() })
	return f
}

func TestFifoEnds(t *testing.T) {
	e := newEnv(t)
	v := e.fs.Process(2, 0, 0)
	ok(t, v.Mkfifo("p", 0o644))
	buf := make([]byte, 16)

	// Writer first: the open succeeds, the write waits for a reader.
	w := openEnd(t, v, "p", O_WRONLY|O_TRUNC)
	if n, errno := w.Write([]byte("x")); errno != EAGAIN || n != 0 {
		t.Fatalf("write without reader: %d %v", n, errno)
	}
	if v.Waits().Empty() {
		t.Fatal("the pending writer is not waiting")
	}
	if got := v.Waits().Wait(nil, 0); got != WaitTimeout {
		t.Fatalf("wait without reader: %v", got)
	}
	r := openEnd(t, v, "p", O_RDONLY)
	if got := v.Waits().Wait(nil, time.Second); got != WaitReady || !v.Waits().Empty() {
		t.Fatalf("wait after a reader opened: %v", got)
	}
	if n, errno := w.Write([]byte("hello")); errno != 0 || n != 5 {
		t.Fatalf("write: %d %v", n, errno)
	}
	if n, errno := r.Read(buf); errno != 0 || string(buf[:n]) != "hello" {
		t.Fatalf("read: %q %v", buf[:n], errno)
	}
	// Data gone, a writer still open: wait, no EOF.
	if _, errno := r.Read(buf); errno != EAGAIN {
		t.Fatalf("read with an idle writer: %v", errno)
	}
	ok(t, w.Close())
	if n, errno := r.Read(buf); errno != 0 || n != 0 {
		t.Fatalf("read after the writer closed: %d %v, want EOF", n, errno)
	}

	// Reader first, no writer ever: no EOF, the read waits.
	r2 := openEnd(t, v, "p", O_RDONLY)
	if _, errno := r2.Read(buf); errno != EAGAIN {
		t.Fatalf("read before any writer: %v", errno)
	}
	// A writer in another process of the container (another view).
	other := e.fs.Process(3, 0, 0)
	done := make(chan WaitResult, 1)
	go func() { done <- v.Waits().Wait(nil, -1) }()
	time.Sleep(20 * time.Millisecond)
	w2 := openEnd(t, other, "p", O_WRONLY)
	if n, errno := w2.Write([]byte("ab")); errno != 0 || n != 2 {
		t.Fatalf("write from another view: %d %v", n, errno)
	}
	select {
	case got := <-done:
		if got != WaitReady {
			t.Fatalf("wait for data: %v", got)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the reader's wait did not end when data arrived")
	}
	if n, _ := r2.Read(buf); string(buf[:n]) != "ab" {
		t.Fatalf("read %q", buf[:n])
	}

	// Read and write: never waits to open, never EOF while open.
	rw := openEnd(t, v, "p", O_RDWR)
	if _, errno := rw.Write([]byte("z")); errno != 0 {
		t.Fatal(errno)
	}
	if n, errno := r2.Read(buf); errno != 0 || string(buf[:n]) != "z" {
		t.Fatalf("read from rw writer: %q %v", buf[:n], errno)
	}
	if _, errno := rw.Read(buf); errno != EAGAIN {
		t.Fatalf("rw read of an empty pipe: %v", errno)
	}
}

func TestFifoWaitWakes(t *testing.T) {
	e := newEnv(t)
	v := e.fs.Process(2, 0, 0)
	ok(t, v.Mkfifo("p", 0o644))
	r := openEnd(t, v, "p", O_RDONLY)
	if _, errno := r.Read(make([]byte, 1)); errno != EAGAIN {
		t.Fatal(errno)
	}
	wake := make(chan struct{}, 1)
	done := make(chan WaitResult, 1)
	go func() { done <- v.Waits().Wait(wake, -1) }()
	time.Sleep(20 * time.Millisecond)
	t0 := time.Now()
	wake <- struct{}{}
	select {
	case got := <-done:
		if got != WaitWoken {
			t.Fatalf("wait: %v, want woken", got)
		}
		t.Logf("woken after %v", time.Since(t0))
	case <-time.After(5 * time.Second):
		t.Fatal("wake did not end the wait")
	}
	// The timeout ends it too.
	if got := v.Waits().Wait(nil, 30*time.Millisecond); got != WaitTimeout {
		t.Fatalf("timeout: %v", got)
	}
	// Closing the end takes it out of the set.
	ok(t, r.Close())
	if !v.Waits().Empty() {
		t.Fatal("closed end still waits")
	}
}

// A writer that closes before any reader came still connects once, so a
// reader that comes later sees EOF rather than waiting forever.
func TestFifoPendingWriterClose(t *testing.T) {
	e := newEnv(t)
	v := e.fs.Process(2, 0, 0)
	ok(t, v.Mkfifo("p", 0o644))
	w, errno := v.OpenFile("p", O_WRONLY, 0)
	ok(t, errno)
	ok(t, w.Close())
	r := openEnd(t, v, "p", O_RDONLY)
	deadline := time.Now().Add(5 * time.Second)
	for {
		n, errno := r.Read(make([]byte, 4))
		if errno == 0 && n == 0 {
			return
		}
		if errno != EAGAIN || time.Now().After(deadline) {
			t.Fatalf("read: %d %v, want EOF", n, errno)
		}
		v.Waits().Wait(nil, 100*time.Millisecond)
	}
}
