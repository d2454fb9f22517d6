//go:build ignore

package interp

// File descriptors above 2 (sockerless; written into
// mvdan.cc/sh/v3/interp by guests/sandbox/internal/shpatch). Upstream's
// runner knows only stdin, stdout and stderr; this adds a table of the
// others, so that `exec 3>file; echo x >&3; exec 3>&-`,
// `exec 4<file; read x <&4` and `cmd 3>&1 1>&2 2>&3` work as in ash.
//
// The table is copied on write: a statement's redirections replace
// Runner.fds and the statement puts the old table back when it ends
// (unless exec keeps them), and a subshell shares its parent's table
// without being able to change it.

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"os"

	"mvdan.cc/sh/v3/syntax"
)

// fdEntry is one open descriptor above 2: what it reads from, what it
// writes to (either may be nil), and the file behind it if a
// redirection of this runner opened it (which closes it when no
// descriptor refers to it any more).
type fdEntry struct {
	r     stdinFile
	w     io.Writer
	c     io.Closer
	owner *Runner
}

// maxFd bounds the descriptor numbers a redirection may name.
const maxFd = 1 << 16

// redirFd parses the descriptor a redirection names; ok is false when
// it names none (its default applies) or one that is not a number.
func redirFd(rd *syntax.Redirect) (n int, ok bool) {
	if rd.N == nil {
		return 0, false
	}
	s := rd.N.Value
	if s == "" || len(s) > 5 {
		return 0, false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
		n = n*10 + int(s[i]-'0')
	}
	return n, n < maxFd
}

// redir applies one redirection. Descriptors 0-2 opened on files and
// here-documents go to upstream's code (redirStd, which also opens >|
// files: > that set -C does not stop); descriptors above 2,
// duplications (>&, <&), closing (>&-, <&-) and <> are handled here.
func (r *Runner) redir(ctx context.Context, rd *syntax.Redirect) (io.Closer, error) {
	n, numbered := redirFd(rd)
	if rd.N != nil && !numbered {
		return r.redirStd(ctx, rd)
	}
	switch rd.Op {
	case syntax.DplIn, syntax.DplOut:
		if !numbered {
			n = 1
			if rd.Op == syntax.DplIn {
				n = 0
			}
		}
		return nil, r.dupFd(n, r.literal(rd.Word), rd.Op)
	case syntax.RdrInOut:
		if !numbered {
			n = 0
		}
		f, err := r.open(ctx, r.literal(rd.Word), os.O_RDWR|os.O_CREATE, 0o644, false)
		if err != nil {
			return nil, err
		}
		in, err := newStdinFile(f)
		if err != nil {
			f.Close()
			return nil, err
		}
		r.setFd(n, &fdEntry{r: in, w: f, c: f, owner: r})
		return f, nil
	}
	if !numbered || n <= 2 {
		return r.redirStd(ctx, rd)
	}
	// N>file, N>>file, N<file, N<<EOF: upstream's code opens the file
	// as stdin or stdout, which is then moved to N.
	rd2 := *rd
	rd2.N = nil
	oldIn, oldOut := r.stdin, r.stdout
	cls, err := r.redirStd(ctx, &rd2)
	in, out := r.stdin, r.stdout
	r.stdin, r.stdout = oldIn, oldOut
	if err != nil {
		return cls, err
	}
	e := &fdEntry{owner: r}
	if cls != nil {
		e.c = cls
	}
	switch rd.Op {
	case syntax.RdrIn, syntax.Hdoc, syntax.DashHdoc, syntax.WordHdoc:
		e.r = in
	default:
		e.w = out
	}
	r.setFd(n, e)
	return cls, nil
}

// fdRef is what descriptor n refers to now, nil if it is not open.
func (r *Runner) fdRef(n int) *fdEntry {
	switch n {
	case 0:
		if r.stdin == nil {
			return nil
		}
		e := &fdEntry{r: r.stdin}
		if w, ok := any(r.stdin).(io.Writer); ok {
			e.w = w
		}
		return e
	case 1, 2:
		w := r.stdout
		if n == 2 {
			w = r.stderr
		}
		if w == nil {
			return nil
		}
		return &fdEntry{w: w}
	}
	return r.fds[n]
}

