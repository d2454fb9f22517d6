package files

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/sockerless/sockerless/builtins"
)

func init() {
	builtins.Register(
		&builtins.Command{Name: "cp", Usage: cpUsage, Run: runCp},
		&builtins.Command{Name: "mv", Usage: mvUsage, Run: runMv},
	)
}

const cpUsage = `Usage: cp [-arPLHpfinlsTuv] SOURCE DEST
or: cp [-arPLHpfinlsuv] SOURCE... { -t DIRECTORY | DIRECTORY }

Copy SOURCEs to DEST

	-a	Same as -dpR
	-R,-r	Recurse
	-d,-P	Preserve symlinks (default if -R)
	-L	Follow all symlinks
	-H	Follow symlinks on command line
	-p	Preserve file attributes if possible
	-f	Overwrite
	-i	Prompt before overwrite
	-n	Don't overwrite
	-l,-s	Create (sym)links
	-T	Refuse to copy if DEST is a directory
	-t DIR	Copy all SOURCEs into DIR
	-u	Copy only newer files
	-v	Verbose`

const mvUsage = `Usage: mv [-finTv] SOURCE DEST
or: mv [-finv] SOURCE... { -t DIRECTORY | DIRECTORY }

Rename SOURCE to DEST, or move SOURCEs to DIRECTORY

	-f	Don't prompt before overwriting
	-i	Interactive, prompt before overwrite
	-n	Don't overwrite an existing file
	-T	Refuse to move if DEST is a directory
	-t DIR	Move all SOURCEs into DIR
	-v	Verbose`

// umask is the process's file creation mask: the host applies it to
// what WASI creates, and commands that set modes themselves apply it too.
func umask(env *builtins.Env) uint32 { return uint32(env.Sys.Umask() & 0o777) }

// Dereference policies for copies.
const (
	derefNever = iota
	derefArgs
	derefAll
)

type copier struct {
	ctx                                context.Context
	env                                *builtins.Env
	cmd                                string
	recursive, preserve, force, noClob bool
	interactive, verbose, update, hard bool
	soft                               bool
	deref                              int
	active                             map[[2]uint64]bool
	status                             int
}

// targets works out the (source, destination) pairs of cp/mv/ln-style
// operands. It reports false after printing an error.
func targets(env *builtins.Env, cmd string, ops []string, targetDir string, noTargetDir bool) (srcs []string, dsts []string, ok bool) {
	if targetDir != "" {
		if !isDir(env.Abs(targetDir)) {
			env.Errorf(cmd, "'%s' is not a directory", targetDir)
			return nil, nil, false
		}
		for _, s := range ops {
			srcs = append(srcs, s)
			dsts = append(dsts, joinName(targetDir, baseName(s)))
		}
		return srcs, dsts, true
	}
	if len(ops) < 2 {
		env.Errorf(cmd, "missing file operand")
		return nil, nil, false
	}
	last := ops[len(ops)-1]
	ops = ops[:len(ops)-1]
	if len(ops) == 1 && (noTargetDir || !isDir(env.Abs(last))) {
		return ops, []string{last}, true
	}
	if noTargetDir && len(ops) > 1 {
		env.Errorf(cmd, "extra operand '%s'", last)
		return nil, nil, false
	}
	if !isDir(env.Abs(last)) {
		env.Errorf(cmd, "'%s' is not a directory", last)
		return nil, nil, false
	}
	for _, s := range ops {
		srcs = append(srcs, s)
		dsts = append(dsts, joinName(last, baseName(s)))
	}
	return srcs, dsts, true
}

// baseName is the last element of name, ignoring trailing slashes.
func baseName(name string) string {
	t := strings.TrimRight(name, "/")
	if t == "" {
		return "/"
	}
	return filepath.Base(t)
}

func joinName(dir, name string) string {
	if strings.HasSuffix(dir, "/") {
		return dir + name
	}
	return dir + "/" + name
}

