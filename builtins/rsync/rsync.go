// Package rsync is the sandbox's `rsync`: the local-copy subset that CI
// helpers use (gitlab-ci-local's artifact and cache steps run
// `rsync --exclude '.gitlab-ci-local/**' -rRa --files-from=F . /artifacts/job/.`
// and `rsync -Ra ./path /cache/key/.`; its host side runs
// `rsync -a --delete-excluded --delete --exclude-from=F ./ dir/`).
//
// It copies between local paths only: archive mode and its parts (-rlptgoD),
// --relative with "/./" markers, --files-from, --exclude/--include and
// their -from files, --delete/--delete-excluded, rsync's trailing-slash
// rules and its quick check (size + mtime). It has no remote shell, daemon
// or delta-transfer code and must not grow any: a remote source or
// destination is refused with a clear error.
package rsync

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/sockerless/sockerless/builtins"
	"github.com/spf13/pflag"
)

func init() {
	builtins.Register(&builtins.Command{Name: "rsync", Usage: usage, Run: run})
}

const usage = `Usage: rsync [OPTION]... SRC [SRC]... DEST

Copy files between local paths (the sandbox's rsync has no remote transfer).

	-a, --archive          same as -rlptgoD
	-r, --recursive        recurse into directories
	-R, --relative         use relative path names (a "/./" marks where they start)
	-d, --dirs             transfer directories without recursing
	-l, --links            copy symlinks as symlinks
	-L, --copy-links       transform symlinks into their referents
	-p, --perms            preserve permissions
	-t, --times            preserve modification times
	-o, --owner            preserve owner
	-g, --group            preserve group
	-D                     same as --devices --specials (fifos only)
	-I, --ignore-times     don't skip files that match size and time
	-c, --checksum         compare contents, not size and time
	-u, --update           skip files that are newer on the receiver
	-v, --verbose          list the transferred files
	-q, --quiet            suppress non-error messages
	--delete               delete extraneous files from destination dirs
	--delete-excluded      also delete excluded files from destination dirs
	--exclude=PATTERN      exclude files matching PATTERN
	--exclude-from=FILE    read exclude patterns from FILE
	--include=PATTERN      don't exclude files matching PATTERN
	--include-from=FILE    read include patterns from FILE
	--files-from=FILE      read the list of source file names from FILE (- for stdin)
	--mkpath               create the destination's missing path components`

// umask is applied to new files and directories when permissions are not
// preserved: the process's file creation mask.
func umask(env *builtins.Env) fs.FileMode { return env.Sys.Umask() & 0o777 }

// Exit statuses, as rsync documents them.
const (
	exitSyntax  = 1
	exitFileIO  = 11
	exitPartial = 23
)

type ruleSpec struct {
	pat     string
	include bool
	from    bool // pat is a file of patterns
}

// ruleFlag appends to one ordered list, so that --include and --exclude
// keep their relative order as rsync's first-match rule list requires.
type ruleFlag struct {
	list          *[]ruleSpec
	include, from bool
}

func (f ruleFlag) String() string { return "" }
func (f ruleFlag) Type() string   { return "string" }
func (f ruleFlag) Set(s string) error {
	*f.list = append(*f.list, ruleSpec{s, f.include, f.from})
	return nil
}

type options struct {
	recursive, relative, dirs, links, copyLinks, perms, times bool
	owner, group, specials, ignoreTimes, checksum, update     bool
	quiet, del, delExcluded, mkpath                           bool
	verbose                                                   int
}

type syncer struct {
	ctx    context.Context
	env    *builtins.Env
	o      options
	filt   filters
	status int
	// dirTimes are directory times set once everything is written (a
	// directory's mtime changes while entries are added to it).
	dirTimes []dirTime
}

type dirTime struct {
	path string
	t    time.Time
}

