package files

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/sockerless/sockerless/builtins"
	"github.com/sockerless/sockerless/builtins/cmdtest"
)

// findTree adds names that exercise patterns, hidden files and ages.
const findTree = stdTree + `
mkdir -p d/sub/x .hid
touch d/A.TXT d/sub/x/y.txt .hid/h 'sp ace'
busybox touch -d '2020-01-01 00:00:00' d/old
`

func TestFindBusybox(t *testing.T) {
	s := func(c bbCase) bbCase { c.sorted = true; return c }
	recent := findTree + "busybox touch a; busybox touch -d \"$(busybox date -d @$(( $(busybox date +%s) - 3*86400 - 600 )) '+%Y-%m-%d %H:%M:%S')\" b.txt\n"
	runCases(t, []bbCase{
		s(bbCase{name: "all", setup: findTree, args: []string{"find"}}),
		s(bbCase{name: "dot", setup: findTree, args: []string{"find", "."}}),
		s(bbCase{name: "dir-arg", setup: findTree, args: []string{"find", "d"}}),
		s(bbCase{name: "dir-slash", setup: findTree, args: []string{"find", "d/"}}),
		s(bbCase{name: "abs", setup: findTree, args: []string{"find", "$D/d"}}),
		s(bbCase{name: "two-paths", setup: findTree, args: []string{"find", "d", "e", "a"}}),
		s(bbCase{name: "missing", setup: findTree, args: []string{"find", "nope", "a"}}),
		s(bbCase{name: "name", setup: findTree, args: []string{"find", ".", "-name", "*.txt"}}),
		s(bbCase{name: "name-dir-slash", setup: findTree, args: []string{"find", "d/", "-name", "d"}}),
		s(bbCase{name: "iname", setup: findTree, args: []string{"find", ".", "-iname", "*.txt"}}),
		s(bbCase{name: "name-class", setup: findTree, args: []string{"find", ".", "-name", "[a-c]*"}}),
		s(bbCase{name: "name-hidden", setup: findTree, args: []string{"find", ".", "-name", "*h*"}}),
		s(bbCase{name: "path", setup: findTree, args: []string{"find", ".", "-path", "./d/*"}}),
		s(bbCase{name: "ipath", setup: findTree, args: []string{"find", ".", "-ipath", "*/a.txt"}}),
		s(bbCase{name: "wholename", setup: findTree, args: []string{"find", ".", "-wholename", "*sub*"}}),
		s(bbCase{name: "regex", setup: findTree, args: []string{"find", ".", "-regex", `.*/[a-z]*\.txt`}}),
		s(bbCase{name: "regex-group", setup: findTree, args: []string{"find", ".", "-regex", `\./d/\(sub\|f1\)`}}),
		s(bbCase{name: "type-f", setup: findTree, args: []string{"find", ".", "-type", "f"}}),
		s(bbCase{name: "type-d", setup: findTree, args: []string{"find", ".", "-type", "d"}}),
		s(bbCase{name: "type-l", setup: findTree, args: []string{"find", ".", "-type", "l"}}),
		s(bbCase{name: "type-p", setup: findTree + "mkfifo fifo\n", args: []string{"find", ".", "-type", "p"}}),
		s(bbCase{name: "type-bad", setup: findTree, args: []string{"find", ".", "-type", "q"}}),
		s(bbCase{name: "maxdepth", setup: findTree, args: []string{"find", ".", "-maxdepth", "1"}}),
		s(bbCase{name: "maxdepth0", setup: findTree, args: []string{"find", "d", "e", "-maxdepth", "0"}}),
		s(bbCase{name: "mindepth", setup: findTree, args: []string{"find", ".", "-mindepth", "2"}}),
		s(bbCase{name: "min-max", setup: findTree, args: []string{"find", ".", "-mindepth", "1", "-maxdepth", "2", "-type", "d"}}),
		{name: "depth", setup: "mkdir -p x/y/z\n", args: []string{"find", "x", "-depth"}},
		{name: "preorder", setup: "mkdir -p x/y/z\n", args: []string{"find", "x"}},
		s(bbCase{name: "not", setup: findTree, args: []string{"find", ".", "!", "-name", "*.txt", "-type", "f"}}),
		s(bbCase{name: "not-word", setup: findTree, args: []string{"find", ".", "-not", "-type", "d"}}),
		s(bbCase{name: "or", setup: findTree, args: []string{"find", ".", "-name", "a", "-o", "-name", "f1"}}),
		s(bbCase{name: "or-print", setup: findTree, args: []string{"find", ".", "-name", "a", "-o", "-name", "f1", "-print"}}),
		s(bbCase{name: "parens", setup: findTree, args: []string{"find", ".", "(", "-name", "a", "-o", "-name", "*.c", ")", "-type", "f"}}),
		s(bbCase{name: "and-words", setup: findTree, args: []string{"find", ".", "-type", "f", "-and", "-name", "*.txt", "-or", "-type", "l"}}),
		s(bbCase{name: "prune", setup: findTree, args: []string{"find", ".", "-name", "d", "-prune", "-o", "-print"}}),
		s(bbCase{name: "prune-type", setup: findTree, args: []string{"find", ".", "-type", "d", "-name", ".hid", "-prune", "-o", "-type", "f", "-print"}}),
		s(bbCase{name: "size-c", setup: findTree, args: []string{"find", ".", "-type", "f", "-size", "+5c"}}),
		s(bbCase{name: "size-minus", setup: findTree, args: []string{"find", ".", "-type", "f", "-size", "-1k"}}),
		s(bbCase{name: "size-exact", setup: findTree, args: []string{"find", ".", "-size", "20c"}}),
		s(bbCase{name: "size-blocks", setup: findTree, args: []string{"find", ".", "-size", "0"}}),
		s(bbCase{name: "empty", setup: findTree, args: []string{"find", ".", "-empty"}}),
		s(bbCase{name: "perm-exact", setup: findTree, args: []string{"find", ".", "-perm", "640"}}),
		s(bbCase{name: "perm-all", setup: findTree, args: []string{"find", ".", "-type", "f", "-perm", "-u+x"}}),
		s(bbCase{name: "perm-any", setup: findTree, args: []string{"find", ".", "-perm", "/o+w"}}),
		s(bbCase{name: "perm-dash-octal", setup: findTree, args: []string{"find", ".", "-perm", "-644", "-type", "f"}}),
		s(bbCase{name: "mtime-old", setup: findTree, args: []string{"find", ".", "-mtime", "+1000"}}),
		s(bbCase{name: "mtime-recent", setup: recent, args: []string{"find", ".", "-mtime", "-1"}}),
		s(bbCase{name: "mtime-exact", setup: recent, args: []string{"find", ".", "-mtime", "3"}}),
		s(bbCase{name: "mmin", setup: recent, args: []string{"find", ".", "-mmin", "-10"}}),
		s(bbCase{name: "newer", setup: findTree + "busybox touch -d '2020-03-04 05:06:08' a\n", args: []string{"find", ".", "-newer", "b.txt"}}),
		s(bbCase{name: "newer-missing", setup: findTree, args: []string{"find", ".", "-newer", "nope"}}),
		s(bbCase{name: "user", setup: findTree + "chown 1 a\n", args: []string{"find", ".", "-user", "daemon"}}),
		s(bbCase{name: "user-num", setup: findTree + "chown 1 a\n", args: []string{"find", ".", "!", "-user", "0"}}),
		s(bbCase{name: "group", setup: findTree + "chgrp bin a\n", args: []string{"find", ".", "-group", "bin"}}),
		s(bbCase{name: "user-unknown", setup: findTree, args: []string{"find", ".", "-user", "nosuchuser"}}),
		s(bbCase{name: "links", setup: findTree, args: []string{"find", ".", "-type", "d", "-links", "+2"}}),
		s(bbCase{name: "print0", setup: findTree, args: []string{"find", "d", "-name", "f*", "-print0"}}),
		s(bbCase{name: "exec", setup: findTree, args: []string{"find", ".", "-name", "*.txt", "-exec", "echo", "got", "{}", ";"}}),
		s(bbCase{name: "exec-embedded", setup: findTree, args: []string{"find", "d", "-type", "f", "-exec", "echo", "x{}y", ";"}}),
		{name: "exec-plus", setup: "mkdir q; touch q/one\n", args: []string{"find", "q", "-type", "f", "-exec", "echo", "[", "{}", "]", "+"}},
		{name: "exec-fail-status", setup: findTree, args: []string{"find", "a", "-exec", "false", ";"}},
		{name: "exec-fail-filter", setup: findTree, args: []string{"find", "a", "b.txt", "-exec", "test", "-s", "{}", ";", "-print"}},
		{name: "exec-plus-fail", setup: findTree, args: []string{"find", "a", "-exec", "false", "{}", "+"}},
		{name: "exec-missing-term", setup: findTree, args: []string{"find", ".", "-exec", "echo"}},
		{name: "delete", setup: findTree, args: []string{"find", "d", "-name", "*.c", "-delete"}, diff: "Debian busybox 1.35 is built without find -delete; see TestFindDelete", want: 0},
		{name: "quit", setup: "mkdir q; touch q/one\n", args: []string{"find", "q", "-print", "-quit"}},
		s(bbCase{name: "follow-L", setup: findTree, args: []string{"find", "-L", ".", "-type", "d"}}),
		s(bbCase{name: "follow-word", setup: findTree, args: []string{"find", ".", "-follow", "-name", "f1"}}),
		s(bbCase{name: "H", setup: findTree, args: []string{"find", "-H", "ld"}}),
		s(bbCase{name: "link-arg-no-follow", setup: findTree, args: []string{"find", "ld"}}),
		s(bbCase{name: "xdev", setup: findTree, args: []string{"find", ".", "-xdev", "-type", "f"}}),
		s(bbCase{name: "inum-none", setup: findTree, args: []string{"find", ".", "-inum", "1"}}),
		s(bbCase{name: "unknown-primary", setup: findTree, args: []string{"find", ".", "-bogus"}}),
		s(bbCase{name: "missing-arg", setup: findTree, args: []string{"find", ".", "-name"}}),
		s(bbCase{name: "unpaired", setup: findTree, args: []string{"find", ".", "(", "-name", "a"}}),
		s(bbCase{name: "double-not", setup: findTree, args: []string{"find", ".", "!", "!", "-name", "a"}}),
		s(bbCase{name: "printf", setup: findTree, args: []string{"find", ".", "-printf", `%p\n`}, diff: "busybox 1.35 find has no -printf (GNU extension)", want: 0}),
		s(bbCase{name: "iregex", setup: findTree, args: []string{"find", ".", "-iregex", `.*A\.txt`}, diff: "busybox 1.35 find has no -iregex (GNU extension)", want: 0}),
	})
}

