package files

import (
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/sockerless/sockerless/builtins"
	"github.com/sockerless/sockerless/builtins/cmdtest"
)

func TestPathsBusybox(t *testing.T) {
	gnu := "GNU option; busybox 1.35 lacks it"
	runCases(t, []bbCase{
		{name: "readlink", args: []string{"readlink", "la"}},
		{name: "readlink-dir", args: []string{"readlink", "ld"}},
		{name: "readlink-notlink", args: []string{"readlink", "a"}},
		{name: "readlink-missing", args: []string{"readlink", "nope"}},
		{name: "readlink-f", args: []string{"readlink", "-f", "la"}},
		{name: "readlink-f-dir", args: []string{"readlink", "-f", "ld/sub/../f1"}},
		{name: "readlink-f-dangling", args: []string{"readlink", "-f", "dangling"}},
		{name: "readlink-f-missing-parent", args: []string{"readlink", "-f", "nope/x"}},
		{name: "readlink-f-plain", args: []string{"readlink", "-f", "./d//f1"}},
		{name: "readlink-n", args: []string{"readlink", "-n", "la"}},
		{name: "readlink-v", args: []string{"readlink", "-v", "a"}},
		{name: "readlink-e", args: []string{"readlink", "-e", "dangling"}, diff: gnu, want: 1},
		{name: "readlink-m", args: []string{"readlink", "-m", "nope/x/../y"}, diff: gnu, want: 0},
		{name: "realpath", args: []string{"realpath", "la", "ld", "a", "d/sub/.."}},
		{name: "realpath-missing", args: []string{"realpath", "nope", "a"}},
		{name: "realpath-dangling", args: []string{"realpath", "dangling"}},
		{name: "realpath-abs", args: []string{"realpath", "$D/ld/../a"}},
		{name: "realpath-relative-to", args: []string{"realpath", "--relative-to=d", "a"}, diff: gnu, want: 0},
		{name: "realpath-s", args: []string{"realpath", "-s", "ld"}, diff: gnu, want: 0},
		{name: "basename", args: []string{"basename", "/a/b/"}},
		{name: "basename-suffix", args: []string{"basename", "dir/a.txt", ".txt"}},
		{name: "basename-suffix-whole", args: []string{"basename", ".txt", ".txt"}},
		{name: "basename-s", args: []string{"basename", "-s", ".c", "x.c", "y/z.c"}},
		{name: "basename-a", args: []string{"basename", "-a", "a/b", "c/d/"}},
		{name: "basename-root", args: []string{"basename", "/"}},
		{name: "basename-slashes", args: []string{"basename", "///"}},
		{name: "basename-empty", args: []string{"basename", ""}},
		{name: "basename-none", args: []string{"basename"}},
		{name: "basename-dash-name", args: []string{"basename", "--", "-x"}},
		{name: "dirname", args: []string{"dirname", "/a/b/"}},
		{name: "dirname-rel", args: []string{"dirname", "a"}},
		{name: "dirname-root", args: []string{"dirname", "/"}},
		{name: "dirname-double", args: []string{"dirname", "//a//b//"}},
		{name: "dirname-empty", args: []string{"dirname", ""}},
		{name: "dirname-none", args: []string{"dirname"}},
		{name: "dirname-many", args: []string{"dirname", "a/b", "c/d"}, diff: "GNU takes several names; busybox 1.35 only one", want: 0},
		{name: "sync", args: []string{"sync"}},
	})
}

var tmpNameRe = regexp.MustCompile(`[A-Za-z0-9]{6}\n`)

