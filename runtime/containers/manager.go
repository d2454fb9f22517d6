package containers

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"log/slog"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/moby/moby/api/types/container"
	"github.com/moby/moby/api/types/events"
	"github.com/moby/moby/api/types/mount"
	"github.com/moby/moby/api/types/network"

	"github.com/sockerless/sockerless/runtime/backend"
	"github.com/sockerless/sockerless/runtime/errdefs"
	evbus "github.com/sockerless/sockerless/runtime/events"
	"github.com/sockerless/sockerless/runtime/images"
	"github.com/sockerless/sockerless/runtime/networks"
	"github.com/sockerless/sockerless/runtime/rootfs"
	"github.com/sockerless/sockerless/runtime/sandbox"
	"github.com/sockerless/sockerless/runtime/store"
	"github.com/sockerless/sockerless/runtime/volumes"
)

const bucket = "containers"

// Buckets are the state store buckets this package uses.
var Buckets = []string{bucket}

// Deps are what the manager runs on.
type Deps struct {
	Root     string // <data-root>/containers
	Store    *store.Store
	Engine   *sandbox.Engine
	Images   *images.Store
	Volumes  *volumes.Store
	Networks *networks.Store
	Events   *evbus.Bus
	Log      *slog.Logger
	// Backends and Router place containers outside the sandbox (nil:
	// none); see backend.go.
	Backends *backend.Host
	Router   *backend.Router
}

// Manager owns every container.
type Manager struct {
	Deps
	st *store.Store

	mu     sync.RWMutex
	byID   map[string]*Container
	byName map[string]*Container
	execs  map[string]*Exec
	wg     sync.WaitGroup
	be     backendState
	// trashing counts removed containers' directories still being deleted
	// under trashDir.
	trashing sync.WaitGroup
	initErr  error // MakeInit's failure: containers then make their own mount points
}

// initLayer is the shared rootfs init layer ("" if it could not be made).
func (m *Manager) initLayer() string {
	if m.initErr != nil {
		return ""
	}
	return filepath.Join(m.Root, ".init")
}

// trashDir holds directories of removed containers until they are deleted.
func (m *Manager) trashDir() string { return filepath.Join(m.Root, ".trash") }

// removeDir deletes a container's directory: renamed into the trash at
// once (the container is gone from disk as far as anyone looks), deleted
// in the background. A daemon that dies meanwhile empties the trash at
// its next start.
func (m *Manager) removeDir(id string) {
	dir := filepath.Join(m.Root, id)
	trash := filepath.Join(m.trashDir(), id)
	if err := syscall.Rename(dir, trash); err != nil { // (os.Rename stats trash first)
		os.RemoveAll(dir) // never made (ENOENT), or no trash: delete in place
		return
	}
	m.trashing.Add(1)
	go func() {
		defer m.trashing.Done()
		os.RemoveAll(trash)
	}()
}

// Recovered summarises what Open found on disk.
type Recovered struct {
	Containers, WereRunning int
}

// Open loads the container records. Containers that were running when the
// daemon stopped are marked exited (their processes did not survive).
func Open(d Deps) (*Manager, Recovered, error) {
	m := &Manager{Deps: d, st: d.Store, byID: map[string]*Container{}, byName: map[string]*Container{}, execs: map[string]*Exec{}}
	var rec Recovered
	if m.Log == nil {
		m.Log = slog.Default()
	}
	if err := os.MkdirAll(d.Root, 0o700); err != nil {
		return nil, rec, err
	}
	if err := os.RemoveAll(m.trashDir()); err != nil {
		m.Log.Warn("cannot empty the trash of removed containers", "dir", m.trashDir(), "err", err)
	}
	os.Mkdir(m.trashDir(), 0o700)
	if m.initErr = rootfs.MakeInit(m.initLayer()); m.initErr != nil {
		m.Log.Warn("no shared init layer: containers make their own mount points", "err", m.initErr)
	}
	var lost []*Container
	err := d.Store.ForEach(bucket, func(k string, raw []byte) error {
		c := &Container{m: m, procs: map[int]*procInfo{}, removed: make(chan struct{}), exit: newExitSignal()}
		if err := json.Unmarshal(raw, &c.r); err != nil || c.r.Config == nil || c.r.HostConfig == nil {
			m.Log.Warn("skipping damaged container record", "id", k, "err", err)
			return nil
		}
		out, err := openOutput(filepath.Join(d.Root, c.r.ID, "log"))
		if err != nil {
			m.Log.Warn("container log unavailable", "id", k, "err", err)
			os.MkdirAll(filepath.Join(d.Root, c.r.ID), 0o700)
			out, err = openOutput(filepath.Join(d.Root, c.r.ID, "log"))
			if err != nil {
				return nil
			}
		}
		c.out = out
		rec.Containers++
		if c.r.Backend != "" {
			m.be.recover = append(m.be.recover, c) // after the read transaction
		} else if c.r.State.Running || c.r.State.Restarting || c.r.State.Paused || c.r.State.Status == container.StateRemoving {
			rec.WereRunning++
			c.r.State.Running, c.r.State.Restarting, c.r.State.Paused, c.r.State.Pid = false, false, false, 0
			c.r.State.Status = container.StateExited
			c.r.State.ExitCode = 255
			c.r.State.Error = "the daemon stopped while the container was running; its processes did not survive"
			c.r.State.FinishedAt = formatTime(time.Now())
			c.r.State.Health = nil
			lost = append(lost, c) // saved after the read transaction

		}
		m.byID[c.r.ID] = c
		m.byName[c.r.Name] = c
		return nil
	})
	if err != nil {
		return nil, rec, err
	}
	m.recoverBackends()
	for _, c := range lost {
		// A write inside the store's read transaction can deadlock bbolt.
		c.save()
	}
	for _, c := range lost {
		p := c.r.HostConfig.RestartPolicy.Name
		if p == container.RestartPolicyAlways || (p == container.RestartPolicyUnlessStopped && !c.r.ManuallyStopped) {
			go func(c *Container) {
				if err := m.Start(c.r.ID); err != nil {
					m.Log.Warn("restart policy: start failed", "id", c.r.ID, "err", err)
				}
			}(c)
		}
	}
	return m, rec, nil
}

