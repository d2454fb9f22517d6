//go:build ignore

package internal

import "testing"

// globMatch must agree with the regexp every pattern used to compile to.
func TestSockerlessGlobMatch(t *testing.T) {
	pats := []string{"", "*", "?", "??", "*5", "5*", "*[02468]", "[0-9]*", "[!0-9]*", "[^a-c]?",
		"a*b*c", "*.[ch]", "x?y", "*?", "?*?", "[a-zA-Z0-9]", "*x*", "a.b", "{a}", "$^+",
		"**", "*[0-9]x", "x*", "*.c", "*a", "*[!5]", "*[a-c]*", "5"}
	names := []string{"", "5", "15", "52", "x", "ab", "abc", "aXbYc", "a.c", "b.h", "x.y", "xzy", "é", "éa",
		"aé", "éé5", "\xff", "a\xffb", "\n", "a\nb", "{a}", "$^+", "Z", "-"}
	for _, p := range pats {
		if !simpleGlob(p) {
			t.Fatalf("simpleGlob(%q) = false", p)
		}
		rx, err := compileMatcher(p, matchMode)
		if err != nil {
			t.Fatal(err)
		}
		for _, n := range names {
			if got, want := globMatch(p, n), rx(n); got != want {
				t.Errorf("globMatch(%q, %q) = %v, regexp says %v", p, n, got, want)
			}
			if got, want := globMatcher(p)(n), rx(n); got != want {
				t.Errorf("globMatcher(%q)(%q) = %v, regexp says %v", p, n, got, want)
			}
		}
	}
	for _, p := range []string{"[", "a]", "[]", "[a-]", "[[:digit:]]", `\*`, "@(a|b)", "é*", "[z-a]"} {
		if simpleGlob(p) {
			t.Errorf("simpleGlob(%q) = true", p)
		}
	}
}