func runCp(ctx context.Context, env *builtins.Env, args []string) int {
	fl := builtins.Flags(env, "cp")
	c := &copier{ctx: ctx, env: env, cmd: "cp", active: map[[2]uint64]bool{}}
	var archive, rec2, noDeref, noDeref2, derefL, derefH, noTarget bool
	var targetDir string
	fl.BoolVarP(&archive, "archive", "a", false, "")
	fl.BoolVarP(&c.recursive, "recursive", "R", false, "")
	fl.BoolVarP(&rec2, "recursive-r", "r", false, "")
	fl.BoolVarP(&noDeref, "no-dereference", "P", false, "")
	fl.BoolVarP(&noDeref2, "no-dereference-d", "d", false, "")
	fl.BoolVarP(&derefL, "dereference", "L", false, "")
	fl.BoolVarP(&derefH, "dereference-args", "H", false, "")
	fl.BoolVarP(&c.preserve, "preserve", "p", false, "")
	fl.BoolVarP(&c.force, "force", "f", false, "")
	fl.BoolVarP(&c.interactive, "interactive", "i", false, "")
	fl.BoolVarP(&c.noClob, "no-clobber", "n", false, "")
	fl.BoolVarP(&c.hard, "link", "l", false, "")
	fl.BoolVarP(&c.soft, "symbolic-link", "s", false, "")
	fl.BoolVarP(&noTarget, "no-target-directory", "T", false, "")
	fl.StringVarP(&targetDir, "target-directory", "t", "", "")
	fl.BoolVarP(&c.update, "update", "u", false, "")
	fl.BoolVarP(&c.verbose, "verbose", "v", false, "")
	if st, ok := builtins.ParseFlags(env, fl, args[1:]); !ok {
		return st
	}
	c.recursive = c.recursive || rec2 || archive
	c.preserve = c.preserve || archive
	switch {
	case derefL:
		c.deref = derefAll
	case derefH:
		c.deref = derefArgs
	case noDeref || noDeref2 || archive || c.recursive:
		c.deref = derefNever
	default:
		c.deref = derefAll
	}
	srcs, dsts, ok := targets(env, "cp", fl.Args(), targetDir, noTarget)
	if !ok {
		return 1
	}
	for i := range srcs {
		if ctx.Err() != nil {
			return 1
		}
		c.copy(srcs[i], dsts[i], true)
	}
	return c.status
}

func (c *copier) fail(format string, args ...any) {
	c.env.Errorf(c.cmd, format, args...)
	c.status = 1
}

func (c *copier) follow(top bool) bool {
	return c.deref == derefAll || (c.deref == derefArgs && top)
}

