package files

import (
	"regexp"
	"testing"
)

// normStat blanks what differs between two trees built seconds apart:
// inode numbers, change and access times.
var (
	statInodeRe = regexp.MustCompile(`Inode: [0-9]+ *`)
	statTimeRe  = regexp.MustCompile(`(Access|Change): 20[0-9-]+ [0-9:.]+ [+-][0-9]+`)
)

func normStat(s string) string {
	s = statInodeRe.ReplaceAllString(s, "Inode: N ")
	return statTimeRe.ReplaceAllString(s, "$1: T")
}

func TestChmodBusybox(t *testing.T) {
	const modes = "busybox find . -mindepth 1 -exec busybox stat -c '%n %a' {} + | busybox sort"
	runCases(t, []bbCase{
		{name: "octal", args: []string{"chmod", "600", "a"}, after: modes},
		{name: "octal-4", args: []string{"chmod", "4755", "a"}, after: modes},
		{name: "u+x", args: []string{"chmod", "u+x", "a"}, after: modes},
		{name: "go-w", setup: stdTree + "chmod 666 a\n", args: []string{"chmod", "go-w", "a"}, after: modes},
		{name: "a=r", args: []string{"chmod", "a=r", "a", "b.txt"}, after: modes},
		{name: "plus-x", args: []string{"chmod", "+x", "a"}, after: modes},
		{name: "minus-x-as-mode", args: []string{"chmod", "-x", "d/f1"}, after: modes},
		{name: "equals-empty", args: []string{"chmod", "=", "a"}, after: modes},
		{name: "multi", args: []string{"chmod", "u=rwx,g=rx,o=", "a"}, after: modes},
		{name: "copy-who", args: []string{"chmod", "g=u", "b.txt"}, after: modes},
		{name: "sticky", args: []string{"chmod", "+t", "e"}, after: modes},
		{name: "setgid", args: []string{"chmod", "g+s", "d"}, after: modes},
		{name: "X-recursive", args: []string{"chmod", "-R", "a+X", "d"}, after: modes},
		{name: "recursive", args: []string{"chmod", "-R", "700", "d"}, after: modes},
		{name: "recursive-skips-links", setup: stdTree + "ln -s ../a d/lnk\n", args: []string{"chmod", "-R", "600", "d"}, after: modes},
		{name: "link-arg-followed", args: []string{"chmod", "600", "la"}, after: modes},
		{name: "verbose", args: []string{"chmod", "-v", "644", "a", "d/f1"}, after: modes},
		{name: "changes", args: []string{"chmod", "-c", "644", "a", "d/f1"}, after: modes},
		{name: "missing", args: []string{"chmod", "644", "nope", "a"}, after: modes},
		{name: "missing-quiet", args: []string{"chmod", "-f", "644", "nope"}},
		{name: "bad-mode", args: []string{"chmod", "u+q", "a"}, after: modes},
		{name: "bad-octal", args: []string{"chmod", "8", "a"}},
		{name: "no-file", args: []string{"chmod", "644"}},
		{name: "recursive-verbose", args: []string{"chmod", "-Rv", "go-rwx", "d"}, sorted: true, after: modes},
		{name: "long-opts", args: []string{"chmod", "--recursive", "755", "d"}, diff: "GNU long options accepted; busybox 1.35 chmod has none", want: 0},
	})
}

