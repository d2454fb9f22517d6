package files

import "testing"

// state lists every file of a tree with its type, mode, size and link target.
const state = "busybox find . -mindepth 1 -exec busybox stat -c '%n %A %s %N' {} + | busybox sort"

// stateTimes adds modification times (for -p, -a and touch).
const stateTimes = "busybox find . -mindepth 1 -exec busybox stat -c '%n %A %s %Y %u:%g' {} + | busybox sort"

func TestCpBusybox(t *testing.T) {
	runCases(t, []bbCase{
		{name: "file", args: []string{"cp", "a", "new"}, after: state + "; busybox cat new"},
		{name: "into-dir", args: []string{"cp", "a", "b.txt", "e"}, after: state},
		{name: "trailing-slash-dir", args: []string{"cp", "a", "e/"}, after: state},
		{name: "overwrite-keeps-mode", args: []string{"cp", "a", "b.txt"}, after: state},
		{name: "mode-from-source", args: []string{"cp", "d/f1", "x"}, after: state},
		{name: "setuid-kept", setup: stdTree + "chmod 4755 a\n", args: []string{"cp", "a", "x"}, after: state},
		{name: "dir-without-r", args: []string{"cp", "d", "x"}, after: state},
		{name: "recursive", args: []string{"cp", "-r", "d", "x"}, after: state},
		{name: "recursive-R-into", args: []string{"cp", "-R", "d", "e"}, after: state},
		{name: "recursive-links-kept", setup: stdTree + "ln -s ../a d/lnk\n", args: []string{"cp", "-r", "d", "x"}, after: state},
		{name: "archive", setup: stdTree + "ln -s ../a d/lnk\nchmod 700 d/sub\n", args: []string{"cp", "-a", "d", "x"}, after: stateTimes},
		{name: "preserve", args: []string{"cp", "-p", "b.txt", "x"}, after: stateTimes},
		{name: "deref-L", setup: stdTree + "ln -s ../a d/lnk\n", args: []string{"cp", "-rL", "d", "x"}, after: state},
		{name: "link-followed", args: []string{"cp", "la", "x"}, after: state},
		{name: "link-P", args: []string{"cp", "-P", "la", "x"}, after: state},
		{name: "link-d", args: []string{"cp", "-d", "ld", "x"}, after: state},
		{name: "no-clobber", args: []string{"cp", "-n", "a", "b.txt"}, after: state + "; busybox cat b.txt"},
		{name: "missing", args: []string{"cp", "nope", "x"}, after: state},
		{name: "many-not-dir", args: []string{"cp", "a", "b.txt", "empty"}, after: state},
		{name: "target-t", args: []string{"cp", "-t", "e", "a", "b.txt"}, after: state},
		{name: "no-target-T", args: []string{"cp", "-rT", "d", "e"}, after: state},
		{name: "verbose", args: []string{"cp", "-v", "a", "b.txt", "e"}, after: state},
		{name: "verbose-r", args: []string{"cp", "-rv", "d", "x"}, sorted: true, after: state},
		{name: "same-file", args: []string{"cp", "a", "a"}, after: state},
		{name: "hardlink", args: []string{"cp", "-l", "a", "x"}, after: "busybox stat -c '%h' a x"},
		{name: "symlink-s", args: []string{"cp", "-s", "a", "x"}, after: state},
		{name: "update-older", setup: stdTree + "busybox touch -d '2001-01-01' b.txt\n", args: []string{"cp", "-u", "b.txt", "a"}, after: "busybox cat a"},
		{name: "update-newer", setup: stdTree + "busybox touch -d '2001-01-01' a\n", args: []string{"cp", "-u", "b.txt", "a"}, after: "busybox cat a"},
		{name: "long-opts", args: []string{"cp", "--recursive", "--preserve", "d", "x"}, diff: "GNU long options accepted; busybox 1.35 cp has none", want: 0},
		{name: "dir-into-itself", args: []string{"cp", "-r", "d", "d/sub"}},
		{name: "one-arg", args: []string{"cp", "a"}},
		{name: "contents-dot", args: []string{"cp", "-r", "d/.", "e"}, after: state},
		{name: "contents-dot-new", args: []string{"cp", "-a", "d/.", "x"}, after: state},
		{name: "into-existing-copy", setup: stdTree + "mkdir -p x/d; echo old > x/d/f1\n", args: []string{"cp", "-r", "d", "x"}, after: state + "; busybox cat x/d/f1"},
		{name: "dangling-R", args: []string{"cp", "-R", "dangling", "x"}, after: state},
		{name: "dangling-follow", args: []string{"cp", "dangling", "x"}, after: state},
		{name: "fifo-r", setup: stdTree + "mkfifo p\n", args: []string{"cp", "-r", "p", "x"}, after: state},
	})
}

