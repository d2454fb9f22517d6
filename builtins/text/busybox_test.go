package text

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/sockerless/sockerless/builtins/cmdtest"
	// xargs runs echo, true and false from the registry
	_ "github.com/sockerless/sockerless/builtins/system"
)

// bbCase is one command line run both through our builtin and through
// `busybox APPLET`, in two directories holding the same files.
type bbCase struct {
	name  string
	args  []string // args[0] is the applet
	stdin string
	files map[string]string
	// after lists files whose contents are appended to stdout after the
	// run (for sed -i, patch, sed w).
	after []string
	// sortLines sorts stdout first (directory walk order differs).
	sortLines bool
	// known marks a deliberate difference from busybox: we compare with
	// want/wantStatus instead, and say why.
	known      string
	want       string
	wantStatus int
}

func busyboxPath(t *testing.T) string {
	t.Helper()
	for _, p := range []string{"/bin/busybox", "/usr/bin/busybox"} {
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	if p, err := exec.LookPath("busybox"); err == nil {
		return p
	}
	t.Fatal("busybox not found: install busybox-static (apt-get install busybox-static); the reference must not be skipped")
	return ""
}

func setupDir(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if strings.HasSuffix(name, "/") {
			continue
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func collect(t *testing.T, dir, stdout string, c bbCase) string {
	if c.sortLines {
		lines := strings.SplitAfter(stdout, "\n")
		slices.Sort(lines)
		stdout = strings.Join(lines, "")
	}
	for _, f := range c.after {
		data, err := os.ReadFile(filepath.Join(dir, f))
		if err != nil {
			stdout += "\n== " + f + " (missing)\n"
			continue
		}
		stdout += "\n== " + f + "\n" + string(data)
	}
	return stdout
}

func runBusyboxCases(t *testing.T, cases []bbCase) {
	bb := busyboxPath(t)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ours := setupDir(t, c.files)
			r := cmdtest.Run(t, ours, c.stdin, c.args, "LC_ALL=C")
			got := collect(t, ours, r.Stdout, c)
			if c.known != "" {
				if got != c.want || r.Status != c.wantStatus {
					t.Errorf("known difference (%s):\nwant status %d stdout %q\n got status %d stdout %q\nstderr: %s",
						c.known, c.wantStatus, c.want, r.Status, got, r.Stderr)
				}
				return
			}
			ref := setupDir(t, c.files)
			cmd := exec.Command(bb, append([]string{filepath.Base(c.args[0])}, c.args[1:]...)...)
			cmd.Dir = ref
			cmd.Stdin = strings.NewReader(c.stdin)
			cmd.Env = []string{"PATH=/usr/bin:/bin", "LC_ALL=C", "HOME=" + ref}
			var out, errb bytes.Buffer
			cmd.Stdout, cmd.Stderr = &out, &errb
			status := 0
			if err := cmd.Run(); err != nil {
				ee, ok := err.(*exec.ExitError)
				if !ok {
					t.Fatalf("busybox: %v", err)
				}
				status = ee.ExitCode()
			}
			want := collect(t, ref, out.String(), c)
			if got != want || r.Status != status {
				t.Errorf("%q\nbusybox: status %d stdout %q\n   ours: status %d stdout %q\nours stderr: %s\nbusybox stderr: %s",
					c.args, status, want, r.Status, got, r.Stderr, errb.String())
			}
		})
	}
}

const lines6 = "one\ntwo\nthree\nfour\nfive\nsix\n"
const words = "hello world\nfoo bar baz\nHello again\n\nthe end\n"

