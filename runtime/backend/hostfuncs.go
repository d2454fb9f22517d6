package backend

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	extism "github.com/extism/go-sdk"

	"github.com/sockerless/sockerless/runtime/backend/wire"
)

// The host-function module "sockerless:backend" (wire.Namespace). Every
// function takes and returns Extism memory offsets (i64); JSON records are
// those of runtime/backend/wire. They are documented with their WIT names
// in wit/backend.wit. A call blocks the (single-threaded) Go guest until
// it returns: adapters do one thing at a time, and the host runs each
// concurrent operation in its own instance.
//
//	http(req: ptr) -> ptr                 wire.HTTPRequest -> wire.HTTPResponse (body buffered, ≤ 16 MiB)
//	stream_open(req: ptr) -> ptr          wire.HTTPRequest -> wire.HTTPResponse with Stream set
//	stream_read(h: i64, max: i64) -> ptr  up to max bytes; 0 at end of stream or on error
//	stream_write(h: i64, data: ptr) -> i64  bytes written, -1 on error
//	stream_close(h: i64)
//	kv_get(key: ptr) -> ptr               0 when absent (an empty value reads as absent)
//	kv_put(key: ptr, value: ptr) -> i64   0, or -1 with the error logged
//	kv_delete(key: ptr) -> i64
func hostFunctions() []extism.HostFunction {
	ptr := extism.ValueTypePTR
	i64 := extism.ValueTypeI64
	fns := []extism.HostFunction{
		extism.NewHostFunctionWithStack("http", hostHTTP, []extism.ValueType{ptr}, []extism.ValueType{ptr}),
		extism.NewHostFunctionWithStack("stream_open", hostStreamOpen, []extism.ValueType{ptr}, []extism.ValueType{ptr}),
		extism.NewHostFunctionWithStack("stream_read", hostStreamRead, []extism.ValueType{i64, i64}, []extism.ValueType{ptr}),
		extism.NewHostFunctionWithStack("stream_write", hostStreamWrite, []extism.ValueType{i64, ptr}, []extism.ValueType{i64}),
		extism.NewHostFunctionWithStack("stream_close", hostStreamClose, []extism.ValueType{i64}, nil),
		extism.NewHostFunctionWithStack("kv_get", hostKVGet, []extism.ValueType{ptr}, []extism.ValueType{ptr}),
		extism.NewHostFunctionWithStack("kv_put", hostKVPut, []extism.ValueType{ptr, ptr}, []extism.ValueType{i64}),
		extism.NewHostFunctionWithStack("kv_delete", hostKVDelete, []extism.ValueType{ptr}, []extism.ValueType{i64}),
	}
	for i := range fns {
		fns[i].SetNamespace(wire.Namespace)
	}
	return fns
}

const maxHTTPBody = 16 << 20

// callState is one export call's view of the host: the caller's input
// stream and the streams the adapter opened.
type callState struct {
	a         *Adapter
	input     io.Reader
	inputUsed bool

	mu      sync.Mutex
	streams map[uint32]*stream
	next    uint32
}

// stream is an open response body or upgraded connection.
type stream struct {
	r          io.Reader
	w          io.Writer // upgraded connections only
	closeWrite func() error
	close      func() error
	// pumpInput: the caller's input goes to w once the host bridges the
	// stream (an upgraded request made with BodyFromInput).
	pumpInput bool
}

func (s *stream) Read(p []byte) (int, error) { return s.r.Read(p) }
func (s *stream) Close() error               { return s.close() }

func (st *callState) add(s *stream) uint32 {
	st.mu.Lock()
	defer st.mu.Unlock()
	if st.streams == nil {
		st.streams = map[uint32]*stream{}
	}
	st.next++
	st.streams[st.next] = s
	return st.next
}

func (st *callState) get(h uint32) *stream {
	st.mu.Lock()
	defer st.mu.Unlock()
	return st.streams[h]
}

// take hands stream h over to the host's caller.
func (st *callState) take(h uint32) *stream {
	st.mu.Lock()
	defer st.mu.Unlock()
	s := st.streams[h]
	delete(st.streams, h)
	return s
}

// closeAll closes the streams nobody took over.
func (st *callState) closeAll() {
	st.mu.Lock()
	ss := st.streams
	st.streams = nil
	st.mu.Unlock()
	for _, s := range ss {
		s.close()
	}
}

func stateOf(ctx context.Context) *callState {
	st, _ := ctx.Value(callKey{}).(*callState)
	if st == nil {
		panic("sockerless:backend host function called outside a sockerless call")
	}
	return st
}

func readJSON(p *extism.CurrentPlugin, off uint64, v any) error {
	b, err := p.ReadBytes(off)
	if err != nil {
		return err
	}
	return json.Unmarshal(b, v)
}

func writeOut(p *extism.CurrentPlugin, b []byte) uint64 {
	off, err := p.WriteBytes(b)
	if err != nil {
		panic(fmt.Errorf("sockerless:backend: write to adapter memory: %w", err))
	}
	return off
}

func writeJSON(p *extism.CurrentPlugin, v any) uint64 {
	b, _ := json.Marshal(v)
	return writeOut(p, b)
}

