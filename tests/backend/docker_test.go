package backend_test

import (
	"archive/tar"
	"bytes"
	"context"
	"io"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sockerless/sockerless/runtime/backend"
	"github.com/sockerless/sockerless/runtime/backend/builtin"
	"github.com/sockerless/sockerless/runtime/errdefs"
	"github.com/sockerless/sockerless/tests/refdocker"
)

func TestDockerRunExitCode(t *testing.T) {
	_, _, b := dockerBackend(t, nil)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	h, _, err := b.Create(ctx, backend.ContainerSpec{Image: "busybox-ref", Cmd: []string{"sh", "-c", "echo hi; echo oops >&2; exit 3"}})
	if err != nil {
		t.Fatal(err)
	}
	if err := b.Start(ctx, h); err != nil {
		t.Fatal(err)
	}
	code, err := b.Wait(ctx, h)
	if err != nil || code != 3 {
		t.Fatalf("wait: %d, %v; want 3", code, err)
	}
	var out, errb bytes.Buffer
	if err := b.Logs(ctx, h, backend.LogOptions{Stdout: true, Stderr: true}, backend.Stdio{Stdout: &out, Stderr: &errb}); err != nil {
		t.Fatal(err)
	}
	if out.String() != "hi\n" || errb.String() != "oops\n" {
		t.Fatalf("logs: stdout %q stderr %q", out.String(), errb.String())
	}
	st, err := b.Status(ctx, h)
	if err != nil || st.State != "exited" || st.ExitCode != 3 {
		t.Fatalf("status: %+v %v", st, err)
	}
	if err := b.Remove(ctx, h, false); err != nil {
		t.Fatal(err)
	}
	if _, err := b.Status(ctx, h); err == nil || !strings.Contains(err.Error(), "docker backend") {
		t.Fatalf("status after remove: %v", err)
	}
}

func run(t *testing.T, b backend.Backend, spec backend.ContainerSpec) string {
	t.Helper()
	ctx := context.Background()
	h, _, err := b.Create(ctx, spec)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Remove(context.Background(), h, true) })
	if err := b.Start(ctx, h); err != nil {
		t.Fatal(err)
	}
	return h
}

// syncBuf is a bytes.Buffer safe for a writer and a poller.
type syncBuf struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuf) Write(p []byte) (int, error) { s.mu.Lock(); defer s.mu.Unlock(); return s.b.Write(p) }
func (s *syncBuf) String() string              { s.mu.Lock(); defer s.mu.Unlock(); return s.b.String() }

