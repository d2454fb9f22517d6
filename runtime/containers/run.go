package containers

import (
	"context"
	"fmt"
	"io"
	"path"
	"strconv"
	"strings"
	"time"

	"github.com/moby/moby/api/types/container"
	"github.com/moby/moby/api/types/events"
	"github.com/tetratelabs/wazero/experimental/sys"

	"github.com/sockerless/sockerless/host-functions/process"
	"github.com/sockerless/sockerless/runtime/errdefs"
	"github.com/sockerless/sockerless/runtime/images"
	"github.com/sockerless/sockerless/runtime/rootfs"
	"github.com/sockerless/sockerless/runtime/sandbox"
	"github.com/sockerless/sockerless/wit/abi"
)

// Start starts a created or exited container.
func (m *Manager) Start(ref string) error {
	c, err := m.Get(ref)
	if err != nil {
		return err
	}
	c.mu.Lock()
	switch {
	case c.r.State.Status == container.StateRemoving:
		c.mu.Unlock()
		return errdefs.Conflictf("container %s is marked for removal and cannot be started", c.r.ID[:12])
	case c.r.State.Paused:
		c.mu.Unlock()
		return errdefs.Conflictf("cannot start a paused container, try unpause instead")
	case c.r.State.Running:
		c.mu.Unlock()
		return errdefs.NotModifiedf("container %s is already running", c.r.ID[:12])
	}
	if c.restart != nil {
		c.restart.Stop()
		c.restart = nil
	}
	err = c.startLocked()
	c.mu.Unlock()
	return err
}

func ensureDir(f *rootfs.FS, dir string) error {
	if dir == "/" || dir == "" {
		return nil
	}
	if err := ensureDir(f, path.Dir(dir)); err != nil {
		return err
	}
	if errno := f.Mkdir(dir, 0o755); errno != 0 && errno != sys.EEXIST {
		return fmt.Errorf("mkdir %s: %w", dir, errno)
	}
	return nil
}

func hasEnv(env []string, k string) bool {
	for _, e := range env {
		if strings.HasPrefix(e, k+"=") {
			return true
		}
	}
	return false
}

func homeOf(f *rootfs.FS, uid int) string {
	for _, fields := range readDB(f, "/etc/passwd") {
		if len(fields) >= 6 && fields[2] == strconv.Itoa(uid) {
			return fields[5]
		}
	}
	if uid == 0 {
		return "/root"
	}
	return "/"
}

