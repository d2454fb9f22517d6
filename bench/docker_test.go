package bench

import (
	"context"
	"os"
	"os/exec"
	"sync"
	"testing"
	"time"

	"github.com/moby/moby/api/types/container"
	"github.com/moby/moby/client"

	"github.com/sockerless/sockerless/tests/refdocker"
	"github.com/sockerless/sockerless/tests/sockerlessd"
)

// engines are the two daemons compared side by side: the reference Docker
// Engine (Debian's dockerd) and sockerless, both on this machine.
type engines struct {
	docker     *refdocker.Engine
	sockerless *sockerlessd.Daemon
}

var (
	engsOnce sync.Once
	engs     engines
	engsErr  error
)

func bothEngines(b *testing.B) engines {
	engsOnce.Do(func() {
		ctx := context.Background()
		if engs.docker, engsErr = refdocker.Start(ctx, refdocker.Options{}); engsErr != nil {
			return
		}
		dir, err := os.MkdirTemp("", "bench-bin-")
		if err != nil {
			engsErr = err
			return
		}
		bin, err := sockerlessd.Build(dir)
		if err != nil {
			engsErr = err
			return
		}
		if engs.sockerless, engsErr = sockerlessd.Start(ctx, bin); engsErr != nil {
			return
		}
		_, engsErr = engs.sockerless.Docker("pull", "-q", "alpine")
	})
	if engsErr != nil {
		b.Fatal("benchmark engines: ", engsErr)
	}
	return engs
}

// TestMain stops the engines after the benchmarks.
func TestMain(m *testing.M) {
	code := m.Run()
	if engs.docker != nil {
		engs.docker.Close()
	}
	if engs.sockerless != nil {
		engs.sockerless.Close()
	}
	if eng != nil {
		eng.Close(context.Background())
	}
	trashing.Wait()
	if dirsRoot != "" {
		os.RemoveAll(dirsRoot)
	}
	os.Exit(code)
}

func timeCLI(b *testing.B, env []string, n int) time.Duration {
	var total time.Duration
	for i := 0; i < n; i++ {
		cmd := exec.Command("docker", "run", "--rm", "alpine", "true")
		cmd.Env = append(os.Environ(), env...)
		t0 := time.Now()
		if out, err := cmd.CombinedOutput(); err != nil {
			b.Fatalf("docker run: %v: %s", err, out)
		}
		total += time.Since(t0)
	}
	return total / time.Duration(n)
}

// BenchmarkCLIRunTrue: wall time of `docker run --rm alpine true` through
// the docker CLI, Docker Engine vs sockerless.
func BenchmarkCLIRunTrue(b *testing.B) {
	e := bothEngines(b)
	timeCLI(b, e.docker.Env(), 1)
	timeCLI(b, e.sockerless.Env(), 1)
	d := timeCLI(b, e.docker.Env(), b.N)
	s := timeCLI(b, e.sockerless.Env(), b.N)
	b.ReportMetric(float64(d.Microseconds())/1000, "docker-ms")
	b.ReportMetric(float64(s.Microseconds())/1000, "sockerless-ms")
	b.ReportMetric(float64(d)/float64(s), "x-faster")
}

func sdkLifecycle(b *testing.B, host string, n int) []time.Duration {
	ctx := context.Background()
	c, err := client.New(client.WithHost(host), client.WithAPIVersionNegotiation())
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	lat := make([]time.Duration, 0, n)
	for i := 0; i < n; i++ {
		t0 := time.Now()
		cr, err := c.ContainerCreate(ctx, client.ContainerCreateOptions{Config: &container.Config{Image: "alpine", Cmd: []string{"true"}}})
		if err != nil {
			b.Fatal(err)
		}
		wait := c.ContainerWait(ctx, cr.ID, client.ContainerWaitOptions{Condition: container.WaitConditionNextExit})
		if _, err := c.ContainerStart(ctx, cr.ID, client.ContainerStartOptions{}); err != nil {
			b.Fatal(err)
		}
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
		lat = append(lat, time.Since(t0))
	}
	return lat
}

// BenchmarkSDKLifecycle: create → start → wait → remove of a container
// running `true` through the Docker Go SDK, Docker Engine vs sockerless.
func BenchmarkSDKLifecycle(b *testing.B) {
	e := bothEngines(b)
	sdkLifecycle(b, e.docker.Host, 1)
	sdkLifecycle(b, e.sockerless.Host, 3)
	d50, d99 := percentiles(sdkLifecycle(b, e.docker.Host, b.N))
	s50, s99 := percentiles(sdkLifecycle(b, e.sockerless.Host, b.N))
	b.ReportMetric(float64(d50.Microseconds())/1000, "docker-p50-ms")
	b.ReportMetric(float64(d99.Microseconds())/1000, "docker-p99-ms")
	b.ReportMetric(float64(s50.Microseconds())/1000, "sockerless-p50-ms")
	b.ReportMetric(float64(s99.Microseconds())/1000, "sockerless-p99-ms")
	b.ReportMetric(float64(d50)/float64(s50), "x-faster-p50")
}
