package system

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sockerless/sockerless/builtins"
	"github.com/sockerless/sockerless/builtins/cmdtest"
)

// fakeRoots points /proc, /etc and /sys at a temp tree for one test.
func fakeRoots(t *testing.T, files map[string]string) {
	t.Helper()
	root := t.TempDir()
	for name, content := range files {
		p := filepath.Join(root, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	oldP, oldE, oldS, oldNow := procRoot, etcRoot, sysRoot, now
	procRoot, etcRoot, sysRoot = filepath.Join(root, "proc"), filepath.Join(root, "etc"), filepath.Join(root, "sys")
	now = func() time.Time { return time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC) }
	t.Cleanup(func() { procRoot, etcRoot, sysRoot, now = oldP, oldE, oldS, oldNow })
}

var fakeTree = map[string]string{
	"etc/passwd":                "root:x:0:0:root:/root:/bin/sh\nbin:x:1:1:bin:/bin:/sbin/nologin\nalice:x:1000:1000::/home/alice:/bin/sh\n",
	"etc/group":                 "root:x:0:\nbin:x:1:root\nwheel:x:10:root,alice\nalice:x:1000:\n",
	"etc/hostname":              "box.example.org\n",
	"etc/hosts":                 "127.0.0.1 localhost\n10.0.0.5 box.example.org box\n",
	"proc/meminfo":              "MemTotal:        2048000 kB\nMemFree:         1024000 kB\nMemAvailable:    1500000 kB\nBuffers:           10000 kB\nCached:           200000 kB\nShmem:              5000 kB\nSReclaimable:      20000 kB\nSwapTotal:        100000 kB\nSwapFree:          40000 kB\n",
	"proc/uptime":               "93784.50 100.00\n",
	"proc/loadavg":              "0.50 0.25 0.10 1/80 123\n",
	"proc/cpuinfo":              "processor\t: 0\nmodel name\t: x\n\nprocessor\t: 1\n\nprocessor\t: 2\n",
	"proc/sys/kernel/ostype":    "Linux\n",
	"proc/sys/kernel/osrelease": "6.1.0-test\n",
	"proc/sys/kernel/version":   "#1 SMP Test\n",
	"proc/1/stat":               "1 (init) S 0 1 1 0 -1 4194560 100 0 0 0 250 50 0 0 20 0 1 0 5 1048576 100 18446744073709551615\n",
	"proc/1/status":             "Name:\tinit\nUid:\t0\t0\t0\t0\nGid:\t0\t0\t0\t0\n",
	"proc/1/cmdline":            "/sbin/init\x00--verbose\x00",
	"proc/42/stat":              "42 (kworker/0:1) I 2 0 0 0 -1 0 0 0 0 0 0 0 0 0 0 -5 1 0 9000 0 0 0\n",
	"proc/42/status":            "Uid:\t0\t0\t0\t0\nGid:\t0\t0\t0\t0\n",
	"proc/42/cmdline":           "",
	"proc/7/stat":               "7 (sh) R 1 7 7 34816 7 0 0 0 0 0 6000 0 0 0 20 5 1 0 100 2097152 50 0\n",
	"proc/7/status":             "Uid:\t1000\t1000\t1000\t1000\nGid:\t1000\t10\t10\t10\n",
	"proc/7/cmdline":            "-sh\x00",
	"proc/8/stat":               "8 (worker) S 7 7 7 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 100 4096000 60000 0\n",
	"proc/8/status":             "Uid:\t1234\t1234\t1234\t1234\nGid:\t1234\t1234\t1234\t1234\n",
	"proc/8/cmdline":            "python3\x00app.py\x00",
	"proc/self/stat":            "not a pid dir",
}

func TestFakeProc(t *testing.T) {
	fakeRoots(t, fakeTree)
	cases := []struct {
		args []string
		want string
	}{
		{a("free"), "              total        used        free      shared  buff/cache   available\nMem:        2048000      794000     1024000        5000      230000     1500000\nSwap:        100000       60000       40000\n"},
		{a("free", "-m"), "              total        used        free      shared  buff/cache   available\nMem:           2000         775        1000           5         225        1465\nSwap:            98          59          39\n"},
		{a("free", "-h"), "              total        used        free      shared  buff/cache   available\nMem:           2.0G      775.4M     1000.0M        4.9M      224.6M        1.4G\nSwap:         97.7M       58.6M       39.1M\n"},
		{a("free", "-b"), "              total        used        free      shared  buff/cache   available\nMem:     2097152000   813056000  1048576000     5120000   235520000  1536000000\nSwap:     102400000    61440000    40960000\n"},
		{a("uptime"), " 07:08:09 up 1 day,  2:03,  0 users,  load average: 0.50, 0.25, 0.10\n"},
		{a("uptime", "-s"), "2024-05-05 05:05:04\n"},
		{a("nproc"), "3\n"},
		{a("nproc", "--ignore=2"), "1\n"},
		{a("uname", "-a"), "Linux box.example.org 6.1.0-test #1 SMP Test x86_64 GNU/Linux\n"},
		{a("hostname"), "box.example.org\n"},
		{a("hostname", "-s"), "box\n"},
		{a("hostname", "-d"), "example.org\n"},
		{a("hostname", "-i"), "10.0.0.5\n"},
		{a("ps"), "PID   USER     COMMAND\n    1 root     /sbin/init --verbose\n    7 alice    -sh\n    8 1234     {worker} python3 app.py\n   42 root     [kworker/0:1]\n"},
		{a("ps", "-o", "pid,ppid,user,group,comm,stat,nice,time,tty"), "PID   PPID  USER     GROUP    COMMAND          STAT NI    TIME   TT\n    1     0 root     root     init             S        0   0:03 ?\n    7     1 alice    wheel    sh               RN       5   1:00 136,0\n    8     7 1234     1234     worker           S        0   0:00 ?\n   42     2 root     root     kworker/0:1      IW<     -5   0:00 ?\n"},
		{a("ps", "-o", "pid=,comm="), "    1 init\n    7 sh\n    8 worker\n   42 kworker/0:1\n"},
		{a("ps", "-o", "pid=P,vsz,rss,args"), "P VSZ  RSS  COMMAND\n1 1024  400 /sbin/init --verbose\n7 2048  200 -sh\n8 4000 234m {worker} python3 app.py\n42   0    0 [kworker/0:1]\n"},
		{a("id"), "uid=0(root) gid=0(root) groups=0(root),1(bin),10(wheel)\n"},
		{a("id", "alice"), "uid=1000(alice) gid=1000(alice) groups=1000(alice),10(wheel)\n"},
		{a("id", "-Gn", "alice"), "alice wheel\n"},
		{a("whoami"), "root\n"},
	}
	for _, c := range cases {
		got := cmdtest.Run(t, "", "", c.args)
		if got.Stdout != c.want || got.Status != 0 {
			t.Errorf("%v: got %q (status %d, %q), want %q", c.args, got.Stdout, got.Status, got.Stderr, c.want)
		}
	}
	if got := cmdtest.Run(t, "", "", a("ps", "-o", "bogus")); got.Status != 1 {
		t.Errorf("ps -o bogus: status %d", got.Status)
	}
}

// fakeSys reports a chosen uid and records kill calls.
type fakeSys struct {
	builtins.NativeSys
	uid    int
	killed [][2]int
}

func (f *fakeSys) Getuid() int      { return f.uid }
func (f *fakeSys) Getgid() int      { return f.uid }
func (f *fakeSys) Getgroups() []int { return nil }
func (f *fakeSys) Kill(pid, sig int) error {
	f.killed = append(f.killed, [2]int{pid, sig})
	return nil
}

func runWith(t *testing.T, ctx context.Context, sys builtins.Sys, stdin any, args ...string) (string, int) {
	t.Helper()
	var out, errb strings.Builder
	env := &builtins.Env{Stdout: &out, Stderr: &errb, Dir: t.TempDir(), Sys: sys, Environ: []string{"PATH=/bin"}}
	if r, ok := stdin.(interface{ Read([]byte) (int, error) }); ok {
		env.Stdin = r
	} else {
		env.Stdin = strings.NewReader("")
	}
	env.Exec = func(ctx context.Context, e *builtins.Env, args []string) int { return builtins.Run(ctx, e, args) }
	st := builtins.Run(ctx, env, args)
	return out.String(), st
}

func TestKillSignals(t *testing.T) {
	sys := &fakeSys{}
	for _, args := range [][]string{{"kill", "5"}, {"kill", "-9", "6"}, {"kill", "-s", "HUP", "7"}, {"kill", "-SIGUSR1", "8"}, {"kill", "-INT", "--", "9"}} {
		if _, st := runWith(t, context.Background(), sys, nil, args...); st != 0 {
			t.Errorf("%v: status %d", args, st)
		}
	}
	want := [][2]int{{5, 15}, {6, 9}, {7, 1}, {8, 10}, {9, 2}}
	if len(sys.killed) != len(want) {
		t.Fatalf("killed %v, want %v", sys.killed, want)
	}
	for i := range want {
		if sys.killed[i] != want[i] {
			t.Errorf("kill %d: %v, want %v", i, sys.killed[i], want[i])
		}
	}
}

func TestAccessNonRoot(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "f")
	os.WriteFile(p, nil, 0o604)
	sys := &fakeSys{uid: 4242}
	var out strings.Builder
	env := &builtins.Env{Stdout: &out, Stderr: &out, Dir: dir, Sys: sys}
	check := func(op string, want int) {
		if st := runTest(context.Background(), env, a("test", op, "f")); st != want {
			t.Errorf("test %s f as uid 4242: %d, want %d", op, st, want)
		}
	}
	check("-r", 0) // other has r
	check("-w", 1)
	check("-x", 1)
	sys.uid = 0
	check("-w", 0)
	check("-x", 1)
}