// startLocked starts the init process. c.mu is held.
func (c *Container) startLocked() error {
	if c.r.Backend != "" {
		return c.backendStartLocked()
	}
	f, err := c.fsLocked()
	if err != nil {
		return err
	}
	cfg := c.r.Config
	args := argv(cfg)
	if len(args) == 0 {
		return errdefs.InvalidParameterf("no command specified")
	}
	uid, gid, groups, err := resolveUser(f, cfg.User, c.r.HostConfig.GroupAdd)
	if err != nil {
		return c.startFailedLocked(128, err)
	}
	dir := cfg.WorkingDir
	if dir == "" {
		dir = "/"
	}
	dir = path.Clean("/" + dir)
	if err := ensureDir(f, dir); err != nil {
		return c.startFailedLocked(128, errdefs.Wrap(errdefs.InvalidParameter, err, "cannot create working directory %s: %v", dir, err))
	}
	env := append([]string(nil), cfg.Env...)
	if !hasEnv(env, "HOSTNAME") {
		env = append([]string{"HOSTNAME=" + cfg.Hostname}, env...)
	}
	if !hasEnv(env, "PATH") { // Docker's default when the image sets none
		env = append([]string{"PATH=" + images.DefaultPath}, env...)
	}
	if !hasEnv(env, "HOME") {
		env = append(env, "HOME="+homeOf(f, uid))
	}
	if cfg.Tty && !hasEnv(env, "TERM") {
		env = append(env, "TERM=xterm")
	}
	now := time.Now()
	if !findCommand(f, env, dir, args[0]) {
		msg := fmt.Sprintf("failed to create task for container: exec: %q: executable file not found in $PATH", args[0])
		if strings.Contains(args[0], "/") {
			msg = fmt.Sprintf("failed to create task for container: exec: %q: stat %s: no such file or directory", args[0], args[0])
		}
		return c.startFailedLocked(127, errdefs.InvalidParameterf("%s", msg))
	}
	var stdin io.Reader
	if cfg.OpenStdin {
		if c.stdinR == nil {
			c.stdinR, c.stdinW = newPipe()
		}
		stdin = c.stdinR
	}
	if err := c.publishLocked(); err != nil {
		return c.startFailedLocked(128, err)
	}
	view := f.Process(1, uid, gid)
	view.SetGroups(groups)
	c.out.begin()
	c.resetLimitsLocked()
	c.nextPid, c.exitedCPU = 1, 0
	p, err := c.m.Engine.Start(context.Background(), c.withLimitsLocked(1, sandbox.ProcessConfig{
		Spec:   abi.Spec{Args: args, Env: env, Dir: dir, Tty: cfg.Tty, Pid: 1, Uid: uid, Gid: gid, Groups: groups, Hostname: cfg.Hostname, Init: true},
		FS:     view,
		Meta:   sandbox.RootMeta(view),
		Stdin:  stdin,
		Stdout: streamWriter{c.out, Stdout},
		Stderr: streamWriter{c.out, Stderr},
		Kill:   c.signalPid,
	}))
	if err != nil {
		c.out.end()
		c.unpublishLocked()
		return errdefs.Wrap(errdefs.Unknown, err, "cannot start the sandbox: %v", err)
	}
	if cs := c.r.HostConfig.ConsoleSize; cfg.Tty && cs[0] > 0 && cs[1] > 0 {
		p.Resize(int(cs[0]), int(cs[1]))
	}
	c.proc = p
	c.procs[1] = &procInfo{pid: 1, args: args, env: env, cwd: dir, uid: uid, gid: gid, start: now, p: p}
	c.started = now
	c.stopping = false
	c.r.State = container.State{Status: container.StateRunning, Running: true, Pid: 1,
		StartedAt: formatTime(now), FinishedAt: formatTime(time.Time{})}
	if hc := cfg.Healthcheck; hc != nil && len(hc.Test) > 0 && hc.Test[0] != "NONE" {
		c.r.State.Health = &container.Health{Status: container.Starting, Log: []*container.HealthcheckResult{}}
		c.health = startHealth(c)
	}
	c.save()
	c.m.event(c, events.ActionStart, nil)
	c.m.wg.Add(1)
	go c.waitExit(p)
	return nil
}

// startFailedLocked records a start that failed before the init process
// ran, as Docker does: the exit code (127 for a missing command, else
// 128), the error in State.Error, a die event and, with AutoRemove, the
// container removed (a `run --rm` waits for that). Waiters for the next
// exit keep waiting, as on Docker (nothing exited): the docker CLI, which
// registers one before every start, would otherwise race to report the
// error a second time ("Error waiting for container: …").
func (c *Container) startFailedLocked(code int, err error) error {
	c.r.State.ExitCode = code
	c.r.State.Error = err.Error()
	c.r.State.FinishedAt = formatTime(time.Now())
	c.save()
	c.m.event(c, events.ActionDie, map[string]string{"exitCode": strconv.Itoa(code)})
	if c.r.HostConfig.AutoRemove {
		c.m.wg.Add(1)
		go func() {
			defer c.m.wg.Done()
			c.m.destroy(c, true)
		}()
	}
	return err
}

// signalPid routes a guest's kill(pid, sig) to the container's processes.
func (c *Container) signalPid(pid, sig int) sys.Errno {
	c.mu.Lock()
	var targets []*sandbox.Process
	for _, pi := range c.procs {
		if pid <= 0 || pi.pid == pid {
			targets = append(targets, pi.p)
		}
	}
	c.mu.Unlock()
	if len(targets) == 0 {
		return process.ESRCH
	}
	if sig != 0 {
		for _, p := range targets {
			go p.Signal(sig) // never from inside the caller's own host call
		}
	}
	return 0
}