func TestSedBusybox(t *testing.T) {
	f := map[string]string{"in": words, "n6": lines6}
	cases := []bbCase{
		{name: "print", args: []string{"sed", "p", "in"}, files: f},
		{name: "quiet print", args: []string{"sed", "-n", "p", "in"}, files: f},
		{name: "subst", args: []string{"sed", "s/o/0/", "in"}, files: f},
		{name: "subst global", args: []string{"sed", "s/o/0/g", "in"}, files: f},
		{name: "subst nth", args: []string{"sed", "s/o/0/2", "in"}, files: f},
		{name: "subst nth global", args: []string{"sed", "s/l/L/2g", "in"}, files: f,
			known: "GNU: Ng replaces the Nth match and those after; busybox replaces all", want: "helLo worLd\nfoo bar baz\nHelLo again\n\nthe end\n"},
		{name: "subst icase", args: []string{"sed", "s/HELLO/hi/I", "in"}, files: f},
		{name: "subst print", args: []string{"sed", "-n", "s/foo/FOO/p", "in"}, files: f},
		{name: "groups", args: []string{"sed", `s/\(hello\) \(world\)/\2 \1/`, "in"}, files: f},
		{name: "ampersand", args: []string{"sed", `s/[a-z]*/<&>/`, "in"}, files: f},
		{name: "escaped ampersand", args: []string{"sed", `s/foo/\&x/`, "in"}, files: f},
		{name: "ere groups", args: []string{"sed", "-E", `s/(l+)(o)/[\2\1]/g`, "in"}, files: f},
		{name: "ere -r", args: []string{"sed", "-r", `s/o{1,}|e$/#/g`, "in"}, files: f},
		{name: "bre interval", args: []string{"sed", `s/l\{2\}/LL/`, "in"}, files: f},
		{name: "bre plus alt", args: []string{"sed", `s/\(foo\|the\) \+/X/`, "in"}, files: f},
		{name: "star at start literal", args: []string{"sed", `s/*/x/`}, stdin: "a*b\n"},
		{name: "empty matches", args: []string{"sed", `s/x*/-/g`}, stdin: "abc\n"},
		{name: "newline in replacement", args: []string{"sed", `s/ /\n/g`, "in"}, files: f},
		{name: "custom delimiter", args: []string{"sed", `s|/usr|/opt|`}, stdin: "/usr/bin\n"},
		{name: "posix class", args: []string{"sed", `s/[[:digit:]][[:digit:]]*/N/g`}, stdin: "a1b22c333\n"},
		{name: "bracket with ]", args: []string{"sed", `s/[]x]/Y/g`}, stdin: "a]bxc\n"},
		{name: "negated bracket", args: []string{"sed", `s/[^a-z ]/_/g`, "in"}, files: f},
		{name: "delete line", args: []string{"sed", "2d", "n6"}, files: f},
		{name: "delete range", args: []string{"sed", "2,4d", "n6"}, files: f},
		{name: "delete to end", args: []string{"sed", "3,$d", "n6"}, files: f},
		{name: "regex range", args: []string{"sed", "-n", "/two/,/four/p", "n6"}, files: f},
		{name: "range plus", args: []string{"sed", "-n", "/two/,+2p", "n6"}, files: f},
		{name: "range backwards", args: []string{"sed", "-n", "4,2p", "n6"}, files: f},
		{name: "negation", args: []string{"sed", "-n", "2,5!p", "n6"}, files: f},
		{name: "last line", args: []string{"sed", "-n", "$p", "n6"}, files: f},
		{name: "line numbers", args: []string{"sed", "-n", "$=", "n6", "in"}, files: f},
		{name: "equals", args: []string{"sed", "=", "in"}, files: f},
		{name: "delete empty", args: []string{"sed", "/^$/d", "in"}, files: f},
		{name: "custom regex delimiter", args: []string{"sed", "-n", `\%o%p`, "n6"}, files: f},
		{name: "quit", args: []string{"sed", "3q", "n6"}, files: f},
		{name: "tac", args: []string{"sed", "1!G;h;$!d", "n6"}, files: f},
		{name: "join lines", args: []string{"sed", ":a;N;$!ba;s/\\n/,/g", "n6"}, files: f},
		{name: "N P D", args: []string{"sed", "$!N;P;D", "n6"}, files: f},
		{name: "N at end", args: []string{"sed", "N;s/\\n/+/", "n6", "-"}, stdin: "seven\n", files: f},
		{name: "next", args: []string{"sed", "-n", "n;p", "n6"}, files: f},
		{name: "hold append", args: []string{"sed", "-n", "H;${x;s/\\n/|/g;p}", "n6"}, files: f},
		{name: "exchange", args: []string{"sed", "x", "n6"}, files: f},
		{name: "y command", args: []string{"sed", "y/abcdefghij/ABCDEFGHIJ/", "in"}, files: f},
		{name: "append one-liner", args: []string{"sed", "2a appended text", "n6"}, files: f},
		{name: "insert classic", args: []string{"sed", "1i\\\ninserted\\\nsecond", "n6"}, files: f},
		{name: "change range", args: []string{"sed", "2,3c\\\nCHANGED", "n6"}, files: f},
		{name: "change line", args: []string{"sed", "/five/c five!", "n6"}, files: f},
		{name: "block", args: []string{"sed", "-n", "/t/{s/t/T/;p}", "n6"}, files: f},
		{name: "nested blocks", args: []string{"sed", "-n", "2,5{/o/{p}}", "n6"}, files: f},
		{name: "branch t", args: []string{"sed", ":a;s/^\\(x*\\)o/\\1x/;ta", "n6"}, files: f},
		{name: "multiple -e", args: []string{"sed", "-e", "s/one/1/", "-e", "s/two/2/", "n6"}, files: f},
		{name: "expression long", args: []string{"sed", "--expression=s/six/6/", "-n", "--expression", "$p", "n6"}, files: f},
		{name: "script file", args: []string{"sed", "-f", "script", "n6"}, files: map[string]string{"n6": lines6, "script": "# comment\ns/one/1/\n/three/d\n"}},
		{name: "in place", args: []string{"sed", "-i", "s/o/0/g", "n6"}, files: f, after: []string{"n6"}},
		{name: "in place backup", args: []string{"sed", "-i.bak", "2d", "n6"}, files: f, after: []string{"n6", "n6.bak"}},
		{name: "write file", args: []string{"sed", "-n", "/o/w out", "n6"}, files: f, after: []string{"out"}},
		{name: "read file", args: []string{"sed", "2r in", "n6"}, files: f},
		{name: "missing newline", args: []string{"sed", "p"}, stdin: "a\nb"},
		{name: "missing file", args: []string{"sed", "p", "n6", "nope"}, files: f},
		{name: "bad command", args: []string{"sed", "k", "n6"}, files: f},
		{name: "unterminated s", args: []string{"sed", "s/a/b", "n6"}, files: f},
		{name: "empty regex reuse", args: []string{"sed", "-n", "/o/{s//0/gp}", "n6"}, files: f},
		{name: "range start read by N", args: []string{"sed", "-n", "1{N;N;d};2,3p;4p", "n6"}, files: f},
		{name: "range end read by N", args: []string{"sed", "/two/,+1x;/^$/N", "n6"}, files: f},
		{name: "quit in range", args: []string{"sed", "3,$q", "n6"}, files: f},
		{name: "comments and semicolons", args: []string{"sed", "-n", "2p ; # note\n4p", "n6"}, files: f},
		{name: "back-reference", args: []string{"sed", "-n", `s/\(.\)\1/<\1\1>/gp`, "in"}, files: f},
		{name: "back-reference words", args: []string{"sed", "-E", `s/^(.*) \1$/twice: \1/`}, stdin: "ab ab\nab ac\n"},
		{name: "back-reference address", args: []string{"sed", "-n", `/\(o\).*\1/p`, "in"}, files: f},
		{name: "dollar inside", args: []string{"sed", `s/a$b/X/`}, stdin: "a$b\n"},
		{name: "tab in bracket", args: []string{"sed", `s/^[ \t]*//;s/[\t]/T/g`}, stdin: " \tx\ty t\n"},
		{name: "backslash in bracket", args: []string{"sed", `s/[\.]/X/g`}, stdin: "a.b\\c\n"},
		{name: "newline in bracket", args: []string{"sed", `N;s/[\n]/X/g`}, stdin: "an\nb\n"},
		{name: "escaped dot", args: []string{"sed", `s/\./,/g`}, stdin: "1.2.3\n"},
		{name: "case conversion", args: []string{"sed", `s/\(w\)\(orld\)/\U\1\E\2/`, "in"}, files: f,
			known: "GNU \\U \\E case conversion; busybox copies the letters", want: "hello World\nfoo bar baz\nHello again\n\nthe end\n"},
		{name: "step address", args: []string{"sed", "-n", "1~2p", "n6"}, files: f,
			known: "GNU first~step; busybox rejects it", want: "one\nthree\nfive\n"},
		{name: "zero address", args: []string{"sed", "0,/o/s//0/", "n6"}, files: f,
			known: "GNU 0,/re/; busybox prints nothing", want: "0ne\ntwo\nthree\nfour\nfive\nsix\n"},
		{name: "Q command", args: []string{"sed", "2Q", "n6"}, files: f,
			known: "GNU Q; busybox rejects it", want: "one\n"},
		{name: "q exit code", args: []string{"sed", "2q5", "n6"}, files: f,
			known: "GNU q EXIT; busybox rejects it", want: "one\ntwo\n", wantStatus: 5},
		{name: "I address flag", args: []string{"sed", "-n", "/HELLO/Ip", "in"}, files: f,
			known: "GNU I address flag; busybox rejects it", want: "hello world\nHello again\n"},
		{name: "l command", args: []string{"sed", "-n", "l"}, stdin: "a\tb\\\n",
			known: "busybox 1.35 prints nothing for l", want: "a\\tb\\\\$\n"},
		{name: "separate", args: []string{"sed", "-s", "-n", "$p", "n6", "in"}, files: f,
			known: "GNU -s; busybox lacks it", want: "six\nthe end\n"},
	}
	runBusyboxCases(t, cases)
}

