package containers

// Containers placed on a backend (runtime/backend) other than the sandbox:
// the daemon keeps their record, state, events and waits as for any
// container, and every operation on them goes through the backend's
// adapter. The record carries the backend's name and handle (Backend,
// BackendHandle), so they survive a daemon restart; inspect shows the
// backend as HostConfig.Runtime = "sockerless-<backend>".
//
// Hooks in the sandbox code paths (Create, startLocked, Stop, Kill, Remove,
// Attach, Detach, Logs, ExecStart, Resize, Top, Pause, Unpause, Update,
// FS, Open, Close) call into this file.

import (
	"archive/tar"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/netip"
	"os"
	"path"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/moby/moby/api/types/container"
	"github.com/moby/moby/api/types/events"
	"github.com/moby/moby/api/types/mount"
	"github.com/moby/moby/api/types/network"

	"github.com/sockerless/sockerless/builtins"
	"github.com/sockerless/sockerless/runtime/backend"
	"github.com/sockerless/sockerless/runtime/errdefs"
	"github.com/sockerless/sockerless/runtime/images"
)

// RuntimePrefix prefixes the backend's name in HostConfig.Runtime of a
// container that runs on a backend ("sockerless-docker").
const RuntimePrefix = "sockerless-"

// backendState is the manager's state for backend containers.
type backendState struct {
	once    sync.Once
	ctx     context.Context
	cancel  context.CancelFunc
	mu      sync.Mutex
	attachs map[*Attach]backendAttachment
	recover []*Container // backend containers loaded by Open
}

// bctx is cancelled when the manager closes: waits on backends end
// without marking their containers exited (they run on).
func (m *Manager) bctx() context.Context {
	m.be.once.Do(func() {
		m.be.ctx, m.be.cancel = context.WithCancel(context.Background())
		m.be.attachs = map[*Attach]backendAttachment{}
	})
	return m.be.ctx
}

func (m *Manager) closeBackends() {
	m.bctx()
	m.be.cancel()
}

// Backend is the name of the backend the container runs on ("" for the
// sandbox).
func (c *Container) Backend() string { return c.r.Backend }

func (m *Manager) backendOf(c *Container) (backend.Backend, error) {
	if m.Backends == nil {
		return nil, errdefs.Unavailablef("container %s runs on the %s backend, but this daemon has no backends loaded", c.r.ID[:12], c.r.Backend)
	}
	b, ok := m.Backends.Backend(c.r.Backend)
	if !ok {
		return nil, errdefs.Unavailablef("container %s runs on the %s backend, which this daemon has not loaded (loaded: %s)", c.r.ID[:12], c.r.Backend, strings.Join(m.Backends.Names(), ", "))
	}
	return b, nil
}

// notOnBackend refuses an operation the backend interface cannot do.
func notOnBackend(c *Container, what string) error {
	return errdefs.NotImplementedf("the %s backend cannot %s: container %s runs on it, outside the sandbox", c.r.Backend, what, c.r.ID[:12])
}

// RefuseOnBackend returns a 501 naming the backend when c runs on one
// (for API operations the backend interface does not have: stats...).
func (m *Manager) RefuseOnBackend(c *Container, what string) error {
	if c.r.Backend == "" {
		return nil
	}
	return notOnBackend(c, what)
}

// place decides where a new container goes. It returns "" for the sandbox.
func (m *Manager) place(cfg *container.Config, im *images.Image) (string, error) {
	labels := map[string]string{}
	if im != nil {
		for k, v := range im.Config.Config.Labels {
			labels[k] = v
		}
	}
	for k, v := range cfg.Labels {
		labels[k] = v
	}
	if m.Router == nil {
		if n, ok := labels[backend.Label]; ok && strings.TrimSpace(n) != backend.Sandbox {
			return "", errdefs.InvalidParameterf("label %s=%s: this daemon has no backends loaded", backend.Label, n)
		}
		return "", nil
	}
	p, err := m.Router.Place(labels, cfg.Image, false)
	if err != nil {
		return "", err
	}
	if p.Backend == backend.Sandbox && p.Reason == "default" && im != nil && !im.Base {
		if m.entrypointIsELF(im, mergeConfig(cfg, im)) {
			// Without --escape-backend the container is created in the
			// sandbox and its start fails with the guest's "exec format
			// error" message, as Docker's does for a foreign binary.
			if p2, err := m.Router.Place(labels, cfg.Image, true); err == nil {
				m.Log.Info("escaping a Linux program to a backend", "image", cfg.Image, "backend", p2.Backend)
				p = p2
			}
		}
	}
	if p.Backend == backend.Sandbox {
		return "", nil
	}
	return p.Backend, nil
}

// createOnBackend creates the container on a backend when the router
// places it there; ok is false for sandbox containers.
func (m *Manager) createOnBackend(req CreateRequest) (c *Container, warnings []string, err error, ok bool) {
	cfg := req.Config
	if cfg == nil || cfg.Image == "" {
		return nil, nil, nil, false
	}
	im, imErr := m.Images.Get(cfg.Image)
	if imErr != nil {
		im = nil
	}
	name, err := m.place(cfg, im)
	if err != nil {
		return nil, nil, err, true
	}
	if name == "" {
		return nil, nil, nil, false
	}
	c, warnings, err = m.createBackendContainer(req, im, name)
	return c, warnings, err, true
}

