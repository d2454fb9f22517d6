package awk

import (
	"bytes"
	"context"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/sockerless/sockerless/builtins"
)

func FuzzParse(f *testing.F) {
	for _, c := range awkCases {
		if len(c.args) > 0 {
			f.Add(c.args[len(c.args)-1])
		}
		for _, a := range c.args {
			if len(a) > 10 {
				f.Add(a)
			}
		}
	}
	for _, s := range []string{"", "{", "}", "BEGIN", "/a/", "a /b/ c", "x=/=/", "$$$$0", "getline <", "print > > x",
		"function f(a,a){}", "f(", "a[", "(1,2) in", "1?2:", "!", "-", "a++ ++b", "\"\\", "/[", "/[]/", "x ~ /[[:foo:]]/"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		parse(src) // must not panic; errors are fine
	})
}

func FuzzTranslateERE(f *testing.F) {
	for _, s := range []string{"a", "^a.c$", "[]x]", "[^]a]", "[[:alpha:]_]+", "a{2,3}", "a{,3}", "{", "a**", "+a", "(a|)", "()",
		"\\/", "\\.", "[a-z0-9.-]", "a|*b", "[\\]]", "[[.a.][=b=]]", "x{1}{2}", "(", ")", "\\", "[", "[[:", "\\<w\\>", "a{1000}"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		out, err := translateERE(src)
		if err != nil {
			return
		}
		if _, err := regexp.Compile(out); err != nil {
			// Go limits repetition counts to 1000; anything else means
			// the translation produced invalid syntax.
			if !regexpRepeatTooLarge(err) {
				t.Fatalf("translateERE(%q) = %q: %v", src, out, err)
			}
		}
	})
}

func regexpRepeatTooLarge(err error) bool {
	re := regexp.MustCompile(`invalid repeat count|expression too large|expression nests too deeply`)
	return re.MatchString(err.Error())
}

func TestTranslateERE(t *testing.T) {
	cases := []struct{ re, match, nomatch string }{
		{"[]x]", "]", "y"},
		{"[^]x]", "y", "]"},
		{"[[:alpha:]]+[[:digit:]]", "ab1", "12"},
		{"a\\.b", "a.b", "axb"},
		{"\\/", "/", "x"},
		{"*a", "*a", "a"},
		{"^a**$", "aaa", "b"},
		{"a{2}", "aa", "a"},
		{"a{", "a{", "a"},
		{"x|+", "+", "y"},
		{"^(ab|cd)+$", "abcd", "abc"},
		{"[a\\]b]", "]", "c"},
		{"a.b", "a\nb", "ab"},
		{"[.]", ".", "a"},
		{"\\<the\\>", "the cat", "other"},
		{"[[.-.]]", "-", "a"},
	}
	for _, c := range cases {
		re, err := compileERE(c.re)
		if err != nil {
			t.Errorf("%q: %v", c.re, err)
			continue
		}
		if !re.MatchString(c.match) {
			t.Errorf("%q should match %q", c.re, c.match)
		}
		if re.MatchString(c.nomatch) {
			t.Errorf("%q should not match %q", c.re, c.nomatch)
		}
	}
	// leftmost-longest, as POSIX requires
	re, _ := compileERE("a|ab")
	if got := re.FindString("abc"); got != "ab" {
		t.Errorf("leftmost-longest: got %q", got)
	}
}

// FuzzRun executes small loop-free programs: evaluation must never panic
// (a Go panic would take the whole sandbox down).
func FuzzRun(f *testing.F) {
	for _, c := range awkCases {
		for _, a := range c.args {
			if len(a) > 3 {
				f.Add(a, c.stdin)
			}
		}
	}
	f.Fuzz(func(t *testing.T, src, input string) {
		if len(src) > 80 || len(input) > 200 {
			return
		}
		for _, bad := range []string{"while", "for", "do", "function", "func", "getline", "system", "|", ">", "close", "fflush", "printf", "%*", "sprintf"} {
			if strings.Contains(src, bad) {
				return
			}
		}
		ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
		defer cancel()
		var out, errb bytes.Buffer
		env := &builtins.Env{Stdin: strings.NewReader(input), Stdout: &out, Stderr: &errb, Dir: t.TempDir()}
		env.Exec = func(context.Context, *builtins.Env, []string) int { return 127 }
		run(ctx, env, []string{"awk", src})
		if strings.Contains(errb.String(), "internal error") {
			t.Fatalf("awk %q: %s", src, errb.String())
		}
	})
}