func (c *Container) waitExit(p *sandbox.Process) {
	defer c.m.wg.Done()
	code := p.Wait()
	now := time.Now()
	c.mu.Lock()
	for _, pi := range c.procs {
		if pi.p != p {
			pi.p.Kill() // the container's other processes end with init
		}
	}
	delete(c.procs, 1)
	c.proc = nil
	c.unpublishLocked()
	if c.stdinR != nil {
		c.stdinR.CloseWithError(io.ErrClosedPipe)
		c.stdinW.closeOnce()
		c.stdinR, c.stdinW = nil, nil
	}
	if c.health != nil {
		c.health.stop()
		c.health = nil
	}
	st := &c.r.State
	st.Running, st.Paused, st.Pid, st.Status = false, false, 0, container.StateExited
	st.ExitCode = code
	st.OOMKilled = p.OOMKilled()
	st.FinishedAt = formatTime(now)
	if err := p.Err(); err != nil {
		st.Error = "the sandbox guest crashed: " + err.Error()
	}
	if st.Health != nil {
		st.Health.Status = container.Unhealthy
	}
	restart, delay := c.restartDecision(code)
	if restart {
		st.Restarting = true
		st.Status = container.StateRestarting
	}
	c.save()
	ex := c.exit
	c.exit = newExitSignal()
	ex.code = code
	autoRemove := c.r.HostConfig.AutoRemove && !restart && st.Status != container.StateRemoving
	c.mu.Unlock()

	c.out.end()
	close(ex.ch)
	c.m.event(c, events.ActionDie, map[string]string{"exitCode": strconv.Itoa(code)})
	if autoRemove {
		c.m.destroy(c, true)
		return
	}
	if restart {
		c.scheduleRestart(delay)
	}
}

// scheduleRestart starts the container again after delay, as its restart
// policy asks, unless it was stopped or removed meanwhile.
func (c *Container) scheduleRestart(delay time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.restart = time.AfterFunc(delay, func() {
		c.mu.Lock()
		defer c.mu.Unlock()
		c.restart = nil
		if !c.r.State.Restarting || c.r.State.Status == container.StateRemoving {
			return
		}
		c.r.RestartCount++
		if err := c.startLocked(); err != nil {
			c.r.State.Restarting = false
			c.r.State.Status = container.StateExited
			c.r.State.Error = err.Error()
			c.save()
		}
	})
}

// restartDecision applies the restart policy to an exit. c.mu is held.
func (c *Container) restartDecision(code int) (bool, time.Duration) {
	if c.stopping || c.r.State.Status == container.StateRemoving {
		return false, 0
	}
	rp := c.r.HostConfig.RestartPolicy
	restart := false
	switch rp.Name {
	case container.RestartPolicyAlways:
		restart = true
	case container.RestartPolicyUnlessStopped:
		restart = !c.r.ManuallyStopped
	case container.RestartPolicyOnFailure:
		restart = code != 0 && (rp.MaximumRetryCount == 0 || c.r.RestartCount < rp.MaximumRetryCount)
	}
	if !restart {
		return false, 0
	}
	// Docker's back-off: 100ms doubling, reset after 10s of running.
	if time.Since(c.started) > 10*time.Second {
		return true, 100 * time.Millisecond
	}
	d := 100 * time.Millisecond << min(c.r.RestartCount, 10)
	return true, min(d, time.Minute)
}

// ParseSignal accepts "TERM", "SIGTERM" or a number.
func ParseSignal(s string) (int, error) {
	if s == "" {
		return 0, nil
	}
	if n, err := strconv.Atoi(s); err == nil {
		if n < 1 || n > 64 {
			return 0, errdefs.InvalidParameterf("Invalid signal: %s", s)
		}
		return n, nil
	}
	name := strings.TrimPrefix(strings.ToUpper(s), "SIG")
	if n, ok := signals[name]; ok {
		return n, nil
	}
	return 0, errdefs.InvalidParameterf("Invalid signal: %s", s)
}

