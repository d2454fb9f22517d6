package archive

import (
	"archive/tar"
	"bufio"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/sockerless/sockerless/builtins"
)

func init() {
	builtins.Register(&builtins.Command{Name: "tar", Usage: `Usage: tar c|x|t [-zvkmoOph] [-f TARFILE] [-C DIR] [-T FILE] [-X FILE] [FILE]...

Create, extract, or list files from a tar file

	c	Create
	x	Extract
	t	List
	-f FILE	Name of TARFILE ('-' for stdin/out)
	-C DIR	Change to DIR before operation
	-v	Verbose
	-O	Extract to stdout
	-m	Don't restore mtime
	-o	Don't restore user:group
	-k	Don't replace existing files
	-p	Restore permissions (default for root)
	-z	(De)compress using gzip (detected automatically on extract)
	-h	Follow symlinks
	-T FILE	File with names to include
	-X FILE	File with glob patterns to exclude
	--exclude PATTERN	Glob pattern to exclude
	--overwrite		Replace existing files
	--strip-components NUM	NUM of leading components to strip
	--no-recursion		Don't descend in directories
	--numeric-owner		Use numeric user:group
	--no-same-owner		Don't restore user:group`, Run: runTar})
}

type tarOpts struct {
	mode                              byte
	file                              string
	gz, verbose, toStdout, noMtime    bool
	noOwner, numeric, keep, deref     bool
	noRecursion, noPerms              bool
	dir                               string
	strip                             int
	excludes, listFiles, excludeFiles []string
	members                           []string
}

func parseTarArgs(env *builtins.Env, args []string) (*tarOpts, bool) {
	o := &tarOpts{file: "-"}
	// old style: "tar czf x.tgz dir" — bundled letters, arguments in order
	if len(args) > 0 && args[0] != "" && args[0][0] != '-' {
		letters := args[0]
		rest := args[1:]
		var expanded []string
		for i := 0; i < len(letters); i++ {
			c := letters[i]
			expanded = append(expanded, "-"+string(c))
			if strings.IndexByte("fCTX", c) >= 0 {
				if len(rest) == 0 {
					env.Errorf("tar", "option requires an argument -- '%c'", c)
					return nil, false
				}
				expanded = append(expanded, rest[0])
				rest = rest[1:]
			}
		}
		args = append(expanded, rest...)
	}
	setMode := func(m byte) bool {
		if o.mode != 0 && o.mode != m {
			env.Errorf("tar", "exactly one of 'c', 'x' or 't' must be specified")
			return false
		}
		o.mode = m
		return true
	}
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			o.members = append(o.members, args[i+1:]...)
			break
		}
		if strings.HasPrefix(a, "--") {
			name, val, hasVal := strings.Cut(a[2:], "=")
			need := func() (string, bool) {
				if hasVal {
					return val, true
				}
				if i+1 >= len(args) {
					env.Errorf("tar", "option '--%s' requires an argument", name)
					return "", false
				}
				i++
				return args[i], true
			}
			var ok = true
			switch name {
			case "create":
				ok = setMode('c')
			case "extract", "get":
				ok = setMode('x')
			case "list":
				ok = setMode('t')
			case "file":
				o.file, ok = need()
			case "directory":
				o.dir, ok = need()
			case "gzip", "gunzip", "ungzip":
				o.gz = true
			case "verbose":
				o.verbose = true
			case "to-stdout":
				o.toStdout = true
			case "touch":
				o.noMtime = true
			case "no-same-owner":
				o.noOwner = true
			case "same-owner", "same-permissions", "preserve-permissions", "overwrite", "auto-compress", "unlink-first":
			case "no-same-permissions":
				o.noPerms = true
			case "numeric-owner":
				o.numeric = true
			case "keep-old-files":
				o.keep = true
			case "dereference":
				o.deref = true
			case "no-recursion":
				o.noRecursion = true
			case "strip-components":
				var v string
				if v, ok = need(); ok {
					n, err := strconv.Atoi(v)
					if err != nil || n < 0 {
						env.Errorf("tar", "invalid number '%s'", v)
						return nil, false
					}
					o.strip = n
				}
			case "exclude":
				var v string
				if v, ok = need(); ok {
					o.excludes = append(o.excludes, v)
				}
			case "files-from":
				var v string
				if v, ok = need(); ok {
					o.listFiles = append(o.listFiles, v)
				}
			case "exclude-from":
				var v string
				if v, ok = need(); ok {
					o.excludeFiles = append(o.excludeFiles, v)
				}
			default:
				env.Errorf("tar", "unrecognized option '%s'", a)
				return nil, false
			}
			if !ok {
				return nil, false
			}
			continue
		}
		if len(a) < 2 || a[0] != '-' {
			o.members = append(o.members, a)
			continue
		}
		for j := 1; j < len(a); j++ {
			c := a[j]
			if strings.IndexByte("fCTX", c) >= 0 {
				v := a[j+1:]
				if v == "" {
					if i+1 >= len(args) {
						env.Errorf("tar", "option requires an argument -- '%c'", c)
						return nil, false
					}
					i++
					v = args[i]
				}
				switch c {
				case 'f':
					o.file = v
				case 'C':
					o.dir = v
				case 'T':
					o.listFiles = append(o.listFiles, v)
				case 'X':
					o.excludeFiles = append(o.excludeFiles, v)
				}
				break
			}
			ok := true
			switch c {
			case 'c':
				ok = setMode('c')
			case 'x':
				ok = setMode('x')
			case 't':
				ok = setMode('t')
			case 'z':
				o.gz = true
			case 'v':
				o.verbose = true
			case 'O':
				o.toStdout = true
			case 'm':
				o.noMtime = true
			case 'o':
				o.noOwner = true
			case 'k':
				o.keep = true
			case 'h':
				o.deref = true
			case 'p', 'a':
			case 'j', 'J', 'Z':
				env.Errorf("tar", "compression -%c is not supported", c)
				return nil, false
			default:
				env.Errorf("tar", "invalid option -- '%c'", c)
				return nil, false
			}
			if !ok {
				return nil, false
			}
		}
	}
	if o.mode == 0 {
		env.Errorf("tar", "need one of 'c', 'x' or 't'")
		return nil, false
	}
	return o, true
}

