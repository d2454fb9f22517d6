package system

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"

	"github.com/sockerless/sockerless/builtins"
)

func init() {
	builtins.Register(
		&builtins.Command{Name: "id", Usage: `Usage: id [-ugGnr] [USER]

Print information about USER or the current user

	-u	User ID
	-g	Group ID
	-G	Supplementary group IDs
	-n	Print names instead of numbers
	-r	Print real ID instead of effective ID`, Run: runID},
		&builtins.Command{Name: "whoami", Usage: "Usage: whoami\n\nPrint the user name associated with the current effective user id", Run: runWhoami},
	)
}

// dbEntry is one line of /etc/passwd or /etc/group.
type dbEntry struct {
	name    string
	id, gid int
	members []string
}

func readDB(file string) []dbEntry {
	f, err := os.Open(etcPath(file))
	if err != nil {
		return nil
	}
	defer f.Close()
	var out []dbEntry
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Split(sc.Text(), ":")
		if len(fields) < 4 || strings.HasPrefix(fields[0], "#") {
			continue
		}
		id, err := strconv.Atoi(fields[2])
		if err != nil {
			continue
		}
		e := dbEntry{name: fields[0], id: id}
		if file == "passwd" {
			e.gid, _ = strconv.Atoi(fields[3])
		} else if fields[3] != "" {
			e.members = strings.Split(fields[3], ",")
		}
		out = append(out, e)
	}
	return out
}

func lookupID(db []dbEntry, id int) (string, bool) {
	for _, e := range db {
		if e.id == id {
			return e.name, true
		}
	}
	return "", false
}

// userName returns the passwd name of uid, or the number.
func userName(uid int) string {
	if n, ok := lookupID(readDB("passwd"), uid); ok {
		return n
	}
	return strconv.Itoa(uid)
}

func groupName(gid int) string {
	if n, ok := lookupID(readDB("group"), gid); ok {
		return n
	}
	return strconv.Itoa(gid)
}

func runID(_ context.Context, env *builtins.Env, args []string) int {
	var optU, optG, optGG, optN bool
	var operands []string
	for i, a := range args[1:] {
		if a == "--" {
			operands = append(operands, args[i+2:]...)
			break
		}
		if len(a) < 2 || a[0] != '-' {
			operands = append(operands, a)
			continue
		}
		switch a {
		case "--user":
			optU = true
			continue
		case "--group":
			optG = true
			continue
		case "--groups":
			optGG = true
			continue
		case "--name":
			optN = true
			continue
		case "--real":
			continue
		}
		for _, c := range a[1:] {
			switch c {
			case 'u':
				optU = true
			case 'g':
				optG = true
			case 'G':
				optGG = true
			case 'n':
				optN = true
			case 'r':
			default:
				env.Errorf("id", "invalid option -- '%c'", c)
				return 1
			}
		}
	}
	if btoi(optU)+btoi(optG)+btoi(optGG) > 1 {
		env.Errorf("id", "cannot print \"only\" of more than one choice")
		return 1
	}
	if optN && !optU && !optG && !optGG {
		env.Errorf("id", "cannot print only names in default format")
		return 1
	}
	if len(operands) > 1 {
		env.Errorf("id", "extra operand '%s'", operands[1])
		return 1
	}
	passwd, group := readDB("passwd"), readDB("group")
	uid, gid := env.Sys.Getuid(), env.Sys.Getgid()
	name, known := lookupID(passwd, uid)
	if len(operands) == 1 {
		found := false
		for _, e := range passwd {
			if e.name == operands[0] {
				uid, gid, name, known, found = e.id, e.gid, e.name, true, true
				break
			}
		}
		if !found {
			if n, err := strconv.Atoi(operands[0]); err == nil {
				if nm, ok := lookupID(passwd, n); ok {
					for _, e := range passwd {
						if e.id == n {
							uid, gid, name, known, found = n, e.gid, nm, true, true
							break
						}
					}
				}
			}
		}
		if !found {
			env.Errorf("id", "unknown user %s", operands[0])
			return 1
		}
	}
	groups := []int{gid}
	if own := env.Sys.Getgroups(); len(operands) == 0 && own != nil {
		// The process's own supplementary groups, as getgroups(2) has them
		// (docker run --group-add included); nil: unknown, from /etc/group.
		for _, g := range own {
			if !slices.Contains(groups, g) {
				groups = append(groups, g)
			}
		}
	} else if known {
		for _, g := range group {
			for _, m := range g.members {
				if m == name && g.id != gid {
					groups = append(groups, g.id)
					break
				}
			}
		}
	}
	show := func(id int, db []dbEntry) string {
		if n, ok := lookupID(db, id); ok {
			return fmt.Sprintf("%d(%s)", id, n)
		}
		return strconv.Itoa(id)
	}
	plain := func(id int, db []dbEntry) string {
		if optN {
			if n, ok := lookupID(db, id); ok {
				return n
			}
		}
		return strconv.Itoa(id)
	}
	switch {
	case optU:
		fmt.Fprintln(env.Stdout, plain(uid, passwd))
	case optG:
		fmt.Fprintln(env.Stdout, plain(gid, group))
	case optGG:
		parts := make([]string, len(groups))
		for i, g := range groups {
			parts[i] = plain(g, group)
		}
		fmt.Fprintln(env.Stdout, strings.Join(parts, " "))
	default:
		parts := make([]string, len(groups))
		for i, g := range groups {
			parts[i] = show(g, group)
		}
		fmt.Fprintf(env.Stdout, "uid=%s gid=%s groups=%s\n", show(uid, passwd), show(gid, group), strings.Join(parts, ","))
	}
	return 0
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

func runWhoami(_ context.Context, env *builtins.Env, args []string) int {
	if len(args) > 1 {
		env.Errorf("whoami", "extra operand '%s'", args[1])
		return 1
	}
	uid := env.Sys.Getuid()
	n, ok := lookupID(readDB("passwd"), uid)
	if !ok {
		env.Errorf("whoami", "unknown uid %d", uid)
		return 1
	}
	fmt.Fprintln(env.Stdout, n)
	return 0
}