func TestGrepBusybox(t *testing.T) {
	f := map[string]string{
		"a.txt":       "foo\nbar\nFoo bar\nbaz\nfoobar\n",
		"b.txt":       "nothing\nfoo\n",
		"n20":         "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n13\n14\n15\n16\n17\n18\n19\n20\n",
		"d/x.txt":     "foo in dir\n",
		"d/sub/y.log": "foo log\nother\n",
		"pats":        "bar\nbaz\n",
	}
	cases := []bbCase{
		{name: "basic", args: []string{"grep", "foo", "a.txt"}, files: f},
		{name: "icase", args: []string{"grep", "-i", "foo", "a.txt"}, files: f},
		{name: "invert", args: []string{"grep", "-v", "foo", "a.txt"}, files: f},
		{name: "count", args: []string{"grep", "-c", "foo", "a.txt"}, files: f},
		{name: "count multi", args: []string{"grep", "-c", "foo", "a.txt", "b.txt"}, files: f},
		{name: "line numbers", args: []string{"grep", "-n", "ba", "a.txt"}, files: f},
		{name: "only matching", args: []string{"grep", "-o", "o\\+", "a.txt"}, files: f},
		{name: "only matching numbered", args: []string{"grep", "-on", "-i", "fo", "a.txt"}, files: f},
		{name: "word", args: []string{"grep", "-w", "foo", "a.txt"}, files: f},
		{name: "word only", args: []string{"grep", "-wo", "ba.", "a.txt"}, files: f},
		{name: "line", args: []string{"grep", "-x", "foo", "a.txt"}, files: f},
		{name: "ere", args: []string{"grep", "-E", "fo+|baz$", "a.txt"}, files: f},
		{name: "egrep", args: []string{"egrep", "^(foo|bar)$", "a.txt"}, files: f},
		{name: "fixed", args: []string{"grep", "-F", "o.b"}, stdin: "foo.bar\nfooxbar\n"},
		{name: "fgrep", args: []string{"fgrep", "[x]"}, stdin: "a[x]\nax\n"},
		{name: "multiple -e", args: []string{"grep", "-e", "baz", "-e", "nothing", "a.txt", "b.txt"}, files: f},
		{name: "pattern file", args: []string{"grep", "-f", "pats", "a.txt"}, files: f},
		{name: "files with matches", args: []string{"grep", "-l", "foo", "a.txt", "b.txt", "n20"}, files: f},
		{name: "files without match", args: []string{"grep", "-L", "foo", "a.txt", "b.txt", "n20"}, files: f},
		{name: "quiet", args: []string{"grep", "-q", "bar", "a.txt"}, files: f},
		{name: "quiet no match", args: []string{"grep", "-q", "zzz", "a.txt"}, files: f},
		{name: "quiet with error", args: []string{"grep", "-q", "foo", "nope", "a.txt"}, files: f},
		{name: "missing file", args: []string{"grep", "foo", "a.txt", "nope"}, files: f},
		{name: "silent missing", args: []string{"grep", "-s", "foo", "nope"}, files: f},
		{name: "no match", args: []string{"grep", "zzz", "a.txt"}, files: f},
		{name: "with filename", args: []string{"grep", "-H", "bar", "a.txt"}, files: f},
		{name: "no filename", args: []string{"grep", "-h", "foo", "a.txt", "b.txt"}, files: f},
		{name: "stdin label", args: []string{"grep", "-H", "x"}, stdin: "x\ny\n"},
		{name: "stdin dash", args: []string{"grep", "foo", "-", "b.txt"}, stdin: "foo\n", files: f},
		{name: "after context", args: []string{"grep", "-A1", "-e", "5", "-e", "9", "n20"}, files: f},
		{name: "before context", args: []string{"grep", "-B", "2", "1[05]", "n20"}, files: f},
		{name: "context numbered", args: []string{"grep", "-n", "-C1", "^1[27]$", "n20"}, files: f},
		{name: "max count", args: []string{"grep", "-m2", "1", "n20"}, files: f},
		{name: "max count context", args: []string{"grep", "-m1", "-A2", "3", "n20"}, files: f},
		{name: "recursive", args: []string{"grep", "-r", "foo", "d"}, files: f, sortLines: true},
		{name: "recursive count", args: []string{"grep", "-rc", "o", "d"}, files: f, sortLines: true},
		{name: "recursive list", args: []string{"grep", "-rl", "log", "."}, files: f, sortLines: true},
		{name: "context across files", args: []string{"grep", "-h", "-B1", "-A1", "foo", "a.txt", "b.txt"}, files: f},
		{name: "max count invert context", args: []string{"grep", "-m1", "-v", "-A1", "bar$", "b.txt"}, files: f},
		{name: "max count context stops", args: []string{"grep", "-m1", "-C1", "oo", "a.txt"}, files: f},
		{name: "word empty pattern", args: []string{"grep", "-w", ""}, stdin: "foo\n\nx y\n"},
		{name: "back-reference", args: []string{"grep", `\(o\)\1`, "a.txt"}, files: f},
		{name: "back-reference ere only", args: []string{"grep", "-Eo", `(b|f)(a|o)\2`, "a.txt"}, files: f},
		{name: "back-reference two patterns", args: []string{"grep", "-e", `\(a\)\1`, "-e", `\(r\)$`, "a.txt"}, files: f},
		{name: "bre group interval", args: []string{"grep", `\(o\)\{2\}`, "a.txt"}, files: f},
		{name: "color never", args: []string{"grep", "--color=never", "bar", "a.txt"}, files: f},
		{name: "long options", args: []string{"grep", "--ignore-case", "--count", "FOO", "a.txt"}, files: f,
			known: "GNU long option spellings; busybox lacks them", want: "3\n"},
		{name: "empty pattern", args: []string{"grep", "-c", "", "a.txt"}, files: f},
		{name: "invert count", args: []string{"grep", "-vc", "o", "a.txt"}, files: f},
		{name: "backslash t is t", args: []string{"grep", "-c", `\t`}, stdin: "atb\na\tb\n"},
		{name: "backslash t in bracket", args: []string{"grep", "-c", `[\t]`}, stdin: "atb\na\tb\n"},
		{name: "anchors", args: []string{"grep", "^b.*z$", "a.txt"}, files: f},
		{name: "directory without -r", args: []string{"grep", "foo", "d"}, files: f},
		{name: "include", args: []string{"grep", "-r", "--include=*.log", "foo", "d"}, files: f,
			known: "GNU --include; busybox lacks it", want: "d/sub/y.log:foo log\n"},
	}
	runBusyboxCases(t, cases)
}