var signals = map[string]int{"HUP": 1, "INT": 2, "QUIT": 3, "ILL": 4, "TRAP": 5, "ABRT": 6, "IOT": 6, "BUS": 7, "FPE": 8,
	"KILL": 9, "USR1": 10, "SEGV": 11, "USR2": 12, "PIPE": 13, "ALRM": 14, "TERM": 15, "STKFLT": 16, "CHLD": 17,
	"CONT": 18, "STOP": 19, "TSTP": 20, "TTIN": 21, "TTOU": 22, "URG": 23, "XCPU": 24, "XFSZ": 25, "VTALRM": 26,
	"PROF": 27, "WINCH": 28, "IO": 29, "POLL": 29, "PWR": 30, "SYS": 31}

// Stop sends the stop signal, then kills after the timeout (seconds; nil
// means the container's StopTimeout or 10, negative waits forever).
func (m *Manager) Stop(ref string, timeout *int, signal string) error {
	c, err := m.Get(ref)
	if err != nil {
		return err
	}
	c.mu.Lock()
	if c.r.State.Restarting {
		c.r.State.Restarting = false
		c.r.State.Status = container.StateExited
		c.r.ManuallyStopped = true
		if c.restart != nil {
			c.restart.Stop()
			c.restart = nil
		}
		c.save()
		c.mu.Unlock()
		m.event(c, events.ActionStop, nil)
		return nil
	}
	if !c.r.State.Running {
		c.mu.Unlock()
		return errdefs.NotModifiedf("container %s is not running", c.r.ID[:12])
	}
	if c.r.Backend != "" {
		c.mu.Unlock()
		return m.backendStop(c, timeout, signal)
	}
	if signal == "" {
		signal = c.r.Config.StopSignal
	}
	sig, err := ParseSignal(signal)
	if err != nil {
		c.mu.Unlock()
		return err
	}
	if sig == 0 {
		sig = 15
	}
	t := 10
	if c.r.Config.StopTimeout != nil {
		t = *c.r.Config.StopTimeout
	}
	if timeout != nil {
		t = *timeout
	}
	c.r.ManuallyStopped = true
	c.stopping = true
	p, ex := c.proc, c.exit
	c.mu.Unlock()
	m.event(c, events.ActionKill, map[string]string{"signal": strconv.Itoa(sig)})
	p.Signal(sig)
	if t >= 0 {
		timer := time.NewTimer(time.Duration(t) * time.Second)
		select {
		case <-ex.ch:
			timer.Stop()
		case <-timer.C:
			m.event(c, events.ActionKill, map[string]string{"signal": "9"})
			p.Kill()
			<-ex.ch
		}
	} else {
		<-ex.ch
	}
	m.event(c, events.ActionStop, nil)
	return nil
}

// Kill sends a signal (default SIGKILL) to the init process.
func (m *Manager) Kill(ref, signal string) error {
	sig, err := ParseSignal(signal)
	if err != nil {
		return err
	}
	c, err := m.Get(ref)
	if err != nil {
		return errdefs.Wrap(errdefs.KindOf(err), err, "Cannot kill container: %s: %v", ref, err)
	}
	if sig == 0 {
		sig = 9
	}
	c.mu.Lock()
	if !c.r.State.Running {
		c.mu.Unlock()
		return errdefs.Conflictf("Cannot kill container: %s: Container %s is not running", ref, c.r.ID)
	}
	if c.r.Backend != "" {
		c.mu.Unlock()
		return m.backendKill(c, signal)
	}
	stopSig, _ := ParseSignal(c.r.Config.StopSignal)
	if sig == 9 || sig == stopSig || (stopSig == 0 && sig == 15) {
		c.r.ManuallyStopped = true
		c.stopping = true
	}
	p, ex := c.proc, c.exit
	c.mu.Unlock()
	m.event(c, events.ActionKill, map[string]string{"signal": strconv.Itoa(sig)})
	if sig == 9 {
		p.Kill()
		<-ex.ch
		return nil
	}
	p.Signal(sig)
	return nil
}

