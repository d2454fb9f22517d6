package files

import (
	"context"
	"io/fs"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/sockerless/sockerless/builtins"
	"github.com/sockerless/sockerless/builtins/cmdtest"
)

// fakeSys behaves like the sandbox's Sys for a non-root user: it reports
// owners and modes from its own table (package os sees none) and records
// chmod/chown calls instead of making them.
type fakeSys struct {
	builtins.NativeSys
	mu    sync.Mutex
	owner map[string][2]uint32
	mode  map[string]fs.FileMode
	calls []string
}

type fakeInfo struct {
	fs.FileInfo
	mode fs.FileMode
	st   *builtins.StatT
}

func (i fakeInfo) Mode() fs.FileMode { return i.mode }
func (i fakeInfo) Sys() any          { return i.st }

func (s *fakeSys) wrap(name string, fi fs.FileInfo, err error) (fs.FileInfo, error) {
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	st := *statT(fi)
	st.Uid, st.Gid = 1000, 1000
	if o, ok := s.owner[name]; ok {
		st.Uid, st.Gid = o[0], o[1]
	}
	mode := fi.Mode()
	if m, ok := s.mode[name]; ok {
		mode = mode&fs.ModeType | m
	}
	return fakeInfo{fi, mode, &st}, nil
}

func (s *fakeSys) Stat(name string) (fs.FileInfo, error) {
	fi, err := s.NativeSys.Stat(name)
	return s.wrap(name, fi, err)
}

func (s *fakeSys) Lstat(name string) (fs.FileInfo, error) {
	fi, err := s.NativeSys.Lstat(name)
	return s.wrap(name, fi, err)
}

func (s *fakeSys) Chmod(name string, m fs.FileMode) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.mode[name] = m
	s.calls = append(s.calls, "chmod "+name+" "+m.String())
	return nil
}

func (s *fakeSys) Chown(name string, uid, gid int) error {
	return s.chown("chown", name, uid, gid)
}

func (s *fakeSys) Lchown(name string, uid, gid int) error {
	return s.chown("lchown", name, uid, gid)
}

func (s *fakeSys) chown(op, name string, uid, gid int) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.owner[name] = [2]uint32{uint32(uid), uint32(gid)}
	s.calls = append(s.calls, op+" "+name)
	return nil
}

func runFake(t *testing.T, sys *fakeSys, dir string, args ...string) cmdtest.Result {
	t.Helper()
	var out, errb strings.Builder
	env := &builtins.Env{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb, Dir: dir, Sys: sys,
		Environ: []string{"PATH=/bin"}}
	status := builtins.Run(context.Background(), env, args)
	return cmdtest.Result{Stdout: out.String(), Stderr: errb.String(), Status: status}
}

func newFake() *fakeSys {
	return &fakeSys{owner: map[string][2]uint32{}, mode: map[string]fs.FileMode{}}
}

// Owners and modes must come from Sys, never from package os.
func TestOwnersFromSys(t *testing.T) {
	dir := mkTree(t, stdTree)
	sys := newFake()
	sys.owner[dir+"/a"] = [2]uint32{1, 2}             // daemon:bin in /etc/passwd, /etc/group
	sys.owner[dir+"/b.txt"] = [2]uint32{54321, 54322} // unknown: numeric fallback
	sys.mode[dir+"/a"] = goPerm(0o4751)
	r := runFake(t, sys, dir, "ls", "-l", "a", "b.txt")
	want := "-rwsr-x--x    1 daemon   bin              6 Mar  4  2020 a\n" +
		"-rw-r-----    1 54321    54322           11 Mar  4  2020 b.txt\n"
	if r.Stdout != want {
		t.Errorf("ls -l:\n%s\nwant\n%s", r.Stdout, want)
	}
	r = runFake(t, sys, dir, "stat", "-c", "%U:%G %u:%g %a %A", "a", "b.txt")
	if r.Stdout != "daemon:bin 1:2 4751 -rwsr-x--x\nUNKNOWN:UNKNOWN 54321:54322 640 -rw-r-----\n" {
		t.Errorf("stat: %q", r.Stdout)
	}
	r = runFake(t, sys, dir, "find", ".", "-user", "daemon", "-o", "-uid", "54321")
	if sortLines(r.Stdout) != "./a\n./b.txt" {
		t.Errorf("find -user: %q", r.Stdout)
	}
	r = runFake(t, sys, dir, "find", ".", "-perm", "-4000")
	if r.Stdout != "./a\n" {
		t.Errorf("find -perm: %q", r.Stdout)
	}
}