func run(ctx context.Context, env *builtins.Env, args []string) int {
	var o options
	var archive, devs, help bool
	var rules []ruleSpec
	var filesFrom string
	fl := builtins.Flags(env, "rsync")
	fl.BoolVarP(&archive, "archive", "a", false, "")
	fl.BoolVarP(&o.recursive, "recursive", "r", false, "")
	fl.BoolVarP(&o.relative, "relative", "R", false, "")
	fl.BoolVarP(&o.dirs, "dirs", "d", false, "")
	fl.BoolVarP(&o.links, "links", "l", false, "")
	fl.BoolVarP(&o.copyLinks, "copy-links", "L", false, "")
	fl.BoolVarP(&o.perms, "perms", "p", false, "")
	fl.BoolVarP(&o.times, "times", "t", false, "")
	fl.BoolVarP(&o.owner, "owner", "o", false, "")
	fl.BoolVarP(&o.group, "group", "g", false, "")
	fl.BoolVarP(&devs, "devices-and-specials", "D", false, "")
	fl.BoolVar(&o.specials, "specials", false, "")
	fl.Bool("devices", false, "")
	fl.BoolVarP(&o.ignoreTimes, "ignore-times", "I", false, "")
	fl.BoolVarP(&o.checksum, "checksum", "c", false, "")
	fl.BoolVarP(&o.update, "update", "u", false, "")
	fl.CountVarP(&o.verbose, "verbose", "v", "")
	fl.BoolVarP(&o.quiet, "quiet", "q", false, "")
	fl.BoolVar(&o.del, "delete", false, "")
	fl.BoolVar(&o.delExcluded, "delete-excluded", false, "")
	fl.BoolVar(&o.mkpath, "mkpath", false, "")
	fl.Var(ruleFlag{&rules, false, false}, "exclude", "")
	fl.Var(ruleFlag{&rules, false, true}, "exclude-from", "")
	fl.Var(ruleFlag{&rules, true, false}, "include", "")
	fl.Var(ruleFlag{&rules, true, true}, "include-from", "")
	fl.StringVar(&filesFrom, "files-from", "", "")
	// Accepted and meaningless for a local copy.
	fl.BoolP("compress", "z", false, "")
	fl.BoolP("human-readable", "h", false, "")
	fl.Bool("progress", false, "")
	fl.Bool("stats", false, "")
	fl.Bool("partial", false, "")
	fl.BoolP("whole-file", "W", false, "")
	fl.BoolVar(&help, "help", false, "")
	if st, ok := builtins.ParseFlags(env, fl, args[1:]); !ok {
		return st
	}
	if help {
		fmt.Fprintln(env.Stdout, usage)
		return 0
	}
	if archive {
		o.recursive, o.links, o.perms, o.times, o.owner, o.group, o.specials = true, true, true, true, true, true, true
	}
	if devs {
		o.specials = true
	}
	if o.delExcluded {
		o.del = true
	}
	s := &syncer{ctx: ctx, env: env, o: o}
	for _, r := range rules {
		pats := []string{r.pat}
		if r.from {
			var err error
			if pats, err = s.readList(r.pat, true); err != nil {
				env.Errorf("rsync", "failed to open %s file %s: %s (%d)", map[bool]string{true: "include", false: "exclude"}[r.include], r.pat, errText(err), errno(err))
				return exitFileIO
			}
		}
		for _, p := range pats {
			// A "+ " or "- " prefix picks the rule's kind, as in rsync.
			inc := r.include
			if strings.HasPrefix(p, "+ ") {
				inc, p = true, p[2:]
			} else if strings.HasPrefix(p, "- ") {
				inc, p = false, p[2:]
			}
			rl, ok := newRule(p, inc)
			if !ok {
				continue
			}
			s.filt = append(s.filt, rl)
		}
	}

	ops := fl.Args()
	if len(ops) < 2 {
		if len(ops) == 1 {
			env.Errorf("rsync", "listing files (a single SRC) is not supported by the sandbox's rsync; give a DEST")
		} else {
			fmt.Fprintln(env.Stderr, usage)
		}
		return exitSyntax
	}
	srcs, dest := ops[:len(ops)-1], ops[len(ops)-1]
	for _, p := range ops {
		if isRemote(p) {
			env.Errorf("rsync", "%s: remote transfers are not supported in the sandbox: rsync copies between local paths only", p)
			return exitSyntax
		}
	}
	var list []string
	if filesFrom != "" {
		if len(srcs) != 1 {
			env.Errorf("rsync", "--files-from needs exactly one source directory")
			return exitSyntax
		}
		var err error
		if list, err = s.readList(filesFrom, false); err != nil {
			env.Errorf("rsync", "failed to open files-from file %s: %s (%d)", filesFrom, errText(err), errno(err))
			return exitFileIO
		}
		s.o.relative = true
		s.o.dirs = true
	}

	// The destination is a directory unless one non-directory source goes
	// to a name that is not an existing directory and has no trailing "/".
	destDir := strings.HasSuffix(dest, "/") || strings.HasSuffix(dest, "/.") || dest == "." ||
		len(srcs) > 1 || s.o.relative || filesFrom != ""
	if fi, err := os.Stat(env.Abs(dest)); err == nil && fi.IsDir() {
		destDir = true
	}
	if !destDir && len(srcs) == 1 {
		if fi, err := s.stat(env.Abs(srcs[0])); err == nil && fi.IsDir() && (s.o.recursive || s.o.dirs) {
			destDir = true
		}
	}
	adest := env.Abs(dest)
	if destDir {
		if _, err := os.Lstat(adest); errors.Is(err, fs.ErrNotExist) {
			mk := os.Mkdir
			if strings.HasSuffix(dest, "/.") && !s.o.mkpath {
				// rsync calls mkdir("x/."), which fails.
				mk = func(string, fs.FileMode) error { return syscall.ENOENT }
			}
			if s.o.mkpath {
				mk = os.MkdirAll
			}
			if err := mk(adest, 0o755); err != nil {
				env.Errorf("rsync", "[Receiver] mkdir %q failed: %s (%d)", dest, errText(err), errno(err))
				env.Errorf("rsync", "error in file IO (code 11) at main.c(%d) [Receiver=3.2.7]", 0)
				return exitFileIO
			}
			s.verbosef("created directory %s\n", dest)
		}
	} else if s.o.mkpath {
		os.MkdirAll(filepath.Dir(adest), 0o755)
	}
	if s.o.verbose > 0 {
		fmt.Fprintln(env.Stdout, "sending incremental file list")
	}

	if filesFrom != "" {
		base := env.Abs(srcs[0])
		s.rootAttrs(base, adest)
		for _, name := range list {
			rel := cleanRel(name)
			if rel == "" {
				continue
			}
			s.relativeOne(base, rel, adest)
		}
	} else {
		for _, src := range srcs {
			if ctx.Err() != nil {
				return exitPartial
			}
			if s.o.relative {
				base, rel := splitRelative(src)
				if strings.HasPrefix(src, "./") || src == "." {
					s.rootAttrs(env.Abs(base), adest)
				}
				if rel == "" {
					s.transfer(env.Abs(base), adest, "", true)
					continue
				}
				s.relativeOne(env.Abs(base), rel, adest)
				continue
			}
			asrc := env.Abs(src)
			contents := strings.HasSuffix(src, "/") || src == "." || strings.HasSuffix(src, "/.")
			if contents {
				if fi, err := s.stat(asrc); err == nil && fi.IsDir() {
					s.transfer(asrc, adest, "", true)
					continue
				}
			}
			name := path.Base(filepath.ToSlash(filepath.Clean(src)))
			dst := adest
			if destDir {
				dst = filepath.Join(adest, name)
			}
			s.transfer(asrc, dst, name, false)
		}
	}
	for i := len(s.dirTimes) - 1; i >= 0; i-- {
		os.Chtimes(s.dirTimes[i].path, s.dirTimes[i].t, s.dirTimes[i].t)
	}
	if s.o.verbose > 0 {
		fmt.Fprintln(env.Stdout)
		fmt.Fprintln(env.Stdout, "sent 0 bytes  received 0 bytes  0.00 bytes/sec")
		fmt.Fprintln(env.Stdout, "total size is 0  speedup is 0.00")
	}
	if s.status != 0 {
		env.Errorf("rsync", "error: some files/attrs were not transferred (see previous errors) (code 23) at main.c(1338) [sender=3.2.7]")
	}
	return s.status
}

