package coreutils

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/sockerless/sockerless/builtins/cmdtest"
)

// bbCase is one command line run through both our builtin and busybox.
type bbCase struct {
	args  string // command line, split on spaces unless argv is set
	argv  []string
	stdin string
	// outFile, when set, runs the case in a fresh directory and appends
	// that file's content to stdout before comparing.
	outFile string
	// knownDiff documents why we deliberately differ from busybox; the
	// case then only runs our side to make sure it doesn't crash.
	knownDiff string
}

// fixtures are the input files every case can read.
var fixtures = map[string]string{
	"empty":    "",
	"one":      "hello\n",
	"noeol":    "a\nb\nc",
	"nums":     seqLines(1, 20),
	"big":      seqLines(1, 3000),
	"words":    "the quick brown fox\njumps over\n\nthe lazy dog\n  leading space\ttab\n",
	"blanks":   "a\n\n\n\nb\n\nc\n",
	"bin":      "abc\x00\x01\x02hello world\x7f\x80\xff\tend\nmore text here\x00xy\n",
	"csv":      "name,age,city\nalice,30,paris\nbob,25,berlin\ncarol,35,rome\ndave,,oslo\n",
	"tsv":      "a\tb\tc\n1\t2\t3\nno tabs here\nx\t\ty\n",
	"fruits":   "banana\napple\nCherry\napple\ndate\nBanana\ncherry\n\nelderberry\n",
	"mixed":    "10 b x\n2 a y\n10 a z\n1 c w\n-3 d v\n2.5 e u\n 7 f t\n1e3 g s\n0x10 h r\nabc i q\n",
	"dups":     "a\na\nb\nc\nc\nc\nA\na\nd\n",
	"fields":   "1 x a\n2 y a\n3 y b\n4 x b\n5 z b\n",
	"human":    "1K\n512\n2M\n1G\n3k\n100\n",
	"versions": "1.10\n1.2\n1.9.1\n1.2rc1\n2.0\n1.02\n",
	"months":   "MAR x\njan y\nDec z\nfeb w\nxyz q\n",
	"tabs":     "a\tb\tc\n\tindented\n    four spaces\n        eight\nx  \t y\n",
	"long":     "this is a fairly long line that should wrap when folded at a narrow width like twenty\nshort\n",
	"sorted1":  "apple\nbanana\ncherry\ndate\n",
	"sorted2":  "banana\ncherry\nfig\n",
	"crlf":     "one\r\ntwo\r\n",
	"utf8":     "héllo wörld\nñ\n",
	"allbytes": allBytes(),
	"six":      "abcdef",
}

func allBytes() string {
	b := make([]byte, 256)
	for i := range b {
		b[i] = byte(i)
	}
	return string(b)
}

func seqLines(a, b int) string {
	var sb strings.Builder
	for i := a; i <= b; i++ {
		sb.WriteString(strconv.Itoa(i))
		sb.WriteByte('\n')
	}
	return sb.String()
}

func writeFixtures(t *testing.T, dir string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Join(dir, "adir"), 0o755); err != nil {
		t.Fatal(err)
	}
	for name, content := range fixtures {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func busyboxPath(t *testing.T) string {
	t.Helper()
	for _, p := range []string{"/bin/busybox", "/usr/bin/busybox"} {
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	t.Fatal("busybox not found: install busybox-static (apt-get install busybox-static)")
	return ""
}

func runBusybox(t *testing.T, bb, dir, stdin string, argv []string) (string, int) {
	t.Helper()
	cmd := exec.Command(bb, argv...)
	cmd.Dir = dir
	cmd.Stdin = strings.NewReader(stdin)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	cmd.Env = []string{"PATH=/usr/bin:/bin", "LC_ALL=C"}
	err := cmd.Run()
	status := 0
	if err != nil {
		ee, ok := err.(*exec.ExitError)
		if !ok {
			t.Fatalf("busybox %v: %v", argv, err)
		}
		status = ee.ExitCode()
	}
	return out.String(), status
}

func runCases(t *testing.T, cases []bbCase) {
	bb := busyboxPath(t)
	shared := t.TempDir()
	writeFixtures(t, shared)
	for _, c := range cases {
		argv := c.argv
		if argv == nil {
			argv = strings.Fields(c.args)
		}
		name := strings.Join(argv, " ")
		t.Run(name, func(t *testing.T) {
			run := func(ours bool) (string, int) {
				dir := shared
				if c.outFile != "" {
					dir = t.TempDir()
					writeFixtures(t, dir)
				}
				var out string
				var st int
				if ours {
					r := cmdtest.Run(t, dir, c.stdin, argv)
					out, st = r.Stdout, r.Status
				} else {
					out, st = runBusybox(t, bb, dir, c.stdin, argv)
				}
				if c.outFile != "" {
					b, err := os.ReadFile(filepath.Join(dir, c.outFile))
					if err != nil {
						out += "<no " + c.outFile + ">"
					}
					out += "<" + c.outFile + ">" + string(b)
				}
				return out, st
			}
			got, gst := run(true)
			if c.knownDiff != "" {
				t.Logf("known difference from busybox: %s", c.knownDiff)
				return
			}
			want, wst := run(false)
			if got != want || gst != wst {
				t.Errorf("%s\n got (status %d): %q\nwant (status %d): %q", name, gst, trunc(got), wst, trunc(want))
			}
		})
	}
}

func trunc(s string) string {
	if len(s) > 2000 {
		return s[:2000] + "…"
	}
	return s
}
