//go:build wasip1

// Command testdata is a small user-loaded adapter for tests
// (tests/backend builds it at test time and loads it with
// --backend-module semantics): a container "runs" in the adapter's
// key-value state. Its output is "ran: <args>" and, with GREETING set, the
// greeting; it exits with $EXIT_CODE. With $PROBE set to a URL, start
// fetches it first (to show that a loaded adapter reaches nothing the
// operator did not allow). Logs are polled with a cursor, no streams.
package main

import (
	"encoding/json"
	"strconv"
	"strings"
	"time"

	"github.com/sockerless/sockerless/guests/adapters/host"
	"github.com/sockerless/sockerless/runtime/backend/wire"
)

func main() {}

//go:wasmexport describe
func describe() int32 {
	return host.Run(func(struct{}) (any, error) {
		return wire.Manifest{Name: "memory", Version: "0.0.1",
			Config:    map[string]string{"target": "", "prefix": "ran"},
			Endpoints: []string{"{target}"}}, nil
	})
}

type ctr struct {
	Spec    wire.ContainerSpec
	Started bool
}

func load(h string) (*ctr, error) {
	b := host.KVGet("c/" + h)
	if b == nil {
		return nil, host.Errorf(wire.KindNotFound, "no container %s", h)
	}
	var c ctr
	return &c, json.Unmarshal(b, &c)
}

func save(h string, c *ctr) error {
	b, _ := json.Marshal(c)
	return host.KVPut("c/"+h, b)
}

func env(c *ctr, k string) string {
	for _, e := range c.Spec.Env {
		if v, ok := strings.CutPrefix(e, k+"="); ok {
			return v
		}
	}
	return ""
}

//go:wasmexport create
func create() int32 {
	return host.Run(func(s wire.ContainerSpec) (any, error) {
		h := "m" + strconv.FormatInt(time.Now().UnixNano(), 36)
		return wire.CreateResult{Handle: h}, save(h, &ctr{Spec: s})
	})
}

//go:wasmexport start
func start() int32 {
	return host.Run(func(r wire.Ref) (any, error) {
		c, err := load(r.Handle)
		if err != nil {
			return nil, err
		}
		if u := env(c, "PROBE"); u != "" {
			if _, err := host.HTTP(wire.HTTPRequest{Method: "GET", URL: u}); err != nil {
				return nil, err
			}
		}
		c.Started = true
		host.Logf("memory adapter: started %s", r.Handle)
		return nil, save(r.Handle, c)
	})
}

//go:wasmexport wait
func wait() int32 {
	return host.Run(func(r wire.Ref) (any, error) {
		c, err := load(r.Handle)
		if err != nil {
			return nil, err
		}
		code, _ := strconv.Atoi(env(c, "EXIT_CODE"))
		return wire.Result{ExitCode: &code}, nil
	})
}

//go:wasmexport status
func status() int32 {
	return host.Run(func(r wire.Ref) (any, error) {
		c, err := load(r.Handle)
		if err != nil {
			return nil, err
		}
		code, _ := strconv.Atoi(env(c, "EXIT_CODE"))
		st := "created"
		if c.Started {
			st = "exited"
		}
		return wire.Result{Status: &wire.Status{State: st, ExitCode: code}}, nil
	})
}

// logs returns one line per call, the cursor counting lines.
//
//go:wasmexport logs
func logs() int32 {
	return host.Run(func(r wire.LogsRequest) (any, error) {
		c, err := load(r.Handle)
		if err != nil {
			return nil, err
		}
		lines := []wire.Chunk{{Stream: 1, Data: []byte(host.Config("prefix") + ": " + strings.Join(append(c.Spec.Entrypoint, c.Spec.Cmd...), " ") + "\n")}}
		if g := env(c, "GREETING"); g != "" {
			lines = append(lines, wire.Chunk{Stream: 2, Data: []byte(g + "\n")})
		}
		i, _ := strconv.Atoi(r.Cursor)
		if !c.Started || i >= len(lines) {
			return wire.Result{Cursor: r.Cursor, Done: c.Started}, nil
		}
		return wire.Result{Chunks: lines[i : i+1], Cursor: strconv.Itoa(i + 1), Done: i+1 == len(lines)}, nil
	})
}

//go:wasmexport stop
func stop() int32 { return host.Run(func(wire.StopRequest) (any, error) { return nil, nil }) }

//go:wasmexport remove
func remove() int32 {
	return host.Run(func(r wire.RemoveRequest) (any, error) {
		if _, err := load(r.Handle); err != nil {
			return nil, err
		}
		return nil, host.KVDelete("c/" + r.Handle)
	})
}