// Close kills every running container and waits for them to exit.
func (m *Manager) Close() {
	m.closeBackends() // backend containers run on
	m.mu.RLock()
	var running []*Container
	for _, c := range m.byID {
		running = append(running, c)
	}
	m.mu.RUnlock()
	for _, c := range running {
		c.mu.Lock()
		if c.restart != nil {
			c.restart.Stop()
		}
		if c.health != nil {
			c.health.stop()
		}
		c.stopping = true
		p := c.proc
		for _, pi := range c.procs {
			pi.p.Kill()
		}
		c.mu.Unlock()
		if p != nil {
			p.Wait()
		}
	}
	m.wg.Wait()
	for _, c := range running {
		c.out.close()
	}
	m.trashing.Wait()
}

func newID() string {
	b := make([]byte, 32)
	rand.Read(b)
	return hex.EncodeToString(b)
}

var validName = regexp.MustCompile(`^/?[a-zA-Z0-9][a-zA-Z0-9_.-]+$`)

// Get finds a container by full ID, name, or unique ID prefix.
func (m *Manager) Get(ref string) (*Container, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	return m.getLocked(ref)
}

func (m *Manager) getLocked(ref string) (*Container, error) {
	if ref == "" {
		return nil, errdefs.NotFoundf("No such container: %s", ref)
	}
	if c, ok := m.byID[ref]; ok {
		return c, nil
	}
	if c, ok := m.byName["/"+strings.TrimPrefix(ref, "/")]; ok {
		return c, nil
	}
	var found *Container
	for id, c := range m.byID {
		if strings.HasPrefix(id, ref) {
			if found != nil {
				return nil, errdefs.InvalidParameterf("multiple IDs found with provided prefix: %s", ref)
			}
			found = c
		}
	}
	if found == nil {
		return nil, errdefs.NotFoundf("No such container: %s", ref)
	}
	return found, nil
}

// All lists every container, newest first.
func (m *Manager) All() []*Container {
	m.mu.RLock()
	r := make([]*Container, 0, len(m.byID))
	for _, c := range m.byID {
		r = append(r, c)
	}
	m.mu.RUnlock()
	sort.Slice(r, func(i, j int) bool { return r[i].r.Created.After(r[j].r.Created) })
	return r
}

// CreateRequest is what POST /containers/create carries.
type CreateRequest struct {
	Name       string
	Config     *container.Config
	HostConfig *container.HostConfig
	Networking *network.NetworkingConfig
}

