package busybox

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"
)

// escape is one attempt, run through the sandbox shell, to read or
// write outside the container root. $CANARY is the host path of the
// canary directory, $SECRET the name of its file, $M a marker name that
// must never appear on the host, $UP a relative path of many "..".
type escape struct {
	name, script string
}

func escapes() []escape {
	return []escape{
		{"relative-symlink-up", `ln -s ../../.. /tmp/x; ln -s ../../../../../../../../../../.. /tmp/up
ls /tmp/x/ /tmp/up/; cat "/tmp/x$CANARY/$SECRET" "/tmp/up$CANARY/$SECRET"
echo pwned > "/tmp/up$CANARY/$SECRET"; echo pwned > "/tmp/up/tmp/$M"; echo pwned > "/tmp/up/$M"`},
		{"absolute-symlink-to-canary", `ln -s "$CANARY" /tmp/c; ls -la /tmp/c/; cat "/tmp/c/$SECRET"; echo pwned > "/tmp/c/$SECRET"; echo pwned >> "/tmp/c/$SECRET"`},
		{"image-absolute-symlink", `ls -la /img/abs/; cat "/img/abs/$SECRET"; echo pwned > "/img/abs/$SECRET"; echo pwned > "/img/abs/$M"`},
		{"image-relative-symlink", `ls -la /img/rel/; cat "/img/rel/$SECRET"; echo pwned > "/img/rel/$SECRET"; echo pwned > "/img/rel/$M"`},
		{"redirect-dotdot-chain", `echo pwned > "/../../../..$CANARY/$SECRET"; echo pwned > "$UP$CANARY/$SECRET"; cat "$UP$CANARY/$SECRET"; echo pwned > "$UP/$M"; ls -la "$UP$CANARY"`},
		{"mkdir-p-symlinked-parent", `ln -s "$CANARY" /tmp/c; ln -s "$UP" /tmp/up; mkdir -p "/tmp/c/$M/deep" "/tmp/up$CANARY/$M" "/img/abs/$M" "/img/rel/$M/x"; ls -la /tmp/c/ "/tmp/up$CANARY"`},
		{"mv-into-symlinked-parent", `echo pwned > /tmp/f; ln -s "$CANARY" /tmp/c; mv /tmp/f "/tmp/c/$SECRET"; echo pwned > /tmp/g; mv /tmp/g "/img/abs/$M"; echo pwned > /tmp/h; mv /tmp/h "$UP$CANARY/$SECRET"; ls -la /tmp /tmp/c/`},
		{"mv-out-of-symlinked-parent", `ln -s "$CANARY" /tmp/c; mv "/tmp/c/$SECRET" /tmp/stolen; mv "/img/abs/$SECRET" /tmp/stolen2; mv "/img/rel" /tmp/rel2; cat /tmp/stolen /tmp/stolen2 /tmp/rel2/$SECRET`},
		{"mv-dir-onto-symlink", `mkdir /tmp/d; echo pwned > "/tmp/d/$SECRET"; ln -s "$CANARY" /tmp/c; mv /tmp/d /tmp/c; mv -f /tmp/d/* /img/abs/; mv /tmp/c/d "/img/rel/"; ls -la /tmp /tmp/c/`},
		{"cp-into-symlinked-parent", `echo pwned > /tmp/f; ln -s "$CANARY" /tmp/c; cp /tmp/f "/tmp/c/$SECRET"; cp /tmp/f "/img/abs/$M"; cp -r /etc "/img/rel/$M"; cp /tmp/f "$UP$CANARY/$SECRET"`},
		{"cp-out-of-symlinked-parent", `cp "/img/abs/$SECRET" /tmp/s1; cp -rL /img/abs /tmp/s2; cp -a /img/rel /tmp/s3; cat /tmp/s1; ls -laR /tmp/s2 /tmp/s3; cat /tmp/s2/* /tmp/s3/*`},
		{"ln-through-symlinked-parent", `echo x > /tmp/x; ln -s "$CANARY" /tmp/c; ln -s /etc/passwd "/tmp/c/$M"; ln /tmp/x "/img/abs/$M"; ln -s x "/img/rel/$M"; ln -sf /tmp/x "/img/abs/$SECRET"`},
		{"chmod-through-symlink", `ln -s "$CANARY" /tmp/c; chmod 777 "/tmp/c/$SECRET" /tmp/c/ /img/abs/ "/img/abs/$SECRET" "/img/rel/$SECRET" "$UP$CANARY/$SECRET"; chmod -R 777 /img/abs/ /img/rel/; stat -c '%a %n' "/img/abs/$SECRET"`},
		{"touch-through-symlink", `ln -s "$CANARY" /tmp/c; touch -d '2000-01-01 00:00:00' "/tmp/c/$SECRET" "/img/abs/$SECRET" "/img/rel/$SECRET" "$UP$CANARY/$SECRET"; touch "/img/abs/$M" "/tmp/c/$M"`},
		{"rm-rf-through-symlink", `ln -s "$CANARY" /tmp/c; rm -rf /tmp/c/ /img/abs/ /img/rel/ "/img/abs/$SECRET" "$UP$CANARY" "/tmp/c/$SECRET"; rm -f "/img/rel/$SECRET"; ls /img`},
		{"hard-link-to-host-path", `ln "$CANARY/$SECRET" /tmp/h1; ln "$UP$CANARY/$SECRET" /tmp/h2; ln "/img/abs/$SECRET" /tmp/h3; ln "/img/rel/$SECRET" /tmp/h4; cat /tmp/h*; echo pwned >> /tmp/h3; echo pwned >> /tmp/h4`},
		{"cd-up-many", `cd /tmp; cd ../../../../../../../../../../../..; pwd; ls; cd "./$CANARY" && cat "$SECRET"; cd /; cd ..; pwd; cat "..$CANARY/$SECRET"; cd "$UP" && pwd && echo pwned > "$M"`},
		{"proc-self-root", `ls /proc/self/root/.. /proc/self/root/../..; cat "/proc/self/root/../../../..$CANARY/$SECRET"; echo pwned > /proc/self/root/../$M; readlink /proc/self/root; ls /proc/self/cwd/..; cat "/proc/1/root$CANARY/$SECRET"; cat "/proc/self/root$UP$CANARY/$SECRET"`},
		{"tar-dotdot-members", `cd /tmp && tar xf /archives/dotdot.tar; tar xvf /archives/dotdot.tar -C /tmp; find /tmp | sort`},
		{"tar-absolute-members", `cd /tmp && tar xf /archives/absolute.tar; tar xvf /archives/absolute.tar -C /tmp; tar xPf /archives/absolute.tar; find /tmp | sort`},
		{"tar-symlink-then-file", `mkdir /tmp/x && cd /tmp/x && tar xf /archives/symlink-file.tar; ls -la /tmp/x; cat /tmp/x/abs/* /tmp/x/up/*`},
		{"tar-hardlink-member", `mkdir /tmp/x && cd /tmp/x && tar xf /archives/hardlink.tar; cat /tmp/x/*; echo pwned >> /tmp/x/hl-abs; echo pwned >> /tmp/x/hl-up`},
		{"tgz-symlink-then-file", `mkdir /tmp/x && cd /tmp/x && tar xzf /archives/symlink-file.tgz; gunzip -c /archives/symlink-file.tgz | tar xf - -C /tmp; ls -la /tmp/x /tmp`},
		{"unzip-dotdot-members", `mkdir /tmp/x && cd /tmp/x && unzip -o /archives/dotdot.zip; unzip -o /archives/dotdot.zip -d /tmp; find /tmp | sort`},
		{"unzip-absolute-members", `mkdir /tmp/x && cd /tmp/x && unzip -o /archives/absolute.zip; find /tmp | sort`},
		{"unzip-symlink-then-file", `mkdir /tmp/x && cd /tmp/x && unzip -o /archives/symlink-file.zip; ls -la /tmp/x; cat /tmp/x/abs/* 2>&1`},
		{"long-paths", `p=/tmp; i=0; while [ $i -lt 300 ]; do p=$p/dddddddddddddddddd; i=$((i+1)); done; mkdir -p "$p"; echo pwned > "$p/$M"; echo "mkdir status $?"
q=$(printf '%05000d' 0); echo pwned > "/tmp/$q"; ln -s "$q$UP$CANARY" /tmp/longlink; cat "/tmp/longlink/$SECRET"; cat "$p/../../../../../../..$UP$CANARY/$SECRET"`},
		{"deep-cd-then-dotdot", `cd /tmp; i=0; while [ $i -lt 250 ]; do mkdir d && cd d || break; i=$((i+1)); done; echo depth $i; pwd | wc -c; echo pwned > "$M"
r=""; j=0; while [ $j -lt 270 ]; do r="$r../"; j=$((j+1)); done; cd "$r" && pwd; cat "$r$CANARY/$SECRET"; echo pwned > "$r$M"`},
		{"symlink-chain-50", `cd /tmp; ln -s "$CANARY/$SECRET" l50; ln -s "$UP$CANARY/$SECRET" r50; i=49; while [ $i -ge 1 ]; do ln -s l$((i+1)) l$i; ln -s r$((i+1)) r$i; i=$((i-1)); done
cat l1 r1 l10 r10; echo pwned > l1; echo pwned > r1; echo pwned > l45; echo pwned > r45; readlink -f l45`},
		{"find-L-loops", `mkdir /tmp/lp; ln -s .. /tmp/lp/up; ln -s /tmp/lp /tmp/lp/self; ln -s / /tmp/lp/root; find -L /tmp/lp -maxdepth 6 >/dev/null; echo find $?; find -L /img | sort; find -L /tmp/lp/up/lp -name "$SECRET"`},
		{"cp-r-symlink-to-root", `ln -s / /tmp/r; cp -r /tmp/r /tmp/copy; ls -la /tmp/copy; cp -r /tmp/r/img /tmp/copy2; ls -laR /tmp/copy2; cat /tmp/copy2/abs/* 2>&1`},
		{"symlink-swap-race", `(i=0; while [ $i -lt 150 ]; do rm -rf /tmp/s; mkdir /tmp/s; rm -rf /tmp/s; ln -s "$CANARY" /tmp/s; i=$((i+1)); done) &
i=0; while [ $i -lt 150 ]; do echo pwned > "/tmp/s/$SECRET" 2>/dev/null; echo pwned > "/tmp/s/$M" 2>/dev/null; i=$((i+1)); done; wait; ls /tmp`},
		{"sed-dd-truncate-through-symlinks", `ln -s "$CANARY" /tmp/c; sed -i s/CANARY/pwned/ "/tmp/c/$SECRET" "/img/abs/$SECRET" "/img/rel/$SECRET"; dd if=/dev/zero of="/img/abs/$SECRET" bs=1 count=4 conv=notrunc; truncate -s 0 "/img/abs/$SECRET" "$UP$CANARY/$SECRET"`},
		{"read-through-tools", `tar cf /tmp/o.tar /img/abs/ /img/rel/ "$UP$CANARY"; tar tvf /tmp/o.tar; tar xOf /tmp/o.tar; . "/img/abs/$SECRET"; sh "/img/rel/$SECRET"; grep -r . /img/; md5sum "/img/abs/$SECRET"; head -c 100 "/img/rel/$SECRET"`},
		{"script-by-host-path", `cp /bin/sh /tmp/sh 2>/dev/null; "/img/abs/$SECRET"; "$CANARY/$SECRET"; PATH="/img/abs:$CANARY" "$SECRET"; ls -la "$CANARY" /img`},
	}
}

