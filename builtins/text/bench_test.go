package text

import (
	"bytes"
	"context"
	"io"
	"strconv"
	"testing"

	"github.com/sockerless/sockerless/builtins"
	"github.com/sockerless/sockerless/builtins/cmdtest"
)

// seqInput is the output of seq 1 n.
func seqInput(n int) []byte {
	var b []byte
	for i := 1; i <= n; i++ {
		b = strconv.AppendInt(b, int64(i), 10)
		b = append(b, '\n')
	}
	return b
}

// benchCmd runs args over input b.N times, discarding the output.
func benchCmd(b *testing.B, input []byte, args ...string) {
	b.Helper()
	b.SetBytes(int64(len(input)))
	b.ReportAllocs()
	defer cmdtest.ReportCPU(b)()
	for b.Loop() {
		env := &builtins.Env{Stdin: bytes.NewReader(input), Stdout: io.Discard, Stderr: io.Discard, Dir: "/"}
		if st := builtins.Run(context.Background(), env, args); st != 0 {
			b.Fatalf("%v: status %d", args, st)
		}
	}
}

func BenchmarkGrepLiteral(b *testing.B) { benchCmd(b, seqInput(200000), "grep", "7") }
func BenchmarkGrepCount(b *testing.B)   { benchCmd(b, seqInput(200000), "grep", "-c", "7") }
func BenchmarkGrepInvert(b *testing.B)  { benchCmd(b, seqInput(200000), "grep", "-v", "7") }
func BenchmarkGrepRegex(b *testing.B)   { benchCmd(b, seqInput(200000), "grep", "^1.*9$") }
func BenchmarkGrepIcase(b *testing.B)   { benchCmd(b, seqInput(200000), "grep", "-i", "7") }
func BenchmarkGrepOnly(b *testing.B)    { benchCmd(b, seqInput(200000), "grep", "-o", "7") }
func BenchmarkSedSubstG(b *testing.B)   { benchCmd(b, seqInput(100000), "sed", "s/1/one/g") }
func BenchmarkSedSubstRegex(b *testing.B) {
	benchCmd(b, seqInput(100000), "sed", "s/\\([0-9]\\)1/\\1one/")
}
func BenchmarkSedPrint(b *testing.B)  { benchCmd(b, seqInput(100000), "sed", "-n", "/7$/p") }
func BenchmarkSedDelete(b *testing.B) { benchCmd(b, seqInput(100000), "sed", "/5/d") }
