package system

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sockerless/sockerless/builtins/cmdtest"
)

// bbCase runs one command line through our builtin and through
// "busybox <applet>" in identical fixture directories.
type bbCase struct {
	name  string
	args  []string
	stdin string
	env   []string
	// known, when set, says why busybox differs: only our side runs and
	// must succeed with want (if set).
	known string
	want  string
}

const busybox = "/bin/busybox"

func fixture(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	must := func(err error) {
		if err != nil {
			t.Fatal(err)
		}
	}
	must(os.WriteFile(filepath.Join(dir, "file"), []byte("hello\n"), 0o644))
	must(os.WriteFile(filepath.Join(dir, "empty"), nil, 0o644))
	must(os.WriteFile(filepath.Join(dir, "exe"), []byte("#!/bin/sh\n"), 0o755))
	must(os.WriteFile(filepath.Join(dir, "noexec"), []byte("x"), 0o644))
	must(os.WriteFile(filepath.Join(dir, "suid"), []byte("x"), 0o644))
	must(os.Chmod(filepath.Join(dir, "suid"), 0o4755))
	must(os.Mkdir(filepath.Join(dir, "dir"), 0o755))
	must(os.Mkdir(filepath.Join(dir, "sticky"), 0o755))
	must(os.Chmod(filepath.Join(dir, "sticky"), 0o1777))
	must(os.Symlink("file", filepath.Join(dir, "link")))
	must(os.Symlink("nowhere", filepath.Join(dir, "dangling")))
	must(os.Link(filepath.Join(dir, "file"), filepath.Join(dir, "hard")))
	old := time.Date(2001, 2, 3, 4, 5, 6, 0, time.UTC)
	must(os.Chtimes(filepath.Join(dir, "empty"), old, old))
	must(os.MkdirAll(filepath.Join(dir, "bin"), 0o755))
	must(os.WriteFile(filepath.Join(dir, "bin", "tool"), []byte("#!/bin/sh\n"), 0o755))
	return dir
}

func runBusybox(t *testing.T, dir, stdin string, args []string, environ []string) (string, int) {
	t.Helper()
	if _, err := os.Stat(busybox); err != nil {
		t.Fatalf("reference %s missing: install busybox-static", busybox)
	}
	cmd := exec.Command(busybox, args...)
	cmd.Dir = dir
	cmd.Stdin = strings.NewReader(stdin)
	cmd.Env = append([]string{"PATH=/usr/bin:/bin", "HOME=" + dir}, environ...)
	var out bytes.Buffer
	cmd.Stdout = &out
	err := cmd.Run()
	status := 0
	if ee, ok := err.(*exec.ExitError); ok {
		status = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return out.String(), status
}

func runCases(t *testing.T, cases []bbCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := fixture(t)
			env := make([]string, len(c.env))
			for i, e := range c.env {
				env[i] = strings.ReplaceAll(e, "$DIR", dir)
			}
			got := cmdtest.Run(t, dir, c.stdin, c.args, env...)
			if c.known != "" {
				if c.want != "" && got.Stdout != c.want {
					t.Errorf("%v (known difference: %s): got %q, want %q", c.args, c.known, got.Stdout, c.want)
				}
				return
			}
			wantOut, wantStatus := runBusybox(t, dir, c.stdin, c.args, env)
			if got.Stdout != wantOut || got.Status != wantStatus {
				t.Errorf("%v:\n got  %q (status %d, stderr %q)\n want %q (status %d)", c.args, got.Stdout, got.Status, got.Stderr, wantOut, wantStatus)
			}
		})
	}
}

func a(s ...string) []string { return s }

func TestEchoTrueFalse(t *testing.T) {
	runCases(t, []bbCase{
		{name: "plain", args: a("echo", "a", "b  c")},
		{name: "n", args: a("echo", "-n", "x")},
		{name: "e", args: a("echo", "-e", `a\tb\nc\\d\x41\101\0101\e`)},
		{name: "E", args: a("echo", "-E", `a\tb`)},
		{name: "combined", args: a("echo", "-ne", `x\ty`)},
		{name: "notopt", args: a("echo", "-nx", "a")},
		{name: "dashdash", args: a("echo", "--", "a")},
		{name: "stop", args: a("echo", "-e", `a\cb`, "c")},
		{name: "empty", args: a("echo")},
		{name: "dash", args: a("echo", "-")},
		{name: "true", args: a("true", "x")},
		{name: "false", args: a("false")},
	})
}

