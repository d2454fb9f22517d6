// Package builtins holds the registry of the sandbox's commands (coreutils,
// busybox-like tools) and the small environment they run in.
//
// Commands are plain Go: they read and write files with package os, take
// their stdio, working directory and environment from [Env], and reach the
// few services that differ between a native process and the wasm sandbox
// (real permission bits, ownership, signals, processes) through [Sys]. They
// must not import wasm-specific code, so `go test ./builtins/...` runs
// natively. Command implementations live in sub-packages (text, files,
// archive, system, awk) that register themselves from init; importing
// builtins/all links every one of them.
package builtins

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"path/filepath"
	"slices"
	"strings"
	"sync"
)

// Env is everything a command sees of the process that runs it.
type Env struct {
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer

	// Dir is the absolute working directory. Commands resolve relative
	// paths against it with [Env.Abs], never against the Go process's cwd.
	Dir string

	// Environ holds "KEY=value" pairs, as exported by the shell.
	Environ []string

	// Sys gives access to what package os cannot do portably.
	Sys Sys

	// Exec runs another command (builtin, script or program) the way the
	// shell would, for xargs, find -exec, timeout, env and friends. The
	// exit status follows shell conventions (127 not found, 126 not
	// executable, 128+n killed by signal n).
	Exec func(ctx context.Context, env *Env, args []string) int
}

// Getenv returns the value of key in the command's environment.
func (e *Env) Getenv(key string) string {
	v, _ := e.LookupEnv(key)
	return v
}

// LookupEnv reports the value of key in the command's environment.
func (e *Env) LookupEnv(key string) (string, bool) {
	for i := len(e.Environ) - 1; i >= 0; i-- {
		k, v, ok := strings.Cut(e.Environ[i], "=")
		if ok && k == key {
			return v, true
		}
	}
	return "", false
}

// Abs resolves name against the command's working directory.
func (e *Env) Abs(name string) string {
	if filepath.IsAbs(name) {
		return filepath.Clean(name)
	}
	return filepath.Join(e.Dir, name)
}

// Errorf prints "name: message" on stderr, the way coreutils report errors.
func (e *Env) Errorf(name, format string, args ...any) {
	fmt.Fprintf(e.Stderr, name+": "+format+"\n", args...)
}

// Sys is the set of operating-system services that differ between a native
// process and the sandbox guest (where WASI has no permission bits, no
// owners, no signals and no process table).
type Sys interface {
	// Stat and Lstat return a FileInfo whose Mode carries the real
	// permission bits; its Sys() is a *StatT.
	Stat(name string) (fs.FileInfo, error)
	Lstat(name string) (fs.FileInfo, error)
	Chmod(name string, mode fs.FileMode) error
	// Lchown changes ownership without following a final symlink; Chown follows it.
	Chown(name string, uid, gid int) error
	Lchown(name string, uid, gid int) error
	Mkfifo(name string, mode fs.FileMode) error
	// Kill sends signal sig (a Linux signal number) to the process pid.
	Kill(pid, sig int) error
	// Getpid is the caller's process id as the container sees it.
	Getpid() int
	// Getuid and Getgid are the ids the process runs as; Getgroups its
	// supplementary groups.
	Getuid() int
	Getgid() int
	Getgroups() []int
	// Umask is the process's file creation mask (the shell's umask).
	Umask() fs.FileMode
}

// StatT is the ownership and identity of a file, as returned in
// fs.FileInfo.Sys() by [Sys.Stat] and [Sys.Lstat].
type StatT struct {
	Uid, Gid uint32
	Nlink    uint64
	Ino      uint64
	Dev      uint64
	Rdev     uint64
	Blocks   int64
	Atime    int64 // unix nanoseconds
	Ctime    int64 // unix nanoseconds
}

// Command is one registered command.
type Command struct {
	Name string
	// Usage is the one-paragraph help printed by --help: first line
	// "Usage: name [OPTION]... ARGS", then a description.
	Usage string
	// Run executes the command and returns its exit status.
	Run func(ctx context.Context, env *Env, args []string) int
}

var (
	mu       sync.RWMutex
	registry = map[string]*Command{}
)

// Register adds commands to the registry. It panics on a duplicate name:
// that is a programming error caught by any test.
func Register(cmds ...*Command) {
	mu.Lock()
	defer mu.Unlock()
	for _, c := range cmds {
		if _, dup := registry[c.Name]; dup {
			panic("builtins: duplicate command " + c.Name)
		}
		registry[c.Name] = c
	}
}

// Alias registers name as another name for an existing command.
func Alias(name, target string) {
	mu.Lock()
	defer mu.Unlock()
	c, ok := registry[target]
	if !ok {
		panic("builtins: alias " + name + " of unknown command " + target)
	}
	registry[name] = &Command{Name: name, Usage: c.Usage, Run: c.Run}
}

// Lookup finds a command by name or by path: "/bin/ls" and "ls" are the
// same command.
func Lookup(name string) (*Command, bool) {
	mu.RLock()
	defer mu.RUnlock()
	c, ok := registry[filepath.Base(name)]
	return c, ok
}

// Names lists every registered command, sorted.
func Names() []string {
	mu.RLock()
	defer mu.RUnlock()
	names := make([]string, 0, len(registry))
	for n := range registry {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

// Run looks up args[0] and runs it, handling --help the same way for every
// command. It returns 127 when no such command exists.
func Run(ctx context.Context, env *Env, args []string) int {
	c, ok := Lookup(args[0])
	if !ok {
		fmt.Fprintf(env.Stderr, "%s: not found\n", args[0])
		return 127
	}
	if len(args) == 2 && args[1] == "--help" && c.Name != "echo" && c.Name != "[" && c.Name != "test" && c.Name != "true" && c.Name != "false" {
		fmt.Fprintln(env.Stdout, strings.TrimRight(c.Usage, "\n"))
		return 0
	}
	return c.Run(ctx, env, args)
}
