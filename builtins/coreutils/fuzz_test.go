package coreutils

import (
	"bytes"
	"testing"

	"github.com/sockerless/sockerless/builtins/cmdtest"
)

func FuzzTrSet(f *testing.F) {
	for _, s := range []string{"a-z", "[:upper:]", `\n\t\\`, `\141-\172`, "[x*]", "[x*3]yz", "[=a=]", "a-", "-a", "[", "[:", "[:foo:]", "[a*0]", `\`, "z-a", "[*]", `[\n*2]`} {
		f.Add(s, "hello, World 123\n")
	}
	f.Fuzz(func(t *testing.T, set, input string) {
		for _, set2 := range []bool{false, true} {
			ts, err := parseTrSet(set, set2)
			if err != nil {
				continue
			}
			if ts.hasFill && (ts.fillAt < 0 || ts.fillAt > len(ts.chars)) {
				t.Fatalf("fill index %d out of range for %q", ts.fillAt, set)
			}
			for _, want := range []int{0, 5, 300} {
				got := ts.expand(want)
				if ts.hasFill && len(got) < want {
					t.Fatalf("expand(%d) of %q gave %d bytes", want, set, len(got))
				}
			}
		}
		for _, args := range [][]string{
			{"tr", set, "xyz"}, {"tr", "-d", set}, {"tr", "-cs", set, "_"}, {"tr", "a-c", set},
		} {
			r := cmdtest.Run(t, "", input, args)
			if r.Status != 0 && r.Status != 1 {
				t.Fatalf("%q: status %d", args, r.Status)
			}
		}
	})
}

func FuzzSortKey(f *testing.F) {
	for _, s := range []string{"1", "2,2", "2,2n", "1.2,1.3", "3r", "2b,3b", "1.1", "9,1", "2.5,2.1", "0", "1,0", "x", "1.", "1.0", "2,3Mf", "1V"} {
		f.Add(s, "b 2 x\na 10 y\n  c 1\n\n", ":")
	}
	f.Fuzz(func(t *testing.T, key, input, sep string) {
		k, err := parseKey(key)
		if err == nil {
			for _, sepc := range []int{-1, ':'} {
				o := &sortOpts{sep: sepc, keys: []sortKey{k}}
				for _, line := range bytes.Split([]byte(input), []byte{'\n'}) {
					got := o.extractKey(line, &o.keys[0], o.keyFlags(0)|sfB|sfBB)
					if len(got) > len(line) {
						t.Fatalf("key %q of %q longer than the line: %q", key, line, got)
					}
				}
			}
		}
		args := []string{"sort", "-k", key}
		if len(sep) == 1 {
			args = append(args, "-t", sep)
		}
		r := cmdtest.Run(t, "", input, args)
		if r.Status != 0 && r.Status != 2 {
			t.Fatalf("%q: status %d", args, r.Status)
		}
		if r.Status == 0 && len(r.Stdout) != len(input)+boolInt(len(input) > 0 && input[len(input)-1] != '\n') {
			t.Fatalf("%q: output length %d for input length %d", args, len(r.Stdout), len(input))
		}
	})
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

func FuzzStrtod(f *testing.F) {
	for _, s := range []string{"1", "-2.5e3", "0x1p3", "inf", "-nan(x)", " 7", "0x", "1e", ".5", "+.e1", "1e400"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		_, n := strtod([]byte(s))
		if n < 0 || n > len(s) {
			t.Fatalf("strtod(%q) consumed %d", s, n)
		}
	})
}
