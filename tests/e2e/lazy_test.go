package e2e

import (
	"os"
	"strings"
	"testing"
)

// TestLogsFollowBeforeFirstOutput: the log file is made by the first
// output; `logs -f` issued before it waits for it and sees every line.
func TestLogsFollowBeforeFirstOutput(t *testing.T) {
	d.must(t, "run", "-d", "--name", "e2e-late", "alpine", "sh", "-c", "sleep 1; echo late; echo err >&2")
	defer d.docker(t, "", "rm", "-f", "e2e-late")
	if r := d.docker(t, "", "logs", "-f", "e2e-late"); r.stdout != "late\n" || r.stderr != "err\n" {
		t.Fatalf("logs -f before the first output: stdout %q stderr %q", r.stdout, r.stderr)
	}
	if out := d.must(t, "logs", "e2e-late"); out != "late\n" {
		t.Fatalf("logs afterwards: %q", out)
	}
	d.must(t, "create", "--name", "e2e-silent", "alpine", "true")
	defer d.docker(t, "", "rm", "-f", "e2e-silent")
	if r := d.docker(t, "", "logs", "-f", "e2e-silent"); r.code != 0 || r.stdout != "" {
		t.Fatalf("logs -f of a container never started: %+v", r)
	}
}

// TestEtcFilesKeepChanges: /etc/hosts (made at the first look from inside)
// takes a container's own lines, keeps them across a restart, is the file
// inspect names, and is no change of the container's (docker diff).
func TestEtcFilesKeepChanges(t *testing.T) {
	d.must(t, "run", "-d", "--name", "e2e-etc", "--add-host", "extra:10.1.2.3", "alpine", "sleep", "1000")
	defer d.docker(t, "", "rm", "-f", "e2e-etc")
	d.must(t, "exec", "e2e-etc", "sh", "-c", "echo '10.0.0.1 db' >> /etc/hosts")
	id := strings.TrimSpace(d.must(t, "inspect", "-f", "{{.Id}}", "e2e-etc"))
	check := func(when string) {
		hosts := d.must(t, "exec", "e2e-etc", "cat", "/etc/hosts")
		for _, want := range []string{"127.0.0.1\tlocalhost", "10.1.2.3\textra", "127.0.0.1\t" + id[:12], "10.0.0.1 db"} {
			if !strings.Contains(hosts, want) {
				t.Fatalf("%s: /etc/hosts lacks %q:\n%s", when, want, hosts)
			}
		}
	}
	check("running")
	d.must(t, "restart", "-t", "0", "e2e-etc")
	check("after restart")
	p := strings.TrimSpace(d.must(t, "inspect", "-f", "{{.HostsPath}}", "e2e-etc"))
	if b, err := os.ReadFile(p); err != nil || !strings.Contains(string(b), "10.0.0.1 db") {
		t.Fatalf("HostsPath %s: %v %q", p, err, b)
	}
	if h := strings.TrimSpace(d.must(t, "exec", "e2e-etc", "cat", "/etc/hostname")); h != id[:12] {
		t.Fatalf("/etc/hostname %q", h)
	}
	if diff := d.must(t, "diff", "e2e-etc"); strings.Contains(diff, "/etc/hosts") || strings.Contains(diff, "/dev") || strings.Contains(diff, "/proc") {
		t.Fatalf("diff lists the runtime's files: %q", diff)
	}
}