func TestDockerStreamsAndArchive(t *testing.T) {
	_, _, b := dockerBackend(t, nil)
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	h := run(t, b, backend.ContainerSpec{Image: "busybox-ref",
		Cmd: []string{"sh", "-c", "trap 'echo got-term; exit 7' TERM; i=0; while true; do echo tick $i; i=$((i+1)); sleep 0.2; done"}})

	t.Run("logs-follow", func(t *testing.T) {
		var out syncBuf
		fctx, fcancel := context.WithCancel(ctx)
		done := make(chan error, 1)
		go func() {
			done <- b.Logs(fctx, h, backend.LogOptions{Follow: true, Stdout: true, Stderr: true}, backend.Stdio{Stdout: &out})
		}()
		deadline := time.Now().Add(10 * time.Second)
		for !strings.Contains(out.String(), "tick 5") && time.Now().Before(deadline) {
			time.Sleep(50 * time.Millisecond)
		}
		fcancel()
		<-done
		if !strings.Contains(out.String(), "tick 0\n") || !strings.Contains(out.String(), "tick 5\n") {
			t.Fatalf("followed logs: %q", out.String())
		}
	})

	t.Run("exec", func(t *testing.T) {
		var out, errb bytes.Buffer
		code, err := b.Exec(ctx, h, backend.ExecConfig{Cmd: []string{"sh", "-c", "cat; echo to-err >&2; exit 5"},
			AttachStdin: true, AttachStdout: true, AttachStderr: true},
			backend.Stdio{Stdin: strings.NewReader("from stdin\n"), Stdout: &out, Stderr: &errb})
		if err != nil || code != 5 || out.String() != "from stdin\n" || errb.String() != "to-err\n" {
			t.Fatalf("exec: code %d err %v stdout %q stderr %q", code, err, out.String(), errb.String())
		}
		out.Reset()
		code, err = b.Exec(ctx, h, backend.ExecConfig{Cmd: []string{"echo", "tty"}, Tty: true, AttachStdout: true}, backend.Stdio{Stdout: &out})
		if err != nil || code != 0 || !strings.HasPrefix(out.String(), "tty") {
			t.Fatalf("exec tty: %d %v %q", code, err, out.String())
		}
	})

	t.Run("archive", func(t *testing.T) {
		var tb bytes.Buffer
		tw := tar.NewWriter(&tb)
		body := []byte("hello archive\n")
		tw.WriteHeader(&tar.Header{Name: "greeting.txt", Mode: 0o644, Size: int64(len(body))})
		tw.Write(body)
		tw.Close()
		if err := b.ArchivePut(ctx, h, "/tmp", &tb, backend.ArchiveOptions{}); err != nil {
			t.Fatal(err)
		}
		var out bytes.Buffer
		if code, err := b.Exec(ctx, h, backend.ExecConfig{Cmd: []string{"cat", "/tmp/greeting.txt"}, AttachStdout: true}, backend.Stdio{Stdout: &out}); err != nil || code != 0 || out.String() != string(body) {
			t.Fatalf("cat after put: %d %v %q", code, err, out.String())
		}
		rc, stat, err := b.ArchiveGet(ctx, h, "/tmp/greeting.txt")
		if err != nil {
			t.Fatal(err)
		}
		defer rc.Close()
		tr := tar.NewReader(rc)
		hdr, err := tr.Next()
		if err != nil || hdr.Name != "greeting.txt" {
			t.Fatalf("archive get: %v %+v", err, hdr)
		}
		got, _ := io.ReadAll(tr)
		if string(got) != string(body) || !strings.Contains(string(stat), `"name":"greeting.txt"`) {
			t.Fatalf("archive get: %q stat %s", got, stat)
		}
		if err := b.ArchivePut(ctx, h, "/no/such/dir", strings.NewReader(""), backend.ArchiveOptions{}); !errdefs.Is(err, errdefs.NotFound) {
			t.Fatalf("put to a missing dir: %v", err)
		}
		if _, _, err := b.ArchiveGet(ctx, h, "/no/such/file"); !errdefs.Is(err, errdefs.NotFound) {
			t.Fatalf("get of a missing file: %v", err)
		}
	})

	t.Run("stop", func(t *testing.T) {
		tm := 10
		start := time.Now()
		if err := b.Stop(ctx, h, "", &tm); err != nil {
			t.Fatal(err)
		}
		code, err := b.Wait(ctx, h)
		if err != nil || code != 7 {
			t.Fatalf("after stop: %d %v (trap should exit 7)", code, err)
		}
		if d := time.Since(start); d > 8*time.Second {
			t.Fatalf("stop took %v: the TERM trap did not run", d)
		}
		var out bytes.Buffer
		b.Logs(ctx, h, backend.LogOptions{Stdout: true}, backend.Stdio{Stdout: &out})
		if !strings.Contains(out.String(), "got-term") {
			t.Fatalf("logs after stop: %q", out.String())
		}
		if err := b.Stop(ctx, h, "", &tm); !errdefs.Is(err, errdefs.NotModified) {
			t.Fatalf("stop of a stopped container: %v", err)
		}
	})
}

func TestDockerKillAndRemove(t *testing.T) {
	_, _, b := dockerBackend(t, nil)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	h := run(t, b, backend.ContainerSpec{Image: "busybox-ref", Cmd: []string{"sleep", "100"}, Labels: map[string]string{"a": "b"}})
	st, err := b.Status(ctx, h)
	if err != nil || !st.Running {
		t.Fatalf("status: %+v %v", st, err)
	}
	if err := b.Remove(ctx, h, false); !errdefs.Is(err, errdefs.Conflict) {
		t.Fatalf("remove of a running container: %v", err)
	}
	if err := b.Kill(ctx, h, "KILL"); err != nil {
		t.Fatal(err)
	}
	if code, err := b.Wait(ctx, h); err != nil || code != 137 {
		t.Fatalf("after kill: %d %v", code, err)
	}
	if err := b.Remove(ctx, h, false); err != nil {
		t.Fatal(err)
	}
	if err := b.Remove(ctx, h, false); !errdefs.Is(err, errdefs.NotFound) {
		t.Fatalf("second remove: %v", err)
	}
	if _, _, err := b.Create(ctx, backend.ContainerSpec{Image: "no-such-image-here", Pull: "never"}); !errdefs.Is(err, errdefs.NotFound) {
		t.Fatalf("create of a missing image: %v", err)
	}
}

