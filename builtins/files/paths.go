package files

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/sockerless/sockerless/builtins"
)

func init() {
	builtins.Register(
		&builtins.Command{Name: "readlink", Usage: readlinkUsage, Run: runReadlink},
		&builtins.Command{Name: "realpath", Usage: realpathUsage, Run: runRealpath},
		&builtins.Command{Name: "basename", Usage: basenameUsage, Run: runBasename},
		&builtins.Command{Name: "dirname", Usage: "Usage: dirname FILENAME...\n\nStrip non-directory suffix from FILENAME", Run: runDirname},
		&builtins.Command{Name: "mktemp", Usage: mktempUsage, Run: runMktemp},
		&builtins.Command{Name: "sync", Usage: "Usage: sync [-df] [FILE]...\n\nWrite all buffered blocks to disk (a no-op in the sandbox)", Run: func(context.Context, *builtins.Env, []string) int { return 0 }},
	)
}

const readlinkUsage = `Usage: readlink [-femnv] FILE...

Display the value of a symlink

	-f	Canonicalize by following all symlinks (all but the last must exist)
	-e	Like -f, but every component must exist
	-m	Like -f, but no component needs to exist
	-n	Don't add newline
	-v	Verbose`

const realpathUsage = `Usage: realpath [-esm] [--relative-to=DIR] FILE...

Print absolute pathnames of FILEs

	-e	Every component must exist (the default)
	-m	No component needs to exist
	-s	Don't resolve symlinks
	--relative-to=DIR	Print paths relative to DIR`

const basenameUsage = `Usage: basename FILE [SUFFIX] | -a FILE... | -s SUFFIX FILE...

Strip directory path and SUFFIX from FILE

	-a		All arguments are FILEs
	-s SUFFIX	Remove SUFFIX (implies -a)`

const mktempUsage = `Usage: mktemp [-dtuq] [-p DIR] [TEMPLATE]

Create a temporary file with name based on TEMPLATE and print its name.
TEMPLATE must end with XXXXXX (e.g. [/dir/]nameXXXXXX).
Without TEMPLATE, -t tmp.XXXXXX is assumed.

	-d	Make directory, not file
	-q	Fail silently on errors
	-t	Prepend base directory name to TEMPLATE
	-p DIR	Use DIR as a base directory (implies -t)
	-u	Do not create anything; print a name

Base directory is: -p DIR, else $TMPDIR, else /tmp`

// Canonicalisation modes.
const (
	canonLastMayMiss = iota // readlink -f
	canonAllExist           // readlink -e, realpath
	canonNoneExist          // -m
)

// canonicalize resolves every symlink and "."/".." of an absolute path.
func canonicalize(abs string, mode int) (string, error) {
	parts := strings.Split(abs, "/")
	var todo []string
	for _, p := range parts {
		if p != "" {
			todo = append(todo, p)
		}
	}
	resolved := "/"
	links := 0
	for len(todo) > 0 {
		p := todo[0]
		todo = todo[1:]
		switch p {
		case ".":
			continue
		case "..":
			resolved = filepath.Dir(resolved)
			continue
		}
		next := filepath.Join(resolved, p)
		fi, err := os.Lstat(next)
		if err != nil {
			if mode == canonNoneExist || (mode == canonLastMayMiss && len(todo) == 0 && errors.Is(err, fs.ErrNotExist)) {
				resolved = next
				continue
			}
			return "", err
		}
		if fi.Mode()&fs.ModeSymlink != 0 {
			links++
			if links > 40 {
				return "", &fs.PathError{Op: "readlink", Path: next, Err: syscall.ELOOP}
			}
			t, err := os.Readlink(next)
			if err != nil {
				return "", err
			}
			var rest []string
			for _, q := range strings.Split(t, "/") {
				if q != "" {
					rest = append(rest, q)
				}
			}
			todo = append(rest, todo...)
			if strings.HasPrefix(t, "/") {
				resolved = "/"
			}
			continue
		}
		if len(todo) > 0 && !fi.IsDir() && mode != canonNoneExist {
			return "", &fs.PathError{Op: "stat", Path: next, Err: syscall.ENOTDIR}
		}
		resolved = next
	}
	return resolved, nil
}

// realpathBusybox resolves name like busybox's xmalloc_realpath_coreutils
// (readlink -f, realpath): everything must exist except a last component
// named with a slash before it; a dangling symlink resolves to its target,
// a relative target taken from the current directory (busybox's quirk).
func realpathBusybox(env *builtins.Env, name string, depth int) (string, error) {
	abs := env.Abs(name)
	out, err := canonicalize(abs, canonAllExist)
	if err == nil || !errors.Is(err, fs.ErrNotExist) || depth > 40 {
		return out, err
	}
	if target, lerr := os.Readlink(abs); lerr == nil {
		return realpathBusybox(env, env.Abs(target), depth+1)
	}
	p := name
	for strings.HasPrefix(p, "//") {
		p = p[1:]
	}
	for len(p) > 1 && strings.HasSuffix(p, "/") {
		p = p[:len(p)-1]
	}
	i := strings.LastIndexByte(p, '/')
	switch {
	case i < 0:
		return "", err
	case i == 0:
		return p, nil
	}
	dir, derr := canonicalize(env.Abs(p[:i]), canonAllExist)
	if derr != nil {
		return "", derr
	}
	return dir + "/" + p[i+1:], nil
}