func TestChownThroughSys(t *testing.T) {
	dir := mkTree(t, stdTree+"ln -s ../a d/lnk\n")
	sys := newFake()
	r := runFake(t, sys, dir, "chown", "-R", "daemon:bin", "d")
	if r.Status != 0 {
		t.Fatalf("%+v", r)
	}
	// -R without -H/-L changes links themselves, children before parents.
	joined := strings.Join(sys.calls, "\n")
	if !strings.Contains(joined, "lchown "+dir+"/d/lnk") || strings.Contains(joined, "chown "+dir+"/a") {
		t.Errorf("calls:\n%s", joined)
	}
	if sys.calls[len(sys.calls)-1] != "lchown "+dir+"/d" {
		t.Errorf("directory not last: %v", sys.calls)
	}
	if o := sys.owner[dir+"/d/sub/deep.c"]; o != [2]uint32{1, 2} {
		t.Errorf("owner %v", o)
	}
	sys = newFake()
	runFake(t, sys, dir, "chown", "bin", "la")
	if len(sys.calls) != 1 || sys.calls[0] != "chown "+dir+"/la" {
		t.Errorf("plain chown on a link must follow it: %v", sys.calls)
	}
	sys = newFake()
	r = runFake(t, sys, dir, "chgrp", "-v", "daemon", "a")
	if r.Stdout != "changed ownership of 'a' to 1000:1\n" || sys.owner[dir+"/a"] != [2]uint32{1000, 1} {
		t.Errorf("chgrp keeps the owner: %q %v", r.Stdout, sys.owner)
	}
	sys = newFake()
	r = runFake(t, sys, dir, "chown", "-c", "1000:1000", "a")
	if r.Stdout != "" || len(sys.calls) != 1 {
		t.Errorf("-c without change: %q %v", r.Stdout, sys.calls)
	}
}

func TestModesThroughSys(t *testing.T) {
	dir := mkTree(t, stdTree)
	sys := newFake()
	sys.mode[dir+"/a"] = 0o600
	runFake(t, sys, dir, "chmod", "go+r", "a")
	if sys.mode[dir+"/a"] != 0o644 {
		t.Errorf("chmod read the mode from os, not Sys: %v", sys.mode[dir+"/a"])
	}
	runFake(t, sys, dir, "mkdir", "-m", "1777", "x")
	if sys.mode[dir+"/x"] != 0o777|fs.ModeSticky {
		t.Errorf("mkdir -m: %v", sys.mode[dir+"/x"])
	}
	sys.mode[dir+"/d/f1"] = goPerm(0o4711)
	runFake(t, sys, dir, "cp", "-p", "d/f1", "y")
	if sys.mode[dir+"/y"] != 0o711|fs.ModeSetuid || sys.owner[dir+"/y"] != [2]uint32{1000, 1000} {
		t.Errorf("cp -p: %v %v", sys.mode[dir+"/y"], sys.owner[dir+"/y"])
	}
	runFake(t, sys, dir, "cp", "d/f1", "z")
	if sys.mode[dir+"/z"] != 0o711|fs.ModeSetuid {
		t.Errorf("cp: %v", sys.mode[dir+"/z"])
	}
	runFake(t, sys, dir, "touch", "new")
	runFake(t, sys, dir, "mktemp", "-p", dir, "tXXXXXX")
	if sys.mode[dir+"/new"] != 0o644 {
		t.Errorf("touch: %v", sys.mode[dir+"/new"])
	}
}

func TestCopyLoops(t *testing.T) {
	dir := mkTree(t, "mkdir -p x/y; ln -s .. x/y/up; echo hi > x/f\n")
	r := cmdtest.Run(t, dir, "", []string{"cp", "-rL", "x", "z"})
	if r.Status != 1 || !strings.Contains(r.Stderr, "recursion") {
		t.Errorf("cp -rL loop: %+v", r)
	}
	if data, err := os.ReadFile(dir + "/z/f"); err != nil || string(data) != "hi\n" {
		t.Errorf("copy incomplete: %q %v", data, err)
	}
	r = cmdtest.Run(t, dir, "", []string{"ls", "-RL", "x"})
	if r.Status != 1 || strings.Count(r.Stdout, "x/y/up:") != 1 {
		t.Errorf("ls -RL loop: %+v", r)
	}
	// rm -r does not follow the link out of the tree.
	r = cmdtest.Run(t, dir, "", []string{"rm", "-r", "x/y"})
	if _, err := os.Stat(dir + "/x/f"); r.Status != 0 || err != nil {
		t.Errorf("rm -r followed a link: %+v %v", r, err)
	}
}

// mv falls back to copying when the destination is on another filesystem.
func TestMvAcrossDevices(t *testing.T) {
	other := "/dev/shm"
	a, errA := builtins.NativeSys{}.Stat(other)
	dir := mkTree(t, stdTree)
	b, errB := builtins.NativeSys{}.Stat(dir)
	if errA != nil || errB != nil || statT(a).Dev == statT(b).Dev {
		t.Skip("no second filesystem to move to")
	}
	dst, err := os.MkdirTemp(other, "mvtest")
	if err != nil {
		t.Skip(err)
	}
	defer os.RemoveAll(dst)
	r := cmdtest.Run(t, dir, "", []string{"mv", "d", "a", dst})
	if r.Status != 0 {
		t.Fatalf("%+v", r)
	}
	if _, err := os.Stat(dir + "/d"); err == nil {
		t.Error("source left behind")
	}
	fi, err := os.Stat(dst + "/d/f1")
	if err != nil || fi.Mode().Perm() != 0o755 || fi.Size() != 20 {
		t.Errorf("copied file: %v %v", fi, err)
	}
}
