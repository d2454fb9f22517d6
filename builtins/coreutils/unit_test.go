package coreutils

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sockerless/sockerless/builtins"
	"github.com/sockerless/sockerless/builtins/cmdtest"
)

// syncBuffer is a bytes.Buffer safe for a writer and a polling reader.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// startTail runs tail with args in dir until the returned cancel is called;
// wait reports its exit status.
func startTail(t *testing.T, dir string, args ...string) (out *syncBuffer, cancel func(), wait func() int) {
	t.Helper()
	old := tailPoll
	tailPoll = 10 * time.Millisecond
	t.Cleanup(func() { tailPoll = old })
	out = &syncBuffer{}
	ctx, cancel := context.WithCancel(context.Background())
	env := &builtins.Env{
		Stdin:  strings.NewReader(""),
		Stdout: out,
		Stderr: &syncBuffer{},
		Dir:    dir,
		Sys:    builtins.NativeSys{},
	}
	done := make(chan int, 1)
	go func() { done <- builtins.Run(ctx, env, append([]string{"tail"}, args...)) }()
	return out, cancel, func() int {
		select {
		case st := <-done:
			return st
		case <-time.After(5 * time.Second):
			t.Fatal("tail did not stop after cancel")
			return -1
		}
	}
}

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func appendFile(t *testing.T, name, s string) {
	t.Helper()
	f, err := os.OpenFile(name, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.WriteString(s); err != nil {
		t.Fatal(err)
	}
}

func TestTailFollowGrows(t *testing.T) {
	dir := t.TempDir()
	log := filepath.Join(dir, "log")
	cmdtest.WriteFile(t, dir, "log", "one\ntwo\nthree\n")
	out, cancel, wait := startTail(t, dir, "-n", "2", "-f", "log")
	waitFor(t, "initial lines", func() bool { return out.String() == "two\nthree\n" })
	appendFile(t, log, "four\n")
	waitFor(t, "appended line", func() bool { return out.String() == "two\nthree\nfour\n" })
	appendFile(t, log, "five")
	waitFor(t, "partial line", func() bool { return strings.HasSuffix(out.String(), "four\nfive") })
	cancel()
	if st := wait(); st != 0 {
		t.Errorf("status %d after cancel, want 0", st)
	}
}

func TestTailFollowStopsOnCancel(t *testing.T) {
	// tail -f /dev/null style: nothing ever arrives, only ctx ends it.
	dir := t.TempDir()
	cmdtest.WriteFile(t, dir, "empty", "")
	_, cancel, wait := startTail(t, dir, "-f", "empty")
	time.Sleep(50 * time.Millisecond)
	start := time.Now()
	cancel()
	wait()
	if d := time.Since(start); d > time.Second {
		t.Errorf("tail took %v to stop", d)
	}
}

func TestTailFollowTruncateAndHeaders(t *testing.T) {
	dir := t.TempDir()
	cmdtest.WriteFile(t, dir, "a", "a1\n")
	cmdtest.WriteFile(t, dir, "b", "b1\n")
	out, cancel, wait := startTail(t, dir, "-f", "a", "b")
	want := "==> a <==\na1\n\n==> b <==\nb1\n"
	waitFor(t, "headers", func() bool { return out.String() == want })
	appendFile(t, filepath.Join(dir, "a"), "a2\n")
	want += "\n==> a <==\na2\n"
	waitFor(t, "header on switch", func() bool { return out.String() == want })
	// Truncation restarts from the beginning.
	if err := os.WriteFile(filepath.Join(dir, "a"), []byte("x\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	want += "x\n"
	waitFor(t, "data after truncation", func() bool { return out.String() == want })
	cancel()
	wait()
}

func TestTailFollowRetry(t *testing.T) {
	dir := t.TempDir()
	out, cancel, wait := startTail(t, dir, "--follow=name", "late")
	time.Sleep(30 * time.Millisecond)
	cmdtest.WriteFile(t, dir, "late", "hello\n")
	waitFor(t, "file that appeared", func() bool { return out.String() == "hello\n" })
	// Replacing the file (new inode) makes -F reopen it.
	tmp := filepath.Join(dir, "late.new")
	os.WriteFile(tmp, []byte("again\n"), 0o644)
	if err := os.Rename(tmp, filepath.Join(dir, "late")); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "replaced file", func() bool { return out.String() == "hello\nagain\n" })
	cancel()
	wait()
}

func TestTailFollowNoFile(t *testing.T) {
	r := cmdtest.Run(t, "", "", []string{"tail", "-f", "nofile"})
	if r.Status != 1 {
		t.Errorf("tail -f nofile: status %d, want 1", r.Status)
	}
}

// Commands busybox 1.35 lacks (comm, split, cksum, sum) are checked
// against GNU coreutils' output.
func TestNoBusyboxReference(t *testing.T) {
	dir := t.TempDir()
	writeFixtures(t, dir)
	cases := []struct {
		args  []string
		stdin string
		want  string
		code  int
	}{
		{[]string{"comm", "sorted1", "sorted2"}, "", "apple\n\t\tbanana\n\t\tcherry\ndate\n\tfig\n", 0},
		{[]string{"comm", "-12", "sorted1", "sorted2"}, "", "banana\ncherry\n", 0},
		{[]string{"comm", "-3", "sorted1", "sorted2"}, "", "apple\ndate\n\tfig\n", 0},
		{[]string{"comm", "-1", "sorted1", "sorted2"}, "", "\tbanana\n\tcherry\nfig\n", 0},
		{[]string{"comm", "-23", "sorted1", "-"}, "apple\nzebra\n", "banana\ncherry\ndate\n", 0},
		{[]string{"comm", "sorted1", "nofile"}, "", "", 1},
		{[]string{"comm", "sorted1"}, "", "", 1},
		{[]string{"cksum", "bin"}, "", "4173698874 43 bin\n", 0},
		{[]string{"cksum"}, fixtures["bin"], "4173698874 43\n", 0},
		{[]string{"cksum"}, "", "4294967295 0\n", 0},
		{[]string{"cksum", "one", "nofile"}, "", "3015617425 6 one\n", 1},
		{[]string{"sum", "bin"}, "", "53842     1 bin\n", 0},
		{[]string{"sum", "-s", "bin"}, "", "3876 1 bin\n", 0},
		{[]string{"sum"}, fixtures["bin"], "53842     1\n", 0},
		{[]string{"sum", "-s"}, fixtures["bin"], "3876 1\n", 0},
		{[]string{"yes", "a", "b"}, "", "", -1},
		{[]string{"tac", "nofile"}, "", "", 1},
		{[]string{"nl", "-n", "ln", "-w", "3", "noeol"}, "", "1  \ta\n2  \tb\n3  \tc\n", 0},
		{[]string{"nl", "-n", "rz", "-w", "3", "noeol"}, "", "001\ta\n002\tb\n003\tc\n", 0},
		{[]string{"seq", "-f", "%03g", "3"}, "", "001\n002\n003\n", 0},
		{[]string{"seq", "-f", "x%.1fy", "1", "2"}, "", "x1.0y\nx2.0y\n", 0},
		{[]string{"sort", "-h", "human"}, "", "100\n512\n1K\n3k\n2M\n1G\n", 0},
		{[]string{"sort", "-C", "fruits"}, "", "", 1},
		{[]string{"sort", "-C", "sorted1"}, "", "", 0},
		{[]string{"uniq", "-D", "dups"}, "", "a\na\nc\nc\nc\n", 0},
		{[]string{"tr", "-t", "abc", "xy"}, "abc\n", "xyc\n", 0},
		{[]string{"tr", "a-f", "[x*]"}, "abcdef\n", "xxxxxx\n", 0},
		{[]string{"tr", "a-f", "[x*2]yz"}, "abcdef\n", "xxyzzz\n", 0},
		{[]string{"tr", "a-c", "[x*]Z"}, "abc\n", "xxZ\n", 0},
		{[]string{"cat", "-s", "blanks"}, "", "a\n\nb\n\nc\n", 0},
		{[]string{"cat", "-E", "noeol"}, "", "a$\nb$\nc", 0},
		{[]string{"cat", "-T", "tabs"}, "", "a^Ib^Ic\n^Iindented\n    four spaces\n        eight\nx  ^I y\n", 0},
		{[]string{"head", "--lines=2", "nums"}, "", "1\n2\n", 0},
		{[]string{"tail", "--lines=1", "nums"}, "", "20\n", 0},
		{[]string{"tail", "--follow=bogus", "nums"}, "", "", 1},
		{[]string{"cut", "-d,", "--output-delimiter=::", "-f1,3", "csv"}, "", "name::city\nalice::paris\nbob::berlin\ncarol::rome\ndave::oslo\n", 0},
		{[]string{"wc", "--lines", "nums"}, "", "20 nums\n", 0},
		{[]string{"sha256sum", "--check", "--status", "-"}, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855  empty\n", "", 0},
	}
	for _, c := range cases {
		t.Run(strings.Join(c.args, " "), func(t *testing.T) {
			if c.code == -1 {
				return // infinite output commands are covered below
			}
			r := cmdtest.Run(t, dir, c.stdin, c.args)
			if r.Stdout != c.want || r.Status != c.code {
				t.Errorf("got (status %d) %q, want (status %d) %q; stderr %q", r.Status, r.Stdout, c.code, c.want, r.Stderr)
			}
		})
	}
}

func TestSplit(t *testing.T) {
	dir := t.TempDir()
	writeFixtures(t, dir)
	read := func(name string) string {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			return "<missing>"
		}
		return string(b)
	}
	r := cmdtest.Run(t, dir, "", []string{"split", "-l", "8", "nums"})
	if r.Status != 0 || read("xaa") != seqLines(1, 8) || read("xab") != seqLines(9, 16) || read("xac") != seqLines(17, 20) || read("xad") != "<missing>" {
		t.Errorf("split -l 8: status %d, xaa %q xab %q xac %q", r.Status, read("xaa"), read("xab"), read("xac"))
	}
	r = cmdtest.Run(t, dir, "abcdefghij", []string{"split", "-b", "4", "-d", "-a", "3", "-", "part."})
	if r.Status != 0 || read("part.000") != "abcd" || read("part.001") != "efgh" || read("part.002") != "ij" {
		t.Errorf("split -b 4 -d -a 3: status %d, %q %q %q", r.Status, read("part.000"), read("part.001"), read("part.002"))
	}
	r = cmdtest.Run(t, dir, "", []string{"split", "-b", "1k", "big", "big."})
	if r.Status != 0 || len(read("big.aa")) != 1024 || read("big.aa")+read("big.ab")+read("big.ac")+read("big.ad")+read("big.ae")+read("big.af")+read("big.ag")+read("big.ah")+read("big.ai")+read("big.aj")+read("big.ak")+read("big.al")+read("big.am")+read("big.an") != fixtures["big"][:min(len(fixtures["big"]), 14*1024)] {
		t.Errorf("split -b 1k: status %d", r.Status)
	}
	r = cmdtest.Run(t, dir, "", []string{"split", "-l", "1", "-a", "1", "big", "tiny."})
	if r.Status != 1 || read("tiny.z") != "26\n" {
		t.Errorf("split suffix exhaustion: status %d, tiny.z %q, stderr %q", r.Status, read("tiny.z"), r.Stderr)
	}
	r = cmdtest.Run(t, dir, "", []string{"split", "empty", "e."})
	if r.Status != 0 || read("e.aa") != "<missing>" {
		t.Errorf("split of empty input made files")
	}
	r = cmdtest.Run(t, dir, "", []string{"split", "nofile"})
	if r.Status != 1 {
		t.Errorf("split nofile: status %d", r.Status)
	}
}

func TestYesStopsOnCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	out := &limitWriter{n: 1 << 16, cancel: cancel}
	env := &builtins.Env{Stdin: strings.NewReader(""), Stdout: out, Stderr: &bytes.Buffer{}, Dir: t.TempDir(), Sys: builtins.NativeSys{}}
	builtins.Run(ctx, env, []string{"yes", "a", "b"})
	if !strings.HasPrefix(out.b.String(), "a b\na b\n") {
		t.Errorf("yes output %q", out.b.String()[:20])
	}
}

type limitWriter struct {
	b      bytes.Buffer
	n      int
	cancel func()
}

func (l *limitWriter) Write(p []byte) (int, error) {
	l.b.Write(p)
	if l.b.Len() > l.n {
		l.cancel()
	}
	return len(p), nil
}

// TestLargeInputs runs the hot commands over a few MB to catch quadratic
// behaviour.
func TestLargeInputs(t *testing.T) {
	dir := t.TempDir()
	var sb strings.Builder
	for i := 0; i < 200000; i++ {
		sb.WriteString("field")
		sb.WriteString(strings.Repeat("x", i%7))
		sb.WriteString(",")
		sb.WriteString(seqLines(i%100, i%100))
	}
	data := sb.String()
	cmdtest.WriteFile(t, dir, "large", data)
	for _, args := range [][]string{
		{"cat", "large"}, {"wc", "large"}, {"wc", "-l", "large"}, {"head", "-n", "5", "large"},
		{"tail", "-n", "5", "large"}, {"sort", "large"}, {"sort", "-t,", "-k2n", "large"},
		{"uniq", "-c", "large"}, {"cut", "-d,", "-f2", "large"}, {"tr", "a-z", "A-Z"},
		{"md5sum", "large"}, {"base64", "large"}, {"od", "-An", "-tx1", "-N", "100000", "large"},
	} {
		start := time.Now()
		r := cmdtest.Run(t, dir, data, args)
		if r.Status != 0 {
			t.Errorf("%v: status %d: %s", args, r.Status, r.Stderr)
		}
		t.Logf("%v: %v", args, time.Since(start))
		if d := time.Since(start); d > 3*time.Second {
			t.Errorf("%v took %v", args, d)
		}
	}
}
