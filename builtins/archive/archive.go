// Package archive holds tar, gzip, gunzip, zcat and unzip, built on the
// standard library's archive/tar, compress/gzip and archive/zip.
//
// Extraction is confined to its destination: names are stripped of
// leading "/" and "../" like busybox does, a member that would still land
// outside the destination or be written through a symlink leading out of
// it is refused, and hard links may only point at earlier members.
// Permission bits and owners go through [builtins.Sys], never package os.
package archive

import (
	"bufio"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"
)

// etcRoot is where /etc/passwd and /etc/group are read from.
var etcRoot = "/etc"

// idNames maps ids to names and back from /etc/passwd or /etc/group.
type idNames struct {
	byID   map[int]string
	byName map[string]int
}

func loadIDs(file string) idNames {
	n := idNames{byID: map[int]string{}, byName: map[string]int{}}
	f, err := os.Open(filepath.Join(etcRoot, file))
	if err != nil {
		return n
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Split(sc.Text(), ":")
		if len(fields) < 3 {
			continue
		}
		id, err := strconv.Atoi(fields[2])
		if err != nil {
			continue
		}
		if _, dup := n.byID[id]; !dup {
			n.byID[id] = fields[0]
		}
		if _, dup := n.byName[fields[0]]; !dup {
			n.byName[fields[0]] = id
		}
	}
	return n
}

// errText turns an os error into the libc message busybox prints.
func errText(err error) string {
	switch {
	case os.IsNotExist(err):
		return "No such file or directory"
	case os.IsPermission(err):
		return "Permission denied"
	case os.IsExist(err):
		return "File exists"
	}
	if pe, ok := err.(*os.PathError); ok {
		return pe.Err.Error()
	}
	if le, ok := err.(*os.LinkError); ok {
		return le.Err.Error()
	}
	return err.Error()
}

// stripUnsafe removes leading "/" and everything up to the last "/../"
// like busybox's strip_unsafe_prefix; it returns the removed prefix.
func stripUnsafe(name string) (string, string) {
	cp := 0
	for {
		rest := name[cp:]
		if strings.HasPrefix(rest, "/") {
			cp++
			continue
		}
		if strings.HasPrefix(rest, "../") {
			cp += 3
			continue
		}
		i := strings.Index(rest, "/../")
		if i < 0 {
			break
		}
		cp += i + 4
	}
	return name[cp:], name[:cp]
}

// within reports whether the slash-separated relative name stays inside
// its root once cleaned.
func within(name string) bool {
	c := path.Clean(name)
	return c != ".." && !strings.HasPrefix(c, "../") && !path.IsAbs(c)
}

// insideDir reports whether target, after resolving symlinks in its
// parent, is inside root (itself resolved).
func insideDir(root, target string) bool {
	rr, err := filepath.EvalSymlinks(root)
	if err != nil {
		rr = root
	}
	parent := filepath.Dir(target)
	// resolve the longest existing prefix of parent
	rest := ""
	for {
		if rp, err := filepath.EvalSymlinks(parent); err == nil {
			full := filepath.Join(rp, rest)
			rel, err := filepath.Rel(rr, full)
			return err == nil && rel != ".." && !strings.HasPrefix(rel, "../")
		}
		if _, err := os.Lstat(parent); err == nil {
			return false // exists but does not resolve: a dangling symlink
		}
		if parent == filepath.Dir(parent) {
			return false
		}
		rest = filepath.Join(filepath.Base(parent), rest)
		parent = filepath.Dir(parent)
	}
}
