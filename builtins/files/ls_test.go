package files

import (
	"regexp"
	"testing"
)

var inodeRe = regexp.MustCompile(`(?m)^ *[0-9]+ `)

func normInodes(s string) string { return inodeRe.ReplaceAllString(s, "INO ") }

func TestLsBusybox(t *testing.T) {
	recent := stdTree + "\nbusybox touch -d '2026-11-01 10:00:00' a\n"
	runCases(t, []bbCase{
		{name: "plain", args: []string{"ls"}},
		{name: "one", args: []string{"ls", "-1"}},
		{name: "all", args: []string{"ls", "-a"}},
		{name: "almost", args: []string{"ls", "-A"}},
		{name: "long", args: []string{"ls", "-l"}},
		{name: "long-all", args: []string{"ls", "-la", "d"}},
		{name: "long-human", args: []string{"ls", "-lh", "d"}},
		{name: "long-numeric", args: []string{"ls", "-n"}},
		{name: "long-g", args: []string{"ls", "-lg", "d"}},
		{name: "dir-d", args: []string{"ls", "-ld", "d", "a"}},
		{name: "d-noargs", args: []string{"ls", "-d"}},
		{name: "recursive", args: []string{"ls", "-R"}},
		{name: "recursive-long", args: []string{"ls", "-lR", "d"}},
		{name: "reverse", args: []string{"ls", "-r"}},
		{name: "by-size", args: []string{"ls", "-S"}},
		{name: "by-size-rev", args: []string{"ls", "-Sr", "d"}},
		{name: "by-time", setup: stdTree + "busybox touch -d '2021-01-01' b.txt; busybox touch -d '2019-01-01' empty\n", args: []string{"ls", "-t"}},
		{name: "by-ext", setup: "touch z.a y.b x.a w c.d.e\n", args: []string{"ls", "-X"}},
		{name: "classify", args: []string{"ls", "-F"}},
		{name: "slash", args: []string{"ls", "-p"}},
		{name: "classify-long", args: []string{"ls", "-lF"}},
		{name: "inode", args: []string{"ls", "-i", "a"}, norm: normInodes},
		{name: "full-time", args: []string{"ls", "--full-time", "a", "d"}},
		{name: "recent", setup: recent, args: []string{"ls", "-l", "a"}},
		{name: "multiple", args: []string{"ls", "a", "d", "e", "la"}},
		{name: "missing", args: []string{"ls", "nope", "a"}},
		{name: "symlink-dir-arg", args: []string{"ls", "ld"}},
		{name: "symlink-dir-arg-l", args: []string{"ls", "-l", "ld"}},
		{name: "L", args: []string{"ls", "-lL", "d"}},
		{name: "columns", setup: "touch aaa bbbbbbbbbbbb c dddddd eeeeeeeeeeeeeeeeeeeeeeeeeeeeeee f g h i j k l m n o p\n", args: []string{"ls", "-C"}},
		{name: "across", setup: "touch aaa bbbbbbbbbbbb c dddddd eeeeeeeeeeeeeeeeeeeeeeeeeeeeeee f g h i j k l m n o p\n", args: []string{"ls", "-x"}},
		{name: "width", setup: "touch aaa bbbbbbbbbbbb c dddddd f g h i j k l m n o p\n", args: []string{"ls", "-C", "-w", "30"}},
		{name: "blocks", args: []string{"ls", "-s", "d"}},
		{name: "quote", setup: "touch 'a\"b' c\n", args: []string{"ls", "-Q"}},
		{name: "abs-path", args: []string{"ls", "$D/d"}},
		{name: "trailing-slash-R", args: []string{"ls", "-R", "d/"}},
		{name: "color-never", args: []string{"ls", "--color=never"}},
		{name: "setuid-sticky", setup: stdTree + "chmod 4755 a; chmod 1777 e; chmod 2750 d; mkfifo fifo\n", args: []string{"ls", "-l"}},
		{name: "dirs-first", args: []string{"ls", "--group-directories-first"}},
		{name: "version", setup: "touch f10 f9 f1 f100\n", args: []string{"ls", "-v"}},
	})
}