// isRemote reports whether an operand names a remote host (host:path,
// host::module, rsync://).
func isRemote(p string) bool {
	if strings.HasPrefix(p, "rsync://") {
		return true
	}
	i := strings.IndexByte(p, ':')
	return i > 0 && !strings.Contains(p[:i], "/")
}

// splitRelative splits a --relative source into the directory the names
// are relative to and the relative part: "/a/./b/c" -> ("/a", "b/c"),
// "a/b" -> (".", "a/b"), "/a/b" -> ("/", "a/b").
func splitRelative(src string) (base, rel string) {
	if i := strings.Index(src, "/./"); i >= 0 {
		base, rel = src[:i], src[i+3:]
		if base == "" {
			base = "/"
		}
	} else if strings.HasPrefix(src, "/") {
		base, rel = "/", src
	} else {
		base, rel = ".", src
	}
	return base, cleanRel(rel)
}

// cleanRel makes a relative transfer name: no leading "/" or "./", no
// trailing "/", "" for the root itself.
func cleanRel(name string) string {
	c := path.Clean("/" + filepath.ToSlash(name))
	c = strings.TrimPrefix(c, "/")
	if c == "." {
		return ""
	}
	return c
}

// rootAttrs gives the destination directory the attributes of the
// directory relative names start from, as rsync does when it sends "." .
func (s *syncer) rootAttrs(base, adest string) {
	if fi, err := s.stat(base); err == nil && fi.IsDir() {
		s.attrs(adest, fi, false, true)
	}
}