// Create makes a container from an image; it does not start it.
func (m *Manager) Create(req CreateRequest) (*Container, []string, error) {
	cfg := req.Config
	if cfg == nil {
		return nil, nil, errdefs.InvalidParameterf("config cannot be empty in order to create a container")
	}
	if c, w, err, ok := m.createOnBackend(req); ok {
		return c, w, err
	}
	hc := req.HostConfig
	if hc == nil {
		hc = &container.HostConfig{}
	}
	if cfg.Image == "" {
		return nil, nil, errdefs.InvalidParameterf("no image specified: the request's Config.Image is empty")
	}
	if cfg.WorkingDir != "" && !path.IsAbs(cfg.WorkingDir) {
		return nil, nil, errdefs.InvalidParameterf("the working directory '%s' is invalid, it needs to be an absolute path", cfg.WorkingDir)
	}
	im, err := m.Images.Get(cfg.Image)
	if err != nil {
		return nil, nil, err
	}
	if req.Name != "" && !validName.MatchString(req.Name) {
		return nil, nil, errdefs.InvalidParameterf("Invalid container name (%s), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed", req.Name)
	}
	if err := validateHostConfig(hc); err != nil {
		return nil, nil, err
	}
	var warnings []string
	c := &Container{m: m, procs: map[int]*procInfo{}, removed: make(chan struct{}), exit: newExitSignal()}
	c.r.ID = newID()
	c.r.Created = time.Now().UTC()
	c.r.ImageID = im.ID
	c.r.Layers = im.DiffIDs()
	c.r.HostConfig = hc
	c.r.Config = mergeConfig(cfg, im)
	if c.r.Config.Hostname == "" {
		c.r.Config.Hostname = c.r.ID[:12]
	}
	ep := argv(c.r.Config)
	if len(ep) == 0 {
		return nil, nil, errdefs.InvalidParameterf("No command specified")
	}
	if len(ep) > 0 {
		c.r.Path, c.r.Args = ep[0], ep[1:]
	}
	if c.r.Args == nil {
		c.r.Args = []string{}
	}
	if err := hostConfigDefaults(hc); err != nil {
		return nil, nil, err
	}
	c.r.State = container.State{Status: container.StateCreated, StartedAt: formatTime(time.Time{}), FinishedAt: formatTime(time.Time{})}
	if err := m.setupNetworks(c, req.Networking); err != nil {
		return nil, nil, err
	}

	name, err := m.reserveName(c, req.Name)
	if err != nil {
		return nil, nil, err
	}

	fail := func(err error) (*Container, []string, error) {
		m.releaseName(c, name)
		return nil, nil, err
	}
	mounts, populate, err := m.resolveMounts(c, im)
	if err != nil {
		return fail(err)
	}
	c.r.Mounts = mounts
	// Nothing else is written for the container yet: its directory,
	// writable layer, /etc files and log appear when first needed.
	if err := m.populateVolumes(c, im, populate); err != nil {
		os.RemoveAll(filepath.Join(m.Root, c.r.ID))
		return fail(err)
	}
	if c.out, err = openOutput(filepath.Join(m.Root, c.r.ID, "log")); err != nil {
		return fail(err)
	}
	if err := c.save(); err != nil {
		c.out.close()
		return fail(err)
	}
	m.mu.Lock()
	m.byID[c.r.ID] = c
	m.mu.Unlock()
	m.event(c, events.ActionCreate, nil)
	return c, warnings, nil
}

func validateHostConfig(hc *container.HostConfig) error {
	switch hc.RestartPolicy.Name {
	case "", container.RestartPolicyDisabled, container.RestartPolicyAlways, container.RestartPolicyUnlessStopped, container.RestartPolicyOnFailure:
	default:
		return errdefs.InvalidParameterf("invalid restart policy: unknown policy '%s'; use one of 'no', 'always', 'on-failure', or 'unless-stopped'", hc.RestartPolicy.Name)
	}
	if hc.RestartPolicy.MaximumRetryCount < 0 {
		return errdefs.InvalidParameterf("invalid restart policy: maximum retry count cannot be negative")
	}
	if hc.RestartPolicy.MaximumRetryCount > 0 && hc.RestartPolicy.Name != container.RestartPolicyOnFailure {
		return errdefs.InvalidParameterf("invalid restart policy: maximum retry count can only be used with 'on-failure'")
	}
	if hc.Memory < 0 {
		return errdefs.InvalidParameterf("invalid memory limit")
	}
	return nil
}

// argv is the command line of a container: entrypoint then cmd. An
// entrypoint of [""] (`--entrypoint ""`) resets the image's entrypoint.
func argv(cfg *container.Config) []string {
	ep := cfg.Entrypoint
	if len(ep) == 1 && ep[0] == "" {
		ep = nil
	}
	return append(append([]string(nil), ep...), cfg.Cmd...)
}

