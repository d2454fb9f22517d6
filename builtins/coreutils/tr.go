package coreutils

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/sockerless/sockerless/builtins"
)

func init() {
	builtins.Register(&builtins.Command{Name: "tr", Usage: trUsage, Run: runTr})
}

const trUsage = `Usage: tr [-cdst] STRING1 [STRING2]

Translate, squeeze, or delete characters from stdin, writing to stdout

	-c, -C, --complement	Take complement of STRING1
	-d, --delete		Delete input characters coded STRING1
	-s, --squeeze-repeats	Squeeze multiple output characters of STRING2 into one character
	-t, --truncate-set1	Truncate STRING1 to the length of STRING2

STRINGs may hold ranges (a-z), classes ([:alpha:] [:digit:] [:lower:]
[:upper:] [:space:] [:blank:] [:alnum:] [:punct:] [:cntrl:] [:xdigit:];
like busybox, [:print:] and [:graph:] are not classes), equivalence classes ([=c=]), repeats ([c*N], [c*]
in STRING2) and escapes (\n \t \\ \NNN).`

var trClasses = map[string]func(c int) bool{
	"alnum":  func(c int) bool { return isAlnum(byte(c)) },
	"alpha":  func(c int) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' },
	"blank":  func(c int) bool { return c == ' ' || c == '\t' },
	"cntrl":  func(c int) bool { return c < 32 || c == 127 },
	"digit":  func(c int) bool { return c >= '0' && c <= '9' },
	"lower":  func(c int) bool { return c >= 'a' && c <= 'z' },
	"punct":  func(c int) bool { return c > 32 && c < 127 && !isAlnum(byte(c)) },
	"space":  func(c int) bool { return c == ' ' || c >= '\t' && c <= '\r' },
	"upper":  func(c int) bool { return c >= 'A' && c <= 'Z' },
	"xdigit": func(c int) bool { return isHex(byte(c)) },
}

// trSet is a parsed STRING: the bytes in order, and where a [c*] fill
// (STRING2 only) goes.
type trSet struct {
	chars   []byte
	fillAt  int // index in chars where the fill goes, -1 if none
	fillCh  byte
	hasFill bool
}

// trUnescape decodes one possibly escaped byte at s[i:], returning the
// byte, the number of input bytes used and whether it was escaped.
func trUnescape(s string, i int) (byte, int, bool) {
	if s[i] != '\\' || i+1 >= len(s) {
		return s[i], 1, false
	}
	c := s[i+1]
	switch c {
	case 'a':
		return 7, 2, true
	case 'b':
		return 8, 2, true
	case 'f':
		return 12, 2, true
	case 'n':
		return '\n', 2, true
	case 'r':
		return '\r', 2, true
	case 't':
		return '\t', 2, true
	case 'v':
		return 11, 2, true
	}
	if c >= '0' && c <= '7' {
		j := i + 1
		v := 0
		for j < len(s) && j < i+4 && s[j] >= '0' && s[j] <= '7' && v*8+int(s[j]-'0') <= 255 {
			v = v*8 + int(s[j]-'0')
			j++
		}
		return byte(v), j - i, true
	}
	return c, 2, true
}

// parseTrSet expands a tr STRING. set2 allows [c*] and [c*N].
func parseTrSet(s string, set2 bool) (trSet, error) {
	t := trSet{fillAt: -1}
	i := 0
	for i < len(s) {
		if s[i] == '[' && i+1 < len(s) {
			// [:class:]
			if s[i+1] == ':' {
				if end := strings.Index(s[i+2:], ":]"); end >= 0 {
					name := s[i+2 : i+2+end]
					if f, ok := trClasses[name]; ok {
						for c := 0; c < 256; c++ {
							if f(c) {
								t.chars = append(t.chars, byte(c))
							}
						}
						i += 2 + end + 2
						continue
					}
				}
			}
			// [=c=]
			if s[i+1] == '=' && i+4 < len(s) && s[i+3] == '=' && s[i+4] == ']' {
				t.chars = append(t.chars, s[i+2])
				i += 5
				continue
			}
			// [c*N] / [c*]
			if c, n, _ := trUnescape(s, i+1); i+1+n < len(s) && s[i+1+n] == '*' {
				j := i + 1 + n + 1
				k := j
				for k < len(s) && s[k] >= '0' && s[k] <= '9' {
					k++
				}
				if k < len(s) && s[k] == ']' {
					if k == j {
						if !set2 {
							return t, fmt.Errorf("the [c*] repeat construct may not appear in string1")
						}
						if t.hasFill {
							return t, fmt.Errorf("only one [c*] repeat construct may appear in string2")
						}
						t.hasFill, t.fillAt, t.fillCh = true, len(t.chars), c
					} else {
						base := 10
						if s[j] == '0' {
							base = 8
						}
						cnt, err := strconv.ParseInt(s[j:k], base, 32)
						if err != nil || cnt > 1<<20 {
							return t, fmt.Errorf("invalid repeat count '%s' in [c*n] construct", s[j:k])
						}
						if !set2 {
							return t, fmt.Errorf("the [c*] repeat construct may not appear in string1")
						}
						if cnt == 0 {
							if t.hasFill {
								return t, fmt.Errorf("only one [c*] repeat construct may appear in string2")
							}
							t.hasFill, t.fillAt, t.fillCh = true, len(t.chars), c
						}
						for range cnt {
							t.chars = append(t.chars, c)
						}
					}
					i = k + 1
					continue
				}
			}
		}
		c, n, _ := trUnescape(s, i)
		// Range c-d ("a-" at the end is literal).
		if i+n+1 < len(s) && s[i+n] == '-' {
			d, m, _ := trUnescape(s, i+n+1)
			for x := int(c); x <= int(d); x++ {
				t.chars = append(t.chars, byte(x))
			}
			i += n + 1 + m
			continue
		}
		t.chars = append(t.chars, c)
		i += n
	}
	return t, nil
}