func TestDiffBusybox(t *testing.T) {
	f := map[string]string{
		"x":      "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n",
		"y":      "1\n2\nthree\n4\n5\n6\n7\n8\n10\n11\n",
		"l1":     "a\nb\nc\nd\ne\nf\ng\nh\ni\nj\nk\nl\nm\nn\n",
		"l2":     "a\nB\nc\nd\ne\nf\ng\nh\ni\nj\nk\nl\nM\nn\n",
		"na":     "a",
		"nb":     "b",
		"empty":  "",
		"w1":     "a  b\nc\n",
		"w2":     "a b\nc \n",
		"b1":     "a\n\nb\n",
		"b2":     "a\nb\n",
		"a/f":    "a\n",
		"b/f":    "b\n",
		"a/s/g":  "s\n",
		"b/s/":   "",
		"a/o":    "only\n",
		"b/p":    "onlyb\n",
		"a/same": "same\n",
		"b/same": "same\n",
	}
	tree := map[string]string{
		"a/s/g": "1\n", "a/s.txt": "2\n", "b/s.txt": "3\n", "b/s/": "",
		"a/t/f": "x\n", "b/t/f": "y\n", "b/u/z": "q\n", "a/u": "f\n", "a/only/f": "o\n",
	}
	cases := []bbCase{
		{name: "unified", args: []string{"diff", "x", "y"}, files: f},
		{name: "-u", args: []string{"diff", "-u", "x", "y"}, files: f},
		{name: "context 1", args: []string{"diff", "-U1", "x", "y"}, files: f},
		{name: "context 0", args: []string{"diff", "-U", "0", "l1", "l2"}, files: f},
		{name: "two hunks", args: []string{"diff", "l1", "l2"}, files: f},
		{name: "brief", args: []string{"diff", "-q", "x", "y"}, files: f},
		{name: "same", args: []string{"diff", "x", "x"}, files: f},
		{name: "no newline", args: []string{"diff", "na", "nb"}, files: f},
		{name: "from empty", args: []string{"diff", "empty", "x"}, files: f},
		{name: "to empty", args: []string{"diff", "x", "empty"}, files: f},
		{name: "ignore space change", args: []string{"diff", "-b", "w1", "w2"}, files: f},
		{name: "ignore all space", args: []string{"diff", "-w", "w1", "w2"}, files: f},
		{name: "space differs", args: []string{"diff", "w1", "w2"}, files: f},
		{name: "ignore blank", args: []string{"diff", "-B", "b1", "b2"}, files: f},
		{name: "ignore case", args: []string{"diff", "-i", "l1", "l2"}, files: f},
		{name: "labels", args: []string{"diff", "-L", "old", "-L", "new", "x", "y"}, files: f},
		{name: "stdin", args: []string{"diff", "-", "x"}, stdin: "1\n2\n3\n", files: f},
		{name: "dirs", args: []string{"diff", "a", "b"}, files: f},
		{name: "recursive", args: []string{"diff", "-r", "a", "b"}, files: f},
		{name: "recursive new file", args: []string{"diff", "-rN", "a", "b"}, files: f},
		{name: "recursive brief", args: []string{"diff", "-rq", "a", "b"}, files: f},
		{name: "missing", args: []string{"diff", "x", "nope"}, files: f},
		{name: "tree order and types", args: []string{"diff", "-rN", "a", "b"}, files: tree},
		{name: "tree only in", args: []string{"diff", "-r", "a", "b"}, files: tree},
		{name: "tree top level", args: []string{"diff", "a", "b"}, files: tree},
		{name: "ambiguous alignment", args: []string{"diff", "-U1", "p", "q"},
			files: map[string]string{"p": "f\nc\nc\ne\n", "q": "c\nx\nf\nc\ny\ne\n"}},
		{name: "ambiguous alignment 2", args: []string{"diff", "p", "q"},
			files: map[string]string{"p": "c\nb\ng\nf\nf\nf\nb\n", "q": "g\ng\nf\nf\nf\nx\n"}},
		{name: "binary", args: []string{"diff", "x", "bin"}, files: map[string]string{"x": "a\n", "bin": "a\x00b\n"}},
	}
	runBusyboxCases(t, cases)
}

