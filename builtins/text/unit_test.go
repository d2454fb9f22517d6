package text

import (
	"context"
	"io"
	"math/rand"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/sockerless/sockerless/builtins"
	"github.com/sockerless/sockerless/builtins/cmdtest"
)

func init() {
	// a test helper command: exit with the status given as argument
	builtins.Register(&builtins.Command{Name: "text-test-exit", Run: func(ctx context.Context, env *builtins.Env, args []string) int {
		n, _ := strconv.Atoi(args[1])
		return n
	}})
}

func TestTranslateRegex(t *testing.T) {
	for _, c := range []struct {
		in   string
		ere  bool
		want string
	}{
		{`a\(b\)*`, false, `a(b)*`},
		{`a\{2,3\}`, false, `a{2,3}`},
		{`a\+b\?`, false, `a+b?`},
		{`a+b?`, false, `a\+b\?`},
		{`a\|b`, false, `a|b`},
		{`*a`, false, `\*a`},
		{`^*a`, false, `^\*a`},
		{`\(*a\)`, false, `(\*a)`},
		{`a^b$c`, false, `a\^b\$c`},
		{`(a|b)`, false, `\(a\|b\)`},
		{`[]a]`, false, `[\]a]`},
		{`[^]a]`, false, `[^\]a]`},
		{`[a\]`, false, `[a\\]`},
		{`[[:digit:]x-z]`, false, `[[:digit:]x-z]`},
		{`a**`, false, `(?:a*)*`},
		{`(a|b)+`, true, `(a|b)+`},
		{`a{2}`, true, `a{2}`},
		{`a{`, true, `a\{`},
		{`\(a\)`, true, `\(a\)`},
		{`\<w\>`, false, `\bw\b`},
	} {
		got, err := translateRegex(c.in, c.ere)
		if err != nil || got != c.want {
			t.Errorf("translateRegex(%q, %v) = %q, %v; want %q", c.in, c.ere, got, err, c.want)
		}
	}
	for _, bad := range []string{`\(a`, `a\)`, `[a`, `a\{1`, `\1`, `[b-a]`, `[[:foo:]]`} {
		if g, err := translateRegex(bad, false); err == nil {
			t.Errorf("translateRegex(%q) = %q, want an error", bad, g)
		}
	}
}

func TestSedInPlaceKeepsMode(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "script.sh")
	if err := os.WriteFile(p, []byte("echo old\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(p, 0o751); err != nil {
		t.Fatal(err)
	}
	r := cmdtest.Run(t, dir, "", []string{"sed", "-i", "s/old/new/", "script.sh"})
	if r.Status != 0 {
		t.Fatalf("status %d: %s", r.Status, r.Stderr)
	}
	data, _ := os.ReadFile(p)
	info, _ := os.Stat(p)
	if string(data) != "echo new\n" || info.Mode().Perm() != 0o751 {
		t.Errorf("got %q mode %v", data, info.Mode())
	}
}

func TestSedParseErrors(t *testing.T) {
	for _, s := range []string{"k", "s/a/b", "s/a/b/q", "{p", "p}", "b nowhere", "y/ab/c/", "3,", ":", "0p", "/a"} {
		if _, err := parseSed(s, false); err == nil {
			t.Errorf("parseSed(%q) accepted", s)
		}
	}
}

func TestSedLoopStopsOnCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	env := &builtins.Env{Stdin: stringsReader("x\n"), Stdout: discardW{}, Stderr: discardW{}}
	if st := runSed(ctx, env, []string{"sed", ":a;ba"}); st == 0 {
		t.Errorf("a cancelled endless loop returned %d", st)
	}
}

func TestXargsStatus(t *testing.T) {
	for _, c := range []struct {
		code, want int
		stdout     string
	}{
		{0, 0, ""}, {1, 123, ""}, {125, 123, ""}, {255, 124, ""}, {126, 126, ""}, {127, 127, ""}, {137, 125, ""},
	} {
		r := cmdtest.Run(t, "", "a\nb\n", []string{"xargs", "-n1", "text-test-exit", strconv.Itoa(c.code)})
		if r.Status != c.want {
			t.Errorf("command exiting %d: xargs status %d, want %d", c.code, r.Status, c.want)
		}
	}
}

// TestDiffMinimal compares the edit script's length with a dynamic
// programming LCS on random small inputs, and checks it is consistent.
func TestDiffMinimal(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	for n := 0; n < 500; n++ {
		a := randLines(rng)
		b := randLines(rng)
		ca, cb := lcsDiff(a, b)
		var keptA, keptB []string
		edits := 0
		for i, d := range ca {
			if d {
				edits++
			} else {
				keptA = append(keptA, a[i])
			}
		}
		for j, d := range cb {
			if d {
				edits++
			} else {
				keptB = append(keptB, b[j])
			}
		}
		if len(keptA) != len(keptB) {
			t.Fatalf("%q vs %q: kept %d and %d lines", a, b, len(keptA), len(keptB))
		}
		for i := range keptA {
			if keptA[i] != keptB[i] {
				t.Fatalf("%q vs %q: kept lines differ", a, b)
			}
		}
		if want := len(a) + len(b) - 2*lcsLen(a, b); edits != want {
			t.Fatalf("%q vs %q: %d edits, want %d", a, b, edits, want)
		}
	}
}

func randLines(rng *rand.Rand) []string {
	n := rng.Intn(12)
	out := make([]string, n)
	for i := range out {
		out[i] = string(rune('a' + rng.Intn(4)))
	}
	return out
}

func lcsLen(a, b []string) int {
	dp := make([][]int, len(a)+1)
	for i := range dp {
		dp[i] = make([]int, len(b)+1)
	}
	for i := len(a) - 1; i >= 0; i-- {
		for j := len(b) - 1; j >= 0; j-- {
			if a[i] == b[j] {
				dp[i][j] = dp[i+1][j+1] + 1
			} else {
				dp[i][j] = max(dp[i+1][j], dp[i][j+1])
			}
		}
	}
	return dp[0][0]
}

func TestGrepNulData(t *testing.T) {
	r := cmdtest.Run(t, "", "foo\x00bar\x00food\x00", []string{"grep", "-z", "foo"})
	if r.Stdout != "foo\x00food\x00" || r.Status != 0 {
		t.Errorf("grep -z: %q %d", r.Stdout, r.Status)
	}
}

func TestPrintfByPath(t *testing.T) {
	r := cmdtest.Run(t, "", "", []string{"/usr/bin/printf", `%s=%d\n`, "a", "1", "b", "2"})
	if r.Stdout != "a=1\nb=2\n" || r.Status != 0 {
		t.Errorf("printf: %q %d", r.Stdout, r.Status)
	}
}

type discardW struct{}

func (discardW) Write(p []byte) (int, error) { return len(p), nil }

func stringsReader(s string) *stringReader { return &stringReader{s: s} }

type stringReader struct{ s string }

func (r *stringReader) Read(p []byte) (int, error) {
	if r.s == "" {
		return 0, io.EOF
	}
	n := copy(p, r.s)
	r.s = r.s[n:]
	return n, nil
}

// TestSedCarriageReturn: sed's \r is a carriage return in patterns and
// brackets, as in busybox (s/\r$// is the usual CRLF fix).
func TestSedCarriageReturn(t *testing.T) {
	for _, re := range []string{`\r$`, `[\r]$`} {
		rx, err := compileRegex(re, false, "")
		if err != nil {
			t.Fatal(err)
		}
		if !rx.MatchString("a\r") || rx.MatchString("ar") {
			t.Errorf("%q: want a match of CR only", re)
		}
	}
}
