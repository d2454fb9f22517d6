package files

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/sockerless/sockerless/builtins"
)

func TestParseMode(t *testing.T) {
	cases := []struct {
		mode string
		cur  uint32
		want uint32
		ok   bool
	}{
		{"755", 0o644, 0o755, true},
		{"4755", 0, 0o4755, true},
		{"07777", 0, 0o7777, true},
		{"10000", 0, 0, false},
		{"8", 0, 0, false},
		{"u+x", 0o644, 0o744, true},
		{"go-w", 0o666, 0o644, true},
		{"a=r", 0o755, 0o444, true},
		{"+x", 0o644, 0o755, true},
		{"+w", 0o444, 0o644, true}, // umask 022 keeps group/other write off
		{"-w", 0o666, 0o466, true}, // like busybox and GNU: the umask protects go+w
		{"=", 0o755, 0o000, true},
		{"u=rwx,g=rx,o=", 0o000, 0o750, true},
		{"g=u", 0o640, 0o660, true},
		{"o=g", 0o750, 0o755, true},
		{"u+s", 0o755, 0o4755, true},
		{"g+s", 0o755, 0o2755, true},
		{"+t", 0o777 | sIFDIR, 0o1777 | sIFDIR, true},
		{"a+X", 0o644, 0o644, true},
		{"a+X", 0o744, 0o755, true},
		{"a+X", 0o600 | sIFDIR, 0o711 | sIFDIR, true},
		{"u+x,,g+x", 0o600, 0o710, true},
		{"ug+rw-x", 0o711, 0o661, true},
		{"u=r+w", 0o000, 0o600, true},
		{"u+q", 0, 0, false},
		{"u", 0, 0, false},
		{"x", 0, 0, false},
		{"", 0o644, 0o644, true},
	}
	for _, c := range cases {
		got, ok := parseMode(c.mode, c.cur, 0o022)
		if ok != c.ok || (ok && got != c.want) {
			t.Errorf("parseMode(%q, %o) = %o, %v; want %o, %v", c.mode, c.cur, got, ok, c.want, c.ok)
		}
	}
}

func FuzzParseMode(f *testing.F) {
	for _, s := range []string{"755", "u+x", "go-w,a=r", "+X", "g=u", "u=rwxs,o-t", "=,", "a+", "9"} {
		f.Add(s, uint32(0o644))
	}
	f.Fuzz(func(t *testing.T, s string, cur uint32) {
		cur &= sIFMT | 0o7777
		got, ok := parseMode(s, cur, 0o022)
		if !ok {
			return
		}
		if s != "" && s[0] >= '0' && s[0] <= '7' {
			if got > 0o7777 {
				t.Fatalf("octal %q gave %o", s, got)
			}
			return
		}
		if got&sIFMT != cur&sIFMT {
			t.Fatalf("%q changed the file type: %o -> %o", s, cur, got)
		}
	})
}

func TestFnmatch(t *testing.T) {
	cases := []struct {
		pat, name  string
		fold, want bool
	}{
		{"*.txt", "a.txt", false, true},
		{"*.txt", ".txt", false, true},
		{"*", "a/b", false, true},
		{"a?c", "abc", false, true},
		{"a?c", "ac", false, false},
		{"[a-c]*", "b1", false, true},
		{"[!a-c]*", "b1", false, false},
		{"[^a-c]*", "d1", false, true},
		{"[]]", "]", false, true},
		{"[[:digit:]]x", "5x", false, true},
		{"[[:upper:]]", "a", false, false},
		{`\*`, "*", false, true},
		{`\*`, "a", false, false},
		{"[", "[", false, true},
		{"*.TXT", "a.txt", true, true},
		{"*a*b*c", "xaybzc", false, true},
		{"*a*b*c", "xaybz", false, false},
		{"", "", false, true},
		{"é*", "été", false, true},
		{"?", "é", false, true},
	}
	for _, c := range cases {
		if got := fnmatch(c.pat, c.name, c.fold); got != c.want {
			t.Errorf("fnmatch(%q, %q, %v) = %v", c.pat, c.name, c.fold, got)
		}
	}
}

