package refdocker

import (
	"net"
	"os"
	"strings"
	"testing"
)

// TestEngine starts the reference engine, runs a container from the
// reference image under both names, and checks that Close leaves nothing
// behind.
func TestEngine(t *testing.T) {
	e, err := Start(t.Context(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	for _, img := range []string{"alpine", AltImage} {
		out, err := e.Docker("run", "--rm", img, "sh", "-c", "echo hi; id -un; cat /etc/group | head -1")
		if err != nil {
			t.Fatal(err)
		}
		if want := "hi\nroot\nroot:x:0:\n"; out != want {
			t.Errorf("%s: got %q, want %q", img, out, want)
		}
	}
	if _, err := e.Docker("network", "create", "refdocker-test"); err != nil {
		t.Fatal(err)
	}
	if _, err := e.Docker("run", "-d", "--network", "refdocker-test", "alpine", "sleep", "100"); err != nil {
		t.Fatal(err)
	}
	bridge := e.bridge
	if err := e.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(e.Dir); !os.IsNotExist(err) {
		t.Errorf("%s still exists: %v", e.Dir, err)
	}
	if _, err := net.InterfaceByName(bridge); err == nil {
		t.Errorf("bridge %s still exists", bridge)
	}
	mi, _ := os.ReadFile("/proc/self/mountinfo")
	if strings.Contains(string(mi), e.Dir) {
		t.Errorf("mounts left under %s", e.Dir)
	}
}

func TestRootfsReproducible(t *testing.T) {
	a, err := RootfsTar()
	if err != nil {
		t.Fatal(err)
	}
	b, _ := RootfsTar()
	if string(a) != string(b) {
		t.Error("rootfs tar differs between two builds")
	}
}