func runTar(ctx context.Context, env *builtins.Env, args []string) int {
	o, ok := parseTarArgs(env, args[1:])
	if !ok {
		return 1
	}
	for _, lf := range o.listFiles {
		names, err := readLines(env, lf)
		if err != nil {
			env.Errorf("tar", "can't open '%s': %s", lf, errText(err))
			return 1
		}
		o.members = append(o.members, names...)
	}
	for _, xf := range o.excludeFiles {
		pats, err := readLines(env, xf)
		if err != nil {
			env.Errorf("tar", "can't open '%s': %s", xf, errText(err))
			return 1
		}
		o.excludes = append(o.excludes, pats...)
	}
	if o.mode == 'c' {
		return tarCreate(ctx, env, o)
	}
	return tarRead(ctx, env, o)
}

func readLines(env *builtins.Env, name string) ([]string, error) {
	var data []byte
	var err error
	if name == "-" {
		data, err = io.ReadAll(env.Stdin)
	} else {
		data, err = os.ReadFile(env.Abs(name))
	}
	if err != nil {
		return nil, err
	}
	var out []string
	for _, l := range strings.Split(string(data), "\n") {
		if l = strings.TrimSuffix(l, "\r"); l != "" {
			out = append(out, l)
		}
	}
	return out, nil
}

