package files

import (
	"bufio"
	"context"
	"fmt"
	"io/fs"
	"os"
	"strconv"
	"strings"

	"github.com/sockerless/sockerless/builtins"
)

func init() {
	builtins.Register(
		&builtins.Command{Name: "du", Usage: duUsage, Run: runDu},
		&builtins.Command{Name: "df", Usage: dfUsage, Run: runDf},
		&builtins.Command{Name: "truncate", Usage: truncateUsage, Run: runTruncate},
	)
}

const duUsage = `Usage: du [-aHLdclsxhmkb] [FILE]...

Summarize disk space used for FILEs (or directories)

	-a	Show file sizes too
	-b	Apparent size (including holes)
	-L	Follow all symlinks
	-H	Follow symlinks on command line
	-d N	Limit output to directories (and files with -a) of depth < N
	-c	Show grand total
	-l	Count sizes many times if hard linked
	-s	Display only a total for each argument
	-x	Skip directories on different filesystems
	-h	Sizes in human readable format (e.g., 1K 243M 2G)
	-m	Sizes in megabytes
	-k	Sizes in kilobytes (default)`

const dfUsage = `Usage: df [-PkmhTai] [-B SIZE] [FILESYSTEM]...

Print filesystem usage statistics

	-P	POSIX output format
	-k	1024-byte blocks (default)
	-m	1M-byte blocks
	-h	Human readable (e.g. 1K 243M 2G)
	-T	Print filesystem type
	-a	Show all filesystems
	-i	Inodes
	-B SIZE	Blocksize

The sandbox has no statfs: df prints one line for "/" with the figures the
host publishes in /proc/sockerless/df ("bsize", "blocks", "bfree",
"bavail", "files", "ffree", "type" lines), or zeros when it publishes none.`

const truncateUsage = `Usage: truncate [-c] [-s [+-<>/%]SIZE | -r FILE] FILE...

Truncate FILEs to SIZE

	-c	Do not create files
	-s SIZE	Set or adjust the size (K, M, G: powers of 1024; KB, MB, GB: of 1000)
	-r FILE	Use FILE's size`

// humanReadable is busybox's make_human_readable_str: val*blockSize shown
// in dispUnit units, or with a K/M/G suffix and one decimal when dispUnit
// is 0 (none when blockSize is 0).
func humanReadable(val, blockSize, dispUnit uint64) string {
	if val == 0 {
		return "0"
	}
	if blockSize > 1 {
		val *= blockSize
	}
	if dispUnit != 0 {
		val += dispUnit / 2
		val /= dispUnit
		return strconv.FormatUint(val, 10)
	}
	if blockSize == 0 {
		return humanSizeInt(val)
	}
	return humanSize(val)
}

type duer struct {
	ctx                    context.Context
	env                    *builtins.Env
	out                    *bufio.Writer
	all, apparent, countHL bool
	xdev                   bool
	follow                 int // depth up to which links are followed
	maxDepth               int
	unit                   uint64
	depth                  int
	dev                    uint64
	seen                   map[[2]uint64]bool
	status                 int
}

func runDu(ctx context.Context, env *builtins.Env, args []string) int {
	fl := builtins.Flags(env, "du")
	d := &duer{ctx: ctx, env: env, seen: map[[2]uint64]bool{}, unit: 1024, maxDepth: 1 << 30}
	var derefH, derefL, total, summary, human, mega, kilo bool
	fl.BoolVarP(&d.all, "all", "a", false, "")
	fl.BoolVarP(&d.apparent, "bytes", "b", false, "")
	fl.BoolVar(&d.apparent, "apparent-size", false, "")
	fl.BoolVarP(&derefL, "dereference", "L", false, "")
	fl.BoolVarP(&derefH, "dereference-args", "H", false, "")
	fl.IntVarP(&d.maxDepth, "max-depth", "d", 1<<30, "")
	fl.BoolVarP(&total, "total", "c", false, "")
	fl.BoolVarP(&d.countHL, "count-links", "l", false, "")
	fl.BoolVarP(&summary, "summarize", "s", false, "")
	fl.BoolVarP(&d.xdev, "one-file-system", "x", false, "")
	fl.BoolVarP(&human, "human-readable", "h", false, "")
	fl.BoolVarP(&mega, "megabytes", "m", false, "")
	fl.BoolVarP(&kilo, "kilobytes", "k", false, "")
	if st, ok := builtins.ParseFlags(env, fl, args[1:]); !ok {
		return st
	}
	// The last of -h/-k/-m and of -H/-L and of -s/-d wins, as in busybox.
	for _, a := range args[1:] {
		if len(a) > 1 && a[0] == '-' && a[1] != '-' {
			for _, c := range a[1:] {
				switch c {
				case 'h':
					human, kilo, mega = true, false, false
				case 'k':
					kilo, human, mega = true, false, false
				case 'm':
					mega, human, kilo = true, false, false
				case 'H':
					derefH, derefL = true, false
				case 'L':
					derefL, derefH = true, false
				case 's':
					summary = true
				case 'd':
					summary = false
				}
			}
		}
	}
	if d.apparent {
		d.unit = 1
	}
	switch {
	case human:
		d.unit = 0
	case mega:
		d.unit = 1 << 20
	case kilo:
		d.unit = 1024
	}
	if derefH {
		d.follow = 1
	}
	if derefL {
		d.follow = 1 << 30
	}
	if summary {
		d.maxDepth = 0
	}
	d.out = bufio.NewWriter(env.Stdout)
	defer d.out.Flush()
	ops := fl.Args()
	if len(ops) == 0 {
		ops = []string{"."}
		if d.follow == 1 {
			d.follow = 0
		}
	}
	var sum uint64
	saved := d.follow
	for _, name := range ops {
		sum += d.du(name)
		d.follow = saved
	}
	if total {
		d.print(sum, "total")
	}
	return d.status
}