func runReadlink(ctx context.Context, env *builtins.Env, args []string) int {
	fl := builtins.Flags(env, "readlink")
	var canonF, canonE, canonM, noNL, verbose, quiet bool
	fl.BoolVarP(&canonF, "canonicalize", "f", false, "")
	fl.BoolVarP(&canonE, "canonicalize-existing", "e", false, "")
	fl.BoolVarP(&canonM, "canonicalize-missing", "m", false, "")
	fl.BoolVarP(&noNL, "no-newline", "n", false, "")
	fl.BoolVarP(&verbose, "verbose", "v", false, "")
	fl.BoolVarP(&quiet, "silent", "s", false, "")
	fl.BoolVarP(&quiet, "quiet", "q", false, "")
	if st, ok := builtins.ParseFlags(env, fl, args[1:]); !ok {
		return st
	}
	if len(fl.Args()) == 0 {
		return usageErr(env, "readlink")
	}
	status := 0
	for i, name := range fl.Args() {
		var out string
		var err error
		switch {
		case canonE:
			out, err = canonicalize(env.Abs(name), canonAllExist)
		case canonM:
			out, err = canonicalize(env.Abs(name), canonNoneExist)
		case canonF:
			out, err = realpathBusybox(env, name, 0)
		default:
			out, err = os.Readlink(env.Abs(name))
			if err != nil && verbose {
				if fi, lerr := os.Lstat(env.Abs(name)); lerr == nil && fi.Mode()&fs.ModeSymlink == 0 {
					env.Errorf("readlink", "%s: cannot read link: not a symlink", name)
					err, verbose = nil, false
					status = 1
					continue
				}
			}
		}
		if err != nil {
			if verbose {
				env.Errorf("readlink", "%s: %s", name, errText(err))
			}
			status = 1
			continue
		}
		if noNL && i == len(fl.Args())-1 {
			fmt.Fprint(env.Stdout, out)
		} else {
			fmt.Fprintln(env.Stdout, out)
		}
	}
	return status
}

func runRealpath(ctx context.Context, env *builtins.Env, args []string) int {
	fl := builtins.Flags(env, "realpath")
	var exist, missing, noSym, quiet bool
	var relTo string
	fl.BoolVarP(&exist, "canonicalize-existing", "e", false, "")
	fl.BoolVarP(&missing, "canonicalize-missing", "m", false, "")
	fl.BoolVarP(&noSym, "no-symlinks", "s", false, "")
	fl.BoolVarP(&quiet, "quiet", "q", false, "")
	fl.StringVar(&relTo, "relative-to", "", "")
	if st, ok := builtins.ParseFlags(env, fl, args[1:]); !ok {
		return st
	}
	if len(fl.Args()) == 0 {
		return usageErr(env, "realpath")
	}
	resolve := func(name string) (string, error) {
		switch {
		case noSym:
			return env.Abs(name), nil
		case missing:
			return canonicalize(env.Abs(name), canonNoneExist)
		case exist:
			return canonicalize(env.Abs(name), canonAllExist)
		}
		return realpathBusybox(env, name, 0)
	}
	base := ""
	if relTo != "" {
		b, err := resolve(relTo)
		if err != nil {
			env.Errorf("realpath", "%s: %s", relTo, errText(err))
			return 1
		}
		base = b
	}
	status := 0
	for _, name := range fl.Args() {
		out, err := resolve(name)
		if err != nil {
			if !quiet {
				env.Errorf("realpath", "%s: %s", name, errText(err))
			}
			status = 1
			continue
		}
		if base != "" {
			if r, err := filepath.Rel(base, out); err == nil {
				out = r
			}
		}
		fmt.Fprintln(env.Stdout, out)
	}
	return status
}

// stripBase is basename(1) of s, without the suffix when given.
func stripBase(s, suffix string) string {
	t := strings.TrimRight(s, "/")
	if t == "" {
		if s == "" {
			return ""
		}
		return "/"
	}
	if i := strings.LastIndexByte(t, '/'); i >= 0 {
		t = t[i+1:]
	}
	if suffix != "" && t != suffix && strings.HasSuffix(t, suffix) {
		t = t[:len(t)-len(suffix)]
	}
	return t
}