// mergeConfig applies the image's defaults to a create request's config.
func mergeConfig(in *container.Config, im *images.Image) *container.Config {
	cfg := *in
	ic := im.Config.Config
	if len(cfg.Entrypoint) == 0 { // Docker's merge
		if len(cfg.Cmd) == 0 {
			cfg.Cmd = ic.Cmd
		}
		if cfg.Entrypoint == nil {
			cfg.Entrypoint = ic.Entrypoint
		}
	}
	env := append([]string(nil), ic.Env...)
	for _, e := range cfg.Env {
		k, _, _ := strings.Cut(e, "=")
		replaced := false
		for i, x := range env {
			if xk, _, _ := strings.Cut(x, "="); xk == k {
				env[i] = e
				replaced = true
			}
		}
		if !replaced {
			env = append(env, e)
		}
	}
	// PATH is not added here: like Docker, Config.Env holds what the image
	// and the request set; processes get a default PATH when it has none.
	cfg.Env = env
	if cfg.WorkingDir == "" {
		cfg.WorkingDir = ic.WorkingDir
	}
	if cfg.User == "" {
		cfg.User = ic.User
	}
	if cfg.StopSignal == "" {
		cfg.StopSignal = ic.StopSignal
	}
	if cfg.Healthcheck == nil && im.Config.Config.Healthcheck != nil {
		h := *im.Config.Config.Healthcheck
		cfg.Healthcheck = &h
	}
	labels := map[string]string{}
	for k, v := range ic.Labels {
		labels[k] = v
	}
	for k, v := range cfg.Labels {
		labels[k] = v
	}
	cfg.Labels = labels
	if len(ic.Volumes) > 0 {
		vols := map[string]struct{}{}
		for k := range ic.Volumes {
			vols[k] = struct{}{}
		}
		for k := range cfg.Volumes {
			vols[k] = struct{}{}
		}
		cfg.Volumes = vols
	}
	if len(ic.ExposedPorts) > 0 && cfg.ExposedPorts == nil {
		cfg.ExposedPorts = network.PortSet{}
		for p := range ic.ExposedPorts {
			if pp, err := network.ParsePort(p); err == nil {
				cfg.ExposedPorts[pp] = struct{}{}
			}
		}
	}
	if cfg.Image == "" {
		cfg.Image = im.ID
	}
	return &cfg
}

func (m *Manager) setupNetworks(c *Container, nc *network.NetworkingConfig) error {
	c.r.Networks = map[string]*network.EndpointSettings{}
	mode := string(c.r.HostConfig.NetworkMode)
	if strings.HasPrefix(mode, "container:") {
		other, err := m.Get(strings.TrimPrefix(mode, "container:"))
		if err != nil {
			return err
		}
		_ = other
		return nil
	}
	if mode == "default" {
		mode = "bridge"
	}
	n, err := m.Networks.Get(mode)
	if err != nil {
		return err
	}
	ep := &network.EndpointSettings{}
	if nc != nil {
		for k, v := range nc.EndpointsConfig {
			if v != nil && (k == mode || k == n.Name || k == n.ID || k == "default") {
				ep = v.Copy()
			}
		}
	}
	ep.NetworkID = n.ID
	ep.EndpointID = newID()
	if n.Name != "host" && n.Name != "none" {
		ep.DNSNames = []string{strings.TrimPrefix(c.r.Name, "/"), c.r.ID[:12]}
	}
	ep.Aliases = withShortIDAlias(n.Name, ep.Aliases, c.r.ID)
	c.r.Networks[n.Name] = ep
	if nc != nil {
		for k, v := range nc.EndpointsConfig {
			if k == mode || k == n.Name || k == n.ID || k == "default" || v == nil {
				continue
			}
			other, err := m.Networks.Get(k)
			if err != nil {
				return err
			}
			e := v.Copy()
			e.NetworkID, e.EndpointID = other.ID, newID()
			e.Aliases = withShortIDAlias(other.Name, e.Aliases, c.r.ID)
			c.r.Networks[other.Name] = e
		}
	}
	return nil
}

// withShortIDAlias adds the container's short id to its aliases on a
// user-defined network, as Docker does (not on bridge, host or none).
func withShortIDAlias(network string, aliases []string, id string) []string {
	switch network {
	case "bridge", "host", "none":
		return aliases
	}
	for _, a := range aliases {
		if a == id[:12] {
			return aliases
		}
	}
	return append(append([]string(nil), aliases...), id[:12])
}

