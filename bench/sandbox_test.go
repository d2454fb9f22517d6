// Package bench holds the benchmarks that compare sockerless with the
// systems it stands in for (real busybox, Docker Engine). Run them with
// `make bench`; results and what they mean are in bench/README.md. They
// print numbers and assert nothing about time.
package bench

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/sockerless/sockerless/runtime/rootfs"
	"github.com/sockerless/sockerless/runtime/sandbox"
	"github.com/sockerless/sockerless/wit/abi"
)

var (
	engOnce sync.Once
	eng     *sandbox.Engine
	engErr  error
)

func engine(b testing.TB) *sandbox.Engine {
	engOnce.Do(func() {
		eng, engErr = sandbox.New(context.Background(), sandbox.Config{
			CacheDir: filepath.Join(os.TempDir(), "sockerless-bench-cache"),
			PoolSize: 16,
		})
	})
	if engErr != nil {
		b.Fatal(engErr)
	}
	return eng
}

// sandboxContainer is what the runtime does per container below the API
// (runtime/containers): a directory holding the writable layer over the
// image root and the shared init layer, one init process, removal by a
// rename into the trash and a deletion in the background.
type sandboxContainer struct {
	dir  string
	fs   *rootfs.FS
	proc *sandbox.Process
}

var (
	dirsOnce sync.Once
	dirsRoot string // like <data-root>/containers
	dirsErr  error
	dirsSeq  atomic.Int64
	trashing sync.WaitGroup
)

func containerRoot(b testing.TB) string {
	dirsOnce.Do(func() {
		if dirsRoot, dirsErr = os.MkdirTemp("", "bench-containers-"); dirsErr != nil {
			return
		}
		if dirsErr = os.Mkdir(filepath.Join(dirsRoot, ".trash"), 0o700); dirsErr != nil {
			return
		}
		dirsErr = rootfs.MakeInit(filepath.Join(dirsRoot, ".init"))
	})
	if dirsErr != nil {
		b.Fatal(dirsErr)
	}
	return dirsRoot
}

func startContainer(b testing.TB, image string, stdin io.Reader, args ...string) *sandboxContainer {
	root := containerRoot(b)
	dir := filepath.Join(root, strconv.FormatInt(dirsSeq.Add(1), 10))
	fs, err := rootfs.New(rootfs.Config{Lower: []string{image}, Upper: filepath.Join(dir, "upper"), Init: filepath.Join(root, ".init")})
	if err != nil {
		b.Fatal(err)
	}
	v := fs.Process(1, 0, 0)
	pc := sandbox.ProcessConfig{
		Spec: abi.Spec{Args: args, Env: []string{"PATH=/usr/bin:/bin"}, Pid: 1, Init: true},
		FS:   v, Meta: sandbox.RootMeta(v), Stdin: stdin,
	}
	p, err := engine(b).Start(context.Background(), pc)
	if err != nil {
		b.Fatal(err)
	}
	return &sandboxContainer{dir: dir, fs: fs, proc: p}
}

func (c *sandboxContainer) remove() {
	c.fs.Close()
	trash := filepath.Join(filepath.Dir(c.dir), ".trash", filepath.Base(c.dir))
	if err := syscall.Rename(c.dir, trash); err != nil {
		os.RemoveAll(c.dir)
		return
	}
	trashing.Add(1)
	go func() {
		defer trashing.Done()
		os.RemoveAll(trash)
	}()
}

func imageRoot(b testing.TB) string {
	dir := b.TempDir()
	for _, d := range []string{"bin", "etc", "tmp", "root"} {
		os.MkdirAll(filepath.Join(dir, d), 0o755)
	}
	os.WriteFile(filepath.Join(dir, "etc/passwd"), []byte("root:x:0:0:root:/root:/bin/sh\n"), 0o644)
	return dir
}

func percentiles(lat []time.Duration) (p50, p99 time.Duration) {
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	return lat[len(lat)/2], lat[len(lat)*99/100]
}

// BenchmarkContainerTrue: create (rootfs) + start + wait + remove of a
// container running `true`, one at a time with pauses that let the pool
// refill (the latency a user sees at a normal pace).
func BenchmarkContainerTrue(b *testing.B) {
	img := imageRoot(b)
	engine(b)
	time.Sleep(time.Second)
	lat := make([]time.Duration, 0, b.N)
	for i := 0; i < b.N; i++ {
		t0 := time.Now()
		c := startContainer(b, img, nil, "true")
		if code := c.proc.Wait(); code != 0 {
			b.Fatalf("exit %d", code)
		}
		c.remove()
		lat = append(lat, time.Since(t0))
		time.Sleep(3 * time.Millisecond)
	}
	p50, p99 := percentiles(lat)
	b.ReportMetric(float64(p50.Microseconds()), "p50-µs")
	b.ReportMetric(float64(p99.Microseconds()), "p99-µs")
}

