package rootfs

import (
	"archive/tar"
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	xsys "github.com/tetratelabs/wazero/experimental/sys"
)

// jail is a container whose host neighbourhood holds a canary.
type jail struct {
	base, canary, lower, upper, mnt, romnt string
	fs                                     *FS
}

const canaryText = "CANARY: must never change"

func newJail(t testing.TB) *jail {
	t.Helper()
	base := t.TempDir()
	j := &jail{base: base, canary: filepath.Join(base, "canary"), lower: filepath.Join(base, "lower"),
		upper: filepath.Join(base, "upper"), mnt: filepath.Join(base, "mnt"), romnt: filepath.Join(base, "romnt")}
	must(t, os.WriteFile(j.canary, []byte(canaryText), 0o644))
	tree(t, filepath.Join(base, "outside"), map[string]string{"secret": "top secret"})
	tree(t, j.lower, map[string]string{
		"etc/passwd":  "container passwd",
		"canary":      "container canary",
		"a/b/c/d":     "deep",
		"up@":         "../../../../..",
		"hostabs@":    j.canary,
		"hostdir@":    base,
		"etcabs@":     "/etc/passwd",
		"chain1@":     "chain2",
		"chain2@":     "hostabs",
		"loop@":       "loop",
		"a/b/rel@":    "../../../../../../canary",
		"a/b/dirup@":  "../../../../..",
		"dev/.keep":   "",
		"tmp/":        "",
		"tmp/victim":  "v",
		"tmp/subdir/": "",
	})
	tree(t, j.mnt, map[string]string{"file": "m", "toroot@": "/", "up@": "../../..", "abs@": j.canary})
	tree(t, j.romnt, map[string]string{"ro": "r"})
	// 45 hop chain: h0 -> h1 -> … -> h45 -> etc/passwd
	for i := 0; i < 45; i++ {
		must(t, os.Symlink("h"+itoa(i+1), filepath.Join(j.lower, "h"+itoa(i))))
	}
	must(t, os.Symlink("etc/passwd", filepath.Join(j.lower, "h45")))
	f, err := New(Config{Lower: []string{j.lower}, Upper: j.upper, Mounts: []Mount{
		{Target: "/mnt", Source: j.mnt}, {Target: "/ro", Source: j.romnt, ReadOnly: true},
		{Target: "/etc/one", Source: filepath.Join(j.mnt, "file")},
	}, Proc: &FakeProc{Procs: []ProcInfo{{PID: 1, Args: []string{"sh"}}}}})
	must(t, err)
	t.Cleanup(func() { f.Close() })
	j.fs = f
	return j
}

func itoa(i int) string { return strconv.Itoa(i) }

// hostState is everything outside upper and the rw mount.
func (j *jail) hostState(t testing.TB) map[string]string {
	s := snapshot(t, j.base)
	for k := range s {
		if k == "upper" || strings.HasPrefix(k, "upper/") || k == "mnt" || strings.HasPrefix(k, "mnt/") {
			delete(s, k)
		}
	}
	return s
}

type escapeCase struct {
	name string
	run  func(t *testing.T, j *jail, v *View)
}

func wantErrno(t *testing.T, got xsys.Errno, want ...xsys.Errno) {
	t.Helper()
	if !slices.Contains(want, got) {
		t.Fatalf("errno %v, want one of %v", got, want)
	}
}

