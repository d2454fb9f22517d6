package awk

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/sockerless/sockerless/builtins"
	"github.com/sockerless/sockerless/builtins/cmdtest"
)

// Cases busybox cannot check: Debian's busybox-static lacks math, * widths
// and 64-bit %d.
func TestUnit(t *testing.T) {
	cases := []struct {
		prog, stdin, want string
		status            int
	}{
		{`BEGIN { print 2^10, 2**3, -2^2, 2^3^2, 2^-1, (2^0.5 > 1.41) }`, "", "1024 8 -4 512 0.5 1\n", 0},
		{`BEGIN { x = 3; x ^= 2; x **= 2; print x }`, "", "81\n", 0},
		{`BEGIN { print sqrt(16), exp(0), log(1), int(atan2(0, -1) * 1000), sin(0), cos(0) }`, "", "4 1 0 3141 0 1\n", 0},
		{`BEGIN { print log(-1) }`, "", "nan\n", 0},
		{`BEGIN { printf "[%*d|%-*s|%.*f]\n", 5, 3, 4, "a", 2, 3.14159 }`, "", "[    3|a   |3.14]\n", 0},
		{`BEGIN { printf "%d %x %u\n", 2^33, 255, 2^32 }`, "", "8589934592 ff 4294967296\n", 0},
		{`BEGIN { srand(1); a = rand(); srand(1); b = rand(); print (a == b), (a >= 0 && a < 1), srand(5) }`, "", "1 1 1\n", 0},
		{`BEGIN { printf "%e %G\n", 1e300*1e300, -1e300*1e300 }`, "", "inf -INF\n", 0},
		{`function f(a) { a["k"] = 1 } BEGIN { f(arr); print length(arr) }`, "", "1\n", 0},
		{`function g(a) { return length(a) } BEGIN { x[1]; x[2]; print g(x) }`, "", "2\n", 0},
		{`BEGIN { print substr("hello", 2) > "/dev/stdout"; print "e" > "/dev/stderr" }`, "", "ello\n", 0},
		{`BEGIN { printf "%z" }`, "", "", errStatus},
		{`{ print $(-1) }`, "a\n", "", errStatus},
		{`BEGIN { a[1] = 1; a = 2 }`, "", "", 0},
	}
	for _, c := range cases {
		got := cmdtest.Run(t, "", c.stdin, []string{"awk", c.prog})
		if got.Stdout != c.want || got.Status != c.status {
			t.Errorf("awk %q: got %q status %d (stderr %q), want %q status %d", c.prog, got.Stdout, got.Status, got.Stderr, c.want, c.status)
		}
	}
}

func TestCancel(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	var out, errb bytes.Buffer
	env := &builtins.Env{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb, Dir: t.TempDir()}
	done := make(chan int, 1)
	go func() { done <- run(ctx, env, []string{"awk", "BEGIN { while (1) x++ }"}) }()
	select {
	case st := <-done:
		if st == 0 {
			t.Errorf("cancelled program exited 0")
		}
	case <-time.After(5 * time.Second):
		t.Fatal("awk did not stop after its context was cancelled")
	}
}

func TestHelpAndOptions(t *testing.T) {
	got := cmdtest.Run(t, "", "", []string{"awk", "--help"})
	if got.Status != 0 || !strings.HasPrefix(got.Stdout, "Usage: awk") {
		t.Errorf("--help: %q %d", got.Stdout, got.Status)
	}
	got = cmdtest.Run(t, "", "a,b\n", []string{"awk", "--field-separator=,", "--assign=x=1", "{ print $2, x }"})
	if got.Stdout != "b 1\n" {
		t.Errorf("long options: %q %q", got.Stdout, got.Stderr)
	}
	got = cmdtest.Run(t, "", "", []string{"awk", "-z", "1"})
	if got.Status != 1 {
		t.Errorf("bad option status %d", got.Status)
	}
	got = cmdtest.Run(t, "", "", []string{"awk"})
	if got.Status != 1 {
		t.Errorf("no program status %d", got.Status)
	}
}

func TestDeepNesting(t *testing.T) {
	for _, src := range []string{
		"BEGIN { x = " + strings.Repeat("(", 100000) + "1" + strings.Repeat(")", 100000) + " }",
		"BEGIN { x = " + strings.Repeat("!", 100000) + "1 }",
		"BEGIN " + strings.Repeat("{", 100000),
		"{ print " + strings.Repeat("$", 100000) + "1 }",
		"BEGIN { x = 2" + strings.Repeat("^2", 100000) + " }",
	} {
		if _, err := parse(src); err == nil {
			t.Errorf("deeply nested program of %d bytes parsed", len(src))
		}
	}
	if _, err := parse("BEGIN { x = " + strings.Repeat("(", 50) + "1" + strings.Repeat(")", 50) + " }"); err != nil {
		t.Errorf("moderate nesting: %v", err)
	}
}
