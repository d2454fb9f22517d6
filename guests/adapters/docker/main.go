//go:build wasip1

// Command docker is the Docker Engine backend adapter: it drives a real
// Docker Engine through its REST API over the socket or TCP endpoint named
// by the config key "host" (default unix:///var/run/docker.sock), and may
// reach nothing else (its manifest names only "{host}"). Built by the
// Makefile with GOOS=wasip1 -buildmode=c-shared and embedded in the binary
// (runtime/backend/builtin). Streams (logs, attach, exec, archives) are
// opened here and handed to the host, which pumps them; waits are
// continuations (wire.Then), so no instance is held while a container runs.
package main

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"github.com/sockerless/sockerless/guests/adapters/host"
	"github.com/sockerless/sockerless/runtime/backend/wire"
)

func main() {}

const defaultHost = "unix:///var/run/docker.sock"

//go:wasmexport describe
func describe() int32 {
	return host.Run(func(struct{}) (any, error) {
		caps := []string{wire.CapExec, wire.CapAttach, wire.CapArchive, wire.CapLogsFollow,
			wire.CapStopSignal, wire.CapKill, wire.CapPull}
		if h := host.Config("host"); h == "" || strings.HasPrefix(h, "unix://") {
			// An engine on a local socket shares this host's files.
			caps = append(caps, wire.CapHostPaths)
		}
		return wire.Manifest{
			Name:         "docker",
			Version:      "0.1.0",
			Capabilities: caps,
			Config: map[string]string{
				"host":        defaultHost,
				"api-version": "1.41",
				"pull":        "missing",
			},
			Endpoints: []string{"{host}"},
		}, nil
	})
}

// u builds the request URL for an API path ("/containers/x/json?...").
func u(path string) string {
	h := host.Config("host")
	if h == "" {
		h = defaultHost
	}
	p := "/v" + host.Config("api-version") + path
	if rest, ok := strings.CutPrefix(h, "unix://"); ok {
		return "unix://" + rest + ":" + p
	}
	if rest, ok := strings.CutPrefix(h, "tcp://"); ok {
		return "http://" + rest + p
	}
	return strings.TrimRight(h, "/") + p
}

var jsonHeader = map[string][]string{"Content-Type": {"application/json"}}

// apiError maps a Docker Engine error response to a kinded error.
func apiError(status int, body []byte) error {
	var m struct {
		Message string `json:"message"`
	}
	msg := strings.TrimSpace(string(body))
	if json.Unmarshal(body, &m) == nil && m.Message != "" {
		msg = m.Message
	}
	if msg == "" {
		msg = fmt.Sprintf("Docker Engine answered %d", status)
	}
	kind := wire.KindUnknown
	switch status {
	case 400:
		kind = wire.KindInvalid
	case 404:
		kind = wire.KindNotFound
	case 409:
		kind = wire.KindConflict
	case 304:
		kind = wire.KindNotModified
	case 403:
		kind = wire.KindForbidden
	case 501:
		kind = wire.KindNotImplemented
	case 503:
		kind = wire.KindUnavailable
	}
	return host.Errorf(kind, "%s", msg)
}

// do makes a buffered request; out (if non-nil) receives the JSON body.
func do(method, path string, in, out any) (int, error) {
	req := wire.HTTPRequest{Method: method, URL: u(path)}
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return 0, err
		}
		req.Body, req.Headers = b, jsonHeader
	}
	resp, err := host.HTTP(req)
	if err != nil {
		return 0, err
	}
	if resp.Status < 200 || resp.Status > 299 {
		return resp.Status, apiError(resp.Status, resp.Body)
	}
	if out != nil && len(resp.Body) > 0 {
		if err := json.Unmarshal(resp.Body, out); err != nil {
			return resp.Status, fmt.Errorf("Docker Engine %s %s: bad JSON: %v", method, path, err)
		}
	}
	return resp.Status, nil
}

// open makes a streamed request; a non-2xx answer becomes an error.
func open(req wire.HTTPRequest) (uint32, wire.HTTPResponse, error) {
	resp, err := host.StreamOpen(req)
	if err != nil {
		return 0, resp, err
	}
	if resp.Status < 200 || resp.Status > 299 {
		if resp.Status == 101 {
			return resp.Stream, resp, nil
		}
		body := host.StreamReadAll(resp.Stream, 64<<10)
		host.StreamClose(resp.Stream)
		return 0, resp, apiError(resp.Status, body)
	}
	return resp.Stream, resp, nil
}

