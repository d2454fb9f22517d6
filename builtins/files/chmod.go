package files

import (
	"context"
	"fmt"
	"io/fs"
	"strings"

	"github.com/sockerless/sockerless/builtins"
)

func init() {
	builtins.Register(
		&builtins.Command{Name: "chmod", Usage: chmodUsage, Run: runChmod},
		&builtins.Command{Name: "chown", Usage: chownUsage, Run: runChown},
		&builtins.Command{Name: "chgrp", Usage: chgrpUsage, Run: runChown},
	)
}

const chmodUsage = `Usage: chmod [-Rcvf] MODE[,MODE]... FILE...

MODE is octal number (bit pattern sstrwxrwxrwx) or [ugoa]{+|-|=}[rwxXst]

	-R	Recurse
	-c	List changed files
	-v	Verbose
	-f	Hide errors`

const chownUsage = `Usage: chown [-RhLHPcvf]... USER[:[GRP]] FILE...

Change the owner and/or group of FILEs to USER and/or GRP

	-h	Affect symlinks instead of symlink targets
	-L	Traverse all symlinks to directories
	-H	Traverse symlinks on command line only
	-P	Don't traverse symlinks (default)
	-R	Recurse
	-c	List changed files
	-v	Verbose
	-f	Hide errors`

const chgrpUsage = `Usage: chgrp [-RhLHPcvf]... GROUP FILE...

Change the group membership of FILEs to GROUP

	-h	Affect symlinks instead of symlink targets
	-L	Traverse all symlinks to directories
	-H	Traverse symlinks on command line only
	-P	Don't traverse symlinks (default)
	-R	Recurse
	-c	List changed files
	-v	Verbose
	-f	Hide errors`

// splitOpts separates leading option letters from operands by hand, since
// chmod's "-x" and "-w" are modes, not options. Letters not in letters end
// the options; long names map to letters.
func splitOpts(args []string, letters string, long map[string]byte) (opts map[byte]bool, rest []string, bad string) {
	opts = map[byte]bool{}
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			return opts, append(rest, args[i+1:]...), ""
		}
		if strings.HasPrefix(a, "--") {
			if c, ok := long[a[2:]]; ok {
				opts[c] = true
				continue
			}
			return opts, nil, a
		}
		if len(a) > 1 && a[0] == '-' && strings.Trim(a[1:], letters) == "" {
			for j := 1; j < len(a); j++ {
				opts[a[j]] = true
			}
			continue
		}
		rest = append(rest, a)
	}
	return opts, rest, ""
}

func runChmod(ctx context.Context, env *builtins.Env, args []string) int {
	opts, rest, bad := splitOpts(args[1:], "Rcvf", map[string]byte{
		"recursive": 'R', "changes": 'c', "verbose": 'v', "silent": 'f', "quiet": 'f'})
	if bad != "" {
		env.Errorf("chmod", "unrecognized option '%s'", bad)
		return 1
	}
	if len(rest) < 2 {
		return usageErr(env, "chmod")
	}
	mode := rest[0]
	if _, ok := parseMode(mode, 0, umask(env)); !ok {
		env.Errorf("chmod", "invalid mode '%s'", mode)
		return 1
	}
	status := 0
	var walk func(name string, top bool) bool
	walk = func(name string, top bool) bool {
		if ctx.Err() != nil {
			return false
		}
		abs := env.Abs(name)
		li, err := env.Sys.Lstat(abs)
		if err != nil {
			if !opts['f'] {
				env.Errorf("chmod", "%s: %s", name, errText(err))
			}
			return false
		}
		if li.Mode()&fs.ModeSymlink != 0 && !top {
			return true
		}
		fi, err := env.Sys.Stat(abs)
		if err != nil {
			if !opts['f'] {
				env.Errorf("chmod", "%s: %s", name, errText(err))
			}
			return false
		}
		old := unixMode(fi.Mode())
		nm, _ := parseMode(mode, old, umask(env))
		if err := env.Sys.Chmod(abs, goPerm(nm&0o7777)); err != nil {
			if !opts['f'] {
				env.Errorf("chmod", "%s: %s", name, errText(err))
			}
			return false
		}
		if opts['v'] || (opts['c'] && old&0o7777 != nm&0o7777) {
			fmt.Fprintf(env.Stdout, "mode of '%s' changed to %04o (%s)\n", name, nm&0o7777, modeString(old&sIFMT | nm&0o7777)[1:])
		}
		ok := true
		if opts['R'] && li.IsDir() {
			names, err := readNames(abs)
			if err != nil {
				env.Errorf("chmod", "%s: %s", name, errText(err))
				return false
			}
			for _, n := range names {
				if !walk(joinName(name, n), false) {
					ok = false
				}
			}
		}
		return ok
	}
	for _, name := range rest[1:] {
		if !walk(name, true) {
			status = 1
		}
	}
	return status
}