// excluded matches name, and each of its trailing sub-paths, against the
// patterns like GNU tar's --exclude.
func excluded(pats []string, name string) bool {
	name = strings.TrimSuffix(name, "/")
	for _, p := range pats {
		p = strings.TrimSuffix(p, "/")
		for s := name; ; {
			if ok, _ := path.Match(p, s); ok {
				return true
			}
			i := strings.IndexByte(s, '/')
			if i < 0 {
				break
			}
			s = s[i+1:]
		}
		if ok, _ := path.Match(p, path.Base(name)); ok {
			return true
		}
	}
	return false
}

type ctxWriter struct {
	ctx context.Context
	w   io.Writer
}

func (c ctxWriter) Write(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.w.Write(p)
}

type inodeKey struct{ dev, ino uint64 }

func tarCreate(ctx context.Context, env *builtins.Env, o *tarOpts) int {
	if len(o.members) == 0 {
		env.Errorf("tar", "empty archive")
		return 1
	}
	var out io.Writer = env.Stdout
	var outInfo fs.FileInfo
	if o.file != "-" {
		f, err := os.Create(env.Abs(o.file))
		if err != nil {
			env.Errorf("tar", "can't open '%s': %s", o.file, errText(err))
			return 1
		}
		defer f.Close()
		outInfo, _ = f.Stat()
		out = f
	}
	verbose := env.Stdout
	if o.file == "-" {
		verbose = env.Stderr
	}
	bw := bufio.NewWriterSize(ctxWriter{ctx, out}, 64<<10)
	var zw *gzip.Writer
	var w io.Writer = bw
	if o.gz {
		zw = gzip.NewWriter(bw)
		zw.OS = 3
		w = zw
	}
	tw := tar.NewWriter(w)
	base := env.Dir
	if o.dir != "" {
		base = env.Abs(o.dir)
	}
	users, groups := loadIDs("passwd"), loadIDs("group")
	links := map[inodeKey]string{}
	status := 0
	warned := false
	var add func(name string, top bool) error
	add = func(name string, top bool) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		arc := name
		for strings.HasPrefix(arc, "/") {
			arc = arc[1:]
			if !warned {
				warned = true
				env.Errorf("tar", "removing leading '/' from member names")
			}
		}
		full := name
		if !filepath.IsAbs(full) {
			full = filepath.Join(base, name)
		}
		if excluded(o.excludes, arc) {
			return nil
		}
		stat := env.Sys.Lstat
		if o.deref {
			stat = env.Sys.Stat
		}
		fi, err := stat(full)
		if err != nil {
			env.Errorf("tar", "%s: %s", name, errText(err))
			status = 1
			return nil
		}
		if outInfo != nil {
			if plain, err := os.Stat(full); err == nil && os.SameFile(plain, outInfo) {
				env.Errorf("tar", "%s: file is the archive; skipping", name)
				return nil
			}
		}
		if arc == "" {
			arc = "."
		}
		st, _ := fi.Sys().(*builtins.StatT)
		m := fi.Mode()
		hdr := &tar.Header{
			Name:    arc,
			Mode:    int64(m.Perm()),
			ModTime: fi.ModTime().Truncate(time.Second),
		}
		if m&fs.ModeSetuid != 0 {
			hdr.Mode |= 04000
		}
		if m&fs.ModeSetgid != 0 {
			hdr.Mode |= 02000
		}
		if m&fs.ModeSticky != 0 {
			hdr.Mode |= 01000
		}
		if st != nil {
			hdr.Uid, hdr.Gid = int(st.Uid), int(st.Gid)
		}
		hdr.Uname, hdr.Gname = users.byID[hdr.Uid], groups.byID[hdr.Gid]
		switch {
		case m.IsDir():
			hdr.Typeflag = tar.TypeDir
			if !strings.HasSuffix(hdr.Name, "/") {
				hdr.Name += "/"
			}
		case m&fs.ModeSymlink != 0:
			hdr.Typeflag = tar.TypeSymlink
			hdr.Linkname, err = os.Readlink(full)
			if err != nil {
				env.Errorf("tar", "%s: %s", name, errText(err))
				status = 1
				return nil
			}
		case m&fs.ModeNamedPipe != 0:
			hdr.Typeflag = tar.TypeFifo
		case m&fs.ModeSocket != 0:
			env.Errorf("tar", "%s: socket ignored", name)
			return nil
		case m&fs.ModeDevice != 0:
			hdr.Typeflag = tar.TypeBlock
			if m&fs.ModeCharDevice != 0 {
				hdr.Typeflag = tar.TypeChar
			}
			if st != nil {
				hdr.Devmajor = int64((st.Rdev>>8)&0xfff | (st.Rdev>>32)&^0xfff)
				hdr.Devminor = int64(st.Rdev&0xff | (st.Rdev>>12)&^0xff)
			}
		default:
			hdr.Typeflag = tar.TypeReg
			hdr.Size = fi.Size()
			if st != nil && st.Nlink > 1 {
				k := inodeKey{st.Dev, st.Ino}
				if first, ok := links[k]; ok {
					hdr.Typeflag, hdr.Linkname, hdr.Size = tar.TypeLink, first, 0
				} else {
					links[k] = hdr.Name
				}
			}
		}
		hdr.Format = tar.FormatUSTAR
		if len(hdr.Name) > 100 || len(hdr.Linkname) > 100 {
			hdr.Format = tar.FormatGNU
		}
		if o.verbose {
			fmt.Fprintln(verbose, hdr.Name)
		}
		if hdr.Typeflag == tar.TypeReg {
			f, err := os.Open(full)
			if err != nil {
				env.Errorf("tar", "can't open '%s': %s", name, errText(err))
				status = 1
				return nil
			}
			defer f.Close()
			if err := tw.WriteHeader(hdr); err != nil {
				return err
			}
			n, err := io.Copy(tw, io.LimitReader(f, hdr.Size))
			if err != nil {
				return err
			}
			if n < hdr.Size { // file shrank: pad with zeros
				if _, err := io.CopyN(tw, zeroReader{}, hdr.Size-n); err != nil {
					return err
				}
			}
			return nil
		}
		if err := tw.WriteHeader(hdr); err != nil {
			return err
		}
		if hdr.Typeflag == tar.TypeDir && !o.noRecursion {
			d, err := os.Open(full)
			if err != nil {
				env.Errorf("tar", "can't open '%s': %s", name, errText(err))
				status = 1
				return nil
			}
			entries, err := d.ReadDir(-1)
			d.Close()
			if err != nil {
				env.Errorf("tar", "%s: %s", name, errText(err))
				status = 1
			}
			for _, e := range entries {
				child := name + "/" + e.Name()
				if strings.HasSuffix(name, "/") {
					child = name + e.Name()
				}
				if err := add(child, false); err != nil {
					return err
				}
			}
		}
		return nil
	}
	for _, m := range o.members {
		if err := add(m, true); err != nil {
			if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
				return 130
			}
			env.Errorf("tar", "%s", err)
			return 1
		}
	}
	if err := tw.Close(); err != nil {
		env.Errorf("tar", "%s", err)
		return 1
	}
	if zw != nil {
		if err := zw.Close(); err != nil {
			env.Errorf("tar", "%s", err)
			return 1
		}
	}
	if err := bw.Flush(); err != nil {
		env.Errorf("tar", "%s", err)
		return 1
	}
	if status != 0 {
		env.Errorf("tar", "error exit delayed from previous errors")
	}
	return status
}