// resolveMounts turns Binds, Mounts, VolumesFrom and image volumes into
// mount points, creating named and anonymous volumes as needed. populate
// lists the volume mount points that take a copy of the image's content
// when their volume is empty (Docker's copy-on-first-mount; "nocopy" and
// VolumeOptions.NoCopy turn it off, --volumes-from never copies).
func (m *Manager) resolveMounts(c *Container, im *images.Image) (mps []container.MountPoint, populate []container.MountPoint, err error) {
	hc := c.r.HostConfig
	seen := map[string]bool{}
	add := func(mp container.MountPoint) bool {
		mp.Destination = filepath.Clean(mp.Destination)
		if seen[mp.Destination] {
			return false
		}
		seen[mp.Destination] = true
		mps = append(mps, mp)
		return true
	}
	addCopy := func(mp container.MountPoint) {
		if add(mp) {
			populate = append(populate, mps[len(mps)-1])
		}
	}
	for _, b := range hc.Binds {
		parts := strings.Split(b, ":")
		if len(parts) < 2 || len(parts) > 3 {
			return nil, nil, errdefs.InvalidParameterf("invalid volume specification: '%s'", b)
		}
		src, dst := parts[0], parts[1]
		mode := ""
		if len(parts) == 3 {
			mode = parts[2]
		}
		if !filepath.IsAbs(dst) {
			return nil, nil, errdefs.InvalidParameterf("invalid volume specification: '%s': invalid mount config: destination must be an absolute path", b)
		}
		if !validBindMode(mode) {
			return nil, nil, errdefs.InvalidParameterf("invalid mode: %s", mode)
		}
		rw := !strings.Contains(","+mode+",", ",ro,")
		if filepath.IsAbs(src) {
			if _, err := os.Stat(src); os.IsNotExist(err) {
				if err := os.MkdirAll(src, 0o755); err != nil {
					return nil, nil, errdefs.InvalidParameterf("bind source %s: %v", src, err)
				}
			}
			add(container.MountPoint{Type: mount.TypeBind, Source: src, Destination: dst, Mode: mode, RW: rw, Propagation: mount.PropagationRPrivate})
			continue
		}
		v, created, err := m.Volumes.Create(src, nil, nil, "")
		if err != nil {
			return nil, nil, err
		}
		if created {
			m.Events.Publish(events.VolumeEventType, events.ActionCreate, v.Name, map[string]string{"driver": "local"})
		}
		if mode == "" {
			mode = "z" // Docker's default for a named volume of -v
		}
		mp := container.MountPoint{Type: mount.TypeVolume, Name: v.Name, Source: v.Mountpoint, Destination: dst, Driver: "local", Mode: mode, RW: rw}
		if strings.Contains(","+mode+",", ",nocopy,") {
			add(mp)
		} else {
			addCopy(mp)
		}
	}
	for _, mt := range hc.Mounts {
		if !filepath.IsAbs(mt.Target) {
			return nil, nil, errdefs.InvalidParameterf("invalid mount config for type %q: invalid mount path: '%s' mount path must be absolute", mt.Type, mt.Target)
		}
		switch mt.Type {
		case mount.TypeBind:
			if _, err := os.Stat(mt.Source); err != nil {
				return nil, nil, errdefs.InvalidParameterf("invalid mount config for type \"bind\": bind source path does not exist: %s", mt.Source)
			}
			add(container.MountPoint{Type: mount.TypeBind, Source: mt.Source, Destination: mt.Target, RW: !mt.ReadOnly, Propagation: mount.PropagationRPrivate})
		case mount.TypeVolume, "":
			var labels map[string]string
			if mt.VolumeOptions != nil {
				labels = mt.VolumeOptions.Labels
			}
			v, created, err := m.Volumes.Create(mt.Source, labels, nil, "")
			if err != nil {
				return nil, nil, err
			}
			if created {
				m.Events.Publish(events.VolumeEventType, events.ActionCreate, v.Name, map[string]string{"driver": "local"})
			}
			mp := container.MountPoint{Type: mount.TypeVolume, Name: v.Name, Source: v.Mountpoint, Destination: mt.Target, Driver: "local", RW: !mt.ReadOnly}
			if mt.VolumeOptions != nil && mt.VolumeOptions.NoCopy {
				add(mp)
			} else {
				addCopy(mp)
			}
		case mount.TypeTmpfs:
			dir := filepath.Join(m.Root, c.r.ID, "tmpfs", fmt.Sprint(len(mps)))
			if err := os.MkdirAll(dir, 0o1777); err != nil {
				return nil, nil, err
			}
			os.Chmod(dir, 0o1777|os.ModeSticky)
			add(container.MountPoint{Type: mount.TypeTmpfs, Source: dir, Destination: mt.Target, RW: !mt.ReadOnly})
		default:
			return nil, nil, errdefs.InvalidParameterf("mount type %q is not supported by the sandbox runtime", mt.Type)
		}
	}
	for t := range hc.Tmpfs {
		dir := filepath.Join(m.Root, c.r.ID, "tmpfs", fmt.Sprint(len(mps)))
		if err := os.MkdirAll(dir, 0o1777); err != nil {
			return nil, nil, err
		}
		os.Chmod(dir, 0o1777|os.ModeSticky)
		add(container.MountPoint{Type: mount.TypeTmpfs, Source: dir, Destination: t, RW: true})
	}
	for _, vf := range hc.VolumesFrom {
		ref, mode, _ := strings.Cut(vf, ":")
		other, err := m.Get(ref)
		if err != nil {
			return nil, nil, err
		}
		for _, mp := range other.r.Mounts {
			if mp.Type == mount.TypeTmpfs {
				continue
			}
			if mode == "ro" {
				mp.RW = false
			} else if mode == "rw" {
				mp.RW = true
			}
			add(mp)
		}
	}
	for dst := range c.r.Config.Volumes {
		if seen[filepath.Clean(dst)] {
			continue
		}
		v, _, err := m.Volumes.Create("", map[string]string{"com.docker.volume.anonymous": ""}, nil, "")
		if err != nil {
			return nil, nil, err
		}
		m.Events.Publish(events.VolumeEventType, events.ActionCreate, v.Name, map[string]string{"driver": "local"})
		addCopy(container.MountPoint{Type: mount.TypeVolume, Name: v.Name, Source: v.Mountpoint, Destination: dst, Driver: "local", RW: true})
	}
	sort.Slice(mps, func(i, j int) bool { return mps[i].Destination < mps[j].Destination })
	if mps == nil {
		mps = []container.MountPoint{}
	}
	return mps, populate, nil
}

