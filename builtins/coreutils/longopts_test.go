package coreutils

import (
	"strings"
	"testing"

	"github.com/sockerless/sockerless/builtins/cmdtest"
)

// TestLongOptions runs our command with GNU long options and busybox with
// the equivalent short ones (busybox 1.35 lacks most long spellings).
func TestLongOptions(t *testing.T) {
	bb := busyboxPath(t)
	for _, c := range []struct{ long, short, stdin string }{
		{"sort --key=2,2 --field-separator=, --numeric-sort --reverse csv", "sort -k2,2 -t, -n -r csv", ""},
		{"sort --unique --ignore-case fruits", "sort -u -f fruits", ""},
		{"sort --output=out --stable --key=1,1 fields", "sort -o out -s -k1,1 fields", ""},
		{"uniq --count --ignore-case dups", "uniq -c -i dups", ""},
		{"uniq --repeated --skip-fields=1 fields", "uniq -d -f 1 fields", ""},
		{"cut --fields=1,3 --delimiter=, csv", "cut -f1,3 -d, csv", ""},
		{"cut --characters=2-4 csv", "cut -c2-4 csv", ""},
		{"cut --only-delimited --fields=2 tsv", "cut -s -f2 tsv", ""},
		{"head --lines=3 nums", "head -n 3 nums", ""},
		{"head --bytes=5 nums", "head -c 5 nums", ""},
		{"head --quiet --lines=1 nums noeol", "head -q -n 1 nums noeol", ""},
		{"tail --lines=+18 nums", "tail -n +18 nums", ""},
		{"tail --bytes=5 nums", "tail -c 5 nums", ""},
		{"tail --verbose --lines=1 noeol", "tail -v -n 1 noeol", ""},
		{"wc --lines --words words", "wc -l -w words", ""},
		{"wc --chars --bytes --max-line-length words", "wc -m -c -L words", ""},
		{"cat --number --show-ends noeol", "cat -n -e noeol", ""},
		{"cat --show-all bin", "cat -A bin", ""},
		{"cat --number-nonblank blanks", "cat -b blanks", ""},
		{"tr --delete lo", "tr -d lo", "hello world\n"},
		{"tr --squeeze-repeats --complement a-z", "tr -s -c a-z", "hello,,  world\n"},
		{"base64 --decode", "base64 -d", "aGVsbG8K"},
		{"base64 --wrap=10 bin", "base64 -w 10 bin", ""},
		{"seq --separator=, --equal-width 8 11", "seq -s, -w 8 11", ""},
		{"nl --body-numbering=a --number-width=3 --number-separator=: blanks", "nl -b a -w 3 -s : blanks", ""},
		{"paste --serial --delimiters=, nums", "paste -s -d, nums", ""},
		{"fold --width=10 --spaces long", "fold -w 10 -s long", ""},
		{"expand --tabs=4 --initial tabs", "expand -t 4 -i tabs", ""},
		{"unexpand --all tabs", "unexpand -a tabs", ""},
		{"od --address-radix=x --format=x1 --read-bytes=20 --skip-bytes=2 bin", "od -A x -t x1 -N 20 -j 2 bin", ""},
		{"strings --bytes=3 --radix=x bin", "strings -n 3 -t x bin", ""},
		{"md5sum --check --warn", "md5sum -c -w", "d0a98cceee36ba28ef5b571c15d2b24e  bin\nbad\n"},
		{"cmp --verbose sorted1 sorted2", "cmp -l sorted1 sorted2", ""},
		{"cmp --silent sorted1 sorted2", "cmp -s sorted1 sorted2", ""},
		{"tee --append one", "tee -a one", "more\n"},
	} {
		t.Run(c.long, func(t *testing.T) {
			d1, d2 := t.TempDir(), t.TempDir()
			writeFixtures(t, d1)
			writeFixtures(t, d2)
			r := cmdtest.Run(t, d1, c.stdin, strings.Fields(c.long))
			want, st := runBusybox(t, bb, d2, c.stdin, strings.Fields(c.short))
			if r.Stdout != want || r.Status != st {
				t.Errorf("got (%d) %q\nwant (%d) %q (busybox %s); stderr %q", r.Status, r.Stdout, st, want, c.short, r.Stderr)
			}
		})
	}
}