const xyDiff = `--- a/x
+++ b/x
@@ -1,10 +1,10 @@
 1
 2
-3
+three
 4
 5
 6
 7
 8
-9
 10
+11
`

func TestPatchBusybox(t *testing.T) {
	x := "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n"
	f := map[string]string{"x": x, "xy.diff": xyDiff}
	cases := []bbCase{
		{name: "p1 stdin", args: []string{"patch", "-p1"}, stdin: xyDiff, files: f, after: []string{"x"}},
		{name: "default strip", args: []string{"patch"}, stdin: xyDiff, files: f, after: []string{"x"}},
		{name: "input file", args: []string{"patch", "-p1", "-i", "xy.diff"}, files: f, after: []string{"x"}},
		{name: "explicit file", args: []string{"patch", "x", "xy.diff"}, files: f, after: []string{"x"}},
		{name: "dry run", args: []string{"patch", "--dry-run", "-p1"}, stdin: xyDiff, files: f, after: []string{"x"}},
		{name: "offset", args: []string{"patch", "-p1"}, stdin: xyDiff, files: map[string]string{"x": "0\n00\n" + x}, after: []string{"x"}},
		{name: "already applied", args: []string{"patch", "-p1"}, stdin: xyDiff,
			files: map[string]string{"x": "1\n2\nthree\n4\n5\n6\n7\n8\n10\n11\n"}, after: []string{"x"}},
		{name: "reverse", args: []string{"patch", "-R", "-p1"}, stdin: xyDiff,
			files: map[string]string{"x": "1\n2\nthree\n4\n5\n6\n7\n8\n10\n11\n"}, after: []string{"x"}},
		{name: "create", args: []string{"patch", "-p1"}, stdin: "--- /dev/null\n+++ b/new.txt\n@@ -0,0 +1,2 @@\n+hello\n+world\n",
			after: []string{"new.txt"}},
		{name: "remove -E", args: []string{"patch", "-E", "-p1"}, stdin: "--- a/old\n+++ /dev/null\n@@ -1,2 +0,0 @@\n-hello\n-world\n",
			files: map[string]string{"old": "hello\nworld\n"}, after: []string{"old"}},
		{name: "no newline at end", args: []string{"patch", "-p0"},
			stdin: "--- f\n+++ f\n@@ -1,2 +1,2 @@\n a\n-b\n+c\n\\ No newline at end of file\n",
			files: map[string]string{"f": "a\nb\n"}, after: []string{"f"}},
		{name: "missing target", args: []string{"patch", "-p1"}, stdin: xyDiff},
		{name: "no leading context with offset", args: []string{"patch", "-p1"}, stdin: "--- a/f\n+++ b/f\n@@ -1 +1,2 @@\n+z\n i3\n",
			files: map[string]string{"f": "pre1\npre2\ni3\n"}, after: []string{"f"}},
		{name: "zero hunk means new file", args: []string{"patch", "-p1"}, stdin: "--- a/f\n+++ b/f\n@@ -0,0 +1 @@\n+z\n",
			files: map[string]string{"f": ""}, after: []string{"f"}},
		{name: "two files", args: []string{"patch", "-p1"},
			stdin: "--- a/f\n+++ b/f\n@@ -1,2 +1,2 @@\n a\n-b\n+B\n--- a/g\n+++ b/g\n@@ -1 +1 @@\n-x\n+X\n",
			files: map[string]string{"f": "a\nb\n", "g": "x\n"}, after: []string{"f", "g"}},
	}
	runBusyboxCases(t, cases)
}

