package files

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/sockerless/sockerless/builtins"
)

func init() {
	builtins.Register(
		&builtins.Command{Name: "mkdir", Usage: mkdirUsage, Run: runMkdir},
		&builtins.Command{Name: "mkfifo", Usage: "Usage: mkfifo [-m MODE] NAME...\n\nCreate named pipe\n\n\t-m MODE\tMode (default a=rw)", Run: runMkfifo},
		&builtins.Command{Name: "ln", Usage: lnUsage, Run: runLn},
		&builtins.Command{Name: "link", Usage: "Usage: link FILE LINK\n\nCreate hard LINK to FILE", Run: runLink},
		&builtins.Command{Name: "touch", Usage: touchUsage, Run: runTouch},
	)
}

const mkdirUsage = `Usage: mkdir [-m MODE] [-pv] DIRECTORY...

Create DIRECTORY

	-m MODE	Mode
	-p	No error if exists; make parent directories as needed
	-v	Verbose`

const lnUsage = `Usage: ln [-sfnTv] TARGET... LINK|DIR

Create a link LINK or DIR/TARGET to the specified TARGET(s)

	-s	Make symlinks instead of hardlinks
	-f	Remove existing destinations
	-n	Don't dereference symlinks - treat like normal file
	-T	Treat LINK as a file, not DIR
	-r	Make symlinks relative to the link's directory
	-v	Verbose`

const touchUsage = `Usage: touch [-cham] [-d DATE] [-t DATE] [-r FILE] FILE...

Update mtime of FILEs

	-c	Don't create files
	-h	Don't follow links
	-a	Change only atime
	-m	Change only mtime
	-d DT	Date/time to use
	-t DT	Date/time to use
	-r FILE	Use FILE's date/time`

func runMkdir(ctx context.Context, env *builtins.Env, args []string) int {
	fl := builtins.Flags(env, "mkdir")
	var parents, verbose bool
	var smode string
	fl.BoolVarP(&parents, "parents", "p", false, "")
	fl.BoolVarP(&verbose, "verbose", "v", false, "")
	fl.StringVarP(&smode, "mode", "m", "", "")
	if st, ok := builtins.ParseFlags(env, fl, args[1:]); !ok {
		return st
	}
	mode := int64(-1)
	if fl.Changed("mode") {
		m, ok := parseMode(smode, 0o777, umask(env))
		if !ok {
			env.Errorf("mkdir", "invalid mode '%s'", smode)
			return 1
		}
		mode = int64(m)
	}
	if len(fl.Args()) == 0 {
		return usageErr(env, "mkdir")
	}
	status := 0
	for _, name := range fl.Args() {
		if !makeDir(env, "mkdir", name, mode, parents, verbose) {
			status = 1
		}
	}
	return status
}

// makeDir creates path like busybox's bb_make_directory: with parents,
// each missing prefix ("a/", "a/b/") is created with u+wx; the last one
// gets mode (or 0777 minus the umask when mode < 0).
func makeDir(env *builtins.Env, cmd, path string, mode int64, parents, verbose bool) bool {
	if path == "/" || path == "." {
		return true
	}
	var prefixes []string
	if parents {
		for i := 0; i < len(path); i++ {
			if path[i] == '/' {
				j := i
				for j < len(path) && path[j] == '/' {
					j++
				}
				if j < len(path) {
					prefixes = append(prefixes, path[:j])
				}
				i = j - 1
			}
		}
	}
	prefixes = append(prefixes, path)
	for k, p := range prefixes {
		last := k == len(prefixes)-1
		abs := env.Abs(p)
		err := os.Mkdir(abs, 0o700)
		if err != nil {
			if !parents || !errors.Is(err, fs.ErrExist) || !isDir(abs) {
				env.Errorf(cmd, "can't create directory '%s': %s", p, errText(err))
				return false
			}
			if last {
				return true
			}
			continue
		}
		if verbose {
			fmt.Fprintf(env.Stdout, "created directory: '%s'\n", p)
		}
		perm := uint32(0o777 &^ umask(env))
		if !last {
			perm = 0o777 &^ (umask(env) &^ 0o300)
		} else if mode >= 0 {
			perm = uint32(mode)
		}
		if err := env.Sys.Chmod(abs, goPerm(perm)); err != nil {
			env.Errorf(cmd, "can't set permissions of directory '%s': %s", p, errText(err))
			return false
		}
	}
	return true
}