func (m *Manager) createBackendContainer(req CreateRequest, im *images.Image, bname string) (*Container, []string, error) {
	if m.Backends == nil {
		return nil, nil, errdefs.Unavailablef("no backends are loaded")
	}
	b, ok := m.Backends.Backend(bname)
	if !ok {
		return nil, nil, errdefs.InvalidParameterf("no backend called %q", bname)
	}
	cfg := req.Config
	hc := req.HostConfig
	if hc == nil {
		hc = &container.HostConfig{}
	}
	if req.Name != "" && !validName.MatchString(req.Name) {
		return nil, nil, errdefs.InvalidParameterf("Invalid container name (%s), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed", req.Name)
	}
	if err := validateHostConfig(hc); err != nil {
		return nil, nil, err
	}
	hostPaths := b.Capabilities().HostPaths
	mounts, points, err := backendMounts(bname, hc, hostPaths)
	if err != nil {
		return nil, nil, err
	}
	c := &Container{m: m, procs: map[int]*procInfo{}, removed: make(chan struct{}), exit: newExitSignal()}
	c.r.ID = newID()
	c.r.Created = time.Now().UTC()
	if im != nil && !im.Base {
		// The far engine gets the merged config: the image may be local
		// only (escaped Linux programs).
		c.r.ImageID = im.ID
		c.r.Config = mergeConfig(cfg, im)
	} else {
		// The far engine has (or pulls) the real image and merges its
		// config itself.
		cc := *cfg
		labels := map[string]string{}
		for k, v := range cfg.Labels {
			labels[k] = v
		}
		cc.Labels = labels
		c.r.Config = &cc
		if im != nil {
			c.r.ImageID = im.ID
		}
	}
	userHostname := c.r.Config.Hostname
	if c.r.Config.Hostname == "" {
		c.r.Config.Hostname = c.r.ID[:12]
	}
	ep := append(append([]string(nil), c.r.Config.Entrypoint...), c.r.Config.Cmd...)
	if len(ep) > 0 {
		c.r.Path, c.r.Args = ep[0], ep[1:]
	}
	if c.r.Args == nil {
		c.r.Args = []string{}
	}
	if err := hostConfigDefaults(hc); err != nil {
		return nil, nil, err
	}
	hc.Runtime = RuntimePrefix + bname
	c.r.HostConfig = hc
	c.r.Backend = bname
	c.r.Mounts = points
	c.r.State = container.State{Status: container.StateCreated, StartedAt: formatTime(time.Time{}), FinishedAt: formatTime(time.Time{})}
	if err := m.setupNetworks(c, req.Networking); err != nil {
		return nil, nil, err
	}
	var populate []container.MountPoint
	if hostPaths {
		// The backend sees this host: binds and this daemon's volumes
		// (named, anonymous, --volumes-from) are mounted as for a sandbox
		// container, from their host directories.
		if points, populate, err = m.resolveMounts(c, im); err != nil {
			return nil, nil, err
		}
		c.r.Mounts, mounts = points, nil
		for _, p := range points {
			if _, ok := hc.Tmpfs[p.Destination]; ok && p.Type == mount.TypeTmpfs {
				continue // HostConfig.Tmpfs goes as such
			}
			mounts = append(mounts, backend.Mount{Source: p.Source, Target: p.Destination, ReadOnly: !p.RW})
		}
	}

	name, err := m.reserveName(c, req.Name)
	if err != nil {
		return nil, nil, err
	}
	fail := func(err error) (*Container, []string, error) {
		m.releaseName(c, name)
		return nil, nil, err
	}

	rc := c.r.Config
	spec := backend.ContainerSpec{
		Name: strings.TrimPrefix(name, "/"), Image: cfg.Image, Entrypoint: rc.Entrypoint, Cmd: rc.Cmd, Env: rc.Env,
		WorkingDir: rc.WorkingDir, User: rc.User, Hostname: userHostname, Tty: rc.Tty, OpenStdin: rc.OpenStdin,
		StdinOnce: rc.StdinOnce, StopSignal: rc.StopSignal, StopTimeout: rc.StopTimeout, Mounts: mounts,
		Labels: map[string]string{"io.sockerless.container": c.r.ID},
	}
	if spec.Hostname == "" {
		spec.Hostname = c.r.Config.Hostname
	}
	for k, v := range rc.Labels {
		spec.Labels[k] = v
	}
	specHost(&spec, rc, hc)
	ctx, cancel := context.WithTimeout(m.bctx(), 10*time.Minute) // may pull on the far side
	defer cancel()
	local := im != nil && !im.Base
	if local {
		// The image here is the one the user means: the backend gets it
		// from here when it does not have it, rather than pulling.
		spec.Pull = "never"
	}
	handle, warnings, err := b.Create(ctx, spec)
	if local && errdefs.Is(err, errdefs.NotFound) {
		if err = m.shipImage(ctx, b, cfg.Image); err == nil {
			handle, warnings, err = b.Create(ctx, spec)
		}
	}
	if errdefs.Is(err, errdefs.Conflict) && spec.Name != "" {
		// The name is taken on the far engine: let it choose one.
		spec.Name = ""
		handle, warnings, err = b.Create(ctx, spec)
	}
	if err != nil {
		return fail(requestErr(bname, err))
	}
	c.r.BackendHandle = handle
	if err := os.MkdirAll(filepath.Join(m.Root, c.r.ID), 0o700); err != nil {
		b.Remove(context.Background(), handle, true)
		return fail(err)
	}
	if im != nil && !im.Base {
		// New volumes take a copy of the image's content, as Docker's do.
		if err := m.populateVolumes(c, im, populate); err != nil {
			b.Remove(context.Background(), handle, true)
			os.RemoveAll(filepath.Join(m.Root, c.r.ID))
			return fail(err)
		}
	}
	if c.out, err = openOutput(filepath.Join(m.Root, c.r.ID, "log")); err != nil {
		b.Remove(context.Background(), handle, true)
		return fail(err)
	}
	if err := c.save(); err != nil {
		c.out.close()
		b.Remove(context.Background(), handle, true)
		return fail(err)
	}
	m.mu.Lock()
	m.byID[c.r.ID] = c
	m.mu.Unlock()
	m.Log.Debug("container created on a backend", "id", c.r.ID[:12], "backend", bname, "handle", handle)
	m.event(c, events.ActionCreate, nil)
	if warnings == nil {
		warnings = []string{}
	}
	return c, warnings, nil
}