// relativeOne transfers base/rel to dest/rel, creating the implied
// directories of rel first (with their source attributes).
func (s *syncer) relativeOne(base, rel, adest string) {
	parts := strings.Split(rel, "/")
	// Nothing is made for a name that is excluded, or below an excluded dir.
	for i := 1; i < len(parts); i++ {
		if s.filt.excluded(strings.Join(parts[:i], "/"), true) {
			return
		}
	}
	if fi, err := s.stat(filepath.Join(base, rel)); err == nil && s.filt.excluded(rel, fi.IsDir()) {
		return
	}
	for i := 1; i < len(parts); i++ {
		prel := strings.Join(parts[:i], "/")
		src, dst := filepath.Join(base, prel), filepath.Join(adest, prel)
		fi, err := s.stat(src)
		if err != nil {
			break // the final lstat reports it
		}
		if !fi.IsDir() {
			break
		}
		if di, err := os.Lstat(dst); err == nil && di.IsDir() {
			continue
		}
		if s.ensureDir(dst, prel) {
			s.listName(prel + "/")
			s.attrs(dst, fi, true, true)
		}
	}
	s.transfer(filepath.Join(base, rel), filepath.Join(adest, rel), rel, false)
}

func (s *syncer) stat(name string) (fs.FileInfo, error) {
	if s.o.copyLinks {
		return s.env.Sys.Stat(name)
	}
	return s.env.Sys.Lstat(name)
}

func (s *syncer) fail(format string, args ...any) {
	fmt.Fprintf(s.env.Stderr, "rsync: "+format+"\n", args...)
	s.status = exitPartial
}

func (s *syncer) verbosef(format string, args ...any) {
	if s.o.verbose > 0 && !s.o.quiet {
		fmt.Fprintf(s.env.Stdout, format, args...)
	}
}

func (s *syncer) listName(rel string) { s.verbosef("%s\n", rel) }

