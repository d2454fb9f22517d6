package containers

import (
	dockerspec "github.com/moby/docker-image-spec/specs-go/v1"
	"github.com/sockerless/sockerless/runtime/images"
	"io"
	goruntime "runtime"
	"strconv"
	"strings"
	"time"

	"github.com/moby/moby/api/types/container"
	"github.com/moby/moby/api/types/events"

	"github.com/sockerless/sockerless/runtime/errdefs"
	"github.com/sockerless/sockerless/runtime/filters"
)

// Event publishes a container event (for API-level actions such as
// archive access or export).
func (m *Manager) Event(c *Container, action string) {
	m.event(c, events.Action(action), nil)
}

// Update changes resources and the restart policy.
func (m *Manager) Update(ref string, u container.UpdateConfig) ([]string, error) {
	c, err := m.Get(ref)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	hc := *c.r.HostConfig
	if u.RestartPolicy.Name != "" {
		if c.r.HostConfig.AutoRemove && u.RestartPolicy.Name != container.RestartPolicyDisabled {
			return nil, errdefs.InvalidParameterf("Cannot update container %s: restart policy cannot be updated because AutoRemove is enabled for the container", c.r.ID[:12])
		}
		hc.RestartPolicy = u.RestartPolicy
		if err := validateHostConfig(&hc); err != nil {
			return nil, err
		}
	}
	if u.Memory != 0 {
		hc.Memory = u.Memory
	}
	if u.MemorySwap != 0 {
		hc.MemorySwap = u.MemorySwap
	}
	if u.NanoCPUs != 0 {
		hc.NanoCPUs = u.NanoCPUs
	}
	if u.CPUShares != 0 {
		hc.CPUShares = u.CPUShares
	}
	if u.PidsLimit != nil {
		hc.PidsLimit = u.PidsLimit
	}
	warnings := []string{}
	if c.r.Backend != "" && (u.Memory != 0 || u.MemorySwap != 0 || u.NanoCPUs != 0 || u.CPUShares != 0 || u.PidsLimit != nil) {
		if warnings, err = m.backendUpdate(c, &hc); err != nil {
			return nil, err
		}
	}
	c.r.HostConfig = &hc
	if err := c.save(); err != nil {
		return nil, err
	}
	go m.event(c, events.ActionUpdate, nil)
	return warnings, nil
}

// Prune removes stopped containers matching the filters.
func (m *Manager) Prune(f filters.Args) (container.PruneReport, error) {
	var rep container.PruneReport
	if err := f.Validate("until", "label", "label!"); err != nil {
		return rep, err
	}
	var until time.Time
	if f.Has("until") {
		v := f.Get("until")[0]
		if d, err := time.ParseDuration(v); err == nil {
			until = time.Now().Add(-d)
		} else if t, err := time.Parse(time.RFC3339, v); err == nil {
			until = t
		} else if n, err := strconv.ParseInt(v, 10, 64); err == nil {
			until = time.Unix(n, 0)
		} else {
			return rep, errdefs.InvalidParameterf("invalid until filter %q", v)
		}
	}
	for _, c := range m.All() {
		c.mu.Lock()
		running := c.r.State.Running || c.r.State.Restarting || c.r.State.Paused
		created := c.r.Created
		labels := c.r.Config.Labels
		c.mu.Unlock()
		if running || (!until.IsZero() && created.After(until)) || !f.Labels("label", labels) {
			continue
		}
		if f.Has("label!") {
			skip := false
			for v := range f["label!"] {
				k, val, hasVal := strings.Cut(v, "=")
				if got, ok := labels[k]; ok && (!hasVal || got == val) {
					skip = true
				}
			}
			if skip {
				continue
			}
		}
		if err := m.Remove(c.r.ID, false, false); err == nil {
			rep.ContainersDeleted = append(rep.ContainersDeleted, c.r.ID)
		}
	}
	m.Events.Publish(events.ContainerEventType, events.ActionPrune, "", map[string]string{"reclaimed": strconv.FormatUint(rep.SpaceReclaimed, 10)})
	return rep, nil
}

