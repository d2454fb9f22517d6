// Package cmdtest runs registered builtins natively for unit tests: a
// command line, its stdin and working directory in; stdout, stderr and the
// exit status out.
package cmdtest

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"

	"github.com/sockerless/sockerless/builtins"
)

// Result is what one command run produced.
type Result struct {
	Stdout, Stderr string
	Status         int
}

// Run executes args[0] from the registry with stdin, in dir (a temp dir
// when empty), with the given extra environment.
func Run(t testing.TB, dir, stdin string, args []string, environ ...string) Result {
	t.Helper()
	if dir == "" {
		dir = t.TempDir()
	}
	var out, errb bytes.Buffer
	env := &builtins.Env{
		Stdin:   strings.NewReader(stdin),
		Stdout:  &out,
		Stderr:  &errb,
		Dir:     dir,
		Environ: append([]string{"PATH=/usr/bin:/bin", "HOME=" + dir}, environ...),
		Sys:     builtins.NativeSys{},
	}
	env.Exec = func(ctx context.Context, e *builtins.Env, args []string) int {
		return builtins.Run(ctx, e, args)
	}
	status := builtins.Run(context.Background(), env, args)
	return Result{Stdout: out.String(), Stderr: errb.String(), Status: status}
}

// WriteFile creates dir/name with content, failing the test on error.
func WriteFile(t testing.TB, dir, name, content string) {
	t.Helper()
	if err := os.WriteFile(dir+"/"+name, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// ReportCPU starts measuring the process's CPU time (user+system, all
// threads, so GC work counts) and returns a function that reports it per
// iteration as "cpu-ms/op". On a loaded machine this is steadier than
// ns/op, and closer to the single-threaded wasm guest, where GC is not
// concurrent. Use it as `defer cmdtest.ReportCPU(b)()`.
func ReportCPU(b *testing.B) func() {
	t0 := cpuTime()
	return func() {
		if b.N > 0 {
			b.ReportMetric(float64(cpuTime()-t0)/1e6/float64(b.N), "cpu-ms/op")
		}
	}
}