func runBasename(ctx context.Context, env *builtins.Env, args []string) int {
	fl := builtins.Flags(env, "basename")
	var all, zero bool
	var suffix string
	fl.BoolVarP(&all, "multiple", "a", false, "")
	fl.StringVarP(&suffix, "suffix", "s", "", "")
	fl.BoolVarP(&zero, "zero", "z", false, "")
	fl.SetInterspersed(false)
	if st, ok := builtins.ParseFlags(env, fl, args[1:]); !ok {
		return st
	}
	ops := fl.Args()
	if fl.Changed("suffix") {
		all = true
	}
	end := "\n"
	if zero {
		end = "\x00"
	}
	switch {
	case len(ops) == 0:
		return usageErr(env, "basename")
	case !all && len(ops) > 2:
		env.Errorf("basename", "extra operand '%s'", ops[2])
		return 1
	case !all:
		if len(ops) == 2 {
			suffix = ops[1]
		}
		ops = ops[:1]
	}
	for _, s := range ops {
		fmt.Fprint(env.Stdout, stripBase(s, suffix)+end)
	}
	return 0
}

// dirName is dirname(1) of s.
func dirName(s string) string {
	t := strings.TrimRight(s, "/")
	if t == "" {
		if strings.HasPrefix(s, "/") {
			return "/"
		}
		return "."
	}
	i := strings.LastIndexByte(t, '/')
	if i < 0 {
		return "."
	}
	t = strings.TrimRight(t[:i], "/")
	if t == "" {
		return "/"
	}
	return t
}

func runDirname(ctx context.Context, env *builtins.Env, args []string) int {
	fl := builtins.Flags(env, "dirname")
	zero := fl.BoolP("zero", "z", false, "")
	if st, ok := builtins.ParseFlags(env, fl, args[1:]); !ok {
		return st
	}
	if len(fl.Args()) == 0 {
		return usageErr(env, "dirname")
	}
	end := "\n"
	if *zero {
		end = "\x00"
	}
	for _, s := range fl.Args() {
		fmt.Fprint(env.Stdout, dirName(s)+end)
	}
	return 0
}

const tempChars = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"

// fillTemplate replaces the trailing run of X in name with random letters.
func fillTemplate(name string) (string, bool) {
	n := 0
	for n < len(name) && name[len(name)-1-n] == 'X' {
		n++
	}
	if n < 3 {
		return "", false
	}
	b := []byte(name)
	r := make([]byte, n)
	rand.Read(r)
	for i := 0; i < n; i++ {
		b[len(b)-n+i] = tempChars[int(r[i])%len(tempChars)]
	}
	return string(b), true
}

func runMktemp(ctx context.Context, env *builtins.Env, args []string) int {
	fl := builtins.Flags(env, "mktemp")
	var dir, quiet, useTmp, dry bool
	var base string
	fl.BoolVarP(&dir, "directory", "d", false, "")
	fl.BoolVarP(&quiet, "quiet", "q", false, "")
	fl.BoolVarP(&useTmp, "tmp", "t", false, "")
	fl.StringVarP(&base, "p-dir", "p", "", "")
	fl.Lookup("p-dir").Hidden = true
	fl.StringVar(&base, "tmpdir", "", "")
	fl.Lookup("tmpdir").NoOptDefVal = "\x00"
	fl.BoolVarP(&dry, "dry-run", "u", false, "")
	if st, ok := builtins.ParseFlags(env, fl, args[1:]); !ok {
		return st
	}
	if len(fl.Args()) > 1 {
		env.Errorf("mktemp", "too many templates")
		return 1
	}
	tmpdir := env.Getenv("TMPDIR")
	if tmpdir == "" {
		tmpdir = "/tmp"
	}
	if fl.Changed("tmpdir") || fl.Changed("p-dir") {
		useTmp = true
		if base != "\x00" {
			tmpdir = base
		}
	}
	tmpl := "tmp.XXXXXX"
	if len(fl.Args()) == 1 {
		tmpl = fl.Args()[0]
	} else {
		useTmp = true
	}
	if useTmp {
		tmpl = joinName(tmpdir, tmpl)
	}
	fail := func(err error) int {
		if !quiet {
			env.Errorf("mktemp", "%s: %s", tmpl, errText(err))
		}
		return 1
	}
	for try := 0; try < 100; try++ {
		name, ok := fillTemplate(tmpl)
		if !ok {
			return fail(syscall.EINVAL)
		}
		abs := env.Abs(name)
		var err error
		switch {
		case dry:
			if _, serr := os.Lstat(abs); serr == nil {
				continue
			}
		case dir:
			if err = os.Mkdir(abs, 0o700); err == nil {
				env.Sys.Chmod(abs, 0o700)
			}
		default:
			var f *os.File
			if f, err = os.OpenFile(abs, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600); err == nil {
				f.Close()
				env.Sys.Chmod(abs, 0o600)
			}
		}
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		if err != nil {
			return fail(err)
		}
		fmt.Fprintln(env.Stdout, name)
		return 0
	}
	return fail(syscall.EEXIST)
}
