package sandbox

import (
	"context"
	"os"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/tetratelabs/wazero/experimental/sysfs"

	"github.com/sockerless/sockerless/wit/abi"
)

// smapsRollup returns Pss and Rss of this process in KiB.
func smapsRollup(t testing.TB) (pss, rss int) {
	b, err := os.ReadFile("/proc/self/smaps_rollup")
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range strings.Split(string(b), "\n") {
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

func TestIdleMemory(t *testing.T) {
	n, _ := strconv.Atoi(os.Getenv("SOCKERLESS_IDLE_N"))
	if n == 0 {
		n = 50
	}
	e := testEngine(t)
	root := t.TempDir()
	runtime.GC()
	pss0, rss0 := smapsRollup(t)
	var procs []*Process
	for i := 0; i < n; i++ {
		p, err := e.Start(context.Background(), ProcessConfig{
			Spec: abi.Spec{Args: []string{"sleep", "3600"}, Pid: 1, Init: true},
			FS:   sysfs.DirFS(root), Meta: dirMeta{root},
		})
		if err != nil {
			t.Fatal(err)
		}
		procs = append(procs, p)
	}
	time.Sleep(500 * time.Millisecond)
	runtime.GC()
	pss1, rss1 := smapsRollup(t)
	t.Logf("%d idle sleeps: Pss +%d KiB (%.0f KiB each), Rss +%d KiB (%.0f KiB each)", n,
		pss1-pss0, float64(pss1-pss0)/float64(n), rss1-rss0, float64(rss1-rss0)/float64(n))
	for _, p := range procs {
		p.Kill()
	}
	for _, p := range procs {
		if c := p.Wait(); c != 137 {
			t.Fatalf("exit %d", c)
		}
	}
}
