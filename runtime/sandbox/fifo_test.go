package sandbox

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/sockerless/sockerless/runtime/rootfs"
	"github.com/sockerless/sockerless/wit/abi"
)

// fifoRoot is a container root (rootfs over an empty image) with the
// named pipe /tmp/p.
func fifoRoot(t *testing.T) *rootfs.FS {
	t.Helper()
	d := t.TempDir()
	if err := os.MkdirAll(filepath.Join(d, "lower", "tmp"), 0o777); err != nil {
		t.Fatal(err)
	}
	f, err := rootfs.New(rootfs.Config{Lower: []string{filepath.Join(d, "lower")}, Upper: filepath.Join(d, "upper")})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	if errno := f.Process(1, 0, 0).Mkfifo("tmp/p", 0o644); errno != 0 {
		t.Fatal(errno)
	}
	return f
}

func startIn(t *testing.T, f *rootfs.FS, pid int, out *syncBuffer, script string) *Process {
	t.Helper()
	view := f.Process(pid, 0, 0)
	p, err := testEngine(t).Start(context.Background(), ProcessConfig{
		Spec: abi.Spec{Args: []string{"sh", "-c", script}, Env: []string{"PATH=/bin"}, Pid: pid, Init: pid == 1},
		FS:   view, Meta: RootMeta(view), Stdout: out, Stderr: out,
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Kill(); p.Wait() })
	return p
}

func waitDone(t *testing.T, p *Process, out *syncBuffer) {
	t.Helper()
	select {
	case <-p.Done():
	case <-time.After(10 * time.Second):
		t.Fatalf("process did not end (output %q)", out.String())
	}
}

// A process waiting on a FIFO (to read, or to write with no reader) costs
// no CPU and stops at once on a kill or a trapped signal.
func TestFifoWaitStops(t *testing.T) {
	for _, tc := range []struct {
		name, script string
		sig, want    int
	}{
		{"read-kill", "cat /tmp/p", 9, 137},
		{"write-kill", "echo x > /tmp/p", 9, 137},
		{"read-trap-term", "trap 'echo term; exit 7' TERM; read x < /tmp/p", 15, 7},
		{"write-trap-term", "trap 'echo term; exit 7' TERM; seq 100000 > /tmp/p", 15, 7},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var out syncBuffer
			p := startIn(t, fifoRoot(t), 1, &out, tc.script)
			time.Sleep(300 * time.Millisecond)
			if cpu := p.CPUTime(); cpu > 150*time.Millisecond {
				t.Errorf("waiting on the fifo for 300ms used %v of CPU", cpu)
			}
			t0 := time.Now()
			p.Signal(tc.sig)
			waitDone(t, p, &out)
			t.Logf("stopped in %v, cpu %v", time.Since(t0), p.CPUTime())
			if p.ExitCode() != tc.want {
				t.Fatalf("exit %d, want %d (output %q)", p.ExitCode(), tc.want, out.String())
			}
		})
	}
}

// The two ends in different processes of the container (docker exec):
// different guest instances, one host pipe.
func TestFifoBetweenProcesses(t *testing.T) {
	for _, readerFirst := range []bool{true, false} {
		f := fifoRoot(t)
		var rout, wout syncBuffer
		var r, w *Process
		if readerFirst {
			r = startIn(t, f, 1, &rout, "wc -l < /tmp/p")
			time.Sleep(100 * time.Millisecond)
			w = startIn(t, f, 2, &wout, "seq 1000 > /tmp/p")
		} else {
			w = startIn(t, f, 2, &wout, "seq 1000 > /tmp/p")
			time.Sleep(100 * time.Millisecond)
			r = startIn(t, f, 1, &rout, "wc -l < /tmp/p")
		}
		waitDone(t, w, &wout)
		waitDone(t, r, &rout)
		if got := rout.String(); got != "1000\n" || r.ExitCode() != 0 || w.ExitCode() != 0 {
			t.Fatalf("reader first %v: reader %q exit %d, writer %q exit %d", readerFirst, got, r.ExitCode(), wout.String(), w.ExitCode())
		}
	}
}
