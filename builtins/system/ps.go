package system

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/sockerless/sockerless/builtins"
)

func init() {
	builtins.Register(&builtins.Command{Name: "ps", Usage: `Usage: ps [-o COL1,COL2=HEADER] [-T]

Show list of processes

	-o COL1,COL2=HEADER	Select columns for display
	-T			Show threads

Accepted and ignored: -a -A -d -e -f -l, and BSD style "aux".
Columns: user,group,comm,args,pid,ppid,pgid,etime,nice,rgroup,ruser,time,tty,vsz,sid,stat,rss`, Run: runPs})
}

// procInfo is what ps shows of one process.
type procInfo struct {
	pid, ppid, pgid, sid int
	comm, state, cmdline string
	uid, ruid, gid, rgid int
	ttyNr                int
	utime, stime, start  uint64
	nice                 int
	vszKB, rssKB         uint64
}

const psHZ = 100

func readProc(dir string, pid int) (*procInfo, bool) {
	stat, err := os.ReadFile(filepath.Join(dir, "stat"))
	if err != nil {
		return nil, false
	}
	s := string(stat)
	open, close := strings.IndexByte(s, '('), strings.LastIndexByte(s, ')')
	if open < 0 || close < open {
		return nil, false
	}
	p := &procInfo{pid: pid, comm: s[open+1 : close]}
	f := strings.Fields(s[close+1:])
	// f[0] is field 3 (state) of proc(5)
	num := func(field int) uint64 {
		if field-3 < len(f) {
			v, _ := strconv.ParseInt(f[field-3], 10, 64)
			if v < 0 {
				return 0
			}
			return uint64(v)
		}
		return 0
	}
	if len(f) > 0 {
		p.state = f[0]
	}
	p.ppid, p.pgid, p.sid, p.ttyNr = int(num(4)), int(num(5)), int(num(6)), int(num(7))
	p.utime, p.stime, p.start = num(14), num(15), num(22)
	if 19-3 < len(f) {
		p.nice, _ = strconv.Atoi(f[19-3])
	}
	p.vszKB = num(23) / 1024
	p.rssKB = num(24) * 4
	if st, err := os.ReadFile(filepath.Join(dir, "status")); err == nil {
		for _, line := range strings.Split(string(st), "\n") {
			k, v, _ := strings.Cut(line, ":")
			ids := strings.Fields(v)
			if len(ids) < 2 {
				continue
			}
			r, _ := strconv.Atoi(ids[0])
			e, _ := strconv.Atoi(ids[1])
			switch k {
			case "Uid":
				p.ruid, p.uid = r, e
			case "Gid":
				p.rgid, p.gid = r, e
			}
		}
	}
	if cl, err := os.ReadFile(filepath.Join(dir, "cmdline")); err == nil {
		p.cmdline = string(cl)
	}
	return p, true
}

// args renders the command line the way busybox's read_cmdline does.
func (p *procInfo) args() string {
	cl := strings.TrimRight(p.cmdline, "\x00")
	if cl == "" {
		return "[" + p.comm + "]"
	}
	argv0 := cl
	if i := strings.IndexByte(argv0, 0); i >= 0 {
		argv0 = argv0[:i]
	}
	if i := strings.IndexByte(argv0, ' '); i >= 0 {
		argv0 = argv0[:i]
	}
	base := argv0
	if i := strings.LastIndexByte(base, '/'); i >= 0 {
		base = base[i+1:]
	}
	base = strings.TrimPrefix(base, "-")
	b := []byte(cl)
	for i, c := range b {
		if c < ' ' {
			b[i] = ' '
		}
	}
	out := string(b)
	if !strings.HasPrefix(base, p.comm) {
		out = "{" + p.comm + "} " + out
	}
	return out
}