// Restart stops (if running) and starts a container.
func (m *Manager) Restart(ref string, timeout *int, signal string) error {
	c, err := m.Get(ref)
	if err != nil {
		return err
	}
	if err := m.Stop(c.r.ID, timeout, signal); err != nil && !errdefs.Is(err, errdefs.NotModified) {
		return err
	}
	c.mu.Lock()
	c.r.ManuallyStopped = false
	c.mu.Unlock()
	if err := m.Start(c.r.ID); err != nil && !errdefs.Is(err, errdefs.NotModified) {
		return err
	}
	m.event(c, events.ActionRestart, nil)
	return nil
}

// Pause freezes every process of the container (docker pause): each
// stops at its next host call until Unpause. Signals queue meanwhile; a
// kill (stop's timeout, rm -f) still ends a paused container.
func (m *Manager) Pause(ref string) error {
	c, err := m.Get(ref)
	if err != nil {
		return err
	}
	if !c.Running() {
		return errdefs.Conflictf("Container %s is not running", c.r.ID)
	}
	c.mu.Lock()
	switch {
	case !c.r.State.Running:
		c.mu.Unlock()
		return errdefs.Conflictf("Container %s is not running", c.r.ID)
	case c.r.State.Restarting:
		c.mu.Unlock()
		return errdefs.Conflictf("Container %s is restarting, wait until the container is running", c.r.ID)
	case c.r.State.Paused:
		c.mu.Unlock()
		return errdefs.Conflictf("Container %s is already paused", c.r.ID)
	}
	if c.r.Backend != "" {
		if err := c.backendPause(true); err != nil {
			c.mu.Unlock()
			return err
		}
	}
	for _, pi := range c.procs {
		pi.p.Pause()
	}
	c.r.State.Paused = true
	c.r.State.Status = container.StatePaused
	c.save()
	c.mu.Unlock()
	m.event(c, events.ActionPause, nil)
	return nil
}

// Unpause lets a paused container's processes run again.
func (m *Manager) Unpause(ref string) error {
	c, err := m.Get(ref)
	if err != nil {
		return err
	}
	c.mu.Lock()
	if !c.r.State.Paused {
		c.mu.Unlock()
		return errdefs.Conflictf("Container %s is not paused", c.r.ID)
	}
	if c.r.Backend != "" {
		if err := c.backendPause(false); err != nil {
			c.mu.Unlock()
			return err
		}
	}
	for _, pi := range c.procs {
		pi.p.Resume()
	}
	c.r.State.Paused = false
	c.r.State.Status = container.StateRunning
	c.save()
	c.mu.Unlock()
	m.event(c, events.ActionUnPause, nil)
	return nil
}

// WaitResult is the outcome of a wait.
type WaitResult struct {
	StatusCode int
}

// Wait registers a wait and returns a channel that yields its result. The
// registration is complete when Wait returns (so a start issued after
// it is seen).
func (m *Manager) Wait(ctx context.Context, ref string, condition string) (<-chan WaitResult, error) {
	c, err := m.Get(ref)
	if err != nil {
		return nil, err
	}
	out := make(chan WaitResult, 1)
	c.mu.Lock()
	defer c.mu.Unlock()
	switch condition {
	case "", string(container.WaitConditionNotRunning):
		if !c.r.State.Running && !c.r.State.Restarting {
			out <- WaitResult{StatusCode: c.r.State.ExitCode}
			return out, nil
		}
		fallthrough
	case string(container.WaitConditionNextExit):
		ex := c.exit
		go func() {
			select {
			case <-ex.ch:
				out <- WaitResult{StatusCode: ex.code}
			case <-ctx.Done():
			}
			close(out)
		}()
	case string(container.WaitConditionRemoved):
		removed := c.removed
		go func() {
			select {
			case <-removed:
				c.mu.Lock()
				code := c.r.State.ExitCode
				c.mu.Unlock()
				out <- WaitResult{StatusCode: code}
			case <-ctx.Done():
			}
			close(out)
		}()
	default:
		return nil, errdefs.InvalidParameterf("invalid condition: %q", condition)
	}
	return out, nil
}

