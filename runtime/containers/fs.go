package containers

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	goruntime "runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/moby/moby/api/types/container"

	"github.com/sockerless/sockerless/builtins"
	"github.com/sockerless/sockerless/runtime/errdefs"
	"github.com/sockerless/sockerless/runtime/images"
	"github.com/sockerless/sockerless/runtime/rootfs"
)

// fsLocked opens the container's root file system on first use.
func (c *Container) fsLocked() (*rootfs.FS, error) {
	if c.fs != nil {
		return c.fs, nil
	}
	layers := c.r.Layers
	if layers == nil { // a record from before Layers were kept
		im, err := c.m.Images.Get(c.r.ImageID)
		if err != nil {
			return nil, errdefs.Wrap(errdefs.Conflict, err, "the image of container %s (%s) is gone", c.r.ID[:12], c.r.ImageID)
		}
		layers = im.DiffIDs()
	}
	lower := c.m.lowerDirs(layers)
	var mounts []rootfs.Mount
	user := map[string]bool{}
	for _, mp := range c.r.Mounts {
		user[mp.Destination] = true
	}
	for _, em := range c.etcMounts() {
		if !user[em.Target] {
			mounts = append(mounts, em)
		}
	}
	for _, mp := range c.r.Mounts {
		fi, err := os.Stat(mp.Source)
		if err != nil || !(fi.IsDir() || fi.Mode().IsRegular()) {
			// Sockets and devices cannot be mounted into the sandbox.
			c.m.Log.Warn("skipping mount the sandbox cannot serve", "container", c.r.ID[:12], "source", mp.Source)
			continue
		}
		mounts = append(mounts, rootfs.Mount{Target: mp.Destination, Source: mp.Source, ReadOnly: !mp.RW})
	}
	f, err := rootfs.New(rootfs.Config{
		Lower:    lower,
		Upper:    filepath.Join(c.m.Root, c.r.ID, "upper"),
		Init:     c.m.initLayer(),
		Mounts:   mounts,
		Proc:     procSource{c},
		ReadOnly: c.r.HostConfig.ReadonlyRootfs,
	})
	if err != nil {
		return nil, errdefs.Wrap(errdefs.Unknown, err, "cannot assemble the root file system of %s: %v", c.r.ID[:12], err)
	}
	c.fs = f
	return f, nil
}

// lowerDirs are the host directories of layers (bottom first), top-most
// first.
func (m *Manager) lowerDirs(ids []string) []string {
	lower := make([]string, len(ids))
	for i, d := range ids {
		lower[len(ids)-1-i] = m.Images.LayerDir(d)
	}
	return lower
}

// populateVolumes copies the image's content at each mount point of
// mps into its volume when the volume is empty, as Docker does when a
// container is created: modes and owners are kept, and the volume's root
// takes the mode and owner of the image directory. A mount point that is
// missing from the image, or is not a directory there, is left alone.
func (m *Manager) populateVolumes(c *Container, im *images.Image, mps []container.MountPoint) error {
	var todo []container.MountPoint
	for _, mp := range mps {
		if ents, err := os.ReadDir(mp.Source); err == nil && len(ents) == 0 {
			todo = append(todo, mp)
		}
	}
	if len(todo) == 0 {
		return nil
	}
	// A scratch view of the image alone (the volumes mounted at private
	// targets): the container's own root would show the empty volumes.
	scratch := filepath.Join(m.Root, c.r.ID, "populate")
	defer os.RemoveAll(scratch)
	var mounts []rootfs.Mount
	for i, mp := range todo {
		mounts = append(mounts, rootfs.Mount{Target: fmt.Sprintf("/.sockerless-volume-%d", i), Source: mp.Source})
	}
	f, err := rootfs.New(rootfs.Config{Lower: m.lowerDirs(im.DiffIDs()), Upper: scratch, Init: m.initLayer(), Mounts: mounts})
	if err != nil {
		return errdefs.Wrap(errdefs.Unknown, err, "cannot open the image to fill its volumes: %v", err)
	}
	defer f.Close()
	for i, mp := range todo {
		if in, err := f.StatInfo(mp.Destination); err != nil || !in.Mode.IsDir() {
			continue
		}
		pr, pw := io.Pipe()
		go func() { pw.CloseWithError(f.WriteTarNamed(pw, mp.Destination, ".")) }()
		err := f.ExtractTar(mounts[i].Target, pr, rootfs.ExtractOptions{})
		pr.CloseWithError(err)
		if err != nil {
			return errdefs.Wrap(errdefs.Unknown, err, "cannot copy %s of the image into volume %s: %v", mp.Destination, mp.Name, err)
		}
	}
	return nil
}

// procSource feeds /proc from the container's processes.
type procSource struct{ c *Container }

func (s procSource) Processes() []rootfs.ProcInfo {
	c := s.c
	c.mu.Lock()
	defer c.mu.Unlock()
	r := make([]rootfs.ProcInfo, 0, len(c.procs)+len(c.children))
	for _, p := range c.allProcsLocked() {
		r = append(r, rootfs.ProcInfo{PID: p.pid, PPID: p.parent(), Args: p.args, Start: p.start, UID: p.uid, GID: p.gid, Cwd: p.cwd, Env: p.env, RSS: 8 << 20})
	}
	return r
}

func (s procSource) System() rootfs.SystemInfo {
	total, free := hostMemory()
	return rootfs.SystemInfo{CPUs: goruntime.NumCPU(), MemTotal: total, MemFree: free, Boot: bootTime, Hostname: s.c.r.Config.Hostname,
		OSRelease: "6.1.0-sockerless", Version: "#1 SMP sockerless sandbox"}
}

var bootTime = time.Now()

