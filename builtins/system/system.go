// Package system holds the busybox-like commands that report on or act on
// the process and the machine: echo, true, false, test/[, env, printenv,
// pwd, sleep, usleep, date, hostname, id, whoami, uname, nproc, free,
// uptime, ps, kill, timeout, which and tty.
//
// Machine facts are read from files (/proc, /etc) so that the sandbox can
// supply them; nothing here makes system calls directly: permission bits,
// owners, signals and ids go through [builtins.Sys].
package system

import (
	"os"
	"path/filepath"
	"strings"
	"time"
)

// procRoot and etcRoot are where /proc and /etc are read from; tests point
// them at fake trees.
var (
	procRoot = "/proc"
	etcRoot  = "/etc"
	now      = time.Now
)

func procPath(parts ...string) string { return filepath.Join(append([]string{procRoot}, parts...)...) }
func etcPath(name string) string      { return filepath.Join(etcRoot, name) }

// readTrim returns the first line of a file without surrounding blanks.
func readTrim(name string) (string, bool) {
	b, err := os.ReadFile(name)
	if err != nil {
		return "", false
	}
	s := string(b)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	return strings.TrimSpace(s), true
}

// errText turns an os error into the libc message busybox prints.
func errText(err error) string {
	switch {
	case os.IsNotExist(err):
		return "No such file or directory"
	case os.IsPermission(err):
		return "Permission denied"
	}
	if pe, ok := err.(*os.PathError); ok {
		return pe.Err.Error()
	}
	return err.Error()
}
