package coreutils

import (
	"bytes"
	"context"
	"io"
	"strconv"
	"testing"

	"github.com/sockerless/sockerless/builtins"
	"github.com/sockerless/sockerless/builtins/cmdtest"
)

// modLines is the output of awk '{print $1 % 1000, $1}' over seq 1 n.
func modLines(n int) []byte {
	var b []byte
	for i := 1; i <= n; i++ {
		b = strconv.AppendInt(b, int64(i%1000), 10)
		b = append(b, ' ')
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

const benchN = 200000

func BenchmarkSeq(b *testing.B)       { benchCmd(b, nil, "seq", "1", strconv.Itoa(benchN)) }
func BenchmarkSortN(b *testing.B)     { benchCmd(b, modLines(benchN), "sort", "-n") }
func BenchmarkSortRN(b *testing.B)    { benchCmd(b, modLines(benchN), "sort", "-rn") }
func BenchmarkSort(b *testing.B)      { benchCmd(b, modLines(benchN), "sort") }
func BenchmarkUniqCW(b *testing.B)    { benchCmd(b, modLines(benchN), "uniq", "-c", "-w", "4") }
func BenchmarkWcL(b *testing.B)       { benchCmd(b, []byte(seqLines(1, benchN)), "wc", "-l") }
func BenchmarkWc(b *testing.B)        { benchCmd(b, []byte(seqLines(1, benchN)), "wc") }
func BenchmarkTr(b *testing.B)        { benchCmd(b, modLines(benchN), "tr", "a-z", "A-Z") }
func BenchmarkMd5sum(b *testing.B)    { benchCmd(b, modLines(benchN), "md5sum") }
func BenchmarkSha256sum(b *testing.B) { benchCmd(b, modLines(benchN), "sha256sum") }
func BenchmarkCat(b *testing.B)       { benchCmd(b, modLines(benchN), "cat") }
func BenchmarkCut(b *testing.B)       { benchCmd(b, modLines(benchN), "cut", "-d", " ", "-f2") }
func BenchmarkHead(b *testing.B)      { benchCmd(b, modLines(benchN), "head", "-n", "150000") }
func BenchmarkTail(b *testing.B)      { benchCmd(b, modLines(benchN), "tail", "-n", "150000") }
