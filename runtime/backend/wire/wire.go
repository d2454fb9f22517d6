// Package wire holds the JSON records exchanged between the sockerless host
// (runtime/backend) and backend adapters (guests/adapters/...), as described
// in wit/backend.wit. Both sides import it; it has no dependencies and must
// keep none, so that it compiles for GOOS=wasip1 as well as natively.
package wire

// Namespace is the wasm import module of the host functions that adapters
// use beyond Extism's own (extism:host/env: input, output, config, log).
const Namespace = "sockerless:backend"

// Capability names, as listed in Manifest.Capabilities.
const (
	CapExec       = "exec"
	CapAttach     = "attach"
	CapArchive    = "archive"
	CapLogsFollow = "logs-follow"
	CapStopSignal = "stop-signal"
	CapKill       = "kill"
	CapPull       = "pull"
	// CapHostPaths: the backend's containers see this host's file system
	// (a Docker Engine on a local socket), so binds of host paths work
	// and the daemon's volumes are bind-mounted, shared with sandbox
	// containers. Without it, volume names and bind paths are the
	// backend's own.
	CapHostPaths = "host-paths"
)

// Manifest is what an adapter's describe export returns.
type Manifest struct {
	Name         string   `json:"name"`
	Version      string   `json:"version,omitempty"`
	Capabilities []string `json:"capabilities,omitempty"`
	// Config lists the keys the adapter reads, with their defaults.
	Config map[string]string `json:"config,omitempty"`
	// Endpoints are the only endpoints the adapter may reach: exact
	// endpoints (unix:///run/x.sock, http://host:port, https://host) or
	// "{key}", the endpoint named by config value key. A host may start
	// with "*." to match its subdomains.
	Endpoints []string `json:"endpoints,omitempty"`
}

// Mount is a bind or volume request of a container.
type Mount struct {
	Source   string `json:"source"`
	Target   string `json:"target"`
	ReadOnly bool   `json:"read_only,omitempty"`
}

// ContainerSpec is the input of create.
type ContainerSpec struct {
	Name       string   `json:"name,omitempty"`
	Image      string   `json:"image"`
	Entrypoint []string `json:"entrypoint,omitempty"`
	Cmd        []string `json:"cmd,omitempty"`
	Env        []string `json:"env,omitempty"`
	WorkingDir string   `json:"working_dir,omitempty"`
	User       string   `json:"user,omitempty"`
	// GroupAdd are supplementary groups (docker run --group-add).
	GroupAdd    []string          `json:"group_add,omitempty"`
	Hostname    string            `json:"hostname,omitempty"`
	Tty         bool              `json:"tty,omitempty"`
	OpenStdin   bool              `json:"open_stdin,omitempty"`
	StdinOnce   bool              `json:"stdin_once,omitempty"`
	Labels      map[string]string `json:"labels,omitempty"`
	StopSignal  string            `json:"stop_signal,omitempty"`
	StopTimeout *int              `json:"stop_timeout,omitempty"`
	Mounts      []Mount           `json:"mounts,omitempty"`
	// Pull: "missing" (default), "always" or "never".
	Pull string `json:"pull,omitempty"`

	// Ports the container exposes ("80/tcp") and publishes on the
	// backend's host (an empty HostPort: the backend chooses one).
	ExposedPorts    []string                 `json:"exposed_ports,omitempty"`
	PortBindings    map[string][]PortBinding `json:"port_bindings,omitempty"`
	PublishAllPorts bool                     `json:"publish_all_ports,omitempty"`
	// Tmpfs: target path → mount options ("size=1m,mode=1777").
	Tmpfs          map[string]string `json:"tmpfs,omitempty"`
	ReadonlyRootfs bool              `json:"readonly_rootfs,omitempty"`
	// Healthcheck: Docker's Config.Healthcheck JSON, run by the backend.
	Healthcheck []byte `json:"healthcheck,omitempty"`
	Resources   `json:"resources,omitempty"`
}

// PortBinding is one host address a container port is published on.
type PortBinding struct {
	HostIP   string `json:"host_ip,omitempty"`
	HostPort string `json:"host_port,omitempty"`
}

// Resources are limits a backend applies (create and update).
type Resources struct {
	Memory     int64 `json:"memory,omitempty"`      // bytes
	MemorySwap int64 `json:"memory_swap,omitempty"` // bytes, -1 unlimited
	NanoCPUs   int64 `json:"nano_cpus,omitempty"`
	CPUShares  int64 `json:"cpu_shares,omitempty"`
	PidsLimit  int64 `json:"pids_limit,omitempty"`
}