// TestFindGNUExtensions checks what busybox cannot be compared on.
func TestFindGNUExtensions(t *testing.T) {
	dir := mkTree(t, findTree+"chown 54321:8 a\n")
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"find", "d", "-maxdepth", "1", "-name", "f1", "-printf", `%p|%f|%h|%P|%H|%s|%m|%M|%d|%y|%n\n`}, "d/f1|f1|d|f1|d|20|755|-rwxr-xr-x|1|f|1\n"},
		{[]string{"find", "la", "-printf", `%l %y %Y %%\n`}, "a l f %\n"},
		{[]string{"find", "a", "-printf", `%U:%G %u %TY-%Tm-%Td %TT %T@\n`}, "54321:8 54321 2020-03-04 05:06:07 1583298367.0000000000\n"},
		{[]string{"find", "a", "-printf", `[%5s][%-3d]\t%f\0`}, "[    6][0  ]\ta\x00"},
		{[]string{"find", ".", "-iregex", `.*/a\.TXT`}, "./d/A.TXT\n"},
		{[]string{"find", ".", "-uid", "54321"}, "./a\n"},
		{[]string{"find", ".", "-gid", "8"}, "./a\n"},
		{[]string{"find", "d", "-size", "-1M", "-name", "f1"}, "d/f1\n"},
		{[]string{"find", "a", "-true", "-print", "-false", "-print"}, "a\n"},
		{[]string{"find", "d/f1", "-executable"}, "d/f1\n"},
		{[]string{"find", "la", "-samefile", "la"}, "la\n"},
	}
	for _, c := range cases {
		got := cmdtest.Run(t, dir, "", c.args)
		if got.Stdout != c.want || got.Status != 0 {
			t.Errorf("%q: got %q (status %d, %s), want %q", c.args, got.Stdout, got.Status, got.Stderr, c.want)
		}
	}
}

