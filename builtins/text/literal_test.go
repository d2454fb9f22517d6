package text

import (
	"slices"
	"testing"
)

// TestLiteralFastPath checks that the substring search used for plain
// patterns finds what the regexp finds.
func TestLiteralFastPath(t *testing.T) {
	inputs := []string{"", "7", "17 77 777", "abc", "aXbXc", "a.b", "\xff7\xff", "héllo wörld", "1111"}
	for _, p := range []string{"7", "77", "(?:7)", "a.b", `a\.b`, "ö", "11", "(?i)7", "^7", "7$", "(7)"} {
		re, err := newRegex(p)
		if err != nil {
			t.Fatal(err)
		}
		slow := *re
		slow.lit, slow.litb = "", nil
		for _, s := range inputs {
			if got, want := re.Match([]byte(s)), slow.Match([]byte(s)); got != want {
				t.Errorf("%q.Match(%q) = %v, want %v", p, s, got, want)
			}
			if got, want := re.MatchString(s), slow.MatchString(s); got != want {
				t.Errorf("%q.MatchString(%q) = %v, want %v", p, s, got, want)
			}
			if got, want := re.FindStringSubmatchIndex(s), slow.FindStringSubmatchIndex(s); !slices.Equal(got, want) {
				t.Errorf("%q.FindStringSubmatchIndex(%q) = %v, want %v", p, s, got, want)
			}
			for _, n := range []int{-1, 1, 2} {
				got, want := re.FindAllStringSubmatchIndex(s, n), slow.FindAllStringSubmatchIndex(s, n)
				if !slices.EqualFunc(got, want, slices.Equal) {
					t.Errorf("%q.FindAllStringSubmatchIndex(%q, %d) = %v, want %v", p, s, n, got, want)
				}
			}
		}
	}
	for p, want := range map[string]string{"7": "7", "(?:ab)": "ab", "(?i)a": "", "^a": "", "a|b": "", "(a)": "", "": ""} {
		if got := literalOf(p); got != want {
			t.Errorf("literalOf(%q) = %q, want %q", p, got, want)
		}
	}
}
