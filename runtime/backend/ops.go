package backend

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/moby/moby/api/types/container"

	"github.com/sockerless/sockerless/runtime/backend/wire"
	"github.com/sockerless/sockerless/runtime/errdefs"
)

const maxThenBody = 1 << 20

// run calls export and then does what its result asks: bridge a stream
// with stdio, read a stream's body for a follow-up call, wait and call
// again. No wasm instance is held while the host pumps or waits.
func (a *Adapter) run(ctx context.Context, export string, in any, stdio Stdio) (wire.Result, error) {
	st := &callState{input: stdio.Stdin}
	r, err := a.callResult(ctx, export, in, st)
	for {
		if err != nil {
			st.closeAll()
			return r, err
		}
		var body []byte
		if r.Stream != 0 {
			s := st.take(r.Stream)
			st.closeAll()
			if s == nil {
				return r, fmt.Errorf("%s backend: %s handed over stream %d, which it does not hold", a.name, export, r.Stream)
			}
			if r.Then != nil && r.Then.Body {
				body, err = io.ReadAll(io.LimitReader(s, maxThenBody))
				s.close()
			} else {
				if stdio.Ready != nil {
					stdio.Ready()
					stdio.Ready = nil
				}
				err = bridge(s, r.Framing, stdio)
			}
			if err != nil && ctx.Err() != nil {
				return r, ctx.Err()
			}
		} else {
			st.closeAll()
		}
		if r.Then == nil {
			return r, nil
		}
		if r.Then.DelayMS > 0 {
			select {
			case <-ctx.Done():
				return r, ctx.Err()
			case <-time.After(time.Duration(r.Then.DelayMS) * time.Millisecond):
			}
		}
		export = r.Then.Call
		st = &callState{input: stdio.Stdin, inputUsed: st.inputUsed}
		r, err = a.callResult(ctx, export, wire.ThenInput{State: r.Then.State, Body: body}, st)
	}
}

// bridge pumps the caller's input into an upgraded stream (when asked)
// and the stream's output to stdout/stderr until the output ends.
func bridge(s *stream, framing string, stdio Stdio) error {
	defer s.close()
	if s.pumpInput && s.w != nil {
		if stdio.Stdin == nil {
			if s.closeWrite != nil {
				s.closeWrite()
			}
		} else {
			// Ends when the input ends or the stream is closed.
			go func() {
				io.Copy(s.w, stdio.Stdin)
				if s.closeWrite != nil {
					s.closeWrite()
				}
			}()
		}
	}
	stdout, stderr := orDiscard(stdio.Stdout), orDiscard(stdio.Stderr)
	var err error
	if framing == wire.FramingMux {
		err = demux(s, stdout, stderr)
	} else {
		_, err = io.Copy(stdout, s)
	}
	return err
}

func orDiscard(w io.Writer) io.Writer {
	if w == nil {
		return io.Discard
	}
	return w
}

// demux splits Docker's stdcopy framing.
func demux(r io.Reader, stdout, stderr io.Writer) error {
	var hdr [8]byte
	buf := make([]byte, 32<<10)
	for {
		if _, err := io.ReadFull(r, hdr[:]); err != nil {
			if err == io.EOF {
				return nil
			}
			return err
		}
		n := int(binary.BigEndian.Uint32(hdr[4:]))
		w := stdout
		if hdr[0] == 2 {
			w = stderr
		}
		for n > 0 {
			m := min(n, len(buf))
			if _, err := io.ReadFull(r, buf[:m]); err != nil {
				return err
			}
			if _, err := w.Write(buf[:m]); err != nil {
				return err
			}
			n -= m
		}
	}
}

func (a *Adapter) Create(ctx context.Context, spec ContainerSpec) (string, []string, error) {
	out, err := a.call(ctx, "create", spec, nil)
	if err != nil {
		return "", nil, err
	}
	var r wire.CreateResult
	if err := json.Unmarshal(out, &r); err != nil || r.Handle == "" {
		return "", nil, fmt.Errorf("%s backend: create returned no handle (%q)", a.name, out)
	}
	return r.Handle, r.Warnings, nil
}

func (a *Adapter) Start(ctx context.Context, handle string) error {
	_, err := a.run(ctx, "start", wire.Ref{Handle: handle}, Stdio{})
	return err
}