// requestErr drops the backend's name from its answer about the request
// itself (a relative working dir, no command, no such image): the user
// sees it as Docker says it. Failures of the backend keep the name.
// More kinds may be given (Unknown: the backend's own answer, when it is
// known to have judged the request).
func requestErr(bname string, err error, more ...errdefs.Kind) error {
	var e *errdefs.Error
	if !errors.As(err, &e) {
		return err
	}
	switch {
	case e.Kind == errdefs.InvalidParameter, e.Kind == errdefs.NotFound, e.Kind == errdefs.Conflict, slices.Contains(more, e.Kind):
		if msg, ok := strings.CutPrefix(e.Msg, bname+" backend: "); ok && !strings.Contains(msg, "inside the adapter") {
			return &errdefs.Error{Kind: e.Kind, Msg: msg, Cause: err}
		}
	}
	return err
}

// backendMounts turns binds and mounts into the backend's mount requests
// (paths and volume names as the far engine sees them).
func backendMounts(bname string, hc *container.HostConfig, hostPaths bool) ([]backend.Mount, []container.MountPoint, error) {
	var ms []backend.Mount
	points := []container.MountPoint{}
	for _, bd := range hc.Binds {
		parts := strings.Split(bd, ":")
		if len(parts) < 2 || len(parts) > 3 {
			return nil, nil, errdefs.InvalidParameterf("invalid volume specification: '%s'", bd)
		}
		if len(parts) == 3 && !validBindMode(parts[2]) {
			return nil, nil, errdefs.InvalidParameterf("invalid mode: %s", parts[2])
		}
		ro := len(parts) == 3 && strings.Contains(","+parts[2]+",", ",ro,")
		ms = append(ms, backend.Mount{Source: parts[0], Target: parts[1], ReadOnly: ro})
		t := mount.TypeVolume
		if filepath.IsAbs(parts[0]) {
			t = mount.TypeBind
		}
		points = append(points, container.MountPoint{Type: t, Source: parts[0], Destination: parts[1], RW: !ro})
	}
	for _, mt := range hc.Mounts {
		switch mt.Type {
		case mount.TypeBind, mount.TypeVolume, "":
			ms = append(ms, backend.Mount{Source: mt.Source, Target: mt.Target, ReadOnly: mt.ReadOnly})
			points = append(points, container.MountPoint{Type: mt.Type, Source: mt.Source, Destination: mt.Target, RW: !mt.ReadOnly})
		case mount.TypeTmpfs:
			// Not a mount of the far engine's: resolveMounts handles it
			// with host paths; otherwise refused below.
			if !hostPaths {
				return nil, nil, errdefs.NotImplementedf("the %s backend cannot make tmpfs mounts with --mount (use --tmpfs)", bname)
			}
		default:
			return nil, nil, errdefs.NotImplementedf("the %s backend cannot make %s mounts", bname, mt.Type)
		}
	}
	if len(hc.VolumesFrom) > 0 && !hostPaths {
		return nil, nil, errdefs.NotImplementedf("the %s backend cannot share volumes between containers (--volumes-from) on an engine that does not share this host's files", bname)
	}
	return ms, points, nil
}

// backendStartLocked starts the container on its backend and watches for
// its exit. c.mu is held.
func (c *Container) backendStartLocked() error {
	m := c.m
	b, err := m.backendOf(c)
	if err != nil {
		return err
	}
	ctx := m.bctx()
	m.attachesReady(c, 10*time.Second)
	if err := b.Start(ctx, c.r.BackendHandle); err != nil {
		// As Docker: the container stays created with the code of the
		// failure (127: no such program), its attaches end, and with
		// AutoRemove it goes.
		code := 128
		if st, serr := b.Status(ctx, c.r.BackendHandle); serr == nil && !st.Running {
			if st.ExitCode != 0 {
				code = st.ExitCode
			}
			// The backend judged the container (unknown user, port
			// taken): its words, as Docker's.
			err = requestErr(c.r.Backend, err, errdefs.Unknown)
		}
		m.endFreshAttaches(c)
		if c.r.HostConfig.AutoRemove {
			if rerr := b.Remove(ctx, c.r.BackendHandle, true); rerr != nil && !errdefs.Is(rerr, errdefs.NotFound) {
				m.Log.Warn("auto-remove on the backend failed", "id", c.r.ID[:12], "backend", c.r.Backend, "err", rerr)
			}
		}
		return c.startFailedLocked(code, err)
	}
	now := time.Now()
	c.started = now
	c.stopping = false
	c.r.State = container.State{Status: container.StateRunning, Running: true, StartedAt: formatTime(now), FinishedAt: formatTime(time.Time{})}
	c.r.BackendPorts = nil
	if hc := c.r.Config.Healthcheck; hc != nil && len(hc.Test) > 0 && hc.Test[0] != "NONE" {
		c.r.State.Health = &container.Health{Status: container.Starting, Log: []*container.HealthcheckResult{}}
	}
	if st, err := b.Status(ctx, c.r.BackendHandle); err == nil {
		if t, err := time.Parse(time.RFC3339Nano, st.StartedAt); err == nil && !t.IsZero() && t.Year() > 1 {
			c.r.State.StartedAt = formatTime(t)
		}
		c.applyStatusLocked(st)
	}
	c.save()
	m.event(c, events.ActionStart, nil)
	go m.backendWait(c, b, c.r.BackendHandle, c.exit)
	return nil
}