// expand returns the set's bytes, with the [c*] fill sized so that the
// set is length want.
func (t trSet) expand(want int) []byte {
	if !t.hasFill {
		return t.chars
	}
	fill := max(0, want-len(t.chars))
	out := make([]byte, 0, len(t.chars)+fill)
	out = append(out, t.chars[:t.fillAt]...)
	for range fill {
		out = append(out, t.fillCh)
	}
	return append(out, t.chars[t.fillAt:]...)
}

func runTr(ctx context.Context, env *builtins.Env, args []string) int {
	fl := builtins.Flags(env, "tr")
	fl.SetInterspersed(false) // busybox: options end at the first set
	comp := fl.BoolP("complement", "c", false, "")
	fl.BoolVarP(comp, "C", "C", false, "")
	del := fl.BoolP("delete", "d", false, "")
	squeeze := fl.BoolP("squeeze-repeats", "s", false, "")
	trunc := fl.BoolP("truncate-set1", "t", false, "")
	if st, ok := builtins.ParseFlags(env, fl, args[1:]); !ok {
		return st
	}
	ops := fl.Args()
	if len(ops) == 0 || len(ops) > 2 {
		return usageErr(env, "tr", "missing operand")
	}
	twoSets := len(ops) == 2
	if !twoSets && !*del && !*squeeze {
		// busybox copies the input unchanged.
		if _, err := copyOut(env.Stdout, ctxReader{ctx, env.Stdin}); err != nil {
			return 1
		}
		return 0
	}
	if twoSets && *del && !*squeeze {
		return usageErr(env, "tr", "extra operand '%s'", ops[1])
	}
	s1, err := parseTrSet(ops[0], false)
	if err != nil {
		return usageErr(env, "tr", "%s", err)
	}
	set1 := s1.chars
	if *comp {
		var in [256]bool
		for _, c := range set1 {
			in[c] = true
		}
		set1 = set1[:0:0]
		for c := 0; c < 256; c++ {
			if !in[c] {
				set1 = append(set1, byte(c))
			}
		}
	}
	var set2 []byte
	if twoSets {
		s2, err := parseTrSet(ops[1], true)
		if err != nil {
			return usageErr(env, "tr", "%s", err)
		}
		if ops[1] == "" && !*del {
			return usageErr(env, "tr", "STRING2 cannot be empty")
		}
		set2 = s2.expand(len(set1))
		if len(set2) == 0 {
			// Only a decreasing range ("a-:") gets here; busybox then pads
			// from before its buffer, which is '0' in 1.35.
			set2 = []byte{'0'}
		}
	}
	var mapping [256]byte
	for c := range mapping {
		mapping[c] = byte(c)
	}
	var delSet, sqSet [256]bool
	translate := twoSets && !*del
	if translate {
		if *trunc && len(set1) > len(set2) {
			set1 = set1[:len(set2)]
		}
		for i, c := range set1 {
			if i < len(set2) {
				mapping[c] = set2[i]
			} else {
				mapping[c] = set2[len(set2)-1]
			}
		}
	}
	if *del {
		for _, c := range set1 {
			delSet[c] = true
		}
	}
	if *squeeze {
		sq := set1
		if twoSets {
			sq = set2
		}
		for _, c := range sq {
			sqSet[c] = true
		}
	}
	in := ctxReader{ctx, env.Stdin}
	buf := make([]byte, bufSize)
	obuf := make([]byte, 0, bufSize)
	last := -1
	for {
		n, rerr := in.Read(buf)
		obuf = obuf[:0]
		for _, c := range buf[:n] {
			if delSet[c] {
				continue
			}
			o := mapping[c]
			if sqSet[o] && int(o) == last {
				continue
			}
			last = int(o)
			obuf = append(obuf, o)
		}
		if len(obuf) > 0 {
			if _, err := env.Stdout.Write(obuf); err != nil {
				return 1
			}
		}
		if rerr != nil {
			if rerr == io.EOF {
				return 0
			}
			if ctx.Err() == nil {
				readErr(env, "tr", rerr)
			}
			return 1
		}
	}
}
