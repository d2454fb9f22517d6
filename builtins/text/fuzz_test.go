package text

import (
	"context"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/sockerless/sockerless/builtins"
)

// FuzzTranslateRegex checks that the BRE/ERE translator never panics and
// that whatever it accepts compiles as RE2 (bar repeat counts over 1000,
// which RE2 refuses).
func FuzzTranslateRegex(f *testing.F) {
	for _, s := range []string{
		`a*b`, `\(ab\)*\{2,3\}`, `[[:alpha:]]\+x\?`, `^*ab$`, `a\|b`, `[]a-]`, `[^]]`, `\<w\>`,
		`(a|b)+{2}`, `a**`, `\(a*\)*\1`, `\(.\)\1`, `(x|y)\1+`, `a{,3}`, `{`, `a{1`, `()`, `[[.a.][=b=]]`, `\n\t.`, `x$y`, `\(^a$\)`,
	} {
		f.Add(s, false)
		f.Add(s, true)
	}
	f.Fuzz(func(t *testing.T, re string, ere bool) {
		g, err := translateRegex(re, ere)
		if err != nil {
			return
		}
		if _, err := regexp.Compile(g); err != nil && !strings.Contains(err.Error(), "invalid repeat count") {
			t.Fatalf("translate(%q, ere=%v) = %q, which does not compile: %v", re, ere, g, err)
		}
		// and the matcher (backtracking for back-references) runs
		if rx, err := newRegex("(?s)" + g); err == nil {
			rx.FindAllStringSubmatchIndex("abcabc aa\nxyz ab", -1)
		}
	})
}

// FuzzSedScript checks that the sed script parser and executor never
// panic, and that a looping script stops when its context ends.
func FuzzSedScript(f *testing.F) {
	for _, s := range []string{
		"p", "s/a/b/g", "1!G;h;$!d", ":a;N;$!ba;s/\\n/,/g", "/x/,/y/{s//z/;p}", "2,+1d", "0,/a/d",
		"1~2p", "y/abc/xyz/", "a\\\ntext", "i foo", "$!N;P;D", "s/\\(a\\)\\(b\\)/\\U\\2\\E\\1/", "x;G;H;g",
		"w /dev/null", "l 5", "q3", "Q", "{{p};p}", "b end; p; :end", "s/x*/-/2g", "c\\", "=;l;n;N;D",
	} {
		f.Add(s, "ab\nxy\nab cd\n")
	}
	f.Fuzz(func(t *testing.T, script, input string) {
		cmds, err := parseSed(script, false)
		if err != nil {
			return
		}
		// never write files from the fuzzer
		for _, c := range cmds {
			if c.wfile != "" || c.name == 'w' || c.name == 'W' || c.name == 'r' || c.name == 'R' {
				return
			}
		}
		ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
		defer cancel()
		var out strings.Builder
		env := &builtins.Env{Stdin: strings.NewReader(input), Stdout: &limitWriter{w: &out}, Stderr: &limitWriter{w: &out}, Dir: t.TempDir()}
		runSed(ctx, env, []string{"sed", "-e", script})
	})
}

// limitWriter stops growing after a megabyte.
type limitWriter struct {
	w interface{ Write([]byte) (int, error) }
	n int
}

func (l *limitWriter) Write(p []byte) (int, error) {
	if l.n > 1<<20 {
		return len(p), nil
	}
	l.n += len(p)
	return l.w.Write(p)
}

// FuzzExpr checks the expr parser on arbitrary token lists.
func FuzzExpr(f *testing.F) {
	for _, s := range []string{"1 + 2", "( 1 + 2 ) * 3", "abc : a\\(.\\)", "substr hello 2 3", "length", "a | b & c", "9223372036854775807 * -1 / -1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		args := append([]string{"expr"}, strings.Fields(s)...)
		var out strings.Builder
		env := &builtins.Env{Stdout: &out, Stderr: &out}
		if st := runExpr(context.Background(), env, args); st < 0 || st > 2 {
			t.Fatalf("expr %q: status %d", s, st)
		}
	})
}

// FuzzPrintf checks the printf format interpreter.
func FuzzPrintf(f *testing.F) {
	for _, s := range []string{`%s\n`, `%5.2f|%-*d`, `%b`, `\0101\x4g\c`, `%`, `%.*s`, `%#o %+i %c`} {
		f.Add(s, "12", "'x")
	}
	f.Fuzz(func(t *testing.T, format, a, b string) {
		var out strings.Builder
		env := &builtins.Env{Stdout: &out, Stderr: &out}
		runPrintf(context.Background(), env, []string{"printf", format, a, b})
	})
}
