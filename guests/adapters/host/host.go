//go:build wasip1

// Package host is an adapter's view of the sockerless host (the imports of
// wit/backend.wit): outbound HTTP and streams to allowed endpoints, the
// key-value store, config and logging, plus Run, which wraps an export.
// It is for guests/adapters/* only and compiles for GOOS=wasip1 alone. The
// Extism conventions (input, output, error, config, log) come from
// github.com/extism/go-pdk; the functions of module "sockerless:backend"
// are declared here.
package host

import (
	"encoding/json"
	"errors"
	"fmt"

	"github.com/extism/go-pdk"

	"github.com/sockerless/sockerless/runtime/backend/wire"
)

//go:wasmimport sockerless:backend http
func hostHTTP(req uint64) uint64

//go:wasmimport sockerless:backend stream_open
func hostStreamOpen(req uint64) uint64

//go:wasmimport sockerless:backend stream_read
func hostStreamRead(h, max uint64) uint64

//go:wasmimport sockerless:backend stream_write
func hostStreamWrite(h, data uint64) uint64

//go:wasmimport sockerless:backend stream_close
func hostStreamClose(h uint64)

//go:wasmimport sockerless:backend kv_get
func hostKVGet(key uint64) uint64

//go:wasmimport sockerless:backend kv_put
func hostKVPut(key, value uint64) uint64

//go:wasmimport sockerless:backend kv_delete
func hostKVDelete(key uint64) uint64

// Error is an error with a kind the host maps to an HTTP status.
type Error = wire.Error

// Errorf returns an error of the given kind (wire.Kind*).
func Errorf(kind, format string, args ...any) error {
	return &kindError{wire.Error{Kind: kind, Message: fmt.Sprintf(format, args...)}}
}

type kindError struct{ e wire.Error }

func (k *kindError) Error() string { return k.e.Message }

// Run reads the export's JSON input into in (unless nil), calls fn and
// writes its result as JSON output, or its error for the host. It returns
// the export's return code.
func Run[In any](fn func(in In) (any, error)) int32 {
	var in In
	if b := pdk.Input(); len(b) > 0 {
		if err := json.Unmarshal(b, &in); err != nil {
			return fail(Errorf(wire.KindInvalid, "bad input: %v", err))
		}
	}
	out, err := fn(in)
	if err != nil {
		return fail(err)
	}
	if out != nil {
		b, err := json.Marshal(out)
		if err != nil {
			return fail(err)
		}
		pdk.Output(b)
	}
	return 0
}

func fail(err error) int32 {
	e := wire.Error{Kind: wire.KindUnknown, Message: err.Error()}
	var k *kindError
	if errors.As(err, &k) {
		e = k.e
	}
	b, _ := json.Marshal(e)
	pdk.SetErrorString(string(b))
	return 1
}

func callJSON(fn func(uint64) uint64, in any, out any) error {
	b, err := json.Marshal(in)
	if err != nil {
		return err
	}
	m := pdk.AllocateBytes(b)
	defer m.Free()
	r := pdk.FindMemory(fn(m.Offset()))
	defer r.Free()
	return json.Unmarshal(r.ReadBytes(), out)
}

// HTTP makes a request and buffers the response. A denied endpoint or a
// transport failure comes back as an error of kind unavailable (forbidden
// when denied).
func HTTP(req wire.HTTPRequest) (wire.HTTPResponse, error) {
	var resp wire.HTTPResponse
	if err := callJSON(hostHTTP, req, &resp); err != nil {
		return resp, err
	}
	return resp, respErr(resp)
}

func respErr(r wire.HTTPResponse) error {
	if r.Error == "" {
		return nil
	}
	if r.Denied {
		return Errorf(wire.KindForbidden, "%s", r.Error)
	}
	return Errorf(wire.KindUnavailable, "%s", r.Error)
}

// StreamOpen makes a request whose body (or upgraded connection) stays on
// the host as a stream: read it with StreamRead, or hand its handle back
// in wire.Result.Stream for the host to pump.
func StreamOpen(req wire.HTTPRequest) (wire.HTTPResponse, error) {
	var resp wire.HTTPResponse
	if err := callJSON(hostStreamOpen, req, &resp); err != nil {
		return resp, err
	}
	return resp, respErr(resp)
}

// StreamRead reads up to max bytes; nil at the end of the stream.
func StreamRead(h uint32, max int) []byte {
	off := hostStreamRead(uint64(h), uint64(max))
	if off == 0 {
		return nil
	}
	m := pdk.FindMemory(off)
	defer m.Free()
	return m.ReadBytes()
}

// StreamReadAll reads the rest of a stream, up to limit bytes.
func StreamReadAll(h uint32, limit int) []byte {
	var out []byte
	for len(out) < limit {
		b := StreamRead(h, min(64<<10, limit-len(out)))
		if b == nil {
			break
		}
		out = append(out, b...)
	}
	return out
}

// StreamWrite writes to an upgraded stream.
func StreamWrite(h uint32, b []byte) error {
	m := pdk.AllocateBytes(b)
	defer m.Free()
	if n := hostStreamWrite(uint64(h), m.Offset()); n == ^uint64(0) {
		return errors.New("stream write failed")
	}
	return nil
}

// StreamClose closes a stream the adapter keeps.
func StreamClose(h uint32) { hostStreamClose(uint64(h)) }

// KVGet returns the value of key in the adapter's store (nil when absent).
func KVGet(key string) []byte {
	k := pdk.AllocateString(key)
	defer k.Free()
	off := hostKVGet(k.Offset())
	if off == 0 {
		return nil
	}
	m := pdk.FindMemory(off)
	defer m.Free()
	return m.ReadBytes()
}

// KVPut stores value under key.
func KVPut(key string, value []byte) error {
	k, v := pdk.AllocateString(key), pdk.AllocateBytes(value)
	defer k.Free()
	defer v.Free()
	if hostKVPut(k.Offset(), v.Offset()) != 0 {
		return errors.New("kv put failed")
	}
	return nil
}

// KVDelete removes key.
func KVDelete(key string) error {
	k := pdk.AllocateString(key)
	defer k.Free()
	if hostKVDelete(k.Offset()) != 0 {
		return errors.New("kv delete failed")
	}
	return nil
}

// Config returns the value of a config key (the manifest's default or the
// operator's --backend-opt).
func Config(key string) string {
	v, _ := pdk.GetConfig(key)
	return v
}

// Logf logs at info level on the host.
func Logf(format string, args ...any) { pdk.Log(pdk.LogInfo, fmt.Sprintf(format, args...)) }

// Debugf logs at debug level on the host.
func Debugf(format string, args ...any) { pdk.Log(pdk.LogDebug, fmt.Sprintf(format, args...)) }