// hostTree is a snapshot of a host directory: one line per entry.
func hostTree(root string, skip func(string) bool) (map[string]string, error) {
	out := map[string]string{}
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if p != root && skip != nil && skip(p) {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		fi, err := os.Lstat(p)
		if err != nil {
			return err
		}
		line := fmt.Sprintf("%v %d %d", fi.Mode(), fi.Size(), fi.ModTime().UnixNano())
		switch {
		case fi.Mode()&os.ModeSymlink != 0:
			target, _ := os.Readlink(p)
			line += " -> " + target
		case fi.Mode().IsRegular():
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			line += fmt.Sprintf(" %x", sha256.Sum256(b))
		}
		out[p] = line
		return nil
	})
	return out, err
}

func diffTrees(before, after map[string]string) []string {
	var d []string
	for p, l := range before {
		if a, ok := after[p]; !ok {
			d = append(d, "removed "+p)
		} else if a != l {
			d = append(d, fmt.Sprintf("changed %s: %s -> %s", p, l, a))
		}
	}
	for p := range after {
		if _, ok := before[p]; !ok {
			d = append(d, "added "+p)
		}
	}
	sort.Strings(d)
	return d
}

func TestEscapes(t *testing.T) {
	list := escapes()
	if len(list) < 25 {
		t.Errorf("%d escape attempts, want at least 25", len(list))
	}
	tag := fmt.Sprintf("%d-%d", os.Getpid(), time.Now().UnixNano())
	secretName := "canary-" + tag + ".txt"
	content := "CANARY-CONTENT-" + tag + "\n"
	hiddenName := "listed-only-" + tag // never named by a script: seeing it means a listing leaked
	marker := "sockerless-escape-" + tag

	base := t.TempDir()
	canary := filepath.Join(base, "canary")
	lower := filepath.Join(base, "lower")
	must(t, os.MkdirAll(filepath.Join(canary, "sub"), 0o755))
	must(t, os.WriteFile(filepath.Join(canary, secretName), []byte(content), 0o644))
	must(t, os.WriteFile(filepath.Join(canary, hiddenName), []byte(content), 0o600))
	old := time.Date(2001, 2, 3, 4, 5, 6, 0, time.UTC)
	for _, p := range []string{filepath.Join(canary, secretName), filepath.Join(canary, hiddenName), filepath.Join(canary, "sub"), canary} {
		must(t, os.Chtimes(p, old, old))
	}
	up := strings.Repeat("../", 30)
	up = strings.TrimSuffix(up, "/")
	buildEscapeImage(t, lower, canary, secretName, marker, up)
	for _, p := range []string{lower, canary} {
		must(t, os.Chtimes(p, old, old))
	}

	// Everything under base but the upper dirs, and the places a
	// ".."-escape from an upper dir would write the marker.
	uppers := filepath.Join(base, "uppers")
	must(t, os.Mkdir(uppers, 0o755))
	upperOf := func(i int) string { return filepath.Join(uppers, fmt.Sprintf("%02d", i)) }
	isUpper := func(p string) bool { return p == uppers }
	before, err := hostTree(base, isUpper)
	must(t, err)
	markerPlaces := []string{"/", "/tmp", os.TempDir(), filepath.Dir(base), filepath.Dir(filepath.Dir(base)), base, canary, lower}

	e := engine(t)
	env := []string{
		"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "HOME=/root",
		"CANARY=" + canary, "SECRET=" + secretName, "M=" + marker, "UP=/" + up,
	}
	type outcome struct {
		r     result
		delta []string
		dur   time.Duration
	}
	outcomes := make([]outcome, len(list))
	var mu sync.Mutex // host checks run one at a time, after each attempt
	var wg sync.WaitGroup
	sem := make(chan struct{}, 4)
	for i, a := range list {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			t0 := time.Now()
			r := runSandboxEnv(e, lower, upperOf(i), env, "", "sh", "-c", a.script)
			dur := time.Since(t0)
			mu.Lock()
			defer mu.Unlock()
			after, err := hostTree(base, isUpper)
			if err != nil {
				r.err = fmt.Errorf("host snapshot: %w", err)
			}
			delta := diffTrees(before, after)
			for _, d := range markerPlaces {
				if _, err := os.Lstat(filepath.Join(d, marker)); err == nil {
					delta = append(delta, "marker written to host "+filepath.Join(d, marker))
				}
			}
			outcomes[i] = outcome{r, delta, dur}
		}()
	}
	wg.Wait()

	// The checker itself: a change made on the host must be seen.
	now := time.Now()
	must(t, os.Chtimes(filepath.Join(canary, secretName), now, now))
	after, err := hostTree(base, isUpper)
	must(t, err)
	if len(diffTrees(before, after)) == 0 {
		t.Fatal("host snapshot does not notice a changed canary mtime")
	}

	for i, a := range list {
		o := outcomes[i]
		t.Run(a.name, func(t *testing.T) {
			if o.r.err != nil {
				t.Fatalf("sandbox: %v", o.r.err)
			}
			if len(o.delta) > 0 {
				t.Errorf("host changed:\n%s\nscript:\n%s\n%s", strings.Join(o.delta, "\n"), a.script, o.r)
			}
			all := o.r.stdout + o.r.stderr
			if strings.Contains(all, strings.TrimSpace(content)) {
				t.Errorf("canary content leaked into the output:\n%s", o.r)
			}
			if strings.Contains(all, hiddenName) {
				t.Errorf("canary directory listing leaked into the output:\n%s", o.r)
			}
			t.Logf("exit %d after %v\n%s", o.r.code, o.dur.Round(time.Millisecond), o.r.stderr)
		})
	}
}

