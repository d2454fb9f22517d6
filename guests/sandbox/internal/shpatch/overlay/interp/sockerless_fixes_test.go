//go:build ignore

package interp

// Tests of sockerless's behaviour fixes to interp (each checked against
// busybox ash in tests/busybox too). `make test-shpatch` runs them in
// the patched module.

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"

	"mvdan.cc/sh/v3/syntax"
)

func runSockerless(t *testing.T, script string) string {
	t.Helper()
	file, err := syntax.NewParser().Parse(strings.NewReader(script), "")
	if err != nil {
		t.Fatalf("%q: %v", script, err)
	}
	var out bytes.Buffer
	r, err := New(StdIO(nil, &out, &out))
	if err != nil {
		t.Fatal(err)
	}
	err = r.Run(context.Background(), file)
	if err != nil {
		fmt.Fprintf(&out, "err: %v", err)
	}
	return out.String()
}

func TestSockerlessFixes(t *testing.T) {
	for _, c := range []struct{ script, want string }{
		{`set -- 1 2 3 4 5 6 7 8 9 ten eleven; echo ${10} ${11} ${#11} $10 ${12-unset}`, "ten eleven 6 10 unset\n"},
		{`f() { echo "${10}"; }; f 1 2 3 4 5 6 7 8 9 'a b'; f`, "a b\n\n"},
		{`set --; i=1; while [ $i -le 3000 ]; do set -- "$@" $i; i=$((i+1)); done; echo $# ${3000} ${3001}.`, "3000 3000 .\n"},
		{`set -- a b c; shift 4; echo $? $*; shift 3; echo $? $#; shift; echo $?`, "1 a b c\n0 0\n1\n"},
		{`set -- a b; shift 1; echo $? $*`, "0 b\n"},
		{`export ZZ=last Q="it's" E; export -p | grep -E ' (ZZ|Q|E)(=|$)'`, "export E\nexport Q='it'\"'\"'s'\nexport ZZ='last'\n"},
		{`IFS=:; x=a:b::c; for p in $x; do echo "[$p]"; done`, "[a]\n[b]\n[]\n[c]\n"},
		{`IFS=:; for x in a: : :: ::a; do set -- $x; echo $#; done; y=:b; set -- x$y; echo $#; set -- ""$y; echo $#`, "1\n1\n2\n3\n2\n2\n"},
		{`IFS=' :'; for x in ' :a' 'a :b' 'a: :b' ' a '; do printf '<%s>' $x; echo; done; set -- 'a ' :b; printf '<%s>' $@; set -- a: :b; printf '<%s>' $@`, "<><a>\n<a><b>\n<a><><b>\n<a>\n<a><b><a><><b>"},
		{`(trap 'echo sub-exit' EXIT; echo in); echo out`, "in\nsub-exit\nout\n"},
		{`x=$(trap "echo cs-exit" EXIT; echo in); echo "[$x]"; (trap 'echo sub $?' EXIT; exit 3); echo $?; { trap 'echo pipe-exit' EXIT; echo p; } | cat; { trap 'echo bg-exit' EXIT; echo bg; } & wait; trap 'echo top' EXIT; (echo nested); (trap 'echo inner' EXIT; false); echo $?`, "[in\ncs-exit]\nsub 3\n3\np\npipe-exit\nbg\nbg-exit\nnested\ninner\n1\ntop\n"},
		{`x='a*b'; echo "${x#"a*"}" "${x#a\*}" "${x#a*}" "${x%"*b"}" "${x%%*"b"}" "${x##"a"*}."`, "b b *b a  .\n"},
		{`x='a*b'; y='*'; echo "${x#a$y}." "${x#a"$y"}"; z='[ab]'; w='[ab]c'; echo "${w#"$z"}" "${w#$z}" "${w#\[}"; f=a.1.1; echo "${f%".1"}" "${f%%".1"*}"`, "*b. b\nc [ab]c ab]c\na.1 a\n"},
		{`readonly R=1; f() { local L=2; export L; export -p | grep ' L='; }; f; export -p | grep -c ' L='; readonly -p | grep ' R='`, "export L='2'\n0\nreadonly R='1'\n"},
	} {
		if got := runSockerless(t, c.script); got != c.want {
			t.Errorf("%s\ngot:  %q\nwant: %q", c.script, got, c.want)
		}
	}
}