// AttachOptions select attached streams.
type AttachOptions struct {
	Stdin, Stdout, Stderr bool
	Stream, Logs          bool
	// DetachKeys are not supported: clients detach by closing.
}

// Attach connects rw to the container: output is written to rw (stdcopy
// frames, or raw with a TTY), and rw's input goes to the container's
// stdin. The returned Attach is done when the current (or next) run ends.
func (m *Manager) Attach(ref string, opts AttachOptions, rw io.ReadWriter, stdinClosed func()) (*Attach, error) {
	c, err := m.Get(ref)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	if c.r.State.Status == container.StateRemoving {
		c.mu.Unlock()
		return nil, errdefs.Conflictf("container %s is being removed", c.r.ID[:12])
	}
	if c.r.Backend != "" {
		c.mu.Unlock()
		return m.backendAttach(c, opts, rw, stdinClosed)
	}
	tty := c.r.Config.Tty
	var stdinW *pipeWriter
	if opts.Stdin && c.r.Config.OpenStdin && opts.Stream {
		if c.stdinW == nil {
			c.stdinR, c.stdinW = newPipe()
		}
		stdinW = c.stdinW
	}
	stdinOnce := c.r.Config.StdinOnce
	c.mu.Unlock()

	a := newAttach(rw, tty, opts.Stdout, opts.Stderr)
	o := c.out
	o.ioMu.Lock()
	if opts.Logs {
		o.readLogsLocked(LogOptions{Stdout: opts.Stdout, Stderr: opts.Stderr, Tail: -1}, func(e LogEntry) error {
			return a.send(e.Stream, e.Data)
		})
	}
	if opts.Stream {
		o.subs[a] = struct{}{}
	} else {
		a.finish(nil)
	}
	o.ioMu.Unlock()
	if stdinW != nil {
		go func() {
			_, err := io.Copy(stdinW, rw)
			if err == nil && stdinOnce {
				stdinW.closeOnce()
			}
			if stdinClosed != nil {
				stdinClosed()
			}
		}()
	} else if stdinClosed != nil {
		go func() {
			io.Copy(io.Discard, rw)
			stdinClosed()
		}()
	}
	m.event(c, events.ActionAttach, nil)
	return a, nil
}

// Detach removes an attach that ends early (client gone).
func (m *Manager) Detach(ref string, a *Attach) {
	c, err := m.Get(ref)
	if err != nil {
		return
	}
	m.cancelBackendAttach(a)
	c.out.ioMu.Lock()
	delete(c.out.subs, a)
	c.out.ioMu.Unlock()
	a.finish(nil)
}

// Logs streams the container's log records to fn.
func (m *Manager) Logs(ctx context.Context, ref string, opt LogOptions, fn func(LogEntry) error) (tty bool, err error) {
	c, err := m.Get(ref)
	if err != nil {
		return false, err
	}
	if c.r.Backend != "" {
		return c.r.Config.Tty, m.backendLogs(ctx, c, opt, fn)
	}
	return c.r.Config.Tty, c.out.readLogs(ctx, opt, fn)
}

// Resize changes the terminal size of the init process.
func (m *Manager) Resize(ref string, h, w int) error {
	c, err := m.Get(ref)
	if err != nil {
		return err
	}
	if c.r.Backend != "" {
		if !c.Running() {
			return errdefs.Conflictf("Container %s is not running", c.r.ID)
		}
		b, err := m.backendOf(c)
		if err != nil {
			return err
		}
		return b.Resize(m.bctx(), c.r.BackendHandle, h, w)
	}
	c.mu.Lock()
	p := c.proc
	c.mu.Unlock()
	if p == nil {
		return errdefs.Conflictf("Container %s is not running", c.r.ID)
	}
	p.Resize(h, w)
	return nil
}