func TestMvBusybox(t *testing.T) {
	runCases(t, []bbCase{
		{name: "rename", args: []string{"mv", "a", "x"}, after: state},
		{name: "into-dir", args: []string{"mv", "a", "b.txt", "e"}, after: state},
		{name: "dir", args: []string{"mv", "d", "x"}, after: state},
		{name: "dir-into-dir", args: []string{"mv", "d", "e"}, after: state},
		{name: "overwrite", args: []string{"mv", "a", "b.txt"}, after: state},
		{name: "no-clobber", args: []string{"mv", "-n", "a", "b.txt"}, after: state},
		{name: "verbose", args: []string{"mv", "-v", "a", "x"}, after: state},
		{name: "missing", args: []string{"mv", "nope", "x"}, after: state},
		{name: "target-t", args: []string{"mv", "-t", "e", "a", "empty"}, after: state},
		{name: "T-onto-empty-dir", args: []string{"mv", "-T", "d/sub", "e"}, after: state},
		{name: "symlink", args: []string{"mv", "ld", "e"}, after: state},
		{name: "not-dir", args: []string{"mv", "a", "b.txt", "empty"}, after: state},
		{name: "dir-over-file", args: []string{"mv", "d", "a"}, after: state},
		{name: "force", args: []string{"mv", "-f", "a", "d/f1"}, after: state},
	})
}

func TestRmBusybox(t *testing.T) {
	runCases(t, []bbCase{
		{name: "file", args: []string{"rm", "a"}, after: state},
		{name: "missing", args: []string{"rm", "nope", "a"}, after: state},
		{name: "force-missing", args: []string{"rm", "-f", "nope"}, after: state},
		{name: "force-no-args", args: []string{"rm", "-f"}},
		{name: "dir", args: []string{"rm", "d"}, after: state},
		{name: "recursive", args: []string{"rm", "-r", "d", "ld"}, after: state},
		{name: "recursive-R-f", args: []string{"rm", "-Rf", "d", "nope"}, after: state},
		{name: "symlink-to-dir-not-followed", args: []string{"rm", "-rf", "ld"}, after: state},
		{name: "d-empty", args: []string{"rm", "-d", "e"}, diff: "GNU rm -d; busybox 1.35 lacks it", want: 0},
		{name: "d-nonempty", args: []string{"rm", "-d", "d"}, diff: "GNU rm -d; busybox 1.35 lacks it", want: 1},
		{name: "verbose", args: []string{"rm", "-v", "a", "b.txt"}, after: state},
		{name: "verbose-r", args: []string{"rm", "-rv", "d"}, sorted: true, after: state},
		{name: "dot", args: []string{"rm", "-rf", "."}, after: state},
		{name: "dotdot", args: []string{"rm", "-rf", "d/.."}, after: state},
		{name: "long", args: []string{"rm", "--recursive", "--force", "d"}, diff: "GNU long options accepted; busybox 1.35 rm has none", want: 0},
		{name: "interactive-no", args: []string{"rm", "-i", "a"}, stdin: "n\n", after: state},
		{name: "interactive-yes", args: []string{"rm", "-i", "a", "b.txt"}, stdin: "y\nn\n", after: state},
		{name: "dangling", args: []string{"rm", "dangling"}, after: state},
	})
}

func TestRmdirBusybox(t *testing.T) {
	runCases(t, []bbCase{
		{name: "empty", args: []string{"rmdir", "e"}, after: state},
		{name: "nonempty", args: []string{"rmdir", "d"}, after: state},
		{name: "missing", args: []string{"rmdir", "nope"}},
		{name: "file", args: []string{"rmdir", "a"}},
		{name: "parents", setup: "mkdir -p x/y/z\n", args: []string{"rmdir", "-p", "x/y/z"}, after: state},
		{name: "parents-stop", setup: "mkdir -p x/y/z; touch x/f\n", args: []string{"rmdir", "-p", "x/y/z"}, after: state},
		{name: "ignore", args: []string{"rmdir", "--ignore-fail-on-non-empty", "d"}},
		{name: "verbose", setup: "mkdir -p x/y\n", args: []string{"rmdir", "-pv", "x/y"}, after: state},
	})
}