// validBindMode accepts the comma-separated options of a -v spec that
// Docker accepts on Linux: at most one of rw/ro, one SELinux label (z/Z),
// one propagation, nocopy and the consistency options.
func validBindMode(mode string) bool {
	if mode == "" {
		return true
	}
	seen := map[string]bool{}
	for _, o := range strings.Split(mode, ",") {
		var kind string
		switch o {
		case "rw", "ro":
			kind = "rw"
		case "z", "Z":
			kind = "label"
		case "shared", "rshared", "slave", "rslave", "private", "rprivate":
			kind = "propagation"
		case "nocopy":
			kind = "nocopy"
		case "consistent", "cached", "delegated":
			kind = "consistency"
		default:
			return false
		}
		if seen[kind] {
			return false
		}
		seen[kind] = true
	}
	return true
}

func (m *Manager) event(c *Container, action events.Action, extra map[string]string) {
	attrs := map[string]string{"name": strings.TrimPrefix(c.r.Name, "/"), "image": c.r.Config.Image}
	for k, v := range c.r.Config.Labels {
		attrs[k] = v
	}
	for k, v := range extra {
		attrs[k] = v
	}
	m.Events.Publish(events.ContainerEventType, action, c.r.ID, attrs)
}

// Remove deletes a container; force kills a running one first; volumes
// removes its anonymous volumes.
func (m *Manager) Remove(ref string, force, removeVolumes bool) error {
	c, err := m.Get(ref)
	if err != nil {
		return err
	}
	c.mu.Lock()
	if c.r.State.Status == container.StateRemoving {
		c.mu.Unlock()
		return errdefs.Conflictf("removal of container %s is already in progress", c.r.ID[:12])
	}
	if c.r.State.Paused && !force {
		c.mu.Unlock()
		return errdefs.Conflictf("You cannot remove a paused container %s. Unpause and then stop the container before attempting removal or force remove", c.r.ID)
	}
	if c.r.State.Running || c.r.State.Restarting {
		if !force {
			c.mu.Unlock()
			return errdefs.Conflictf("You cannot remove a running container %s. Stop the container before attempting removal or force remove", c.r.ID)
		}
	}
	if c.r.Backend != "" {
		c.mu.Unlock()
		return m.backendRemove(c, force, removeVolumes)
	}
	c.stopping = true
	c.r.HostConfig.AutoRemove = false // we remove it here
	if c.restart != nil {
		c.restart.Stop()
		c.restart = nil
	}
	p := c.proc
	for _, pi := range c.procs {
		pi.p.Kill()
	}
	c.mu.Unlock()
	if p != nil {
		p.Wait()
		m.waitExitHandled(c)
	}
	return m.destroy(c, removeVolumes)
}

// waitExitHandled waits until the exit of the current run is recorded.
func (m *Manager) waitExitHandled(c *Container) {
	c.mu.Lock()
	ex := c.exit
	running := c.r.State.Running
	c.mu.Unlock()
	if running {
		<-ex.ch
	}
}

func (m *Manager) destroy(c *Container, removeVolumes bool) error {
	c.mu.Lock()
	if c.r.State.Status == container.StateRemoving {
		c.mu.Unlock()
		return nil
	}
	c.r.State.Status = container.StateRemoving
	if c.health != nil {
		c.health.stop()
		c.health = nil
	}
	fsys := c.fs
	c.fs = nil
	c.mu.Unlock()
	if fsys != nil {
		fsys.Close()
	}
	if err := m.st.Delete(bucket, c.r.ID); err != nil {
		return err
	}
	m.mu.Lock()
	delete(m.byID, c.r.ID)
	if m.byName[c.r.Name] == c {
		delete(m.byName, c.r.Name)
	}
	for _, id := range c.execIDs {
		delete(m.execs, id)
	}
	m.mu.Unlock()
	c.out.close()
	m.removeDir(c.r.ID)
	if _, err := m.Images.Get(c.r.ImageID); err != nil && len(c.r.Layers) > 0 {
		m.Images.ReleaseLayers(c.r.Layers) // the image was deleted while c used it
	}
	if removeVolumes {
		for _, mp := range c.r.Mounts {
			if mp.Type != mount.TypeVolume || mp.Name == "" {
				continue
			}
			v, err := m.Volumes.Get(mp.Name)
			if err != nil {
				continue
			}
			if _, anon := v.Labels["com.docker.volume.anonymous"]; !anon && len(mp.Name) != 64 {
				continue
			}
			if len(m.VolumeUsers(mp.Name)) == 0 {
				if m.Volumes.Remove(mp.Name) == nil {
					m.Events.Publish(events.VolumeEventType, events.ActionDestroy, mp.Name, map[string]string{"driver": "local"})
				}
			}
		}
	}
	m.event(c, events.ActionDestroy, nil)
	c.mu.Lock()
	ex := c.exit
	close(c.removed)
	c.mu.Unlock()
	select {
	case <-ex.ch:
	default:
		ex.code = c.r.State.ExitCode
		close(ex.ch)
	}
	return nil
}

