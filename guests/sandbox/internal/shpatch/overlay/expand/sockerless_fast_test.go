//go:build ignore

package expand

// The fast paths must take the words loops are made of (the differential
// test in interp checks that they agree with the general paths).

import (
	"strings"
	"testing"

	"mvdan.cc/sh/v3/syntax"
)

func TestSockerlessFastPathsTaken(t *testing.T) {
	cfg := prepareConfig(&Config{Env: ListEnviron("i=7", "s=a b")})
	words := func(src string) []*syntax.Word {
		f, err := syntax.NewParser().Parse(strings.NewReader("x "+src), "")
		if err != nil {
			t.Fatal(err)
		}
		return f.Stmts[0].Cmd.(*syntax.CallExpr).Args[1:]
	}
	for _, tc := range []struct {
		src  string
		want string // fields joined by |, or "general"
	}{
		{`[ $i -lt 20000 ]`, `[|7|-lt|20000|]`},
		{`"$s" ''x "a$i" $((i+1)) ${i}`, `a b|x|a7|8|7`},
		{`$s`, "general"},             // needs splitting
		{`$((i++))`, "general"},       // side effects
		{`~/x a\ b {a,b}`, "general"}, // tilde, escape, braces
	} {
		got, ok := cfg.fastFields(words(tc.src))
		if s := strings.Join(got, "|"); !ok && tc.want != "general" || ok && s != tc.want {
			t.Errorf("fastFields(%s) = %q, %v; want %s", tc.src, s, ok, tc.want)
		}
	}
	for _, tc := range []struct {
		src  string
		want string // fields joined by |, "general", or "other shape"
	}{
		{`[ $i -lt 20000 ]`, `[|7|-lt|20000|]`},
		{`"$s" "x" $e "$e" $i`, `a b|x||7`},
		{`$s`, "general"},
		{`"a$i"`, "other shape"},
		{`x$i`, "other shape"},
		{`*`, "other shape"},
	} {
		got, ok, done := cfg.simpleFields(words(tc.src), true)
		s := strings.Join(got, "|")
		switch {
		case tc.want == "other shape" && done,
			tc.want == "general" && (!done || ok),
			tc.want != "other shape" && tc.want != "general" && (!done || !ok || s != tc.want):
			t.Errorf("simpleFields(%s) = %q, %v, %v; want %s", tc.src, s, ok, done, tc.want)
		}
	}
	for _, tc := range []struct{ src, want string }{
		{`$((i+1))`, "8"},
		{`"x$i"y'z'`, "x7yz"},
		{`$(( (i+1)*2 ))`, "16"},
	} {
		got, ok, err := cfg.fastLiteral(words(tc.src)[0])
		if !ok || err != nil || got != tc.want {
			t.Errorf("fastLiteral(%s) = %q, %v, %v; want %q", tc.src, got, ok, err, tc.want)
		}
	}
	if s, ok := arithmLit(words("i")[0]); !ok || s != "i" {
		t.Errorf("arithmLit(i) = %q, %v", s, ok)
	}
}
