package containers

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/sockerless/sockerless/runtime/errdefs"
)

// psRow is one process as docker top reports it.
type psRow struct {
	pid, ppid, uid, gid int
	args                []string
	start               time.Time
	cpu                 time.Duration
	rss                 int64 // bytes
	tty                 bool
}

// psColumn is one procps output field: its header and its value.
type psColumn struct {
	title string
	value func(r psRow, now time.Time) string
}

func psUser(uid int) string {
	if uid == 0 {
		return "root"
	}
	return strconv.Itoa(uid)
}

func psTime(d time.Duration) string {
	s := int(d / time.Second)
	return fmt.Sprintf("%02d:%02d:%02d", s/3600, s/60%60, s%60)
}

func psTTY(r psRow) string {
	if r.tty {
		return "pts/0"
	}
	return "?"
}

func psComm(r psRow) string {
	if len(r.args) == 0 {
		return ""
	}
	c := r.args[0]
	if i := strings.LastIndexByte(c, '/'); i >= 0 {
		c = c[i+1:]
	}
	return c
}

// psColumns are the procps fields docker top users ask for (`ps -o`).
var psColumns = map[string]psColumn{
	"pid":     {"PID", func(r psRow, _ time.Time) string { return strconv.Itoa(r.pid) }},
	"ppid":    {"PPID", func(r psRow, _ time.Time) string { return strconv.Itoa(r.ppid) }},
	"uid":     {"UID", func(r psRow, _ time.Time) string { return strconv.Itoa(r.uid) }},
	"gid":     {"GID", func(r psRow, _ time.Time) string { return strconv.Itoa(r.gid) }},
	"user":    {"USER", func(r psRow, _ time.Time) string { return psUser(r.uid) }},
	"group":   {"GROUP", func(r psRow, _ time.Time) string { return psUser(r.gid) }},
	"comm":    {"COMMAND", func(r psRow, _ time.Time) string { return psComm(r) }},
	"args":    {"COMMAND", func(r psRow, _ time.Time) string { return strings.Join(r.args, " ") }},
	"command": {"COMMAND", func(r psRow, _ time.Time) string { return strings.Join(r.args, " ") }},
	"cmd":     {"CMD", func(r psRow, _ time.Time) string { return strings.Join(r.args, " ") }},
	"c":       {"C", func(r psRow, now time.Time) string { return strconv.Itoa(int(100 * pcpu(r, now))) }},
	"pcpu":    {"%CPU", func(r psRow, now time.Time) string { return fmt.Sprintf("%.1f", 100*pcpu(r, now)) }},
	"rss":     {"RSS", func(r psRow, _ time.Time) string { return strconv.FormatInt(r.rss>>10, 10) }},
	"vsz":     {"VSZ", func(r psRow, _ time.Time) string { return strconv.FormatInt(r.rss>>10, 10) }},
	"stime":   {"STIME", func(r psRow, _ time.Time) string { return r.start.Local().Format("15:04") }},
	"time":    {"TIME", func(r psRow, _ time.Time) string { return psTime(r.cpu) }},
	"etime":   {"ELAPSED", func(r psRow, now time.Time) string { return psElapsed(now.Sub(r.start)) }},
	"tty":     {"TT", func(r psRow, _ time.Time) string { return psTTY(r) }},
	"stat":    {"STAT", func(r psRow, _ time.Time) string { return "S" }},
	"pmem":    {"%MEM", func(psRow, time.Time) string { return "0.0" }},
	"start":   {"START", func(r psRow, _ time.Time) string { return r.start.Local().Format("15:04") }},
}

func init() {
	for alias, name := range map[string]string{"%cpu": "pcpu", "start_time": "stime", "cputime": "time", "tname": "tty", "tt": "tty", "s": "stat", "euid": "uid", "euser": "user", "rssize": "rss", "vsize": "vsz", "ucmd": "comm", "ucomm": "comm"} {
		psColumns[alias] = psColumns[name]
	}
}

func pcpu(r psRow, now time.Time) float64 {
	el := now.Sub(r.start)
	if el <= 0 {
		return 0
	}
	return float64(r.cpu) / float64(el)
}

func psElapsed(d time.Duration) string {
	s := int(d / time.Second)
	days, h, m, sec := s/86400, s/3600%24, s/60%60, s%60
	switch {
	case days > 0:
		return fmt.Sprintf("%d-%02d:%02d:%02d", days, h, m, sec)
	case h > 0:
		return fmt.Sprintf("%02d:%02d:%02d", h, m, sec)
	}
	return fmt.Sprintf("%02d:%02d", m, sec)
}

// Formats of ps that docker top users pass without -o.
var (
	psFull = []string{"user:UID", "pid", "ppid", "c", "stime", "tty:TTY", "time", "cmd"} // -ef, the default
	psBSD  = []string{"user", "pid", "pcpu", "pmem", "vsz", "rss", "tty:TTY", "stat", "start", "time", "command"}
)

// psFormat turns docker top's ps arguments into column names, the way
// procps reads them: "" and -ef give the full format, aux (with or without
// a dash) the BSD user format, and -o/o lists (comma or space separated,
// repeatable, name=HEADER renames) choose the fields.
func psFormat(args string) ([]string, error) {
	f := strings.Fields(args)
	var cols []string
	bsd := false
	for i := 0; i < len(f); i++ {
		opt := strings.TrimPrefix(f[i], "-")
		for j := 0; j < len(opt); j++ {
			switch opt[j] {
			case 'o', 'O':
				list := opt[j+1:]
				if list == "" {
					if i+1 >= len(f) {
						return nil, errdefs.InvalidParameterf("ps: error: list of format specifiers missing after -o")
					}
					i++
					list = f[i]
				}
				for _, c := range strings.Split(list, ",") {
					if c != "" {
						cols = append(cols, c)
					}
				}
				j = len(opt)
			case 'f', 'F', 'l': // the full format is the default
			case 'u':
				bsd = true
			case 'e', 'A', 'a', 'x', 'w', 'T', 'H', 'j', 'y', 'c', 'v':
			default:
				return nil, errdefs.InvalidParameterf("ps: error: unsupported option %q (docker top on the sandbox takes procps's -e, -f, -o LIST and aux)", "-"+string(opt[j]))
			}
		}
	}
	switch {
	case cols != nil:
		return cols, nil
	case bsd:
		return psBSD, nil
	}
	return psFull, nil
}

// psTable renders rows in the columns that psArgs asks for.
func psTable(psArgs string, rows []psRow, now time.Time) ([]string, [][]string, error) {
	names, err := psFormat(psArgs)
	if err != nil {
		return nil, nil, err
	}
	titles := make([]string, len(names))
	cols := make([]psColumn, len(names))
	hasPID := false
	for i, n := range names {
		n, header, renamed := strings.Cut(n, "=")
		if !renamed {
			n, header, renamed = strings.Cut(n, ":")
		}
		col, ok := psColumns[strings.ToLower(n)]
		if !ok {
			return nil, nil, errdefs.InvalidParameterf("ps: error: unknown user-defined format specifier %q", n)
		}
		if strings.ToLower(n) == "pid" {
			hasPID = true
		}
		titles[i] = col.title
		if renamed {
			titles[i] = header
		}
		cols[i] = col
	}
	if !hasPID {
		return nil, nil, errdefs.InvalidParameterf("Couldn't find PID field in ps output")
	}
	procs := make([][]string, 0, len(rows))
	for _, r := range rows {
		line := make([]string, len(cols))
		for i, c := range cols {
			line[i] = c.value(r, now)
		}
		procs = append(procs, line)
	}
	return titles, procs, nil
}