func TestXargsBusybox(t *testing.T) {
	in := "a b\nc \"d e\" f\\ g\n"
	cases := []bbCase{
		{name: "default echo", args: []string{"xargs"}, stdin: in},
		{name: "n1", args: []string{"xargs", "-n1"}, stdin: in},
		{name: "n2 with args", args: []string{"xargs", "-n", "2", "echo", "X"}, stdin: in},
		{name: "replace", args: []string{"xargs", "-I{}", "echo", "[{}]", "[{}]"}, stdin: in},
		{name: "replace strips leading blanks", args: []string{"xargs", "-I", "X", "echo", "<X>"}, stdin: " a  \n\n b\n"},
		{name: "nul", args: []string{"xargs", "-0", "-n1", "echo"}, stdin: "a b\x00c\x00"},
		{name: "empty input runs once", args: []string{"xargs", "echo", "x"}, stdin: ""},
		{name: "no run if empty", args: []string{"xargs", "-r", "echo", "x"}, stdin: "  \n"},
		{name: "eof string", args: []string{"xargs", "-E", "STOP", "echo"}, stdin: "a b STOP c\n"},
		{name: "size limit", args: []string{"xargs", "-s", "10", "echo"}, stdin: "a b c d e\n"},
		{name: "command fails", args: []string{"xargs", "false"}, stdin: "a\n"},
		{name: "true", args: []string{"xargs", "true"}, stdin: "a\n"},
		{name: "not found", args: []string{"xargs", "no-such-command-xyz"}, stdin: "a\n"},
		{name: "unmatched quote", args: []string{"xargs", "echo"}, stdin: "it's\n"},
		{name: "trace", args: []string{"xargs", "-t", "echo"}, stdin: "a b\n"},
		{name: "replace with no input", args: []string{"xargs", "-I{}", "echo", "{}"}, stdin: "  \n"},
		{name: "argument too long", args: []string{"xargs", "-s", "12", "echo"}, stdin: "long_argument_here short\n"},
		{name: "nul in blank mode", args: []string{"xargs", "echo", "-"}, stdin: "a\x00b c\n"},
		{name: "lines", args: []string{"xargs", "-L", "1", "echo", "X"}, stdin: "a b\nc\n",
			known: "GNU -L; busybox lacks it", want: "X a b\nX c\n"},
		{name: "delimiter", args: []string{"xargs", "-d", ",", "-n2", "echo"}, stdin: "a,b,c",
			known: "GNU -d; busybox lacks it", want: "a b\nc\n"},
	}
	runBusyboxCases(t, cases)
}