func runMkfifo(ctx context.Context, env *builtins.Env, args []string) int {
	fl := builtins.Flags(env, "mkfifo")
	smode := fl.StringP("mode", "m", "", "")
	if st, ok := builtins.ParseFlags(env, fl, args[1:]); !ok {
		return st
	}
	mode := uint32(0o666 &^ umask(env))
	if fl.Changed("mode") {
		m, ok := parseMode(*smode, 0o666, umask(env))
		if !ok {
			env.Errorf("mkfifo", "invalid mode '%s'", *smode)
			return 1
		}
		mode = m
	}
	if len(fl.Args()) == 0 {
		return usageErr(env, "mkfifo")
	}
	status := 0
	for _, name := range fl.Args() {
		abs := env.Abs(name)
		if err := env.Sys.Mkfifo(abs, goPerm(mode)); err != nil {
			env.Errorf("mkfifo", "%s: %s", name, errText(err))
			status = 1
			continue
		}
		env.Sys.Chmod(abs, goPerm(mode))
	}
	return status
}

func runLn(ctx context.Context, env *builtins.Env, args []string) int {
	fl := builtins.Flags(env, "ln")
	var sym, force, noDeref, noTarget, verbose, relative, backup bool
	var suffix, targetDir string
	fl.BoolVarP(&sym, "symbolic", "s", false, "")
	fl.BoolVarP(&force, "force", "f", false, "")
	fl.BoolVarP(&noDeref, "no-dereference", "n", false, "")
	fl.BoolVarP(&noTarget, "no-target-directory", "T", false, "")
	fl.BoolVarP(&verbose, "verbose", "v", false, "")
	fl.BoolVarP(&relative, "relative", "r", false, "")
	fl.BoolVarP(&backup, "backup", "b", false, "")
	fl.StringVarP(&suffix, "suffix", "S", "~", "")
	fl.StringVarP(&targetDir, "target-directory", "t", "", "")
	if st, ok := builtins.ParseFlags(env, fl, args[1:]); !ok {
		return st
	}
	ops := fl.Args()
	if len(ops) == 0 {
		return usageErr(env, "ln")
	}
	var srcs, dsts []string
	switch {
	case targetDir != "":
		for _, s := range ops {
			srcs, dsts = append(srcs, s), append(dsts, joinName(targetDir, baseName(s)))
		}
	case len(ops) == 1:
		srcs, dsts = ops, []string{baseName(ops[0])}
	default:
		last := ops[len(ops)-1]
		ops = ops[:len(ops)-1]
		dirTarget := false
		if !noTarget {
			abs := env.Abs(last)
			if noDeref {
				fi, err := os.Lstat(abs)
				dirTarget = err == nil && fi.IsDir()
			} else {
				dirTarget = isDir(abs)
			}
		}
		if len(ops) > 1 && !dirTarget {
			env.Errorf("ln", "'%s' is not a directory", last)
			return 1
		}
		for _, s := range ops {
			if dirTarget {
				srcs, dsts = append(srcs, s), append(dsts, joinName(last, baseName(s)))
			} else {
				srcs, dsts = append(srcs, s), append(dsts, last)
			}
		}
	}
	status := 0
	for i := range srcs {
		src, dst := srcs[i], dsts[i]
		adst := env.Abs(dst)
		if !sym {
			if fi, err := os.Stat(env.Abs(src)); err != nil {
				env.Errorf("ln", "%s: %s", src, errText(err))
				status = 1
				continue
			} else if fi.IsDir() {
				env.Errorf("ln", "%s: hard link not allowed for directory", src)
				status = 1
				continue
			}
		}
		if _, err := os.Lstat(adst); err == nil {
			if backup {
				if err := os.Rename(adst, adst+suffix); err != nil {
					env.Errorf("ln", "can't create backup of '%s': %s", dst, errText(err))
					status = 1
					continue
				}
			} else if force {
				os.Remove(adst)
			}
		}
		var err error
		if sym {
			target := src
			if relative {
				if r, rerr := filepath.Rel(filepath.Dir(adst), env.Abs(src)); rerr == nil {
					target = r
				}
			}
			err = os.Symlink(target, adst)
		} else {
			err = os.Link(env.Abs(src), adst)
		}
		if err != nil {
			env.Errorf("ln", "%s: %s", dst, errText(err))
			status = 1
			continue
		}
		if verbose {
			fmt.Fprintf(env.Stdout, "'%s' -> '%s'\n", dst, src)
		}
	}
	return status
}

func runLink(ctx context.Context, env *builtins.Env, args []string) int {
	if len(args) != 3 {
		env.Errorf("link", "need exactly two arguments")
		return 1
	}
	if err := os.Link(env.Abs(args[1]), env.Abs(args[2])); err != nil {
		env.Errorf("link", "cannot create link %s to %s: %s", args[2], args[1], errText(err))
		return 1
	}
	return 0
}