func (a *Adapter) Wait(ctx context.Context, handle string) (int, error) {
	r, err := a.run(ctx, "wait", wire.Ref{Handle: handle}, Stdio{})
	if err != nil {
		return -1, err
	}
	if r.ExitCode == nil {
		return -1, fmt.Errorf("%s backend: wait returned no exit code", a.name)
	}
	return *r.ExitCode, nil
}

func (a *Adapter) Status(ctx context.Context, handle string) (Status, error) {
	r, err := a.run(ctx, "status", wire.Ref{Handle: handle}, Stdio{})
	if err != nil {
		return Status{}, err
	}
	if r.Status == nil {
		return Status{State: "unknown"}, nil
	}
	return *r.Status, nil
}

func (a *Adapter) Logs(ctx context.Context, handle string, o LogOptions, out Stdio) error {
	if o.Follow {
		if err := a.need(a.caps.LogsFollow, "follow logs"); err != nil {
			return err
		}
	}
	req := wire.LogsRequest{Handle: handle, Follow: o.Follow, Stdout: o.Stdout, Stderr: o.Stderr,
		Timestamps: o.Timestamps, Since: o.Since, Until: o.Until, Tail: o.Tail}
	for {
		r, err := a.run(ctx, "logs", req, Stdio{Stdout: out.Stdout, Stderr: out.Stderr})
		if err != nil {
			return err
		}
		for _, c := range r.Chunks {
			w := orDiscard(out.Stdout)
			if c.Stream == 2 {
				w = orDiscard(out.Stderr)
			}
			if _, err := w.Write(c.Data); err != nil {
				return err
			}
		}
		if r.Stream != 0 || !o.Follow || r.Done {
			return nil
		}
		// A polled log: ask again from the cursor.
		req.Cursor = r.Cursor
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(500 * time.Millisecond):
		}
	}
}

func (a *Adapter) Stop(ctx context.Context, handle, signal string, timeout *int) error {
	_, err := a.run(ctx, "stop", wire.StopRequest{Handle: handle, Signal: signal, Timeout: timeout}, Stdio{})
	return err
}

func (a *Adapter) Kill(ctx context.Context, handle, signal string) error {
	if err := a.need(a.caps.Kill, "send signals (kill)"); err != nil {
		return err
	}
	_, err := a.run(ctx, "kill", wire.StopRequest{Handle: handle, Signal: signal}, Stdio{})
	return err
}

func (a *Adapter) Remove(ctx context.Context, handle string, force bool) error {
	_, err := a.run(ctx, "remove", wire.RemoveRequest{Handle: handle, Force: force}, Stdio{})
	return err
}

func (a *Adapter) Exec(ctx context.Context, handle string, c ExecConfig, stdio Stdio) (int, error) {
	if err := a.need(a.caps.Exec, "exec"); err != nil {
		return -1, err
	}
	r, err := a.run(ctx, "exec", wire.ExecRequest{Handle: handle, Cmd: c.Cmd, Env: c.Env, WorkingDir: c.WorkingDir,
		User: c.User, Tty: c.Tty, Privileged: c.Privileged,
		Stdin: c.AttachStdin && stdio.Stdin != nil, Stdout: c.AttachStdout, Stderr: c.AttachStderr}, stdio)
	if err != nil {
		return -1, err
	}
	if r.ExitCode == nil {
		return -1, fmt.Errorf("%s backend: exec returned no exit code", a.name)
	}
	return *r.ExitCode, nil
}

func (a *Adapter) Attach(ctx context.Context, handle string, o AttachOptions, stdio Stdio) error {
	if err := a.need(a.caps.Attach, "attach"); err != nil {
		return err
	}
	if ready := stdio.Ready; ready != nil {
		var once sync.Once
		stdio.Ready = func() { once.Do(ready) }
	}
	_, err := a.run(ctx, "attach", wire.AttachRequest{Handle: handle, Stdin: o.Stdin && stdio.Stdin != nil,
		Stdout: o.Stdout, Stderr: o.Stderr, Logs: o.Logs, Stream: o.Stream}, stdio)
	if stdio.Ready != nil {
		stdio.Ready() // failed before any stream: nobody waits for it
	}
	return err
}

