package backend_test

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/sockerless/sockerless/runtime/backend"
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