func TestTest(t *testing.T) {
	cases := []bbCase{}
	add := func(args ...string) {
		cases = append(cases, bbCase{name: strings.Join(args, "_"), args: append([]string{"test"}, args...)})
	}
	add()
	add("")
	add("x")
	add("-x")
	add("!", "")
	add("-e", "file")
	add("-e", "nope")
	add("-f", "file")
	add("-f", "dir")
	add("-d", "dir")
	add("-h", "link")
	add("-L", "file")
	add("-L", "dangling")
	add("-e", "dangling")
	add("-r", "file")
	add("-w", "file")
	add("-x", "exe")
	add("-x", "noexec")
	add("-x", "dir")
	add("-s", "file")
	add("-s", "empty")
	add("-u", "suid")
	add("-u", "file")
	add("-k", "sticky")
	add("-O", "file")
	add("-G", "file")
	add("-p", "file")
	add("-S", "file")
	add("-c", "/dev/null")
	add("-b", "/dev/null")
	add("file", "-nt", "empty")
	add("empty", "-nt", "file")
	add("empty", "-ot", "file")
	add("file", "-ef", "hard")
	add("file", "-ef", "empty")
	add("-z", "")
	add("-n", "")
	add("a", "=", "a")
	add("a", "==", "b")
	add("a", "!=", "b")
	add("a", "<", "b")
	add("b", ">", "a")
	add("1", "-eq", "1")
	add("1", "-eq", " 1")
	add("-01", "-eq", "-1")
	add("+1", "-eq", "1")
	add("2", "-ne", "1")
	add("1", "-lt", "2")
	add("2", "-le", "2")
	add("3", "-gt", "2")
	add("1", "-ge", "2")
	add("1", "-eq", "a")
	add("9999999999999999999", "-gt", "1")
	add("a", "b")
	add("!", "a", "=", "a")
	add("(", "a", ")")
	add("(", "a", "=", "b", ")", "-o", "x")
	add("-f", "file", "-a", "-d", "dir")
	add("-f", "file", "-a", "-d", "file")
	add("-e", "nope", "-o", "-e", "file")
	add("!", "-e", "nope", "-a", "x")
	add("1", "-eq", "1", ")")
	add("-f", "=", "-f")
	add("(", "")
	cases = append(cases,
		bbCase{name: "bracket", args: a("[", "1", "=", "1", "]")},
		bbCase{name: "bracket-missing", args: a("[", "1", "=", "1")},
		bbCase{name: "bracket-empty", args: a("[", "]")},
	)
	runCases(t, cases)
}

func TestEnvPwdSleep(t *testing.T) {
	runCases(t, []bbCase{
		{name: "env-i", args: a("env", "-i", "A=1", "B=2")},
		{name: "env-dash", args: a("env", "-", "A=1")},
		{name: "env-u", args: a("env", "-u", "X", "-i", "Y=2"), env: a("X=1")},
		{name: "env-empty", args: a("env", "-i")},
		{name: "env-cmd", args: a("env", "-i", "A=1", "env")},
		{name: "env-list", args: a("env"), env: a("FOO=bar")},
		{name: "env-null", args: a("env", "-i0", "A=1", "B=2"), known: "busybox 1.35 env has no -0", want: "A=1\x00B=2\x00"},
		{name: "pwd", args: a("pwd")},
		{name: "pwd-P", args: a("pwd", "-P")},
		{name: "pwd-L", args: a("pwd", "-L"), env: a("PWD=$DIR")},
		{name: "sleep", args: a("sleep", "0.01")},
		{name: "sleep-sum", args: a("sleep", "0.01s", "0.001m")},
		{name: "sleep-bad", args: a("sleep", "x")},
		{name: "sleep-bad-suffix", args: a("sleep", "1x")},
		{name: "sleep-none", args: a("sleep")},
		{name: "usleep", args: a("usleep", "1000")},
		{name: "usleep-none", args: a("usleep")},
		{name: "which", args: a("which", "sh")},
		{name: "which-a", args: a("which", "-a", "sh", "nosuch-xyz")},
		{name: "which-path", args: a("which", "tool"), env: a("PATH=$DIR/bin")},
		{name: "which-slash", args: a("which", "./exe", "./noexec")},
		{name: "which-none", args: a("which", "nosuch-xyz")},
		{name: "tty", args: a("tty")},
		{name: "tty-s", args: a("tty", "-s")},
	})
}

