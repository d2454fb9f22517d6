package containers

import (
	"fmt"
	"io/fs"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	units "github.com/docker/go-units"
	"github.com/moby/moby/api/types/container"
	"github.com/moby/moby/api/types/network"
	"github.com/moby/moby/api/types/storage"

	"github.com/sockerless/sockerless/runtime/errdefs"
	"github.com/sockerless/sockerless/runtime/filters"
)

// Inspect returns the container's inspect document.
func (c *Container) Inspect(size bool) container.InspectResponse {
	c.refreshBackend()
	c.mu.Lock()
	defer c.mu.Unlock()
	st := c.r.State
	if st.Health != nil {
		h := *st.Health
		h.Log = append([]*container.HealthcheckResult(nil), h.Log...)
		st.Health = &h
	}
	cfg := *c.r.Config
	hc := *c.r.HostConfig
	nets := map[string]*network.EndpointSettings{}
	for k, v := range c.r.Networks {
		nets[k] = v.Copy()
	}
	r := container.InspectResponse{
		ID: c.r.ID, Created: formatTime(c.r.Created), Path: c.r.Path, Args: c.r.Args, State: &st,
		Image: c.r.ImageID, Name: c.r.Name, RestartCount: c.r.RestartCount, Driver: "sockerless-overlay", Platform: "linux",
		LogPath:      filepath.Join(c.m.Root, c.r.ID, "log"),
		HostnamePath: c.etcPath("hostname"), HostsPath: c.etcPath("hosts"), ResolvConfPath: c.etcPath("resolv.conf"),
		ExecIDs:    c.liveExecIDsLocked(),
		HostConfig: &hc,
		GraphDriver: &storage.DriverData{Name: "sockerless-overlay", Data: map[string]string{
			"UpperDir": filepath.Join(c.m.Root, c.r.ID, "upper"),
		}},
		Mounts: append([]container.MountPoint{}, c.r.Mounts...),
		Config: &cfg,
		NetworkSettings: &container.NetworkSettings{
			SandboxID: "", SandboxKey: "",
			Ports:    c.portsLocked(),
			Networks: nets,
		},
	}
	if size {
		rw := c.sizeRwLocked()
		r.SizeRw = &rw
		var rootfs int64
		if im, err := c.m.Images.Get(c.r.ImageID); err == nil {
			rootfs = im.Size + rw
		}
		r.SizeRootFs = &rootfs
	}
	return r
}

func (c *Container) liveExecIDsLocked() []string {
	var r []string
	c.m.mu.RLock()
	defer c.m.mu.RUnlock()
	for _, id := range c.execIDs {
		if e, ok := c.m.execs[id]; ok {
			e.mu.Lock()
			if e.running {
				r = append(r, id)
			}
			e.mu.Unlock()
		}
	}
	return r
}

func (c *Container) portsLocked() network.PortMap {
	pm := network.PortMap{}
	for p := range c.r.Config.ExposedPorts {
		pm[p] = nil
	}
	if c.r.Backend != "" {
		if c.r.State.Running {
			for p, bs := range c.r.BackendPorts {
				pm[p] = bs
			}
		}
		return pm
	}
	if c.r.State.Running {
		for p, bs := range c.published {
			pm[p] = bs
		}
	}
	return pm
}

func (c *Container) sizeRwLocked() int64 {
	var n int64
	filepath.WalkDir(filepath.Join(c.m.Root, c.r.ID, "upper"), func(p string, d fs.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() {
			if fi, err := d.Info(); err == nil {
				n += fi.Size()
			}
		}
		return nil
	})
	return n
}

// statusLine is the STATUS column of docker ps.
func (c *Container) statusLineLocked() string {
	st := c.r.State
	now := time.Now()
	parse := func(s string) time.Time { t, _ := time.Parse(time.RFC3339Nano, s); return t }
	switch {
	case st.Restarting:
		return fmt.Sprintf("Restarting (%d) %s ago", st.ExitCode, units.HumanDuration(now.Sub(parse(st.FinishedAt))))
	case st.Running:
		s := "Up " + units.HumanDuration(now.Sub(parse(st.StartedAt)))
		if st.Paused {
			return s + " (Paused)"
		}
		if st.Health != nil {
			switch st.Health.Status {
			case container.Starting:
				s += " (health: starting)"
			case container.Healthy:
				s += " (healthy)"
			case container.Unhealthy:
				s += " (unhealthy)"
			}
		}
		return s
	case st.Status == container.StateRemoving:
		return "Removal In Progress"
	case st.Status == container.StateDead:
		return "Dead"
	case st.Status == container.StateCreated:
		return "Created"
	}
	if parse(st.FinishedAt).IsZero() {
		return "Created"
	}
	return fmt.Sprintf("Exited (%d) %s ago", st.ExitCode, units.HumanDuration(now.Sub(parse(st.FinishedAt))))
}

