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

func TestTextRandomAgainstBusybox(t *testing.T) {
	bb := busyboxPath(t)
	rng, n := randomSetup(t)
	dir := t.TempDir()
	writeFixtures(t, dir)
	fails := 0
	num := func(max int) string { return strconv.Itoa(rng.Intn(max)) }
	for iter := 0; iter < n && fails < 10; iter++ {
		in := randomLines(rng, rng.Intn(8))
		if rng.Intn(3) == 0 && len(in) > 0 {
			in = in[:rng.Intn(len(in))] // unterminated last line
		}
		if rng.Intn(4) == 0 {
			in += "\x00\x7f\x80\xff\x1b[0m\r\n\v\f"
		}
		var args []string
		switch rng.Intn(13) {
		case 0:
			args = []string{"head", []string{"-n", "-c"}[rng.Intn(2)], []string{"", "-"}[rng.Intn(2)] + num(12)}
		case 1:
			args = []string{"tail", []string{"-n", "-c"}[rng.Intn(2)], []string{"", "+", "-"}[rng.Intn(3)] + num(12)}
		case 2:
			args = []string{"wc"}
			for _, o := range []string{"-l", "-w", "-c", "-m", "-L"} {
				if rng.Intn(3) == 0 {
					args = append(args, o)
				}
			}
		case 3:
			args = []string{"nl", "-b", []string{"a", "t", "n"}[rng.Intn(3)], "-w", strconv.Itoa(1 + rng.Intn(7)), "-s", []string{"\t", ": ", ""}[rng.Intn(3)]}
		case 4:
			args = []string{"fold", "-w", strconv.Itoa(1 + rng.Intn(12))}
			for _, o := range []string{"-s", "-b"} {
				if rng.Intn(2) == 0 {
					args = append(args, o)
				}
			}
		case 5:
			args = []string{"expand", "-t", strconv.Itoa(1 + rng.Intn(9))}
			if rng.Intn(2) == 0 {
				args = append(args, "-i")
			}
		case 6:
			args = []string{"unexpand", "-t", strconv.Itoa(1 + rng.Intn(9))}
			if rng.Intn(2) == 0 {
				args = []string{"unexpand", []string{"-a", "-f"}[rng.Intn(2)]}
			}
			in = strings.ReplaceAll(in, ":", "  ")
		case 7:
			args = []string{"cat", []string{"-n", "-b", "-v", "-A", "-e", "-t", "-vn", "-bA"}[rng.Intn(8)]}
		case 8:
			args = []string{"od", "-t", []string{"x1", "o2", "d4", "u1", "c", "a", "x8", "d2"}[rng.Intn(8)], "-A", []string{"x", "d", "o", "n"}[rng.Intn(4)]}
			if rng.Intn(2) == 0 {
				args = append(args, "-w"+strconv.Itoa(1+rng.Intn(20)))
			}
		case 9:
			args = []string{"hexdump", []string{"-C", "-c", "-b", "-x", "-d", "-o"}[rng.Intn(6)], "-n", num(60)}
			if rng.Intn(2) == 0 {
				args = append(args, "-s", num(30))
			}
		case 10:
			args = []string{"paste", "-d", []string{",", ":;", `\n`, `\t-`}[rng.Intn(4)], "-", "sorted1", "-"}
			if rng.Intn(2) == 0 {
				args = append(args, "-s")
			}
		case 11:
			first := strconv.Itoa(rng.Intn(20)-5) + []string{"", ".5", ".25"}[rng.Intn(3)]
			inc := strconv.Itoa(rng.Intn(7)-3) + []string{"", ".5", ".1"}[rng.Intn(3)]
			last := strconv.Itoa(rng.Intn(30) - 5)
			if inc == "0" || strings.HasPrefix(inc, "0.") == false && (inc == "-0" || inc == "0") {
				inc = "2"
			}
			args = []string{"seq"}
			if rng.Intn(2) == 0 {
				args = append(args, "-w")
			}
			if rng.Intn(3) == 0 {
				args = append(args, "-s", ",")
			}
			args = append(args, "--", first, inc, last)
		default:
			args = []string{"strings", "-n", strconv.Itoa(1 + rng.Intn(5))}
			if rng.Intn(2) == 0 {
				args = append(args, "-t", []string{"d", "o", "x"}[rng.Intn(3)])
			}
		}
		randomCompare(t, bb, dir, in, args, &fails)
	}
}

func TestCmpRandomAgainstBusybox(t *testing.T) {
	bb := busyboxPath(t)
	rng, n := randomSetup(t)
	dir := t.TempDir()
	fails := 0
	for iter := 0; iter < n/3 && fails < 10; iter++ {
		a := []byte(randomLines(rng, 1+rng.Intn(5)))
		b := append([]byte(nil), a...)
		for k := 0; k < rng.Intn(3); k++ {
			if len(b) > 0 {
				b[rng.Intn(len(b))] = byte(rng.Intn(256))
			}
		}
		switch rng.Intn(4) {
		case 0:
			b = b[:rng.Intn(len(b)+1)]
		case 1:
			b = append(b, "extra"...)
		}
		cmdtest.WriteFile(t, dir, "a", string(a))
		cmdtest.WriteFile(t, dir, "b", string(b))
		args := []string{"cmp"}
		for _, o := range []string{"-l", "-s"} {
			if rng.Intn(3) == 0 {
				args = append(args, o)
			}
		}
		if rng.Intn(3) == 0 {
			args = append(args, "-n", strconv.Itoa(rng.Intn(40)))
		}
		args = append(args, "a", "b")
		if rng.Intn(3) == 0 {
			args = append(args, strconv.Itoa(rng.Intn(4)), strconv.Itoa(rng.Intn(4)))
		}
		randomCompare(t, bb, dir, "", args, &fails)
	}
}