type termReader struct{ *strings.Reader }

func (termReader) IsTerminal() bool { return true }

func TestTtyTerminal(t *testing.T) {
	out, st := runWith(t, context.Background(), builtins.NativeSys{}, termReader{strings.NewReader("")}, "tty")
	if out != "/dev/pts/0\n" || st != 0 {
		t.Errorf("tty on terminal: %q %d", out, st)
	}
}

func TestSleepCancel(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, st := runWith(t, ctx, builtins.NativeSys{}, nil, "sleep", "infinity")
	if st != 130 || time.Since(start) > 2*time.Second {
		t.Errorf("sleep infinity cancelled: status %d after %v", st, time.Since(start))
	}
}

func TestTimeout(t *testing.T) {
	start := time.Now()
	_, st := runWith(t, context.Background(), builtins.NativeSys{}, nil, "timeout", "0.05", "sleep", "10")
	if st != 124 || time.Since(start) > 2*time.Second {
		t.Errorf("timeout: status %d after %v", st, time.Since(start))
	}
	_, st = runWith(t, context.Background(), builtins.NativeSys{}, nil, "timeout", "--preserve-status", "-s", "KILL", "0.05", "sleep", "10")
	if st != 137 {
		t.Errorf("timeout --preserve-status -s KILL: %d", st)
	}
	_, st = runWith(t, context.Background(), builtins.NativeSys{}, nil, "timeout", "1", "sh-not-there")
	if st != 127 {
		t.Errorf("timeout missing command: %d", st)
	}
}