func esc(s string) string { return url.PathEscape(s) }

func b2s(b bool) string {
	if b {
		return "1"
	}
	return "0"
}

type portBinding struct {
	HostIp   string
	HostPort string
}

type hostConfig struct {
	Binds           []string                 `json:",omitempty"`
	PortBindings    map[string][]portBinding `json:",omitempty"`
	PublishAllPorts bool                     `json:",omitempty"`
	Tmpfs           map[string]string        `json:",omitempty"`
	ReadonlyRootfs  bool                     `json:",omitempty"`
	GroupAdd        []string                 `json:",omitempty"`
	resources
}

// resources are the limits of HostConfig (create) and of POST update.
type resources struct {
	Memory     int64 `json:",omitempty"`
	MemorySwap int64 `json:",omitempty"`
	NanoCpus   int64 `json:",omitempty"`
	CpuShares  int64 `json:",omitempty"`
	PidsLimit  int64 `json:",omitempty"`
}

func resourcesOf(r wire.Resources) resources {
	return resources{Memory: r.Memory, MemorySwap: r.MemorySwap, NanoCpus: r.NanoCPUs, CpuShares: r.CPUShares, PidsLimit: r.PidsLimit}
}

type createBody struct {
	Image        string
	Cmd          []string            `json:",omitempty"`
	Entrypoint   []string            `json:",omitempty"`
	Env          []string            `json:",omitempty"`
	WorkingDir   string              `json:",omitempty"`
	User         string              `json:",omitempty"`
	Hostname     string              `json:",omitempty"`
	Tty          bool                `json:",omitempty"`
	OpenStdin    bool                `json:",omitempty"`
	StdinOnce    bool                `json:",omitempty"`
	AttachStdin  bool                `json:",omitempty"`
	AttachStdout bool                `json:",omitempty"`
	AttachStderr bool                `json:",omitempty"`
	Labels       map[string]string   `json:",omitempty"`
	StopSignal   string              `json:",omitempty"`
	StopTimeout  *int                `json:",omitempty"`
	ExposedPorts map[string]struct{} `json:",omitempty"`
	Healthcheck  json.RawMessage     `json:",omitempty"`
	HostConfig   hostConfig
}

//go:wasmexport create
func create() int32 {
	return host.Run(func(s wire.ContainerSpec) (any, error) {
		if s.Image == "" {
			return nil, host.Errorf(wire.KindInvalid, "no image")
		}
		labels := map[string]string{"io.sockerless.managed": "true"}
		for k, v := range s.Labels {
			labels[k] = v
		}
		if s.Name != "" {
			labels["io.sockerless.name"] = s.Name
		}
		body := createBody{Image: s.Image, Cmd: s.Cmd, Entrypoint: s.Entrypoint, Env: s.Env,
			WorkingDir: s.WorkingDir, User: s.User, Hostname: s.Hostname, Tty: s.Tty,
			OpenStdin: s.OpenStdin, StdinOnce: s.StdinOnce, AttachStdin: s.OpenStdin,
			AttachStdout: true, AttachStderr: true, Labels: labels,
			StopSignal: s.StopSignal, StopTimeout: s.StopTimeout, Healthcheck: s.Healthcheck}
		body.HostConfig.PublishAllPorts, body.HostConfig.Tmpfs = s.PublishAllPorts, s.Tmpfs
		body.HostConfig.GroupAdd = s.GroupAdd
		body.HostConfig.ReadonlyRootfs, body.HostConfig.resources = s.ReadonlyRootfs, resourcesOf(s.Resources)
		for _, p := range s.ExposedPorts {
			if body.ExposedPorts == nil {
				body.ExposedPorts = map[string]struct{}{}
			}
			body.ExposedPorts[p] = struct{}{}
		}
		for p, bs := range s.PortBindings {
			if body.HostConfig.PortBindings == nil {
				body.HostConfig.PortBindings = map[string][]portBinding{}
			}
			for _, b := range bs {
				body.HostConfig.PortBindings[p] = append(body.HostConfig.PortBindings[p], portBinding{HostIp: b.HostIP, HostPort: b.HostPort})
			}
		}
		for _, m := range s.Mounts {
			b := m.Source + ":" + m.Target
			if m.ReadOnly {
				b += ":ro"
			}
			body.HostConfig.Binds = append(body.HostConfig.Binds, b)
		}
		pull := s.Pull
		if pull == "" {
			pull = host.Config("pull")
		}
		if pull == "always" {
			if err := pullImage(s.Image); err != nil {
				return nil, err
			}
		}
		var out struct {
			Id       string
			Warnings []string
		}
		status, err := do("POST", "/containers/create", body, &out)
		if status == 404 && pull != "never" {
			if perr := pullImage(s.Image); perr != nil {
				// Neither here nor pullable: what Docker's create says
				// of a missing image; the reason goes to the log.
				host.Logf("pull %s on the Docker Engine: %v", s.Image, perr)
				return nil, host.Errorf(wire.KindNotFound, "No such image: %s", withTag(s.Image))
			}
			_, err = do("POST", "/containers/create", body, &out)
		}
		if err != nil {
			return nil, err
		}
		// The framing of its output depends on the TTY: remember it.
		host.KVPut("tty/"+out.Id, []byte(b2s(s.Tty)))
		return wire.CreateResult{Handle: out.Id, Warnings: out.Warnings}, nil
	})
}

