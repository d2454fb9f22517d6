package files

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/sockerless/sockerless/builtins"
)

func init() {
	builtins.Register(&builtins.Command{Name: "install", Usage: installUsage, Run: runInstall})
}

const installUsage = `Usage: install [-cdDpsv] [-m MODE] [-o USER] [-g GRP] [-t DIR] [SOURCE]... DEST

Copy files and set attributes

	-c	Just copy (default)
	-d	Create directories
	-D	Create leading target directories
	-s	Strip symbol table (ignored)
	-p	Preserve date
	-v	Verbose
	-m MODE	Set permissions (default 0755)
	-o USER	Set ownership
	-g GRP	Set group ownership
	-t DIR	Install all SOURCEs into DIR`

func runInstall(ctx context.Context, env *builtins.Env, args []string) int {
	fl := builtins.Flags(env, "install")
	var mkdirs, leading, preserve, verbose, noTarget bool
	var smode, owner, group, targetDir string
	fl.BoolP("copy", "c", false, "")
	fl.BoolVarP(&mkdirs, "directory", "d", false, "")
	fl.BoolVarP(&leading, "leading", "D", false, "")
	fl.BoolP("strip", "s", false, "")
	fl.BoolVarP(&preserve, "preserve-timestamps", "p", false, "")
	fl.BoolVarP(&verbose, "verbose", "v", false, "")
	fl.BoolVarP(&noTarget, "no-target-directory", "T", false, "")
	fl.StringVarP(&smode, "mode", "m", "0755", "")
	fl.StringVarP(&owner, "owner", "o", "", "")
	fl.StringVarP(&group, "group", "g", "", "")
	fl.StringVarP(&targetDir, "target-directory", "t", "", "")
	if st, ok := builtins.ParseFlags(env, fl, args[1:]); !ok {
		return st
	}
	mode, ok := parseMode(smode, 0o755, umask(env))
	if !ok {
		env.Errorf("install", "invalid mode '%s'", smode)
		return 1
	}
	var ids names
	uid, gid := -1, -1
	if owner != "" {
		u, ok := ids.uid(owner)
		if !ok {
			env.Errorf("install", "unknown user %s", owner)
			return 1
		}
		uid = int(u)
	}
	if group != "" {
		g, ok := ids.gid(group)
		if !ok {
			env.Errorf("install", "unknown group %s", group)
			return 1
		}
		gid = int(g)
	}
	setAttrs := func(abs string) error {
		if err := env.Sys.Chmod(abs, goPerm(mode)); err != nil {
			return err
		}
		if uid >= 0 || gid >= 0 {
			return env.Sys.Chown(abs, uid, gid)
		}
		return nil
	}
	ops := fl.Args()
	status := 0
	if mkdirs {
		if len(ops) == 0 {
			return usageErr(env, "install")
		}
		for _, d := range ops {
			if !makeDir(env, "install", d, -1, true, false) {
				status = 1
				continue
			}
			if verbose {
				fmt.Fprintf(env.Stdout, "install: creating directory '%s'\n", d)
			}
			if err := setAttrs(env.Abs(d)); err != nil {
				env.Errorf("install", "%s: %s", d, errText(err))
				status = 1
			}
		}
		return status
	}
	if leading && targetDir != "" {
		makeDir(env, "install", targetDir, -1, true, false)
	}
	if leading && targetDir == "" && len(ops) == 2 {
		parent := filepath.Dir(ops[1])
		if !makeDir(env, "install", parent, -1, true, false) {
			return 1
		}
	}
	srcs, dsts, ok := targets(env, "install", ops, targetDir, noTarget)
	if !ok {
		return 1
	}
	c := &copier{ctx: ctx, env: env, cmd: "install", deref: derefAll, force: true, preserve: preserve, active: map[[2]uint64]bool{}}
	for i := range srcs {
		adst := env.Abs(dsts[i])
		if fi, err := os.Lstat(adst); err == nil && !fi.IsDir() {
			os.Remove(adst) // install replaces, it does not write through
		}
		if !c.copy(srcs[i], dsts[i], true) {
			status = 1
			continue
		}
		if verbose {
			fmt.Fprintf(env.Stdout, "'%s' -> '%s'\n", srcs[i], dsts[i])
		}
		if err := setAttrs(adst); err != nil {
			env.Errorf("install", "%s: %s", dsts[i], errText(err))
			status = 1
		}
	}
	return status
}