func escapeCases() []escapeCase {
	return []escapeCase{
		{"relative symlink ../.. write lands in container", func(t *testing.T, j *jail, v *View) {
			ok(t, writeFile(t, v, "up/canary", "pwned", O_TRUNC))
			if s, _ := readFile(t, v, "/canary"); s != "pwned" {
				t.Fatalf("container canary %q", s)
			}
		}},
		{"relative symlink chain in subdir", func(t *testing.T, j *jail, v *View) {
			ok(t, writeFile(t, v, "a/b/rel", "pwned", O_TRUNC))
		}},
		{"dotdot dir symlink as parent for create", func(t *testing.T, j *jail, v *View) {
			ok(t, writeFile(t, v, "a/b/dirup/newfile", "x", O_CREAT))
			if _, errno := v.Stat("/newfile"); errno != 0 {
				t.Fatal("not created at container root")
			}
		}},
		{"absolute symlink to /etc/passwd reads the container's", func(t *testing.T, j *jail, v *View) {
			if s, _ := readFile(t, v, "etcabs"); s != "container passwd" {
				t.Fatalf("read %q", s)
			}
		}},
		{"absolute symlink to host canary", func(t *testing.T, j *jail, v *View) {
			wantErrno(t, writeFile(t, v, "hostabs", "pwned", O_TRUNC), ENOENT)
			_, errno := readFile(t, v, "hostabs")
			wantErrno(t, errno, ENOENT)
		}},
		{"absolute symlink to host canary with O_CREAT makes container path", func(t *testing.T, j *jail, v *View) {
			wantErrno(t, writeFile(t, v, "hostabs", "pwned", O_CREAT), ENOENT) // parents missing in container
		}},
		{"symlink to symlink to host", func(t *testing.T, j *jail, v *View) {
			wantErrno(t, writeFile(t, v, "chain1", "pwned", O_TRUNC), ENOENT)
		}},
		{"host dir symlink as parent: mkdir", func(t *testing.T, j *jail, v *View) {
			wantErrno(t, v.Mkdir("hostdir/pwned", 0o700), ENOENT)
		}},
		{"host dir symlink as parent: create", func(t *testing.T, j *jail, v *View) {
			wantErrno(t, writeFile(t, v, "hostdir/pwned", "x", O_CREAT), ENOENT)
		}},
		{"host dir symlink as parent: rename from", func(t *testing.T, j *jail, v *View) {
			wantErrno(t, v.Rename("hostdir/canary", "stolen"), ENOENT)
		}},
		{"host dir symlink as parent: rename to", func(t *testing.T, j *jail, v *View) {
			wantErrno(t, v.Rename("tmp/victim", "hostdir/canary"), ENOENT)
		}},
		{"dotdot dir symlink as parent: rename to", func(t *testing.T, j *jail, v *View) {
			ok(t, v.Rename("tmp/victim", "up/canary"))
			if s, _ := readFile(t, v, "/canary"); s != "v" {
				t.Fatalf("container canary %q", s)
			}
		}},
		{"host dir symlink as parent: link", func(t *testing.T, j *jail, v *View) {
			wantErrno(t, v.Link("hostdir/canary", "stolen"), ENOENT)
		}},
		{"hard link to outside path by dotdot", func(t *testing.T, j *jail, v *View) {
			ok(t, v.Link("../../../../canary", "stolen")) // clamps: the container's canary
			if s, _ := readFile(t, v, "stolen"); s != "container canary" {
				t.Fatalf("linked %q", s)
			}
		}},
		{"chmod through symlinks", func(t *testing.T, j *jail, v *View) {
			wantErrno(t, v.Chmod("hostabs", 0o777), ENOENT)
			wantErrno(t, v.Chmod("hostdir/canary", 0o777), ENOENT)
			ok(t, v.Chmod("up/canary", 0o600))
		}},
		{"utimens through symlinks", func(t *testing.T, j *jail, v *View) {
			wantErrno(t, v.Utimens("hostabs", 1, 1), ENOENT)
			wantErrno(t, v.Utimens("hostdir/canary", 1, 1), ENOENT)
			wantErrno(t, v.Utimens("hostdir", 1, 1), ENOENT)
		}},
		{"chown through symlinks", func(t *testing.T, j *jail, v *View) {
			wantErrno(t, v.chown("hostabs", 5, 5, true), ENOENT)
			ok(t, v.chown("hostabs", 5, 5, false)) // the link itself (copied up)
			if err := v.Chown("hostdir/canary", 5, 5, true); !errors.Is(err, ENOENT) {
				t.Fatalf("Chown: %v", err)
			}
		}},
		{"truncate through symlinks", func(t *testing.T, j *jail, v *View) {
			wantErrno(t, writeFile(t, v, "hostdir/canary", "", O_TRUNC), ENOENT)
			f, errno := v.OpenFile("up/canary", O_RDWR, 0)
			ok(t, errno)
			ok(t, f.Truncate(0))
			f.Close()
		}},
		{"unlink and rmdir through symlinks", func(t *testing.T, j *jail, v *View) {
			wantErrno(t, v.Unlink("hostdir/canary"), ENOENT)
			wantErrno(t, v.Rmdir("hostdir/outside"), ENOENT)
			ok(t, v.Unlink("hostdir")) // removes the link only
			ok(t, v.Unlink("a/b/dirup/canary"))
		}},
		{"dotdot chain longer than depth", func(t *testing.T, j *jail, v *View) {
			s, errno := readFile(t, v, "a/b/c/../../../../../../../../../../canary")
			ok(t, errno)
			if s != "container canary" {
				t.Fatalf("read %q", s)
			}
			ok(t, writeFile(t, v, strings.Repeat("../", 50)+"canary", "pwned", O_TRUNC))
		}},
		{"/proc/self/root/.. is the container root", func(t *testing.T, j *jail, v *View) {
			if s, _ := readFile(t, v, "/proc/self/root/../../canary"); s != "container canary" {
				t.Fatalf("read %q", s)
			}
			got := names(t, v, "/proc/self/root/..")
			if !slices.Contains(got, "etc") || slices.Contains(got, "outside") {
				t.Fatalf("listing %v", got)
			}
			ok(t, writeFile(t, v, "/proc/1/root/../canary", "pwned", O_TRUNC))
		}},
		{"very long path", func(t *testing.T, j *jail, v *View) {
			long := strings.Repeat("a/", 5000)
			_, errno := v.Stat(long)
			wantErrno(t, errno, ENAMETOOLONG)
			wantErrno(t, v.Mkdir(long, 0o700), ENAMETOOLONG)
			wantErrno(t, writeFile(t, v, strings.Repeat("x", 300), "", O_CREAT), ENAMETOOLONG)
		}},
		{"40+ symlink hops", func(t *testing.T, j *jail, v *View) {
			_, errno := readFile(t, v, "h0")
			wantErrno(t, errno, ELOOP)
			if s, _ := readFile(t, v, "h10"); s != "container passwd" {
				t.Fatalf("35 hops %q", s)
			}
			_, errno = v.Stat("loop")
			wantErrno(t, errno, ELOOP)
			wantErrno(t, writeFile(t, v, "loop/x", "", O_CREAT), ELOOP)
		}},
		{"O_NOFOLLOW on a symlink", func(t *testing.T, j *jail, v *View) {
			_, errno := v.OpenFile("hostabs", O_RDONLY|O_NOFOLLOW, 0)
			wantErrno(t, errno, ELOOP)
		}},
		{"bind mount symlink to / is the container root", func(t *testing.T, j *jail, v *View) {
			got := names(t, v, "mnt/toroot")
			if !slices.Contains(got, "etc") || slices.Contains(got, "outside") {
				t.Fatalf("listing %v", got)
			}
			if s, _ := readFile(t, v, "mnt/up/canary"); s != "container canary" {
				t.Fatalf("read %q", s)
			}
			wantErrno(t, writeFile(t, v, "mnt/abs", "pwned", O_TRUNC), ENOENT)
			if s, _ := readFile(t, v, "mnt/../canary"); s != "container canary" {
				t.Fatalf("mnt/.. %q", s)
			}
		}},
		{"read-only mount", func(t *testing.T, j *jail, v *View) {
			wantErrno(t, writeFile(t, v, "ro/ro", "x", O_TRUNC), EROFS)
			wantErrno(t, writeFile(t, v, "ro/new", "x", O_CREAT), EROFS)
			wantErrno(t, v.Mkdir("ro/d", 0o700), EROFS)
			wantErrno(t, v.Unlink("ro/ro"), EROFS)
			wantErrno(t, v.Chmod("ro/ro", 0o777), EROFS)
			wantErrno(t, v.Utimens("ro/ro", 1, 1), EROFS)
			wantErrno(t, v.Symlink("/", "ro/l"), EROFS)
			wantErrno(t, v.Rename("ro/ro", "ro/r2"), EROFS)
			f, errno := v.OpenFile("ro/ro", O_RDONLY, 0)
			ok(t, errno)
			wantErrno(t, f.Utimens(1, 1), EPERM)
			_, errno = f.Write([]byte("x"))
			wantErrno(t, errno, EBADF)
			f.Close()
		}},
		{"lower file handles can't change the image", func(t *testing.T, j *jail, v *View) {
			f, errno := v.OpenFile("etc/passwd", O_RDONLY, 0)
			ok(t, errno)
			wantErrno(t, f.Utimens(1, 1), EPERM)
			wantErrno(t, f.Truncate(0), EBADF, EINVAL)
			_, errno = f.Write([]byte("x"))
			wantErrno(t, errno, EBADF)
			f.Close()
		}},
		{"whiteout names are reserved", func(t *testing.T, j *jail, v *View) {
			wantErrno(t, writeFile(t, v, ".wh.etc", "", O_CREAT), EPERM)
			wantErrno(t, v.Mkdir("tmp/.wh..wh..opq", 0o700), EPERM)
			wantErrno(t, v.Rename("tmp/victim", ".wh.canary"), EPERM)
			wantErrno(t, v.Symlink("/", ".wh.x"), EPERM)
			if _, errno := v.Stat("etc/passwd"); errno != 0 {
				t.Fatal("whiteout forged")
			}
		}},
		{"virtual files can't be used to write the host", func(t *testing.T, j *jail, v *View) {
			wantErrno(t, v.Rename("proc/self/root/canary", "proc/x"), EPERM)
			wantErrno(t, v.Link("canary", "proc/1/x"), EPERM)
			wantErrno(t, v.Unlink("dev/null"), EPERM)
			if s, _ := readFile(t, v, "dev/../../canary"); s != "container canary" {
				t.Fatalf("read %q", s)
			}
		}},
		{"trailing slash on symlinks", func(t *testing.T, j *jail, v *View) {
			wantErrno(t, v.Mkdir("hostdir/", 0o700), EEXIST, ENOENT)
			_, errno := v.Stat("hostabs/")
			wantErrno(t, errno, ENOENT)
			_, errno = v.Stat("canary/")
			wantErrno(t, errno, ENOTDIR)
		}},
		{"host-side race: dir swapped for an outside symlink", func(t *testing.T, j *jail, v *View) {
			ok(t, v.Mkdir("race", 0o755))
			dir := filepath.Join(j.upper, "race")
			var wg sync.WaitGroup
			stop := make(chan struct{})
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := 0; ; i++ {
					select {
					case <-stop:
						return
					default:
					}
					os.Rename(dir, dir+".d")
					os.Symlink(j.base, dir)
					os.Remove(dir)
					os.Rename(dir+".d", dir)
				}
			}()
			for i := 0; i < 1500; i++ {
				writeFile(t, v, "race/canary", "pwned", O_CREAT|O_TRUNC)
				v.Chmod("race/canary", 0o777)
				v.Utimens("race/canary", 1, 1)
				v.Unlink("race/outside/secret")
				v.Mkdir("race/pwned", 0o700)
			}
			close(stop)
			wg.Wait()
		}},
		{"tar: ../x", func(t *testing.T, j *jail, v *View) {
			tarReject(t, j, tarball(t, "ok", tarEnt{name: "../x", body: "pwned"}))
		}},
		{"tar: /abs", func(t *testing.T, j *jail, v *View) {
			tarReject(t, j, tarball(t, "ok", tarEnt{name: j.canary, body: "pwned"}))
		}},
		{"tar: a/../../x", func(t *testing.T, j *jail, v *View) {
			tarReject(t, j, tarball(t, "ok", tarEnt{name: "a/../../x", body: "pwned"}))
		}},
		{"tar: symlink member then write through it", func(t *testing.T, j *jail, v *View) {
			tarReject(t, j, tarball(t, "ok", tarEnt{name: "l", link: "../../../.."}, tarEnt{name: "l/canary", body: "pwned"}))
			tarReject(t, j, tarball(t, "ok", tarEnt{name: "l", link: j.base}, tarEnt{name: "l/canary", body: "pwned"}))
		}},
		{"tar: hard link out", func(t *testing.T, j *jail, v *View) {
			tarReject(t, j, tarball(t, "ok", tarEnt{name: "h", hard: "../../canary"}))
			tarReject(t, j, tarball(t, "ok", tarEnt{name: "h", hard: "etc/passwd"}))
		}},
		{"tar: existing symlink leading out of the destination", func(t *testing.T, j *jail, v *View) {
			ok(t, v.Symlink("/etc", "tmp/subdir/link"))
			err := j.fs.ExtractTar("/tmp/subdir", bytes.NewReader(tarball(t, "ok", tarEnt{name: "link/passwd", body: "pwned"})), ExtractOptions{})
			var ue *UnsafeTarError
			if !errors.As(err, &ue) {
				t.Fatalf("err %v", err)
			}
			if s, _ := readFile(t, v, "etc/passwd"); s != "container passwd" {
				t.Fatalf("passwd %q", s)
			}
		}},
		{"tar: devices and reserved names", func(t *testing.T, j *jail, v *View) {
			tarReject(t, j, tarball(t, "ok", tarEnt{name: ".wh.etc", body: ""}))
			var b bytes.Buffer
			tw := tar.NewWriter(&b)
			tw.WriteHeader(&tar.Header{Name: "null", Typeflag: tar.TypeChar, Devmajor: 1, Devminor: 3})
			tw.Close()
			tarReject(t, j, b.Bytes())
		}},
		{"archive of a symlink to the host stores the link", func(t *testing.T, j *jail, v *View) {
			var b bytes.Buffer
			must(t, j.fs.WriteTar(&b, "/hostdir"))
			tr := tar.NewReader(&b)
			h, err := tr.Next()
			must(t, err)
			if h.Typeflag != tar.TypeSymlink {
				t.Fatalf("type %c", h.Typeflag)
			}
			if _, err := tr.Next(); err == nil {
				t.Fatal("followed the link")
			}
		}},
	}
}