func TestPrintenv(t *testing.T) {
	got := cmdtest.Run(t, "", "", a("printenv", "A", "B"), "A=1")
	if got.Stdout != "1\n" || got.Status != 1 {
		t.Errorf("printenv: %q %d", got.Stdout, got.Status)
	}
	got = cmdtest.Run(t, "", "", a("printenv", "A"), "A=x=y")
	if got.Stdout != "x=y\n" || got.Status != 0 {
		t.Errorf("printenv: %q %d", got.Stdout, got.Status)
	}
}

func TestWhichBuiltin(t *testing.T) {
	got := cmdtest.Run(t, "", "", a("which", "usleep"), "PATH=/nonexistent:/bin")
	if got.Stdout != "/bin/usleep\n" || got.Status != 0 {
		t.Errorf("which builtin: %q %d", got.Stdout, got.Status)
	}
	// The shells are run by the guest, not registered, but found too.
	got = cmdtest.Run(t, "", "", a("which", "ash"), "PATH=/nonexistent:/sbin")
	if got.Stdout != "/sbin/ash\n" || got.Status != 0 {
		t.Errorf("which shell: %q %d", got.Stdout, got.Status)
	}
}

func FuzzTestExpr(f *testing.F) {
	for _, s := range []string{"-f file", "( a = b ) -o ! x", "1 -eq 2 -a -n x", "! ( ( -z", ") ) -a"} {
		f.Add(s)
	}
	env := &builtins.Env{Dir: "/nonexistent", Sys: builtins.NativeSys{}}
	f.Fuzz(func(t *testing.T, s string) {
		args := strings.Fields(s)
		if len(args) > 40 {
			return
		}
		evalTest(env, args)
	})
}

func FuzzDate(f *testing.F) {
	for _, s := range []string{"%Y-%m-%d", "%_5d %-H %^a %#Z %:z %::z %N %3N", "%", "%%%05"} {
		f.Add(s, "2024-02-03 04:05:06")
	}
	f.Fuzz(func(t *testing.T, format, date string) {
		strftime(format, time.Unix(1234567890, 5).UTC())
		parseDate(date, time.Unix(0, 0), time.UTC)
	})
}

// ttyOut is a writer that says it is a terminal (as the sandbox guest's
// wrapper of a TTY's stdout does).
type ttyOut struct{ strings.Builder }

func (*ttyOut) IsTerminal() bool { return true }

func TestTestTerminalFds(t *testing.T) {
	for _, c := range []struct {
		fd         string
		out, errTT bool
		want       int
	}{
		{"0", true, true, 1}, // stdin is a strings.Reader
		{"1", true, false, 0},
		{"1", false, true, 1},
		{"2", false, true, 0},
		{"2", true, false, 1},
		{"3", true, true, 1},
	} {
		env := &builtins.Env{Stdin: strings.NewReader(""), Stdout: &strings.Builder{}, Stderr: &strings.Builder{}, Dir: t.TempDir(), Sys: builtins.NativeSys{}}
		if c.out {
			env.Stdout = &ttyOut{}
		}
		if c.errTT {
			env.Stderr = &ttyOut{}
		}
		if got := builtins.Run(context.Background(), env, []string{"test", "-t", c.fd}); got != c.want {
			t.Errorf("test -t %s (stdout tty %v, stderr tty %v) = %d, want %d", c.fd, c.out, c.errTT, got, c.want)
		}
	}
}