func TestExprBusybox(t *testing.T) {
	var cases []bbCase
	for _, a := range [][]string{
		{"1", "+", "2"}, {"5", "-", "7"}, {"3", "*", "4"}, {"7", "/", "2"}, {"7", "%", "3"},
		{"1", "/", "0"}, {"", "|", "0"}, {"0", "|", ""}, {"a", "|", "b"}, {"0", "&", "1"},
		{"abc", "=", "abc"}, {"10", "<", "9"}, {"a", "<", "b"}, {"2", ">=", "2"}, {"a", "!=", "b"},
		{"abc", ":", `a\(.\)`}, {"abc", ":", "ab"}, {"abc", ":", `x\(.\)`}, {"length", "hello"},
		{"substr", "hello", "2", "3"}, {"index", "hello", "l"}, {"match", "abc", "a."},
		{"(", "1", "+", "2", ")", "*", "3"}, {"1", "+"}, {"a", "+", "1"}, {"0"}, {""},
		{"99999999999999999999", "+", "1"}, {"01", "=", "1"}, {"substr", "hello", "0", "2"},
		{"length"}, {"*"}, {"-5", "%", "3"}, {"10", "/", "3", "*", "3"}, {"x", ":", `\(x\)\|y`},
	} {
		cases = append(cases, bbCase{name: strings.Join(a, " "), args: append([]string{"expr"}, a...)})
	}
	runBusyboxCases(t, cases)
}

