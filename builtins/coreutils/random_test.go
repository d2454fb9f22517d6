package coreutils

import (
	"math/rand"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/sockerless/sockerless/builtins/cmdtest"
)

// Randomised differential tests against busybox. SOCKERLESS_RANDOM_SEED
// picks another seed and SOCKERLESS_RANDOM_N the number of cases.
func randomSetup(t *testing.T) (*rand.Rand, int) {
	seed, _ := strconv.Atoi(os.Getenv("SOCKERLESS_RANDOM_SEED"))
	n, _ := strconv.Atoi(os.Getenv("SOCKERLESS_RANDOM_N"))
	if n == 0 {
		n = 300
	}
	return rand.New(rand.NewSource(int64(seed))), n
}

func randomCompare(t *testing.T, bb, dir, in string, args []string, fails *int) {
	t.Helper()
	r := cmdtest.Run(t, dir, in, args)
	want, st := runBusybox(t, bb, dir, in, args)
	if r.Stdout != want || r.Status != st {
		*fails++
		t.Errorf("%q on %q\n got (%d) %q\nwant (%d) %q", args, in, r.Status, r.Stdout, st, want)
	}
}

var randomWords = []string{"a", "B", "b", "10", "9", "-1", " ", "  x", "1.5", "Jan", "feb", "", "a:b", ":", "1e2", "abc", "ABC", "_", "z", "\t"}

func randomLines(rng *rand.Rand, n int) string {
	var sb strings.Builder
	for l := 0; l < n; l++ {
		for w := 0; w < 1+rng.Intn(4); w++ {
			if w > 0 {
				sb.WriteString([]string{" ", ":", "  ", "\t", ","}[rng.Intn(5)])
			}
			sb.WriteString(randomWords[rng.Intn(len(randomWords))])
		}
		sb.WriteByte('\n')
	}
	return sb.String()
}

func TestSortRandomAgainstBusybox(t *testing.T) {
	bb := busyboxPath(t)
	rng, n := randomSetup(t)
	flags := []string{"", "n", "r", "f", "b", "nr", "d", "i", "g", "M", "fr", "bn", "bf", "di", "Mr"}
	dir := t.TempDir()
	fails := 0
	for iter := 0; iter < n && fails < 10; iter++ {
		in := randomLines(rng, 6)
		args := []string{"sort"}
		if rng.Intn(3) == 0 {
			args = append(args, "-t:")
		}
		for _, g := range []string{"-s", "-u", "-r", "-n", "-f", "-b", "-d", "-i", "-g", "-M", "-V"} {
			if rng.Intn(8) == 0 {
				args = append(args, g)
			}
		}
		for k := 0; k < rng.Intn(3); k++ {
			spec := strconv.Itoa(1 + rng.Intn(3))
			if rng.Intn(3) == 0 {
				spec += "." + strconv.Itoa(1+rng.Intn(3))
			}
			spec += flags[rng.Intn(len(flags))]
			if rng.Intn(2) == 0 {
				spec += "," + strconv.Itoa(1+rng.Intn(3))
				if rng.Intn(3) == 0 {
					spec += "." + strconv.Itoa(1+rng.Intn(4))
				}
				spec += flags[rng.Intn(len(flags))]
			}
			args = append(args, "-k", spec)
		}
		randomCompare(t, bb, dir, in, args, &fails)
	}
}

func TestTrRandomAgainstBusybox(t *testing.T) {
	bb := busyboxPath(t)
	rng, n := randomSetup(t)
	pieces := []string{"a", "b-e", "x", "[:digit:]", "[:upper:]", "[:lower:]", "[:space:]", "[:punct:]", "[:alpha:]", `\n`, `\t`, `\\`, "0-3", ":", "-", "[=a=]", `\101`, "Z"}
	set := func() string {
		var sb strings.Builder
		for i := 0; i < 1+rng.Intn(3); i++ {
			sb.WriteString(pieces[rng.Intn(len(pieces))])
		}
		return sb.String()
	}
	dir := t.TempDir()
	fails := 0
	for iter := 0; iter < n && fails < 10; iter++ {
		in := randomLines(rng, 3) + "aaabbb  ZZ\\\\::--\n"
		var args []string
		switch rng.Intn(5) {
		case 0:
			args = []string{"tr", set(), set()}
		case 1:
			args = []string{"tr", "-d", set()}
		case 2:
			args = []string{"tr", "-s", set()}
		case 3:
			args = []string{"tr", "-cd", set()}
		default:
			args = []string{"tr", "-s", set(), set()}
		}
		if args[len(args)-1] == "[:upper:]" || args[len(args)-1] == "[:lower:]" {
			continue // case classes in STRING2 only pair with each other
		}
		randomCompare(t, bb, dir, in, args, &fails)
	}
}

func TestCutUniqRandomAgainstBusybox(t *testing.T) {
	bb := busyboxPath(t)
	rng, n := randomSetup(t)
	list := func() string {
		var parts []string
		for i := 0; i < 1+rng.Intn(3); i++ {
			a := 1 + rng.Intn(5)
			switch rng.Intn(4) {
			case 0:
				parts = append(parts, strconv.Itoa(a))
			case 1:
				parts = append(parts, strconv.Itoa(a)+"-")
			case 2:
				parts = append(parts, "-"+strconv.Itoa(a))
			default:
				parts = append(parts, strconv.Itoa(a)+"-"+strconv.Itoa(a+rng.Intn(3)))
			}
		}
		return strings.Join(parts, ",")
	}
	dir := t.TempDir()
	fails := 0
	for iter := 0; iter < n && fails < 10; iter++ {
		in := randomLines(rng, 5)
		var args []string
		switch rng.Intn(4) {
		case 0:
			args = []string{"cut", "-c", list()}
		case 1:
			args = []string{"cut", "-d", []string{":", " ", ","}[rng.Intn(3)], "-f", list()}
			if rng.Intn(2) == 0 {
				args = append(args, "-s")
			}
		default:
			args = []string{"uniq"}
			for _, o := range []string{"-c", "-d", "-u", "-i"} {
				if rng.Intn(4) == 0 {
					args = append(args, o)
				}
			}
			for _, o := range []string{"-f", "-s", "-w"} {
				if rng.Intn(4) == 0 {
					args = append(args, o, strconv.Itoa(rng.Intn(3)))
				}
			}
			// Make duplicates likely.
			lines := strings.SplitAfter(in, "\n")
			in = ""
			for _, l := range lines {
				in += strings.Repeat(l, 1+rng.Intn(2))
			}
		}
		randomCompare(t, bb, dir, in, args, &fails)
	}
}