func (a *Adapter) ArchiveGet(ctx context.Context, handle, path string) (io.ReadCloser, []byte, error) {
	if err := a.need(a.caps.Archive, "copy files (archive)"); err != nil {
		return nil, nil, err
	}
	st := &callState{}
	r, err := a.callResult(ctx, "archive_get", wire.ArchiveRequest{Handle: handle, Path: path}, st)
	defer st.closeAll()
	if err != nil {
		return nil, nil, err
	}
	s := st.take(r.Stream)
	if s == nil {
		return nil, nil, errdefs.New(errdefs.Unknown, "%s backend: archive_get returned no stream", a.name)
	}
	return s, r.Stat, nil
}

func (a *Adapter) ArchivePut(ctx context.Context, handle, path string, tar io.Reader, o ArchiveOptions) error {
	if err := a.need(a.caps.Archive, "copy files (archive)"); err != nil {
		return err
	}
	_, err := a.run(ctx, "archive_put", wire.ArchiveRequest{Handle: handle, Path: path,
		NoOverwriteDirNonDir: o.NoOverwriteDirNonDir, CopyUIDGID: o.CopyUIDGID}, Stdio{Stdin: tar})
	return err
}

func (a *Adapter) Pause(ctx context.Context, handle string) error {
	_, err := a.run(ctx, "pause", wire.Ref{Handle: handle}, Stdio{})
	return err
}

func (a *Adapter) Unpause(ctx context.Context, handle string) error {
	_, err := a.run(ctx, "unpause", wire.Ref{Handle: handle}, Stdio{})
	return err
}

// doc runs an export that answers with a JSON document and decodes it.
func (a *Adapter) doc(ctx context.Context, export string, in, out any) error {
	r, err := a.run(ctx, export, in, Stdio{})
	if err != nil {
		return err
	}
	if err := json.Unmarshal(r.Doc, out); err != nil {
		return errdefs.New(errdefs.Unknown, "%s backend: %s returned no usable document: %v", a.name, export, err)
	}
	return nil
}

func (a *Adapter) Top(ctx context.Context, handle, psArgs string) (container.TopResponse, error) {
	var t container.TopResponse
	err := a.doc(ctx, "top", wire.TopRequest{Handle: handle, PsArgs: psArgs}, &t)
	return t, err
}

func (a *Adapter) Changes(ctx context.Context, handle string) ([]container.FilesystemChange, error) {
	var ch []container.FilesystemChange
	err := a.doc(ctx, "changes", wire.Ref{Handle: handle}, &ch)
	if ch == nil && err == nil {
		ch = []container.FilesystemChange{}
	}
	return ch, err
}

func (a *Adapter) Update(ctx context.Context, handle string, res wire.Resources) ([]string, error) {
	r, err := a.run(ctx, "update", wire.UpdateRequest{Handle: handle, Resources: res}, Stdio{})
	return r.Warnings, err
}

func (a *Adapter) Resize(ctx context.Context, handle string, height, width int) error {
	_, err := a.run(ctx, "resize", wire.ResizeRequest{Handle: handle, Height: height, Width: width}, Stdio{})
	return err
}

// body runs an export that hands back a stream of body bytes and gives
// it to the caller, who closes it.
func (a *Adapter) body(ctx context.Context, export string, in any) (io.ReadCloser, error) {
	st := &callState{}
	r, err := a.callResult(ctx, export, in, st)
	defer st.closeAll()
	if err != nil {
		return nil, err
	}
	s := st.take(r.Stream)
	if s == nil {
		return nil, errdefs.New(errdefs.Unknown, "%s backend: %s returned no stream", a.name, export)
	}
	return s, nil
}

func (a *Adapter) Stats(ctx context.Context, handle string, stream bool) (io.ReadCloser, error) {
	return a.body(ctx, "stats", wire.StatsRequest{Handle: handle, Stream: stream})
}

func (a *Adapter) Export(ctx context.Context, handle string) (io.ReadCloser, error) {
	return a.body(ctx, "export", wire.Ref{Handle: handle})
}

func (a *Adapter) Commit(ctx context.Context, handle string, pause bool, w io.Writer) error {
	_, err := a.run(ctx, "commit", wire.CommitRequest{Handle: handle, Pause: pause}, Stdio{Stdout: w})
	return err
}

func (a *Adapter) ImageLoad(ctx context.Context, tar io.Reader) error {
	_, err := a.run(ctx, "image_load", struct{}{}, Stdio{Stdin: tar})
	return err
}
