// Package files implements the sandbox's file and directory commands (ls,
// cp, mv, rm, mkdir, chmod, find, stat, dd, …) with busybox 1.35 behaviour.
//
// Everything goes through package os for contents, names and links, and
// through [builtins.Sys] for what the sandbox fakes in package os: permission
// bits, owners, link counts and inode numbers. The package must stay free of
// os/exec, cgo and syscall-specific code so that it builds for wasip1.
//
// Deliberate differences from busybox 1.35 (each is a "diff" case in the
// tests): GNU long options and a few GNU options busybox lacks are accepted
// (rm -d, cp --preserve, readlink -e/-m, realpath -e/-m/-s/--relative-to,
// truncate -s +N/-N, find -printf/-iregex/-uid/-gid/-delete, dd conv=ucase,
// dirname with several names); ls never colours and, without -C/-x,
// prints one name per line since scripts do not run it on a terminal;
// WASI has no statfs, so df and stat -f report the figures the host puts in
// /proc/sockerless/df, or zeros; new files get mode & ^022 (WASI has no
// umask).
package files

import (
	"errors"
	"io/fs"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/sockerless/sockerless/builtins"
	"github.com/sockerless/sockerless/wit/abi"
)

// Unix file type and permission bits, as st_mode carries them (the
// sandbox ABI's encoding, shared with the host).
const (
	sIFMT   = abi.IFMT
	sIFSOCK = abi.IFSOCK
	sIFLNK  = abi.IFLNK
	sIFREG  = abi.IFREG
	sIFBLK  = abi.IFBLK
	sIFDIR  = abi.IFDIR
	sIFCHR  = abi.IFCHR
	sIFIFO  = abi.IFIFO
	sISUID  = abi.ISUID
	sISGID  = abi.ISGID
	sISVTX  = abi.ISVTX
)

// unixMode converts a Go file mode to st_mode bits.
func unixMode(m fs.FileMode) uint32 { return abi.LinuxMode(m) }

// goPerm converts permission bits (with setuid/setgid/sticky) to a Go mode.
func goPerm(u uint32) fs.FileMode { return abi.FileMode(u &^ sIFMT) }

// modeString renders st_mode like ls -l: "drwxr-sr-t".
func modeString(mode uint32) string {
	const types = "?pc?d?b?-?l?s???"
	b := []byte("----------")
	b[0] = types[(mode>>12)&0xf]
	const rwx = "rwxrwxrwx"
	for i := 0; i < 9; i++ {
		if mode&(0o400>>i) != 0 {
			b[1+i] = rwx[i]
		}
	}
	special := func(pos int, bit uint32, set, unset byte) {
		if mode&bit != 0 {
			if b[pos] == 'x' {
				b[pos] = set
			} else {
				b[pos] = unset
			}
		}
	}
	special(3, sISUID, 's', 'S')
	special(6, sISGID, 's', 'S')
	special(9, sISVTX, 't', 'T')
	return string(b)
}

// statT returns the ownership record of fi, or a zero one.
func statT(fi fs.FileInfo) *builtins.StatT {
	if st, ok := fi.Sys().(*builtins.StatT); ok && st != nil {
		return st
	}
	return &builtins.StatT{Nlink: 1}
}

// errText returns the strerror text of err: "No such file or directory".
func errText(err error) string {
	var pe *fs.PathError
	var le *os.LinkError
	var se *os.SyscallError
	switch {
	case errors.As(err, &pe):
		err = pe.Err
	case errors.As(err, &le):
		err = le.Err
	case errors.As(err, &se):
		err = se.Err
	}
	s := err.Error()
	if s != "" {
		s = strings.ToUpper(s[:1]) + s[1:]
	}
	return s
}

// idDB is a parsed /etc/passwd or /etc/group of the container.
type idDB struct {
	byID   map[uint32]string
	byName map[string]uint32
	gidOf  map[string]uint32 // passwd only: primary group
}

