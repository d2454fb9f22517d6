package rsync_test

import (
	"crypto/sha256"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/sockerless/sockerless/builtins/cmdtest"
	_ "github.com/sockerless/sockerless/builtins/rsync"
)

// tree is the source most cases copy: files, a nested directory, a
// symlink, odd modes, a .gitlab-ci-local directory like the one
// gitlab-ci-local keeps in the project.
const tree = `
mkdir -p src/d/sub src/e src/.gitlab-ci-local/builds src/.git/lfs
printf 'hello\n' > src/a
printf 'world\n' > src/b.txt
printf 'deep\n' > src/d/sub/deep.c
printf 'x' > src/d/x.o
printf 'state\n' > src/.gitlab-ci-local/builds/state
printf 'lfs\n' > src/.git/lfs/obj
printf 'cfg\n' > src/.git/config
ln -s a src/la
ln -s ../a src/d/up
chmod 751 src/d
chmod 600 src/b.txt
chmod 755 src/d/x.o
find src -exec touch -h -d '2020-03-04 05:06:07' {} +
`

// stale is a destination that already holds files: some to update, some
// extraneous (for --delete), one excluded.
const stale = `
mkdir -p dst/d dst/old
printf 'old\n' > dst/a
printf 'extra\n' > dst/extra
printf 'x' > dst/d/x.o
printf 'o\n' > dst/old/f
touch -d '2019-01-01' dst/a
`

type rsyncCase struct {
	name  string
	setup string
	args  []string
	times bool // compare modification times too
}

var cases = []rsyncCase{
	{name: "archive-dir", setup: tree, args: []string{"-a", "src", "dst"}, times: true},
	{name: "archive-contents", setup: tree, args: []string{"-a", "src/", "dst"}, times: true},
	{name: "archive-into-existing", setup: tree + "mkdir dst", args: []string{"-a", "src/", "dst/"}, times: true},
	{name: "recursive-only", setup: tree, args: []string{"-r", "src/", "dst"}},
	{name: "no-recursion-skips-dir", setup: tree, args: []string{"-lpt", "src", "dst"}},
	{name: "single-file-new-name", setup: tree, args: []string{"-a", "src/a", "copy"}, times: true},
	{name: "single-file-into-dir", setup: tree, args: []string{"-a", "src/a", "dst/"}, times: true},
	{name: "files-to-dir", setup: tree + "mkdir dst", args: []string{"-t", "src/a", "src/b.txt", "dst"}, times: true},
	{name: "exclude-glob", setup: tree, args: []string{"-a", "--exclude", "*.o", "--exclude=.git/", "src/", "dst"}, times: true},
	{name: "exclude-anchored", setup: tree, args: []string{"-a", "--exclude", "/d/sub", "src/", "dst"}, times: true},
	{name: "exclude-doublestar", setup: tree, args: []string{"-a", "--exclude", ".gitlab-ci-local/**", "src/", "dst"}, times: true},
	{name: "include-before-exclude", setup: tree, args: []string{"-a", "--include", "d/", "--include", "*.c", "--include", "sub/", "--exclude", "*", "src/", "dst"}, times: true},
	{name: "delete", setup: tree + stale, args: []string{"-a", "--delete", "src/", "dst"}, times: true},
	{name: "delete-keeps-excluded", setup: tree + stale, args: []string{"-a", "--delete", "--exclude", "extra", "src/", "dst"}, times: true},
	{name: "delete-excluded", setup: tree + stale + "printf 'y' > dst/x.o", args: []string{"-a", "--delete-excluded", "--delete", "--exclude", "*.o", "src/", "dst"}, times: true},
	{name: "update-quick-check", setup: tree + stale, args: []string{"-a", "src/", "dst"}, times: true},
	{name: "relative", setup: tree, args: []string{"-Ra", "src/d/sub/deep.c", "src/a", "dst/."}, times: true},
	{name: "relative-dot-marker", setup: tree, args: []string{"-Ra", "src/./d/sub", "dst/"}, times: true},
	{name: "relative-dot-slash", setup: tree + "cd src && ", args: []string{"-Ra", "./d", "./a", "../dst/."}, times: true},
	// gitlab-ci-local's host-side copy of the project into its build dir.
	{
		name:  "gcl-host-sync",
		setup: tree + stale + "printf '/extra\\n' > excl && mkdir -p src/.gitlab-ci-local/builds/j && ",
		args:  []string{"-a", "--delete-excluded", "--delete", "--exclude-from=excl", "--exclude", ".git/lfs", "--exclude", ".gitlab-ci-local/", "src/", "dst/"},
		times: true,
	},
	// gitlab-ci-local's artifact export (the helper container runs it in the project dir).
	{
		name:  "gcl-artifacts",
		setup: tree + "mkdir -p art/build-job && printf './a\\n./d\\n./.gitlab-ci-local/builds/state\\n' > list && cd src && ",
		args:  []string{"--exclude", ".gitlab-ci-local/**", "-rRa", "--files-from=../list", ".", "../art/build-job/."},
		times: true,
	},
	// gitlab-ci-local's cache save.
	{name: "gcl-cache", setup: tree + "mkdir -p cache/key && cd src && ", args: []string{"-Ra", "./d", "./b.txt", "../cache/key/."}, times: true},
	{name: "missing-source", setup: tree, args: []string{"-a", "src/nope", "src/a", "dst/"}},
	{name: "missing-dest-parent", setup: tree, args: []string{"-a", "src/", "no/such/dst/"}},
	{name: "mkpath", setup: tree, args: []string{"-a", "--mkpath", "src/", "no/such/dst/"}, times: true},
	{name: "dir-replaces-file", setup: tree + "mkdir dst && printf f > dst/d", args: []string{"-a", "src/", "dst"}, times: true},
	{name: "links-off", setup: tree, args: []string{"-rt", "src/", "dst"}, times: true},
}