func runTouch(ctx context.Context, env *builtins.Env, args []string) int {
	fl := builtins.Flags(env, "touch")
	var noCreate, noDeref, onlyA, onlyM bool
	var date, stamp, ref string
	fl.BoolVarP(&noCreate, "no-create", "c", false, "")
	fl.BoolVarP(&noDeref, "no-dereference", "h", false, "")
	fl.BoolVarP(&onlyA, "atime", "a", false, "")
	fl.BoolVarP(&onlyM, "mtime", "m", false, "")
	fl.StringVarP(&date, "date", "d", "", "")
	fl.StringVarP(&stamp, "stamp", "t", "", "")
	fl.StringVarP(&ref, "reference", "r", "", "")
	if st, ok := builtins.ParseFlags(env, fl, args[1:]); !ok {
		return st
	}
	if len(fl.Args()) == 0 {
		return usageErr(env, "touch")
	}
	now := time.Now()
	atime, mtime := now, now
	switch {
	case fl.Changed("reference"):
		fi, err := env.Sys.Stat(env.Abs(ref))
		if err != nil {
			env.Errorf("touch", "can't stat '%s': %s", ref, errText(err))
			return 1
		}
		atime, mtime = atimeOf(fi), fi.ModTime()
	case fl.Changed("date"):
		t, ok := parseDate(date, now)
		if !ok {
			env.Errorf("touch", "invalid date '%s'", date)
			return 1
		}
		atime, mtime = t, t
	case fl.Changed("stamp"):
		t, ok := parseStamp(stamp, now)
		if !ok {
			env.Errorf("touch", "invalid date '%s'", stamp)
			return 1
		}
		atime, mtime = t, t
	}
	if onlyA && onlyM {
		onlyA, onlyM = false, false
	}
	status := 0
	for _, name := range fl.Args() {
		abs := env.Abs(name)
		fi, err := env.Sys.Stat(abs)
		if err != nil {
			if _, lerr := os.Lstat(abs); lerr == nil && noDeref {
				continue // a dangling link: nothing we can do without lutimes
			}
			if noCreate {
				continue
			}
			f, cerr := os.OpenFile(abs, os.O_WRONLY|os.O_CREATE, 0o644)
			if cerr != nil {
				env.Errorf("touch", "%s: %s", name, errText(cerr))
				status = 1
				continue
			}
			f.Close()
			env.Sys.Chmod(abs, goPerm(0o666&^umask(env)))
			if fi, err = env.Sys.Stat(abs); err != nil {
				continue
			}
		}
		if noDeref {
			if li, err := os.Lstat(abs); err == nil && li.Mode()&fs.ModeSymlink != 0 {
				continue // Go has no lutimes: links keep their own times
			}
		}
		a, m := atime, mtime
		if onlyA {
			m = fi.ModTime()
		}
		if onlyM {
			a = atimeOf(fi)
		}
		if err := os.Chtimes(abs, a, m); err != nil {
			env.Errorf("touch", "%s: %s", name, errText(err))
			status = 1
		}
	}
	return status
}

// parseDate reads a date the way busybox's parse_datestr does for touch
// -d/-t and date -d: strptime-like forms ("HH:MM[:SS]", "[YYYY.]mm.dd-HH:MM[:SS]",
// "YYYY-mm-dd[ HH[:MM[:SS]]][ +zzzz]", "Mon dd HH:MM:SS YYYY"), "@EPOCH",
// and touch's digit stamp "[[[[[CC]YY]MM]DD]hh]mm[.ss]". As in busybox,
// fields a strptime form does not name keep their value from now.
func parseDate(s string, now time.Time) (time.Time, bool) {
	now = now.Local()
	forms := []string{"%R", "%T", "%m.%d-%R", "%m.%d-%T", "%Y.%m.%d-%R", "%Y.%m.%d-%T",
		"%b %d %T %Y", "%Y-%m-%d %R", "%Y-%m-%d %T", "%Y-%m-%d %R %z", "%Y-%m-%d %T %z",
		"%Y-%m-%d %H", "%Y-%m-%d"}
	for _, f := range forms {
		if t, ok := strptime(s, f, now); ok {
			return t, true
		}
	}
	if strings.HasPrefix(s, "@") {
		sec, err := strconv.ParseInt(s[1:], 10, 64)
		if err != nil {
			return time.Time{}, false
		}
		return time.Unix(sec, 0), true
	}
	return parseStamp(s, now)
}

