package busybox

import (
	"strconv"
	"strings"
)

// fixture is the read-only root both sides start from (busybox's also
// holds /bin). Cases write under /tmp or /work.
var fixture = []fixtureFile{
	{path: "/tmp", dir: true, mode: 0o777 | 01000},
	{path: "/work", dir: true},
	{path: "/root", dir: true, mode: 0o700},
	{path: "/etc/passwd", content: "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n"},
	{path: "/etc/group", content: "root:x:0:\nnogroup:x:65534:\n"},
	{path: "/data/fruits.txt", content: "apple\nbanana\ncherry\napple\ndate\nbanana\napple\nelderberry\nfig\ngrape\n"},
	{path: "/data/nums.txt", content: "10\n2\n33\n4\n-5\n100\n7\n"},
	{path: "/data/people.csv", content: "name,age,city\nalice,30,paris\nbob,25,berlin\ncarol,35,paris\ndave,40,rome\neve,28,berlin\n"},
	{path: "/data/people.tsv", content: "alice\t30\tparis\nbob\t25\tberlin\ncarol\t35\tparis\n"},
	{path: "/data/words.txt", content: "The quick brown fox\njumps over the lazy dog\n\nHello World\n  indented line\ttab\nlast line of text\n"},
	{path: "/data/log.txt", content: strings.Join([]string{
		"2024-01-01 12:00:00 INFO service started",
		"2024-01-01 12:00:05 WARN disk 85% full",
		"2024-01-01 12:01:00 ERROR connection refused host=db1",
		"2024-01-01 12:01:30 INFO retrying",
		"2024-01-01 12:02:00 ERROR connection refused host=db2",
		"2024-01-01 12:03:00 INFO recovered",
		"2024-01-02 00:00:00 DEBUG rotate",
	}, "\n") + "\n"},
	{path: "/data/kv.env", content: "FOO=1\nBAR=two\n# a comment\n\nBAZ=three four\n"},
	{path: "/data/a.txt", content: "apple\nbanana\ncherry\ndate\n"},
	{path: "/data/b.txt", content: "banana\ncherry\negg\nfig\n"},
	{path: "/data/ids.txt", content: "1 alice\n2 bob\n3 carol\n"},
	{path: "/data/scores.txt", content: "1 90\n2 75\n4 60\n"},
	{path: "/data/version.txt", content: "1.2.3\n"},
	{path: "/data/empty.txt", content: ""},
	{path: "/data/noeol.txt", content: "first\nno newline"},
	{path: "/data/crlf.txt", content: "one\r\ntwo\r\n"},
	{path: "/data/dup.txt", content: "a\na\nb\nc\nc\nc\na\n"},
	{path: "/data/config.ini", content: "[main]\nname = demo\nport = 8080\n[db]\nhost = localhost\nport = 5432\n"},
	{path: "/data/json.txt", content: `{"name": "demo", "version": "2.0.1", "tags": ["a", "b"]}` + "\n"},
	{path: "/data/script.sh", content: "#!/bin/sh\necho \"script $# $*\"\nexit 3\n", mode: 0o755},
	{path: "/data/noshebang.sh", content: "echo no shebang \"$1\"\n", mode: 0o755},
	{path: "/data/noexec.sh", content: "#!/bin/sh\necho never\n", mode: 0o644},
	{path: "/data/lib.sh", content: "greet() { echo \"hello $1\"; }\nLIBVAR=loaded\n"},
	{path: "/data/tree", dir: true},
	{path: "/data/tree/a/b/c.txt", content: "deep\n"},
	{path: "/data/tree/a/x.log", content: "log line\n"},
	{path: "/data/tree/a/y.log", content: "another log\nline 2\n"},
	{path: "/data/tree/d/e.txt", content: "e file\n"},
	{path: "/data/tree/d/run.sh", content: "#!/bin/sh\necho run\n", mode: 0o755},
	{path: "/data/tree/with space.txt", content: "spaced\n"},
	{path: "/data/tree/empty", dir: true},
	{path: "/data/tree/link.txt", link: "d/e.txt"},
	{path: "/data/tree/dangling", link: "nowhere"},
	{path: "/data/big.txt", content: bigText()},
	{path: "/data/bytes.bin", content: allBytes()},
	{path: "/data/sample.zip", content: sampleZip()},
}

// bigText is 2000 numbered lines.
func bigText() string {
	var b strings.Builder
	for i := 1; i <= 2000; i++ {
		b.WriteString("line ")
		b.WriteString(strconv.Itoa(i))
		if i%7 == 0 {
			b.WriteString(" seven")
		}
		b.WriteByte('\n')
	}
	return b.String()
}

func allBytes() string {
	b := make([]byte, 256)
	for i := range b {
		b[i] = byte(i)
	}
	return string(b)
}