// transfer copies src to dst. rel is src's name below the transfer root
// ("" for the root of a "dir/" transfer, which is never filtered).
func (s *syncer) transfer(src, dst, rel string, root bool) {
	if s.ctx.Err() != nil {
		s.status = exitPartial
		return
	}
	si, err := s.stat(src)
	if err != nil {
		s.fail("[sender] link_stat %q failed: %s (%d)", src, errText(err), errno(err))
		return
	}
	if rel != "" && s.filt.excluded(rel, si.IsDir()) {
		return
	}
	di, derr := os.Lstat(dst)
	exists := derr == nil
	switch m := si.Mode(); {
	case m.IsDir():
		if !s.o.recursive && !s.o.dirs {
			if !s.o.quiet {
				fmt.Fprintf(s.env.Stdout, "skipping directory %s\n", displayName(rel, src))
			}
			return
		}
		created := false
		if !exists || !di.IsDir() {
			if exists && !s.removeForReplace(dst, di) {
				return
			}
			if !s.ensureDir(dst, rel) {
				return
			}
			created = true
		}
		if rel != "" || created {
			s.listName(dirName(rel))
		}
		if s.o.recursive {
			ents, err := os.ReadDir(src)
			if err != nil {
				s.fail("opendir %q failed: %s (%d)", src, errText(err), errno(err))
			}
			names := map[string]bool{}
			for _, e := range ents {
				names[e.Name()] = true
				s.transfer(filepath.Join(src, e.Name()), filepath.Join(dst, e.Name()), join(rel, e.Name()), false)
			}
			if s.o.del && err == nil {
				s.deleteExtraneous(dst, rel, names)
			}
		}
		s.attrs(dst, si, created, true)
	case m&fs.ModeSymlink != 0:
		if !s.o.links {
			if !s.o.quiet {
				fmt.Fprintf(s.env.Stdout, "skipping non-regular file %q\n", displayName(rel, src))
			}
			return
		}
		target, err := os.Readlink(src)
		if err != nil {
			s.fail("readlink %q failed: %s (%d)", src, errText(err), errno(err))
			return
		}
		if exists && di.Mode()&fs.ModeSymlink != 0 {
			if t, err := os.Readlink(dst); err == nil && t == target {
				return
			}
		}
		if exists && !s.removeForReplace(dst, di) {
			return
		}
		s.listName(displayName(rel, src) + " -> " + target)
		if err := os.Symlink(target, dst); err != nil {
			s.fail("symlink %q -> %q failed: %s (%d)", dst, target, errText(err), errno(err))
			return
		}
		if s.o.owner || s.o.group {
			st := statT(si)
			uid, gid := -1, -1
			if s.o.owner {
				uid = int(st.Uid)
			}
			if s.o.group {
				gid = int(st.Gid)
			}
			s.env.Sys.Lchown(dst, uid, gid)
		}
	case m.IsRegular():
		if exists && di.Mode().IsRegular() && s.upToDate(src, si, dst, di) {
			s.attrs(dst, si, false, false)
			return
		}
		if exists && !di.Mode().IsRegular() && !s.removeForReplace(dst, di) {
			return
		}
		s.listName(displayName(rel, src))
		if err := s.copyFile(src, dst); err != nil {
			s.fail("%s", err)
			return
		}
		s.attrs(dst, si, !exists || !di.Mode().IsRegular(), false)
	case m&fs.ModeNamedPipe != 0 && s.o.specials:
		if exists && !s.removeForReplace(dst, di) {
			return
		}
		s.listName(displayName(rel, src))
		if err := s.env.Sys.Mkfifo(dst, m.Perm()&^umask(s.env)); err != nil {
			s.fail("mknod %q failed: %s (%d)", dst, errText(err), errno(err))
			return
		}
		s.attrs(dst, si, true, false)
	default:
		if !s.o.quiet {
			fmt.Fprintf(s.env.Stdout, "skipping non-regular file %q\n", displayName(rel, src))
		}
	}
}

func displayName(rel, src string) string {
	if rel == "" {
		return filepath.Base(src)
	}
	return rel
}

func dirName(rel string) string {
	if rel == "" {
		return "./"
	}
	return rel + "/"
}

func join(rel, name string) string {
	if rel == "" {
		return name
	}
	return rel + "/" + name
}

// ensureDir creates dst (mode fixed later by attrs).
func (s *syncer) ensureDir(dst, rel string) bool {
	if err := os.Mkdir(dst, 0o700); err != nil && !errors.Is(err, fs.ErrExist) {
		s.fail("recv_generator: mkdir %q failed: %s (%d)", dst, errText(err), errno(err))
		return false
	}
	return true
}

// removeForReplace removes dst so that an entry of another type can take
// its place; a non-empty directory is only removed with --delete, as rsync does.
func (s *syncer) removeForReplace(dst string, di fs.FileInfo) bool {
	var err error
	if di.IsDir() {
		if s.o.del {
			err = os.RemoveAll(dst)
		} else {
			err = os.Remove(dst)
		}
	} else {
		err = os.Remove(dst)
	}
	if err != nil {
		s.fail("delete_file: rmdir(%s) failed: %s (%d)", dst, errText(err), errno(err))
		return false
	}
	return true
}

// deleteExtraneous removes what dst holds and the source directory does
// not; excluded names are kept unless --delete-excluded.
func (s *syncer) deleteExtraneous(dst, rel string, keep map[string]bool) {
	ents, err := os.ReadDir(dst)
	if err != nil {
		return
	}
	var gone []string
	for _, e := range ents {
		name := e.Name()
		r := join(rel, name)
		isDir := e.IsDir()
		excl := s.filt.excluded(r, isDir)
		if keep[name] && !(excl && s.o.delExcluded) {
			continue
		}
		if excl && !s.o.delExcluded {
			continue
		}
		gone = append(gone, name)
	}
	slices.Sort(gone)
	for _, name := range gone {
		p := filepath.Join(dst, name)
		if err := os.RemoveAll(p); err != nil {
			s.fail("delete_file: unlink(%s) failed: %s (%d)", p, errText(err), errno(err))
			continue
		}
		s.verbosef("deleting %s\n", join(rel, name))
	}
}

