package files

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/sockerless/sockerless/builtins"
)

func init() {
	builtins.Register(
		&builtins.Command{Name: "rm", Usage: rmUsage, Run: runRm},
		&builtins.Command{Name: "rmdir", Usage: rmdirUsage, Run: runRmdir},
		&builtins.Command{Name: "unlink", Usage: "Usage: unlink FILE\n\nUnlink FILE", Run: runUnlink},
	)
}

const rmUsage = `Usage: rm [-irfdv] FILE...

Remove (unlink) FILEs

	-i	Always prompt before removing
	-f	Never prompt
	-R,-r	Recurse
	-d	Remove empty directories
	-v	Verbose`

const rmdirUsage = `Usage: rmdir [-pv] DIRECTORY...

Remove DIRECTORY if it is empty

	-p	Include parents
	-v	Verbose
	--ignore-fail-on-non-empty`

type remover struct {
	ctx                                  context.Context
	env                                  *builtins.Env
	force, interactive, recursive, dirOK bool
	verbose                              bool
}

func runRm(ctx context.Context, env *builtins.Env, args []string) int {
	fl := builtins.Flags(env, "rm")
	r := &remover{ctx: ctx, env: env}
	var rec2 bool
	fl.BoolVarP(&r.force, "force", "f", false, "")
	fl.BoolVarP(&r.interactive, "interactive", "i", false, "")
	fl.BoolVarP(&r.recursive, "recursive", "r", false, "")
	fl.BoolVarP(&rec2, "recursive-R", "R", false, "")
	fl.BoolVarP(&r.dirOK, "dir", "d", false, "")
	fl.BoolVarP(&r.verbose, "verbose", "v", false, "")
	if st, ok := builtins.ParseFlags(env, fl, args[1:]); !ok {
		return st
	}
	r.recursive = r.recursive || rec2
	for _, a := range args[1:] {
		if len(a) > 1 && a[0] == '-' && a[1] != '-' {
			for _, ch := range a[1:] {
				switch ch {
				case 'f':
					r.force, r.interactive = true, false
				case 'i':
					r.interactive, r.force = true, false
				}
			}
		}
	}
	if len(fl.Args()) == 0 {
		if r.force {
			return 0
		}
		return usageErr(env, "rm")
	}
	status := 0
	for _, name := range fl.Args() {
		b := filepath.Base(strings.TrimRight(name, "/"))
		if b == "." || b == ".." {
			env.Errorf("rm", "can't remove '.' or '..'")
			status = 1
			continue
		}
		if !r.remove(name) {
			status = 1
		}
	}
	return status
}

func (r *remover) remove(name string) bool {
	if r.ctx.Err() != nil {
		return false
	}
	abs := r.env.Abs(name)
	fi, err := os.Lstat(abs)
	if err != nil {
		if r.force && os.IsNotExist(err) {
			return true
		}
		r.env.Errorf("rm", "can't remove '%s': %s", name, errText(err))
		return false
	}
	if fi.IsDir() {
		if !r.recursive && !r.dirOK {
			r.env.Errorf("rm", "'%s' is a directory", name)
			return false
		}
		if r.recursive {
			if r.interactive && !ask(r.env, fmt.Sprintf("rm: descend into directory '%s'? ", name)) {
				return false
			}
			names, err := readNames(abs)
			if err != nil {
				r.env.Errorf("rm", "can't open '%s': %s", name, errText(err))
				return false
			}
			ok := true
			for _, n := range names {
				if !r.remove(joinName(name, n)) {
					ok = false
				}
			}
			if !ok {
				return false
			}
		}
		if r.interactive && !ask(r.env, fmt.Sprintf("rm: remove directory '%s'? ", name)) {
			return false
		}
		if err := os.Remove(abs); err != nil {
			r.env.Errorf("rm", "can't remove '%s': %s", name, errText(err))
			return false
		}
		if r.verbose {
			fmt.Fprintf(r.env.Stdout, "removed directory: '%s'\n", name)
		}
		return true
	}
	if r.interactive && !ask(r.env, fmt.Sprintf("rm: remove '%s'? ", name)) {
		return true
	}
	if err := os.Remove(abs); err != nil {
		r.env.Errorf("rm", "can't remove '%s': %s", name, errText(err))
		return false
	}
	if r.verbose {
		fmt.Fprintf(r.env.Stdout, "removed '%s'\n", name)
	}
	return true
}

func readNames(dir string) ([]string, error) {
	f, err := os.Open(dir)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return f.Readdirnames(-1)
}

func runRmdir(ctx context.Context, env *builtins.Env, args []string) int {
	fl := builtins.Flags(env, "rmdir")
	var parents, verbose, ignore bool
	fl.BoolVarP(&parents, "parents", "p", false, "")
	fl.BoolVarP(&verbose, "verbose", "v", false, "")
	fl.BoolVar(&ignore, "ignore-fail-on-non-empty", false, "")
	if st, ok := builtins.ParseFlags(env, fl, args[1:]); !ok {
		return st
	}
	if len(fl.Args()) == 0 {
		return usageErr(env, "rmdir")
	}
	status := 0
	for _, name := range fl.Args() {
		path := name
		for {
			if verbose {
				fmt.Fprintf(env.Stdout, "rmdir: removing directory, '%s'\n", path)
			}
			if err := removeDir(env.Abs(path)); err != nil {
				if !(ignore && isNotEmpty(err)) {
					env.Errorf("rmdir", "'%s': %s", path, errText(err))
					status = 1
				}
				break
			}
			if !parents {
				break
			}
			path = strings.TrimRight(path, "/")
			i := strings.LastIndexByte(path, '/')
			if i <= 0 {
				break
			}
			path = strings.TrimRight(path[:i], "/")
			if path == "" {
				break
			}
		}
	}
	return status
}

// removeDir removes an empty directory (os.Remove would also unlink files).
func removeDir(abs string) error {
	fi, err := os.Lstat(abs)
	if err != nil {
		return err
	}
	if !fi.IsDir() {
		return &os.PathError{Op: "rmdir", Path: abs, Err: errNotDir}
	}
	return os.Remove(abs)
}

type errString string

func (e errString) Error() string { return string(e) }

const errNotDir = errString("not a directory")

func isNotEmpty(err error) bool {
	return strings.Contains(strings.ToLower(errText(err)), "not empty") || strings.Contains(strings.ToLower(errText(err)), "exists")
}

func runUnlink(ctx context.Context, env *builtins.Env, args []string) int {
	if len(args) != 2 {
		env.Errorf("unlink", "need exactly one argument")
		return 1
	}
	abs := env.Abs(args[1])
	if fi, err := os.Lstat(abs); err == nil && fi.IsDir() {
		env.Errorf("unlink", "can't remove file '%s': Is a directory", args[1])
		return 1
	}
	if err := os.Remove(abs); err != nil {
		env.Errorf("unlink", "can't remove file '%s': %s", args[1], errText(err))
		return 1
	}
	return 0
}
