package rootfs

import (
	"os"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/sys/unix"
)

// hostPathOf names the host location an entry resolved to.
func hostPathOf(t testing.TB, e *entry) string {
	dir, err := os.Readlink("/proc/self/fd/" + strconv.Itoa(e.fd))
	if err != nil {
		t.Fatalf("readlink fd: %v", err)
	}
	if e.hname == "." {
		return dir
	}
	return dir + "/" + e.hname
}

func insideAny(p string, dirs []string) bool {
	for _, d := range dirs {
		if p == d || strings.HasPrefix(p, d+"/") {
			return true
		}
	}
	return false
}

// FuzzResolve resolves and mutates random paths built from "..", "/" and the
// jail's symlink names, asserting that every host location reached lies in
// the layer, upper or mount directories and that the canary never changes.
// Each input line is "op path [path2]".
func FuzzResolve(f *testing.F) {
	for _, s := range []string{
		"stat up/../up/../../canary",
		"stat a/b/rel",
		"mkdir a/b/dirup/x\nwrite a/b/dirup/x/y",
		"symlink ../../../.. tmp/l\nwrite tmp/l/canary",
		"symlink /proc/self/root/.. tmp/p\nstat tmp/p/hostdir/canary",
		"stat mnt/toroot/mnt/toroot/mnt/up/hostdir",
		"stat h0/..",
		"rename tmp/victim up/z\nstat /z",
		"write hostabs\nwrite chain1\nstat etcabs/../../..",
		"link etc/passwd mnt/p\nstat mnt/p",
		"stat ////..//./..//proc/1/root/proc/self/root/etc",
	} {
		f.Add(s)
	}
	j := newJail(f)
	allowed := []string{j.upper, j.lower, j.mnt, j.romnt}
	v := j.fs.As(0, 0)
	f.Fuzz(func(t *testing.T, in string) {
		if len(in) > 4096 {
			return
		}
		for _, line := range strings.Split(in, "\n") {
			fields := strings.Fields(line)
			if len(fields) < 2 {
				continue
			}
			op, p := fields[0], fields[1]
			p2 := "tmp/fz"
			if len(fields) > 2 {
				p2 = fields[2]
			}
			for _, follow := range []bool{false, true} {
				w := v.walker()
				e, errno := w.resolve(p, follow)
				if errno == 0 && e.found && e.virt == nil {
					if hp := hostPathOf(t, &e); !insideAny(hp, allowed) {
						t.Fatalf("%q resolved to host %s", p, hp)
					}
				}
				w.release()
			}
			switch op {
			case "mkdir":
				v.Mkdir(p, 0o755)
			case "write":
				writeFile(t, v, p, "fz", O_CREAT|O_TRUNC)
			case "symlink":
				v.Symlink(p, p2)
			case "rename":
				v.Rename(p, p2)
			case "link":
				v.Link(p, p2)
			case "rm":
				v.Unlink(p)
				v.Rmdir(p)
			case "chmod":
				v.Chmod(p, 0o777)
			default:
				v.Stat(p)
			}
		}
		var st unix.Stat_t
		b, err := os.ReadFile(j.canary)
		if err != nil || string(b) != canaryText || unix.Stat(j.base+"/outside/secret", &st) != nil {
			t.Fatal("host changed")
		}
	})
}
