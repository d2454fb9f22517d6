package files

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"slices"
	"strings"
	"testing"

	"github.com/sockerless/sockerless/builtins/cmdtest"
)

// bbCase is one command compared against busybox on two identical trees.
type bbCase struct {
	name  string
	setup string   // sh script building the tree in the current directory
	args  []string // command line; "$D" is replaced by the tree's path
	stdin string
	// after is an sh script run in both trees after the command (with
	// busybox applets) whose output must match too: it checks side effects.
	after string
	// sorted compares stdout as a set of lines (readdir order differs).
	sorted bool
	// norm rewrites both outputs before comparing (inode numbers, times).
	norm func(string) string
	// diff, when set, names a known, deliberate difference: the case runs
	// only our implementation and checks it exits with status want.
	diff string
	want int
}

// stdTree is a small tree with files, a subdirectory, links and modes.
const stdTree = `
mkdir -p d/sub e
printf 'hello\n' > a
printf 'world wide\n' > b.txt
printf '' > empty
printf '0123456789abcdefghij' > d/f1
printf 'x\n' > d/sub/deep.c
ln -s a la
ln -s d ld
ln -s missing dangling
chmod 755 d/f1
chmod 640 b.txt
` + fixTimes

// fixTimes sets every mtime of the tree to a fixed date so both trees
// match; what a case's setup adds after it keeps its own times.
const fixTimes = `
busybox find . -exec busybox touch -h -d '2020-03-04 05:06:07' {} +
`

func busybox(t *testing.T) string {
	t.Helper()
	const bb = "/bin/busybox"
	if _, err := os.Stat(bb); err != nil {
		t.Fatalf("reference busybox missing (apt-get install busybox-static): %v", err)
	}
	return bb
}

func mkTree(t *testing.T, script string) string {
	t.Helper()
	return mkTrees(t, script, 1)[0]
}

// mkTrees builds n identical trees with one shell.
func mkTrees(t *testing.T, script string, n int) []string {
	t.Helper()
	var dirs []string
	var all strings.Builder
	all.WriteString("set -e\n")
	for i := 0; i < n; i++ {
		dir := t.TempDir()
		dirs = append(dirs, dir)
		fmt.Fprintf(&all, "cd '%s'\n%s\n", dir, script)
	}
	cmd := exec.Command("/bin/busybox", "sh", "-c", all.String())
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("setup: %v\n%s", err, out)
	}
	return dirs
}

func subst(args []string, dir string) []string {
	out := make([]string, len(args))
	for i, a := range args {
		out[i] = strings.ReplaceAll(a, "$D", dir)
	}
	return out
}

func runAfter(t *testing.T, dir, script string) string {
	t.Helper()
	cmd := exec.Command("/bin/busybox", "sh", "-c", script)
	cmd.Dir = dir
	out, _ := cmd.CombinedOutput()
	return strings.ReplaceAll(string(out), dir, "$D")
}

func runCases(t *testing.T, cases []bbCase) {
	bb := busybox(t)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			setup := c.setup
			if setup == "" {
				setup = stdTree
			}
			trees := mkTrees(t, setup, 2)
			ours, ref := trees[0], trees[1]
			got := cmdtest.Run(t, ours, c.stdin, subst(c.args, ours))
			gotOut := strings.ReplaceAll(got.Stdout, ours, "$D")
			if c.diff != "" {
				if got.Status != c.want {
					t.Errorf("known difference (%s): status %d, want %d\nstdout:\n%s\nstderr:\n%s", c.diff, got.Status, c.want, got.Stdout, got.Stderr)
				}
				return
			}
			cmd := exec.Command(bb, subst(c.args, ref)...)
			cmd.Dir = ref
			cmd.Stdin = strings.NewReader(c.stdin)
			var out, errb bytes.Buffer
			cmd.Stdout, cmd.Stderr = &out, &errb
			err := cmd.Run()
			status := 0
			if ee, ok := err.(*exec.ExitError); ok {
				status = ee.ExitCode()
			} else if err != nil {
				t.Fatal(err)
			}
			wantOut := strings.ReplaceAll(out.String(), ref, "$D")
			if c.norm != nil {
				gotOut, wantOut = c.norm(gotOut), c.norm(wantOut)
			}
			if c.sorted {
				gotOut, wantOut = sortLines(gotOut), sortLines(wantOut)
			}
			if gotOut != wantOut || got.Status != status {
				t.Errorf("%q\nours (status %d):\n%s\nstderr: %s\nbusybox (status %d):\n%s\nstderr: %s",
					c.args, got.Status, gotOut, got.Stderr, status, wantOut, errb.String())
			}
			if c.after != "" {
				a, b := runAfter(t, ours, c.after), runAfter(t, ref, c.after)
				if a != b {
					t.Errorf("%q: state after differs\nours:\n%s\nbusybox:\n%s", c.args, a, b)
				}
			}
		})
	}
}

func sortLines(s string) string {
	lines := strings.Split(strings.TrimSuffix(s, "\n"), "\n")
	slices.Sort(lines)
	return strings.Join(lines, "\n")
}