func TestSockerlessFatalArithm(t *testing.T) {
	for _, c := range []struct {
		script string
		fatal  bool
		want   string
	}{
		{`echo $((1/0)); echo after`, false, "division by zero\nafter\n"},
		{`echo $((1/0)); echo after`, true, "division by zero\nerr: exit status 2"},
		{`x=$((2%0)); echo after`, true, "division by zero\nerr: exit status 2"},
		{`(echo $((1/0)); echo in); echo $?`, true, "division by zero\n2\n"},
		{`x=$(echo $((1/0)); echo in); echo "$? [$x]"`, true, "division by zero\n2 []\n"},
		{`echo $((2/1)) $((3**2)); echo after`, true, "2 9\nafter\n"},
		{`echo ${x:?unset}; echo after`, true, "x: unset\nerr: exit status 1"},
	} {
		file, err := syntax.NewParser().Parse(strings.NewReader(c.script), "")
		if err != nil {
			t.Fatal(err)
		}
		var out bytes.Buffer
		r, err := New(StdIO(nil, &out, &out))
		if err != nil {
			t.Fatal(err)
		}
		r.FatalArithm = c.fatal
		if err := r.Run(context.Background(), file); err != nil {
			fmt.Fprintf(&out, "err: %v", err)
		}
		if got := out.String(); got != c.want {
			t.Errorf("%s (FatalArithm %v)\ngot:  %q\nwant: %q", c.script, c.fatal, got, c.want)
		}
	}
}

func TestSockerlessBuiltinHook(t *testing.T) {
	var calls [][]string
	Builtin = func(ctx context.Context, sio BuiltinIO, args []string) (uint8, bool) {
		if args[0] == "ulimit" {
			return 0, false
		}
		calls = append(calls, args)
		fmt.Fprintf(sio.Stdout, "out:%s\n", strings.Join(args, ","))
		fmt.Fprintf(sio.Stderr, "err\n")
		return uint8(len(args)), true
	}
	defer func() { Builtin = nil }()
	got := runSockerless(t, `printf -- '%d' "'A"; echo $?; x=$(printf a b 2>/dev/null); echo "[$x]"; umask 077 >/dev/null; echo $?; ulimit`)
	want := "out:printf,--,%d,'A\nerr\n4\n[out:printf,a,b]\nerr\n2\nulimit: unsupported builtin\nerr: exit status 2"
	if got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	if len(calls) != 3 || calls[2][0] != "umask" {
		t.Errorf("calls: %q", calls)
	}

	// test and [ reach the hook (as "test", without "]") only for what
	// fastTest does not answer; [[ ]] never does.
	calls = nil
	got = runSockerless(t, `[ 1 -eq 1 ] && echo fast; [ abc -eq 1 ] 2>/dev/null; echo $?; test a \< b 2>/dev/null; echo $?; [[ a < b ]] && echo dbl`)
	want = "fast\nout:test,abc,-eq,1\n4\nout:test,a,<,b\n4\ndbl\n"
	if got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	if len(calls) != 2 {
		t.Errorf("calls: %q", calls)
	}
}

func TestSockerlessFds(t *testing.T) {
	for _, c := range []struct{ script, want string }{
		{`exec 3>f; echo a >&3; echo b 1>&3; exec 3>&-; cat f; echo c >&3`, "a\nb\n3: Bad file descriptor\nerr: exit status 1"},
		{`printf '1\n2\n3\n' >f; exec 4<f; read x <&4; read y <&4; exec 4<&-; echo $x $y`, "1 2\n"},
		{`{ { echo out; echo err >&2; } 3>&1 1>&2 2>&3; } 2>e >o; cat o e`, "err\nout\n"},
		{`f() { echo "log $1" >&3; }; { f a; f b; } 3>l; cat l; f c`, "log a\nlog b\n3: Bad file descriptor\nerr: exit status 1"},
		{`exec 3>f; (echo sub >&3; exec 3>&-); echo parent >&3; cat f`, "sub\nparent\n"},
		{`exec 3>f; exec 5>&3; exec 3>&-; echo via5 >&5; cat f`, "via5\n"},
		{`cat 3<<EOF <&3
here
EOF`, "here\n"},
		{`echo x >&99; echo $?`, "99: Bad file descriptor\n1\n"},
		{`echo 12 12>f >&12; cat f`, "12\n"},
		// set -C (noclobber): > and &> keep an existing regular file, >| overrides.
		{`set -C; echo 1 >f; echo 2 >f; echo $?; echo 3 &>f || echo failed; cat f`, "can't create f: File exists\n1\ncan't create f: File exists\nfailed\n1\n"},
		{`set -o noclobber; case $- in *C*) echo on;; esac; echo 3 >|f; echo 4 >/dev/null; echo $?; echo 5 >>f; echo 6 4>f; echo 7 4>|f; cat f; set +C; echo 8 >f; cat f`, "on\n0\ncan't create f: File exists\n7\n8\n"},
	} {
		dir := t.TempDir()
		file, err := syntax.NewParser().Parse(strings.NewReader(c.script), "")
		if err != nil {
			t.Fatalf("%q: %v", c.script, err)
		}
		var out bytes.Buffer
		r, err := New(StdIO(nil, &out, &out), Dir(dir))
		if err != nil {
			t.Fatal(err)
		}
		if err := r.Run(context.Background(), file); err != nil {
			fmt.Fprintf(&out, "err: %v", err)
		}
		if got := out.String(); got != c.want {
			t.Errorf("%s\ngot:  %q\nwant: %q", c.script, got, c.want)
		}
	}
}
