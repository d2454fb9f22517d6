package conformance

import (
	"os"
	"path/filepath"
	"testing"
)

func TestNormalize(t *testing.T) {
	full := "4c4dafa4caae05650800f6156ffbcbc2761bbc3c9d47751ce20742030396d94d"
	other := "ccd709fa6fd2c8c564d84116e30082d2bbab3a544fdb3ac314ad3ac75e76b59f"
	n := Normalizer{Literals: [][2]string{{"/tmp/conformance-123", "<T>"}, {"cfab12s001", "P"}}}
	for _, c := range []struct{ in, want string }{
		{"4c4dafa4caae\n" + full + "\nsha256:" + other + "\n4c4dafa4caae", "<id1>\n<id1>\nsha256:<id2>\n<id1>"},
		{"deadbeefcafe " + full, "<id1> <id2>"},
		{"cfab12s001-a /tmp/conformance-123/f", "P-a <T>/f"},
		{"2026-11-27T11:53:49.226832450Z a", "<time> a"},
		{"2026-11-27 11:45:31 +0000 UTC", "<time>"},
		{"Exited (3) Less than a second ago", "Exited (3) <ago>"},
		{"Up 2 seconds (healthy)", "Up <dur> (healthy)"},
		{"Up About a minute", "Up <dur>"},
		{"About an hour ago|5 days ago", "<ago>|<ago>"},
		{"100kB (virtual 2.08MB) 536KiB / 23.54GiB 0B", "<size> (virtual <size>) <size> / <size> <size>"},
		{"10.200.17.0/24 10.200.17.1 127.0.0.1", "<ip> <ip> 127.0.0.1"},
		{"0.0.0.0:32768->9/udp, [::]:32768->9/udp, 127.0.0.1:32769", "0.0.0.0:<port>->9/udp, [::]:<port>->9/udp, 127.0.0.1:<port>"},
		{"Server: sockerless", "Server: docker"},
		{"a      b   c  \r\nd", "a  b  c\nd"},
		{"exit 3\nline 10", "exit 3\nline 10"},
		{"A=1\nB=two 5B 5 B", "A=1\nB=two <size> 5 B"},
	} {
		if got := n.Normalize(c.in); got != c.want {
			t.Errorf("Normalize(%q)\n got %q\nwant %q", c.in, got, c.want)
		}
	}
}

func TestParseKnownDifferenceOn(t *testing.T) {
	p := filepath.Join(t.TempDir(), "x.sh")
	os.WriteFile(p, []byte("# Scenario: s\n# known-difference: sandbox reason\n# known-difference[docker]: far reason\ntrue\n"), 0o644)
	s, err := parseScenario(p)
	if err != nil {
		t.Fatal(err)
	}
	if s.KnownDif != "sandbox reason" || s.KnownDifOn["docker"] != "far reason" || len(s.KnownDifOn) != 1 {
		t.Errorf("got %q %v", s.KnownDif, s.KnownDifOn)
	}
	os.WriteFile(p, []byte("# Scenario: s\n# known-difference[]: why\ntrue\n"), 0o644)
	if _, err := parseScenario(p); err == nil {
		t.Error("known-difference[] without a backend name accepted")
	}
}
