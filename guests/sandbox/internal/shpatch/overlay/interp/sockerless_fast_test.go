//go:build ignore

package interp

// Differential test of sockerless's fast paths (expand, interp, internal):
// every script runs with them and without them, and stdout, stderr and
// the exit status must agree. `make test-shpatch` runs it in the patched
// module.

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"mvdan.cc/sh/v3/expand"
	"mvdan.cc/sh/v3/internal"
	"mvdan.cc/sh/v3/syntax"
)

var sockerlessFastScripts = []string{
	// words: literals, quotes, parameters, arithmetic
	`a=x; echo $a "$a" '$a' ${a} "${a}y" z$a$a`,
	`e=; printf '<%s>' [$e] "$e" $e$e "" '' x""; echo`,
	`printf '<%s>' $e "" $e'' "$e$e" a$e; echo`,
	`s='a b  c'; printf '<%s>' $s "$s" x$s "${s}"; echo`,
	`IFS=:; s='a:b::c'; printf '<%s>' $s "$s" $((1+2)); echo`,
	`IFS=; s='a b'; printf '<%s>' $s "$s"; echo`,
	`IFS=5; n=1; printf '<%s>' $((n+4)) $((n*15)) x$((50)); echo`,
	`IFS=' -'; printf '<%s>' $((0-5)) $((3)); echo`,
	`n=7; echo $((n)) $((n+1)) "$((n*2))" x$((n/2))y $(( (n+1) % 3 )) $((n > 3 ? 1 : 0))`,
	`i=1; echo $((i++)) $((++i)) $((i+=2)) $i "$((i--))" $i`,
	`x=y; y=3; echo $((x+1)) $((x))`,
	`set -- 1 2 3 4 5 6 7 8 9 ten; echo $1 ${9} ${10} $10 ${#10} ${11-u}`,
	`echo $((1/0)); echo after`,
	`a=1; echo "$((a/0))"; echo after`,
	`echo ~ ~/x "~" x~; HOME=/h; echo ~ ~/y a=~`,
	`b='{1,2}'; echo {a,b} x{1..3} $b "{a,b}"`,
	`echo a\ b "a\"b" 'a\b' "\$x" \$x`,
	`echo $'a\tb' $"c"`,
	`set -- p1 'p 2' p3; echo $1 "$2" $# "$@" $* "$*" ${1}x; printf '<%s>' "$@" $@; echo`,
	`f() { echo "$1" $2 $#; }; f a 'b c' d`,
	`arr=(x 'y z'); echo $arr "$arr" ${arr[1]} "${arr[@]}" ${#arr[@]}`,
	`declare -A m=([k]=v); echo $m "$m" ${m[k]}`,
	`declare -n r=a; a=target; echo $r "$r"; r=new; echo $a`,
	`RANDOM=42; echo $RANDOM $RANDOM "$RANDOM"; x=RANDOM; echo $((x)) $((x))`,
	`echo $LINENO "$LINENO"`,
	`set -u; echo ${unset1-d}; echo $unset2; echo after`,
	`set -u; x="$unset3"; echo after`,
	`set -u; echo $((unset4 + 1)); echo ok`,
	`readonly ro=1; ro=$((ro+1)); echo $ro`,
	`x=5; x=$((x*x)) y="$x" z=$x$x; echo $x $y $z`,
	`a="q r"; b=$a; c="$a"; echo "$b|$c"`,
	`v=$'a\x00b' 2>/dev/null; echo "${#v}"`,
	// globbing (the test runs in a directory holding a.txt, b.txt, [x], c d)
	`echo *.txt "*.txt" '*'.txt [ab].txt ? x* \*.txt`,
	`p='*.txt'; echo $p "$p" x$p; q='[x]'; echo $q "$q" [x] [`,
	`set -f; echo *.txt; p='*'; echo $p`,
	`shopt -s nullglob; echo *.nope none; p='*.nope'; echo $p`,
	`shopt -s dotglob; echo *; shopt -s failglob; echo *.zz; echo after`,
	`echo [ ] [] '[' "]"`,
	// test and [
	`for a in '' x 0 1 -1 ' 2 ' 3x '!' '(' ')' -n -z = -eq '~' '\x' 'a\b'; do
		[ "$a" ]; r1=$?; [ -n "$a" ]; r2=$?; [ -z "$a" ]; r3=$?
		[ "$a" = x ]; r4=$?; [ "$a" != x ]; r5=$?; [ "$a" == '' ]; r6=$?
		[ "$a" -eq 1 ] 2>/dev/null; r7=$?; [ "$a" -lt 2 ] 2>/dev/null; r8=$?; [ 3 -ge "$a" ] 2>/dev/null; r9=$?
		test "$a" -ne 0 2>/dev/null; r10=$?; test "$a" -le 0 2>/dev/null; r11=$?; test "$a" -gt 0 2>/dev/null; r12=$?
		echo "$a: $r1 $r2 $r3 $r4 $r5 $r6 $r7 $r8 $r9 $r10 $r11 $r12"
	done`,
	`[ ]; echo $?; [ -n ]; echo $?; [ ! x ]; echo $?; [ x -a y ]; echo $?; [ '' -o y ]; echo $?; [ a = ]; echo $?`,
	`[ ~ = ~ ]; echo $?; [ x = ~ ]; echo $?; [ x; echo $?; test; echo $?`,
	`[ -f a.txt ]; echo $?; [ -d . ]; echo $?; [ -e nope ]; echo $?`,
	// case and [[ ]] patterns
	`for f in 1 5 15 22 x7 '' 'a b' é 5é é5 [x] '*' '?' 'x.y' .; do
		case $f in *5) echo "$f five";; [0-9][0-9]) echo "$f two";; *[02468]) echo "$f even";;
			[!0-9]*) echo "$f alpha";; \*|'?') echo "$f quoted";; ?) echo "$f one";; "") echo empty;; *) echo "$f other";; esac
	done`,
	`for f in a ab abc é éa aé; do case $f in ?) echo "$f 1";; ??) echo "$f 2";; *?) echo "$f many";; esac; done`,
	`for f in x.c y.h z.go Makefile; do case $f in *.[ch]) echo "$f c";; [A-Z]*) echo "$f upper";; *.@(go|rs)) echo "$f ext";; esac; done`,
	`p='*.c'; for f in a.c b; do case $f in $p) echo "$f p";; "$p") echo "$f lit";; *) echo no;; esac; done; case '*.c' in "$p") echo lit;; esac`,
	`[[ abc == a* ]] && echo y1; [[ abc == "a*" ]] || echo n2; [[ x5 == *[0-9] ]] && echo y3; [[ é == ? ]] && echo y4`,
	`x=hello.tar.gz; echo ${x#*.} ${x##*.} ${x%.*} ${x%%.*} ${x/l/L} ${x//l/L} ${x/#h/H} ${x/%gz/GZ}`,
	`x=aXbXc; for i in 1 2; do echo ${x#*X} ${x%X*}; done`,
	// assignments and lookups (fastAssign, getString, Decimal)
	`x=1; x=$((x++)); echo $x; y=1; y=$((y+=5)); echo $y; z=3; z=$((z*z)) w=$z; echo $z $w`,
	`x=1; set -a; x=2; declare -p x; set +a; export e=1; e=2; declare -p e`,
	`readonly r=1; r=2; echo "$r $?"; r=3 true; echo $?`,
	`f() { g=2; local l=1; l=$((l+1)); echo $l; l=x; echo $l; }; g=1; l=0; f; echo $g $l`,
	`f() { local x=1; g() { x=2; y=3; z=4; }; g; echo $x; }; x=0; y=0; f; echo $x $y $z`,
	`f() { local -r c=1; c=2; echo $c; export e; e=5; }; f; echo $e; declare -p e`,
	`f() { IFS=,; local IFS=:; s=a:b; for w in $s; do echo $w; done; }; f; s=a,b; for w in $s; do echo "<$w>"; done`,
	// $IFS changes (loadIFS's cache)
	`s='a:b c'; p() { printf '<%s>' $s; echo; }; p; IFS=:; p; unset IFS; p; IFS=' '; p; declare IFS=:; p; export IFS=' :'; p`,
	`s='a:b c'; f() { local IFS=:; printf '<%s>' $s; }; f; printf '[%s]' $s; echo; g() { IFS=:; }; g; printf '(%s)' $s; echo`,
	`s='a:b c'; IFS=: eval 'printf "<%s>" $s'; printf '[%s]' $s; (IFS=:; printf '(%s)' $s); printf '{%s}' $s; echo`,
	`s='a:b c'; x=$(IFS=:; printf '<%s>' $s); echo $x; printf '[%s]' $s; : $((IFS=5)); t=15; printf '(%s)' $t $s; echo`,
	`set -- a b; IFS=-; echo "$*"; IFS=+; echo "$*"; IFS=; echo "$*"; unset IFS; echo "$*"; echo "x,y" | { IFS=, read a b; echo $b; }`,
	`s='a:b'; read IFS <<< ':'; printf '<%s>' $s; : ${IFS:=x}; unset IFS; : ${IFS:=:}; printf '[%s]' $s; echo`,
	`x=(a b); x=c; echo ${x[@]}; declare -A m; m=d; echo ${m[@]} "${!m[@]}"`,
	`declare -n n=t; t=1; n=2; echo $t $n; n=$((n+1)); echo $t`,
	`u=1; unset u; u=2; echo $u; declare v; v=3; echo $v; export w; w=4; declare -p w`,
	`set -x; a=1; a=$((a+1)); echo $a`,
	`RANDOM=1; RANDOM=5; a=$RANDOM; RANDOM=5; b=$RANDOM; [ $a = $b ] && echo same`,
	`IFS=1; i=11; i=$((i+1)); echo $i "$i"; IFS=' '`,
	`x=5; (x=6; echo $x); echo $x; y=$(x=7; echo $x); echo $x $y`,
	`i=00; j=010; k=-0; l=0x10; m=' 7 '; n=-12; echo $((i+1)) $((j+1)) $((k+1)) $((l+1)) $((m+1)) $((n+1)); [ $j -eq 10 ] && echo dec`,
	`i=9223372036854775807; echo $((i+0)); j=12345678901234567890; echo $((j+0)); [ 007 -lt 8 ] && echo lt`,
	// loops as the benchmark runs them
	`i=0; s=0; while [ $i -lt 200 ]; do s=$((s+i)); i=$((i+1)); done; echo $s`,
	`n=0; for f in $(echo 1 2 3 4 5 15 25 35); do case $f in *5) n=$((n+1));; esac; done; echo $n`,
	`IFS=,; for f in $(echo a,b,c); do echo "<$f>"; done; IFS=' '; v='1 2'; for f in $v; do echo $f; done`,
	`f() { r=$(($1 * 2)); }; i=0; while [ $i -lt 10 ]; do f $i; i=$((i+1)); done; echo $r`,
	`i=0; n=0; while [ $i -lt 30 ]; do x="a-$i-b"; y=${x#a-}; z=${y%-b}; [ "$z" = "$i" ] && n=$((n+1)); i=$((i+1)); done; echo $n`,
}

func TestSockerlessFastPaths(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"a.txt", "b.txt", "[x]", "c d", ".hidden"} {
		if err := os.WriteFile(filepath.Join(dir, name), nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	run := func(script string, fast bool) string {
		defer func(old bool) { internal.FastPaths = old }(internal.FastPaths)
		internal.FastPaths = fast
		file, err := syntax.NewParser().Parse(strings.NewReader(script), "")
		if err != nil {
			t.Fatalf("%q: %v", script, err)
		}
		var out bytes.Buffer
		r, err := New(StdIO(nil, &out, &out), Dir(dir),
			Env(expand.ListEnviron("HOME=/home/u", "PATH="+os.Getenv("PATH"))))
		if err != nil {
			t.Fatal(err)
		}
		err = r.Run(context.Background(), file)
		out.WriteString("\nerr: ")
		if err != nil {
			out.WriteString(err.Error())
		}
		return out.String()
	}
	for _, script := range sockerlessFastScripts {
		want, got := run(script, false), run(script, true)
		if got != want {
			t.Errorf("%s\nfast:\n%s\ngeneral:\n%s", script, got, want)
		}
	}
}