func FuzzFnmatch(f *testing.F) {
	for _, s := range []string{"*.txt", "[a-z]?", `\[x`, "[!]]*", "[[:alpha:]-]"} {
		f.Add(s, "a.txt")
	}
	f.Fuzz(func(t *testing.T, pat, name string) {
		fnmatch(pat, name, false)
		fnmatch(pat, name, true)
		if !strings.ContainsAny(name, `*?[\`) && !fnmatch(name, name, false) {
			t.Fatalf("literal %q does not match itself", name)
		}
		if !fnmatch("*", name, false) {
			t.Fatalf("* does not match %q", name)
		}
	})
}

func TestBREToERE(t *testing.T) {
	cases := []struct {
		bre, s string
		want   bool
	}{
		{`.*/[a-z]*\.txt`, "./d/ab.txt", true},
		{`.*/[a-z]*\.txt`, "./d/abxtxt", false},
		{`\./d/\(sub\|f1\)`, "./d/f1", true},
		{`a\{2\}`, "aa", true},
		{`a{2}`, "a{2}", true},
		{`a+`, "a+", true},
		{`a\+`, "aaa", true},
		{`*a`, "*a", true},
		{`\(*a\)`, "*a", true},
		{`^ab$`, "ab", true},
		{`a^b`, "a^b", true},
		{`a$b`, "a$b", true},
		{`[[:digit:]]\{3\}`, "123", true},
		{`[]a]*`, "]a]", true},
		{`x|y`, "x|y", true},
		{`(a)`, "(a)", true},
		{`é.`, "éa", true},
	}
	for _, c := range cases {
		re, err := regexp.Compile("^(?:" + breToERE(c.bre) + ")$")
		if err != nil {
			t.Errorf("%q: %v", c.bre, err)
			continue
		}
		if got := re.MatchString(c.s); got != c.want {
			t.Errorf("%q (%q) on %q = %v", c.bre, breToERE(c.bre), c.s, got)
		}
	}
}

func FuzzBREToERE(f *testing.F) {
	for _, s := range []string{`.*\.txt`, `\(a\|b\)\{2,\}`, `[[:alpha:]]*`, `[]x]`, `\`, `a\1`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, bre string) {
		// It may not compile (unbalanced groups), but must not panic, and a
		// plain word must stay a literal.
		regexp.Compile(breToERE(bre))
		if regexp.MustCompile(`^[a-zA-Z0-9 ]*$`).MatchString(bre) && breToERE(bre) != bre {
			t.Fatalf("%q became %q", bre, breToERE(bre))
		}
	})
}

func newTestFinder() *finder {
	return &finder{env: &builtins.Env{Dir: "/", Sys: builtins.NativeSys{}}, needPrint: true, maxDepth: -1, now: time.Now()}
}

func TestParseFind(t *testing.T) {
	ok := [][]string{
		{},
		{"-name", "x"},
		{"-name", "x", "-o", "-type", "d", "-print"},
		{"(", "-name", "a", "-o", "-name", "b", ")", "-a", "!", "-type", "l"},
		{"-not", "-not", "-empty"},
		{"-exec", "echo", "{}", ";"},
		{"-exec", "echo", "[", "{}", "]", "+"},
		{"-maxdepth", "2", "-mindepth", "1", "-depth", "-xdev", "-follow"},
		{"-size", "+1k", "-size", "-2M", "-size", "3"},
		{"-perm", "-u+x", "-perm", "/022", "-perm", "644"},
		{"-mtime", "+1", "-mmin", "-5", "-atime", "2", "-cmin", "3"},
		{"-user", "0", "-group", "root", "-uid", "0", "-gid", "0"},
		{"-regex", `.*\.c`, "-iregex", `.*\.C`},
		{"-printf", `%p\n`, "-print0", "-quit", "-prune"},
		{"-links", "+1", "-inum", "5"},
	}
	for _, args := range ok {
		f := newTestFinder()
		if _, err := parseFind(f, args); err != nil {
			t.Errorf("%q: %v", args, err)
		}
	}
	bad := [][]string{
		{"-name"},
		{"("},
		{"(", "-name", "a"},
		{")"},
		{"-name", "a", ")"},
		{"(", ")"},
		{"-o"},
		{"-name", "a", "-o"},
		{"!"},
		{"-type", "q"},
		{"-type", "ff"},
		{"-exec", "echo"},
		{"-exec", ";"},
		{"-exec", "echo", "{}", "{}", "+"},
		{"-size", "x"},
		{"-size", ""},
		{"-maxdepth", "-1"},
		{"-perm", "u+q"},
		{"-user", "nosuchuser-xyz"},
		{"-bogus"},
		{"-newer", "/nonexistent/file"},
	}
	for _, args := range bad {
		f := newTestFinder()
		if _, err := parseFind(f, args); err == nil {
			t.Errorf("%q: want an error", args)
		}
	}
	// -a binds tighter than -o; "!" applies to the next primary only.
	f := newTestFinder()
	n, _ := parseFind(f, []string{"-name", "a", "-o", "-name", "b", "-type", "d"})
	if _, isOr := n.(orNode); !isOr {
		t.Errorf("precedence: got %T", n)
	}
	n, _ = parseFind(f, []string{"!", "-name", "a", "-type", "d"})
	if and, isAnd := n.(andNode); !isAnd {
		t.Errorf("! binding: got %T", n)
	} else if _, isNot := and.l.(notNode); !isNot {
		t.Errorf("! binding: left is %T", and.l)
	}
}

func FuzzParseFind(f *testing.F) {
	f.Add("-name x -o ( -type d ! -empty )")
	f.Add("-exec echo {} + -print")
	f.Add("-size +3k -mtime -2 -perm /111")
	f.Add("( ( ! -not ) ) -o")
	f.Fuzz(func(t *testing.T, s string) {
		args := strings.Fields(s)
		for _, a := range args {
			if strings.HasPrefix(a, "-newer") || strings.HasPrefix(a, "-samefile") {
				return // these stat files
			}
		}
		fd := newTestFinder()
		n, err := parseFind(fd, args)
		if err == nil && n == nil {
			t.Fatalf("%q: nil expression without error", args)
		}
	})
}

func TestParseDate(t *testing.T) {
	now := time.Date(2026, 11, 27, 10, 20, 30, 0, time.Local)
	cases := []struct {
		in   string
		want time.Time
		ok   bool
	}{
		{"2021-05-06 07:08:09", time.Date(2021, 5, 6, 7, 8, 9, 0, time.Local), true},
		{"2021-05-06 07:08", time.Date(2021, 5, 6, 7, 8, 30, 0, time.Local), true}, // seconds kept from now
		{"2021-05-06", time.Date(2021, 5, 6, 10, 20, 30, 0, time.Local), true},     // so is the time of day
		{"2021-05-06 07", time.Date(2021, 5, 6, 7, 20, 30, 0, time.Local), true},
		{"07:08", time.Date(2026, 11, 27, 7, 8, 30, 0, time.Local), true},
		{"2007.02.03-04:05:06", time.Date(2007, 2, 3, 4, 5, 6, 0, time.Local), true},
		{"02.03-04:05", time.Date(2026, 2, 3, 4, 5, 30, 0, time.Local), true},
		{"Feb 3 04:05:06 2007", time.Date(2007, 2, 3, 4, 5, 6, 0, time.Local), true},
		{"@1600000000", time.Unix(1600000000, 0), true},
		{"202105060708.09", time.Date(2021, 5, 6, 7, 8, 9, 0, time.Local), true},
		{"2105060708", time.Date(2021, 5, 6, 7, 8, 0, 0, time.Local), true},
		{"05060708", time.Date(2026, 5, 6, 7, 8, 0, 0, time.Local), true},
		{"0708", time.Date(2026, 11, 27, 7, 8, 0, 0, time.Local), true},
		{"2021-05-06T07:08", time.Time{}, false},
		{"13010000", time.Time{}, false},
		{"yesterday", time.Time{}, false},
	}
	for _, c := range cases {
		got, ok := parseDate(c.in, now)
		if ok != c.ok || (ok && !got.Equal(c.want)) {
			t.Errorf("parseDate(%q) = %v, %v; want %v, %v", c.in, got, ok, c.want, c.ok)
		}
	}
}

func TestHumanSizes(t *testing.T) {
	for _, c := range []struct {
		v    uint64
		want string
	}{{0, "0"}, {1, "1"}, {1023, "1023"}, {1024, "1.0K"}, {1536, "1.5K"}, {4096, "4.0K"}, {1048575, "1024.0K"}, {1 << 20, "1.0M"}, {5 << 30, "5.0G"}} {
		if got := humanSize(c.v); got != c.want {
			t.Errorf("humanSize(%d) = %q, want %q", c.v, got, c.want)
		}
	}
	if got := humanSizeInt(12 * 1024); got != "12K" {
		t.Errorf("humanSizeInt = %q", got)
	}
	if got := modeString(sIFDIR | 0o1777); got != "drwxrwxrwt" {
		t.Error(got)
	}
	if got := modeString(sIFREG | 0o4644); got != "-rwSr--r--" {
		t.Error(got)
	}
	if got := modeString(sIFREG | 0o2711); got != "-rwx--s--x" {
		t.Error(got)
	}
}