func (d *duer) print(size uint64, name string) {
	if d.unit != 0 {
		size += (d.unit - 1) / 1024
	}
	bs := uint64(512)
	if d.apparent {
		bs = 1
	}
	fmt.Fprintf(d.out, "%s\t%s\n", humanReadable(size, bs, d.unit), name)
}

func (d *duer) du(name string) uint64 {
	if d.ctx.Err() != nil {
		d.status = 1
		return 0
	}
	abs := d.env.Abs(name)
	fi, err := d.env.Sys.Lstat(abs)
	if err != nil {
		d.env.Errorf("du", "%s: %s", name, errText(err))
		d.status = 1
		return 0
	}
	st := statT(fi)
	if d.xdev {
		if d.depth == 0 {
			d.dev = st.Dev
		} else if st.Dev != d.dev {
			return 0
		}
	}
	size := func(fi fs.FileInfo) uint64 {
		if d.apparent {
			return uint64(fi.Size())
		}
		return uint64(statT(fi).Blocks)
	}
	sum := size(fi)
	if fi.Mode()&fs.ModeSymlink != 0 && d.follow > d.depth {
		fi, err = d.env.Sys.Stat(abs)
		if err != nil {
			d.env.Errorf("du", "%s: %s", name, errText(err))
			d.status = 1
			return 0
		}
		st = statT(fi)
		sum = size(fi)
		if d.follow == 1 {
			d.follow = 1 << 30
		}
	}
	if !d.countHL && st.Nlink > 1 {
		key := [2]uint64{st.Dev, st.Ino}
		if d.seen[key] {
			return 0
		}
		d.seen[key] = true
	}
	if fi.IsDir() {
		names, err := readNames(abs)
		if err != nil {
			d.env.Errorf("du", "%s: %s", name, errText(err))
			d.status = 1
			return sum
		}
		for _, n := range names {
			d.depth++
			sum += d.du(joinName(name, n))
			d.depth--
		}
	} else if !d.all && d.depth != 0 {
		return sum
	}
	if d.depth <= d.maxDepth {
		d.print(sum, name)
	}
	return sum
}

func runDf(ctx context.Context, env *builtins.Env, args []string) int {
	fl := builtins.Flags(env, "df")
	var posix, kilo, mega, human, typ, all, inodes bool
	var bsize, onlyType string
	fl.BoolVarP(&posix, "portability", "P", false, "")
	fl.BoolVarP(&kilo, "kilobytes", "k", false, "")
	fl.BoolVarP(&mega, "megabytes", "m", false, "")
	fl.BoolVarP(&human, "human-readable", "h", false, "")
	fl.BoolVarP(&typ, "print-type", "T", false, "")
	fl.BoolVarP(&all, "all", "a", false, "")
	fl.BoolVarP(&inodes, "inodes", "i", false, "")
	fl.StringVarP(&bsize, "block-size", "B", "", "")
	fl.StringVarP(&onlyType, "type", "t", "", "")
	if st, ok := builtins.ParseFlags(env, fl, args[1:]); !ok {
		return st
	}
	for _, name := range fl.Args() {
		if _, err := os.Stat(env.Abs(name)); err != nil {
			env.Errorf("df", "%s: %s", name, errText(err))
			return 1
		}
	}
	fsi := readFSInfo()
	unit := uint64(1024)
	switch {
	case human:
		unit = 0
	case mega:
		unit = 1 << 20
	case bsize != "":
		if n, ok := parseSize(bsize); ok && n > 0 {
			unit = uint64(n)
		}
	}
	hdr := ""
	switch {
	case inodes:
		hdr = "   Inodes"
	case unit == 0:
		hdr = "     Size"
	default:
		hdr = humanSizeInt(unit) + "-blocks"
		if posix {
			hdr = strconv.FormatUint(unit, 10) + "-blocks"
		}
	}
	capacity := "Use%"
	if posix {
		capacity = "Capacity"
	}
	typeHdr := ""
	if typ {
		typeHdr = "Type       "
	}
	out := bufio.NewWriter(env.Stdout)
	defer out.Flush()
	fmt.Fprintf(out, "Filesystem           %s%-15sUsed Available %s Mounted on\n", typeHdr, hdr, capacity)
	if onlyType != "" && onlyType != fsi.typ {
		return 0
	}
	blocks, bfree, bavail, frsize := fsi.blocks, fsi.bfree, fsi.bavail, fsi.bsize
	if inodes {
		blocks, bfree, bavail, frsize = fsi.files, fsi.ffree, fsi.ffree, 1
		if unit == 0 {
			unit = 0
		} else {
			unit = 1
		}
	}
	used := blocks - bfree
	totalB := used + bavail
	pct := uint64(0)
	if totalB != 0 {
		pct = (used*100 + totalB/2) / totalB
	}
	dev := fmt.Sprintf("%-20s", fsi.typ)
	fmt.Fprint(out, dev)
	if typ {
		fmt.Fprintf(out, " %-10s", fsi.typ)
	}
	fmt.Fprintf(out, " %9s ", humanReadable(blocks, frsize, unit))
	fmt.Fprintf(out, "%9s ", humanReadable(used, frsize, unit))
	fmt.Fprintf(out, "%9s %3d%% %s\n", humanReadable(bavail, frsize, unit), pct, "/")
	return 0
}

