// Package containers runs Docker containers on the sandbox engine: their
// records and state machine (created, running, restarting, exited, dead,
// removing), root file systems (runtime/rootfs), processes (init and
// execs), stdio, logs, waits, restart policies and health checks.
//
// It must not know about HTTP: the API layer hands it readers and writers
// and maps its errors (runtime/errdefs) to statuses.
package containers

import (
	"io"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/moby/moby/api/types/container"
	"github.com/moby/moby/api/types/network"

	"github.com/sockerless/sockerless/runtime/rootfs"
	"github.com/sockerless/sockerless/runtime/sandbox"
)

// record is what the state store keeps of a container.
type record struct {
	ID         string
	Name       string // with the leading "/"
	Created    time.Time
	Path       string
	Args       []string
	Config     *container.Config
	HostConfig *container.HostConfig
	Networks   map[string]*network.EndpointSettings
	ImageID    string
	// Layers are the image's layers (diff IDs, bottom first), kept so the
	// container still runs after its image is deleted with force.
	Layers          []string `json:",omitempty"`
	State           container.State
	RestartCount    int
	Mounts          []container.MountPoint
	ManuallyStopped bool
	// Backend and BackendHandle: the backend the container runs on and
	// its name for it ("" for the sandbox); see backend.go.
	Backend       string `json:",omitempty"`
	BackendHandle string `json:",omitempty"`
	// BackendPorts: where the backend published the ports of the
	// current run (it chooses the host ports).
	BackendPorts network.PortMap `json:",omitempty"`
}

// Container is one container.
type Container struct {
	m  *Manager
	mu sync.Mutex
	r  record

	out   *output
	fs    *rootfs.FS
	proc  *sandbox.Process
	procs map[int]*procInfo
	// children are processes that live inside the guests (commands their
	// shells run), by pid; their p is the instance that runs them.
	children map[int]*procInfo
	nextPid  int
	stdinR   *pipeReader
	stdinW   *pipeWriter
	exit     *exitSignal
	removed  chan struct{}
	stopping bool
	restart  *time.Timer
	health   *healthRunner
	execIDs  []string
	started  time.Time

	published network.PortMap // host side of -p while running (ports.go)
	listeners []io.Closer

	procLimit *sandbox.ProcLimit // --pids-limit of the current run
	exitedCPU time.Duration      // CPU time of this run's ended processes
}

type procInfo struct {
	pid   int
	ppid  int // for children; instances are children of pid 1 (init: 0)
	args  []string
	env   []string
	cwd   string
	uid   int
	gid   int
	start time.Time
	p     *sandbox.Process
}

// parent is the parent pid of p: init has none, the other instances
// (execs, health checks) are children of init, and in-guest processes
// know theirs.
func (p *procInfo) parent() int {
	switch {
	case p.ppid != 0:
		return p.ppid
	case p.pid == 1:
		return 0
	}
	return 1
}

// allProcsLocked lists the container's processes by pid: its instances
// and the processes living inside them. c.mu is held.
func (c *Container) allProcsLocked() []*procInfo {
	r := make([]*procInfo, 0, len(c.procs)+len(c.children))
	for _, p := range c.procs {
		r = append(r, p)
	}
	for _, p := range c.children {
		if c.procs[p.pid] == nil {
			r = append(r, p)
		}
	}
	sort.Slice(r, func(i, j int) bool { return r[i].pid < r[j].pid })
	return r
}

// exitSignal is closed at the end of one run with its result.
type exitSignal struct {
	ch   chan struct{}
	code int
}

func newExitSignal() *exitSignal { return &exitSignal{ch: make(chan struct{})} }

// ID is the full container ID.
func (c *Container) ID() string { return c.r.ID }

// Name is the name without its leading slash.
func (c *Container) Name() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return strings.TrimPrefix(c.r.Name, "/")
}

// Config returns the container's config (not to be modified).
func (c *Container) Config() *container.Config { return c.r.Config }

// HostConfig returns the container's host config (not to be modified).
func (c *Container) HostConfig() *container.HostConfig { return c.r.HostConfig }

// Running reports whether the init process runs.
func (c *Container) Running() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.r.State.Running
}

// Tty reports whether the container has a terminal.
func (c *Container) Tty() bool { return c.r.Config.Tty }

// ImageID is the ID of the container's image.
func (c *Container) ImageID() string { return c.r.ImageID }

// FS is the container's root file system (nil until first needed).
func (c *Container) FS() (*rootfs.FS, error) {
	if c.r.Backend != "" {
		return nil, notOnBackend(c, "show its file system here (export, diff, commit)")
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.fsLocked()
}

func (c *Container) save() error {
	return c.m.st.Put(bucket, c.r.ID, &c.r)
}

func formatTime(t time.Time) string {
	if t.IsZero() {
		return "0001-01-01T00:00:00Z"
	}
	return t.UTC().Format(time.RFC3339Nano)
}
