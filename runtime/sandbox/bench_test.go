package sandbox

import (
	"context"
	"sort"
	"testing"
	"time"

	"github.com/tetratelabs/wazero/experimental/sysfs"

	"github.com/sockerless/sockerless/wit/abi"
)

func BenchmarkStartTrue(b *testing.B) {
	e := testEngine(b)
	root := b.TempDir()
	lat := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		t0 := time.Now()
		p, err := e.Start(context.Background(), ProcessConfig{
			Spec: abi.Spec{Args: []string{"true"}, Pid: 1, Init: true},
			FS:   sysfs.DirFS(root), Meta: dirMeta{root},
		})
		if err != nil {
			b.Fatal(err)
		}
		if c := p.Wait(); c != 0 {
			b.Fatal(c)
		}
		lat = append(lat, time.Since(t0))
		for len(e.pool) < cap(e.pool) {
			time.Sleep(time.Millisecond) // measure a warm pool, not refill
		}
	}
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds()), "p50-µs")
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds()), "p99-µs")
}