// copy copies src to dst; both are names as the user sees them.
func (c *copier) copy(src, dst string, top bool) bool {
	if c.ctx.Err() != nil {
		c.status = 1
		return false
	}
	asrc, adst := c.env.Abs(src), c.env.Abs(dst)
	var si fs.FileInfo
	var err error
	if c.follow(top) {
		si, err = c.env.Sys.Stat(asrc)
	} else {
		si, err = c.env.Sys.Lstat(asrc)
	}
	if err != nil {
		c.fail("can't stat '%s': %s", src, errText(err))
		return false
	}
	sst := statT(si)
	smode := unixMode(si.Mode())
	di, derr := c.env.Sys.Lstat(adst)
	dexists := derr == nil
	if dexists {
		dst := statT(di)
		if dst.Ino == sst.Ino && dst.Dev == sst.Dev && sst.Ino != 0 {
			c.fail("'%s' and '%s' are the same file", src, dst)
			return false
		}
	}
	if si.IsDir() {
		if !c.recursive {
			c.fail("omitting directory '%s'", src)
			return false
		}
		key := [2]uint64{sst.Dev, sst.Ino}
		if c.active[key] {
			c.fail("recursion detected, omitting directory '%s'", src)
			return false
		}
		if rel, err := filepath.Rel(asrc, adst); err == nil && (rel == "." || !strings.HasPrefix(rel, "..")) {
			c.fail("can't copy a directory into itself: '%s'", src)
			return false
		}
		c.active[key] = true
		defer delete(c.active, key)
		created := false
		if dexists {
			if !di.IsDir() {
				if ti, err := os.Stat(adst); err != nil || !ti.IsDir() {
					c.fail("target '%s' is not a directory", dst)
					return false
				}
			}
		} else {
			if c.verbose {
				fmt.Fprintf(c.env.Stdout, "'%s' -> '%s'\n", src, dst)
			}
			if err := os.Mkdir(adst, 0o700); err != nil {
				c.fail("can't create directory '%s': %s", dst, errText(err))
				return false
			}
			created = true
			c.env.Sys.Chmod(adst, 0o700)
		}
		ents, err := os.ReadDir(asrc)
		if err != nil {
			c.fail("can't open '%s': %s", src, errText(err))
		}
		for _, e := range ents {
			c.copy(joinName(src, e.Name()), joinName(dst, e.Name()), false)
		}
		if c.preserve {
			c.attrs(adst, si, false)
		} else if created {
			c.env.Sys.Chmod(adst, goPerm(smode&0o7777&^umask(c.env)))
		}
		return true
	}
	if dexists {
		if c.noClob {
			return true
		}
		if c.update && !di.IsDir() && !si.ModTime().After(di.ModTime()) {
			return true
		}
		if c.interactive && !ask(c.env, fmt.Sprintf("%s: overwrite '%s'? ", c.cmd, dst)) {
			return true
		}
	}
	if c.verbose {
		fmt.Fprintf(c.env.Stdout, "'%s' -> '%s'\n", src, dst)
	}
	if c.hard || c.soft {
		if dexists {
			if c.force || true {
				os.Remove(adst)
			}
		}
		if c.soft {
			err = os.Symlink(src, adst)
		} else {
			err = os.Link(asrc, adst)
		}
		if err != nil {
			c.fail("can't create link '%s': %s", dst, errText(err))
			return false
		}
		return true
	}
	switch smode & sIFMT {
	case sIFLNK:
		target, err := os.Readlink(asrc)
		if err != nil {
			c.fail("can't read link '%s': %s", src, errText(err))
			return false
		}
		if dexists {
			if err := os.Remove(adst); err != nil {
				c.fail("can't remove '%s': %s", dst, errText(err))
				return false
			}
		}
		if err := os.Symlink(target, adst); err != nil {
			c.fail("can't create symlink '%s': %s", dst, errText(err))
			return false
		}
		if c.preserve {
			c.env.Sys.Lchown(adst, int(sst.Uid), int(sst.Gid))
		}
		return true
	case sIFIFO:
		if c.recursive {
			if dexists {
				os.Remove(adst)
			}
			if err := c.env.Sys.Mkfifo(adst, goPerm(smode&0o7777&^umask(c.env))); err != nil {
				c.fail("can't create fifo '%s': %s", dst, errText(err))
				return false
			}
			if c.preserve {
				c.attrs(adst, si, false)
			}
			return true
		}
	case sIFCHR, sIFBLK, sIFSOCK:
		if c.recursive {
			c.fail("can't create special file '%s': not supported", dst)
			return false
		}
	}
	if dexists && di.IsDir() {
		c.fail("'%s' is a directory", dst)
		return false
	}
	if err := c.copyData(asrc, adst, dexists); err != nil {
		c.fail("%s", err)
		return false
	}
	if c.preserve {
		c.attrs(adst, si, true)
	} else if !dexists {
		c.env.Sys.Chmod(adst, goPerm(smode&0o7777&^umask(c.env)))
	}
	return true
}

func (c *copier) copyData(asrc, adst string, exists bool) error {
	in, err := os.Open(asrc)
	if err != nil {
		return fmt.Errorf("can't open '%s': %s", asrc, errText(err))
	}
	defer in.Close()
	out, err := os.OpenFile(adst, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil && c.force && exists {
		os.Remove(adst)
		out, err = os.OpenFile(adst, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	}
	if err != nil {
		return fmt.Errorf("can't create '%s': %s", adst, errText(err))
	}
	_, err = io.Copy(out, ctxReader{c.ctx, in})
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("error writing '%s': %s", adst, errText(err))
	}
	return nil
}

// attrs copies mode, owner and times of si onto name.
func (c *copier) attrs(name string, si fs.FileInfo, times bool) {
	st := statT(si)
	c.env.Sys.Chown(name, int(st.Uid), int(st.Gid))
	c.env.Sys.Chmod(name, goPerm(unixMode(si.Mode())&0o7777))
	os.Chtimes(name, atimeOf(si), si.ModTime())
}

// ctxReader stops a copy when the context is cancelled.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (r ctxReader) Read(p []byte) (int, error) {
	if err := r.ctx.Err(); err != nil {
		return 0, err
	}
	return r.r.Read(p)
}