type zeroReader struct{}

func (zeroReader) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

type countReader struct {
	r io.Reader
	n int64
}

func (c *countReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// dirFix is a directory whose mode, owner and mtime are set once all
// members are written (so that read-only directories can be filled).
type dirFix struct {
	path string
	hdr  *tar.Header
}

func tarRead(ctx context.Context, env *builtins.Env, o *tarOpts) int {
	var in io.Reader = env.Stdin
	if o.file != "-" {
		f, err := os.Open(env.Abs(o.file))
		if err != nil {
			env.Errorf("tar", "can't open '%s': %s", o.file, errText(err))
			return 1
		}
		defer f.Close()
		in = f
	}
	br := bufio.NewReaderSize(in, 64<<10)
	var src io.Reader = br
	if magic, _ := br.Peek(2); o.gz || len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			env.Errorf("tar", "invalid magic")
			return 1
		}
		defer zr.Close()
		src = zr
	}
	counter := &countReader{r: src}
	tr := tar.NewReader(counter)
	dest := env.Dir
	if o.dir != "" {
		dest = env.Abs(o.dir)
		if fi, err := os.Stat(dest); err != nil || !fi.IsDir() {
			env.Errorf("tar", "can't change directory to '%s': %s", o.dir, "No such file or directory")
			return 1
		}
	}
	loc := zoneFromEnv(env)
	users, groups := loadIDs("passwd"), loadIDs("group")
	root := env.Sys.Getuid() == 0
	matched := make([]bool, len(o.members))
	extracted := map[string]bool{}
	var dirs []dirFix
	status := 0
	warned := false
	out := bufio.NewWriter(env.Stdout)
	defer out.Flush()
	fail := func(format string, args ...any) {
		out.Flush()
		env.Errorf("tar", format, args...)
		status = 1
	}
	unsafe := func(name string) string {
		n, removed := stripUnsafe(name)
		if removed != "" && !warned {
			warned = true
			out.Flush()
			env.Errorf("tar", "removing leading '%s' from member names", removed)
		}
		return n
	}
	clean := func(name string) (string, bool) {
		n := unsafe(name)
		if o.strip > 0 {
			parts := strings.Split(n, "/")
			k := 0
			for i := 0; i < o.strip; i++ {
				if k >= len(parts) || k == len(parts)-1 && parts[k] == "" {
					return "", false
				}
				k++
			}
			n = strings.Join(parts[k:], "/")
		}
		if n == "" {
			return "", false
		}
		return n, true
	}
	for {
		if ctx.Err() != nil {
			return 130
		}
		hdr, err := tr.Next()
		if err == io.EOF {
			if counter.n == 0 {
				fail("short read")
			}
			break
		}
		if err != nil {
			fail("%s", tarErr(err))
			break
		}
		switch hdr.Typeflag {
		case tar.TypeXGlobalHeader, 'V':
			continue
		}
		if o.verbose && o.mode == 'x' && !o.toStdout && o.strip > 0 {
			fmt.Fprintln(out, unsafe(hdr.Name))
		}
		name, ok := clean(hdr.Name)
		if !ok {
			continue
		}
		if len(o.members) > 0 {
			hit := false
			for i, m := range o.members {
				if memberMatch(m, name) {
					matched[i], hit = true, true
				}
			}
			if !hit {
				continue
			}
		}
		if excluded(o.excludes, name) {
			continue
		}
		if o.mode == 't' {
			if o.verbose {
				fmt.Fprintln(out, verboseLine(hdr, name, loc))
			} else {
				fmt.Fprintln(out, name)
			}
			continue
		}
		if o.toStdout {
			if hdr.Typeflag == tar.TypeReg || hdr.Typeflag == tar.TypeRegA {
				if _, err := io.Copy(out, tr); err != nil {
					fail("%s", tarErr(err))
					break
				}
			}
			continue
		}
		if o.verbose && o.strip == 0 {
			fmt.Fprintln(out, name)
		}
		if !within(name) {
			fail("skipping unsafe member '%s'", name)
			continue
		}
		target := filepath.Join(dest, filepath.FromSlash(name))
		if target == dest {
			if hdr.Typeflag == tar.TypeDir {
				dirs = append(dirs, dirFix{target, hdr})
			}
			continue
		}
		if !insideDir(dest, target) {
			fail("can't create '%s': path leads outside the destination", name)
			continue
		}
		if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
			fail("can't create directory '%s': %s", path.Dir(name), errText(err))
			continue
		}
		if !insideDir(dest, target) {
			fail("can't create '%s': path leads outside the destination", name)
			continue
		}
		existing, lerr := os.Lstat(target)
		exists := lerr == nil
		if exists && hdr.Typeflag != tar.TypeDir {
			if o.keep {
				fail("can't open '%s': File exists", name)
				continue
			}
			if existing.IsDir() {
				if err := os.Remove(target); err != nil {
					fail("can't remove '%s': %s", name, errText(err))
					continue
				}
			} else if err := os.Remove(target); err != nil {
				fail("can't remove '%s': %s", name, errText(err))
				continue
			}
		}
		switch hdr.Typeflag {
		case tar.TypeDir:
			if exists && !existing.IsDir() {
				if err := os.Remove(target); err != nil {
					fail("can't remove '%s': %s", name, errText(err))
					continue
				}
				exists = false
			}
			if !exists {
				if err := os.Mkdir(target, 0o700); err != nil {
					fail("can't make dir %s: %s", name, errText(err))
					continue
				}
			}
			dirs = append(dirs, dirFix{target, hdr})
			extracted[name] = true
			continue
		case tar.TypeReg, tar.TypeRegA, tar.TypeGNUSparse:
			f, err := os.OpenFile(target, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
			if err != nil {
				fail("can't open '%s': %s", name, errText(err))
				continue
			}
			_, err = io.Copy(ctxWriter{ctx, f}, tr)
			if cerr := f.Close(); err == nil {
				err = cerr
			}
			if err != nil {
				if ctx.Err() != nil {
					return 130
				}
				fail("%s: %s", name, tarErr(err))
				break
			}
		case tar.TypeSymlink:
			if err := os.Symlink(hdr.Linkname, target); err != nil {
				fail("can't create symlink '%s' to '%s': %s", name, hdr.Linkname, errText(err))
				continue
			}
		case tar.TypeLink:
			ln, ok := clean(hdr.Linkname)
			if !ok || !within(ln) || !extracted[ln] {
				fail("can't create hardlink '%s' to '%s': not an earlier member", name, hdr.Linkname)
				continue
			}
			src := filepath.Join(dest, filepath.FromSlash(ln))
			if !insideDir(dest, src) {
				fail("can't create hardlink '%s': path leads outside the destination", name)
				continue
			}
			if err := os.Link(src, target); err != nil {
				fail("can't create hardlink '%s' to '%s': %s", name, ln, errText(err))
				continue
			}
			extracted[name] = true
			continue
		case tar.TypeFifo:
			if err := env.Sys.Mkfifo(target, fs.FileMode(hdr.Mode).Perm()); err != nil {
				fail("can't create fifo '%s': %s", name, errText(err))
				continue
			}
		case tar.TypeChar, tar.TypeBlock:
			fail("can't create node %s: Operation not permitted", name)
			continue
		default:
			fail("unknown typeflag: 0x%x", hdr.Typeflag)
			continue
		}
		extracted[name] = true
		applyMeta(env, o, target, hdr, users, groups, root)
	}
	for i := len(dirs) - 1; i >= 0; i-- {
		applyMeta(env, o, dirs[i].path, dirs[i].hdr, users, groups, root)
	}
	for i, m := range o.members {
		if !matched[i] {
			fail("%s: not found in archive", m)
		}
	}
	return status
}