// strptime matches s against a small strptime format; unnamed fields are
// taken from now.
func strptime(s, format string, now time.Time) (time.Time, bool) {
	y, mo, d := now.Date()
	h, mi, sec := now.Clock()
	month := int(mo)
	zone := 0
	hasZone := false
	f := strings.NewReplacer("%R", "%H:%M", "%T", "%H:%M:%S").Replace(format)
	num := func(max int) (int, bool) {
		for s != "" && s[0] == ' ' {
			s = s[1:]
		}
		i := 0
		for i < len(s) && i < max && isDigit(s[i]) {
			i++
		}
		if i == 0 {
			return 0, false
		}
		n, _ := strconv.Atoi(s[:i])
		s = s[i:]
		return n, true
	}
	for i := 0; i < len(f); i++ {
		c := f[i]
		if c == ' ' {
			for s != "" && s[0] == ' ' {
				s = s[1:]
			}
			continue
		}
		if c != '%' {
			if s == "" || s[0] != c {
				return time.Time{}, false
			}
			s = s[1:]
			continue
		}
		i++
		var ok bool
		var n int
		switch f[i] {
		case 'Y':
			if n, ok = num(4); ok {
				y = n
			}
		case 'm':
			if n, ok = num(2); ok && n >= 1 && n <= 12 {
				month = n
			} else {
				ok = false
			}
		case 'd':
			if n, ok = num(2); ok && n >= 1 && n <= 31 {
				d = n
			} else {
				ok = false
			}
		case 'H':
			if n, ok = num(2); ok && n <= 23 {
				h = n
			} else {
				ok = false
			}
		case 'M':
			if n, ok = num(2); ok && n <= 59 {
				mi = n
			} else {
				ok = false
			}
		case 'S':
			if n, ok = num(2); ok && n <= 61 {
				sec = n
			} else {
				ok = false
			}
		case 'b':
			for k := 1; k <= 12; k++ {
				full := time.Month(k).String()
				for _, name := range []string{full, full[:3]} {
					if len(s) >= len(name) && strings.EqualFold(s[:len(name)], name) {
						month, s, ok = k, s[len(name):], true
						break
					}
				}
				if ok {
					break
				}
			}
		case 'z':
			if len(s) >= 5 && (s[0] == '+' || s[0] == '-') && allDigits(s[1:5]) {
				zh, _ := strconv.Atoi(s[1:3])
				zm, _ := strconv.Atoi(s[3:5])
				zone = zh*3600 + zm*60
				if s[0] == '-' {
					zone = -zone
				}
				s, ok, hasZone = s[5:], true, true
			}
		}
		if !ok {
			return time.Time{}, false
		}
	}
	if s != "" {
		return time.Time{}, false
	}
	if hasZone {
		return time.Date(y, time.Month(month), d, h, mi, sec, 0, time.FixedZone("", zone)), true
	}
	return time.Date(y, time.Month(month), d, h, mi, sec, 0, time.Local), true
}

// parseStamp reads touch -t's [[[[[CC]YY]MM]DD]hh]mm[.ss].
func parseStamp(s string, now time.Time) (time.Time, bool) {
	now = now.Local()
	y, mo, d := now.Date()
	h, mi, _ := now.Clock()
	month, sec := int(mo), 0
	digits := s
	if i := strings.IndexByte(s, '.'); i >= 0 {
		digits = s[:i]
		ss := s[i+1:]
		if !allDigits(ss) || len(ss) > 2 {
			return time.Time{}, false
		}
		sec, _ = strconv.Atoi(ss)
	}
	if !allDigits(digits) {
		return time.Time{}, false
	}
	n := func(k int) int { v, _ := strconv.Atoi(digits[k : k+2]); return v }
	switch len(digits) {
	case 2:
		mi = n(0)
	case 4:
		h, mi = n(0), n(2)
	case 6:
		d, h, mi = n(0), n(2), n(4)
	case 8:
		month, d, h, mi = n(0), n(2), n(4), n(6)
	case 10:
		yy := n(0)
		cur := y - 1900
		yy += (cur / 100) * 100
		if yy < cur-50 {
			yy += 100
		}
		if yy > cur+50 {
			yy -= 100
		}
		y = yy + 1900
		month, d, h, mi = n(2), n(4), n(6), n(8)
	case 12:
		y, _ = strconv.Atoi(digits[:4])
		month, d, h, mi = n(4), n(6), n(8), n(10)
	default:
		return time.Time{}, false
	}
	if sec > 60 || mi > 59 || h > 23 || d > 31 || month > 12 || month < 1 {
		return time.Time{}, false
	}
	return time.Date(y, time.Month(month), d, h, mi, sec, 0, time.Local), true
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return s != ""
}
