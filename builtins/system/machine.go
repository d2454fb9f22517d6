package system

import (
	"bufio"
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/sockerless/sockerless/builtins"
)

// sysRoot is where /sys is read from.
var sysRoot = "/sys"

func init() {
	builtins.Register(
		&builtins.Command{Name: "hostname", Usage: `Usage: hostname [-sidf] [HOSTNAME | -F FILE]

Show the host or domain name

	-s	Short
	-i	Addresses for the hostname
	-d	DNS domain name
	-f	Fully qualified domain name`, Run: runHostname},
		&builtins.Command{Name: "uname", Usage: `Usage: uname [-amnrspvio]

Print system information

	-a	Print all
	-m	Machine (hardware) type
	-n	Hostname
	-r	Kernel release
	-s	Kernel name (default)
	-p	Processor type
	-v	Kernel version
	-i	Hardware platform
	-o	OS name`, Run: runUname},
		&builtins.Command{Name: "nproc", Usage: `Usage: nproc [--all] [--ignore=N]

Print number of available CPUs

	--all		Number of installed CPUs
	--ignore=N	Exclude N CPUs`, Run: runNproc},
		&builtins.Command{Name: "free", Usage: `Usage: free [-bkmgh]

Display free and used memory`, Run: runFree},
		&builtins.Command{Name: "uptime", Usage: `Usage: uptime [-s]

Display the time since the last boot

	-s	Print the boot time`, Run: runUptime},
	)
}

// hostName reads the container's host name.
func hostName() string {
	if h, ok := readTrim(etcPath("hostname")); ok && h != "" {
		return h
	}
	if h, ok := readTrim(procPath("sys", "kernel", "hostname")); ok && h != "" {
		return h
	}
	return "localhost"
}

func runHostname(_ context.Context, env *builtins.Env, args []string) int {
	var short, addrs, domain, fqdn bool
	var operands []string
	for _, a := range args[1:] {
		if len(a) < 2 || a[0] != '-' {
			operands = append(operands, a)
			continue
		}
		switch a {
		case "--short":
			short = true
			continue
		case "--ip-address":
			addrs = true
			continue
		case "--domain":
			domain = true
			continue
		case "--fqdn", "--long":
			fqdn = true
			continue
		}
		for _, c := range a[1:] {
			switch c {
			case 's':
				short = true
			case 'i':
				addrs = true
			case 'd':
				domain = true
			case 'f':
				fqdn = true
			case 'F':
				env.Errorf("hostname", "sethostname: Operation not permitted")
				return 1
			default:
				env.Errorf("hostname", "invalid option -- '%c'", c)
				return 1
			}
		}
	}
	if len(operands) > 0 && !short && !addrs && !domain && !fqdn {
		env.Errorf("hostname", "sethostname: Operation not permitted")
		return 1
	}
	h := hostName()
	canon, ips := resolveHost(h)
	switch {
	case addrs:
		if len(ips) == 0 {
			env.Errorf("hostname", "%s: Unknown host", h)
			return 1
		}
		fmt.Fprintln(env.Stdout, strings.Join(ips, " "))
	case domain:
		if _, d, ok := strings.Cut(canon, "."); ok {
			fmt.Fprintln(env.Stdout, d)
		}
	case fqdn:
		fmt.Fprintln(env.Stdout, canon)
	case short:
		s, _, _ := strings.Cut(h, ".")
		fmt.Fprintln(env.Stdout, s)
	default:
		fmt.Fprintln(env.Stdout, h)
	}
	return 0
}

// resolveHost looks name up in /etc/hosts: its canonical name (the first
// name on the first matching line) and every matching address.
func resolveHost(name string) (string, []string) {
	canon := name
	var ips []string
	b, err := os.ReadFile(etcPath("hosts"))
	if err != nil {
		return canon, nil
	}
	first := true
	for _, line := range strings.Split(string(b), "\n") {
		line, _, _ = strings.Cut(line, "#")
		f := strings.Fields(line)
		if len(f) < 2 {
			continue
		}
		for _, n := range f[1:] {
			if strings.EqualFold(n, name) {
				if first {
					canon, first = f[1], false
				}
				ips = append(ips, f[0])
				break
			}
		}
	}
	return canon, ips
}

