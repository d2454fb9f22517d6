package coreutils

import "testing"

func TestCatTacTeeYes(t *testing.T) {
	runCases(t, []bbCase{
		{args: "cat one noeol"},
		{args: "cat -", stdin: "from stdin\n"},
		{args: "cat one - one", stdin: "mid\n"},
		{args: "cat nofile one"},
		{args: "cat -n noeol one"},
		{args: "cat -b blanks noeol"},
		{args: "cat -v bin"},
		{args: "cat -A bin"},
		{args: "cat -e noeol"},
		{args: "cat -t tabs"},
		{args: "cat -vn noeol noeol"},
		{args: "cat -vb blanks"},
		{args: "cat -s blanks", knownDiff: "busybox cat has no -s; we accept GNU's squeeze-blank"},
		{args: "tac noeol noeol"},
		{args: "tac nums"},
		{args: "tac", stdin: "x\ny\n\n"},
		{args: "tee out", stdin: "tee data\n", outFile: "out"},
		{args: "tee -a one", stdin: "appended\n", outFile: "one"},
		{args: "tee out out2", stdin: "two\n", outFile: "out2"},
	})
}

func TestHeadTail(t *testing.T) {
	runCases(t, []bbCase{
		{args: "head nums"},
		{args: "head -3 nums"},
		{args: "head -n 2 nums noeol"},
		{args: "head -n -17 nums"},
		{args: "head -n -1 noeol"},
		{args: "head -c 5 nums"},
		{args: "head -c -45 nums"},
		{args: "head -c 1k big"},
		{args: "head -q -n 1 nums noeol"},
		{args: "head -v -n 1 one"},
		{args: "head -n 2 noeol nofile nums"},
		{args: "head nofile one"},
		{args: "head -n 0 nums"},
		{args: "head -n 1 - one", stdin: "x\ny\n"},
		{args: "head -n x nums"},
		{args: "head --lines=2 nums", knownDiff: "busybox head has no long options; we accept GNU's"},
		{args: "tail nums"},
		{args: "tail -3 nums"},
		{args: "tail +18 nums"},
		{args: "tail -n +18 nums"},
		{args: "tail -n +0 noeol"},
		{args: "tail -c 5 nums"},
		{args: "tail -c +48 nums"},
		{args: "tail nums noeol"},
		{args: "tail -n 1 noeol nums"},
		{args: "tail -n 2 noeol nofile nums"},
		{args: "tail -n1 nofile noeol"},
		{args: "tail -n 0 nums"},
		{args: "tail -q -n1 nums noeol"},
		{args: "tail -v -n1 noeol"},
		{args: "tail -n 1 - noeol", stdin: "in1\nin2"},
		{args: "tail -n 3", stdin: "a\nb\nc\nd\ne\n"},
		{args: "tail -c 3", stdin: "abcdef"},
		{args: "tail -n 5 big"},
		{args: "tail -n 2500 big"},
		{args: "tail -1 noeol"},
		{args: "tail -n 1 empty"},
	})
}