// backendWait records the exit of one run on the backend.
func (m *Manager) backendWait(c *Container, b backend.Backend, handle string, ex *exitSignal) {
	ctx := m.bctx()
	code, err := b.Wait(ctx, handle)
	if ctx.Err() != nil {
		return // the daemon is closing: the container runs on
	}
	var finished time.Time
	var errMsg string
	st, serr := b.Status(ctx, handle)
	if serr == nil && !st.Running {
		if t, perr := time.Parse(time.RFC3339Nano, st.FinishedAt); perr == nil && t.Year() > 1 {
			finished = t
		}
		if err != nil {
			code = st.ExitCode
		}
		errMsg = st.Error
	}
	c.mu.Lock()
	if err != nil && (serr != nil || st.Running) {
		if c.stopping {
			code = 137
		} else {
			code = 255
			errMsg = err.Error()
		}
	}
	if c.exit != ex || c.r.State.Status == container.StateRemoving {
		c.mu.Unlock() // removed meanwhile: destroy has settled the waits
		return
	}
	if finished.IsZero() {
		finished = time.Now()
	}
	s := &c.r.State
	s.Running, s.Pid, s.Status = false, 0, container.StateExited
	s.ExitCode = code
	s.FinishedAt = formatTime(finished)
	s.Error = errMsg
	restart, delay := c.restartDecision(code)
	if restart {
		s.Restarting = true
		s.Status = container.StateRestarting
	}
	c.save()
	c.exit = newExitSignal()
	ex.code = code
	autoRemove := c.r.HostConfig.AutoRemove && !restart
	c.mu.Unlock()
	close(ex.ch)
	m.event(c, events.ActionDie, map[string]string{"exitCode": strconv.Itoa(code)})
	if autoRemove {
		m.attachesDone(c, 10*time.Second)
		if err := b.Remove(context.Background(), handle, true); err != nil && !errdefs.Is(err, errdefs.NotFound) {
			m.Log.Warn("auto-remove on the backend failed", "id", c.r.ID[:12], "backend", c.r.Backend, "err", err)
		}
		m.destroy(c, true)
		return
	}
	if restart {
		c.scheduleRestart(delay)
	}
}

// waitRecorded waits (bounded) until the exit of the run ex is recorded.
func waitRecorded(ex *exitSignal, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ex.ch:
	case <-t.C:
	}
}

func (m *Manager) backendStop(c *Container, timeout *int, signal string) error {
	b, err := m.backendOf(c)
	if err != nil {
		return err
	}
	sigName := signal
	if sigName == "" {
		sigName = c.r.Config.StopSignal
	}
	sig, err := ParseSignal(sigName)
	if err != nil {
		return err
	}
	if sig == 0 {
		sig = 15
	}
	c.mu.Lock()
	c.r.ManuallyStopped = true
	c.stopping = true
	ex := c.exit
	c.mu.Unlock()
	m.event(c, events.ActionKill, map[string]string{"signal": strconv.Itoa(sig)})
	err = b.Stop(m.bctx(), c.r.BackendHandle, signal, timeout)
	if err != nil && !errdefs.Is(err, errdefs.NotModified) {
		return err
	}
	waitRecorded(ex, 30*time.Second)
	m.event(c, events.ActionStop, nil)
	return nil
}

func (m *Manager) backendKill(c *Container, signal string) error {
	b, err := m.backendOf(c)
	if err != nil {
		return err
	}
	sig, err := ParseSignal(signal)
	if err != nil {
		return err
	}
	if sig == 0 {
		sig = 9
	}
	c.mu.Lock()
	stopSig, _ := ParseSignal(c.r.Config.StopSignal)
	if sig == 9 || sig == stopSig || (stopSig == 0 && sig == 15) {
		c.r.ManuallyStopped = true
		c.stopping = true
	}
	ex := c.exit
	c.mu.Unlock()
	m.event(c, events.ActionKill, map[string]string{"signal": strconv.Itoa(sig)})
	if err := b.Kill(m.bctx(), c.r.BackendHandle, strconv.Itoa(sig)); err != nil {
		return err
	}
	if sig == 9 {
		waitRecorded(ex, 30*time.Second)
	}
	return nil
}

// backendRemove removes the container on its backend, then its record.
// The checks (running without force...) are done.
func (m *Manager) backendRemove(c *Container, force, removeVolumes bool) error {
	c.mu.Lock()
	c.stopping = true
	if c.restart != nil {
		c.restart.Stop()
		c.restart = nil
	}
	running := c.r.State.Running
	ex := c.exit
	c.mu.Unlock()
	if b, err := m.backendOf(c); err == nil {
		if err := b.Remove(m.bctx(), c.r.BackendHandle, force); err != nil && !errdefs.Is(err, errdefs.NotFound) {
			return err
		}
	} else if !force {
		return err
	}
	if running {
		waitRecorded(ex, 10*time.Second)
	}
	c.mu.Lock()
	c.r.HostConfig.AutoRemove = false // we remove it here
	c.mu.Unlock()
	return m.destroy(c, removeVolumes)
}