// setFd makes descriptor n refer to e (nil closes it).
func (r *Runner) setFd(n int, e *fdEntry) {
	switch n {
	case 0:
		if e == nil {
			r.stdin = nil
		} else {
			r.stdin = e.r
		}
		return
	case 1, 2:
		w := io.Writer(io.Discard) // upstream's "closed" output
		if e != nil {
			w = e.w
		}
		if n == 1 {
			r.stdout = w
		} else {
			r.stderr = w
		}
		return
	}
	if e == nil && r.fds[n] == nil {
		return
	}
	fds := make(map[int]*fdEntry, len(r.fds)+1)
	maps.Copy(fds, r.fds)
	if e == nil {
		delete(fds, n)
	} else {
		fds[n] = e
	}
	r.fds = fds
}

// dupFd applies N>&M or N<&M: descriptor n becomes a copy of m, or is
// closed when arg is "-".
func (r *Runner) dupFd(n int, arg string, op syntax.RedirOperator) error {
	if arg == "-" {
		r.setFd(n, nil)
		return nil
	}
	m, ok := redirFd(&syntax.Redirect{N: &syntax.Lit{Value: arg}})
	if !ok {
		return fmt.Errorf("%s: bad file descriptor number", arg)
	}
	e := r.fdRef(m)
	if e == nil || (n == 0 && e.r == nil) || (n == 1 || n == 2) && e.w == nil {
		return fmt.Errorf("%d: Bad file descriptor", m)
	}
	if n > 2 && m <= 2 {
		// A copy of stdin/stdout/stderr as they are now.
		e = &fdEntry{r: e.r, w: e.w}
	}
	r.setFd(n, e)
	return nil
}

// closeDropped closes the files of descriptors that were open in old
// and that exec has closed or replaced: those this runner opened and
// that no descriptor refers to any more.
func (r *Runner) closeDropped(old map[int]*fdEntry) {
	for n, e := range old {
		if r.fds[n] == e || e.c == nil || e.owner != r || r.fdInUse(e) {
			continue
		}
		e.c.Close()
	}
}

// fdInUse reports whether a descriptor of r still refers to e's file.
func (r *Runner) fdInUse(e *fdEntry) bool {
	for _, e2 := range r.fds {
		if e2 == e || e2.c == e.c {
			return true
		}
	}
	return sameValue(r.stdin, e.r) || sameValue(r.stdout, e.w) || sameValue(r.stderr, e.w)
}

// sameValue is a == b for interface values whose dynamic type may not
// be comparable (== panics on those: they are not the same file).
func sameValue(a, b any) (same bool) {
	if a == nil || b == nil {
		return false
	}
	defer func() {
		if recover() != nil {
			same = false
		}
	}()
	return a == b
}

// openNoClobber opens the file of a > or &> redirection under set -C
// (noclobber), as ash does: a new file is created, an existing regular
// file is an error and is left as it was, anything else (/dev/null, a
// fifo, a terminal) opens as without the option.
func (r *Runner) openNoClobber(ctx context.Context, path string, mode int) (io.ReadWriteCloser, error) {
	f, err := r.open(ctx, path, mode|os.O_EXCL, 0o644, false)
	if err == nil || !errors.Is(err, fs.ErrExist) {
		return f, err
	}
	f, err = r.open(ctx, path, mode&^(os.O_CREATE|os.O_TRUNC), 0o644, false)
	if err != nil {
		return nil, err
	}
	if st, ok := f.(interface{ Stat() (fs.FileInfo, error) }); ok {
		if info, err := st.Stat(); err != nil || info.Mode().IsRegular() {
			f.Close()
			if err == nil {
				err = errors.New("File exists")
			}
			return nil, fmt.Errorf("can't create %s: %w", path, err)
		}
	}
	return f, nil
}