func TestAgainstRealRsync(t *testing.T) {
	real, err := exec.LookPath("rsync")
	if err != nil {
		t.Fatal("the reference rsync is missing (apt-get install rsync; tests/deps.sh does it)")
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			ref, ours := t.TempDir(), t.TempDir()
			// The setup may end in "cd x && ": the command then runs in x.
			setup := strings.TrimSuffix(strings.TrimSpace(c.setup), "&&")
			sub := "."
			if i := strings.LastIndex(setup, "cd "); i >= 0 && !strings.Contains(setup[i:], "\n") {
				sub = strings.TrimSpace(setup[i+3:])
				setup = strings.TrimSuffix(strings.TrimSpace(setup[:i]), "&&")
			}
			for _, d := range []string{ref, ours} {
				sh := exec.Command("sh", "-ec", setup)
				sh.Dir = d
				if out, err := sh.CombinedOutput(); err != nil {
					t.Fatalf("setup: %v\n%s", err, out)
				}
			}
			cmd := exec.Command(real, c.args...)
			cmd.Dir = filepath.Join(ref, sub)
			refOut, _ := cmd.CombinedOutput()
			refCode := cmd.ProcessState.ExitCode()
			res := cmdtest.Run(t, filepath.Join(ours, sub), "", append([]string{"rsync"}, c.args...))
			if (refCode == 0) != (res.Status == 0) || (refCode != 0 && refCode != res.Status) {
				t.Errorf("exit status: rsync %d, ours %d\nrsync: %s\nours: %s%s", refCode, res.Status, refOut, res.Stdout, res.Stderr)
			}
			want, got := listing(t, ref, c.times), listing(t, ours, c.times)
			if want != got {
				t.Errorf("trees differ after rsync %s\n%s\nours said: %s%s", strings.Join(c.args, " "), lineDiff(want, got), res.Stdout, res.Stderr)
			}
		})
	}
}

// listing renders a tree: type, mode, owner, size, content digest, link
// target and (optionally) modification time of every entry.
func listing(t *testing.T, root string, times bool) string {
	var b strings.Builder
	filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			t.Fatal(err)
		}
		rel, _ := filepath.Rel(root, p)
		fi, err := os.Lstat(p)
		if err != nil {
			t.Fatal(err)
		}
		st := fi.Sys().(*syscall.Stat_t)
		line := fmt.Sprintf("%s %v %d:%d", rel, fi.Mode(), st.Uid, st.Gid)
		switch {
		case fi.Mode().IsRegular():
			data, _ := os.ReadFile(p)
			line += fmt.Sprintf(" %d %x", len(data), sha256.Sum256(data))
		case fi.Mode()&fs.ModeSymlink != 0:
			tg, _ := os.Readlink(p)
			line += " -> " + tg
		}
		// Symlink times are not compared: Go (and WASI through it) has no lutimes.
		if times && rel != "." && fi.Mode()&fs.ModeSymlink == 0 && (!fi.IsDir() || !strings.HasPrefix(rel, "src")) {
			if fi.ModTime().Year() < 2024 {
				line += " " + fi.ModTime().UTC().Format("2006-01-02T15:04:05")
			} else {
				line += " (recent)" // made by the setup or the copy: not compared
			}
		}
		b.WriteString(line + "\n")
		return nil
	})
	return b.String()
}

func TestRemoteRefused(t *testing.T) {
	res := cmdtest.Run(t, "", "", []string{"rsync", "-a", "host:/x", "y"})
	if res.Status != 1 || !strings.Contains(res.Stderr, "remote transfers are not supported") {
		t.Fatalf("got %d %q", res.Status, res.Stderr)
	}
}

// lineDiff lists the lines only one side has.
func lineDiff(want, got string) string {
	in := func(s string) map[string]bool {
		m := map[string]bool{}
		for _, l := range strings.Split(s, "\n") {
			m[l] = true
		}
		return m
	}
	w, g := in(want), in(got)
	var b strings.Builder
	for _, l := range strings.Split(want, "\n") {
		if !g[l] {
			b.WriteString("- real:  " + l + "\n")
		}
	}
	for _, l := range strings.Split(got, "\n") {
		if !w[l] {
			b.WriteString("+ ours:  " + l + "\n")
		}
	}
	return b.String()
}