// backendAttach bridges rw with the container's streams on the backend.
func (m *Manager) backendAttach(c *Container, opts AttachOptions, rw io.ReadWriter, stdinClosed func()) (*Attach, error) {
	b, err := m.backendOf(c)
	if err != nil {
		return nil, err
	}
	canAttach := b.Capabilities().Attach
	c.mu.Lock()
	tty := c.r.Config.Tty
	openStdin := c.r.Config.OpenStdin
	ex := c.exit
	// Not started yet: the start waits for this attach (see below).
	fresh := c.r.State.Status == container.StateCreated
	c.mu.Unlock()
	a := newAttach(rw, tty, opts.Stdout, opts.Stderr)
	var mu sync.Mutex
	send := func(stream byte) io.Writer {
		return writerFunc(func(p []byte) (int, error) {
			mu.Lock()
			defer mu.Unlock()
			if err := a.send(stream, p); err != nil {
				return 0, err
			}
			return len(p), nil
		})
	}
	stdio := backend.Stdio{}
	if opts.Stdout {
		stdio.Stdout = send(Stdout)
	}
	if opts.Stderr {
		stdio.Stderr = send(Stderr)
	}
	if tty && opts.Stdout {
		stdio.Stderr = stdio.Stdout
	}
	// Not Logs for an attach before the start: the start waits until the
	// far attach is established (below), and a far attach with logs can
	// repeat a line written as it attaches.
	ao := backend.AttachOptions{Stdout: opts.Stdout, Stderr: opts.Stderr, Logs: opts.Logs, Stream: opts.Stream}
	if opts.Stdin && openStdin && opts.Stream {
		if !canAttach {
			return nil, notOnBackend(c, "attach to a container's input")
		}
		stdio.Stdin = &notifyReader{r: rw, done: stdinClosed}
		ao.Stdin = true
	} else if stdinClosed != nil {
		go func() {
			io.Copy(io.Discard, rw)
			stdinClosed()
		}()
	}
	ctx, cancel := context.WithCancel(m.bctx())
	at := backendAttachment{c: c, cancel: cancel}
	if canAttach && fresh && opts.Stream {
		// Before the start: the start waits until the far attach is
		// established, so that no output is lost (following the far log
		// instead loses a last line without a newline, on Docker Engine
		// 20.10 at least).
		ready := make(chan struct{})
		at.ready = ready
		stdio.Ready = func() { close(ready) }
	}
	m.be.mu.Lock()
	m.be.attachs[a] = at
	m.be.mu.Unlock()
	go func() {
		var err error
		if canAttach {
			err = b.Attach(ctx, c.r.BackendHandle, ao, stdio)
		} else {
			// A backend without attach (a polled log): the output comes
			// from its logs once the run ends.
			since := time.Now()
			if opts.Stream {
				select {
				case <-ex.ch:
				case <-ctx.Done():
				}
			}
			if ctx.Err() == nil {
				lo := backend.LogOptions{Stdout: opts.Stdout, Stderr: opts.Stderr, Tail: "all"}
				if !fresh && !opts.Logs {
					lo.Since = fmt.Sprintf("%d.%09d", since.Unix(), since.Nanosecond())
				}
				err = b.Logs(ctx, c.r.BackendHandle, lo, stdio)
			}
		}
		m.be.mu.Lock()
		delete(m.be.attachs, a)
		m.be.mu.Unlock()
		cancel()
		if err != nil && ctx.Err() == nil {
			m.Log.Debug("attach on the backend ended", "id", c.r.ID[:12], "err", err)
		}
		a.finish(err)
	}()
	m.event(c, events.ActionAttach, nil)
	return a, nil
}

// cancelBackendAttach ends an attach to a backend container (client gone).
func (m *Manager) cancelBackendAttach(a *Attach) {
	m.bctx()
	m.be.mu.Lock()
	at, ok := m.be.attachs[a]
	delete(m.be.attachs, a)
	m.be.mu.Unlock()
	if ok {
		at.cancel()
	}
}

type backendAttachment struct {
	c      *Container
	cancel context.CancelFunc
	ready  chan struct{} // closed once an attach made before the start is established
}

// endFreshAttaches ends the attaches made to c before a start that
// failed: no output will come.
func (m *Manager) endFreshAttaches(c *Container) {
	m.be.mu.Lock()
	defer m.be.mu.Unlock()
	for _, at := range m.be.attachs {
		if at.c == c && at.ready != nil {
			at.cancel()
		}
	}
}

// attachesReady waits (bounded) until the attaches made to c before its
// start are established on the backend.
func (m *Manager) attachesReady(c *Container, d time.Duration) {
	m.bctx()
	var waits []chan struct{}
	m.be.mu.Lock()
	for _, at := range m.be.attachs {
		if at.c == c && at.ready != nil {
			waits = append(waits, at.ready)
		}
	}
	m.be.mu.Unlock()
	t := time.NewTimer(d)
	defer t.Stop()
	for _, w := range waits {
		select {
		case <-w:
		case <-t.C:
			m.Log.Warn("an attach to a backend container was not ready at its start", "id", c.r.ID[:12])
			return
		}
	}
}