func TestMktempBusybox(t *testing.T) {
	norm := func(s string) string { return tmpNameRe.ReplaceAllString(s, "RANDOM\n") }
	const tmpState = "busybox find . -mindepth 1 -name 'foo*' -exec busybox stat -c '%F %a' {} + | busybox sort"
	runCases(t, []bbCase{
		{name: "p", args: []string{"mktemp", "-p", ".", "fooXXXXXX"}, norm: norm, after: tmpState},
		{name: "d", args: []string{"mktemp", "-d", "-p", ".", "fooXXXXXX"}, norm: norm, after: tmpState},
		{name: "template-cwd", args: []string{"mktemp", "fooXXXXXX"}, norm: norm, after: tmpState},
		{name: "dry", args: []string{"mktemp", "-u", "-p", ".", "fooXXXXXX"}, norm: norm, after: tmpState},
		{name: "bad-template", args: []string{"mktemp", "foo"}, after: tmpState},
		{name: "missing-dir", args: []string{"mktemp", "-p", "nope", "fooXXXXXX"}},
		{name: "quiet", args: []string{"mktemp", "-q", "-p", "nope", "fooXXXXXX"}},
	})
	// The default name: /tmp or $TMPDIR, "tmp." and six random letters.
	dir := t.TempDir()
	got := cmdtest.Run(t, dir, "", []string{"mktemp"}, "TMPDIR="+dir)
	if !regexp.MustCompile(`^` + regexp.QuoteMeta(dir) + `/tmp\.[A-Za-z0-9]{6}\n$`).MatchString(got.Stdout) {
		t.Errorf("mktemp: %+v", got)
	}
	if fi, err := os.Stat(strings.TrimSpace(got.Stdout)); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("mktemp file: %v %v", fi, err)
	}
}

func TestSizesBusybox(t *testing.T) {
	sizes := "busybox find . -mindepth 1 -type f -exec busybox stat -c '%n %s' {} + | busybox sort"
	big := stdTree + "busybox dd if=/dev/zero of=big bs=1024 count=300 2>/dev/null; busybox dd if=/dev/zero of=d/sub/mid bs=1000 count=33 2>/dev/null; ln d/f1 d/hard\n"
	runCases(t, []bbCase{
		{name: "truncate", args: []string{"truncate", "-s", "3", "b.txt"}, after: sizes},
		{name: "truncate-grow", args: []string{"truncate", "-s", "1K", "a"}, after: sizes},
		{name: "truncate-create", args: []string{"truncate", "-s", "7", "new"}, after: sizes},
		{name: "truncate-c", args: []string{"truncate", "-c", "-s", "7", "new"}, after: sizes},
		{name: "truncate-no-size", args: []string{"truncate", "a"}, after: sizes},
		{name: "truncate-M", args: []string{"truncate", "-s", "2M", "a"}, after: sizes},
		{name: "truncate-plus", args: []string{"truncate", "-s", "+5", "a"}, diff: "GNU relative sizes; busybox 1.35 rejects them", want: 0},
		{name: "du", setup: big, args: []string{"du"}, sorted: true},
		{name: "du-s", setup: big, args: []string{"du", "-s", "d", "big"}},
		{name: "du-a", setup: big, args: []string{"du", "-a", "d"}, sorted: true},
		{name: "du-h", setup: big, args: []string{"du", "-sh", "."}},
		{name: "du-h-files", setup: big, args: []string{"du", "-ah", "d"}, sorted: true},
		{name: "du-k", setup: big, args: []string{"du", "-k", "big"}},
		{name: "du-m", setup: big, args: []string{"du", "-m", "big", "a"}},
		{name: "du-c", setup: big, args: []string{"du", "-c", "big", "a"}},
		{name: "du-d", setup: big, args: []string{"du", "-d", "1", "."}, sorted: true},
		{name: "du-b", setup: big, args: []string{"du", "-b", "big", "a", "d/sub"}},
		{name: "du-l", setup: big, args: []string{"du", "-al", "d"}, sorted: true},
		{name: "du-link", setup: big, args: []string{"du", "ld", "la"}},
		{name: "du-L", setup: big, args: []string{"du", "-L", "ld"}, sorted: true},
		{name: "du-H", setup: big, args: []string{"du", "-sH", "ld"}},
		{name: "du-missing", setup: big, args: []string{"du", "nope", "a"}},
		{name: "du-x", setup: big, args: []string{"du", "-sx", "."}},
		{name: "df-header", args: []string{"df"}, diff: "no statfs in WASI: one line for / from /proc/sockerless/df", want: 0},
	})
}