// BenchmarkContainerTrueSustained: the same, back to back with no pause,
// so the pool drains and each start pays for a clone.
func BenchmarkContainerTrueSustained(b *testing.B) {
	img := imageRoot(b)
	engine(b)
	lat := make([]time.Duration, 0, b.N)
	for i := 0; i < b.N; i++ {
		t0 := time.Now()
		c := startContainer(b, img, nil, "true")
		if code := c.proc.Wait(); code != 0 {
			b.Fatalf("exit %d", code)
		}
		c.remove()
		lat = append(lat, time.Since(t0))
	}
	p50, p99 := percentiles(lat)
	b.ReportMetric(float64(p50.Microseconds()), "p50-µs")
	b.ReportMetric(float64(p99.Microseconds()), "p99-µs")
}

func smaps() (pss, rss int) {
	data, _ := os.ReadFile("/proc/self/smaps_rollup")
	for _, l := range strings.Split(string(data), "\n") {
		f := strings.Fields(l)
		if len(f) < 2 {
			continue
		}
		n, _ := strconv.Atoi(f[1])
		switch f[0] {
		case "Pss:":
			pss = n
		case "Rss:":
			rss = n
		}
	}
	return
}

// BenchmarkIdle1000: 1,000 containers whose init is `sleep 3600` alive at
// once; reports the whole process's Pss and Rss (MiB) with them running.
func BenchmarkIdle1000(b *testing.B) {
	const n = 1000
	img := imageRoot(b)
	engine(b)
	runtime.GC()
	pss0, rss0 := smaps()
	cs := make([]*sandboxContainer, 0, n)
	t0 := time.Now()
	for i := 0; i < n; i++ {
		cs = append(cs, startContainer(b, img, nil, "sleep", "3600"))
	}
	started := time.Since(t0)
	time.Sleep(2 * time.Second)
	runtime.GC()
	pss, rss := smaps()
	for _, c := range cs {
		if c.proc.ExitCode() != 0 {
			select {
			case <-c.proc.Done():
				b.Fatalf("a sleeping container exited with %d", c.proc.ExitCode())
			default:
			}
		}
	}
	b.ReportMetric(float64(pss)/1024, "Pss-MiB")
	b.ReportMetric(float64(rss)/1024, "Rss-MiB")
	b.ReportMetric(float64(pss-pss0)/n, "Pss-KiB/container")
	b.ReportMetric(float64(rss-rss0)/n, "Rss-KiB/container")
	b.ReportMetric(started.Seconds(), "start-all-s")
	for _, c := range cs {
		c.proc.Kill()
	}
	for _, c := range cs {
		c.proc.Wait()
		c.remove()
	}
}

const (
	shellLoop   = `i=0; s=0; while [ $i -lt 20000 ]; do s=$((s+i)); i=$((i+1)); done; echo $s`
	shellCase   = `n=0; for f in $(seq 20000); do case $f in *5) n=$((n+1));; *[02468]) ;; *) ;; esac; done; echo $n`
	shellFunc   = `f() { r=$(($1 * 2)); }; i=0; while [ $i -lt 10000 ]; do f $i; i=$((i+1)); done; echo $r`
	shellString = `i=0; n=0; while [ $i -lt 10000 ]; do x="a-$i-b"; y=${x#a-}; z=${y%-b}; [ "$z" = "$i" ] && n=$((n+1)); i=$((i+1)); done; echo $n`
	pipeline    = `seq 1 200000 | awk '{print $1 % 1000, $1}' | sort -n | uniq -c -w 4 | sort -rn | head -3; seq 1 200000 | grep 7 | wc -l; seq 1 100000 | sed 's/1/one/g' | tr a-z A-Z | md5sum`
)

// cost is what one run took: wall time, and CPU time (user + system) of
// the process that ran it, which a loaded machine disturbs less.
type cost struct{ wall, cpu time.Duration }

func (c *cost) add(d cost) { c.wall += d.wall; c.cpu += d.cpu }

// selfCPU is this process's CPU time so far.
func selfCPU() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// busyboxTime runs script under native busybox sh and returns its cost
// and output.
func busyboxTime(b testing.TB, script string) (cost, string) {
	bb, err := exec.LookPath("busybox")
	if err != nil {
		b.Fatal("busybox (Debian busybox-static) is required: ", err)
	}
	t0 := time.Now()
	cmd := exec.Command(bb, "sh", "-c", script)
	out, err := cmd.Output()
	if err != nil {
		b.Fatal(err)
	}
	wall := time.Since(t0)
	return cost{wall, cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()}, string(out)
}