// withTag adds ":latest" to a reference without a tag or digest.
func withTag(ref string) string {
	if !strings.Contains(ref, "@") {
		if i := strings.LastIndex(ref, ":"); i < 0 || strings.Contains(ref[i:], "/") {
			return ref + ":latest"
		}
	}
	return ref
}

// pullImage pulls ref on the Docker Engine's side and reads the progress
// to its end (an error is reported in the stream).
func pullImage(ref string) error {
	q := url.Values{"fromImage": {ref}}
	if withTag(ref) != ref {
		q.Set("tag", "latest")
	}
	h, _, err := open(wire.HTTPRequest{Method: "POST", URL: u("/images/create?" + q.Encode())})
	if err != nil {
		return err
	}
	progress := host.StreamReadAll(h, 8<<20)
	host.StreamClose(h)
	for _, line := range strings.Split(string(progress), "\n") {
		var m struct {
			Error string `json:"error"`
		}
		if json.Unmarshal([]byte(line), &m) == nil && m.Error != "" {
			return host.Errorf(wire.KindNotFound, "pull %s on the Docker Engine: %s", ref, m.Error)
		}
	}
	return nil
}

// containerPost is an export that POSTs /containers/{handle}/action.
func containerPost(action string) int32 {
	return host.Run(func(r wire.Ref) (any, error) {
		_, err := do("POST", "/containers/"+esc(r.Handle)+"/"+action, nil, nil)
		return nil, err
	})
}

//go:wasmexport start
func start() int32 { return containerPost("start") }

//go:wasmexport wait
func wait() int32 {
	return host.Run(func(r wire.Ref) (any, error) {
		h, _, err := open(wire.HTTPRequest{Method: "POST", URL: u("/containers/" + esc(r.Handle) + "/wait?condition=not-running")})
		if err != nil {
			return nil, err
		}
		// The host reads the body when the container ends and calls
		// wait_result with it; no instance waits meanwhile.
		return wire.Result{Stream: h, Framing: wire.FramingBody, Then: &wire.Then{Call: "wait_result", Body: true}}, nil
	})
}

//go:wasmexport wait_result
func waitResult() int32 {
	return host.Run(func(in wire.ThenInput) (any, error) {
		var w struct {
			StatusCode int
			Error      *struct{ Message string }
		}
		if err := json.Unmarshal(in.Body, &w); err != nil {
			return nil, host.Errorf(wire.KindUnavailable, "wait: the Docker Engine's answer ended early (%q)", in.Body)
		}
		if w.Error != nil && w.Error.Message != "" {
			return nil, host.Errorf(wire.KindUnknown, "wait: %s", w.Error.Message)
		}
		return wire.Result{ExitCode: &w.StatusCode}, nil
	})
}