// transport returns the (keep-alive) transport to an endpoint.
func (a *Adapter) transport(e endpoint) *http.Transport {
	key := e.String()
	a.tmu.Lock()
	defer a.tmu.Unlock()
	if t := a.transports[key]; t != nil {
		return t
	}
	t := &http.Transport{
		DialContext:         func(ctx context.Context, _, _ string) (net.Conn, error) { return dial(ctx, e) },
		MaxIdleConnsPerHost: 16,
		IdleConnTimeout:     90 * time.Second,
		ForceAttemptHTTP2:   false,
	}
	if e.unix != "" {
		t.DisableCompression = true
	}
	a.transports[key] = t
	return t
}

func dial(ctx context.Context, e endpoint) (net.Conn, error) {
	var d net.Dialer
	if e.unix != "" {
		return d.DialContext(ctx, "unix", e.unix)
	}
	return d.DialContext(ctx, "tcp", net.JoinHostPort(e.host, e.port))
}

// prepare checks the request against the policy and builds it.
func (a *Adapter) prepare(ctx context.Context, in *wire.HTTPRequest, body io.Reader) (*http.Request, endpoint, error) {
	e, uri, err := splitURL(in.URL)
	if err != nil {
		return nil, e, err
	}
	if err := a.policy.check(e); err != nil {
		a.log.Warn("adapter request denied", "endpoint", e.String(), "err", err)
		return nil, e, &deniedError{err}
	}
	base := e.scheme + "://" + net.JoinHostPort(e.host, e.port)
	if e.unix != "" {
		base = "http://docker"
	}
	method := in.Method
	if method == "" {
		method = http.MethodGet
	}
	req, err := http.NewRequestWithContext(ctx, method, base+uri, body)
	if err != nil {
		return nil, e, err
	}
	for k, vs := range in.Headers {
		for _, v := range vs {
			req.Header.Add(k, v)
		}
	}
	if s := a.host.cfg.Signer; s != nil {
		if err := s.Sign(a.name, req); err != nil {
			return nil, e, fmt.Errorf("sign request: %w", err)
		}
	}
	return req, e, nil
}

type deniedError struct{ error }

func failed(err error) wire.HTTPResponse {
	var d *deniedError
	return wire.HTTPResponse{Error: err.Error(), Denied: errors.As(err, &d)}
}

func hostHTTP(ctx context.Context, p *extism.CurrentPlugin, stack []uint64) {
	st := stateOf(ctx)
	var in wire.HTTPRequest
	if err := readJSON(p, stack[0], &in); err != nil {
		stack[0] = writeJSON(p, failed(fmt.Errorf("bad request record: %w", err)))
		return
	}
	if in.TimeoutMS > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, time.Duration(in.TimeoutMS)*time.Millisecond)
		defer cancel()
	}
	var body io.Reader
	if in.Body != nil {
		body = strings.NewReader(string(in.Body))
	}
	req, e, err := st.a.prepare(ctx, &in, body)
	if err != nil {
		stack[0] = writeJSON(p, failed(err))
		return
	}
	resp, err := st.a.transport(e).RoundTrip(req)
	if err != nil {
		stack[0] = writeJSON(p, failed(err))
		return
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, maxHTTPBody+1))
	out := wire.HTTPResponse{Status: resp.StatusCode, Headers: resp.Header, Body: b}
	if err != nil {
		out.Error = err.Error()
	} else if len(b) > maxHTTPBody {
		out.Body, out.Error = nil, fmt.Sprintf("response body larger than %d bytes: use stream_open", maxHTTPBody)
	}
	stack[0] = writeJSON(p, out)
}

func hostStreamOpen(ctx context.Context, p *extism.CurrentPlugin, stack []uint64) {
	st := stateOf(ctx)
	var in wire.HTTPRequest
	if err := readJSON(p, stack[0], &in); err != nil {
		stack[0] = writeJSON(p, failed(fmt.Errorf("bad request record: %w", err)))
		return
	}
	out, err := st.open(ctx, &in)
	if err != nil {
		stack[0] = writeJSON(p, failed(err))
		return
	}
	stack[0] = writeJSON(p, out)
}