// attachesDone waits (bounded) until the attaches to c have delivered
// their output: --rm must not remove the far container under them.
func (m *Manager) attachesDone(c *Container, d time.Duration) {
	deadline := time.Now().Add(d)
	for time.Now().Before(deadline) {
		busy := false
		m.be.mu.Lock()
		for _, at := range m.be.attachs {
			if at.c == c {
				busy = true
			}
		}
		m.be.mu.Unlock()
		if !busy {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
}

type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }

// notifyReader calls done once when its reader ends.
type notifyReader struct {
	r    io.Reader
	once sync.Once
	done func()
}

func (n *notifyReader) Read(p []byte) (int, error) {
	k, err := n.r.Read(p)
	if err != nil && n.done != nil {
		n.once.Do(n.done)
	}
	return k, err
}

// backendLogs reads the container's logs from its backend.
func (m *Manager) backendLogs(ctx context.Context, c *Container, opt LogOptions, fn func(LogEntry) error) error {
	b, err := m.backendOf(c)
	if err != nil {
		return err
	}
	tty := c.r.Config.Tty
	lo := backend.LogOptions{Follow: opt.Follow, Stdout: opt.Stdout, Stderr: opt.Stderr, Timestamps: !tty, Tail: "all"}
	if !opt.Since.IsZero() {
		lo.Since = fmt.Sprintf("%d.%09d", opt.Since.Unix(), opt.Since.Nanosecond())
	}
	if !opt.Until.IsZero() {
		lo.Until = fmt.Sprintf("%d.%09d", opt.Until.Unix(), opt.Until.Nanosecond())
	}
	if opt.Tail >= 0 {
		lo.Tail = strconv.Itoa(opt.Tail)
	}
	var mu sync.Mutex
	entries := func(stream byte) io.Writer {
		return writerFunc(func(p []byte) (int, error) {
			mu.Lock()
			defer mu.Unlock()
			e := LogEntry{Stream: stream, Time: time.Now(), Data: p}
			if lo.Timestamps {
				// Each frame starts with its RFC 3339 time and a space.
				if i := bytes.IndexByte(p, ' '); i > 0 && i < 40 {
					if t, err := time.Parse(time.RFC3339Nano, string(p[:i])); err == nil {
						e.Time, e.Data = t, p[i+1:]
					}
				}
			}
			if err := fn(e); err != nil {
				return 0, err
			}
			if opt.Follow && opt.Idle != nil {
				opt.Idle()
			}
			return len(p), nil
		})
	}
	return b.Logs(ctx, c.r.BackendHandle, lo, backend.Stdio{Stdout: entries(Stdout), Stderr: entries(Stderr)})
}

// backendExecStart runs an exec on the backend; it returns once started.
func (m *Manager) backendExecStart(e *Exec, s ExecStreams, tty bool) error {
	c := e.c
	b, err := m.backendOf(c)
	if err != nil {
		return err
	}
	if !b.Capabilities().Exec {
		return notOnBackend(c, "exec")
	}
	if !c.Running() {
		return errdefs.Conflictf("container %s is not running", c.r.ID)
	}
	cfg := backend.ExecConfig{Cmd: e.cfg.Cmd, Env: e.cfg.Env, WorkingDir: e.cfg.WorkingDir, User: e.cfg.User,
		Tty: tty, Privileged: e.cfg.Privileged,
		AttachStdin: s.Stdin != nil, AttachStdout: s.Stdout != nil, AttachStderr: s.Stderr != nil}
	var mu sync.Mutex
	stdio := backend.Stdio{}
	if s.Stdout != nil {
		stdio.Stdout = &framed{w: s.Stdout, mu: &mu, stream: Stdout, raw: tty}
	}
	if s.Stderr != nil {
		stdio.Stderr = &framed{w: s.Stderr, mu: &mu, stream: Stderr, raw: tty}
	}
	if s.Stdin != nil {
		stdio.Stdin = &notifyReader{r: s.Stdin, done: s.StdinDone}
	}
	e.mu.Lock()
	e.running = true
	e.mu.Unlock()
	m.event(c, events.Action("exec_start: "+joinArgs(e.cfg.Cmd)), map[string]string{"execID": e.ID})
	go func() {
		code, err := b.Exec(m.bctx(), c.r.BackendHandle, cfg, stdio)
		if err != nil {
			code = 126
			if w := stdio.Stderr; w != nil {
				fmt.Fprintf(w, "%v\n", err)
			} else if w := stdio.Stdout; w != nil {
				fmt.Fprintf(w, "%v\n", err)
			}
		}
		e.mu.Lock()
		e.running = false
		e.exitCode = &code
		e.mu.Unlock()
		close(e.done)
		m.event(c, events.ActionExecDie, map[string]string{"execID": e.ID, "exitCode": strconv.Itoa(code)})
	}()
	return nil
}

// BackendArchiveGet returns a tar of path in the container and Docker's
// path-stat JSON.
func (m *Manager) BackendArchiveGet(ctx context.Context, c *Container, p string) (io.ReadCloser, []byte, error) {
	b, err := m.backendOf(c)
	if err != nil {
		return nil, nil, err
	}
	return b.ArchiveGet(ctx, c.r.BackendHandle, p)
}

// BackendArchivePut extracts a tar into path in the container.
func (m *Manager) BackendArchivePut(ctx context.Context, c *Container, p string, tar io.Reader, noOverwriteDirNonDir, copyUIDGID bool) error {
	b, err := m.backendOf(c)
	if err != nil {
		return err
	}
	return b.ArchivePut(ctx, c.r.BackendHandle, p, tar, backend.ArchiveOptions{NoOverwriteDirNonDir: noOverwriteDirNonDir, CopyUIDGID: copyUIDGID})
}

// recoverBackends refreshes the backend containers Open loaded, then
// applies their restart policies to those that ended meanwhile.
func (m *Manager) recoverBackends() {
	list := m.be.recover
	m.be.recover = nil
	for _, c := range list {
		was := c.r.State.Running || c.r.State.Restarting
		m.recoverBackend(c)
		if !was || c.r.State.Running {
			continue
		}
		p := c.r.HostConfig.RestartPolicy.Name
		if p == container.RestartPolicyAlways || (p == container.RestartPolicyUnlessStopped && !c.r.ManuallyStopped) {
			go func(c *Container) {
				if err := m.Start(c.r.ID); err != nil {
					m.Log.Warn("restart policy: start failed", "id", c.r.ID, "err", err)
				}
			}(c)
		}
	}
}

// recoverBackend refreshes a backend container's state after a daemon
// restart: it may have run on, or ended, while the daemon was down.
func (m *Manager) recoverBackend(c *Container) {
	if !c.r.State.Running && !c.r.State.Restarting && !c.r.State.Paused && c.r.State.Status != container.StateRemoving {
		return
	}
	b, err := m.backendOf(c)
	var st backend.Status
	if err == nil {
		ctx, cancel := context.WithTimeout(m.bctx(), 30*time.Second)
		st, err = b.Status(ctx, c.r.BackendHandle)
		cancel()
	}
	if err == nil && st.Running {
		c.r.State = container.State{Status: container.StateRunning, Running: true, Pid: st.Pid, StartedAt: c.r.State.StartedAt, FinishedAt: formatTime(time.Time{})}
		c.started = time.Now()
		c.save()
		go m.backendWait(c, b, c.r.BackendHandle, c.exit)
		return
	}
	s := &c.r.State
	s.Running, s.Restarting, s.Paused, s.Pid = false, false, false, 0
	s.Status = container.StateExited
	s.FinishedAt = formatTime(time.Now())
	if err != nil {
		s.ExitCode = 255
		s.Error = "the daemon stopped while the container was running, and its backend cannot tell how it ended: " + err.Error()
	} else {
		s.ExitCode = st.ExitCode
		s.Error = st.Error
		if t, perr := time.Parse(time.RFC3339Nano, st.FinishedAt); perr == nil && t.Year() > 1 {
			s.FinishedAt = formatTime(t)
		}
	}
	c.save()
}

// entrypointIsELF reports whether the program the sandbox would run first
// for cfg (entrypoint + cmd, resolved in the image like the guest does) is
// a Linux ELF executable, which the sandbox cannot run.
func (m *Manager) entrypointIsELF(im *images.Image, cfg *container.Config) bool {
	args := append(append([]string(nil), cfg.Entrypoint...), cfg.Cmd...)
	if len(args) == 0 || args[0] == "" {
		return false
	}
	ids := im.DiffIDs()
	layers := make([]string, len(ids))
	for i, d := range ids {
		layers[len(ids)-1-i] = m.Images.LayerDir(d)
	}
	name := args[0]
	if !strings.Contains(name, "/") {
		if shells[name] {
			return false
		}
		if _, ok := builtins.Lookup(name); ok {
			return false
		}
		pathVar := images.DefaultPath
		for _, e := range cfg.Env {
			if strings.HasPrefix(e, "PATH=") {
				pathVar = e[5:]
			}
		}
		for _, d := range strings.Split(pathVar, ":") {
			if !path.IsAbs(d) {
				d = path.Join("/", cfg.WorkingDir, d)
			}
			if hp, ok := layerLookup(layers, path.Join(d, name)); ok {
				if fi, err := os.Stat(hp); err == nil && fi.Mode().IsRegular() {
					return isELF(hp)
				}
			}
		}
		return false
	}
	p := name
	if !path.IsAbs(p) {
		p = path.Join("/", cfg.WorkingDir, p)
	}
	if binDirs[path.Dir(p)] {
		base := path.Base(p)
		if _, ok := builtins.Lookup(base); ok || shells[base] {
			return false
		}
	}
	hp, ok := layerLookup(layers, p)
	return ok && isELF(hp)
}

func isELF(hostPath string) bool {
	f, err := os.Open(hostPath)
	if err != nil {
		return false
	}
	defer f.Close()
	var b [4]byte
	if _, err := io.ReadFull(f, b[:]); err != nil {
		return false
	}
	return string(b[:]) == "\x7fELF"
}

// layerLookup resolves p (absolute, in the image) through the layers
// (top first), following symbolic links, and returns the host path of the
// file. Whiteouts are honoured for the final name only (good enough to
// find a program).
func layerLookup(layers []string, p string) (string, bool) {
	for hops := 0; hops < 40; hops++ {
		p = path.Clean("/" + p)
		parts := strings.Split(strings.TrimPrefix(p, "/"), "/")
		cur := "/"
		restarted := false
		for i, part := range parts {
			if part == "" {
				continue
			}
			next := path.Join(cur, part)
			var found string
			var fi os.FileInfo
			for _, l := range layers {
				if _, err := os.Lstat(filepath.Join(l, cur, ".wh."+part)); err == nil {
					break
				}
				if st, err := os.Lstat(filepath.Join(l, next)); err == nil {
					found, fi = filepath.Join(l, next), st
					break
				}
			}
			if found == "" {
				return "", false
			}
			if fi.Mode()&os.ModeSymlink != 0 {
				target, err := os.Readlink(found)
				if err != nil {
					return "", false
				}
				if !path.IsAbs(target) {
					target = path.Join(cur, target)
				}
				p = path.Join(append([]string{target}, parts[i+1:]...)...)
				restarted = true
				break
			}
			if i == len(parts)-1 {
				return found, true
			}
			cur = next
		}
		if !restarted {
			return "", false
		}
	}
	return "", false
}

// backendPause pauses or unpauses the container on its backend. c.mu is
// held.
func (c *Container) backendPause(pause bool) error {
	b, err := c.m.backendOf(c)
	if err != nil {
		return err
	}
	if pause {
		return b.Pause(c.m.bctx(), c.r.BackendHandle)
	}
	return b.Unpause(c.m.bctx(), c.r.BackendHandle)
}

// backendUpdate applies hc's resources on the backend. c.mu is held.
func (m *Manager) backendUpdate(c *Container, hc *container.HostConfig) ([]string, error) {
	b, err := m.backendOf(c)
	if err != nil {
		return nil, err
	}
	w, err := b.Update(m.bctx(), c.r.BackendHandle, resourcesOf(hc))
	if w == nil {
		w = []string{}
	}
	return w, err
}

func resourcesOf(hc *container.HostConfig) backend.Resources {
	r := backend.Resources{Memory: hc.Memory, MemorySwap: hc.MemorySwap, NanoCPUs: hc.NanoCPUs, CPUShares: hc.CPUShares}
	if hc.PidsLimit != nil {
		r.PidsLimit = *hc.PidsLimit
	}
	return r
}

func (m *Manager) backendTop(c *Container, psArgs string) (container.TopResponse, error) {
	if !c.Running() {
		return container.TopResponse{}, errdefs.Conflictf("Container %s is not running", c.r.ID)
	}
	b, err := m.backendOf(c)
	if err != nil {
		return container.TopResponse{}, err
	}
	return b.Top(m.bctx(), c.r.BackendHandle, psArgs)
}

func (m *Manager) backendChanges(c *Container) ([]container.FilesystemChange, error) {
	b, err := m.backendOf(c)
	if err != nil {
		return nil, err
	}
	return b.Changes(m.bctx(), c.r.BackendHandle)
}

// BackendExport returns a tar of the file system of a container that runs
// on a backend.
func (m *Manager) BackendExport(ctx context.Context, c *Container) (io.ReadCloser, error) {
	b, err := m.backendOf(c)
	if err != nil {
		return nil, err
	}
	return b.Export(ctx, c.r.BackendHandle)
}

// BackendStats writes the backend's stats documents for c (one, or a
// stream) to w, with the container's id and name as this daemon knows
// them.
func (m *Manager) BackendStats(ctx context.Context, c *Container, stream bool, w io.Writer) error {
	b, err := m.backendOf(c)
	if err != nil {
		return err
	}
	rc, err := b.Stats(ctx, c.r.BackendHandle, stream)
	if err != nil {
		return err
	}
	defer rc.Close()
	go func() {
		<-ctx.Done()
		rc.Close()
	}()
	dec := json.NewDecoder(rc)
	enc := json.NewEncoder(w)
	for {
		var doc map[string]any
		if err := dec.Decode(&doc); err != nil {
			if err == io.EOF || ctx.Err() != nil {
				return nil
			}
			return err
		}
		doc["id"], doc["name"] = c.r.ID, "/"+strings.TrimPrefix(c.Name(), "/")
		if err := enc.Encode(doc); err != nil {
			return err
		}
	}
}

// backendCommitLayer has the backend commit the container and returns
// the layer that holds the container's changes (the last layer of the
// committed image); the caller builds the image from it and calls
// cleanup.
func (m *Manager) backendCommitLayer(c *Container) (func(io.Writer) error, func(), error) {
	b, err := m.backendOf(c)
	if err != nil {
		return nil, nil, err
	}
	f, err := os.CreateTemp(filepath.Join(m.Root, c.r.ID), "commit-*.tar")
	if err != nil {
		return nil, nil, err
	}
	cleanup := func() { f.Close(); os.Remove(f.Name()) }
	if err := b.Commit(m.bctx(), c.r.BackendHandle, true, f); err != nil {
		cleanup()
		return nil, nil, err
	}
	layer, err := lastLayer(f)
	if err != nil {
		cleanup()
		return nil, nil, errdefs.Wrap(errdefs.Unknown, err, "%s backend: the committed image: %v", c.r.Backend, err)
	}
	return func(w io.Writer) error {
		if _, err := f.Seek(0, io.SeekStart); err != nil {
			return err
		}
		tr := tar.NewReader(f)
		for {
			h, err := tr.Next()
			if err != nil {
				return err
			}
			if h.Name == layer {
				_, err = io.Copy(w, tr)
				return err
			}
		}
	}, cleanup, nil
}

// lastLayer reads a `docker save` tar's manifest.json and returns the path
// of the image's last layer inside the tar.
func lastLayer(f *os.File) (string, error) {
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return "", err
	}
	tr := tar.NewReader(f)
	for {
		h, err := tr.Next()
		if err != nil {
			return "", fmt.Errorf("no manifest.json: %w", err)
		}
		if h.Name != "manifest.json" {
			continue
		}
		var man []struct{ Layers []string }
		if err := json.NewDecoder(tr).Decode(&man); err != nil {
			return "", err
		}
		if len(man) != 1 || len(man[0].Layers) == 0 {
			return "", errors.New("manifest.json names no layers")
		}
		return man[0].Layers[len(man[0].Layers)-1], nil
	}
}

