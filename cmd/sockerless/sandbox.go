package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/sockerless/sockerless/runtime/rootfs"
	"github.com/sockerless/sockerless/runtime/sandbox"
	"github.com/sockerless/sockerless/wit/abi"
)

type listFlag []string

func (l *listFlag) String() string     { return strings.Join(*l, ",") }
func (l *listFlag) Set(v string) error { *l = append(*l, v); return nil }

// runSandbox implements `sockerless sandbox run [flags] -- CMD [ARG...]`:
// one process in the sandbox, without the daemon, for tests and
// benchmarks. The root directory is used read-only as the image layer;
// writes go to a throw-away upper directory unless --upper is given.
func runSandbox(args []string) int {
	if len(args) == 0 || args[0] != "run" {
		fmt.Fprintln(os.Stderr, "usage: sockerless sandbox run [--root DIR] [--upper DIR] [-e K=V] [-w DIR] [-u UID[:GID]] [-i] [-t] -- CMD [ARG...]")
		return 2
	}
	fs := flag.NewFlagSet("sandbox run", flag.ContinueOnError)
	var (
		root     = fs.String("root", "", "host directory used (read-only) as the container's image root; default: an empty root")
		upper    = fs.String("upper", "", "host directory for the container's writes (default: a temporary one, removed afterwards)")
		workdir  = fs.String("w", "/", "working directory inside the container")
		user     = fs.String("u", "0:0", "UID[:GID] to run as")
		stdin    = fs.Bool("i", false, "attach stdin")
		tty      = fs.Bool("t", false, "allocate a pseudo-terminal")
		cacheDir = fs.String("cache", filepath.Join(os.TempDir(), "sockerless-cache"), "wazero compilation cache")
		env      listFlag
		volumes  listFlag
	)
	fs.Var(&env, "e", "environment variable KEY=VALUE (repeatable)")
	fs.Var(&volumes, "v", "bind mount HOSTDIR:CONTAINERDIR[:ro] (repeatable)")
	if err := fs.Parse(args[1:]); err != nil {
		return 2
	}
	argv := fs.Args()
	if len(argv) == 0 {
		fmt.Fprintln(os.Stderr, "sockerless sandbox run: no command given")
		return 2
	}
	uid, gid, err := parseUser(*user)
	if err != nil {
		fmt.Fprintln(os.Stderr, "sockerless sandbox run:", err)
		return 2
	}
	if *upper == "" {
		dir, err := os.MkdirTemp("", "sockerless-upper-")
		if err != nil {
			fmt.Fprintln(os.Stderr, "sockerless sandbox run:", err)
			return 1
		}
		defer os.RemoveAll(dir)
		// The upper directory's mode is the mode of the container's "/".
		if err := os.Chmod(dir, 0o755); err != nil {
			fmt.Fprintln(os.Stderr, "sockerless sandbox run:", err)
			return 1
		}
		*upper = dir
	}
	cfg := rootfs.Config{Upper: *upper}
	if *root != "" {
		cfg.Lower = []string{*root}
	}
	for _, v := range volumes {
		parts := strings.Split(v, ":")
		if len(parts) < 2 {
			fmt.Fprintf(os.Stderr, "sockerless sandbox run: bad volume %q: want HOSTDIR:CONTAINERDIR[:ro]\n", v)
			return 2
		}
		cfg.Mounts = append(cfg.Mounts, rootfs.Mount{Source: parts[0], Target: parts[1], ReadOnly: len(parts) > 2 && parts[2] == "ro"})
	}
	rfs, err := rootfs.New(cfg)
	if err != nil {
		fmt.Fprintln(os.Stderr, "sockerless sandbox run:", err)
		return 1
	}
	defer rfs.Close()

	ctx := context.Background()
	eng, err := sandbox.New(ctx, sandbox.Config{CacheDir: *cacheDir, PoolSize: -1})
	if err != nil {
		fmt.Fprintln(os.Stderr, "sockerless sandbox run:", err)
		return 1
	}
	defer eng.Close(ctx)

	if len(env) == 0 {
		env = listFlag{"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "HOME=/root"}
	}
	view := rfs.Process(1, uid, gid)
	pc := sandbox.ProcessConfig{
		Spec: abi.Spec{Args: argv, Env: env, Dir: *workdir, Tty: *tty, Pid: 1, Uid: uid, Gid: gid, Init: true},
		FS:   view, Meta: sandbox.RootMeta(view),
		Stdout: os.Stdout, Stderr: os.Stderr,
	}
	if *stdin {
		pc.Stdin = os.Stdin
	}
	p, err := eng.Start(ctx, pc)
	if err != nil {
		fmt.Fprintln(os.Stderr, "sockerless sandbox run:", err)
		return 1
	}
	return p.Wait()
}

func parseUser(s string) (uid, gid int, err error) {
	u, g, _ := strings.Cut(s, ":")
	if uid, err = strconv.Atoi(u); err != nil {
		return 0, 0, fmt.Errorf("bad user %q: want numeric UID[:GID]", s)
	}
	if g == "" {
		return uid, uid, nil
	}
	if gid, err = strconv.Atoi(g); err != nil {
		return 0, 0, fmt.Errorf("bad user %q: want numeric UID[:GID]", s)
	}
	return uid, gid, nil
}
