package containers

import (
	"bytes"
	"context"
	"strconv"
	"time"

	"github.com/moby/moby/api/types/container"
	"github.com/moby/moby/api/types/events"

	"github.com/sockerless/sockerless/runtime/sandbox"
	"github.com/sockerless/sockerless/wit/abi"
)

const (
	defaultHealthInterval = 30 * time.Second
	defaultHealthTimeout  = 30 * time.Second
	healthLogSize         = 5
	healthOutputMax       = 4096
)

// healthRunner runs a container's health check on a timer (no polling:
// one timer per pending check).
type healthRunner struct {
	c      *Container
	ctx    context.Context
	cancel context.CancelFunc
}

func startHealth(c *Container) *healthRunner {
	ctx, cancel := context.WithCancel(context.Background())
	h := &healthRunner{c: c, ctx: ctx, cancel: cancel}
	hc := c.r.Config.Healthcheck
	first := hc.Interval
	if hc.StartInterval > 0 {
		first = hc.StartInterval
	}
	if first <= 0 {
		first = defaultHealthInterval
	}
	go h.loop(first)
	return h
}

func (h *healthRunner) stop() { h.cancel() }

func (h *healthRunner) loop(next time.Duration) {
	hc := h.c.r.Config.Healthcheck
	for {
		t := time.NewTimer(next)
		select {
		case <-h.ctx.Done():
			t.Stop()
			return
		case <-t.C:
		}
		h.check()
		next = hc.Interval
		if next <= 0 {
			next = defaultHealthInterval
		}
		if hc.StartInterval > 0 && time.Since(h.c.started) < hc.StartPeriod {
			next = hc.StartInterval
		}
	}
}

func (h *healthRunner) check() {
	c := h.c
	hc := c.r.Config.Healthcheck
	var args []string
	switch hc.Test[0] {
	case "CMD":
		args = hc.Test[1:]
	case "CMD-SHELL":
		args = []string{"/bin/sh", "-c", joinArgs(hc.Test[1:])}
	default:
		args = hc.Test
	}
	if len(args) == 0 {
		return
	}
	timeout := hc.Timeout
	if timeout <= 0 {
		timeout = defaultHealthTimeout
	}
	start := time.Now()
	var out bytes.Buffer
	lw := &limitWriter{w: &out, n: healthOutputMax}
	c.mu.Lock()
	if !c.r.State.Running || c.r.State.Paused || c.fs == nil {
		c.mu.Unlock()
		return
	}
	c.nextPid++
	pid := c.nextPid
	f := c.fs
	env := c.r.Config.Env
	if pi := c.procs[1]; pi != nil {
		env = pi.env // with the defaults the init process got (PATH, HOME)
	}
	dir := c.r.Config.WorkingDir
	limits := c.withLimitsLocked(pid, sandbox.ProcessConfig{})
	c.mu.Unlock()
	if dir == "" {
		dir = "/"
	}
	view := f.Process(pid, 0, 0)
	p, err := c.m.Engine.Start(h.ctx, sandbox.ProcessConfig{
		Spec: abi.Spec{Args: args, Env: env, Dir: dir, Pid: pid, Hostname: c.r.Config.Hostname},
		FS:   view, Meta: sandbox.RootMeta(view), Stdout: lw, Stderr: lw, Kill: c.signalPid,
		MemoryLimit: limits.MemoryLimit, Procs: limits.Procs, NewPid: limits.NewPid, Children: limits.Children, Exec: limits.Exec,
	})
	code := -1
	if err == nil {
		t := time.NewTimer(timeout)
		select {
		case <-p.Done():
			code = p.ExitCode()
		case <-t.C:
			p.Kill()
			<-p.Done()
			out.WriteString("Health check exceeded timeout (" + timeout.String() + ")")
		case <-h.ctx.Done():
			p.Kill()
			t.Stop()
			return
		}
		t.Stop()
	} else {
		out.WriteString(err.Error())
	}
	res := &container.HealthcheckResult{Start: start, End: time.Now(), ExitCode: code, Output: out.String()}
	c.mu.Lock()
	st := c.r.State.Health
	if st == nil || !c.r.State.Running {
		c.mu.Unlock()
		return
	}
	old := st.Status
	st.Log = append(st.Log, res)
	if len(st.Log) > healthLogSize {
		st.Log = st.Log[len(st.Log)-healthLogSize:]
	}
	retries := hc.Retries
	if retries <= 0 {
		retries = 3
	}
	if code == 0 {
		st.Status = container.Healthy
		st.FailingStreak = 0
	} else if time.Since(c.started) >= hc.StartPeriod || old != container.Starting {
		st.FailingStreak++
		if st.FailingStreak >= retries {
			st.Status = container.Unhealthy
		}
	}
	changed := st.Status != old
	status := st.Status
	c.save()
	c.mu.Unlock()
	c.m.event(c, events.Action("exec_die"), map[string]string{"exitCode": strconv.Itoa(code), "execID": "health"})
	if changed {
		c.m.event(c, events.Action("health_status: "+string(status)), nil)
	}
}

func joinArgs(a []string) string {
	var b bytes.Buffer
	for i, s := range a {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(s)
	}
	return b.String()
}

type limitWriter struct {
	w *bytes.Buffer
	n int
}

func (l *limitWriter) Write(p []byte) (int, error) {
	if rem := l.n - l.w.Len(); rem > 0 {
		l.w.Write(p[:min(len(p), rem)])
	}
	return len(p), nil
}