// hostMemory reads the host's total and available memory, at most once
// per memoryTTL: /proc/meminfo and the stat of any /proc entry ask for it.
func hostMemory() (total, free uint64) {
	memMu.Lock()
	defer memMu.Unlock()
	if time.Since(memRead) < memoryTTL {
		return memTotal, memFree
	}
	memTotal, memFree = readMeminfo()
	memRead = time.Now()
	return memTotal, memFree
}

const memoryTTL = time.Second

var (
	memMu             sync.Mutex
	memRead           time.Time
	memTotal, memFree uint64
)

func readMeminfo() (total, free uint64) {
	f, err := os.Open("/proc/meminfo")
	if err != nil {
		return 8 << 30, 4 << 30
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) < 2 {
			continue
		}
		v, _ := strconv.ParseUint(fields[1], 10, 64)
		switch fields[0] {
		case "MemTotal:":
			total = v * 1024
		case "MemAvailable:":
			free = v * 1024
		}
	}
	return total, free
}

// resolveUser maps a Docker user spec (name, uid, name:group, uid:gid) to
// ids through the container's /etc/passwd and /etc/group, with the
// supplementary groups the process gets: the groups of /etc/group that
// list the user, then those of groupAdd (docker run --group-add: names
// or numbers).
func resolveUser(f *rootfs.FS, spec string, groupAdd []string) (uid, gid int, groups []int, err error) {
	uid, gid, name, err := resolveUserIDs(f, spec)
	if err != nil {
		return 0, 0, nil, err
	}
	add := func(g int) {
		if !slices.Contains(groups, g) {
			groups = append(groups, g)
		}
	}
	var groupDB [][]string
	if name != "" || len(groupAdd) > 0 {
		groupDB = readDB(f, "/etc/group")
	}
	if name != "" {
		for _, fields := range groupDB {
			if len(fields) >= 4 && slices.Contains(strings.Split(fields[3], ","), name) {
				if g, err := strconv.Atoi(fields[2]); err == nil {
					add(g)
				}
			}
		}
	}
	for _, ga := range groupAdd {
		if g, err := strconv.Atoi(ga); err == nil {
			add(g)
			continue
		}
		found := false
		for _, fields := range groupDB {
			if len(fields) >= 3 && fields[0] == ga {
				if g, err := strconv.Atoi(fields[2]); err == nil {
					add(g)
					found = true
					break
				}
			}
		}
		if !found {
			return 0, 0, nil, errdefs.InvalidParameterf("unable to find group %s: no matching entries in group file", ga)
		}
	}
	slices.Sort(groups) // as setgroups(2) keeps them
	return uid, gid, groups, nil
}

// resolveUserIDs is resolveUser's uid and gid, and the user's name when
// /etc/passwd has it.
func resolveUserIDs(f *rootfs.FS, spec string) (uid, gid int, name string, err error) {
	if spec == "" {
		spec = "0"
	}
	u, g, hasG := strings.Cut(spec, ":")
	passwd := readDB(f, "/etc/passwd")
	uid, uerr := strconv.Atoi(u)
	found := uerr == nil
	for _, fields := range passwd {
		if len(fields) < 4 {
			continue
		}
		if fields[0] == u || (uerr == nil && fields[2] == u) {
			uid, _ = strconv.Atoi(fields[2])
			gid, _ = strconv.Atoi(fields[3])
			name = fields[0]
			found = true
			break
		}
	}
	if !found {
		return 0, 0, "", errdefs.InvalidParameterf("unable to find user %s: no matching entries in passwd file", u)
	}
	if hasG {
		n, gerr := strconv.Atoi(g)
		if gerr == nil {
			gid = n
		} else {
			ok := false
			for _, fields := range readDB(f, "/etc/group") {
				if len(fields) >= 3 && fields[0] == g {
					gid, _ = strconv.Atoi(fields[2])
					ok = true
				}
			}
			if !ok {
				return 0, 0, "", errdefs.InvalidParameterf("unable to find group %s: no matching entries in group file", g)
			}
		}
	}
	return uid, gid, name, nil
}

func readDB(f *rootfs.FS, p string) [][]string {
	rc, err := f.OpenReader(p)
	if err != nil {
		return nil
	}
	defer rc.Close()
	var r [][]string
	sc := bufio.NewScanner(rc)
	for sc.Scan() {
		r = append(r, strings.Split(sc.Text(), ":"))
	}
	return r
}

var binDirs = map[string]bool{"/bin": true, "/usr/bin": true, "/sbin": true, "/usr/sbin": true, "/usr/local/bin": true, "/usr/local/sbin": true}
var shells = map[string]bool{"sh": true, "ash": true, "bash": true, "dash": true}

// findCommand reports whether the guest can run args[0] (as a builtin, a
// shell or a file of the root), mirroring the guest's lookup.
func findCommand(f *rootfs.FS, env []string, dir, name string) bool {
	if !strings.Contains(name, "/") {
		if shells[name] {
			return true
		}
		if _, ok := builtins.Lookup(name); ok {
			return true
		}
		pathVar := "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
		for _, e := range env {
			if strings.HasPrefix(e, "PATH=") {
				pathVar = e[5:]
			}
		}
		for _, d := range strings.Split(pathVar, ":") {
			if !path.IsAbs(d) {
				d = path.Join(dir, d)
			}
			if st, errno := f.Stat(path.Join(d, name)); errno == 0 && st.Mode.IsRegular() {
				return true
			}
		}
		return false
	}
	p := name
	if !path.IsAbs(p) {
		p = path.Join(dir, p)
	}
	if binDirs[path.Dir(p)] {
		base := path.Base(p)
		if _, ok := builtins.Lookup(base); ok || shells[base] {
			return true
		}
	}
	_, errno := f.Stat(p)
	return errno == 0
}