func runUname(_ context.Context, env *builtins.Env, args []string) int {
	const (
		fS = 1 << iota
		fN
		fR
		fV
		fM
		fP
		fI
		fO
	)
	flags := 0
	all := false
	for _, a := range args[1:] {
		if len(a) < 2 || a[0] != '-' {
			env.Errorf("uname", "extra operand '%s'", a)
			return 1
		}
		long := map[string]int{"--kernel-name": fS, "--nodename": fN, "--kernel-release": fR,
			"--kernel-version": fV, "--machine": fM, "--processor": fP, "--hardware-platform": fI,
			"--operating-system": fO}
		if a == "--all" {
			all = true
			continue
		}
		if f, ok := long[a]; ok {
			flags |= f
			continue
		}
		for _, c := range a[1:] {
			switch c {
			case 'a':
				all = true
			case 's':
				flags |= fS
			case 'n':
				flags |= fN
			case 'r':
				flags |= fR
			case 'v':
				flags |= fV
			case 'm':
				flags |= fM
			case 'p':
				flags |= fP
			case 'i':
				flags |= fI
			case 'o':
				flags |= fO
			default:
				env.Errorf("uname", "invalid option -- '%c'", c)
				return 1
			}
		}
	}
	if flags == 0 && !all {
		flags = fS
	}
	read := func(name, def string) string {
		if v, ok := readTrim(procPath("sys", "kernel", name)); ok && v != "" {
			return v
		}
		return def
	}
	fields := []struct {
		flag int
		val  string
	}{
		{fS, read("ostype", "Linux")},
		{fN, hostName()},
		{fR, read("osrelease", "unknown")},
		{fV, read("version", "unknown")},
		{fM, "x86_64"},
		{fP, "unknown"},
		{fI, "unknown"},
		{fO, "GNU/Linux"},
	}
	var out []string
	for _, f := range fields {
		if all {
			if f.flag == fP || f.flag == fI {
				if flags&f.flag == 0 {
					continue
				}
			}
			out = append(out, f.val)
			continue
		}
		if flags&f.flag != 0 {
			out = append(out, f.val)
		}
	}
	fmt.Fprintln(env.Stdout, strings.Join(out, " "))
	return 0
}

// cpuCount counts CPUs from /proc/cpuinfo, then /sys/devices/system/cpu/online.
func cpuCount() int {
	if b, err := os.ReadFile(procPath("cpuinfo")); err == nil {
		n := 0
		for _, line := range strings.Split(string(b), "\n") {
			if k, _, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "processor" {
				n++
			}
		}
		if n > 0 {
			return n
		}
	}
	if s, ok := readTrim(filepath.Join(sysRoot, "devices", "system", "cpu", "online")); ok {
		n := 0
		for _, r := range strings.Split(s, ",") {
			lo, hi, isRange := strings.Cut(r, "-")
			a, err1 := strconv.Atoi(lo)
			if !isRange {
				if err1 == nil {
					n++
				}
				continue
			}
			b, err2 := strconv.Atoi(hi)
			if err1 == nil && err2 == nil && b >= a {
				n += b - a + 1
			}
		}
		if n > 0 {
			return n
		}
	}
	return 1
}

func runNproc(_ context.Context, env *builtins.Env, args []string) int {
	ignore := 0
	for i := 1; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--all":
		case strings.HasPrefix(a, "--ignore="):
			n, err := strconv.Atoi(a[len("--ignore="):])
			if err != nil || n < 0 {
				env.Errorf("nproc", "invalid number '%s'", a[len("--ignore="):])
				return 1
			}
			ignore = n
		case a == "--ignore" && i+1 < len(args):
			i++
			n, err := strconv.Atoi(args[i])
			if err != nil || n < 0 {
				env.Errorf("nproc", "invalid number '%s'", args[i])
				return 1
			}
			ignore = n
		default:
			env.Errorf("nproc", "unrecognized option '%s'", a)
			return 1
		}
	}
	n := cpuCount() - ignore
	if n < 1 {
		n = 1
	}
	fmt.Fprintln(env.Stdout, n)
	return 0
}

// meminfo reads /proc/meminfo in kB.
func meminfo() (map[string]uint64, error) {
	f, err := os.Open(procPath("meminfo"))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	m := map[string]uint64{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), ":")
		if !ok {
			continue
		}
		fields := strings.Fields(v)
		if len(fields) == 0 {
			continue
		}
		n, err := strconv.ParseUint(fields[0], 10, 64)
		if err == nil {
			m[k] = n
		}
	}
	return m, nil
}

