package containers

import (
	"context"
	"fmt"
	"io"
	"path"
	"strconv"
	"sync"
	"time"

	"github.com/moby/moby/api/types/container"
	"github.com/moby/moby/api/types/events"

	"github.com/sockerless/sockerless/runtime/errdefs"
	"github.com/sockerless/sockerless/runtime/sandbox"
	"github.com/sockerless/sockerless/wit/abi"
)

// Exec is one docker exec: created, then started once.
type Exec struct {
	ID  string
	c   *Container
	cfg container.ExecCreateRequest

	mu       sync.Mutex
	started  bool
	running  bool
	exitCode *int
	pid      int
	proc     *sandbox.Process
	done     chan struct{}
}

// ExecCreate registers an exec in a running container.
func (m *Manager) ExecCreate(ref string, cfg container.ExecCreateRequest) (*Exec, error) {
	c, err := m.Get(ref)
	if err != nil {
		return nil, err
	}
	if len(cfg.Cmd) == 0 {
		return nil, errdefs.InvalidParameterf("No exec command specified")
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.r.State.Running {
		return nil, errdefs.Conflictf("Container %s is not running", c.r.ID)
	}
	if c.r.State.Paused {
		return nil, errdefs.Conflictf("Container %s is paused, unpause the container before exec", ref)
	}
	if c.r.State.Restarting {
		return nil, errdefs.Conflictf("Container %s is restarting, wait until the container is running", c.r.ID)
	}
	e := &Exec{ID: newID(), c: c, cfg: cfg, done: make(chan struct{})}
	m.mu.Lock()
	m.execs[e.ID] = e
	m.mu.Unlock()
	c.execIDs = append(c.execIDs, e.ID)
	m.event(c, events.Action("exec_create: "+joinArgs(cfg.Cmd)), map[string]string{"execID": e.ID})
	return e, nil
}

// GetExec finds an exec by ID.
func (m *Manager) GetExec(id string) (*Exec, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	if e, ok := m.execs[id]; ok {
		return e, nil
	}
	return nil, errdefs.NotFoundf("No such exec instance: %s", id)
}

// Tty reports whether the exec runs with a terminal.
func (e *Exec) Tty() bool { return e.cfg.Tty }

// Config is the exec's create request.
func (e *Exec) Config() container.ExecCreateRequest { return e.cfg }

// Done is closed when the exec's process has exited.
func (e *Exec) Done() <-chan struct{} { return e.done }

// ExecStreams are the client's ends of an exec.
type ExecStreams struct {
	Stdin          io.Reader // nil unless attached
	Stdout, Stderr io.Writer // nil when not attached
	// StdinDone is called when the goroutine reading Stdin has stopped.
	StdinDone func()
}

// ExecStart runs the exec; it returns once the process started. Errors
// that Docker reports in-band (command not found) are written to Stdout
// and give exit code 126/127 rather than an error.
func (m *Manager) ExecStart(e *Exec, s ExecStreams, tty bool, consoleSize *[2]uint) error {
	e.mu.Lock()
	if e.started {
		e.mu.Unlock()
		return errdefs.Conflictf("Error: Exec command %s is already running", e.ID)
	}
	e.started = true
	e.mu.Unlock()
	if e.c.r.Backend != "" {
		return m.backendExecStart(e, s, tty)
	}
	c := e.c
	c.mu.Lock()
	if !c.r.State.Running || c.fs == nil {
		c.mu.Unlock()
		return errdefs.Conflictf("container %s is not running", c.r.ID)
	}
	if c.r.State.Paused {
		c.mu.Unlock()
		return errdefs.Conflictf("Container %s is paused, unpause the container before exec", c.r.ID)
	}
	f := c.fs
	user := e.cfg.User
	if user == "" {
		user = c.r.Config.User
	}
	uid, gid, groups, err := resolveUser(f, user, c.r.HostConfig.GroupAdd)
	if err != nil {
		c.mu.Unlock()
		return err
	}
	env := append([]string(nil), c.procs[1].env...)
	for _, kv := range e.cfg.Env {
		env = setEnvList(env, kv)
	}
	dir := e.cfg.WorkingDir
	if dir == "" {
		dir = c.procs[1].cwd
	}
	dir = path.Clean("/" + dir)
	c.nextPid++
	pid := c.nextPid
	limits := c.withLimitsLocked(pid, sandbox.ProcessConfig{})
	c.mu.Unlock()

	finish := func(code int) {
		e.mu.Lock()
		e.running = false
		e.exitCode = &code
		e.mu.Unlock()
		close(e.done)
		m.event(c, events.ActionExecDie, map[string]string{"execID": e.ID, "exitCode": strconv.Itoa(code)})
	}
	msg := ""
	if st, errno := f.Stat(dir); errno != 0 || !st.Mode.IsDir() {
		// Docker does not create an exec's working directory.
		msg = fmt.Sprintf("OCI runtime exec failed: exec failed: unable to start container process: chdir to cwd (%q) set in config.json failed: no such file or directory: unknown\r\n", dir)
	} else if !findCommand(f, env, dir, e.cfg.Cmd[0]) {
		msg = fmt.Sprintf("OCI runtime exec failed: exec failed: unable to start container process: exec: %q: executable file not found in $PATH: unknown\r\n", e.cfg.Cmd[0])
	}
	if msg != "" {
		if s.Stdout != nil {
			if tty {
				s.Stdout.Write([]byte(msg))
			} else {
				WriteFrame(s.Stdout, Stdout, []byte(msg))
			}
		}
		finish(126)
		if s.StdinDone != nil {
			s.StdinDone()
		}
		return nil
	}
	var stdout, stderr io.Writer
	var mu sync.Mutex
	if s.Stdout != nil {
		stdout = &framed{w: s.Stdout, mu: &mu, stream: Stdout, raw: tty}
	}
	if s.Stderr != nil {
		stderr = &framed{w: s.Stderr, mu: &mu, stream: Stderr, raw: tty}
	}
	view := f.Process(pid, uid, gid)
	view.SetGroups(groups)
	var stdin io.Reader
	var pr *io.PipeReader
	if s.Stdin != nil {
		// A pipe lets the exit release a reader blocked on the client.
		var pw *io.PipeWriter
		pr, pw = io.Pipe()
		go func() {
			_, err := io.Copy(pw, s.Stdin)
			pw.CloseWithError(err)
			if s.StdinDone != nil {
				s.StdinDone()
			}
		}()
		stdin = pr
	}
	p, err := m.Engine.Start(context.Background(), sandbox.ProcessConfig{
		Spec: abi.Spec{Args: e.cfg.Cmd, Env: env, Dir: dir, Tty: tty, Pid: pid, Uid: uid, Gid: gid, Groups: groups, Hostname: c.r.Config.Hostname},
		FS:   view, Meta: sandbox.RootMeta(view), Stdin: stdin, Stdout: stdout, Stderr: stderr, Kill: c.signalPid,
		MemoryLimit: limits.MemoryLimit, Procs: limits.Procs, NewPid: limits.NewPid, Children: limits.Children, Exec: limits.Exec,
	})
	if err != nil {
		if pr != nil {
			pr.Close()
		}
		finish(126)
		// the stdin goroutine ends when the client closes
		return errdefs.Wrap(errdefs.Unknown, err, "cannot start the sandbox: %v", err)
	}
	if tty && consoleSize != nil && consoleSize[0] > 0 {
		p.Resize(int(consoleSize[0]), int(consoleSize[1]))
	}
	e.mu.Lock()
	e.running, e.pid, e.proc = true, pid, p
	e.mu.Unlock()
	c.mu.Lock()
	c.procs[pid] = &procInfo{pid: pid, args: e.cfg.Cmd, env: env, cwd: dir, uid: uid, gid: gid, start: time.Now(), p: p}
	c.mu.Unlock()
	m.event(c, events.Action("exec_start: "+joinArgs(e.cfg.Cmd)), map[string]string{"execID": e.ID})
	go func() {
		code := p.Wait()
		if pr != nil {
			pr.CloseWithError(io.ErrClosedPipe)
		}
		c.mu.Lock()
		if c.procs[pid] != nil {
			delete(c.procs, pid)
			c.exitedCPU += p.CPUTime()
		}
		c.mu.Unlock()
		finish(code)
	}()
	return nil
}

// ExecResize resizes an exec's terminal.
func (m *Manager) ExecResize(e *Exec, h, w int) error {
	e.mu.Lock()
	p := e.proc
	e.mu.Unlock()
	if p == nil {
		return errdefs.Conflictf("Exec %s is not running", e.ID)
	}
	p.Resize(h, w)
	return nil
}

// Inspect describes an exec.
func (e *Exec) Inspect() container.ExecInspectResponse {
	e.mu.Lock()
	defer e.mu.Unlock()
	return container.ExecInspectResponse{
		ID: e.ID, Running: e.running, ExitCode: e.exitCode, OpenStdin: e.cfg.AttachStdin, OpenStdout: e.cfg.AttachStdout,
		OpenStderr: e.cfg.AttachStderr, ContainerID: e.c.r.ID, Pid: e.pid, DetachKeys: []byte{},
		ProcessConfig: &container.ExecProcessConfig{Tty: e.cfg.Tty, Entrypoint: e.cfg.Cmd[0], Arguments: e.cfg.Cmd[1:], User: e.cfg.User},
	}
}

func setEnvList(env []string, kv string) []string {
	k := kv
	for i := 0; i < len(kv); i++ {
		if kv[i] == '=' {
			k = kv[:i]
			break
		}
	}
	for i, e := range env {
		if len(e) > len(k) && e[:len(k)] == k && e[len(k)] == '=' {
			env[i] = kv
			return env
		}
	}
	return append(env, kv)
}

// framed writes one stream of an exec to the client.
type framed struct {
	w      io.Writer
	mu     *sync.Mutex
	stream byte
	raw    bool
}

func (f *framed) Write(p []byte) (int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.raw {
		return f.w.Write(p)
	}
	if err := WriteFrame(f.w, f.stream, p); err != nil {
		return 0, err
	}
	return len(p), nil
}