// specHost fills the spec's ports, tmpfs mounts, healthcheck and limits.
func specHost(spec *backend.ContainerSpec, cfg *container.Config, hc *container.HostConfig) {
	for p := range cfg.ExposedPorts {
		spec.ExposedPorts = append(spec.ExposedPorts, p.String())
	}
	sort.Strings(spec.ExposedPorts)
	for p, bs := range hc.PortBindings {
		if spec.PortBindings == nil {
			spec.PortBindings = map[string][]backend.PortBinding{}
		}
		out := []backend.PortBinding{}
		for _, b := range bs {
			pb := backend.PortBinding{HostPort: b.HostPort}
			if b.HostIP.IsValid() {
				pb.HostIP = b.HostIP.String()
			}
			out = append(out, pb)
		}
		spec.PortBindings[p.String()] = out
	}
	spec.PublishAllPorts = hc.PublishAllPorts
	spec.GroupAdd = hc.GroupAdd
	spec.Tmpfs = hc.Tmpfs
	spec.ReadonlyRootfs = hc.ReadonlyRootfs
	if cfg.Healthcheck != nil {
		spec.Healthcheck, _ = json.Marshal(cfg.Healthcheck)
	}
	spec.Resources = resourcesOf(hc)
}

// portMapOf turns a backend's published ports into Docker's port map.
func portMapOf(ports map[string][]backend.PortBinding) network.PortMap {
	if len(ports) == 0 {
		return nil
	}
	pm := network.PortMap{}
	for p, bs := range ports {
		port, err := network.ParsePort(p)
		if err != nil {
			continue
		}
		out := []network.PortBinding{}
		for _, b := range bs {
			pb := network.PortBinding{HostPort: b.HostPort}
			if ip, err := netip.ParseAddr(b.HostIP); err == nil {
				pb.HostIP = ip
			}
			out = append(out, pb)
		}
		if len(bs) == 0 {
			out = nil
		}
		pm[port] = out
	}
	return pm
}