func tarErr(err error) string {
	if errors.Is(err, io.ErrUnexpectedEOF) {
		return "short read"
	}
	if errors.Is(err, tar.ErrHeader) {
		return "invalid tar magic"
	}
	return err.Error()
}

// memberMatch reports whether an archive name is selected by a FILE
// operand: the same name, a name under it, or a glob match.
func memberMatch(pattern, name string) bool {
	p := strings.TrimSuffix(pattern, "/")
	n := strings.TrimSuffix(name, "/")
	if p == n || strings.HasPrefix(n, p+"/") {
		return true
	}
	if ok, _ := path.Match(p, n); ok {
		return true
	}
	return false
}

func applyMeta(env *builtins.Env, o *tarOpts, target string, hdr *tar.Header, users, groups idNames, root bool) {
	symlink := hdr.Typeflag == tar.TypeSymlink
	if root && !o.noOwner {
		uid, gid := hdr.Uid, hdr.Gid
		if !o.numeric {
			if id, ok := users.byName[hdr.Uname]; ok && hdr.Uname != "" {
				uid = id
			}
			if id, ok := groups.byName[hdr.Gname]; ok && hdr.Gname != "" {
				gid = id
			}
		}
		env.Sys.Lchown(target, uid, gid)
	}
	if !symlink {
		mode := fs.FileMode(hdr.Mode).Perm()
		if hdr.Mode&04000 != 0 {
			mode |= fs.ModeSetuid
		}
		if hdr.Mode&02000 != 0 {
			mode |= fs.ModeSetgid
		}
		if hdr.Mode&01000 != 0 {
			mode |= fs.ModeSticky
		}
		if o.noPerms {
			mode &^= 0o022
		}
		env.Sys.Chmod(target, mode)
		if !o.noMtime {
			os.Chtimes(target, hdr.ModTime, hdr.ModTime)
		}
	}
}