type tarEnt struct{ name, body, link, hard string }

// tarball builds an archive whose first member is a harmless file named first.
func tarball(t testing.TB, first string, ents ...tarEnt) []byte {
	var b bytes.Buffer
	tw := tar.NewWriter(&b)
	all := append([]tarEnt{{name: first, body: "harmless"}}, ents...)
	for _, e := range all {
		h := &tar.Header{Name: e.name, Mode: 0o644, Size: int64(len(e.body)), Typeflag: tar.TypeReg}
		if strings.HasSuffix(e.name, "/") {
			h.Typeflag, h.Mode = tar.TypeDir, 0o750
		}
		if e.link != "" {
			h.Typeflag, h.Linkname, h.Size = tar.TypeSymlink, e.link, 0
		}
		if e.hard != "" {
			h.Typeflag, h.Linkname, h.Size = tar.TypeLink, e.hard, 0
		}
		must(t, tw.WriteHeader(h))
		if h.Size > 0 {
			tw.Write([]byte(e.body))
		}
	}
	must(t, tw.Close())
	return b.Bytes()
}

// tarReject expects an UnsafeTarError and nothing written, not even "ok".
func tarReject(t *testing.T, j *jail, data []byte) {
	t.Helper()
	up := snapshot(t, j.upper)
	err := j.fs.ExtractTar("/tmp", bytes.NewReader(data), ExtractOptions{})
	var ue *UnsafeTarError
	if !errors.As(err, &ue) {
		t.Fatalf("err %v, want UnsafeTarError", err)
	}
	if got := snapshot(t, j.upper); !mapsEqual(got, up) {
		t.Fatalf("upper changed by a rejected archive")
	}
}

func TestEscapes(t *testing.T) {
	cases := escapeCases()
	if len(cases) < 30 {
		t.Fatalf("only %d escape cases", len(cases))
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			j := newJail(t)
			host := j.hostState(t)
			c.run(t, j, j.fs.As(0, 0))
			if got := j.hostState(t); !mapsEqual(got, host) {
				for k, v := range got {
					if host[k] != v {
						t.Errorf("host changed: %s: %q -> %q", k, host[k], v)
					}
				}
				for k := range host {
					if _, ok := got[k]; !ok {
						t.Errorf("host lost %s", k)
					}
				}
				t.FailNow()
			}
			if b, _ := os.ReadFile(j.canary); string(b) != canaryText {
				t.Fatal("canary changed")
			}
		})
	}
}
