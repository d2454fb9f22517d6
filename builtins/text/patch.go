package text

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/sockerless/sockerless/builtins"
)

func init() {
	builtins.Register(&builtins.Command{
		Name: "patch",
		Usage: `Usage: patch [-RNE] [-p N] [-i DIFF] [ORIGFILE [PATCHFILE]]

Apply a unified diff to files.

	-p N	Strip N leading components from file names
	-i DIFF	Read DIFF instead of stdin
	-R	Reverse patch
	-N	Ignore already applied patches
	-E	Remove output files if they become empty
	-o FILE	Write the result to FILE
	--dry-run	Don't actually change files`,
		Run: runPatch,
	})
}

type patchHunk struct {
	oldStart, oldLen int
	newStart, newLen int
	lines            []patchLine
}

type patchLine struct {
	kind  byte // ' ', '-', '+'
	text  string
	noEOL bool
}

type filePatch struct {
	oldName, newName string
	hunks            []*patchHunk
}

func runPatch(ctx context.Context, env *builtins.Env, args []string) int {
	fs := builtins.Flags(env, "patch")
	strip := fs.IntP("strip", "p", -1, "")
	input := fs.StringP("input", "i", "", "")
	reverse := fs.BoolP("reverse", "R", false, "")
	forward := fs.BoolP("forward", "N", false, "")
	removeEmpty := fs.BoolP("remove-empty-files", "E", false, "")
	dryRun := fs.Bool("dry-run", false, "")
	output := fs.StringP("output", "o", "", "")
	dir := fs.StringP("directory", "d", "", "")
	fs.BoolP("silent", "s", false, "")
	fs.BoolP("quiet", "", false, "")
	fs.BoolP("force", "f", false, "")
	fs.BoolP("batch", "t", false, "")
	fs.BoolP("unified", "u", false, "")
	fs.StringP("fuzz", "F", "", "")
	if st, ok := builtins.ParseFlags(env, fs, args[1:]); !ok {
		return st
	}
	rest := fs.Args()
	var orig string
	if len(rest) > 0 {
		orig = rest[0]
	}
	if len(rest) > 1 && *input == "" {
		*input = rest[1]
	}
	base := env.Dir
	if *dir != "" {
		base = env.Abs(*dir)
	}
	abs := func(name string) string {
		if filepath.IsAbs(name) {
			return name
		}
		return filepath.Join(base, name)
	}
	var r io.Reader = env.Stdin
	if *input != "" && *input != "-" {
		f, err := os.Open(env.Abs(*input))
		if err != nil {
			env.Errorf("patch", "can't open '%s': %s", *input, errText(err))
			return 1
		}
		defer f.Close()
		r = f
	}
	patches, err := parsePatch(r)
	if err != nil {
		env.Errorf("patch", "%v", err)
		return 1
	}
	status := 0
	for _, fp := range patches {
		if ctx.Err() != nil {
			return 1
		}
		if *reverse {
			fp.oldName, fp.newName = fp.newName, fp.oldName
			for _, h := range fp.hunks {
				h.oldStart, h.newStart = h.newStart, h.oldStart
				h.oldLen, h.newLen = h.newLen, h.oldLen
				for i := range h.lines {
					switch h.lines[i].kind {
					case '-':
						h.lines[i].kind = '+'
					case '+':
						h.lines[i].kind = '-'
					}
				}
			}
		}
		// busybox also takes a first hunk at -0,0 for a new file
		creating := fp.oldName == "/dev/null" ||
			len(fp.hunks) > 0 && fp.hunks[0].oldStart == 0 && fp.hunks[0].oldLen == 0
		deleting := fp.newName == "/dev/null"
		name := fp.newName
		if deleting || name == "" {
			name = fp.oldName
		}
		name = stripPath(name, *strip)
		if orig != "" {
			name = orig
		}
		path := abs(name)
		var lines []string
		noEOL := false
		if creating {
			fmt.Fprintf(env.Stdout, "creating %s\n", name)
			if _, err := os.Stat(path); err == nil {
				env.Errorf("patch", "can't open '%s': File exists", name)
				status = 1
				continue
			}
		} else {
			if deleting && *removeEmpty {
				fmt.Fprintf(env.Stdout, "removing %s\n", name)
			} else {
				fmt.Fprintf(env.Stdout, "patching file %s\n", name)
			}
			data, err := os.ReadFile(path)
			if err != nil {
				env.Errorf("patch", "can't open '%s': %s", name, errText(err))
				status = 1
				continue
			}
			lines, noEOL = splitLines(string(data))
		}
		failed := 0
		pos := 0
		for i, h := range fp.hunks {
			out, at, nOld, nNew, ok := applyHunk(lines, h, pos)
			if !ok {
				if *forward {
					// an already applied hunk is skipped quietly
					failed++
					continue
				}
				failed++
				fmt.Fprintf(env.Stderr, "Hunk %d FAILED %d/%d.\n", i+1, h.oldStart, h.newStart)
				for _, l := range h.lines {
					fmt.Fprintf(env.Stderr, "%c%s\n", l.kind, l.text)
				}
				continue
			}
			// like busybox, "\ No newline at end of file" markers are
			// ignored: the file keeps its final newline (or lack of it)
			_ = nOld
			pos = at + nNew
			lines = out
		}
		if failed > 0 {
			status = 1
		}
		if *dryRun {
			continue
		}
		target := path
		if *output != "" {
			target = env.Abs(*output)
		}
		if deleting && *removeEmpty && len(lines) == 0 {
			os.Remove(path)
			continue
		}
		var b strings.Builder
		for i, l := range lines {
			b.WriteString(l)
			if i < len(lines)-1 || !noEOL {
				b.WriteByte('\n')
			}
		}
		if creating {
			os.MkdirAll(filepath.Dir(target), 0o755)
		}
		mode := os.FileMode(0o644)
		if info, err := env.Sys.Stat(path); err == nil {
			mode = info.Mode().Perm()
		}
		if err := os.WriteFile(target, []byte(b.String()), mode); err != nil {
			env.Errorf("patch", "can't write '%s': %s", name, errText(err))
			status = 1
		}
	}
	return status
}