//go:wasmexport status
func status() int32 {
	return host.Run(func(r wire.Ref) (any, error) {
		var c struct {
			State struct {
				Status     string
				Running    bool
				Paused     bool
				ExitCode   int
				Pid        int
				StartedAt  string
				FinishedAt string
				Error      string
				Health     json.RawMessage
			}
			NetworkSettings struct {
				Ports map[string][]portBinding
			}
		}
		if _, err := do("GET", "/containers/"+esc(r.Handle)+"/json", nil, &c); err != nil {
			return nil, err
		}
		s := c.State
		st := &wire.Status{State: s.Status, Running: s.Running, Paused: s.Paused, ExitCode: s.ExitCode,
			Pid: s.Pid, StartedAt: s.StartedAt, FinishedAt: s.FinishedAt, Error: s.Error}
		if len(s.Health) > 0 && string(s.Health) != "null" {
			st.Health = s.Health
		}
		for p, bs := range c.NetworkSettings.Ports {
			if st.Ports == nil {
				st.Ports = map[string][]wire.PortBinding{}
			}
			out := []wire.PortBinding{}
			for _, b := range bs {
				out = append(out, wire.PortBinding{HostIP: b.HostIp, HostPort: b.HostPort})
			}
			st.Ports[p] = out
		}
		return wire.Result{Status: st}, nil
	})
}

// framing is the layout of the container's output: raw with a TTY.
func framing(handle string) string {
	v := host.KVGet("tty/" + handle)
	if v == nil {
		var c struct{ Config struct{ Tty bool } }
		if _, err := do("GET", "/containers/"+esc(handle)+"/json", nil, &c); err == nil {
			v = []byte(b2s(c.Config.Tty))
			host.KVPut("tty/"+handle, v)
		}
	}
	if string(v) == "1" {
		return wire.FramingRaw
	}
	return wire.FramingMux
}

//go:wasmexport logs
func logs() int32 {
	return host.Run(func(r wire.LogsRequest) (any, error) {
		q := url.Values{"stdout": {b2s(r.Stdout)}, "stderr": {b2s(r.Stderr)}, "follow": {b2s(r.Follow)},
			"timestamps": {b2s(r.Timestamps)}}
		for k, v := range map[string]string{"since": r.Since, "until": r.Until, "tail": r.Tail} {
			if v != "" {
				q.Set(k, v)
			}
		}
		f := framing(r.Handle)
		h, _, err := open(wire.HTTPRequest{Method: "GET", URL: u("/containers/" + esc(r.Handle) + "/logs?" + q.Encode())})
		if err != nil {
			return nil, err
		}
		return wire.Result{Stream: h, Framing: f}, nil
	})
}

//go:wasmexport stop
func stop() int32 {
	return host.Run(func(r wire.StopRequest) (any, error) {
		q := url.Values{}
		if r.Timeout != nil {
			q.Set("t", strconv.Itoa(*r.Timeout))
		}
		if r.Signal != "" {
			if v, _ := strconv.ParseFloat(host.Config("api-version"), 64); v >= 1.42 {
				q.Set("signal", r.Signal)
			} else if sig := strings.TrimPrefix(strings.ToUpper(r.Signal), "SIG"); sig != "TERM" && sig != "15" {
				// Older engines stop with the container's stop signal
				// only: send the requested one first.
				if _, err := do("POST", "/containers/"+esc(r.Handle)+"/kill?signal="+url.QueryEscape(r.Signal), nil, nil); err != nil {
					return nil, err
				}
			}
		}
		_, err := do("POST", "/containers/"+esc(r.Handle)+"/stop?"+q.Encode(), nil, nil)
		return nil, err
	})
}

//go:wasmexport kill
func kill() int32 {
	return host.Run(func(r wire.StopRequest) (any, error) {
		q := url.Values{}
		if r.Signal != "" {
			q.Set("signal", r.Signal)
		}
		_, err := do("POST", "/containers/"+esc(r.Handle)+"/kill?"+q.Encode(), nil, nil)
		return nil, err
	})
}

//go:wasmexport remove
func remove() int32 {
	return host.Run(func(r wire.RemoveRequest) (any, error) {
		_, err := do("DELETE", "/containers/"+esc(r.Handle)+"?v=1&force="+b2s(r.Force), nil, nil)
		if err == nil {
			host.KVDelete("tty/" + r.Handle)
		}
		return nil, err
	})
}