// Ref names a container on the backend: the handle create returned.
type Ref struct {
	Handle string `json:"handle"`
}

// CreateResult is the output of create.
type CreateResult struct {
	Handle   string   `json:"handle"`
	Warnings []string `json:"warnings,omitempty"`
}

// StopRequest is the input of stop and kill.
type StopRequest struct {
	Handle  string `json:"handle"`
	Signal  string `json:"signal,omitempty"`
	Timeout *int   `json:"timeout,omitempty"` // seconds; nil: the backend's default
}

// RemoveRequest is the input of remove.
type RemoveRequest struct {
	Handle string `json:"handle"`
	Force  bool   `json:"force,omitempty"`
}

// Status is the output of status.
type Status struct {
	State      string `json:"state"` // created, running, exited, removed, unknown
	Running    bool   `json:"running"`
	ExitCode   int    `json:"exit_code"`
	Pid        int    `json:"pid,omitempty"`
	StartedAt  string `json:"started_at,omitempty"`  // RFC 3339
	FinishedAt string `json:"finished_at,omitempty"` // RFC 3339
	Error      string `json:"error,omitempty"`
	Paused     bool   `json:"paused,omitempty"`
	// Ports: where the backend published the container's ports.
	Ports map[string][]PortBinding `json:"ports,omitempty"`
	// Health: Docker's State.Health JSON when the backend runs a
	// healthcheck.
	Health []byte `json:"health,omitempty"`
}

// TopRequest is the input of top.
type TopRequest struct {
	Handle string `json:"handle"`
	PsArgs string `json:"ps_args,omitempty"`
}

// StatsRequest is the input of stats.
type StatsRequest struct {
	Handle string `json:"handle"`
	Stream bool   `json:"stream,omitempty"`
}

// ResizeRequest is the input of resize.
type ResizeRequest struct {
	Handle string `json:"handle"`
	Height int    `json:"height"`
	Width  int    `json:"width"`
}

// UpdateRequest is the input of update.
type UpdateRequest struct {
	Handle    string `json:"handle"`
	Resources `json:"resources"`
}

// CommitRequest is the input of commit.
type CommitRequest struct {
	Handle string `json:"handle"`
	Pause  bool   `json:"pause,omitempty"`
}

// LogsRequest is the input of logs.
type LogsRequest struct {
	Handle     string `json:"handle"`
	Follow     bool   `json:"follow,omitempty"`
	Stdout     bool   `json:"stdout,omitempty"`
	Stderr     bool   `json:"stderr,omitempty"`
	Timestamps bool   `json:"timestamps,omitempty"`
	Since      string `json:"since,omitempty"`
	Until      string `json:"until,omitempty"`
	Tail       string `json:"tail,omitempty"`
	Cursor     string `json:"cursor,omitempty"` // from a previous LogChunks
}

// Chunk is one piece of output of a polled log.
type Chunk struct {
	Stream int    `json:"stream"` // 1 stdout, 2 stderr
	Data   []byte `json:"data"`
}

// ExecRequest is the input of exec.
type ExecRequest struct {
	Handle     string   `json:"handle"`
	Cmd        []string `json:"cmd"`
	Env        []string `json:"env,omitempty"`
	WorkingDir string   `json:"working_dir,omitempty"`
	User       string   `json:"user,omitempty"`
	Tty        bool     `json:"tty,omitempty"`
	Stdin      bool     `json:"stdin,omitempty"`
	Stdout     bool     `json:"stdout,omitempty"`
	Stderr     bool     `json:"stderr,omitempty"`
	Privileged bool     `json:"privileged,omitempty"`
}

// AttachRequest is the input of attach.
type AttachRequest struct {
	Handle string `json:"handle"`
	Stdin  bool   `json:"stdin,omitempty"`
	Stdout bool   `json:"stdout,omitempty"`
	Stderr bool   `json:"stderr,omitempty"`
	Logs   bool   `json:"logs,omitempty"`
	Stream bool   `json:"stream,omitempty"`
}

// ArchiveRequest is the input of archive_get, archive_put and archive_stat.
type ArchiveRequest struct {
	Handle string `json:"handle"`
	Path   string `json:"path"`
	// NoOverwriteDirNonDir and CopyUIDGID mirror Docker's PUT /archive.
	NoOverwriteDirNonDir bool `json:"no_overwrite_dir_non_dir,omitempty"`
	CopyUIDGID           bool `json:"copy_uid_gid,omitempty"`
}