// sandboxTime runs script in a sandbox container and returns its cost
// (the CPU time is the whole test process's, pool refills included) and
// output.
func sandboxTime(b testing.TB, img, script string) (cost, string) {
	var out bytes.Buffer
	upper := b.TempDir()
	fs, err := rootfs.New(rootfs.Config{Lower: []string{img}, Upper: upper})
	if err != nil {
		b.Fatal(err)
	}
	defer fs.Close()
	v := fs.Process(1, 0, 0)
	e := engine(b) // compiled before the clock starts
	c0, t0 := selfCPU(), time.Now()
	p, err := e.Start(context.Background(), sandbox.ProcessConfig{
		Spec: abi.Spec{Args: []string{"sh", "-c", script}, Env: []string{"PATH=/bin"}, Pid: 1, Init: true},
		FS:   v, Meta: sandbox.RootMeta(v), Stdout: &out, Stderr: &out,
	})
	if err != nil {
		b.Fatal(err)
	}
	if code := p.Wait(); code != 0 {
		b.Fatalf("exit %d: %s", code, out.String())
	}
	return cost{time.Since(t0), selfCPU() - c0}, out.String()
}

func compareWithBusybox(b *testing.B, script string) {
	img := imageRoot(b)
	var sb, bb cost
	for i := 0; i < b.N; i++ {
		ts, outS := sandboxTime(b, img, script)
		tb, outB := busyboxTime(b, script)
		if outS != outB {
			b.Fatalf("outputs differ:\nsandbox: %q\nbusybox: %q", outS, outB)
		}
		sb.add(ts)
		bb.add(tb)
	}
	b.ReportMetric(float64(sb.wall.Milliseconds())/float64(b.N), "sandbox-ms")
	b.ReportMetric(float64(bb.wall.Milliseconds())/float64(b.N), "busybox-ms")
	b.ReportMetric(float64(sb.wall)/float64(bb.wall), "x-busybox")
	b.ReportMetric(float64(sb.cpu.Milliseconds())/float64(b.N), "sandbox-cpu-ms")
	b.ReportMetric(float64(bb.cpu.Milliseconds())/float64(b.N), "busybox-cpu-ms")
	b.ReportMetric(float64(sb.cpu)/float64(bb.cpu), "x-busybox-cpu")
}

// BenchmarkShellLoop: a 20,000-iteration arithmetic loop, sandbox vs busybox sh.
func BenchmarkShellLoop(b *testing.B) { compareWithBusybox(b, shellLoop) }

// BenchmarkShellShapes: other shell-heavy loops, sandbox vs busybox sh:
// case patterns over $(seq), a function call per iteration, and string
// operations (${x#...}, ${x%...}, quoting).
func BenchmarkShellShapes(b *testing.B) {
	for _, tc := range []struct{ name, script string }{
		{"case", shellCase},
		{"func", shellFunc},
		{"string", shellString},
	} {
		b.Run(tc.name, func(b *testing.B) { compareWithBusybox(b, tc.script) })
	}
}

// BenchmarkTextPipeline: seq/awk/sort/uniq/grep/sed/tr/md5sum over 200k lines.
func BenchmarkTextPipeline(b *testing.B) { compareWithBusybox(b, pipeline) }

// BenchmarkStopLatency: from Kill/Signal to exit for a busy loop, a sleep
// and a read blocked on stdin.
func BenchmarkStopLatency(b *testing.B) {
	img := imageRoot(b)
	for _, tc := range []struct{ name, script string }{
		{"busy-loop", "while :; do :; done"},
		{"sleep", "sleep 3600"},
		{"blocked-read", "read x"},
	} {
		var worst, total time.Duration
		for i := 0; i < b.N; i++ {
			pr := &blockingReader{ch: make(chan struct{})}
			c := startContainer(b, img, pr, "sh", "-c", tc.script)
			time.Sleep(50 * time.Millisecond)
			t0 := time.Now()
			c.proc.Kill()
			c.proc.Wait()
			d := time.Since(t0)
			close(pr.ch)
			c.remove()
			total += d
			worst = max(worst, d)
		}
		b.ReportMetric(float64(total.Microseconds())/float64(b.N), tc.name+"-avg-µs")
		b.ReportMetric(float64(worst.Microseconds()), tc.name+"-max-µs")
	}
}

type blockingReader struct{ ch chan struct{} }

func (r *blockingReader) Read([]byte) (int, error) {
	<-r.ch
	return 0, fmt.Errorf("closed")
}
