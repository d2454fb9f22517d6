// Package backend is where containers leave the sandbox. It holds:
//
//   - Backend, the interface the daemon calls for a container placed on a
//     backend other than the sandbox (create, start, wait, logs, stop, kill,
//     remove, exec, attach, archive);
//   - the adapter host: Host loads backend adapters — wasm modules that
//     follow wit/backend.wit, built-in (runtime/backend/builtin) or loaded
//     with --backend-module — compiles each once per daemon through a shared
//     on-disk compilation cache (Extism compiled plugins on wazero), and
//     serves their imports: outbound HTTP and hijacked streams only to
//     allowed endpoints, a key-value store the daemon owns, logging, clock
//     and config. The host-function module ("sockerless:backend") lives in
//     this package (hostfuncs.go), not in host-functions/, because it is
//     inseparable from the call state kept here;
//   - Router, which places a new container on a backend (label, image
//     rules, default, automatic escape of Linux programs);
//   - option parsing for --backend-opt, --backend-module and the daemon
//     config file's "backends" section.
//
// It must not know about HTTP routes or the container store: the daemon
// keeps a container's record (and its backend name and handle) and calls a
// Backend; see README.md for how it plugs in. An adapter never sees the
// daemon's credentials: what it may reach is decided here.
package backend

import (
	"context"
	"io"

	"github.com/moby/moby/api/types/container"

	"github.com/sockerless/sockerless/runtime/backend/wire"
)

// Sandbox is the name of the built-in runtime (no adapter).
const Sandbox = "sandbox"

// Label places a container on a backend: io.sockerless.backend=<name>.
const Label = "io.sockerless.backend"

// Backend runs containers somewhere other than the sandbox. Handles are the
// backend's own names for containers (a Docker container id, a cloud task
// ARN); the daemon stores them. Operations a backend cannot do return an
// errdefs.NotImplemented error that names the backend. Implementations are
// safe for concurrent use.
type Backend interface {
	Name() string
	Capabilities() Caps
	Create(ctx context.Context, spec ContainerSpec) (handle string, warnings []string, err error)
	Start(ctx context.Context, handle string) error
	// Wait blocks until the container is not running and returns its exit
	// code.
	Wait(ctx context.Context, handle string) (int, error)
	Status(ctx context.Context, handle string) (Status, error)
	// Logs writes the container's output, demultiplexed, to out; with
	// Follow it returns when the container ended or ctx is done.
	Logs(ctx context.Context, handle string, opts LogOptions, out Stdio) error
	// Stop sends signal ("" for the container's stop signal), waits
	// timeout seconds (nil: the backend's default), then kills.
	Stop(ctx context.Context, handle, signal string, timeout *int) error
	Kill(ctx context.Context, handle, signal string) error
	Remove(ctx context.Context, handle string, force bool) error
	// Exec runs a command in the running container with the given stdio
	// (Stdin may be nil) and returns its exit code.
	Exec(ctx context.Context, handle string, cfg ExecConfig, stdio Stdio) (int, error)
	// Attach bridges stdio with the container's until its output ends or
	// ctx is done.
	Attach(ctx context.Context, handle string, opts AttachOptions, stdio Stdio) error
	// ArchiveGet returns a tar of path and Docker's path-stat JSON; the
	// caller closes the reader.
	ArchiveGet(ctx context.Context, handle, path string) (io.ReadCloser, []byte, error)
	ArchivePut(ctx context.Context, handle, path string, tar io.Reader, opts ArchiveOptions) error

	// Optional operations (an adapter without the export answers
	// errdefs.NotImplemented naming the backend).
	Pause(ctx context.Context, handle string) error
	Unpause(ctx context.Context, handle string) error
	// Top lists the container's processes in Docker's shape.
	Top(ctx context.Context, handle, psArgs string) (container.TopResponse, error)
	// Stats returns Docker's stats JSON: one document, or a stream of
	// them with stream.
	Stats(ctx context.Context, handle string, stream bool) (io.ReadCloser, error)
	Resize(ctx context.Context, handle string, height, width int) error
	Update(ctx context.Context, handle string, res Resources) (warnings []string, err error)
	// Export returns a tar of the container's whole file system.
	Export(ctx context.Context, handle string) (io.ReadCloser, error)
	// Changes lists what the container changed against its image.
	Changes(ctx context.Context, handle string) ([]container.FilesystemChange, error)
	// Commit writes the container's file system as an image in `docker
	// save` form (its last layer holds the container's changes) to w;
	// the backend keeps no image.
	Commit(ctx context.Context, handle string, pause bool, w io.Writer) error
	// ImageLoad gives the backend an image (a `docker save` tar) it
	// cannot pull: one built or committed here.
	ImageLoad(ctx context.Context, tar io.Reader) error
}

// Caps is what a backend can do beyond create/start/wait/status/stop/remove.
type Caps struct {
	Exec, Attach, Archive, LogsFollow, StopSignal, Kill, Pull bool
	HostPaths                                                 bool
}

func capsOf(names []string) Caps {
	var c Caps
	for _, n := range names {
		switch n {
		case wire.CapExec:
			c.Exec = true
		case wire.CapAttach:
			c.Attach = true
		case wire.CapArchive:
			c.Archive = true
		case wire.CapLogsFollow:
			c.LogsFollow = true
		case wire.CapStopSignal:
			c.StopSignal = true
		case wire.CapKill:
			c.Kill = true
		case wire.CapPull:
			c.Pull = true
		case wire.CapHostPaths:
			c.HostPaths = true
		}
	}
	return c
}

// Types shared with adapters (see runtime/backend/wire).
type (
	ContainerSpec = wire.ContainerSpec
	Mount         = wire.Mount
	Status        = wire.Status
	PortBinding   = wire.PortBinding
	Resources     = wire.Resources
)

// LogOptions select what Logs writes.
type LogOptions struct {
	Follow, Stdout, Stderr, Timestamps bool
	Since, Until, Tail                 string
}

// ExecConfig is one command to run in a container.
type ExecConfig struct {
	Cmd              []string
	Env              []string
	WorkingDir, User string
	Tty, Privileged  bool
	AttachStdin      bool
	AttachStdout     bool
	AttachStderr     bool
}

// AttachOptions select the streams of an attach.
type AttachOptions struct {
	Stdin, Stdout, Stderr, Logs, Stream bool
}

// ArchiveOptions mirror Docker's PUT /containers/{id}/archive.
type ArchiveOptions struct {
	NoOverwriteDirNonDir, CopyUIDGID bool
}

// Stdio is the caller's side of a stream. With a TTY everything goes to
// Stdout. Nil writers discard; a nil Stdin sends nothing.
type Stdio struct {
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	// Ready, if set, is called once the stream to the container is
	// established (an attach made before a start then misses nothing).
	Ready func()
}