// VolumeUsers lists the containers mounting volume name.
func (m *Manager) VolumeUsers(name string) []string {
	var ids []string
	for _, c := range m.All() {
		for _, mp := range c.r.Mounts {
			if mp.Type == mount.TypeVolume && mp.Name == name {
				ids = append(ids, c.r.ID)
				break
			}
		}
	}
	return ids
}

// ImageUsers lists the containers created from image id.
func (m *Manager) ImageUsers(id string) []*Container {
	var r []*Container
	for _, c := range m.All() {
		if c.r.ImageID == id {
			r = append(r, c)
		}
	}
	return r
}

// LayersInUse are the image layers that containers use.
func (m *Manager) LayersInUse() map[string]bool {
	r := map[string]bool{}
	for _, c := range m.All() {
		for _, d := range c.r.Layers { // set at create, never changed
			r[d] = true
		}
	}
	return r
}

// NetworkUsers maps the containers connected to network id to endpoints.
func (m *Manager) NetworkUsers(id string) map[string]*network.EndpointSettings {
	r := map[string]*network.EndpointSettings{}
	for _, c := range m.All() {
		c.mu.Lock()
		for _, ep := range c.r.Networks {
			if ep.NetworkID == id {
				r[c.r.ID] = ep
			}
		}
		c.mu.Unlock()
	}
	return r
}

// Rename changes a container's name.
func (m *Manager) Rename(ref, newName string) error {
	if newName == "" || !validName.MatchString(newName) {
		return errdefs.InvalidParameterf("Invalid container name (%s), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed", newName)
	}
	c, err := m.Get(ref)
	if err != nil {
		return err
	}
	newName = "/" + strings.TrimPrefix(newName, "/")
	m.mu.Lock()
	if c.r.Name == newName {
		m.mu.Unlock()
		return errdefs.InvalidParameterf("Renaming a container with the same name as its current name")
	}
	if other, ok := m.byName[newName]; ok {
		m.mu.Unlock()
		return errdefs.Conflictf("Error when allocating new name: Conflict. The container name %q is already in use by container %q. You have to remove (or rename) that container to be able to reuse that name.", newName, other.r.ID)
	}
	c.mu.Lock()
	old := c.r.Name
	delete(m.byName, old)
	c.r.Name = newName
	m.byName[newName] = c
	for _, ep := range c.r.Networks {
		if len(ep.DNSNames) > 0 {
			ep.DNSNames[0] = strings.TrimPrefix(newName, "/")
		}
	}
	err = c.save()
	c.mu.Unlock()
	m.mu.Unlock()
	if err != nil {
		return err
	}
	m.event(c, events.ActionRename, map[string]string{"oldName": old})
	return nil
}

// ConnectNetwork attaches a container to a network (bookkeeping only).
func (m *Manager) ConnectNetwork(ref string, netRef string, ep *network.EndpointSettings) error {
	c, err := m.Get(ref)
	if err != nil {
		return err
	}
	n, err := m.Networks.Get(netRef)
	if err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.r.Networks[n.Name]; ok {
		return errdefs.Forbiddenf("endpoint with name %s already exists in network %s", strings.TrimPrefix(c.r.Name, "/"), n.Name)
	}
	if ep == nil {
		ep = &network.EndpointSettings{}
	}
	ep = ep.Copy()
	ep.NetworkID, ep.EndpointID = n.ID, newID()
	ep.DNSNames = append([]string{strings.TrimPrefix(c.r.Name, "/"), c.r.ID[:12]}, ep.Aliases...)
	ep.Aliases = withShortIDAlias(n.Name, ep.Aliases, c.r.ID)
	c.r.Networks[n.Name] = ep
	if err := c.save(); err != nil {
		return err
	}
	m.Events.Publish(events.NetworkEventType, events.ActionConnect, n.ID, map[string]string{"container": c.r.ID, "name": n.Name, "type": n.Driver})
	return nil
}

// DisconnectNetwork detaches a container from a network.
func (m *Manager) DisconnectNetwork(ref, netRef string, force bool) error {
	c, err := m.Get(ref)
	if err != nil {
		return err
	}
	n, err := m.Networks.Get(netRef)
	if err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.r.Networks[n.Name]; !ok {
		return errdefs.Forbiddenf("container %s is not connected to network %s", c.r.ID[:12], n.Name)
	}
	delete(c.r.Networks, n.Name)
	if err := c.save(); err != nil {
		return err
	}
	m.Events.Publish(events.NetworkEventType, events.ActionDisconnect, n.ID, map[string]string{"container": c.r.ID, "name": n.Name, "type": n.Driver})
	return nil
}

