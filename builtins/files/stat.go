package files

import (
	"bufio"
	"context"
	"fmt"
	"io/fs"
	"os"
	"strings"
	"time"

	"github.com/sockerless/sockerless/builtins"
)

func init() {
	builtins.Register(&builtins.Command{Name: "stat", Usage: statUsage, Run: runStat})
}

const statUsage = `Usage: stat [-ltf] [-c FMT] FILE...

Display file (default) or filesystem status

	-c FMT	Use the specified format
	-f	Display filesystem status
	-L	Follow links
	-t	Terse display

FMT sequences for files:
 %a	Access rights in octal
 %A	Access rights in human readable form
 %b	Number of blocks allocated (see %B)
 %B	Size in bytes of each block reported by %b
 %d	Device number in decimal
 %D	Device number in hex
 %f	Raw mode in hex
 %F	File type
 %g	Group ID
 %G	Group name
 %h	Number of hard links
 %i	Inode number
 %n	File name
 %N	File name, with -> TARGET if symlink
 %o	I/O block size
 %s	Total size in bytes
 %t	Major device type in hex
 %T	Minor device type in hex
 %u	User ID
 %U	User name
 %x	Time of last access
 %X	Time of last access as seconds since Epoch
 %y	Time of last modification
 %Y	Time of last modification as seconds since Epoch
 %z	Time of last change
 %Z	Time of last change as seconds since Epoch

FMT sequences for file systems (the sandbox has no statfs: sizes come
from /proc/sockerless/df when present, else they are zero):
 %a	Free blocks available to non-superuser
 %b	Total data blocks
 %c	Total file nodes
 %d	Free file nodes
 %f	Free blocks
 %i	File System ID in hex
 %l	Maximum length of filenames
 %n	File name
 %s	Block size (for faster transfer)
 %S	Fundamental block size (for block counts)
 %t	Type in hex
 %T	Type in human readable form`

// ioBlock is st_blksize, which StatT does not carry.
const ioBlock = 4096

func runStat(ctx context.Context, env *builtins.Env, args []string) int {
	fl := builtins.Flags(env, "stat")
	var deref, terse, fsys bool
	var format string
	fl.BoolVarP(&deref, "dereference", "L", false, "")
	fl.BoolVarP(&terse, "terse", "t", false, "")
	fl.BoolVarP(&fsys, "file-system", "f", false, "")
	fl.StringVarP(&format, "format", "c", "", "")
	if st, ok := builtins.ParseFlags(env, fl, args[1:]); !ok {
		return st
	}
	if len(fl.Args()) == 0 {
		return usageErr(env, "stat")
	}
	out := bufio.NewWriter(env.Stdout)
	defer out.Flush()
	var ids names
	status := 0
	for _, name := range fl.Args() {
		abs := env.Abs(name)
		if fsys {
			if _, err := os.Stat(abs); err != nil {
				env.Errorf("stat", "can't read file system information for '%s': %s", name, errText(err))
				status = 1
				continue
			}
			f := format
			if !fl.Changed("format") {
				if terse {
					f = "%n %i %l %t %s %b %f %a %c %d"
				} else {
					f = "  File: \"%n\"\n    ID: %-8i Namelen: %-7l Type: %T\nBlock size: %-10s\nBlocks: Total: %-10b Free: %-10f Available: %a\nInodes: Total: %-10c Free: %d"
				}
			}
			fsi := readFSInfo()
			printStatFormat(out, f, func(mods string, c byte) string { return fsDirective(mods, c, name, fsi) })
			continue
		}
		var fi fs.FileInfo
		var err error
		if deref {
			fi, err = env.Sys.Stat(abs)
		} else {
			fi, err = env.Sys.Lstat(abs)
		}
		if err != nil {
			env.Errorf("stat", "can't stat '%s': %s", name, errText(err))
			status = 1
			continue
		}
		mode := unixMode(fi.Mode())
		f := format
		if !fl.Changed("format") {
			switch {
			case terse:
				f = "%n %s %b %f %u %g %D %i %h %t %T %X %Y %Z %o"
			case mode&sIFMT == sIFBLK || mode&sIFMT == sIFCHR:
				f = "  File: %N\n  Size: %-10s\tBlocks: %-10b IO Block: %-6o %F\nDevice: %Dh/%dd\tInode: %-10i  Links: %-5h Device type: %t,%T\nAccess: (%04a/%10.10A)  Uid: (%5u/%8U)   Gid: (%5g/%8G)\nAccess: %x\nModify: %y\nChange: %z"
			default:
				f = "  File: %N\n  Size: %-10s\tBlocks: %-10b IO Block: %-6o %F\nDevice: %Dh/%dd\tInode: %-10i  Links: %h\nAccess: (%04a/%10.10A)  Uid: (%5u/%8U)   Gid: (%5g/%8G)\nAccess: %x\nModify: %y\nChange: %z"
			}
		}
		sf := &statFile{env: env, name: name, abs: abs, fi: fi, mode: mode, st: statT(fi), ids: &ids}
		printStatFormat(out, f, sf.directive)
	}
	return status
}

// printStatFormat expands %-directives (with printf flags and widths) and
// ends with a newline, like busybox's print_it.
func printStatFormat(w *bufio.Writer, f string, dir func(mods string, c byte) string) {
	for {
		i := strings.IndexByte(f, '%')
		if i < 0 {
			w.WriteString(f)
			w.WriteByte('\n')
			return
		}
		w.WriteString(f[:i])
		j := i + 1
		for j < len(f) && strings.IndexByte("#-+.I 0123456789", f[j]) >= 0 {
			j++
		}
		mods := strings.ReplaceAll(f[i+1:j], "I", "")
		if j >= len(f) {
			w.WriteByte('%') // busybox prints no newline here
			return
		}
		if f[j] == '%' {
			w.WriteByte('%')
		} else {
			w.WriteString(dir(mods, f[j]))
		}
		f = f[j+1:]
	}
}

