package archive

import (
	"archive/zip"
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/sockerless/sockerless/builtins"
)

func init() {
	builtins.Register(&builtins.Command{Name: "unzip", Usage: `Usage: unzip [-lnojpq] FILE[.zip] [FILE]... [-x FILE]... [-d DIR]

Extract FILEs from ZIP archive

	-l	List contents (with -q for short form)
	-n	Never overwrite files (default: ask)
	-o	Overwrite
	-j	Do not restore paths
	-p	Write to stdout
	-t	Test
	-q	Quiet
	-x FILE	Exclude FILEs
	-d DIR	Extract into DIR`, Run: runUnzip})
}

func runUnzip(ctx context.Context, env *builtins.Env, args []string) int {
	var list, never, over, junk, pipe, test bool
	quiet := 0
	var dir, archive string
	var include, exclude []string
	inExclude := false
	for i := 1; i < len(args); i++ {
		a := args[i]
		if len(a) > 1 && a[0] == '-' {
			inExclude = false
			for j := 1; j < len(a); j++ {
				switch c := a[j]; c {
				case 'l':
					list = true
				case 'n':
					never = true
				case 'o':
					over = true
				case 'j':
					junk = true
				case 'p':
					pipe = true
				case 't':
					test = true
				case 'q':
					quiet++
				case 'v':
					list = true
				case 'x':
					inExclude = true
				case 'd':
					v := a[j+1:]
					if v == "" {
						if i+1 >= len(args) {
							env.Errorf("unzip", "option requires an argument -- 'd'")
							return 1
						}
						i++
						v = args[i]
					}
					dir = v
					j = len(a)
				default:
					env.Errorf("unzip", "invalid option -- '%c'", c)
					return 1
				}
			}
			continue
		}
		switch {
		case archive == "":
			archive = a
		case inExclude:
			exclude = append(exclude, a)
		default:
			include = append(include, a)
		}
	}
	if archive == "" {
		env.Errorf("unzip", "missing archive name")
		return 1
	}
	zpath := env.Abs(archive)
	if _, err := os.Stat(zpath); err != nil {
		if _, err2 := os.Stat(zpath + ".zip"); err2 == nil {
			zpath += ".zip"
			archive += ".zip"
		} else {
			env.Errorf("unzip", "can't open %s[.zip]", archive)
			return 1
		}
	}
	zr, err := zip.OpenReader(zpath)
	if err != nil {
		env.Errorf("unzip", "%s: not a zip file", archive)
		return 1
	}
	defer zr.Close()
	out := bufio.NewWriter(env.Stdout)
	defer out.Flush()
	selected := func(name string) bool {
		for _, x := range exclude {
			if ok, _ := path.Match(x, name); ok {
				return false
			}
		}
		if len(include) == 0 {
			return true
		}
		for _, p := range include {
			if ok, _ := path.Match(p, name); ok || p == name {
				return true
			}
		}
		return false
	}
	if list {
		if quiet == 0 {
			fmt.Fprintf(out, "Archive:  %s\n", archive)
		}
		fmt.Fprintf(out, "  Length      Date    Time    Name\n---------  ---------- -----   ----\n")
		var total uint64
		n := 0
		for _, f := range zr.File {
			if !selected(f.Name) {
				continue
			}
			d, t := f.ModifiedDate, f.ModifiedTime
			fmt.Fprintf(out, "%9d  %02d-%02d-%04d %02d:%02d   %s\n", f.UncompressedSize64,
				d>>5&0xf, d&0x1f, int(d>>9)+1980, t>>11, t>>5&0x3f, f.Name)
			total += f.UncompressedSize64
			n++
		}
		plural := "s"
		if n == 1 {
			plural = ""
		}
		fmt.Fprintf(out, " --------                     -------\n%9d                     %d file%s\n", total, n, plural)
		return 0
	}
	if quiet == 0 && !pipe {
		fmt.Fprintf(out, "Archive:  %s\n", archive)
	}
	dest := env.Dir
	if dir != "" {
		dest = env.Abs(dir)
		if err := os.MkdirAll(dest, 0o777); err != nil {
			out.Flush()
			env.Errorf("unzip", "can't create directory '%s': %s", dir, errText(err))
			return 1
		}
	}
	status := 0
	fail := func(format string, a ...any) {
		out.Flush()
		env.Errorf("unzip", format, a...)
		status = 1
	}
	warned := false
	for _, f := range zr.File {
		if ctx.Err() != nil {
			return 130
		}
		if !selected(f.Name) {
			continue
		}
		name, removed := stripUnsafe(strings.ReplaceAll(f.Name, "\\", "/"))
		if removed != "" && !warned {
			warned = true
			out.Flush()
			env.Errorf("unzip", "removing leading '%s' from member names", removed)
		}
		isDir := strings.HasSuffix(name, "/")
		if junk {
			if isDir {
				continue
			}
			name = path.Base(name)
		}
		if name == "" || !within(name) {
			fail("skipping unsafe member '%s'", f.Name)
			continue
		}
		if pipe || test {
			if isDir {
				continue
			}
			rc, err := f.Open()
			if err != nil {
				fail("%s: %s", f.Name, err)
				continue
			}
			w := io.Writer(out)
			if test {
				w = io.Discard
			}
			_, err = io.Copy(ctxWriter{ctx, w}, rc)
			rc.Close()
			if err != nil {
				fail("%s: %s", f.Name, "corrupted data")
			}
			continue
		}
		target := filepath.Join(dest, filepath.FromSlash(strings.TrimSuffix(name, "/")))
		if target != dest && !insideDir(dest, target) {
			fail("can't create '%s': path leads outside the destination", name)
			continue
		}
		if isDir {
			if fi, err := os.Stat(target); err == nil && fi.IsDir() {
				continue
			}
			if quiet == 0 {
				fmt.Fprintf(out, "   creating: %s\n", name)
			}
			if err := os.MkdirAll(target, 0o777); err != nil {
				fail("can't create directory '%s': %s", name, errText(err))
			}
			continue
		}
		if err := os.MkdirAll(filepath.Dir(target), 0o777); err != nil {
			fail("can't create directory '%s': %s", path.Dir(name), errText(err))
			continue
		}
		if !insideDir(dest, target) {
			fail("can't create '%s': path leads outside the destination", name)
			continue
		}
		if _, err := os.Lstat(target); err == nil {
			if never || !over {
				// busybox asks; without a terminal, -n and the default both skip
				continue
			}
			if err := os.Remove(target); err != nil {
				fail("can't remove '%s': %s", name, errText(err))
				continue
			}
		}
		if quiet == 0 {
			fmt.Fprintf(out, "  inflating: %s\n", name)
		}
		rc, err := f.Open()
		if err != nil {
			fail("%s: %s", name, err)
			continue
		}
		mode := f.Mode()
		if mode&os.ModeSymlink != 0 {
			target2, err := io.ReadAll(io.LimitReader(rc, 4096))
			rc.Close()
			if err == nil {
				err = os.Symlink(string(target2), target)
			}
			if err != nil {
				fail("can't create symlink '%s': %s", name, errText(err))
			}
			continue
		}
		wf, err := os.OpenFile(target, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if err != nil {
			rc.Close()
			fail("can't open '%s': %s", name, errText(err))
			continue
		}
		_, err = io.Copy(ctxWriter{ctx, wf}, rc)
		rc.Close()
		wf.Close()
		if err != nil {
			if ctx.Err() != nil {
				return 130
			}
			fail("%s: corrupted data", name)
			continue
		}
		perm := mode.Perm()
		if perm == 0 {
			perm = 0o644
		}
		env.Sys.Chmod(target, perm) // busybox leaves the mtime at "now"
	}
	return status
}