func (st *callState) open(ctx context.Context, in *wire.HTTPRequest) (wire.HTTPResponse, error) {
	a := st.a
	var body io.Reader
	if in.Body != nil {
		body = strings.NewReader(string(in.Body))
	}
	if in.BodyFromInput {
		if st.inputUsed {
			return wire.HTTPResponse{}, errors.New("the caller's input was already used by another stream")
		}
		st.inputUsed = true
		if !in.Upgrade && st.input != nil {
			body = st.input
		}
	}
	if !in.Upgrade {
		// The body outlives this call (the host pumps it for the
		// operation): it is bound to the operation's context, and
		// TimeoutMS bounds only the wait for the response head.
		rctx, cancel := context.WithCancel(ctx)
		req, e, err := a.prepare(rctx, in, body)
		if err != nil {
			cancel()
			return wire.HTTPResponse{}, err
		}
		var timer *time.Timer
		if in.TimeoutMS > 0 {
			timer = time.AfterFunc(time.Duration(in.TimeoutMS)*time.Millisecond, cancel)
		}
		resp, err := a.transport(e).RoundTrip(req)
		if timer != nil {
			timer.Stop()
		}
		if err != nil {
			cancel()
			return wire.HTTPResponse{}, err
		}
		h := st.add(&stream{r: resp.Body, close: func() error { defer cancel(); return resp.Body.Close() }})
		return wire.HTTPResponse{Status: resp.StatusCode, Headers: resp.Header, Stream: h}, nil
	}
	// An upgraded (hijacked) connection: dial, write the request, read the
	// response head; the rest of the connection is the stream.
	req, e, err := a.prepare(ctx, in, body)
	if err != nil {
		return wire.HTTPResponse{}, err
	}
	req.Header.Set("Connection", "Upgrade")
	if req.Header.Get("Upgrade") == "" {
		req.Header.Set("Upgrade", "tcp")
	}
	conn, err := dial(ctx, e)
	if err != nil {
		return wire.HTTPResponse{}, err
	}
	stop := context.AfterFunc(ctx, func() { conn.Close() })
	if err := req.Write(conn); err != nil {
		conn.Close()
		return wire.HTTPResponse{}, err
	}
	br := bufio.NewReader(conn)
	resp, err := http.ReadResponse(br, req)
	if err != nil {
		conn.Close()
		return wire.HTTPResponse{}, err
	}
	s := &stream{r: br, w: conn, pumpInput: in.BodyFromInput, close: func() error { stop(); return conn.Close() }}
	if cw, ok := conn.(interface{ CloseWrite() error }); ok {
		s.closeWrite = cw.CloseWrite
	}
	if resp.StatusCode != http.StatusSwitchingProtocols && resp.StatusCode != http.StatusOK {
		// Not upgraded: the stream is the error body.
		s = &stream{r: resp.Body, close: func() error { stop(); resp.Body.Close(); return conn.Close() }}
	}
	h := st.add(s)
	return wire.HTTPResponse{Status: resp.StatusCode, Headers: resp.Header, Stream: h}, nil
}

func hostStreamRead(ctx context.Context, p *extism.CurrentPlugin, stack []uint64) {
	st := stateOf(ctx)
	s := st.get(uint32(stack[0]))
	max := int(stack[1])
	if s == nil || max <= 0 {
		stack[0] = 0
		return
	}
	if max > 1<<20 {
		max = 1 << 20
	}
	buf := make([]byte, max)
	n, err := io.ReadAtLeast(s.r, buf, 1)
	if n == 0 || (err != nil && n == 0) {
		stack[0] = 0
		return
	}
	stack[0] = writeOut(p, buf[:n])
}

func hostStreamWrite(ctx context.Context, p *extism.CurrentPlugin, stack []uint64) {
	st := stateOf(ctx)
	s := st.get(uint32(stack[0]))
	b, err := p.ReadBytes(stack[1])
	if s == nil || s.w == nil || err != nil {
		stack[0] = ^uint64(0)
		return
	}
	n, err := s.w.Write(b)
	if err != nil {
		stack[0] = ^uint64(0)
		return
	}
	stack[0] = uint64(n)
}

func hostStreamClose(ctx context.Context, _ *extism.CurrentPlugin, stack []uint64) {
	st := stateOf(ctx)
	if s := st.take(uint32(stack[0])); s != nil {
		s.close()
	}
}

func (a *Adapter) kvKey(k string) string { return a.name + "/" + k }

func hostKVGet(ctx context.Context, p *extism.CurrentPlugin, stack []uint64) {
	st := stateOf(ctx)
	k, err := p.ReadString(stack[0])
	if err != nil {
		stack[0] = 0
		return
	}
	v, ok, err := st.a.host.cfg.KV.Get(ctx, st.a.kvKey(k))
	if err != nil {
		st.a.log.Error("kv get", "key", k, "err", err)
	}
	if !ok || len(v) == 0 {
		stack[0] = 0
		return
	}
	stack[0] = writeOut(p, v)
}

func hostKVPut(ctx context.Context, p *extism.CurrentPlugin, stack []uint64) {
	st := stateOf(ctx)
	k, err1 := p.ReadString(stack[0])
	v, err2 := p.ReadBytes(stack[1])
	if err := errors.Join(err1, err2); err != nil {
		stack[0] = ^uint64(0)
		return
	}
	if err := st.a.host.cfg.KV.Put(ctx, st.a.kvKey(k), v); err != nil {
		st.a.log.Error("kv put", "key", k, "err", err)
		stack[0] = ^uint64(0)
		return
	}
	stack[0] = 0
}

func hostKVDelete(ctx context.Context, p *extism.CurrentPlugin, stack []uint64) {
	st := stateOf(ctx)
	k, err := p.ReadString(stack[0])
	if err != nil {
		stack[0] = ^uint64(0)
		return
	}
	if err := st.a.host.cfg.KV.Delete(ctx, st.a.kvKey(k)); err != nil {
		st.a.log.Error("kv delete", "key", k, "err", err)
		stack[0] = ^uint64(0)
		return
	}
	stack[0] = 0
}