type statFile struct {
	env       *builtins.Env
	name, abs string
	fi        fs.FileInfo
	mode      uint32
	st        *builtins.StatT
	ids       *names
}

func fileType(mode uint32, size int64) string {
	switch mode & sIFMT {
	case sIFREG:
		if size == 0 {
			return "regular empty file"
		}
		return "regular file"
	case sIFDIR:
		return "directory"
	case sIFBLK:
		return "block special file"
	case sIFCHR:
		return "character special file"
	case sIFIFO:
		return "fifo"
	case sIFLNK:
		return "symbolic link"
	case sIFSOCK:
		return "socket"
	}
	return "weird file"
}

func statTime(t time.Time) string {
	return t.Local().Format("2006-01-02 15:04:05.000000000 -0700")
}

func (s *statFile) directive(mods string, c byte) string {
	num := func(verb string, v any) string { return fmt.Sprintf("%"+mods+verb, v) }
	str := func(v string) string { return fmt.Sprintf("%"+mods+"s", v) }
	st := s.st
	switch c {
	case 'n':
		return str(s.name)
	case 'N':
		if s.mode&sIFMT == sIFLNK {
			t, err := os.Readlink(s.abs)
			if err != nil {
				return ""
			}
			return fmt.Sprintf("'%s' -> '%s'", s.name, t)
		}
		return str(s.name)
	case 'd':
		return num("d", st.Dev)
	case 'D':
		return num("x", st.Dev)
	case 'i':
		return num("d", st.Ino)
	case 'a':
		return num("o", s.mode&0o7777)
	case 'A':
		return str(modeString(s.mode))
	case 'f':
		return num("x", s.mode)
	case 'F':
		return str(fileType(s.mode, s.fi.Size()))
	case 'h':
		return num("d", st.Nlink)
	case 'u':
		return num("d", st.Uid)
	case 'U':
		if n := s.ids.user(st.Uid); s.ids.users.byID[st.Uid] != "" {
			return str(n)
		}
		return str("UNKNOWN")
	case 'g':
		return num("d", st.Gid)
	case 'G':
		if n := s.ids.group(st.Gid); s.ids.groups.byID[st.Gid] != "" {
			return str(n)
		}
		return str("UNKNOWN")
	case 't':
		return num("x", devMajor(st.Rdev))
	case 'T':
		return num("x", devMinor(st.Rdev))
	case 's':
		return num("d", s.fi.Size())
	case 'B':
		return num("d", 512)
	case 'b':
		return num("d", st.Blocks)
	case 'o':
		return num("d", ioBlock)
	case 'x':
		return str(statTime(atimeOf(s.fi)))
	case 'X':
		return num("d", atimeOf(s.fi).Unix())
	case 'y':
		return str(statTime(s.fi.ModTime()))
	case 'Y':
		return num("d", s.fi.ModTime().Unix())
	case 'z':
		return str(statTime(ctimeOf(s.fi)))
	case 'Z':
		return num("d", ctimeOf(s.fi).Unix())
	}
	return fmt.Sprintf("%"+mods+"c", c)
}

// fsInfo is what the sandbox knows about the filesystem: statfs does not
// exist in WASI, so the host may publish figures in /proc/sockerless/df as
// "key value" lines (bsize, blocks, bfree, bavail, files, ffree, type).
type fsInfo struct {
	bsize, blocks, bfree, bavail, files, ffree uint64
	typ                                        string
}

func readFSInfo() fsInfo {
	fi := fsInfo{bsize: 4096, typ: "overlay"}
	data, err := os.ReadFile("/proc/sockerless/df")
	if err != nil {
		return fi
	}
	for _, line := range strings.Split(string(data), "\n") {
		k, v, ok := strings.Cut(strings.TrimSpace(line), " ")
		if !ok {
			continue
		}
		v = strings.TrimSpace(v)
		var n uint64
		fmt.Sscan(v, &n)
		switch k {
		case "bsize":
			if n > 0 {
				fi.bsize = n
			}
		case "blocks":
			fi.blocks = n
		case "bfree":
			fi.bfree = n
		case "bavail":
			fi.bavail = n
		case "files":
			fi.files = n
		case "ffree":
			fi.ffree = n
		case "type":
			fi.typ = v
		}
	}
	return fi
}

func fsDirective(mods string, c byte, name string, fi fsInfo) string {
	num := func(verb string, v any) string { return fmt.Sprintf("%"+mods+verb, v) }
	switch c {
	case 'n':
		return fmt.Sprintf("%"+mods+"s", name)
	case 'i':
		return num("x", 0)
	case 'l':
		return num("d", 255)
	case 't':
		return num("x", 0x794c7630) // overlayfs
	case 'T':
		return fmt.Sprintf("%"+mods+"s", fi.typ)
	case 'b':
		return num("d", fi.blocks)
	case 'f':
		return num("d", fi.bfree)
	case 'a':
		return num("d", fi.bavail)
	case 's', 'S':
		return num("d", fi.bsize)
	case 'c':
		return num("d", fi.files)
	case 'd':
		return num("d", fi.ffree)
	}
	return fmt.Sprintf("%"+mods+"c", c)
}