func runChown(ctx context.Context, env *builtins.Env, args []string) int {
	cmd := args[0]
	if i := strings.LastIndexByte(cmd, '/'); i >= 0 {
		cmd = cmd[i+1:]
	}
	fl := builtins.Flags(env, cmd)
	var rec, noDeref, travL, travH, noTrav, changes, verbose, quiet bool
	fl.BoolVarP(&rec, "recursive", "R", false, "")
	fl.BoolVarP(&noDeref, "no-dereference", "h", false, "")
	fl.BoolVarP(&travL, "traverse-all", "L", false, "")
	fl.BoolVarP(&travH, "traverse-args", "H", false, "")
	fl.BoolVarP(&noTrav, "no-traverse", "P", false, "")
	fl.BoolVarP(&changes, "changes", "c", false, "")
	fl.BoolVarP(&verbose, "verbose", "v", false, "")
	fl.BoolVarP(&quiet, "silent", "f", false, "")
	fl.BoolVar(&quiet, "quiet", false, "")
	if st, ok := builtins.ParseFlags(env, fl, args[1:]); !ok {
		return st
	}
	ops := fl.Args()
	if len(ops) < 2 {
		return usageErr(env, cmd)
	}
	var ids names
	uid, gid := int64(-1), int64(-1)
	spec := ops[0]
	if cmd == "chgrp" {
		spec = ":" + spec
	}
	user, group, hasSep := strings.Cut(spec, ":")
	if !hasSep {
		user, group, hasSep = strings.Cut(spec, ".")
		if hasSep {
			if _, known := ids.uid(spec); known {
				user, group, hasSep = spec, "", false
			}
		}
	}
	if user != "" {
		u, ok := ids.uid(user)
		if !ok {
			env.Errorf(cmd, "unknown user %s", user)
			return 1
		}
		uid = int64(u)
		if hasSep && group == "" {
			if g, ok := ids.users.gidOf[user]; ok {
				gid = int64(g)
			}
		}
	}
	if group != "" {
		g, ok := ids.gid(group)
		if !ok {
			env.Errorf(cmd, "unknown group %s", group)
			return 1
		}
		gid = int64(g)
	}
	// Like busybox: -h, or -R without -H/-L, changes links themselves.
	lchown := noDeref || (rec && !travH && !travL)
	status := 0
	var walk func(name string, depth int) bool
	walk = func(name string, depth int) bool {
		if ctx.Err() != nil {
			return false
		}
		abs := env.Abs(name)
		follow := travL || (travH && depth == 0)
		var fi fs.FileInfo
		var err error
		if follow {
			fi, err = env.Sys.Stat(abs)
		} else {
			fi, err = env.Sys.Lstat(abs)
		}
		if err != nil {
			if !quiet {
				env.Errorf(cmd, "%s: %s", name, errText(err))
			}
			return false
		}
		ok := true
		if rec && fi.IsDir() {
			names, err := readNames(abs)
			if err != nil {
				env.Errorf(cmd, "%s: %s", name, errText(err))
				ok = false
			}
			for _, n := range names {
				if !walk(joinName(name, n), depth+1) {
					ok = false
				}
			}
		}
		st := statT(fi)
		if !lchown && fi.Mode()&fs.ModeSymlink != 0 {
			if ti, err := env.Sys.Stat(abs); err == nil {
				st = statT(ti)
			}
		}
		u, g := uint32(st.Uid), uint32(st.Gid)
		if uid >= 0 {
			u = uint32(uid)
		}
		if gid >= 0 {
			g = uint32(gid)
		}
		if lchown {
			err = env.Sys.Lchown(abs, int(u), int(g))
		} else {
			err = env.Sys.Chown(abs, int(u), int(g))
		}
		if err != nil {
			if !quiet {
				env.Errorf(cmd, "%s: %s", name, errText(err))
			}
			return false
		}
		if verbose || (changes && (st.Uid != u || st.Gid != g)) {
			fmt.Fprintf(env.Stdout, "changed ownership of '%s' to %d:%d\n", name, u, g)
		}
		return ok
	}
	for _, name := range ops[1:] {
		if !walk(name, 0) {
			status = 1
		}
	}
	return status
}