// Top lists the container's processes like `ps -ef`.
func (m *Manager) Top(ref, psArgs string) (container.TopResponse, error) {
	c, err := m.Get(ref)
	if err != nil {
		return container.TopResponse{}, err
	}
	if c.r.Backend != "" {
		return m.backendTop(c, psArgs)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.r.State.Running {
		return container.TopResponse{}, errdefs.Conflictf("Container %s is not running", c.r.ID)
	}
	var rows []psRow
	for _, p := range c.allProcsLocked() {
		r := psRow{pid: p.pid, ppid: p.parent(), uid: p.uid, gid: p.gid, args: p.args, start: p.start, tty: c.r.Config.Tty}
		if p.p != nil && c.procs[p.pid] == p { // an instance: its own figures
			r.cpu, r.rss = p.p.CPUTime(), int64(p.p.MemoryBytes())
		}
		rows = append(rows, r)
	}
	titles, procs, err := psTable(psArgs, rows, time.Now())
	if err != nil {
		return container.TopResponse{}, err
	}
	top := container.TopResponse{Titles: titles, Processes: procs}
	go m.event(c, events.ActionTop, nil)
	return top, nil
}

// Stats samples the container's resource figures: CPU time and linear
// memory summed over its processes, the host's CPU time from /proc/stat,
// the memory limit (--memory, else the host's memory) and process count.
func (m *Manager) Stats(c *Container, prev *container.StatsResponse) container.StatsResponse {
	c.mu.Lock()
	defer c.mu.Unlock()
	total, _ := hostMemory()
	limit := uint64(c.r.HostConfig.Memory)
	if limit == 0 {
		limit = total
	}
	st := container.StatsResponse{ID: c.r.ID, Name: c.r.Name, OSType: "linux", Read: time.Now()}
	if !c.r.State.Running {
		return st
	}
	cpu, mem := c.usageLocked()
	st.PidsStats = container.PidsStats{Current: uint64(len(c.procs) + len(c.children))}
	if c.procLimit != nil {
		st.PidsStats.Current = uint64(max(c.procLimit.Running(), int64(len(c.procs)+len(c.children))))
		st.PidsStats.Limit = uint64(*c.r.HostConfig.PidsLimit)
	}
	st.MemoryStats = container.MemoryStats{Usage: mem, MaxUsage: mem, Limit: limit, Stats: map[string]uint64{}}
	st.CPUStats = container.CPUStats{
		CPUUsage:    container.CPUUsage{TotalUsage: uint64(cpu), UsageInUsermode: uint64(cpu)},
		OnlineCPUs:  uint32(goruntime.NumCPU()),
		SystemUsage: systemCPUNanos(),
	}
	if prev != nil {
		st.PreCPUStats = prev.CPUStats
		st.PreRead = prev.Read
	}
	return st
}

// Changes lists what the container changed in its root file system.
func (m *Manager) Changes(ref string) ([]container.FilesystemChange, error) {
	c, err := m.Get(ref)
	if err != nil {
		return nil, err
	}
	if c.r.Backend != "" {
		return m.backendChanges(c)
	}
	f, err := c.FS()
	if err != nil {
		return nil, err
	}
	chs, err := f.Changes()
	if err != nil {
		return nil, errdefs.Wrap(errdefs.Unknown, err, "listing changes: %v", err)
	}
	r := make([]container.FilesystemChange, 0, len(chs))
	for _, ch := range chs {
		r = append(r, container.FilesystemChange{Path: ch.Path, Kind: container.ChangeType(ch.Kind)})
	}
	return r, nil
}

// Commit makes an image of the container's root file system changes.
func (m *Manager) Commit(ref, repo, author, comment string, changes []string) (*images.Image, error) {
	c, err := m.Get(ref)
	if err != nil {
		return nil, err
	}
	writeDiff := func(w io.Writer) error { return errdefs.NotImplementedf("no file system") }
	if c.r.Backend != "" {
		var cleanup func()
		writeDiff, cleanup, err = m.backendCommitLayer(c)
		if err != nil {
			return nil, err
		}
		defer cleanup()
	} else {
		f, err := c.FS()
		if err != nil {
			return nil, err
		}
		writeDiff = f.DiffTar
	}
	parent, err := m.Images.Get(c.r.ImageID)
	if err != nil {
		return nil, errdefs.Wrap(errdefs.Conflict, err, "cannot commit container %s: its image %s was deleted", c.r.ID[:12], strings.TrimPrefix(c.r.ImageID, "sha256:"))
	}
	c.mu.Lock()
	cc := c.r.Config
	cfg := dockerspec.DockerOCIImageConfig{}
	cfg.Env, cfg.Cmd, cfg.Entrypoint, cfg.WorkingDir, cfg.User = cc.Env, cc.Cmd, cc.Entrypoint, cc.WorkingDir, cc.User
	cfg.Labels, cfg.StopSignal = cc.Labels, cc.StopSignal
	if len(cc.Volumes) > 0 {
		cfg.Volumes = cc.Volumes
	}
	if len(cc.ExposedPorts) > 0 {
		cfg.ExposedPorts = map[string]struct{}{}
		for p := range cc.ExposedPorts {
			cfg.ExposedPorts[p.String()] = struct{}{}
		}
	}
	cfg.Healthcheck = cc.Healthcheck
	c.mu.Unlock()
	im, err := m.Images.Commit(writeDiff, images.CommitOptions{Parent: parent, Config: cfg, Changes: changes, Author: author, Comment: comment, Ref: repo,
		CreatedBy: strings.TrimSpace(c.r.Path + " " + strings.Join(c.r.Args, " ")), Container: c.r.ID})
	if err != nil {
		return nil, err
	}
	m.event(c, events.ActionCommit, map[string]string{"comment": comment, "imageID": im.ID})
	return im, nil
}