// smart4 formats a KiB count in at most four characters like busybox.
func smart4(v uint64) string {
	if v < 10000 {
		return fmt.Sprintf("%4d", v)
	}
	units := "mgtpezy"
	u := -1
	for v >= 10000 || u < 0 {
		if v < 1024*10 && u >= 0 {
			break
		}
		v /= 1024
		u++
		if v < 1000 {
			break
		}
	}
	return fmt.Sprintf("%3d%c", v, units[u])
}

type psColumn struct {
	name, header string
	width        int
	value        func(p *procInfo, width int) string
}

func psColumns(users, groups func(int) string, uptime float64) map[string]psColumn {
	cols := map[string]psColumn{}
	add := func(width int, name, header string, f func(*procInfo, int) string) {
		cols[name] = psColumn{name, header, width, f}
	}
	trunc := func(s string, n int) string {
		if len(s) > n {
			return s[:n]
		}
		return s
	}
	num := func(w int, v int) string { return fmt.Sprintf("%*d", w, v) }
	add(8, "user", "USER", func(p *procInfo, w int) string { return trunc(users(p.uid), w) })
	add(8, "group", "GROUP", func(p *procInfo, w int) string { return trunc(groups(p.gid), w) })
	add(16, "comm", "COMMAND", func(p *procInfo, w int) string { return trunc(p.comm, w) })
	add(psMaxWidth, "args", "COMMAND", func(p *procInfo, w int) string { return trunc(p.args(), w) })
	add(5, "pid", "PID", func(p *procInfo, w int) string { return num(w, p.pid) })
	add(5, "ppid", "PPID", func(p *procInfo, w int) string { return num(w, p.ppid) })
	add(5, "pgid", "PGID", func(p *procInfo, w int) string { return num(w, p.pgid) })
	add(7, "etime", "ELAPSED", func(p *procInfo, w int) string {
		el := int64(uptime) - int64(p.start/psHZ)
		if el < 0 {
			el = 0
		}
		return fmt.Sprintf("%3d:%02d", el/60, el%60)
	})
	add(5, "nice", "NI", func(p *procInfo, w int) string { return num(w, p.nice) })
	add(8, "rgroup", "RGROUP", func(p *procInfo, w int) string { return trunc(groups(p.rgid), w) })
	add(8, "ruser", "RUSER", func(p *procInfo, w int) string { return trunc(users(p.ruid), w) })
	add(6, "time", "TIME", func(p *procInfo, w int) string {
		t := (p.utime + p.stime) / psHZ
		return fmt.Sprintf("%3d:%02d", t/60, t%60)
	})
	add(6, "tty", "TT", func(p *procInfo, w int) string {
		if p.ttyNr == 0 {
			return "?"
		}
		major := (p.ttyNr >> 8) & 0xfff
		minor := (p.ttyNr & 0xff) | ((p.ttyNr >> 12) & 0xfff00)
		return trunc(fmt.Sprintf("%d,%d", major, minor), w)
	})
	add(4, "vsz", "VSZ", func(p *procInfo, w int) string { return smart4(p.vszKB) })
	add(5, "sid", "SID", func(p *procInfo, w int) string { return num(w, p.sid) })
	add(4, "stat", "STAT", func(p *procInfo, w int) string {
		s := p.state
		if p.vszKB == 0 && s != "Z" {
			s += "W"
		}
		if p.nice < 0 {
			s += "<"
		} else if p.nice > 0 {
			s += "N"
		}
		return s
	})
	add(4, "rss", "RSS", func(p *procInfo, w int) string { return smart4(p.rssKB) })
	return cols
}

const psMaxWidth = 2048

var psColumnOrder = []string{"user", "group", "comm", "args", "pid", "ppid", "pgid", "etime", "nice", "rgroup", "ruser", "time", "tty", "vsz", "sid", "stat", "rss"}

