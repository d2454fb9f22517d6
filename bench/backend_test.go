package bench

import (
	"context"
	"log/slog"
	"os"
	"testing"
	"time"

	"github.com/moby/moby/api/types/container"
	"github.com/moby/moby/client"

	"github.com/sockerless/sockerless/runtime/backend"
	"github.com/sockerless/sockerless/runtime/backend/builtin"
	"github.com/sockerless/sockerless/tests/refdocker"
)

// BenchmarkBackendDockerHop: the overhead of the docker backend adapter.
// create → start → wait → remove of `true` in busybox-ref, straight to a
// Docker Engine with the Go SDK and through runtime/backend's docker
// adapter (wasm, pooled instances) to the same engine, interleaved so both
// see the same machine load. The target is adapter/direct ≤ 1.1.
func BenchmarkBackendDockerHop(b *testing.B) {
	ctx := context.Background()
	eng, err := refdocker.Start(ctx, refdocker.Options{})
	if err != nil {
		b.Fatal("reference Docker Engine: ", err)
	}
	b.Cleanup(func() { eng.Close() })
	h, err := backend.NewHost(backend.HostConfig{
		CacheDir: os.TempDir() + "/sockerless-bench-backend-cache",
		Log:      slog.New(slog.DiscardHandler),
	})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { h.Close(ctx) })
	t0 := time.Now()
	if _, err := h.Load(ctx, "docker", builtin.Modules()["docker"], map[string]string{"host": eng.Host}, true); err != nil {
		b.Fatal(err)
	}
	load := time.Since(t0)
	be, _ := h.Backend("docker")
	c, err := client.New(client.WithHost(eng.Host), client.WithAPIVersionNegotiation())
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()

	direct := func() time.Duration {
		t0 := time.Now()
		cr, err := c.ContainerCreate(ctx, client.ContainerCreateOptions{Config: &container.Config{Image: "busybox-ref", Cmd: []string{"true"}}})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := c.ContainerStart(ctx, cr.ID, client.ContainerStartOptions{}); err != nil {
			b.Fatal(err)
		}
		wait := c.ContainerWait(ctx, cr.ID, client.ContainerWaitOptions{Condition: container.WaitConditionNotRunning})
		select {
		case r := <-wait.Result:
			if r.StatusCode != 0 {
				b.Fatalf("exit %d", r.StatusCode)
			}
		case err := <-wait.Error:
			b.Fatal(err)
		}
		if _, err := c.ContainerRemove(ctx, cr.ID, client.ContainerRemoveOptions{}); err != nil {
			b.Fatal(err)
		}
		return time.Since(t0)
	}
	adapter := func() time.Duration {
		t0 := time.Now()
		hd, _, err := be.Create(ctx, backend.ContainerSpec{Image: "busybox-ref", Cmd: []string{"true"}})
		if err != nil {
			b.Fatal(err)
		}
		if err := be.Start(ctx, hd); err != nil {
			b.Fatal(err)
		}
		if code, err := be.Wait(ctx, hd); err != nil || code != 0 {
			b.Fatalf("wait: %d %v", code, err)
		}
		if err := be.Remove(ctx, hd, false); err != nil {
			b.Fatal(err)
		}
		return time.Since(t0)
	}
	// Warm both paths (first instance, image cache, connections).
	direct()
	adapter()
	b.Run("lifecycle", func(b *testing.B) {
		var d, a []time.Duration
		for i := 0; i < b.N; i++ {
			if i%2 == 0 {
				d = append(d, direct())
				a = append(a, adapter())
			} else {
				a = append(a, adapter())
				d = append(d, direct())
			}
		}
		d50, d99 := percentiles(d)
		a50, a99 := percentiles(a)
		b.ReportMetric(float64(d50.Microseconds())/1000, "direct-p50-ms")
		b.ReportMetric(float64(d99.Microseconds())/1000, "direct-p99-ms")
		b.ReportMetric(float64(a50.Microseconds())/1000, "adapter-p50-ms")
		b.ReportMetric(float64(a99.Microseconds())/1000, "adapter-p99-ms")
		b.ReportMetric(float64(a50)/float64(d50), "ratio-p50")
		b.ReportMetric(float64(load.Microseconds())/1000, "load-ms")
	})
}
