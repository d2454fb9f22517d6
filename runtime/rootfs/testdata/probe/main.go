// Command probe runs inside wazero with a rootfs mounted at "/" and tries to
// reach the host through the file system with package os. It prints one
// line per attempt: "name<TAB>result".
package main

import (
	"fmt"
	"os"
	"strings"
	"time"
)

func res(name string, s string, err error) {
	if err != nil {
		s = "ERR " + errText(err)
	}
	fmt.Printf("%s\t%q\n", name, s)
}

func errText(err error) string {
	if pe, ok := err.(*os.PathError); ok {
		return pe.Err.Error()
	}
	if le, ok := err.(*os.LinkError); ok {
		return le.Err.Error()
	}
	return err.Error()
}

func read(name, p string) {
	b, err := os.ReadFile(p)
	res(name, string(b), err)
}

func do(name string, err error) { res(name, "ok", err) }

func main() {
	hostCanary := os.Args[1]
	hostBase := os.Args[2]

	read("read-etc-passwd", "/etc/passwd")
	read("read-hostabs", "/hostabs")
	read("read-rel-up", "/up/canary")
	read("read-dotdot", "/a/b/c/../../../../../../../canary")
	read("read-proc-root", "/proc/self/root/../../canary")
	read("read-proc-root-etc", "/proc/self/root/etc/passwd")
	read("read-chain", "/chain1")
	read("read-loop", "/h0")
	read("read-35hops", "/h10")
	read("read-host-dir", "/hostdir/canary")
	read("read-abs-host-path", hostCanary)

	do("write-rel-up", os.WriteFile("/up/canary", []byte("pwned"), 0o644))
	do("write-hostabs", os.WriteFile("/hostabs", []byte("pwned"), 0o644))
	do("write-host-path", os.WriteFile(hostCanary, []byte("pwned"), 0o644))
	do("symlink-rel-create", os.Symlink("../../../../../../../canary", "/tmp/esc"))
	do("write-guest-rel-link", os.WriteFile("/tmp/esc", []byte("guest"), 0o644))
	read("read-guest-rel-link", "/canary")
	do("symlink-abs-create", os.Symlink(hostCanary, "/tmp/abs"))
	do("write-guest-abs-link", os.WriteFile("/tmp/abs", []byte("pwned"), 0o644))
	do("symlink-dir-up", os.Symlink("../../../../../..", "/tmp/updir"))
	do("mkdir-through-updir", os.Mkdir("/tmp/updir/made", 0o755))
	do("mkdir-hostdir", os.Mkdir("/hostdir/pwned", 0o755))
	do("rename-from-hostdir", os.Rename("/hostdir/canary", "/stolen"))
	do("rename-into-hostdir", os.Rename("/tmp/victim", "/hostdir/canary"))
	do("link-hostdir", os.Link("/hostdir/canary", "/stolen2"))
	do("link-hostabs", os.Link("/hostabs", "/stolen3"))
	do("chtimes-hostabs", os.Chtimes("/hostabs", time.Unix(1, 0), time.Unix(1, 0)))
	do("chtimes-hostdir", os.Chtimes("/hostdir/canary", time.Unix(1, 0), time.Unix(1, 0)))
	do("truncate-hostabs", os.Truncate("/hostabs", 0))
	do("truncate-hostdir", os.Truncate("/hostdir/canary", 0))
	do("chmod-hostdir", os.Chmod("/hostdir/canary", 0o777))
	do("remove-hostdir", os.Remove("/hostdir/canary"))
	do("removeall-hostdir-outside", os.RemoveAll("/hostdir/outside"))
	do("write-ro-mount", os.WriteFile("/ro/ro", []byte("pwned"), 0o644))
	do("create-ro-mount", os.WriteFile("/ro/new", []byte("pwned"), 0o644))
	_, err := os.Stat("/" + strings.Repeat("a/", 5000))
	do("stat-long", err)
	do("create-long-name", os.WriteFile("/tmp/"+strings.Repeat("x", 300), nil, 0o644))
	ents, err := os.ReadDir("/mnt/toroot")
	var ns []string
	for _, e := range ents {
		ns = append(ns, e.Name())
	}
	res("readdir-mnt-toroot", strings.Join(ns, ","), err)
	read("read-mnt-up", "/mnt/up/canary")
	do("chdir", os.Chdir("/a/b"))
	read("read-cwd-dotdot", "../../../../../canary")
	read("read-wh", "/etc/.wh.gone")
	do("create-wh", os.WriteFile("/.wh.etc", nil, 0o644))
	read("read-host-base", hostBase+"/canary")
	ents, err = os.ReadDir("/")
	ns = ns[:0]
	for _, e := range ents {
		ns = append(ns, e.Name())
	}
	res("readdir-root", strings.Join(ns, ","), err)
	read("read-proc-self-cmdline", "/proc/self/cmdline")
	st, err := os.Stat("/dev/null")
	if err == nil {
		res("stat-dev-null", st.Mode().String(), nil)
	} else {
		res("stat-dev-null", "", err)
	}
	do("write-dev-null", os.WriteFile("/dev/null", []byte("x"), 0))
	do("done", nil)
}