// parseSize reads a size with an optional K/M/G (1024) or KB/MB/GB (1000)
// suffix, as truncate -s and dd take them.
func parseSize(s string) (int64, bool) {
	mults := []struct {
		sfx string
		m   int64
	}{
		{"KB", 1000}, {"kB", 1000}, {"MB", 1000 * 1000}, {"GB", 1000 * 1000 * 1000},
		{"K", 1024}, {"k", 1024}, {"M", 1 << 20}, {"G", 1 << 30}, {"T", 1 << 40},
		{"KiB", 1024}, {"MiB", 1 << 20}, {"GiB", 1 << 30},
	}
	m := int64(1)
	for _, x := range mults {
		if strings.HasSuffix(s, x.sfx) && len(s) > len(x.sfx) {
			s, m = s[:len(s)-len(x.sfx)], x.m
			break
		}
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 0 {
		return 0, false
	}
	return n * m, true
}

func runTruncate(ctx context.Context, env *builtins.Env, args []string) int {
	fl := builtins.Flags(env, "truncate")
	var noCreate bool
	var size, ref string
	fl.BoolVarP(&noCreate, "no-create", "c", false, "")
	fl.StringVarP(&size, "size", "s", "", "")
	fl.StringVarP(&ref, "reference", "r", "", "")
	fl.BoolP("io-blocks", "o", false, "")
	if st, ok := builtins.ParseFlags(env, fl, args[1:]); !ok {
		return st
	}
	if (!fl.Changed("size") && !fl.Changed("reference")) || len(fl.Args()) == 0 {
		env.Errorf("truncate", "you must specify either '-s' or '-r'")
		return 1
	}
	var op byte
	var n int64
	if fl.Changed("size") {
		s := size
		if s != "" && strings.IndexByte("+-<>/%", s[0]) >= 0 {
			op, s = s[0], s[1:]
		}
		v, ok := parseSize(s)
		if !ok {
			env.Errorf("truncate", "invalid number '%s'", size)
			return 1
		}
		n = v
		if (op == '/' || op == '%') && n == 0 {
			env.Errorf("truncate", "division by zero")
			return 1
		}
	}
	var refSize int64 = -1
	if fl.Changed("reference") {
		fi, err := os.Stat(env.Abs(ref))
		if err != nil {
			env.Errorf("truncate", "can't stat '%s': %s", ref, errText(err))
			return 1
		}
		refSize = fi.Size()
	}
	status := 0
	for _, name := range fl.Args() {
		abs := env.Abs(name)
		fi, err := os.Stat(abs)
		if err != nil {
			if noCreate {
				continue
			}
			f, cerr := os.OpenFile(abs, os.O_WRONLY|os.O_CREATE, 0o644)
			if cerr != nil {
				env.Errorf("truncate", "%s: %s", name, errText(cerr))
				status = 1
				continue
			}
			f.Close()
			env.Sys.Chmod(abs, 0o644)
			fi, _ = os.Stat(abs)
		}
		cur := int64(0)
		if fi != nil {
			cur = fi.Size()
		}
		if refSize >= 0 {
			cur = refSize
		}
		target := n
		switch op {
		case '+':
			target = cur + n
		case '-':
			target = max(cur-n, 0)
		case '<':
			target = min(cur, n)
		case '>':
			target = max(cur, n)
		case '/':
			target = cur / n * n
		case '%':
			target = (cur + n - 1) / n * n
		default:
			if !fl.Changed("size") {
				target = refSize
			}
		}
		if err := os.Truncate(abs, target); err != nil {
			env.Errorf("truncate", "%s: %s", name, errText(err))
			status = 1
		}
	}
	return status
}
