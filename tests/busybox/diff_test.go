package busybox

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"
)

// tcase is one differential case: script runs as `sh -c script` on both
// sides with stdin, and stdout and exit status must agree.
type tcase struct {
	name   string
	script string
	stdin  string
	// stderr, if set, must appear in the stderr of both sides.
	stderr string
	// diff, if set, documents a known difference: the case still runs
	// and must still differ ("bug: …" names a sandbox bug).
	diff string
}

// minCases is the size the issue asks of the table.
const minCases = 320

func TestDifferential(t *testing.T) {
	cases := allCases()
	if len(cases) < minCases {
		t.Errorf("table has %d cases, want at least %d", len(cases), minCases)
	}
	seen := map[string]bool{}
	for _, c := range cases {
		if seen[c.name] {
			t.Fatalf("duplicate case name %q", c.name)
		}
		seen[c.name] = true
	}
	if only := os.Getenv("BUSYBOX_CASE"); only != "" {
		var keep []tcase
		for _, c := range cases {
			if strings.Contains(c.name, only) {
				keep = append(keep, c)
			}
		}
		cases = keep
	}

	base := t.TempDir()
	lower := filepath.Join(base, "fixture")
	if err := writeFixture(lower, fixture); err != nil {
		t.Fatal(err)
	}
	template := filepath.Join(base, "busybox-root")
	if err := busyboxTemplate(template, fixture); err != nil {
		t.Fatal(err)
	}
	lowerBefore, err := hostTree(lower, nil)
	if err != nil {
		t.Fatal(err)
	}
	e := engine(t)

	type pair struct {
		bb, sb       result
		bbDur, sbDur time.Duration
	}
	results := make([]pair, len(cases))
	// Busybox cases are cheap processes; sandbox ones share the engine.
	// Run both sides of several cases at once.
	workers := 4 * runtime.GOMAXPROCS(0)
	sem := make(chan struct{}, workers)
	var wg sync.WaitGroup
	for i, c := range cases {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			dir := filepath.Join(base, fmt.Sprintf("case-%03d", i))
			var inner sync.WaitGroup
			inner.Add(1)
			go func() {
				defer inner.Done()
				t0 := time.Now()
				results[i].bb = runBusybox(template, filepath.Join(dir, "bb"), c.script, c.stdin)
				results[i].bbDur = time.Since(t0)
			}()
			t0 := time.Now()
			results[i].sb = runSandbox(e, lower, filepath.Join(dir, "upper"), c.stdin, "sh", "-c", c.script)
			results[i].sbDur = time.Since(t0)
			inner.Wait()
			os.RemoveAll(dir)
		}()
	}
	wg.Wait()
	// The image layer is shared and read-only: no case may change it.
	lowerAfter, err := hostTree(lower, nil)
	if err != nil {
		t.Fatal(err)
	}
	if d := diffTrees(lowerBefore, lowerAfter); len(d) > 0 {
		t.Errorf("the read-only fixture layer changed:\n%s", strings.Join(d, "\n"))
	}
	var bbTotal, sbTotal time.Duration
	for _, r := range results {
		bbTotal += r.bbDur
		sbTotal += r.sbDur
	}
	t.Logf("time summed over cases: busybox side %v, sandbox side %v", bbTotal.Round(time.Millisecond), sbTotal.Round(time.Millisecond))

	var pass, known int
	for i, c := range cases {
		bb, sb := results[i].bb, results[i].sb
		t.Run(c.name, func(t *testing.T) {
			if bb.err != nil {
				t.Fatalf("busybox side: %v", bb.err)
			}
			if sb.err != nil {
				t.Fatalf("sandbox side: %v\n%s", sb.err, sb)
			}
			same := bb.stdout == sb.stdout && bb.code == sb.code
			if c.diff != "" {
				if same {
					t.Errorf("known difference no longer holds (%s): both give\n%s\nremove the diff entry\nscript:\n%s", c.diff, sb, c.script)
				} else {
					known++
				}
				return
			}
			if !same {
				t.Errorf("differs\nscript:\n%s\n=== busybox: %s\n=== sandbox: %s", c.script, bb, sb)
				return
			}
			if c.stderr != "" {
				if !strings.Contains(bb.stderr, c.stderr) {
					t.Errorf("busybox stderr %q lacks %q", bb.stderr, c.stderr)
				}
				if !strings.Contains(sb.stderr, c.stderr) {
					t.Errorf("sandbox stderr %q lacks %q", sb.stderr, c.stderr)
				}
			}
			if !t.Failed() {
				pass++
			}
		})
	}
	t.Logf("%d cases: %d agree, %d documented differences hold", len(cases), pass, known)
}