//go:wasmexport exec
func execExport() int32 {
	return host.Run(func(r wire.ExecRequest) (any, error) {
		cfg := map[string]any{"AttachStdin": r.Stdin, "AttachStdout": r.Stdout, "AttachStderr": r.Stderr,
			"Tty": r.Tty, "Cmd": r.Cmd, "Env": r.Env, "WorkingDir": r.WorkingDir, "User": r.User,
			"Privileged": r.Privileged}
		var ex struct{ Id string }
		if _, err := do("POST", "/containers/"+esc(r.Handle)+"/exec", cfg, &ex); err != nil {
			return nil, err
		}
		body, _ := json.Marshal(map[string]any{"Detach": false, "Tty": r.Tty})
		h, _, err := open(wire.HTTPRequest{Method: "POST", URL: u("/exec/" + esc(ex.Id) + "/start"),
			Headers: jsonHeader, Body: body, Upgrade: true, BodyFromInput: r.Stdin})
		if err != nil {
			return nil, err
		}
		f := wire.FramingMux
		if r.Tty {
			f = wire.FramingRaw
		}
		return wire.Result{Stream: h, Framing: f, Then: &wire.Then{Call: "exec_exit", State: ex.Id}}, nil
	})
}

//go:wasmexport exec_exit
func execExit() int32 {
	return host.Run(func(in wire.ThenInput) (any, error) {
		var ex struct {
			Running  bool
			ExitCode int
		}
		if _, err := do("GET", "/exec/"+esc(in.State)+"/json", nil, &ex); err != nil {
			return nil, err
		}
		if ex.Running {
			// The stream ended a moment before the engine noticed.
			return wire.Result{Then: &wire.Then{Call: "exec_exit", State: in.State, DelayMS: 20}}, nil
		}
		return wire.Result{ExitCode: &ex.ExitCode}, nil
	})
}

//go:wasmexport attach
func attach() int32 {
	return host.Run(func(r wire.AttachRequest) (any, error) {
		q := url.Values{"stream": {b2s(r.Stream)}, "stdin": {b2s(r.Stdin)}, "stdout": {b2s(r.Stdout)},
			"stderr": {b2s(r.Stderr)}, "logs": {b2s(r.Logs)}}
		f := framing(r.Handle)
		h, _, err := open(wire.HTTPRequest{Method: "POST", URL: u("/containers/" + esc(r.Handle) + "/attach?" + q.Encode()),
			Upgrade: true, BodyFromInput: r.Stdin})
		if err != nil {
			return nil, err
		}
		return wire.Result{Stream: h, Framing: f}, nil
	})
}

//go:wasmexport archive_get
func archiveGet() int32 {
	return host.Run(func(r wire.ArchiveRequest) (any, error) {
		h, resp, err := open(wire.HTTPRequest{Method: "GET",
			URL: u("/containers/" + esc(r.Handle) + "/archive?" + url.Values{"path": {r.Path}}.Encode())})
		if err != nil {
			return nil, err
		}
		var stat []byte
		if v := resp.Headers["X-Docker-Container-Path-Stat"]; len(v) > 0 {
			stat, _ = base64.StdEncoding.DecodeString(v[0])
		}
		return wire.Result{Stream: h, Framing: wire.FramingBody, Stat: stat}, nil
	})
}

//go:wasmexport archive_put
func archivePut() int32 {
	return host.Run(func(r wire.ArchiveRequest) (any, error) {
		q := url.Values{"path": {r.Path}, "noOverwriteDirNonDir": {b2s(r.NoOverwriteDirNonDir)},
			"copyUIDGID": {b2s(r.CopyUIDGID)}}
		h, _, err := open(wire.HTTPRequest{Method: "PUT", URL: u("/containers/" + esc(r.Handle) + "/archive?" + q.Encode()),
			Headers: map[string][]string{"Content-Type": {"application/x-tar"}}, BodyFromInput: true})
		if err != nil {
			return nil, err
		}
		host.StreamClose(h)
		return nil, nil
	})
}

//go:wasmexport pause
func pause() int32 { return containerPost("pause") }

//go:wasmexport unpause
func unpause() int32 { return containerPost("unpause") }

// buffered makes a buffered request and returns the raw JSON body as the
// result's document.
func buffered(method, path string, in any) (any, error) {
	var doc json.RawMessage
	if _, err := do(method, path, in, &doc); err != nil {
		return nil, err
	}
	return wire.Result{Doc: doc}, nil
}