// verboseLine is busybox's "tar -tv" line.
func verboseLine(hdr *tar.Header, name string, loc *time.Location) string {
	user, group := hdr.Uname, hdr.Gname
	if user == "" {
		user = strconv.Itoa(hdr.Uid)
	}
	if group == "" {
		group = strconv.Itoa(hdr.Gid)
	}
	size := hdr.Size
	if hdr.Typeflag == tar.TypeLink || hdr.Typeflag == tar.TypeSymlink {
		size = 0
	}
	t := hdr.ModTime.In(loc)
	s := fmt.Sprintf("%s %s/%s %9d %04d-%02d-%02d %02d:%02d:%02d %s", modeString(hdr), user, group, size,
		t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), name)
	if hdr.Typeflag == tar.TypeSymlink || hdr.Typeflag == tar.TypeLink {
		s += " -> " + hdr.Linkname
	}
	return s
}

func modeString(hdr *tar.Header) string {
	b := []byte("----------")
	switch hdr.Typeflag {
	case tar.TypeDir:
		b[0] = 'd'
	case tar.TypeSymlink:
		b[0] = 'l'
	case tar.TypeChar:
		b[0] = 'c'
	case tar.TypeBlock:
		b[0] = 'b'
	case tar.TypeFifo:
		b[0] = 'p'
	}
	m := hdr.Mode
	rwx := "rwxrwxrwx"
	for i := 0; i < 9; i++ {
		if m&(1<<uint(8-i)) != 0 {
			b[i+1] = rwx[i]
		}
	}
	special := func(bit int64, pos int, set, unset byte) {
		if m&bit != 0 {
			if b[pos] == '-' {
				b[pos] = unset
			} else {
				b[pos] = set
			}
		}
	}
	special(04000, 3, 's', 'S')
	special(02000, 6, 's', 'S')
	special(01000, 9, 't', 'T')
	return string(b)
}

// zoneFromEnv is the time zone for listings: $TZ, else /etc/localtime.
func zoneFromEnv(env *builtins.Env) *time.Location {
	tz, ok := env.LookupEnv("TZ")
	if !ok {
		if b, err := os.ReadFile(filepath.Join(etcRoot, "localtime")); err == nil {
			if loc, err := time.LoadLocationFromTZData("Local", b); err == nil {
				return loc
			}
		}
		return time.Local
	}
	tz = strings.TrimPrefix(tz, ":")
	if tz == "" || strings.Contains(tz, "..") {
		return time.UTC
	}
	if b, err := os.ReadFile(filepath.Join("/usr/share/zoneinfo", tz)); err == nil {
		if loc, err := time.LoadLocationFromTZData(tz, b); err == nil {
			return loc
		}
	}
	return time.UTC
}