// buildEscapeImage writes the image layer: /tmp, /etc, symlinks into
// the host canary, and hostile archives built on the host.
func buildEscapeImage(t *testing.T, lower, canary, secret, marker, up string) {
	t.Helper()
	for _, d := range []string{"tmp", "etc", "img", "archives", "bin"} {
		must(t, os.MkdirAll(filepath.Join(lower, d), 0o755))
	}
	must(t, os.Chmod(filepath.Join(lower, "tmp"), 0o1777))
	must(t, os.WriteFile(filepath.Join(lower, "etc", "passwd"), []byte("root:x:0:0:root:/root:/bin/sh\n"), 0o644))
	must(t, os.WriteFile(filepath.Join(lower, "etc", "hostname"), []byte("sandbox\n"), 0o644))
	// An image symlink to the canary's host path, and a relative one that
	// climbs far above the layer directory.
	must(t, os.Symlink(canary, filepath.Join(lower, "img", "abs")))
	must(t, os.Symlink(up+canary, filepath.Join(lower, "img", "rel")))

	pwned := []byte("pwned\n")
	target := canary + "/" + secret
	type member struct {
		name     string
		typ      byte
		linkname string
	}
	writeTar := func(name string, gz bool, ms []member) {
		var buf bytes.Buffer
		tw := tar.NewWriter(&buf)
		for _, m := range ms {
			h := &tar.Header{Name: m.name, Typeflag: m.typ, Linkname: m.linkname, Mode: 0o644, ModTime: time.Unix(1e9, 0), Format: tar.FormatGNU}
			if m.typ == tar.TypeReg {
				h.Size = int64(len(pwned))
			}
			must(t, tw.WriteHeader(h))
			if m.typ == tar.TypeReg {
				_, err := tw.Write(pwned)
				must(t, err)
			}
		}
		must(t, tw.Close())
		data := buf.Bytes()
		if gz {
			var z bytes.Buffer
			zw := gzip.NewWriter(&z)
			_, err := zw.Write(data)
			must(t, err)
			must(t, zw.Close())
			data = z.Bytes()
		}
		must(t, os.WriteFile(filepath.Join(lower, "archives", name), data, 0o644))
	}
	writeTar("dotdot.tar", false, []member{
		{name: up + target, typ: tar.TypeReg},
		{name: "../../../../" + marker, typ: tar.TypeReg},
		{name: "ok/../../../../../" + marker, typ: tar.TypeReg},
	})
	writeTar("absolute.tar", false, []member{
		{name: target, typ: tar.TypeReg},
		{name: canary + "/" + marker, typ: tar.TypeReg},
		{name: "/" + marker, typ: tar.TypeReg},
	})
	symlinkFile := []member{
		{name: "abs", typ: tar.TypeSymlink, linkname: canary},
		{name: "abs/" + secret, typ: tar.TypeReg},
		{name: "abs/" + marker, typ: tar.TypeReg},
		{name: "up", typ: tar.TypeSymlink, linkname: up},
		{name: "up" + target, typ: tar.TypeReg},
		{name: "up/" + marker, typ: tar.TypeReg},
	}
	writeTar("symlink-file.tar", false, symlinkFile)
	writeTar("symlink-file.tgz", true, symlinkFile)
	writeTar("hardlink.tar", false, []member{
		{name: "hl-abs", typ: tar.TypeLink, linkname: target},
		{name: "hl-up", typ: tar.TypeLink, linkname: up + target},
		{name: "hl-abs", typ: tar.TypeReg},
	})

	writeZip := func(name string, ms []member) {
		var buf bytes.Buffer
		zw := zip.NewWriter(&buf)
		for _, m := range ms {
			h := &zip.FileHeader{Name: m.name, Method: zip.Store}
			h.Modified = time.Unix(1e9, 0)
			body := pwned
			if m.typ == tar.TypeSymlink {
				h.SetMode(os.ModeSymlink | 0o777)
				body = []byte(m.linkname)
			} else {
				h.SetMode(0o644)
			}
			w, err := zw.CreateHeader(h)
			must(t, err)
			_, err = w.Write(body)
			must(t, err)
		}
		must(t, zw.Close())
		must(t, os.WriteFile(filepath.Join(lower, "archives", name), buf.Bytes(), 0o644))
	}
	writeZip("dotdot.zip", []member{
		{name: up + target, typ: tar.TypeReg},
		{name: "../../../../" + marker, typ: tar.TypeReg},
	})
	writeZip("absolute.zip", []member{
		{name: target, typ: tar.TypeReg},
		{name: "/" + marker, typ: tar.TypeReg},
	})
	writeZip("symlink-file.zip", []member{
		{name: "abs", typ: tar.TypeSymlink, linkname: canary},
		{name: "abs/" + secret, typ: tar.TypeReg},
		{name: "abs/" + marker, typ: tar.TypeReg},
		{name: "up", typ: tar.TypeSymlink, linkname: up},
		{name: "up" + target, typ: tar.TypeReg},
	})
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