func TestMkdirBusybox(t *testing.T) {
	runCases(t, []bbCase{
		{name: "one", args: []string{"mkdir", "x"}, after: state},
		{name: "exists", args: []string{"mkdir", "d"}, after: state},
		{name: "missing-parent", args: []string{"mkdir", "x/y"}, after: state},
		{name: "parents", args: []string{"mkdir", "-p", "x/y/z", "d/sub"}, after: state},
		{name: "mode", args: []string{"mkdir", "-m", "700", "x"}, after: state},
		{name: "mode-symbolic", args: []string{"mkdir", "-m", "u=rwx,g=rx,o=", "x"}, after: state},
		{name: "mode-parents", args: []string{"mkdir", "-p", "-m", "750", "x/y/z"}, after: state},
		{name: "mode-sticky", args: []string{"mkdir", "-m", "1777", "x"}, after: state},
		{name: "verbose", args: []string{"mkdir", "-pv", "x//y/z"}, after: state},
		{name: "over-file", args: []string{"mkdir", "-p", "a/b"}},
		{name: "long", args: []string{"mkdir", "--parents", "--mode=0700", "x/y"}, after: state},
		{name: "bad-mode", args: []string{"mkdir", "-m", "rwx", "x"}, after: state},
	})
}

func TestLnBusybox(t *testing.T) {
	runCases(t, []bbCase{
		{name: "symlink", args: []string{"ln", "-s", "a", "x"}, after: state},
		{name: "hard", args: []string{"ln", "a", "x"}, after: "busybox stat -c '%n %h' a x"},
		{name: "exists", args: []string{"ln", "-s", "a", "b.txt"}, after: state},
		{name: "force", args: []string{"ln", "-sf", "a", "b.txt"}, after: state},
		{name: "into-dir", args: []string{"ln", "-s", "/etc/passwd", "../a", "e"}, after: state},
		{name: "into-link-dir", args: []string{"ln", "-s", "a", "ld"}, after: state},
		{name: "no-deref", args: []string{"ln", "-sfn", "e", "ld"}, after: state},
		{name: "T", args: []string{"ln", "-sT", "a", "e/x"}, after: state},
		{name: "verbose", args: []string{"ln", "-sv", "a", "x"}, after: state},
		{name: "one-arg", args: []string{"ln", "-s", "d/f1"}, after: state},
		{name: "hard-dir", args: []string{"ln", "d", "x"}, after: state},
		{name: "hard-missing", args: []string{"ln", "nope", "x"}, after: state},
		{name: "link", args: []string{"link", "a", "x"}, after: "busybox stat -c '%n %h' a x"},
		{name: "unlink", args: []string{"unlink", "a"}, after: state},
		{name: "unlink-missing", args: []string{"unlink", "nope"}},
		{name: "unlink-dir", args: []string{"unlink", "e"}},
	})
}

func TestTouchBusybox(t *testing.T) {
	runCases(t, []bbCase{
		{name: "create", args: []string{"touch", "x", "y"}, after: state},
		{name: "no-create", args: []string{"touch", "-c", "x"}, after: state},
		{name: "date", args: []string{"touch", "-d", "2021-05-06 07:08:09", "a", "x"}, after: stateTimes},
		{name: "date-T", args: []string{"touch", "-d", "2021-05-06T07:08", "a"}, after: stateTimes},
		{name: "date-hour", args: []string{"touch", "-d", "2021-05-06 07", "a"}, norm: nil, after: "busybox stat -c %y a | busybox cut -c1-13"},
		{name: "date-month-name", args: []string{"touch", "-d", "Feb 3 04:05:06 2007", "a"}, after: stateTimes},
		{name: "date-dots", args: []string{"touch", "-d", "2007.02.03-04:05:06", "a"}, after: stateTimes},
		{name: "date-zone", args: []string{"touch", "-d", "2007-02-03 04:05:06 +0200", "a"}, after: stateTimes},
		{name: "date-day", args: []string{"touch", "-d", "2021-05-06", "a"}, after: "busybox stat -c %y a | busybox cut -c1-10"},
		{name: "date-epoch", args: []string{"touch", "-d", "@1600000000", "a"}, after: stateTimes},
		{name: "stamp", args: []string{"touch", "-t", "202105060708.09", "a"}, after: stateTimes},
		{name: "stamp-short", args: []string{"touch", "-t", "2105060708", "a"}, after: stateTimes},
		{name: "reference", setup: stdTree + "busybox touch -d '1999-01-01 00:00:00' ref\n", args: []string{"touch", "-r", "ref", "a"}, after: stateTimes},
		{name: "mtime-only", args: []string{"touch", "-m", "-d", "2010-01-01 01:02:03", "a"}, after: stateTimes},
		{name: "bad-date", args: []string{"touch", "-d", "yesterday-ish", "a"}, after: stateTimes},
		{name: "missing-dir", args: []string{"touch", "nope/x"}},
		{name: "mkfifo", args: []string{"mkfifo", "p1", "p2"}, after: state},
		{name: "mkfifo-mode", args: []string{"mkfifo", "-m", "600", "p1"}, after: state},
		{name: "mkfifo-exists", args: []string{"mkfifo", "a"}, after: state},
	})
}