//go:wasmexport top
func top() int32 {
	return host.Run(func(r wire.TopRequest) (any, error) {
		q := ""
		if r.PsArgs != "" {
			q = "?" + url.Values{"ps_args": {r.PsArgs}}.Encode()
		}
		return buffered("GET", "/containers/"+esc(r.Handle)+"/top"+q, nil)
	})
}

//go:wasmexport changes
func changes() int32 {
	return host.Run(func(r wire.Ref) (any, error) {
		return buffered("GET", "/containers/"+esc(r.Handle)+"/changes", nil)
	})
}

//go:wasmexport update
func update() int32 {
	return host.Run(func(r wire.UpdateRequest) (any, error) {
		var out struct{ Warnings []string }
		if _, err := do("POST", "/containers/"+esc(r.Handle)+"/update", resourcesOf(r.Resources), &out); err != nil {
			return nil, err
		}
		return wire.Result{Warnings: out.Warnings}, nil
	})
}

//go:wasmexport resize
func resize() int32 {
	return host.Run(func(r wire.ResizeRequest) (any, error) {
		q := url.Values{"h": {strconv.Itoa(r.Height)}, "w": {strconv.Itoa(r.Width)}}
		_, err := do("POST", "/containers/"+esc(r.Handle)+"/resize?"+q.Encode(), nil, nil)
		return nil, err
	})
}

// body streams a GET's response body to the host.
func body(path string) (any, error) {
	h, _, err := open(wire.HTTPRequest{Method: "GET", URL: u(path)})
	if err != nil {
		return nil, err
	}
	return wire.Result{Stream: h, Framing: wire.FramingBody}, nil
}

//go:wasmexport stats
func stats() int32 {
	return host.Run(func(r wire.StatsRequest) (any, error) {
		return body("/containers/" + esc(r.Handle) + "/stats?stream=" + strconv.FormatBool(r.Stream))
	})
}

//go:wasmexport export
func export() int32 {
	return host.Run(func(r wire.Ref) (any, error) {
		return body("/containers/" + esc(r.Handle) + "/export")
	})
}

// commit commits the container on the engine, untagged, and streams the
// image as `docker save` writes it; commit_done then removes the image
// from the engine (the host keeps what it needs).
//
//go:wasmexport commit
func commit() int32 {
	return host.Run(func(r wire.CommitRequest) (any, error) {
		var out struct{ Id string }
		q := url.Values{"container": {r.Handle}, "pause": {strconv.FormatBool(r.Pause)}}
		if _, err := do("POST", "/commit?"+q.Encode(), map[string]any{}, &out); err != nil {
			return nil, err
		}
		res, err := body("/images/" + esc(out.Id) + "/get")
		if err != nil {
			do("DELETE", "/images/"+esc(out.Id)+"?noprune=0", nil, nil)
			return nil, err
		}
		rr := res.(wire.Result)
		rr.Then = &wire.Then{Call: "commit_done", State: out.Id}
		return rr, nil
	})
}

//go:wasmexport commit_done
func commitDone() int32 {
	return host.Run(func(in wire.ThenInput) (any, error) {
		_, err := do("DELETE", "/images/"+esc(in.State), nil, nil)
		return nil, err
	})
}

// image_load loads a `docker save` tar (the caller's input) into the
// engine, so that containers can be made from images the engine cannot
// pull (built or committed by sockerless).
//
//go:wasmexport image_load
func imageLoad() int32 {
	return host.Run(func(struct{}) (any, error) {
		h, _, err := open(wire.HTTPRequest{Method: "POST", URL: u("/images/load?quiet=1"),
			Headers: map[string][]string{"Content-Type": {"application/x-tar"}}, BodyFromInput: true})
		if err != nil {
			return nil, err
		}
		out := host.StreamReadAll(h, 1<<20)
		host.StreamClose(h)
		for _, line := range strings.Split(string(out), "\n") {
			var m struct {
				Error string `json:"error"`
			}
			if json.Unmarshal([]byte(line), &m) == nil && m.Error != "" {
				return nil, host.Errorf(wire.KindInvalid, "load the image into the Docker Engine: %s", m.Error)
			}
		}
		return nil, nil
	})
}