func TestChownBusybox(t *testing.T) {
	const owners = "busybox find . -mindepth 1 -exec busybox stat -c '%n %u:%g' {} + | busybox sort"
	runCases(t, []bbCase{
		{name: "user", args: []string{"chown", "daemon", "a"}, after: owners},
		{name: "user-group", args: []string{"chown", "bin:daemon", "a"}, after: owners},
		{name: "user-dot-group", args: []string{"chown", "bin.daemon", "a"}, after: owners},
		{name: "numeric", args: []string{"chown", "123:456", "a"}, after: owners},
		{name: "group-only", args: []string{"chown", ":bin", "a"}, after: owners},
		{name: "user-colon", args: []string{"chown", "daemon:", "a"}, after: owners},
		{name: "unknown-user", args: []string{"chown", "nosuchuser", "a"}, after: owners},
		{name: "unknown-group", args: []string{"chown", ":nosuchgroup", "a"}, after: owners},
		{name: "recursive", args: []string{"chown", "-R", "1:2", "d"}, after: owners},
		{name: "link-followed", args: []string{"chown", "7:7", "la"}, after: owners},
		{name: "link-h", args: []string{"chown", "-h", "7:7", "la"}, after: owners},
		{name: "recursive-links", setup: stdTree + "ln -s ../a d/lnk\n", args: []string{"chown", "-R", "5:5", "d"}, after: owners},
		{name: "recursive-L", setup: stdTree + "mkdir x; ln -s ../d x/ld\n", args: []string{"chown", "-RL", "5:5", "x"}, after: owners},
		{name: "verbose", args: []string{"chown", "-v", "1:1", "a", "b.txt"}, after: owners},
		{name: "changes", setup: stdTree + "chown 1:1 a\n", args: []string{"chown", "-c", "1:1", "a", "b.txt"}, after: owners},
		{name: "missing", args: []string{"chown", "1", "nope"}},
		{name: "chgrp", args: []string{"chgrp", "daemon", "a", "b.txt"}, after: owners},
		{name: "chgrp-numeric-R", args: []string{"chgrp", "-R", "42", "d"}, after: owners},
		{name: "chgrp-verbose", args: []string{"chgrp", "-v", "bin", "a"}, after: owners},
		{name: "chgrp-unknown", args: []string{"chgrp", "nosuchgroup", "a"}},
	})
}

func TestStatBusybox(t *testing.T) {
	runCases(t, []bbCase{
		{name: "default", args: []string{"stat", "a"}, norm: normStat},
		{name: "dir", args: []string{"stat", "d"}, norm: normStat},
		{name: "symlink", args: []string{"stat", "la"}, norm: normStat},
		{name: "symlink-L", args: []string{"stat", "-L", "la"}, norm: normStat},
		{name: "empty", args: []string{"stat", "empty"}, norm: normStat},
		{name: "dev", args: []string{"stat", "/dev/null"}, norm: normStat},
		{name: "format", args: []string{"stat", "-c", "%n %s %a %A %F %U %G %u %g %h %Y %y %b %B %f %o %N", "a", "d", "la", "empty", "d/f1"}},
		{name: "format-widths", args: []string{"stat", "-c", "[%-10n][%8s][%04a][%#o][%5h]%%", "a"}},
		{name: "format-trailing-percent", args: []string{"stat", "-c", "%n %", "a"}},
		{name: "format-unknown", args: []string{"stat", "-c", "%n %q", "a"}},
		{name: "format-N", args: []string{"stat", "-c", "%N", "dangling", "a"}},
		{name: "format-L", args: []string{"stat", "-L", "-c", "%n %F %s", "la", "ld"}},
		{name: "terse", args: []string{"stat", "-t", "a"}, norm: func(s string) string { return regexp.MustCompile(` [0-9]+ 1 0 0 `).ReplaceAllString(s, " N 1 0 0 ") }},
		{name: "missing", args: []string{"stat", "nope", "a"}, norm: normStat},
		{name: "fifo", setup: "mkfifo p\n", args: []string{"stat", "-c", "%F %a", "p"}},
		{name: "owner", setup: stdTree + "chown 1:2 a; chown 54321:54321 b.txt\n", args: []string{"stat", "-c", "%U %G %u %g", "a", "b.txt"}},
		{name: "fs", args: []string{"stat", "-f", "."}, diff: "no statfs in WASI: figures come from /proc/sockerless/df or are zero", want: 0},
	})
}