func splitLines(s string) ([]string, bool) {
	if s == "" {
		return nil, false
	}
	noEOL := !strings.HasSuffix(s, "\n")
	s = strings.TrimSuffix(s, "\n")
	return strings.Split(s, "\n"), noEOL
}

// stripPath removes n leading components; n < 0 keeps the base name.
func stripPath(name string, n int) string {
	if n < 0 {
		return filepath.Base(name)
	}
	for i := 0; i < n; i++ {
		j := strings.IndexByte(name, '/')
		if j < 0 {
			break
		}
		name = strings.TrimLeft(name[j+1:], "/")
	}
	return name
}

// applyHunk finds the hunk's old lines at or after from, as close to the
// line it names as possible, and replaces them with its new lines.
func applyHunk(lines []string, h *patchHunk, from int) (out []string, at, nOld, nNew int, ok bool) {
	var old, repl []string
	lead, trail := 0, 0
	seenChange := false
	for _, l := range h.lines {
		if l.kind != '+' {
			old = append(old, l.text)
		}
		if l.kind != '-' {
			repl = append(repl, l.text)
		}
		if l.kind == ' ' {
			if seenChange {
				trail++
			} else {
				lead++
			}
		} else {
			seenChange = true
			trail = 0
		}
	}
	matchAt := func(at int) bool {
		if at < from || at+len(old) > len(lines) {
			return false
		}
		// fewer trailing than leading context lines pins the hunk to
		// the end of the file
		if trail < lead && at+len(old) != len(lines) {
			return false
		}
		for i, s := range old {
			if lines[at+i] != s {
				return false
			}
		}
		return true
	}
	want := h.oldStart - 1
	if h.oldLen == 0 {
		want = h.oldStart
	}
	if want < 0 {
		want = 0
	}
	found := -1
	for d := 0; d <= len(lines)+1; d++ {
		if matchAt(want + d) {
			found = want + d
			break
		}
		if d > 0 && matchAt(want-d) {
			found = want - d
			break
		}
	}
	if found < 0 {
		return nil, 0, 0, 0, false
	}
	out = make([]string, 0, len(lines)-len(old)+len(repl))
	out = append(out, lines[:found]...)
	out = append(out, repl...)
	out = append(out, lines[found+len(old):]...)
	return out, found, len(old), len(repl), true
}

