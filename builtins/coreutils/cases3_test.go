package coreutils

import "testing"

func TestNlPasteFold(t *testing.T) {
	runCases(t, []bbCase{
		{args: "nl blanks"},
		{args: "nl noeol"},
		{args: "nl -b a blanks"},
		{args: "nl -b n blanks"},
		{args: "nl -s : words"},
		{args: "nl -w 3 nums"},
		{args: "nl -v 5 -i 2 blanks"},
		{args: "nl one nofile noeol"},
		{args: "nl", stdin: "x\n\ny\n"},
		{args: "nl -n ln blanks", knownDiff: "busybox 1.35 nl has no -n; we follow GNU"},
		{args: "paste sorted1 noeol"},
		{args: "paste -d, sorted1 noeol"},
		{args: "paste -d ,: sorted1 noeol sorted2"},
		{args: "paste -s sorted1 noeol"},
		{args: "paste -s -d, nums"},
		{args: "paste - sorted1", stdin: "a\nb\n"},
		{args: "paste - -", stdin: "1\n2\n3\n4\n5\n"},
		{argv: []string{"paste", "-d", `\n`, "sorted1", "sorted2"}},
		{argv: []string{"paste", "-sd", `\t,`, "nums"}},
		{args: "paste sorted1 nofile"},
		{args: "fold -w 5 tabs"},
		{args: "fold -w 20 long"},
		{args: "fold -s -w 20 long"},
		{args: "fold -b -w 3 tabs"},
		{args: "fold -w 10", stdin: "hello world foo bar baz\n"},
		{args: "fold -sw 10", stdin: "hello world foo bar baz"},
		{args: "fold -w 4", stdin: "ab\bc\rdefghijkl\n"},
		{args: "fold long"},
		{args: "expand tabs"},
		{args: "expand -t 4 tabs"},
		{args: "expand -i tabs"},
		{args: "expand -t 3", stdin: "a\tbb\tccc\td\n"},
		{args: "unexpand tabs"},
		{args: "unexpand", stdin: "        a       b  c\n    x\n  \ty z\n"},
		{args: "unexpand -a", stdin: "        a       b  c\n    x\n  \ty z\nabcdefg  x\n"},
		{args: "unexpand -t 4", stdin: "        a       b  c\n    x\n  \ty z\n"},
		{args: "unexpand -f", stdin: "        a       b  c\n"},
		{args: "unexpand -a tabs"},
		{args: "expand", stdin: "a\x00b\tc\n\x00\n"},
		{args: "unexpand -a", stdin: "a\x00        b\n"},
	})
}

func TestCmp(t *testing.T) {
	runCases(t, []bbCase{
		{args: "cmp sorted1 sorted2"},
		{args: "cmp -l sorted1 sorted2"},
		{args: "cmp -s sorted1 sorted2"},
		{args: "cmp nums nums"},
		{args: "cmp nums big"},
		{args: "cmp big nums"},
		{args: "cmp -l nums big"},
		{args: "cmp -n 2 sorted1 sorted2"},
		{args: "cmp -n 1k sorted1 sorted2"},
		{args: "cmp sorted1 nofile"},
		{args: "cmp -s sorted1 nofile"},
		{args: "cmp nums big 0 0"},
		{args: "cmp - sorted1", stdin: "apple\nbanana\ncherries\n"},
		{args: "cmp sorted1", stdin: "apple\n"},
		{args: "cmp fruits dups 1 1"},
		{args: "cmp bin bin"},
	})
}