// ask prompts on stderr and reads one line from stdin: true for "y...".
func ask(env *builtins.Env, prompt string) bool {
	fmt.Fprint(env.Stderr, prompt)
	var line []byte
	b := make([]byte, 1)
	for {
		n, err := env.Stdin.Read(b)
		if n == 1 {
			if b[0] == '\n' {
				break
			}
			line = append(line, b[0])
		}
		if err != nil {
			break
		}
	}
	s := strings.TrimLeft(string(line), " \t")
	return strings.HasPrefix(s, "y") || strings.HasPrefix(s, "Y")
}

func runMv(ctx context.Context, env *builtins.Env, args []string) int {
	fl := builtins.Flags(env, "mv")
	var force, interactive, noClob, noTarget, verbose bool
	var targetDir string
	fl.BoolVarP(&force, "force", "f", false, "")
	fl.BoolVarP(&interactive, "interactive", "i", false, "")
	fl.BoolVarP(&noClob, "no-clobber", "n", false, "")
	fl.BoolVarP(&noTarget, "no-target-directory", "T", false, "")
	fl.StringVarP(&targetDir, "target-directory", "t", "", "")
	fl.BoolVarP(&verbose, "verbose", "v", false, "")
	if st, ok := builtins.ParseFlags(env, fl, args[1:]); !ok {
		return st
	}
	// Of -f, -i and -n the last one wins.
	for _, a := range args[1:] {
		if len(a) > 1 && a[0] == '-' && a[1] != '-' {
			for _, ch := range a[1:] {
				switch ch {
				case 'f':
					force, interactive, noClob = true, false, false
				case 'i':
					interactive, force, noClob = true, false, false
				case 'n':
					noClob, force, interactive = true, false, false
				}
			}
		}
	}
	srcs, dsts, ok := targets(env, "mv", fl.Args(), targetDir, noTarget)
	if !ok {
		return 1
	}
	status := 0
	for i := range srcs {
		if ctx.Err() != nil {
			return 1
		}
		src, dst := srcs[i], dsts[i]
		asrc, adst := env.Abs(src), env.Abs(dst)
		if _, err := os.Lstat(asrc); err != nil {
			env.Errorf("mv", "can't stat '%s': %s", src, errText(err))
			status = 1
			continue
		}
		if _, err := os.Lstat(adst); err == nil {
			if noClob {
				continue
			}
			if interactive && !ask(env, fmt.Sprintf("mv: overwrite '%s'? ", dst)) {
				continue
			}
		}
		err := os.Rename(asrc, adst)
		if err != nil && isDir(asrc) {
			// Go refuses to rename onto an existing directory; rename(2)
			// replaces it when it is empty.
			if di, derr := os.Lstat(adst); derr == nil && di.IsDir() {
				if rerr := os.Remove(adst); rerr == nil {
					err = os.Rename(asrc, adst)
				} else {
					err = rerr
				}
			}
		}
		if err != nil && errors.Is(err, syscall.EXDEV) {
			c := &copier{ctx: ctx, env: env, cmd: "mv", recursive: true, preserve: true, deref: derefNever, active: map[[2]uint64]bool{}}
			if di, derr := os.Lstat(adst); derr == nil && !di.IsDir() {
				os.Remove(adst)
			}
			if c.copy(src, dst, true) && c.status == 0 {
				err = os.RemoveAll(asrc)
			} else {
				status = 1
				continue
			}
		}
		if err != nil {
			env.Errorf("mv", "can't rename '%s': %s", src, errText(err))
			status = 1
			continue
		}
		if verbose {
			fmt.Fprintf(env.Stdout, "'%s' -> '%s'\n", src, dst)
		}
	}
	return status
}
