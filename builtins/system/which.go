package system

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/sockerless/sockerless/builtins"
)

func init() {
	builtins.Register(&builtins.Command{Name: "which", Usage: `Usage: which [-a] COMMAND...

Locate COMMAND

	-a	Show all matches`, Run: runWhich})
}

// builtinDirs are the PATH directories where the sandbox shows builtins.
var builtinDirs = map[string]bool{"/bin": true, "/usr/bin": true, "/sbin": true, "/usr/sbin": true}

// shells are the commands the guest runs itself (not registered
// builtins) that are nonetheless found in builtinDirs.
var shells = map[string]bool{"sh": true, "ash": true, "bash": true, "dash": true}

func runWhich(_ context.Context, env *builtins.Env, args []string) int {
	args = args[1:]
	all := false
	for len(args) > 0 && strings.HasPrefix(args[0], "-") && args[0] != "-" {
		if args[0] == "--" {
			args = args[1:]
			break
		}
		for _, c := range args[0][1:] {
			if c != 'a' {
				env.Errorf("which", "invalid option -- '%c'", c)
				return 1
			}
			all = true
		}
		args = args[1:]
	}
	if len(args) == 0 {
		env.Errorf("which", "missing operand")
		return 1
	}
	path, ok := env.LookupEnv("PATH")
	if !ok {
		path = "/sbin:/usr/sbin:/bin:/usr/bin"
	}
	status := 0
	for _, name := range args {
		if strings.Contains(name, "/") {
			if isExecutable(env, env.Abs(name)) {
				fmt.Fprintln(env.Stdout, name)
			} else {
				status = 1
			}
			continue
		}
		found := false
		for _, dir := range strings.Split(path, ":") {
			if dir == "" {
				dir = "."
			}
			full := filepath.Join(dir, name)
			hit := isExecutable(env, env.Abs(full))
			if !hit && builtinDirs[filepath.Clean(dir)] {
				_, hit = builtins.Lookup(name)
				hit = hit || shells[name]
			}
			if hit {
				if dir == "." {
					full = "./" + name
				}
				fmt.Fprintln(env.Stdout, full)
				found = true
				if !all {
					break
				}
			}
		}
		if !found {
			status = 1
		}
	}
	return status
}

func isExecutable(env *builtins.Env, name string) bool {
	fi, err := env.Sys.Stat(name)
	return err == nil && fi.Mode().IsRegular() && canAccess(env.Sys, fi, 1)
}