// Summary is the container's docker ps row.
func (c *Container) Summary() container.Summary {
	c.mu.Lock()
	defer c.mu.Unlock()
	cmd := psCommand(c.r.Path, c.r.Args)
	image := c.r.Config.Image
	s := container.Summary{
		ID: c.r.ID, Names: []string{c.r.Name}, Image: image, ImageID: c.r.ImageID, Command: cmd,
		Created: c.r.Created.Unix(), Labels: c.r.Config.Labels, State: c.r.State.Status, Status: c.statusLineLocked(),
		Mounts: append([]container.MountPoint{}, c.r.Mounts...),
		Ports:  []container.PortSummary{},
	}
	if s.Labels == nil {
		s.Labels = map[string]string{}
	}
	s.HostConfig.NetworkMode = string(c.r.HostConfig.NetworkMode)
	nets := map[string]*network.EndpointSettings{}
	for k, v := range c.r.Networks {
		nets[k] = v.Copy()
	}
	s.NetworkSettings = &container.NetworkSettingsSummary{Networks: nets}
	if c.r.State.Health != nil {
		s.Health = &container.HealthSummary{Status: c.r.State.Health.Status, FailingStreak: c.r.State.Health.FailingStreak}
	}
	for p, bs := range c.portsLocked() {
		if len(bs) == 0 {
			s.Ports = append(s.Ports, container.PortSummary{PrivatePort: p.Num(), Type: string(p.Proto())})
		}
		for _, b := range bs {
			hp, _ := strconv.Atoi(b.HostPort)
			s.Ports = append(s.Ports, container.PortSummary{IP: b.HostIP, PrivatePort: p.Num(), PublicPort: uint16(hp), Type: string(p.Proto())})
		}
	}
	return s
}

// ListOptions select containers for docker ps.
type ListOptions struct {
	All     bool
	Limit   int
	Size    bool
	Filters filters.Args
}

// List returns the docker ps rows.
func (m *Manager) List(o ListOptions) ([]container.Summary, error) {
	f := o.Filters
	if err := f.Validate("id", "name", "label", "status", "ancestor", "network", "volume", "exited", "before", "since", "health", "is-task", "publish", "expose"); err != nil {
		return nil, err
	}
	for _, s := range f.Get("status") {
		switch s {
		case "created", "restarting", "running", "removing", "paused", "exited", "dead":
		default:
			return nil, errdefs.InvalidParameterf("invalid filter 'status=%s'", s)
		}
	}
	all := m.All()
	for _, c := range all {
		c.refreshBackend()
	}
	var before, since time.Time
	if f.Has("before") {
		c, err := m.Get(f.Get("before")[0])
		if err != nil {
			return nil, err
		}
		before = c.r.Created
	}
	if f.Has("since") {
		c, err := m.Get(f.Get("since")[0])
		if err != nil {
			return nil, err
		}
		since = c.r.Created
	}
	// limit (docker ps -n N, -l) lists the last N created in any state, as Docker does.
	showAll := o.All || o.Limit > 0 || f.Has("status") || f.Has("exited")
	var out []container.Summary
	for _, c := range all {
		s := c.Summary()
		if !showAll && s.State != container.StateRunning && s.State != container.StateRestarting && s.State != container.StatePaused {
			continue
		}
		if !f.Prefix("id", s.ID) || !f.Substring("name", s.Names[0]) || !f.Labels("label", s.Labels) || !f.Exact("status", string(s.State)) {
			continue
		}
		if f.Has("exited") {
			if s.State != container.StateExited || !f.Exact("exited", strconv.Itoa(c.exitCode())) {
				continue
			}
		}
		if !before.IsZero() && !c.r.Created.Before(before) || !since.IsZero() && !c.r.Created.After(since) {
			continue
		}
		if f.Has("ancestor") && !m.matchAncestor(f, c) {
			continue
		}
		if f.Has("network") {
			ok := false
			for name, ep := range s.NetworkSettings.Networks {
				if f.Any("network", name, ep.NetworkID) {
					ok = true
				}
			}
			if !ok {
				continue
			}
		}
		if f.Has("volume") {
			ok := false
			for _, mp := range s.Mounts {
				if f.Any("volume", mp.Name, mp.Destination, mp.Source) {
					ok = true
				}
			}
			if !ok {
				continue
			}
		}
		if f.Has("health") {
			h := "none"
			if s.Health != nil {
				h = string(s.Health.Status)
			}
			if !f.Exact("health", h) {
				continue
			}
		}
		if o.Size {
			s.SizeRw = 0
			if im, err := m.Images.Get(c.r.ImageID); err == nil {
				s.SizeRootFs = im.Size
			}
		}
		out = append(out, s)
		if o.Limit > 0 && len(out) >= o.Limit {
			break
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Created > out[j].Created })
	if out == nil {
		out = []container.Summary{}
	}
	return out, nil
}

func (c *Container) exitCode() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.r.State.ExitCode
}

func (m *Manager) matchAncestor(f filters.Args, c *Container) bool {
	for _, a := range f.Get("ancestor") {
		im, err := m.Images.Get(a)
		if err != nil {
			continue
		}
		if im.ID == c.r.ImageID {
			return true
		}
		// an image built on the ancestor also matches
		for p := c.r.ImageID; p != ""; {
			pi, err := m.Images.Get(p)
			if err != nil {
				break
			}
			if pi.ID == im.ID {
				return true
			}
			p = pi.Parent
		}
	}
	return false
}

// psCommand is the COMMAND of docker ps: the path and arguments, those
// with blanks or shell metacharacters in single quotes, as Docker shows
// them ("sh -c 'exit 3'").
func psCommand(path string, args []string) string {
	parts := make([]string, 0, 1+len(args))
	for _, a := range append([]string{path}, args...) {
		parts = append(parts, shellQuote(a))
	}
	return strings.Join(parts, " ")
}

func shellQuote(s string) string {
	if s == "" {
		return "''"
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("_-./:=,+@%", r)) {
			return "'" + strings.ReplaceAll(s, "'", `'"'"'`) + "'"
		}
	}
	return s
}
