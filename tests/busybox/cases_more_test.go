package busybox

import (
	"archive/zip"
	"bytes"
	"os"
	"time"
)

// moreCases: the standalone tools as CI scripts call them by path or
// through env (so the shell's own builtins are bypassed), and the corners
// of options that scripts rely on.
func moreCases() []tcase {
	return []tcase{
		// printf and echo as programs
		{name: "prog/printf-formats", script: `env printf '%s|%5s|%-5s|%d|%05d|%x|%X|%o|%c\n' str ab cd 42 42 255 255 8 zed`},
		{name: "prog/printf-float", script: `env printf '%.2f %.0f %5.1f|%-8.3f|\n' 3.14159 2.5 9.96 1.5`},
		{name: "prog/printf-quote-char", script: `env printf '%d %d\n' "'A" '"z'`},
		{name: "prog/printf-bad-number", script: `env printf '%d\n' abc 2>/dev/null; echo $?`},
		{name: "prog/printf-b", script: `env printf '%b|%s\n' 'a\tb\0101' 'a\tb'`},
		{name: "prog/printf-width-star", script: `env printf '%*d|%-*s|\n' 5 42 4 ab`},
		{name: "prog/printf-missing-args", script: `env printf '%s-%d-%s|\n' only`},
		{name: "prog/printf-hex-octal-in", script: `env printf '%d %d\n' 0x10 010`},
		{name: "prog/echo-bin", script: `/bin/echo -n a; /bin/echo -e 'b\tc'; /bin/echo -- x`},
		{name: "prog/test-bin", script: `/bin/[ abc -eq 1 ] 2>/dev/null; echo $?; /bin/test -d /data; echo $?; /bin/test 2 -lt 10; echo $?`},
		{name: "prog/true-false-env", script: `env true; echo $?; env false; echo $?`},
		{name: "prog/kill-list", script: `kill -l 15; kill -l TERM`},
		{name: "prog/sleep-bad", script: `sleep abc 2>/dev/null; echo $?`},
		{name: "prog/env-chdir-run", script: `cd /data && env sh -c 'pwd'`},

		// more sed
		{name: "sed2/delete-blank", script: `sed '/^$/d' /data/words.txt`},
		{name: "sed2/print-range-numbers", script: `sed -n '2,3p;5p' /data/fruits.txt`},
		{name: "sed2/substitute-print", script: `sed -n 's/apple/APPLE/p' /data/fruits.txt`},
		{name: "sed2/address-negate", script: `sed '/a/!d' /data/fruits.txt`},
		{name: "sed2/regex-addr-subst", script: `sed '/ERROR/s/connection/CONN/' /data/log.txt`},
		{name: "sed2/insert-first", script: `sed '1i header' /data/a.txt`},
		{name: "sed2/append-last", script: `sed '$a footer' /data/a.txt`},
		{name: "sed2/next", script: `seq 6 | sed 'n;d'`},
		{name: "sed2/brace-block", script: `seq 5 | sed '2,4{s/^/>/;s/$/</}'`},
		{name: "sed2/branch-label", script: `echo aaa | sed ':x;s/a/b/;tx'`},
		{name: "sed2/escape-slash", script: `echo 'a/b' | sed 's/\//_/'`},
		{name: "sed2/dot-star-greedy", script: `echo 'k="v1" j="v2"' | sed 's/.*"\(.*\)".*/\1/'`},
		{name: "sed2/extended-plus", script: `echo 'aaa bbb' | sed -E 's/a+/X/'`},
		{name: "sed2/r-flag-alt", script: `echo 'x123y' | sed -r 's/[0-9]{2}/N/'`},
		{name: "sed2/multiline-script", script: "printf 'a\\nb\\n' | sed '\ns/a/A/\ns/b/B/\n'"},
		{name: "sed2/script-file", script: `printf 's/a/A/\ns/e/E/\n' > /tmp/s.sed; sed -f /tmp/s.sed /data/a.txt`},
		{name: "sed2/empty-regex-reuse", script: `echo hello | sed '/l/s//L/g'`},
		{name: "sed2/missing-file", script: `sed p /nope 2>/dev/null; echo $?`},
		{name: "sed2/version-bump", script: `v=$(cat /data/version.txt); echo "$v" | awk -F. '{print $1"."$2"."$3+1}'`},
		{name: "sed2/uppercase-gnu", script: `echo hello | sed 's/.*/\U&/'`, diff: "GNU extension: sed \\U case conversion; busybox sed prints U literally"},

		// more awk
		{name: "awk2/nr-modulo", script: `awk 'NR % 3 == 0' /data/fruits.txt`},
		{name: "awk2/fs-regex", script: `echo 'a1b22c' | awk -F'[0-9]+' '{print $1, $2, $3}'`},
		{name: "awk2/printf-table", script: `awk -F, 'NR>1 {printf "%-6s %3d\n", $1, $2}' /data/people.csv`},
		{name: "awk2/string-concat-num", script: `awk 'BEGIN {x = 1 2; y = "3" + 4; print x, y, x + y}'`},
		{name: "awk2/uninitialized", script: `awk 'BEGIN {print x + 0, "[" x "]", length(x)}'`},
		{name: "awk2/for-c", script: `awk 'BEGIN {for (i = 0; i < 3; i++) printf "%d,", i; print ""}'`},
		{name: "awk2/while-do", script: `awk 'BEGIN {i = 3; do { print i } while (--i > 0)}'`},
		{name: "awk2/next-in-rule", script: `awk '/a/ {next} {print}' /data/fruits.txt`},
		{name: "awk2/in-operator", script: `awk 'BEGIN {a["x"]; if ("x" in a) print "yes"; if (!("y" in a)) print "no"}'`},
		{name: "awk2/multi-dim", script: `awk 'BEGIN {a[1,2] = 3; for (k in a) {split(k, p, SUBSEP); print p[1], p[2], a[k]}}'`},
		{name: "awk2/regex-dynamic", script: `awk -v re='^b' '$0 ~ re' /data/fruits.txt`},
		{name: "awk2/numeric-output-format", script: `awk 'BEGIN {print 0.1 + 0.2, 1e6, 1e20, 100000000, 3.0, 17/4}'`},
		{name: "awk2/convfmt", script: `awk 'BEGIN {OFMT = "%.2f"; print 3.14159; x = 3.14159 ""; print x}'`},
		{name: "awk2/substr-edge", script: `awk 'BEGIN {s = "hello"; print substr(s, 0, 2) "|" substr(s, -1) "|" substr(s, 4, 100) "|" substr(s, 10)}'`},
		{name: "awk2/length-array", script: `awk 'BEGIN {n = split("a b c", arr); print length(arr), n}'`},
		{name: "awk2/getline-cmd", script: `awk 'BEGIN {"echo hi there" | getline x; print x; close("echo hi there")}'`},
		{name: "awk2/system", script: `awk 'BEGIN {r = system("exit 3"); print r}'`},
		{name: "awk2/env", script: `X=from-env awk 'BEGIN {print ENVIRON["X"]}'`},
		{name: "awk2/argv", script: `awk 'BEGIN {for (i = 0; i < ARGC; i++) print i, ARGV[i]}' a b`},
		{name: "awk2/assign-arg", script: `awk '{print v, $0}' v=1 /data/version.txt v=2 /data/version.txt`},
		{name: "awk2/printf-percent-c-num", script: `awk 'BEGIN {printf "%c%c\n", 72, "i"}'`},
		{name: "awk2/compare-fields", script: `awk '$1 > 5' /data/nums.txt`},
		{name: "awk2/sum-columns", script: `awk '{for (i = 1; i <= NF; i++) s[i] += $i} END {print s[1], s[2]}' /data/scores.txt`},
		{name: "awk2/unary-minus-string", script: `awk 'BEGIN {x = "-3"; print -x, x * 2}'`},
		{name: "awk2/regex-class", script: `echo 'ab12cd' | awk '{gsub(/[[:digit:]]/, "#"); print}'`},
		{name: "awk2/ternary-nested", script: `seq 5 | awk '{print ($1 % 2 ? "odd" : "even")}'`},
		{name: "awk2/printf-rounding", script: `awk 'BEGIN {printf "%.0f %.0f %.1f %d\n", 0.5, 1.5, 2.25, -2.7}'`},
		{name: "awk2/int-string", script: `awk 'BEGIN {print int("42abc"), int(""), "10" == 10, "abc" < "abd"}'`},

		// more grep
		{name: "grep2/count-multi", script: `grep -c a /data/a.txt /data/b.txt`},
		{name: "grep2/recursive-include", script: `grep -r --include='*.log' line /data/tree | sort`, diff: "GNU extension: grep --include; Debian busybox grep rejects it"},
		{name: "grep2/ignore-case-count", script: `grep -ic the /data/words.txt`},
		{name: "grep2/only-matching-multi", script: `echo 'a1b22c333' | grep -oE '[0-9]+'`},
		{name: "grep2/quiet-or", script: `grep -qE 'x|apple' /data/fruits.txt && echo found`},
		{name: "grep2/line-number-context", script: `grep -n -C1 cherry /data/fruits.txt`},
		{name: "grep2/invert-count", script: `grep -vc apple /data/fruits.txt`},
		{name: "grep2/with-filename-single", script: `grep -H fig /data/fruits.txt`},
		{name: "grep2/ere-anchored-alt", script: `grep -E '^(a|b)' /data/fruits.txt`},
		{name: "grep2/fixed-dot", script: `printf 'a.b\naxb\n' | grep -F a.b`},
		{name: "grep2/bracket-special", script: `printf 'a]b\na-b\naxb\n' | grep 'a[]-]b'`},
		{name: "grep2/star-first", script: `printf '*x\nx\n' | grep '^*x'`},
		{name: "grep2/interval-ere", script: `grep -E '^[0-9]{3}$' /data/nums.txt`},
		{name: "grep2/word-boundary", script: `echo 'foo foobar' | grep -o '\<foo\>'`},

		// more sort, cut, tr, uniq, wc, head, tail
		{name: "sort2/multi-key", script: `printf 'b 2\na 2\nc 1\n' | sort -k2,2n -k1,1`},
		{name: "sort2/numeric-mixed", script: `printf '10\n9\nabc\n-1\n 5\n' | sort -n`},
		{name: "sort2/reverse-unique", script: `sort -ru /data/dup.txt`},
		{name: "sort2/field-char", script: `printf 'x:b:2\ny:a:1\nz:a:3\n' | sort -t: -k2,2 -k3,3nr`},
		{name: "sort2/month", script: `printf 'Mar\nJan\nFeb\n' | sort -M`},
		{name: "sort2/general-numeric", script: `printf '1e3\n5\n2.5e1\n' | sort -g`},
		{name: "sort2/ignore-leading-blanks", script: `printf ' b\na\n  c\n' | sort -b`},
		{name: "sort2/zero-terminated", script: `printf 'b\0a\0' | sort -z | tr '\0' '\n'`},
		{name: "cut2/complement-gnu", script: `cut -d, -f2 --complement /data/people.csv`},
		{name: "cut2/open-range", script: `echo abcdef | cut -c-3,5-`},
		{name: "cut2/output-delim", script: `cut -d, -f1,3 --output-delimiter=' | ' /data/people.csv`, diff: "GNU extension: cut --output-delimiter (busybox spells it -O)"},
		{name: "tr2/ranges-digits", script: `echo 'phone: 555-1234' | tr -dc '0-9\n'`},
		{name: "tr2/squeeze-newlines", script: `printf 'a\n\n\nb\n' | tr -s '\n'`},
		{name: "tr2/translate-short-set2", script: `echo abcd | tr abcd xy`},
		{name: "tr2/octal", script: `printf 'a b\n' | tr ' ' '\011' | od -c | head -1`},
		{name: "uniq2/skip-fields", script: `printf '1 a\n2 a\n3 b\n' | uniq -f1`},
		{name: "uniq2/count-all", script: `uniq -c /data/dup.txt`},
		{name: "wc2/multi-total", script: `wc /data/a.txt /data/b.txt`},
		{name: "wc2/empty", script: `wc -l -w -c /data/empty.txt`},
		{name: "head2/zero", script: `head -n 0 /data/a.txt; echo end`},
		{name: "head2/stdin-bytes", script: `head -c 3; echo`, stdin: "abcdef\n"},
		{name: "tail2/plus-bytes", script: `tail -c +3 /data/version.txt`},
		{name: "tail2/multi-headers", script: `tail -n 1 /data/a.txt /data/b.txt`},
		{name: "tail2/big", script: `tail -n 3 /data/big.txt`},
		{name: "tail2/quiet", script: `tail -q -n 1 /data/a.txt /data/b.txt`},

		// more files
		{name: "ls2/dir-and-file", script: `ls /data/tree/d /data/a.txt`},
		{name: "ls2/long-numeric-symlink", script: `ls -ln /data/tree | tail -n +2`},
		{name: "ls2/color-never", script: `ls --color=never /data/tree/a`},
		{name: "ls2/dot-dir", script: `cd /data/tree/a && ls`},
		{name: "ls2/one-with-hidden", script: `mkdir /tmp/d; touch /tmp/d/.x /tmp/d/y; ls -1a /tmp/d`},
		{name: "ls2/long-dir-mode", script: `mkdir /tmp/d; chmod 1777 /tmp/d; ls -ld /tmp/d | cut -c1-10`},
		{name: "ls2/setuid", script: `touch /tmp/f; chmod 4755 /tmp/f; ls -l /tmp/f | cut -c1-10; chmod 2644 /tmp/f; ls -l /tmp/f | cut -c1-10`},
		{name: "stat2/perm-string", script: `stat -c '%A' /data/tree /data/tree/d/run.sh /data/tree/link.txt`},
		{name: "stat2/type-names", script: `mkfifo /tmp/p; stat -c '%F' /tmp/p /data/empty.txt /data/a.txt`, diff: "bug: builtins/files + host: mkfifo fails with \"Not implemented on wasip1\" (no host function creates FIFOs)"},
		{name: "stat2/hardlinks-dir", script: `stat -c '%h' /data/tree/a/b/c.txt`},
		{name: "stat2/date-format", script: `stat -c '%y' /data/a.txt | cut -c1-19`},
		{name: "find2/printf-gnu", script: `find /data/tree -type f -name '*.txt' -printf '%f\n' | sort`, diff: "GNU extension: find -printf; Debian busybox find is built without it"},
		{name: "find2/exec-sh", script: `find /data/tree -name '*.log' -exec sh -c 'echo "$(basename "$1"): $(wc -l < "$1")"' _ {} \; | sort`},
		{name: "find2/and-explicit", script: `find /data/tree -type f -a -name 'e*'`},
		{name: "find2/depth-order", script: `find /data/tree/a/b -depth`},
		{name: "find2/newer-touch", script: `mkdir /tmp/d; touch -d '2020-01-01' /tmp/d/old; touch -d '2022-01-01' /tmp/d/new; touch -d '2021-01-01' /tmp/ref; find /tmp/d -newer /tmp/ref`},
		{name: "find2/name-bracket", script: `find /data -maxdepth 1 -name '[ab].txt' | sort`},
		{name: "find2/links-l", script: `find -L /data/tree -type f | sort`},
		{name: "find2/xargs-grep", script: `find /data/tree -type f -name '*.log' | xargs grep -l another`},
		{name: "cp2/recursive-into-existing", script: `mkdir /tmp/t; cp -r /data/tree/d /tmp/t; cp -r /data/tree/d /tmp/t; find /tmp/t | sort`},
		{name: "cp2/trailing-slash", script: `mkdir /tmp/t; cp -r /data/tree/d/ /tmp/t/x; ls /tmp/t/x`},
		{name: "cp2/multiple-to-file", script: `touch /tmp/f; cp /data/a.txt /data/b.txt /tmp/f 2>/dev/null; echo $?`},
		{name: "mv2/overwrite", script: `echo 1 > /tmp/a; echo 2 > /tmp/b; mv /tmp/a /tmp/b; cat /tmp/b; ls /tmp`},
		{name: "mv2/dir-into-dir", script: `mkdir -p /tmp/a /tmp/b; touch /tmp/a/f; mv /tmp/a /tmp/b; find /tmp | sort`},
		{name: "rm2/interactive-free", script: `mkdir -p /tmp/d/e; touch /tmp/d/e/f; rm -r /tmp/d; ls /tmp; echo end`},
		{name: "rm2/root-guard", script: `rm -rf / 2>/dev/null; echo $?; ls /data | head -2`, diff: "intentional GNU behaviour: rm -rf / is refused (--preserve-root); busybox deletes the whole (throw-away) root"},
		{name: "ln2/relative-into-dir", script: `mkdir /tmp/d; cd /tmp && ln -s ../data/a.txt d/; cat d/a.txt 2>/dev/null; echo $?`},
		{name: "ln2/no-deref-dir", script: `mkdir /tmp/d1 /tmp/d2; ln -s /tmp/d1 /tmp/l; ln -sfn /tmp/d2 /tmp/l; readlink /tmp/l`},
		{name: "mkdir2/p-with-mode", script: `mkdir -p -m 711 /tmp/a/b; stat -c '%a' /tmp/a /tmp/a/b`},
		{name: "mkdir2/verbose", script: `mkdir -pv /tmp/x/y`},
		{name: "touch2/date-iso", script: `touch -d '2022-02-22T22:22:22' /tmp/f 2>/dev/null; stat -c %Y /tmp/f`},
		{name: "touch2/at-epoch", script: `touch -d @1000000000 /tmp/f; stat -c %Y /tmp/f`},
		{name: "du2/apparent", script: `du -s --apparent-size /data/tree 2>/dev/null; echo $?`, diff: "GNU option: busybox du has no --apparent-size (the sandbox also prints bytes there where GNU prints KiB)"},
		{name: "du2/summary", script: `du -s /data/tree | cut -f2`},
		{name: "du2/total-blocks", script: `du -s /data/tree/a | cut -f1`, diff: "bug: runtime/sandbox RootMeta estimates st_blocks as ceil(size/512): du counts 10 KiB where Linux allocates 20"},
		{name: "realpath2/symlink-dir", script: `ln -s /data/tree /tmp/t; realpath /tmp/t/d/../a`},
		{name: "readlink2/e-missing", script: `readlink -e /data/tree/dangling; echo $?`},
		{name: "basename2/multiple", script: `basename -a /x/a /y/b 2>/dev/null || basename /x/a; basename -s .txt /a/b.txt 2>/dev/null || echo nosuffix`},
		{name: "which2/found", script: `which sh ls | sed 's|.*/||'`},
		{name: "which2/full-path", script: `which ls`, diff: "design: builtins appear in every bin directory, so which names the first on PATH (/usr/sbin/ls); busybox: /bin/ls"},

		// archives continued
		{name: "tar2/append-list", script: `cd /data && tar cf /tmp/t.tar a.txt && tar rf /tmp/t.tar b.txt && tar tf /tmp/t.tar`},
		{name: "tar2/strip-components", script: `cd /data && tar cf /tmp/t.tar tree/a && mkdir /tmp/x && tar xf /tmp/t.tar -C /tmp/x --strip-components=2 && find /tmp/x | sort`},
		{name: "tar2/file-list-T", script: `cd /data && printf 'a.txt\nb.txt\n' > /tmp/list && tar cf - -T /tmp/list | tar tf -`, diff: "GNU option: tar -T FILE; Debian busybox tar is built without it"},
		{name: "tar2/dir-mtime", script: `cd /data && tar cf - tree/empty | (cd /tmp && tar xf -) && stat -c %Y /tmp/tree/empty`},
		{name: "tar2/verbose-extract", script: `cd /data && tar cf /tmp/t.tar a.txt tree/d && cd /tmp && tar xvf t.tar | sort`},
		{name: "tar2/gz-listing-verbose", script: `cd /data && tar czf /tmp/t.tgz tree/a/x.log && tar tzvf /tmp/t.tgz | awk '{print $1, $3, $4, $5, $6}'`},
		{name: "tar2/overwrite-existing", script: `mkdir /tmp/x && echo old > /tmp/x/a.txt && cd /data && tar cf - a.txt | tar xf - -C /tmp/x && cat /tmp/x/a.txt`},
		{name: "tar2/bad-archive", script: `echo garbage > /tmp/g.tar; tar tf /tmp/g.tar >/dev/null 2>&1; echo $?`},
		{name: "gzip2/levels", script: `gzip -9 -c /data/big.txt | gunzip | md5sum`},
		{name: "gzip2/multiple-files", script: `cp /data/a.txt /data/b.txt /tmp/; gzip /tmp/a.txt /tmp/b.txt; ls /tmp; zcat /tmp/a.txt.gz /tmp/b.txt.gz | wc -l`},
		{name: "gzip2/concatenated", script: `(gzip -c /data/a.txt; gzip -c /data/b.txt) > /tmp/c.gz; zcat /tmp/c.gz`},
		{name: "gzip2/suffix-missing", script: `gunzip /data/a.txt 2>/dev/null; echo $?`},
		{name: "unzip/list", script: `unzip -l /data/sample.zip | awk 'NR>3 {print $1, $4}' | grep -v '^-' | grep .`},
		{name: "unzip/extract", script: `cd /tmp && unzip -q /data/sample.zip && find /tmp/sample | sort && cat /tmp/sample/hello.txt`},
		{name: "unzip/to-dir", script: `unzip -q /data/sample.zip -d /tmp/out && cat /tmp/out/sample/sub/deep.txt`},
		{name: "unzip/pipe", script: `unzip -p /data/sample.zip sample/hello.txt`},
		{name: "unzip/missing", script: `unzip -q /nope.zip 2>/dev/null; echo $?`},
		{name: "unzip/overwrite-n", script: `mkdir -p /tmp/sample && echo mine > /tmp/sample/hello.txt && cd /tmp && unzip -qn /data/sample.zip && cat /tmp/sample/hello.txt`},
		{name: "unzip/mtime", script: `cd /tmp && unzip -q /data/sample.zip && stat -c %Y /tmp/sample/hello.txt`},

		// checksums and encodings continued
		{name: "sum2/sha1-stdin", script: `printf abc | sha1sum`},
		{name: "sum2/sha512-stdin", script: `printf abc | sha512sum | cut -c1-32`},
		{name: "sum2/md5-multi", script: `cd /data/tree && md5sum a/x.log a/y.log d/e.txt`},
		{name: "sum2/check-missing-file", script: `echo 'd41d8cd98f00b204e9800998ecf8427e  /tmp/nope' | md5sum -c 2>/dev/null; echo $?`},
		{name: "sum2/check-bad-line", script: `echo 'garbage' | md5sum -c 2>/dev/null; echo $?`},
		{name: "sum2/verify-artifact", script: `cd /data && sha256sum big.txt > /tmp/big.sha256 && cp big.txt /tmp/ && cd /tmp && sha256sum -c big.sha256`},
		{name: "base64/wrap-default", script: `base64 /data/big.txt | head -2`},
		{name: "base64/no-wrap", script: `base64 -w 0 /data/a.txt; echo`},
		{name: "base64/decode-garbage", script: `echo '!!!' | base64 -d >/dev/null 2>&1; echo $?`},
		{name: "od2/octal-default", script: `printf 'AB' | od`},
		{name: "od2/hex-words", script: `printf 'ABCD' | od -x`},
		{name: "od2/bytes-bin", script: `od -An -tu1 -N8 /data/bytes.bin`},
		{name: "hexdump2/bytes", script: `head -c 20 /data/bytes.bin | hexdump -C`},
		{name: "xxd-less/od-addr", script: `od -Ax -tx1z -N16 /data/fruits.txt`},

		// more shell glue
		{name: "glue/version-compare", script: `v=1.10.2; min=1.9.0; if [ "$(printf '%s\n' "$min" "$v" | sort -V | head -1)" = "$min" ]; then echo ok; fi`},
		{name: "glue/retry-loop", script: `n=0; until [ $n -ge 3 ]; do n=$((n+1)); [ $n -eq 2 ] && break; done; echo tries=$n`},
		{name: "glue/trim-var", script: `x='  padded  '; y="${x#"${x%%[![:space:]]*}"}"; y="${y%"${y##*[![:space:]]}"}"; echo "[$y]"`},
		{name: "glue/lowercase", script: `echo MixedCase | tr '[:upper:]' '[:lower:]'`},
		{name: "glue/count-files", script: `find /data/tree -type f | wc -l | tr -d ' '`},
		{name: "glue/key-lookup", script: `grep '^BAR=' /data/kv.env | cut -d= -f2-`},
		{name: "glue/json-field", script: `sed -n 's/.*"version": *"\([^"]*\)".*/\1/p' /data/json.txt`},
		{name: "glue/csv-to-env", script: `tail -n +2 /data/people.csv | while IFS=, read -r n a c; do echo "export USER_$(echo $n | tr a-z A-Z)=$a"; done`},
		{name: "glue/env-file-source", script: `set -a; . /data/kv.env 2>/dev/null; set +a; sh -c 'echo $FOO $BAR'`},
		{name: "glue/tmpfile-cleanup", script: `tmp=$(mktemp); trap 'rm -f "$tmp"' EXIT; echo data > "$tmp"; cat "$tmp"`},
		{name: "glue/join-lines", script: `paste -sd, /data/a.txt`},
		{name: "glue/max-by-field", script: `tail -n +2 /data/people.csv | sort -t, -k2,2n | tail -1 | cut -d, -f1`},
		{name: "glue/log-summary", script: `awk '{print $3}' /data/log.txt | sort | uniq -c | sort -k1,1nr -k2`},
		{name: "glue/dirname-loop", script: `for f in $(find /data/tree -type f | sort); do dirname "$f"; done | uniq`},
		{name: "glue/ext-strip-loop", script: `for f in /data/tree/a/*.log; do n=${f##*/}; echo "${n%.log}"; done`},
		{name: "glue/case-in-function", script: `os() { case "$1" in linux*) echo L;; darwin*) echo D;; *) echo U;; esac; }; os linux-amd64; os darwin; os x`},
		{name: "glue/exit-trap-status", script: `sh -c 'trap "echo trap \$?" EXIT; exit 3'; echo $?`},
		{name: "glue/wait-all", script: `for i in 1 2 3; do sh -c "exit $i" & done; wait; echo done`},
		{name: "glue/arith-loop-sum", script: `s=0; for i in $(seq 1 100); do s=$((s+i)); done; echo $s`},
		{name: "glue/nested-quotes", script: `echo "a 'b' \"c\" $(echo "d 'e'")"`},
		{name: "glue/heredoc-in-function", script: "f() {\ncat <<EOF\n$1 in heredoc\nEOF\n}\nf arg"},
		{name: "glue/semver-split", script: `IFS=. read -r maj min pat < /data/version.txt; echo "$maj/$min/$pat"`},
		{name: "glue/test-and-or-chain", script: `[ -d /data ] && [ ! -f /data/nope ] || echo bad; echo ok`},
		{name: "glue/command-group-redirect", script: `{ echo one; echo two; } > /tmp/f; wc -l < /tmp/f`},
		{name: "glue/while-read-fd", script: `while read -r a; do read -r b < /data/b.txt; echo "$a $b"; done < /data/a.txt`},
		{name: "glue/set-e-pipe-tail", script: `set -e; false | true; echo reached`},
		{name: "glue/xargs-sh", script: `printf '1\n2\n' | xargs -I% sh -c 'echo item %'`},
		{name: "glue/tee-multi", script: `echo x | tee /tmp/a /tmp/b >/dev/null; cat /tmp/a /tmp/b`},
		{name: "glue/date-filename", script: `d=$(date -u -d @1700000000 +%Y%m%d); echo "backup-$d.tar.gz"`},
		{name: "glue/date-arith", script: `a=$(date -u -d '2024-01-01' +%s); b=$(date -u -d '2024-03-01' +%s); echo $(( (b-a)/86400 ))`},
		{name: "glue/id-and-home", script: `[ "$(id -u)" -eq 0 ] && echo root; echo ~`},
		{name: "glue/umask", script: `umask 077; touch /tmp/f; stat -c %a /tmp/f; umask`, diff: "bug: shell: umask is an unsupported builtin (\"umask: unsupported builtin\", exit 2), so umask 077 has no effect"},
		{name: "glue/exit-code-propagate", script: `sh -c 'sh -c "exit 5"'; echo $?`},
		{name: "glue/getopts-long-script", script: "cat > /tmp/s.sh <<'EOF'\nwhile getopts 'v:q' o; do case $o in v) V=$OPTARG;; q) Q=1;; esac; done\nshift $((OPTIND-1))\necho \"V=$V Q=$Q rest=$*\"\nEOF\nsh /tmp/s.sh -q -v 3 a b"},
		{name: "glue/getopt-program", script: `getopt -o ab: -- -a -b x y`},
		{name: "glue/uname-s-case", script: `case "$(uname -s)" in Linux) echo linux;; *) echo other;; esac`},

		// date
		{name: "date2/day-of-week", script: `date -u -d '2024-02-29' +%A`},
		{name: "date2/padding", script: `date -u -d @3661 '+%H:%M:%S %I %p %k %l'`},
		{name: "date2/year-day", script: `date -u -d '2023-12-31' '+%j %U %W'`},
		{name: "date2/default-format", script: `date -u -d '2001-09-09 01:46:40'`},
		{name: "date2/rfc3339-gnu", script: `date -u -d @0 --rfc-3339=seconds`},
		{name: "date2/percent-n-t", script: `date -u -d @0 '+a%nb%tc%%'`},
		{name: "date2/relative", script: `date -u -d '2024-01-31 12:00:00' +%s`},
	}
}

// sampleZip is a small zip archive for the unzip cases.
func sampleZip() string {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	mt := time.Date(2020, 1, 2, 3, 4, 6, 0, time.UTC)
	add := func(name, body string) {
		h := &zip.FileHeader{Name: name, Method: zip.Deflate, Modified: mt}
		if body == "" && name[len(name)-1] == '/' {
			h.SetMode(os.ModeDir | 0o755)
		} else {
			h.SetMode(0o644)
		}
		w, err := zw.CreateHeader(h)
		if err != nil {
			panic(err)
		}
		if _, err := w.Write([]byte(body)); err != nil {
			panic(err)
		}
	}
	add("sample/", "")
	add("sample/hello.txt", "hello from zip\n")
	add("sample/sub/", "")
	add("sample/sub/deep.txt", "deep in zip\n")
	if err := zw.Close(); err != nil {
		panic(err)
	}
	return buf.String()
}