func loadIDs(path string) *idDB {
	db := &idDB{byID: map[uint32]string{}, byName: map[string]uint32{}, gidOf: map[string]uint32{}}
	data, err := os.ReadFile(path)
	if err != nil {
		return db
	}
	for _, line := range strings.Split(string(data), "\n") {
		f := strings.Split(line, ":")
		if len(f) < 3 || f[0] == "" {
			continue
		}
		id, err := strconv.ParseUint(f[2], 10, 32)
		if err != nil {
			continue
		}
		if _, dup := db.byID[uint32(id)]; !dup {
			db.byID[uint32(id)] = f[0]
		}
		if _, dup := db.byName[f[0]]; !dup {
			db.byName[f[0]] = uint32(id)
			if len(f) >= 4 {
				if g, err := strconv.ParseUint(f[3], 10, 32); err == nil {
					db.gidOf[f[0]] = uint32(g)
				}
			}
		}
	}
	return db
}

// names resolves uids and gids, reading the databases once per command.
type names struct {
	users, groups *idDB
}

func (n *names) user(uid uint32) string {
	if n.users == nil {
		n.users = loadIDs("/etc/passwd")
	}
	if s, ok := n.users.byID[uid]; ok {
		return s
	}
	return strconv.FormatUint(uint64(uid), 10)
}

func (n *names) group(gid uint32) string {
	if n.groups == nil {
		n.groups = loadIDs("/etc/group")
	}
	if s, ok := n.groups.byID[gid]; ok {
		return s
	}
	return strconv.FormatUint(uint64(gid), 10)
}

// uid resolves a user name or number.
func (n *names) uid(s string) (uint32, bool) {
	if n.users == nil {
		n.users = loadIDs("/etc/passwd")
	}
	if id, ok := n.users.byName[s]; ok {
		return id, true
	}
	id, err := strconv.ParseUint(s, 10, 32)
	return uint32(id), err == nil
}

// gid resolves a group name or number.
func (n *names) gid(s string) (uint32, bool) {
	if n.groups == nil {
		n.groups = loadIDs("/etc/group")
	}
	if id, ok := n.groups.byName[s]; ok {
		return id, true
	}
	id, err := strconv.ParseUint(s, 10, 32)
	return uint32(id), err == nil
}

// humanSize formats like busybox make_human_readable_str(val, 1, 0):
// "123", "4.0K", "1.5M".
func humanSize(val uint64) string {
	if val == 0 {
		return "0"
	}
	const units = "\x00KMGTPEZY"
	u, frac := 0, uint64(0)
	for val >= 1024 {
		u++
		frac = ((val%1024)*10 + 512) / 1024
		val /= 1024
	}
	if frac >= 10 {
		val++
		frac = 0
	}
	if u == 0 {
		return strconv.FormatUint(val, 10)
	}
	return strconv.FormatUint(val, 10) + "." + strconv.FormatUint(frac, 10) + string(units[u])
}

// humanSizeInt formats like make_human_readable_str(val, 0, 0): no fraction.
func humanSizeInt(val uint64) string {
	if val == 0 {
		return "0"
	}
	const units = "\x00KMGTPEZY"
	u, frac := 0, uint64(0)
	for val >= 1024 {
		u++
		frac = ((val%1024)*10 + 512) / 1024
		val /= 1024
	}
	if frac >= 10 {
		val++
		frac = 0
	}
	if frac >= 5 {
		val++
	}
	if u == 0 {
		return strconv.FormatUint(val, 10)
	}
	return strconv.FormatUint(val, 10) + string(units[u])
}

// fileTime returns the times of fi from its StatT.
func atimeOf(fi fs.FileInfo) time.Time {
	if st := statT(fi); st.Atime != 0 {
		return time.Unix(0, st.Atime)
	}
	return fi.ModTime()
}

func ctimeOf(fi fs.FileInfo) time.Time {
	if st := statT(fi); st.Ctime != 0 {
		return time.Unix(0, st.Ctime)
	}
	return fi.ModTime()
}

// isDir reports whether name (following links) is a directory.
func isDir(name string) bool {
	fi, err := os.Stat(name)
	return err == nil && fi.IsDir()
}

// printable replaces control characters with '?' the way busybox does.
func printable(s string) string {
	if strings.IndexFunc(s, func(r rune) bool { return r < 0x20 || r == 0x7f }) < 0 {
		return s
	}
	b := []byte(s)
	for i, c := range b {
		if c < 0x20 || c == 0x7f {
			b[i] = '?'
		}
	}
	return string(b)
}

// usageErr prints a usage hint and returns busybox's status for it.
func usageErr(env *builtins.Env, name string) int {
	env.Errorf(name, "missing operand")
	return 1
}
