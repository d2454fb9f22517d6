//go:build wasip1

package main

import (
	"fmt"
	"io"
	"io/fs"
	"strconv"
	"strings"
)

// umask is the shell builtin, as busybox ash has it: no operand prints the
// mask ("0022"), -S prints the permissions it leaves ("u=rwx,g=rx,o=rx"),
// an octal or symbolic (u=rwx,g=rx,o=, a-x) operand sets it. The mask is
// the process's, kept by the host, which applies it to every entry the
// guest creates; builtins read it through Sys.Umask.
func (p *proc) umask(stdout, stderr io.Writer, args []string) uint8 {
	symbolic := false
	if len(args) > 0 && args[0] == "-S" {
		symbolic, args = true, args[1:]
	}
	if len(args) == 0 {
		m := p.sys.Umask()
		if symbolic {
			fmt.Fprintln(stdout, symbolicPerms(0o777&^m))
		} else {
			fmt.Fprintf(stdout, "%04o\n", uint32(m))
		}
		return 0
	}
	m, ok := parseUmask(args[0], p.sys.Umask())
	if !ok {
		fmt.Fprintf(stderr, "sh: umask: illegal mode: %s\n", args[0])
		return 2
	}
	if err := p.sys.setUmask(m); err != nil {
		fmt.Fprintf(stderr, "sh: umask: %v\n", err)
		return 1
	}
	return 0
}

// parseUmask reads an octal mask (at most 0777) or a symbolic mode, which
// changes the permissions cur leaves, and returns the new mask.
func parseUmask(s string, cur fs.FileMode) (fs.FileMode, bool) {
	if s != "" && s[0] >= '0' && s[0] <= '9' {
		n, err := strconv.ParseUint(s, 8, 32)
		if err != nil || n > 0o777 {
			return 0, false
		}
		return fs.FileMode(n), true
	}
	perm := 0o777 &^ uint32(cur)
	for _, clause := range strings.Split(s, ",") {
		who := uint32(0)
		i := 0
		for ; i < len(clause) && strings.IndexByte("ugoa", clause[i]) >= 0; i++ {
			who |= map[byte]uint32{'u': 0o700, 'g': 0o070, 'o': 0o007, 'a': 0o777}[clause[i]]
		}
		if who == 0 {
			who = 0o777
		}
		if i == len(clause) {
			return 0, false // no operator
		}
		for i < len(clause) {
			op := clause[i]
			if op != '+' && op != '-' && op != '=' {
				return 0, false
			}
			i++
			bits := uint32(0)
			for ; i < len(clause) && strings.IndexByte("rwx", clause[i]) >= 0; i++ {
				bits |= map[byte]uint32{'r': 0o444, 'w': 0o222, 'x': 0o111}[clause[i]]
			}
			switch op {
			case '+':
				perm |= bits & who
			case '-':
				perm &^= bits & who
			case '=':
				perm = perm&^who | bits&who
			}
		}
	}
	return fs.FileMode(0o777 &^ perm), true
}

// symbolicPerms formats permission bits as umask -S does.
func symbolicPerms(perm fs.FileMode) string {
	var b strings.Builder
	for i, who := range []string{"u", "g", "o"} {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(who + "=")
		bits := uint32(perm) >> (6 - 3*i)
		for j, c := range "rwx" {
			if bits&(4>>j) != 0 {
				b.WriteRune(c)
			}
		}
	}
	return b.String()
}