func TestDfFormat(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"df"}, "Filesystem           1K-blocks      Used Available Use% Mounted on\noverlay                      0         0         0   0% /\n"},
		{[]string{"df", "-h"}, "Filesystem                Size      Used Available Use% Mounted on\noverlay                      0         0         0   0% /\n"},
		{[]string{"df", "-P"}, "Filesystem           1024-blocks    Used Available Capacity Mounted on\noverlay                      0         0         0   0% /\n"},
		{[]string{"df", "-T"}, "Filesystem           Type       1K-blocks      Used Available Use% Mounted on\noverlay              overlay            0         0         0   0% /\n"},
	} {
		if _, err := os.Stat("/proc/sockerless/df"); err == nil {
			t.Skip("host publishes real figures")
		}
		got := cmdtest.Run(t, dir, "", c.args)
		if got.Stdout != c.want || got.Status != 0 {
			t.Errorf("%q:\n%q\nwant\n%q", c.args, got.Stdout, c.want)
		}
	}
	// The figures of a host file are formatted like busybox's.
	fi := fsInfo{bsize: 4096, blocks: 66053021, bfree: 62973456, bavail: 20795751}
	used := fi.blocks - fi.bfree
	if got := humanReadable(fi.blocks, fi.bsize, 1024); got != "264212084" {
		t.Errorf("blocks %s", got)
	}
	if got := humanReadable(used, fi.bsize, 0); got != "11.7G" {
		t.Errorf("used %s", got)
	}
}

func TestDdBusybox(t *testing.T) {
	const data = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ\n"
	setup := stdTree + "printf '" + strings.TrimSuffix(data, "\n") + "\\n' > in\n"
	outState := "busybox od -c out 2>&1; busybox stat -c %s out"
	gnu := "GNU conversion; busybox 1.35 lacks it"
	runCases(t, []bbCase{
		{name: "stdin-stdout", args: []string{"dd", "status=none"}, stdin: data},
		{name: "files", setup: setup, args: []string{"dd", "if=in", "of=out"}, after: outState},
		{name: "bs-count", setup: setup, args: []string{"dd", "if=in", "bs=10", "count=2"}},
		{name: "skip", setup: setup, args: []string{"dd", "if=in", "bs=10", "skip=3"}},
		{name: "skip-stdin", args: []string{"dd", "bs=4", "skip=2", "count=3"}, stdin: data},
		{name: "seek", setup: setup, args: []string{"dd", "if=in", "of=a", "bs=2", "seek=2", "count=1"}, after: "busybox od -c a"},
		{name: "notrunc", setup: setup, args: []string{"dd", "if=in", "of=b.txt", "bs=1", "count=3", "conv=notrunc"}, after: "busybox cat b.txt"},
		{name: "trunc", setup: setup, args: []string{"dd", "if=in", "of=b.txt", "bs=1", "count=3"}, after: "busybox cat b.txt"},
		{name: "sync", setup: setup, args: []string{"dd", "if=a", "of=out", "bs=16", "conv=sync"}, after: outState},
		{name: "ibs-obs", setup: setup, args: []string{"dd", "if=in", "of=out", "ibs=7", "obs=5"}, after: outState},
		{name: "count-bytes", setup: setup, args: []string{"dd", "if=in", "bs=8", "count=13", "iflag=count_bytes"}},
		{name: "skip-bytes", setup: setup, args: []string{"dd", "if=in", "bs=8", "skip=5", "iflag=skip_bytes", "count=1"}},
		{name: "seek-bytes", setup: setup, args: []string{"dd", "if=in", "of=out", "bs=8", "seek=3", "oflag=seek_bytes", "count=1"}, after: outState},
		{name: "append", setup: setup, args: []string{"dd", "if=in", "of=a", "bs=4", "count=1", "oflag=append,", "conv=notrunc"}, after: "busybox cat a"},
		{name: "suffix", setup: setup, args: []string{"dd", "if=/dev/zero", "of=out", "bs=1k", "count=2"}, after: "busybox stat -c %s out"},
		{name: "swab", args: []string{"dd", "conv=swab", "status=none"}, stdin: "abcdef"},
		{name: "fullblock", setup: setup, args: []string{"dd", "if=in", "bs=20", "iflag=fullblock", "count=2"}},
		{name: "missing-input", args: []string{"dd", "if=nope"}},
		{name: "bad-operand", args: []string{"dd", "foo"}},
		{name: "bad-number", args: []string{"dd", "bs=x"}},
		{name: "ucase", args: []string{"dd", "conv=ucase", "status=none"}, stdin: "abc", diff: gnu, want: 0},
	})
}