var (
	adjectives = []string{"admiring", "agitated", "amazing", "angry", "awesome", "blissful", "bold", "boring", "brave", "busy", "charming", "clever", "cool", "compassionate", "competent", "confident", "cranky", "crazy", "dazzling", "determined", "distracted", "dreamy", "eager", "ecstatic", "elastic", "elated", "elegant", "eloquent", "epic", "fervent", "festive", "flamboyant", "focused", "friendly", "frosty", "gallant", "gifted", "goofy", "gracious", "happy", "hardcore", "heuristic", "hopeful", "hungry", "infallible", "inspiring", "jolly", "jovial", "keen", "kind", "laughing", "loving", "lucid", "magical", "modest", "musing", "mystifying", "naughty", "nervous", "nice", "nifty", "nostalgic", "objective", "optimistic", "peaceful", "pedantic", "pensive", "practical", "priceless", "quirky", "quizzical", "relaxed", "reverent", "romantic", "sad", "serene", "sharp", "silly", "sleepy", "stoic", "stupefied", "suspicious", "tender", "thirsty", "trusting", "unruffled", "upbeat", "vibrant", "vigilant", "vigorous", "wizardly", "wonderful", "xenodochial", "youthful", "zealous", "zen"}
	surnames   = []string{"albattani", "allen", "almeida", "archimedes", "ardinghelli", "babbage", "banach", "bardeen", "bartik", "bassi", "bell", "benz", "bhabha", "black", "bohr", "booth", "borg", "bose", "boyd", "brahmagupta", "brown", "carson", "cerf", "chandrasekhar", "colden", "cori", "curie", "darwin", "davinci", "dijkstra", "einstein", "elion", "engelbart", "euclid", "euler", "fermat", "fermi", "feynman", "franklin", "galileo", "gates", "goldberg", "goodall", "hamilton", "hawking", "heisenberg", "hermann", "hodgkin", "hopper", "hypatia", "jang", "jennings", "johnson", "kalam", "kapitsa", "keller", "kepler", "knuth", "kowalevski", "lalande", "lamport", "leakey", "lovelace", "lumiere", "mahavira", "mayer", "mccarthy", "mcclintock", "meitner", "mendel", "merkle", "mirzakhani", "morse", "napier", "newton", "nobel", "noether", "pascal", "pasteur", "payne", "perlman", "pike", "poincare", "ptolemy", "raman", "ride", "ritchie", "rosalind", "sammet", "shannon", "shockley", "sinoussi", "stonebraker", "swanson", "tesla", "thompson", "torvalds", "turing", "varahamihira", "visvesvaraya", "wilbur", "wiles", "williams", "wozniak", "wright", "yalow", "yonath"}
)

func randomName() string {
	b := make([]byte, 2)
	rand.Read(b)
	return adjectives[int(b[0])%len(adjectives)] + "_" + surnames[int(b[1])%len(surnames)]
}

// reserveName claims the container's name (a random one when none is
// given) and returns it with its leading slash.
func (m *Manager) reserveName(c *Container, name string) (string, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if name == "" {
		for {
			name = randomName()
			if _, taken := m.byName["/"+name]; !taken {
				break
			}
		}
	}
	name = "/" + strings.TrimPrefix(name, "/")
	if other, taken := m.byName[name]; taken {
		return "", errdefs.Conflictf("Conflict. The container name %q is already in use by container %q. You have to remove (or rename) that container to be able to reuse that name.", name, other.r.ID)
	}
	c.r.Name = name
	m.byName[name] = c
	return name, nil
}

// releaseName undoes a create that failed after reserveName.
func (m *Manager) releaseName(c *Container, name string) {
	m.mu.Lock()
	delete(m.byName, name)
	m.mu.Unlock()
	os.RemoveAll(filepath.Join(m.Root, c.r.ID))
}

// hostConfigDefaults fills what Docker records when the request leaves it
// out, and refuses --restart with --rm.
func hostConfigDefaults(hc *container.HostConfig) error {
	if hc.NetworkMode == "" {
		hc.NetworkMode = "default"
	}
	if hc.LogConfig.Type == "" {
		hc.LogConfig.Type = "json-file" // what Docker records: logs are kept as json-file does
	}
	if hc.LogConfig.Config == nil {
		hc.LogConfig.Config = map[string]string{}
	}
	if hc.RestartPolicy.Name == "" {
		hc.RestartPolicy.Name = container.RestartPolicyDisabled
	}
	if hc.AutoRemove && hc.RestartPolicy.Name != container.RestartPolicyDisabled {
		return errdefs.InvalidParameterf("conflicting options: cannot specify both --restart and --rm")
	}
	return nil
}