func TestDockerDenied(t *testing.T) {
	eng := refdocker.New(t)
	ctx := context.Background()
	// The operator allows another socket only: the configured host is refused.
	h := newHost(t)
	if _, err := h.Load(ctx, "docker", builtin.Modules()["docker"], map[string]string{"host": eng.Host, "allow": "unix:///nowhere.sock"}, true); err != nil {
		t.Fatal(err)
	}
	b, _ := h.Backend("docker")
	_, _, err := b.Create(ctx, backend.ContainerSpec{Image: "busybox-ref", Cmd: []string{"true"}})
	if !errdefs.Is(err, errdefs.Forbidden) || !strings.Contains(err.Error(), "not allowed by the operator") {
		t.Fatalf("denied socket: %v", err)
	}
	// Unknown options are refused at load time.
	if _, err := newHost(t).Load(ctx, "docker", builtin.Modules()["docker"], map[string]string{"hots": "x"}, true); err == nil || !strings.Contains(err.Error(), "unknown option(s) hots") {
		t.Fatalf("unknown option: %v", err)
	}
	// The default host: unix:///var/run/docker.sock; nothing is there, and
	// the error says so (the endpoint is allowed).
	h3 := newHost(t)
	h3.Load(ctx, "docker", builtin.Modules()["docker"], map[string]string{"host": "unix://" + t.TempDir() + "/none.sock"}, true)
	b3, _ := h3.Backend("docker")
	if _, _, err := b3.Create(ctx, backend.ContainerSpec{Image: "x"}); !errdefs.Is(err, errdefs.Unavailable) {
		t.Fatalf("absent engine: %v", err)
	}
}

// TestDockerContainerOps drives the optional operations (ports, pause,
// top, stats, changes, export, commit, resize, update) on a real engine.
func TestDockerContainerOps(t *testing.T) {
	_, _, b := dockerBackend(t, nil)
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	h := run(t, b, backend.ContainerSpec{Image: "busybox-ref", Tty: true,
		Cmd:          []string{"sh", "-c", "echo x > /x; exec sleep 1000"},
		ExposedPorts: []string{"80/tcp"}, PortBindings: map[string][]backend.PortBinding{"80/tcp": {{HostIP: "127.0.0.1"}}},
		Tmpfs: map[string]string{"/scratch": ""}, Resources: backend.Resources{Memory: 64 << 20}})

	st, err := b.Status(ctx, h)
	if err != nil {
		t.Fatal(err)
	}
	if pb := st.Ports["80/tcp"]; len(pb) != 1 || pb[0].HostIP != "127.0.0.1" || pb[0].HostPort == "" {
		t.Errorf("published ports: %+v", st.Ports)
	}
	if err := b.Pause(ctx, h); err != nil {
		t.Fatal(err)
	}
	if st, _ := b.Status(ctx, h); !st.Paused {
		t.Errorf("not paused after Pause: %+v", st)
	}
	if err := b.Unpause(ctx, h); err != nil {
		t.Fatal(err)
	}
	if st, _ := b.Status(ctx, h); st.Paused || !st.Running {
		t.Errorf("after Unpause: %+v", st)
	}
	top, err := b.Top(ctx, h, "")
	if err != nil || len(top.Processes) != 1 || !strings.Contains(strings.Join(top.Processes[0], " "), "sleep 1000") {
		t.Errorf("top: %+v %v", top, err)
	}
	if err := b.Resize(ctx, h, 30, 100); err != nil {
		t.Errorf("resize: %v", err)
	}
	if _, err := b.Update(ctx, h, backend.Resources{Memory: 128 << 20, MemorySwap: 256 << 20}); err != nil {
		t.Errorf("update: %v", err)
	}
	rc, err := b.Stats(ctx, h, false)
	if err != nil {
		t.Fatal(err)
	}
	stats, _ := io.ReadAll(rc)
	rc.Close()
	if !bytes.Contains(stats, []byte(`"memory_stats"`)) || !bytes.Contains(stats, []byte(`"limit":134217728`)) {
		t.Errorf("stats (want the updated 128 MiB limit): %.300s", stats)
	}
	deadline := time.Now().Add(10 * time.Second)
	var changed bool
	for !changed && time.Now().Before(deadline) {
		chs, err := b.Changes(ctx, h)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range chs {
			changed = changed || c.Path == "/x"
		}
		time.Sleep(50 * time.Millisecond)
	}
	if !changed {
		t.Error("changes: no /x")
	}
	names := func(r io.Reader) map[string]bool {
		out := map[string]bool{}
		tr := tar.NewReader(r)
		for {
			hd, err := tr.Next()
			if err != nil {
				return out
			}
			out[hd.Name] = true
		}
	}
	rc, err = b.Export(ctx, h)
	if err != nil {
		t.Fatal(err)
	}
	if got := names(rc); !got["x"] || !got["bin/busybox"] {
		t.Errorf("export lacks x or bin/busybox: %d entries", len(got))
	}
	rc.Close()
	var saved bytes.Buffer
	if err := b.Commit(ctx, h, true, &saved); err != nil {
		t.Fatal(err)
	}
	if got := names(&saved); !got["manifest.json"] {
		t.Errorf("commit: no manifest.json in the saved image (%d entries)", len(got))
	}
	if st, _ := b.Status(ctx, h); !st.Running || st.Paused {
		t.Errorf("after commit: %+v", st)
	}
}
