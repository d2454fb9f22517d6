// Package text implements the sandbox's text-processing commands: sed,
// grep (egrep, fgrep), diff, patch, xargs, expr, printf and getopt, with
// the behaviour of busybox 1.35 and GNU extensions where CI scripts rely
// on them.
//
// Regular expressions are POSIX BRE/ERE translated to Go's RE2 syntax
// (see translateRegex); back-references inside a pattern cannot be
// expressed there and are rejected. Commands must stay portable Go: no
// os/exec, no syscalls; other programs run through Env.Exec.
package text