// Framing says how the bytes of a stream handed back to the host are laid
// out.
const (
	// FramingRaw: the bytes are the container's output as is (a TTY).
	FramingRaw = "raw"
	// FramingMux: Docker's stdcopy framing (8-byte header: stream, 0, 0, 0,
	// big-endian length).
	FramingMux = "mux"
	// FramingBody: an opaque body (a tar archive, a JSON document).
	FramingBody = "body"
)

// Then asks the host to call an export after a stream ended; the export
// receives a ThenInput. It lets an adapter wait (for an exit, a stream's
// end) without holding a wasm instance.
type Then struct {
	Call  string `json:"call"`
	State string `json:"state,omitempty"`
	// Body: the host reads the stream to its end (up to 1 MiB) and passes
	// it in ThenInput.Body instead of pumping it to the caller.
	Body bool `json:"body,omitempty"`
	// DelayMS: the host waits this long first (polling a cloud API
	// without holding an instance).
	DelayMS int `json:"delay_ms,omitempty"`
}

// ThenInput is the input of an export named by Then.Call.
type ThenInput struct {
	State string `json:"state,omitempty"`
	Body  []byte `json:"body,omitempty"`
}

// Result is the output of every export but describe and create: each
// operation fills the fields that apply.
type Result struct {
	ExitCode *int    `json:"exit_code,omitempty"`
	Status   *Status `json:"status,omitempty"`
	// Stream is a handle from stream_open handed over to the host, which
	// owns it from now on.
	Stream  uint32 `json:"stream,omitempty"`
	Framing string `json:"framing,omitempty"`
	Then    *Then  `json:"then,omitempty"`
	// Chunks and Cursor: a polled log (no stream); Done when no more
	// output can come.
	Chunks []Chunk `json:"chunks,omitempty"`
	Cursor string  `json:"cursor,omitempty"`
	Done   bool    `json:"done,omitempty"`
	// Stat: archive_get/archive_stat's description of the path, the JSON
	// Docker sends base64 in X-Docker-Container-Path-Stat.
	Stat []byte `json:"stat,omitempty"`
	// Doc: a JSON document in Docker's shape (top: TopResponse;
	// changes: the list of FilesystemChange).
	Doc []byte `json:"doc,omitempty"`
	// Warnings from update.
	Warnings []string `json:"warnings,omitempty"`
}

// HTTPRequest is the input of http and stream_open.
type HTTPRequest struct {
	Method string `json:"method"`
	// URL: "unix:///path.sock:/v1.41/containers/json?all=1" for a unix
	// socket (the socket path, then ":" and the request URI), or
	// "http(s)://host[:port]/path".
	URL     string              `json:"url"`
	Headers map[string][]string `json:"headers,omitempty"`
	Body    []byte              `json:"body,omitempty"`
	// BodyFromInput (stream_open only): the request body is the caller's
	// input stream (a tar archive to extract, an attach's stdin).
	BodyFromInput bool `json:"body_from_input,omitempty"`
	// Upgrade (stream_open only): the request upgrades the connection
	// (Connection: Upgrade, Upgrade: tcp); the stream is then both ways.
	Upgrade bool `json:"upgrade,omitempty"`
	// TimeoutMS bounds the whole request (http) or the wait for the
	// response headers (stream_open); 0: no limit beyond the call's.
	TimeoutMS int `json:"timeout_ms,omitempty"`
}

// HTTPResponse is the output of http and stream_open.
type HTTPResponse struct {
	Status  int                 `json:"status"`
	Headers map[string][]string `json:"headers,omitempty"`
	Body    []byte              `json:"body,omitempty"`
	Stream  uint32              `json:"stream,omitempty"` // stream_open: the body's handle
	// Error: the request was not made or failed (denied endpoint,
	// connection refused); Denied tells the denial apart.
	Error  string `json:"error,omitempty"`
	Denied bool   `json:"denied,omitempty"`
}

// Error is what an export sets as its error (extism error_set) as JSON, so
// the host can classify it: Kind is one of the Kind constants.
type Error struct {
	Kind    string `json:"kind"`
	Message string `json:"message"`
}

// Error kinds.
const (
	KindInvalid        = "invalid"
	KindNotFound       = "not-found"
	KindConflict       = "conflict"
	KindNotModified    = "not-modified"
	KindUnavailable    = "unavailable"
	KindNotImplemented = "not-implemented"
	KindForbidden      = "forbidden"
	KindUnknown        = "unknown"
)