func TestPrintfBusybox(t *testing.T) {
	var cases []bbCase
	for _, a := range [][]string{
		{`%s-%s\n`, "a", "b", "c"}, {`%5.2f|%-5d|%05d\n`, "3.14159", "42", "42"},
		{`%x %X %o %u\n`, "255", "255", "8", "-1"}, {`%c%c\n`, "hello", "w"}, {`%d\n`, "'A"},
		{`%b\n`, `a\tb\0101\c`}, {`a\101\x41\n`}, {`%e %g %E\n`, "1234.5", "0.0001", "1"},
		{`%*d|\n`, "5", "3"}, {`%.3s\n`, "abcdef"}, {`%i\n`, "0x1f"}, {`%d\n`, "010"},
		{`%d\n`, "abc"}, {`%d %d\n`, "1", "2x"}, {`%d\n`}, {`%q\n`, "x"}, {`\e[1m\n`},
		{`%+d % d %#x %#o\n`, "5", "5", "255", "8"}, {"--", `%s\n`, "x"}, {`%s\n`, "--", "x"},
		{`%.0f %.1f\n`, "2.5", "0.05"}, {`%g %g\n`, "1234567", "0.00001234"}, {`%10.4e|\n`, "3.14159"},
		{`%d|%s|%c|%f|\n`}, {`%f\n`, "1.5x"}, {`%ld %lld %hd\n`, "1", "2", "3"}, {"no newline"},
		{`%%\n`}, {`\q`}, {`%.3d\n`, "-5"}, {`%5c|\n`, "x"}, {`%d\n`, "1_000"},
	} {
		cases = append(cases, bbCase{name: strings.Join(a, " "), args: append([]string{"/usr/bin/printf"}, a...)})
	}
	runBusyboxCases(t, cases)
}

func TestGetoptBusybox(t *testing.T) {
	var cases []bbCase
	for _, a := range [][]string{
		{"-o", "ab:c::", "-l", "long,opt:", "-n", "name", "--", "-a", "-b", "x", "-cfoo", "--long", "--opt=v", "file1", "it's"},
		{"-o", "ab", "--", "-z"}, {"ab", "-a", "-b", "c"}, {"-o", "a:", "--", "-a"}, {"-o", "ab", "--", "-ab"},
		{"-o", "ab:", "--", "x", "-a", "y", "-b", "z"}, {"-o", "+ab", "--", "x", "-a"},
		{"-u", "-o", "ab:", "--", "-a", "-b", "x y"}, {"-o", "a", "-l", "verbose", "--", "--verb"},
		{"-q", "-o", "a", "--", "-z"}, {"-Q", "-o", "a", "--", "-z"}, {"-T"},
		{"-o", "a", "-l", "long:", "--", "--long"}, {"-o", "a", "--", "-a", "--", "-b"},
		{"-o", "a", "-l", "opt::", "--", "--opt", "--opt=x"}, {"-o", "a", "-l", "verbose", "--", "--verbose=1"},
		{"-a", "-o", "a", "-l", "long:", "--", "-long", "x"}, {"--options=ab", "--longoptions=xy", "--", "--xy", "-b"},
		{"-o", "x", "--", "", "a b"}, {"-o", "ab:c::", "--", "-a", "--verb", "file"},
		{"-o", "ab:", "-l", "alpha,beta:,gamma::", "--", "--al", "--beta", "1", "--gamma=2", "x"},
	} {
		cases = append(cases, bbCase{name: strings.Join(a, " "), args: append([]string{"getopt"}, a...)})
	}
	runBusyboxCases(t, cases)
}