// upToDate is rsync's quick check: same size and modification time.
func (s *syncer) upToDate(src string, si fs.FileInfo, dst string, di fs.FileInfo) bool {
	if s.o.update && di.ModTime().After(si.ModTime()) {
		return true
	}
	if s.o.ignoreTimes {
		return false
	}
	if si.Size() != di.Size() {
		return false
	}
	if s.o.checksum {
		a, err1 := os.ReadFile(src)
		b, err2 := os.ReadFile(dst)
		return err1 == nil && err2 == nil && string(a) == string(b)
	}
	return si.ModTime().Equal(di.ModTime())
}

// copyFile writes src's data to a temporary file next to dst and renames
// it into place, as rsync does.
func (s *syncer) copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return fmt.Errorf("send_files failed to open %q: %s (%d)", src, errText(err), errno(err))
	}
	defer in.Close()
	tmp := filepath.Join(filepath.Dir(dst), "."+filepath.Base(dst)+".sockerless-rsync")
	out, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return fmt.Errorf("mkstemp %q failed: %s (%d)", tmp, errText(err), errno(err))
	}
	_, err = io.Copy(out, ctxReader{s.ctx, in})
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, dst)
	}
	if err != nil {
		os.Remove(tmp)
		return fmt.Errorf("write %q failed: %s (%d)", dst, errText(err), errno(err))
	}
	return nil
}

// attrs applies si's owner, permissions and time to dst. Without -p a new
// entry gets the source permissions minus the umask and an existing one
// keeps its own.
func (s *syncer) attrs(dst string, si fs.FileInfo, created, dir bool) {
	st := statT(si)
	if s.o.owner || s.o.group {
		uid, gid := -1, -1
		if s.o.owner {
			uid = int(st.Uid)
		}
		if s.o.group {
			gid = int(st.Gid)
		}
		s.env.Sys.Lchown(dst, uid, gid)
	}
	perm := permBits(si.Mode())
	if s.o.perms {
		s.env.Sys.Chmod(dst, perm)
	} else if created {
		s.env.Sys.Chmod(dst, perm&^umask(s.env))
	}
	if s.o.times {
		if dir {
			s.dirTimes = append(s.dirTimes, dirTime{dst, si.ModTime()})
		} else {
			os.Chtimes(dst, si.ModTime(), si.ModTime())
		}
	}
}

func permBits(m fs.FileMode) fs.FileMode {
	return m & (fs.ModePerm | fs.ModeSetuid | fs.ModeSetgid | fs.ModeSticky)
}

func statT(fi fs.FileInfo) *builtins.StatT {
	if st, ok := fi.Sys().(*builtins.StatT); ok && st != nil {
		return st
	}
	return &builtins.StatT{}
}

// readList reads a --files-from or --exclude-from file ("-" is stdin):
// one name per line, blank lines and lines starting with "#" or ";"
// ignored (for filter files; a files-from list keeps them as names too
// in rsync only when they are not comments, which is the same rule).
func (s *syncer) readList(name string, rules bool) ([]string, error) {
	var r io.Reader
	if name == "-" {
		r = s.env.Stdin
	} else {
		f, err := os.Open(s.env.Abs(name))
		if err != nil {
			return nil, err
		}
		defer f.Close()
		r = f
	}
	var out []string
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	for sc.Scan() {
		line := strings.TrimRight(sc.Text(), "\r")
		if line == "" || strings.HasPrefix(line, "#") || strings.HasPrefix(line, ";") {
			continue
		}
		if rules {
			line = strings.TrimRight(line, " ")
		}
		out = append(out, line)
	}
	return out, sc.Err()
}

type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (r ctxReader) Read(p []byte) (int, error) {
	if err := r.ctx.Err(); err != nil {
		return 0, err
	}
	return r.r.Read(p)
}

// errText renders an error the way rsync's messages do ("No such file or
// directory").
func errText(err error) string {
	var errno syscall.Errno
	if errors.As(err, &errno) {
		s := errno.Error()
		if s != "" {
			return strings.ToUpper(s[:1]) + s[1:]
		}
	}
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return "No such file or directory"
	case errors.Is(err, fs.ErrPermission):
		return "Permission denied"
	case errors.Is(err, fs.ErrExist):
		return "File exists"
	}
	return err.Error()
}

func errno(err error) int {
	var e syscall.Errno
	if errors.As(err, &e) {
		return int(e)
	}
	if errors.Is(err, fs.ErrNotExist) {
		return 2
	}
	return 0
}

var _ pflag.Value = ruleFlag{}