// applyStatusLocked takes what the backend reports of a running
// container: pid, paused, published ports, health. c.mu is held.
func (c *Container) applyStatusLocked(st backend.Status) {
	s := &c.r.State
	if !s.Running || !st.Running {
		return
	}
	s.Pid = st.Pid
	if st.Paused != s.Paused {
		s.Paused = st.Paused
		s.Status = container.StateRunning
		if st.Paused {
			s.Status = container.StatePaused
		}
	}
	if pm := portMapOf(st.Ports); pm != nil {
		c.r.BackendPorts = pm
	}
	if len(st.Health) > 0 {
		var h container.Health
		if json.Unmarshal(st.Health, &h) == nil && h.Status != "" {
			s.Health = &h
		}
	}
}

// refreshBackend asks the backend for the live state of a running
// container (inspect and ps show it).
func (c *Container) refreshBackend() {
	c.mu.Lock()
	running := c.r.Backend != "" && c.r.State.Running
	c.mu.Unlock()
	if !running {
		return
	}
	b, err := c.m.backendOf(c)
	if err != nil {
		return
	}
	ctx, cancel := context.WithTimeout(c.m.bctx(), 5*time.Second)
	defer cancel()
	st, err := b.Status(ctx, c.r.BackendHandle)
	if err != nil {
		return
	}
	c.mu.Lock()
	c.applyStatusLocked(st)
	c.mu.Unlock()
}

// shipImage gives the backend the local image ref (as `docker save`
// writes it).
func (m *Manager) shipImage(ctx context.Context, b backend.Backend, ref string) error {
	pr, pw := io.Pipe()
	go func() { pw.CloseWithError(m.Images.Save(pw, []string{ref})) }()
	err := b.ImageLoad(ctx, pr)
	pr.CloseWithError(errors.New("the backend stopped reading"))
	if err != nil {
		return err
	}
	m.Log.Debug("image sent to a backend", "image", ref, "backend", b.Name())
	return nil
}