func TestDate(t *testing.T) {
	const fmtAll = "+%s %z %Z %j %u %V %G %g %C %y %e %k %l %I %p %P %D %F %T %R %r %h %b %B %a %A %U %W %w %c %x %X %n %t %% %H%M%S %-d %_d %05d %^a %#b %E"
	runCases(t, []bbCase{
		{name: "epoch", args: a("date", "-d", "@1234567890"), env: a("TZ=UTC")},
		{name: "u", args: a("date", "-u", "-d", "@0")},
		{name: "I", args: a("date", "-I", "-d", "@1234567890"), env: a("TZ=UTC")},
		{name: "Iseconds", args: a("date", "-Iseconds", "-d", "@1234567890"), env: a("TZ=UTC")},
		{name: "Ihours", args: a("date", "-Ihours", "-d", "@1234567890"), env: a("TZ=UTC")},
		{name: "Iminutes", args: a("date", "-Iminutes", "-d", "@1234567890"), env: a("TZ=Europe/Berlin")},
		{name: "Ins", args: a("date", "-Ins", "-d", "@1234567890"), env: a("TZ=UTC")},
		{name: "R", args: a("date", "-R", "-d", "@1234567890"), env: a("TZ=Europe/Berlin")},
		{name: "EST5EDT", args: a("date", "-d", "@1234567890"), env: a("TZ=EST5EDT")},
		{name: "kolkata", args: a("date", "-d", "@0", "+%z %Z"), env: a("TZ=Asia/Kolkata")},
		{name: "format", args: a("date", "-d", "@1234567890", fmtAll), env: a("TZ=UTC")},
		{name: "format-2", args: a("date", "-d", "@1704067199", fmtAll), env: a("TZ=America/New_York")},
		{name: "ymd", args: a("date", "-d", "2024-02-03"), env: a("TZ=UTC")},
		{name: "ymdhm", args: a("date", "-d", "2024-02-03 04:05"), env: a("TZ=UTC")},
		{name: "ymdhms", args: a("date", "-d", "2024-02-03 04:05:06", "+%s"), env: a("TZ=Europe/Paris")},
		{name: "dotted", args: a("date", "-d", "2024.02.03-04:05:06"), env: a("TZ=UTC")},
		{name: "offset", args: a("date", "-d", "2024-02-03 04:05:06+02:00"), env: a("TZ=UTC")},
		{name: "touchfmt", args: a("date", "-d", "020304052024.06"), env: a("TZ=UTC"), known: "busybox 1.35 misreads MMDDhhmmCCYY.ss (prints year 203); we follow GNU/POSIX touch order", want: "Sat Feb  3 04:05:06 UTC 2024\n"},
		{name: "junk", args: a("date", "-d", "junk")},
		{name: "ref", args: a("date", "-r", "empty", "+%F %T"), env: a("TZ=UTC")},
		{name: "ref-missing", args: a("date", "-r", "nope")},
		{name: "rfc3339", args: a("date", "-d", "2024-02-03T04:05:06Z", "+%s"), known: "busybox rejects RFC 3339 T/Z forms; GNU accepts", want: "1706933106\n"},
		{name: "now", args: a("date", "-u", "-d", "now", "+%Y"), known: "busybox rejects 'now'", want: now().UTC().Format("2006") + "\n"},
		{name: "N", args: a("date", "-d", "@1.5", "+%N %3N %:z"), env: a("TZ=UTC"), known: "busybox prints %N and %:z literally; GNU expands them", want: "500000000 500 +00:00\n"},
	})
}

func TestIDs(t *testing.T) {
	runCases(t, []bbCase{
		{name: "id-u", args: a("id", "-u")},
		{name: "id-g", args: a("id", "-g")},
		{name: "id-un", args: a("id", "-un")},
		{name: "id-gn", args: a("id", "-gn")},
		{name: "id-root", args: a("id", "root")},
		{name: "id-G-root", args: a("id", "-G", "root")},
		{name: "id-nobody", args: a("id", "-u", "nobody")},
		{name: "id-unknown", args: a("id", "nosuchuser")},
		{name: "id-plain", args: a("id"), known: "busybox prints the process's getgroups(); we list the /etc/group memberships as Docker sets them", want: "uid=0(root) gid=0(root) groups=0(root)\n"},
		{name: "whoami", args: a("whoami")},
	})
}

func TestMachine(t *testing.T) {
	runCases(t, []bbCase{
		{name: "uname", args: a("uname")},
		{name: "uname-a", args: a("uname", "-a")},
		{name: "uname-s", args: a("uname", "-s")},
		{name: "uname-n", args: a("uname", "-n")},
		{name: "uname-r", args: a("uname", "-r")},
		{name: "uname-v", args: a("uname", "-v")},
		{name: "uname-m", args: a("uname", "-m")},
		{name: "uname-o", args: a("uname", "-o")},
		{name: "uname-p", args: a("uname", "-p")},
		{name: "uname-i", args: a("uname", "-i")},
		{name: "uname-srm", args: a("uname", "-srm")},
		{name: "hostname", args: a("hostname")},
		{name: "hostname-s", args: a("hostname", "-s")},
		{name: "hostname-d", args: a("hostname", "-d")},
		{name: "hostname-f", args: a("hostname", "-f")},
		{name: "hostname-i", args: a("hostname", "-i")},
		{name: "nproc", args: a("nproc")},
		{name: "nproc-all", args: a("nproc", "--all")},
		{name: "nproc-ignore", args: a("nproc", "--ignore=1")},
		{name: "nproc-ignore-all", args: a("nproc", "--ignore=99")},
		{name: "kill-l", args: a("kill", "-l")},
		{name: "kill-l-9", args: a("kill", "-l", "9")},
		{name: "kill-l-name", args: a("kill", "-l", "KILL")},
		{name: "kill-l-sig", args: a("kill", "-l", "SIGTERM")},
		{name: "kill-l-status", args: a("kill", "-l", "137")},
		{name: "kill-bad", args: a("kill", "-FOO", "1")},
		{name: "kill-nopid", args: a("kill", "-0", "999999")},
		{name: "kill-none", args: a("kill")},
		{name: "timeout-ok", args: a("timeout", "5", "true")},
		{name: "timeout-status", args: a("timeout", "5", "false")},
		{name: "timeout-expire", args: a("timeout", "0.1", "sleep", "5"), known: "busybox's own process is killed (143); we exit 124 like GNU", want: ""},
		{name: "free-header", args: a("free"), known: "live memory figures change between runs; see TestFreeFake"},
	})
}