// humanSize formats a byte count like busybox's make_human_readable_str.
func humanSize(v uint64) string {
	if v == 0 {
		return "0"
	}
	units := " KMGTPEZY"
	u, frac := 0, uint64(0)
	for v >= 1024 && u < len(units)-1 {
		frac = ((v%1024)*10 + 512) / 1024
		v /= 1024
		u++
	}
	if frac >= 10 {
		v++
		frac = 0
	}
	if u == 0 {
		return strconv.FormatUint(v, 10)
	}
	return fmt.Sprintf("%d.%d%c", v, frac, units[u])
}

func runFree(_ context.Context, env *builtins.Env, args []string) int {
	shift, human := 10, false // default: kB
	for _, a := range args[1:] {
		switch a {
		case "--bytes":
			a = "-b"
		case "--kilo", "--kibi":
			a = "-k"
		case "--mega", "--mebi":
			a = "-m"
		case "--giga", "--gibi":
			a = "-g"
		case "--human":
			a = "-h"
		}
		if len(a) < 2 || a[0] != '-' {
			env.Errorf("free", "extra operand '%s'", a)
			return 1
		}
		for _, c := range a[1:] {
			switch c {
			case 'b':
				shift, human = 0, false
			case 'k':
				shift, human = 10, false
			case 'm':
				shift, human = 20, false
			case 'g':
				shift, human = 30, false
			case 'h':
				human = true
			default:
				env.Errorf("free", "invalid option -- '%c'", c)
				return 1
			}
		}
	}
	m, err := meminfo()
	if err != nil {
		env.Errorf("free", "can't open '%s': %s", procPath("meminfo"), errText(err))
		return 1
	}
	val := func(kb uint64) string {
		b := kb * 1024
		if human {
			return humanSize(b)
		}
		if shift == 0 {
			return strconv.FormatUint(b, 10)
		}
		return strconv.FormatUint((b+(1<<shift)/2)>>shift, 10)
	}
	total, free := m["MemTotal"], m["MemFree"]
	cache := m["Buffers"] + m["Cached"] + m["SReclaimable"]
	used := total - free - cache
	if free+cache > total {
		used = 0
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%7s%12s%12s%12s%12s%12s%12s\n", "", "total", "used", "free", "shared", "buff/cache", "available")
	fmt.Fprintf(&b, "%-7s%12s%12s%12s%12s%12s%12s\n", "Mem:", val(total), val(used), val(free), val(m["Shmem"]), val(cache), val(m["MemAvailable"]))
	st, sf := m["SwapTotal"], m["SwapFree"]
	fmt.Fprintf(&b, "%-7s%12s%12s%12s\n", "Swap:", val(st), val(st-min(sf, st)), val(sf))
	fmt.Fprint(env.Stdout, b.String())
	return 0
}

func runUptime(_ context.Context, env *builtins.Env, args []string) int {
	since := false
	for _, a := range args[1:] {
		switch a {
		case "-s", "--since":
			since = true
		default:
			env.Errorf("uptime", "invalid option -- '%s'", strings.TrimLeft(a, "-"))
			return 1
		}
	}
	s, ok := readTrim(procPath("uptime"))
	if !ok {
		env.Errorf("uptime", "can't open '%s': No such file or directory", procPath("uptime"))
		return 1
	}
	f := strings.Fields(s)
	up := 0.0
	if len(f) > 0 {
		up, _ = strconv.ParseFloat(f[0], 64)
	}
	secs := int64(math.Ceil(up)) // sysinfo(2) rounds the uptime up
	loc := zoneFromEnv(env)
	t := now().In(loc)
	if since {
		boot := t.Add(-time.Duration(secs) * time.Second)
		fmt.Fprintln(env.Stdout, boot.Format("2006-01-02 15:04:05"))
		return 0
	}
	var b strings.Builder
	fmt.Fprintf(&b, " %02d:%02d:%02d up ", t.Hour(), t.Minute(), t.Second())
	if days := secs / 86400; days > 0 {
		plural := "s"
		if days == 1 {
			plural = ""
		}
		fmt.Fprintf(&b, "%d day%s, ", days, plural)
	}
	mins := secs / 60
	hours := mins / 60 % 24
	mins %= 60
	if hours > 0 {
		fmt.Fprintf(&b, "%2d:%02d", hours, mins)
	} else {
		fmt.Fprintf(&b, "%d min", mins)
	}
	load := []string{"0.00", "0.00", "0.00"}
	if l, ok := readTrim(procPath("loadavg")); ok {
		if lf := strings.Fields(l); len(lf) >= 3 {
			copy(load, lf[:3])
		}
	}
	fmt.Fprintf(&b, ",  0 users,  load average: %s, %s, %s\n", load[0], load[1], load[2])
	fmt.Fprint(env.Stdout, b.String())
	return 0
}
