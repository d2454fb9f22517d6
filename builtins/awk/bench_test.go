package awk

import (
	"context"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/sockerless/sockerless/builtins"
	"github.com/sockerless/sockerless/builtins/cmdtest"
)

func benchInput(n int) string {
	var b strings.Builder
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "%d %d k%d some text here\n", i, i*3%17, i%1000)
	}
	return b.String()
}

func benchAwk(b *testing.B, prog string) {
	input := benchInput(10000)
	b.SetBytes(int64(len(input)))
	b.ReportAllocs()
	for b.Loop() {
		env := &builtins.Env{Stdin: strings.NewReader(input), Stdout: io.Discard, Stderr: io.Discard, Dir: "/"}
		if st := run(context.Background(), env, []string{"awk", prog}); st != 0 {
			b.Fatalf("status %d", st)
		}
	}
}

func BenchmarkPrintField(b *testing.B) { benchAwk(b, `{ print $2, $1 }`) }
func BenchmarkSumByKey(b *testing.B) {
	benchAwk(b, `{ s[$3] += $2 } END { for (k in s) n++; print n }`)
}
func BenchmarkRegexGsub(b *testing.B) { benchAwk(b, `/99/ { gsub(/e/, "E") } END { print }`) }
func BenchmarkFunctions(b *testing.B) {
	benchAwk(b, `function f(x) { return x * 2 } { t += f($1) } END { print t }`)
}

// BenchmarkSeqModPrint is the awk stage of bench TextPipeline over seq 1 200000.
func BenchmarkSeqModPrint(b *testing.B) {
	var sb strings.Builder
	for i := 1; i <= 200000; i++ {
		fmt.Fprintf(&sb, "%d\n", i)
	}
	input := sb.String()
	b.SetBytes(int64(len(input)))
	b.ReportAllocs()
	defer cmdtest.ReportCPU(b)()
	for b.Loop() {
		env := &builtins.Env{Stdin: strings.NewReader(input), Stdout: io.Discard, Stderr: io.Discard, Dir: "/"}
		if st := run(context.Background(), env, []string{"awk", "{print $1 % 1000, $1}"}); st != 0 {
			b.Fatalf("status %d", st)
		}
	}
}