func TestFindLoop(t *testing.T) {
	dir := mkTree(t, "mkdir -p x/y; ln -s .. x/y/up\n")
	got := cmdtest.Run(t, dir, "", []string{"find", "-L", "x"})
	if !strings.Contains(got.Stderr, "loop") || got.Status != 1 {
		t.Errorf("loop not detected: %+v", got)
	}
	if n := strings.Count(got.Stdout, "\n"); n != 2 {
		t.Errorf("want x and x/y only, got %q", got.Stdout)
	}
}

// The tests link only this package: give find -exec the few commands it
// runs, unless the real ones are linked in.
func init() {
	stub := func(name string, run func(env *builtins.Env, args []string) int) {
		if _, ok := builtins.Lookup(name); !ok {
			builtins.Register(&builtins.Command{Name: name, Run: func(_ context.Context, env *builtins.Env, args []string) int { return run(env, args) }})
		}
	}
	stub("echo", func(env *builtins.Env, args []string) int {
		fmt.Fprintln(env.Stdout, strings.Join(args[1:], " "))
		return 0
	})
	stub("false", func(*builtins.Env, []string) int { return 1 })
	stub("test", func(env *builtins.Env, args []string) int { // only "test -s FILE"
		if fi, err := os.Stat(env.Abs(args[len(args)-1])); err == nil && fi.Size() > 0 {
			return 0
		}
		return 1
	})
}

func TestFindDelete(t *testing.T) {
	dir := mkTree(t, findTree)
	got := cmdtest.Run(t, dir, "", []string{"find", "d", "-name", "*.c", "-delete"})
	if got.Status != 0 || got.Stdout != "" {
		t.Fatalf("%+v", got)
	}
	if _, err := os.Lstat(dir + "/d/sub/deep.c"); err == nil {
		t.Error("deep.c not deleted")
	}
	got = cmdtest.Run(t, dir, "", []string{"find", "d", "-delete"})
	if _, err := os.Lstat(dir + "/d"); got.Status != 0 || err == nil {
		t.Errorf("d not deleted: %+v", got)
	}
	got = cmdtest.Run(t, dir, "", []string{"find", ".", "-delete"})
	if ents, _ := os.ReadDir(dir); got.Status != 0 || len(ents) != 0 {
		t.Errorf("tree not emptied: %+v %v", got, ents)
	}
}