// parsePatch reads the file patches of a unified diff.
func parsePatch(r io.Reader) ([]*filePatch, error) {
	br := bufio.NewReader(r)
	var lines []string
	for {
		l, err := br.ReadString('\n')
		if l != "" {
			lines = append(lines, strings.TrimSuffix(strings.TrimSuffix(l, "\n"), "\r"))
		}
		if err != nil {
			break
		}
	}
	var out []*filePatch
	var cur *filePatch
	for i := 0; i < len(lines); i++ {
		l := lines[i]
		switch {
		case strings.HasPrefix(l, "--- ") && i+1 < len(lines) && strings.HasPrefix(lines[i+1], "+++ "):
			cur = &filePatch{oldName: headerName(l[4:]), newName: headerName(lines[i+1][4:])}
			out = append(out, cur)
			i++
		case strings.HasPrefix(l, "@@ ") && cur != nil:
			h, err := parseHunkHeader(l)
			if err != nil {
				return nil, err
			}
			oldLeft, newLeft := h.oldLen, h.newLen
			for (oldLeft > 0 || newLeft > 0) && i+1 < len(lines) {
				i++
				b := lines[i]
				kind := byte(' ')
				text := ""
				if b != "" {
					kind, text = b[0], b[1:]
				}
				switch kind {
				case ' ':
					oldLeft--
					newLeft--
				case '-':
					oldLeft--
				case '+':
					newLeft--
				case '\\':
					if n := len(h.lines); n > 0 {
						h.lines[n-1].noEOL = true
					}
					continue
				default:
					return nil, fmt.Errorf("malformed patch at line %d: %s", i+1, b)
				}
				h.lines = append(h.lines, patchLine{kind: kind, text: text})
			}
			if i+1 < len(lines) && strings.HasPrefix(lines[i+1], `\`) {
				i++
				if n := len(h.lines); n > 0 {
					h.lines[n-1].noEOL = true
				}
			}
			cur.hunks = append(cur.hunks, h)
		}
	}
	return out, nil
}

func headerName(s string) string {
	if i := strings.IndexByte(s, '\t'); i >= 0 {
		s = s[:i]
	}
	return strings.TrimSpace(s)
}

func parseHunkHeader(l string) (*patchHunk, error) {
	fields := strings.Fields(l)
	if len(fields) < 3 || !strings.HasPrefix(fields[1], "-") || !strings.HasPrefix(fields[2], "+") {
		return nil, fmt.Errorf("malformed hunk header: %s", l)
	}
	rng := func(s string) (int, int, error) {
		a, b, hasLen := strings.Cut(s, ",")
		start, err := strconv.Atoi(a)
		if err != nil {
			return 0, 0, err
		}
		n := 1
		if hasLen {
			if n, err = strconv.Atoi(b); err != nil {
				return 0, 0, err
			}
		}
		return start, n, nil
	}
	h := &patchHunk{}
	var err error
	if h.oldStart, h.oldLen, err = rng(fields[1][1:]); err != nil {
		return nil, fmt.Errorf("malformed hunk header: %s", l)
	}
	if h.newStart, h.newLen, err = rng(fields[2][1:]); err != nil {
		return nil, fmt.Errorf("malformed hunk header: %s", l)
	}
	return h, nil
}