func TestDdStats(t *testing.T) {
	got := cmdtest.Run(t, "", "0123456789", []string{"dd", "bs=4"})
	if got.Stdout != "0123456789" || !strings.HasPrefix(got.Stderr, "2+1 records in\n2+1 records out\n10 bytes (10B) copied, ") {
		t.Errorf("%+v", got)
	}
	got = cmdtest.Run(t, "", "0123456789", []string{"dd", "ibs=3", "obs=4", "status=noxfer"})
	if got.Stderr != "3+1 records in\n2+1 records out\n" {
		t.Errorf("%q", got.Stderr)
	}
	got = cmdtest.Run(t, "", "abc", []string{"dd", "conv=ucase", "status=none"})
	if got.Stdout != "ABC" || got.Stderr != "" {
		t.Errorf("%+v", got)
	}
}

// install is not in Debian's busybox build: check it directly.
func TestInstall(t *testing.T) {
	dir := mkTree(t, stdTree)
	run := func(args ...string) cmdtest.Result {
		t.Helper()
		r := cmdtest.Run(t, dir, "", args)
		if r.Status != 0 {
			t.Fatalf("%q: %+v", args, r)
		}
		return r
	}
	mode := func(name string) os.FileMode {
		t.Helper()
		fi, err := os.Stat(dir + "/" + name)
		if err != nil {
			t.Fatal(err)
		}
		return fi.Mode()
	}
	run("install", "a", "x")
	if m := mode("x"); m.Perm() != 0o755 {
		t.Errorf("default mode %v", m)
	}
	run("install", "-m", "640", "a", "b.txt", "e")
	if m := mode("e/b.txt"); m.Perm() != 0o640 {
		t.Errorf("-m 640: %v", m)
	}
	run("install", "-d", "-m", "700", "p/q/r")
	if m := mode("p/q/r"); !m.IsDir() || m.Perm() != 0o700 {
		t.Errorf("-d: %v", m)
	}
	run("install", "-D", "-m", "u=rw,go=r", "a", "new/deep/file")
	if m := mode("new/deep/file"); m.Perm() != 0o644 {
		t.Errorf("-D: %v", m)
	}
	run("install", "-t", "p", "a", "b.txt")
	if data, _ := os.ReadFile(dir + "/p/a"); string(data) != "hello\n" {
		t.Errorf("-t: %q", data)
	}
	r := run("install", "-v", "-o", "daemon", "-g", "bin", "-s", "-c", "a", "owned")
	if r.Stdout != "'a' -> 'owned'\n" {
		t.Errorf("-v: %q", r.Stdout)
	}
	fi, _ := builtinsStat(dir + "/owned")
	if fi.Uid != 1 || fi.Gid != 2 {
		t.Errorf("owner %d:%d", fi.Uid, fi.Gid)
	}
	run("install", "-p", "a", "kept")
	if a, k := mustStat(t, dir+"/a"), mustStat(t, dir+"/kept"); !a.ModTime().Equal(k.ModTime()) {
		t.Errorf("-p: %v vs %v", a.ModTime(), k.ModTime())
	}
	// Over a symlink, install replaces the link instead of writing through.
	run("install", "b.txt", "la")
	if fi, _ := os.Lstat(dir + "/la"); fi.Mode()&os.ModeSymlink != 0 {
		t.Error("link not replaced")
	}
	if data, _ := os.ReadFile(dir + "/a"); string(data) != "hello\n" {
		t.Errorf("wrote through link: %q", data)
	}
	if r := cmdtest.Run(t, dir, "", []string{"install", "-o", "nosuchuser", "a", "z"}); r.Status != 1 {
		t.Errorf("unknown user: %+v", r)
	}
	if r := cmdtest.Run(t, dir, "", []string{"install", "nope", "z"}); r.Status != 1 {
		t.Errorf("missing source: %+v", r)
	}
}

func mustStat(t *testing.T, name string) os.FileInfo {
	t.Helper()
	fi, err := os.Stat(name)
	if err != nil {
		t.Fatal(err)
	}
	return fi
}

func builtinsStat(name string) (*builtins.StatT, error) {
	fi, err := builtins.NativeSys{}.Stat(name)
	if err != nil {
		return nil, err
	}
	return statT(fi), nil
}
