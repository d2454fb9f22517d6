package e2e

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/moby/moby/api/pkg/stdcopy"
	"github.com/moby/moby/api/types/container"
	"github.com/moby/moby/client"
)

// runSDK creates, attaches, starts and waits for one container, returning
// what the attach delivered.
func runSDK(ctx context.Context, c *client.Client, cmd []string) (stdout, stderr []byte, code int64, id string, err error) {
	cr, err := c.ContainerCreate(ctx, client.ContainerCreateOptions{Config: &container.Config{Image: "alpine", Cmd: cmd, AttachStdout: true, AttachStderr: true}})
	if err != nil {
		return nil, nil, 0, "", err
	}
	id = cr.ID
	att, err := c.ContainerAttach(ctx, id, client.ContainerAttachOptions{Stream: true, Stdout: true, Stderr: true})
	if err != nil {
		return nil, nil, 0, id, err
	}
	defer att.Close()
	wait := c.ContainerWait(ctx, id, client.ContainerWaitOptions{Condition: container.WaitConditionNextExit})
	if _, err := c.ContainerStart(ctx, id, client.ContainerStartOptions{}); err != nil {
		return nil, nil, 0, id, err
	}
	o, e, err := demux(att.Reader)
	if err != nil {
		return nil, nil, 0, id, fmt.Errorf("attach stream: %w", err)
	}
	select {
	case r := <-wait.Result:
		code = r.StatusCode
	case err := <-wait.Error:
		return nil, nil, 0, id, err
	}
	return o.Bytes(), e.Bytes(), code, id, nil
}