func runPs(_ context.Context, env *builtins.Env, args []string) int {
	var specs []string
	for i := 1; i < len(args); i++ {
		a := args[i]
		if len(a) < 2 || a[0] != '-' {
			continue // BSD style "aux" is ignored, like busybox
		}
		if a == "--" {
			break
		}
		for j := 1; j < len(a); j++ {
			c := a[j]
			switch {
			case c == 'o':
				v := a[j+1:]
				if v == "" {
					if i+1 >= len(args) {
						env.Errorf("ps", "option requires an argument -- 'o'")
						return 1
					}
					i++
					v = args[i]
				}
				specs = append(specs, v)
				j = len(a)
			case strings.IndexByte("ZaAdeflTwx", c) >= 0:
			default:
				env.Errorf("ps", "invalid option -- '%c'", c)
				return 1
			}
		}
	}
	passwd, group := readDB("passwd"), readDB("group")
	users := func(id int) string {
		if n, ok := lookupID(passwd, id); ok {
			return n
		}
		return strconv.Itoa(id)
	}
	groups := func(id int) string {
		if n, ok := lookupID(group, id); ok {
			return n
		}
		return strconv.Itoa(id)
	}
	uptime := 0.0
	if s, ok := readTrim(procPath("uptime")); ok {
		if f := strings.Fields(s); len(f) > 0 {
			uptime, _ = strconv.ParseFloat(f[0], 64)
		}
	}
	all := psColumns(users, groups, uptime)
	if len(specs) == 0 {
		specs = []string{"pid,user,args"}
	}
	var cols []psColumn
	printHeader := false
	for _, spec := range specs {
		parts := strings.Split(spec, ",")
		for k := 0; k < len(parts); k++ {
			name, header, hasHeader := strings.Cut(parts[k], "=")
			col, ok := findPsColumn(all, name)
			if !ok {
				env.Errorf("ps", "bad -o argument '%s', supported arguments: %s", name, strings.Join(psColumnOrder, ","))
				return 1
			}
			if hasHeader {
				col.header = header
				if header != "" {
					col.width = len(header)
					printHeader = true
				}
			} else {
				printHeader = true
			}
			cols = append(cols, col)
		}
	}
	width := 0
	for i, c := range cols {
		width += c.width + 1
		if width > psMaxWidth {
			cols = cols[:i+1]
			break
		}
	}
	var b strings.Builder
	line := func(cells []string) {
		var l strings.Builder
		for i, cell := range cells {
			l.WriteString(cell)
			if i == len(cells)-1 {
				break
			}
			if pad := cols[i].width - len(cell) + 1; pad > 0 {
				l.WriteString(strings.Repeat(" ", pad))
			}
		}
		s := l.String()
		if len(s) > psMaxWidth {
			s = s[:psMaxWidth]
		}
		b.WriteString(s)
		b.WriteByte('\n')
	}
	if printHeader {
		cells := make([]string, len(cols))
		for i, c := range cols {
			cells[i] = c.header
		}
		line(cells)
	}
	entries, err := os.ReadDir(procRoot)
	if err != nil {
		env.Errorf("ps", "can't open '%s': %s", procRoot, errText(err))
		return 1
	}
	var pids []int
	for _, e := range entries {
		if pid, err := strconv.Atoi(e.Name()); err == nil && pid > 0 {
			pids = append(pids, pid)
		}
	}
	slices.Sort(pids)
	for _, pid := range pids {
		p, ok := readProc(procPath(strconv.Itoa(pid)), pid)
		if !ok {
			continue
		}
		cells := make([]string, len(cols))
		for i, c := range cols {
			cells[i] = c.value(p, c.width)
			if cells[i] == "" {
				cells[i] = "-"
			}
		}
		line(cells)
	}
	fmt.Fprint(env.Stdout, b.String())
	return 0
}

// findPsColumn matches the first six characters like busybox.
func findPsColumn(all map[string]psColumn, name string) (psColumn, bool) {
	key := name
	if len(key) > 6 {
		key = key[:6]
	}
	for _, n := range psColumnOrder {
		short := n
		if len(short) > 6 {
			short = short[:6]
		}
		if short == key {
			return all[n], true
		}
	}
	return psColumn{}, false
}