func TestSDKLifecycle(t *testing.T) {
	c := d.sdk(t)
	ctx := context.Background()
	out, errb, code, id, err := runSDK(ctx, c, []string{"sh", "-c", "echo out; echo err >&2; exit 9"})
	if err != nil {
		t.Fatal(err)
	}
	if string(out) != "out\n" || string(errb) != "err\n" || code != 9 {
		t.Fatalf("got %q %q %d", out, errb, code)
	}
	ins, err := c.ContainerInspect(ctx, id, client.ContainerInspectOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if ins.Container.State.ExitCode != 9 || ins.Container.State.Status != container.StateExited {
		t.Fatalf("inspect state %+v", ins.Container.State)
	}
	if _, err := c.ContainerRemove(ctx, id, client.ContainerRemoveOptions{}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.ContainerInspect(ctx, id, client.ContainerInspectOptions{}); err == nil {
		t.Fatal("removed container still inspectable")
	}
}

// demux splits a stdcopy stream; it reads it whole first (stdcopy.StdCopy
// costs microseconds per frame, and log streams carry one frame per line).
var _ = stdcopy.StdCopy // the reference implementation demux mirrors

func demux(r io.Reader) (stdout, stderr *bytes.Buffer, err error) {
	b, err := io.ReadAll(r)
	if err != nil {
		return nil, nil, err
	}
	stdout, stderr = &bytes.Buffer{}, &bytes.Buffer{}
	for len(b) > 0 {
		if len(b) < 8 {
			return nil, nil, fmt.Errorf("truncated frame header")
		}
		n := int(b[4])<<24 | int(b[5])<<16 | int(b[6])<<8 | int(b[7])
		if len(b) < 8+n {
			return nil, nil, fmt.Errorf("truncated frame")
		}
		switch b[0] {
		case 1:
			stdout.Write(b[8 : 8+n])
		case 2:
			stderr.Write(b[8 : 8+n])
		default:
			return nil, nil, fmt.Errorf("bad stream %d", b[0])
		}
		b = b[8+n:]
	}
	return stdout, stderr, nil
}

// TestLoad: 20 clients start 200 containers, each printing 1 MiB to
// stdout and to stderr and exiting with its own code; every byte arrives
// through attach and through logs; goroutines and fds return to baseline.
func TestLoad(t *testing.T) {
	clients, perClient, size := loadShape()
	c := d.sdk(t)
	ctx, cancel := context.WithTimeout(context.Background(), 8*time.Minute)
	defer cancel()
	baseG, baseFD := daemonGoroutines(t), daemonFDs(t)
	wantOut := bytes.Repeat([]byte("abcdefghijklmno\n"), size/16)
	wantErr := bytes.Repeat([]byte("ERR\n"), size/4)
	var wg sync.WaitGroup
	errs := make(chan error, clients*perClient)
	t0 := time.Now()
	for w := 0; w < clients; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := 0; i < perClient; i++ {
				n := w*perClient + i
				want := n % 250
				cmd := []string{"sh", "-c", fmt.Sprintf("yes abcdefghijklmno | head -c %d; yes ERR | head -c %d >&2; exit %d", size, size, want)}
				t1 := time.Now()
				out, errb, code, id, err := runSDK(ctx, c, cmd)
				t2 := time.Now()
				if err != nil {
					errs <- fmt.Errorf("container %d: %w", n, err)
					return
				}
				if code != int64(want) || !bytes.Equal(out, wantOut) || !bytes.Equal(errb, wantErr) {
					errs <- fmt.Errorf("container %d: exit %d (want %d), attach stdout %d bytes ok=%v, stderr %d bytes ok=%v", n, code, want, len(out), bytes.Equal(out, wantOut), len(errb), bytes.Equal(errb, wantErr))
					return
				}
				lr, err := c.ContainerLogs(ctx, id, client.ContainerLogsOptions{ShowStdout: true, ShowStderr: true})
				if err != nil {
					errs <- err
					return
				}
				lo, le, err := demux(lr)
				lr.Close()
				if err != nil || !bytes.Equal(lo.Bytes(), wantOut) || !bytes.Equal(le.Bytes(), wantErr) {
					errs <- fmt.Errorf("container %d: logs stdout %d stderr %d bytes (err %v)", n, lo.Len(), le.Len(), err)
					return
				}
				t3 := time.Now()
				if _, err := c.ContainerRemove(ctx, id, client.ContainerRemoveOptions{}); err != nil {
					errs <- err
					return
				}
				if testing.Verbose() && n < 3 {
					t.Logf("container %d: run+attach %v, logs %v, rm %v", n, t2.Sub(t1), t3.Sub(t2), time.Since(t3))
				}
			}
		}(w)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	t.Logf("%d containers, 2 MiB each, in %v", clients*perClient, time.Since(t0))
	// Resources back to baseline: idle keep-alive connections of this
	// client are closed first (each holds a server goroutine and fd).
	c.Close()
	// fasthttp keeps idle workers for MaxIdleWorkerDuration (5 s).
	deadline := time.Now().Add(15 * time.Second)
	for {
		g, fd := daemonGoroutines(t), daemonFDs(t)
		if g <= baseG+5 && fd <= baseFD+5 {
			break
		}
		if time.Now().After(deadline) {
			links := map[string]int{}
			ents, _ := os.ReadDir(fmt.Sprintf("/proc/%d/fd", d.cmd.Process.Pid))
			for _, e := range ents {
				l, _ := os.Readlink(fmt.Sprintf("/proc/%d/fd/%s", d.cmd.Process.Pid, e.Name()))
				if i := strings.IndexByte(l, '['); i > 0 {
					l = l[:i]
				}
				links[l]++
			}
			if os.Getenv("SOCKERLESS_LEAK_DUMP") != "" {
				d.cmd.Process.Signal(syscall.SIGQUIT)
				time.Sleep(time.Second)
				os.WriteFile(os.Getenv("SOCKERLESS_LEAK_DUMP"), d.log.Bytes(), 0o644)
			}
			t.Fatalf("leak: goroutines %d (baseline %d), fds %d (baseline %d): %v", g, baseG, fd, baseFD, links)
		}
		time.Sleep(100 * time.Millisecond)
	}
	// One directory per container (at most: one is made at its first
	// start); .init is the shared init layer, .trash holds removed
	// containers' directories until the background deletion (done by now:
	// the goroutines are back to baseline) empties it.
	ents, _ := os.ReadDir(d.root + "/containers")
	dirs := 0
	for _, e := range ents {
		if !strings.HasPrefix(e.Name(), ".") {
			dirs++
		}
	}
	if dirs > countContainers(t) {
		t.Fatalf("container dirs %d, containers %d: temp dirs left behind", dirs, countContainers(t))
	}
	if trash, _ := os.ReadDir(d.root + "/containers/.trash"); len(trash) != 0 {
		t.Fatalf("%d removed containers' directories left in the trash", len(trash))
	}
	_ = runtime.NumGoroutine
	_ = io.Discard
	_ = strings.Contains
}

func countContainers(t *testing.T) int {
	out := d.must(t, "ps", "-aq")
	return len(strings.Fields(out))
}

// daemonGoroutines reads NGoroutines from /info.
func daemonGoroutines(t *testing.T) int {
	c, err := client.New(client.WithHost(d.host()), client.WithAPIVersionNegotiation())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	info, err := c.Info(context.Background(), client.InfoOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return info.Info.NGoroutines
}

func daemonFDs(t *testing.T) int {
	ents, err := os.ReadDir(fmt.Sprintf("/proc/%d/fd", d.cmd.Process.Pid))
	if err != nil {
		t.Fatal(err)
	}
	return len(ents)
}

// loadShape is 20 clients x 10 containers x 1 MiB, or SOCKERLESS_LOAD="c,n".
func loadShape() (clients, perClient, size int) {
	clients, perClient, size = 20, 10, 1<<20
	if v := os.Getenv("SOCKERLESS_LOAD"); v != "" {
		fmt.Sscanf(v, "%d,%d", &clients, &perClient)
	}
	return
}
