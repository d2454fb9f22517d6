package api

import (
	"archive/tar"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"io/fs"
	"os"
	"path"
	"strconv"
	"strings"
	"time"

	"github.com/moby/moby/api/types/container"
	"github.com/moby/moby/api/types/network"
	"github.com/valyala/fasthttp"

	"github.com/sockerless/sockerless/runtime/containers"
	"github.com/sockerless/sockerless/runtime/errdefs"
	"github.com/sockerless/sockerless/runtime/filters"
	"github.com/sockerless/sockerless/runtime/rootfs"
)

func (s *Server) postCreate(ctx *fasthttp.RequestCtx) error {
	var req container.CreateRequest
	if err := decodeJSON(ctx, &req, true); err != nil {
		return err
	}
	if req.Config == nil {
		return errdefs.InvalidParameterf("config cannot be empty in order to create a container")
	}
	c, warnings, err := s.rt.Containers.Create(containers.CreateRequest{
		Name: qs(ctx, "name"), Config: req.Config, HostConfig: req.HostConfig, Networking: req.NetworkingConfig,
	})
	if err != nil {
		return err
	}
	if warnings == nil {
		warnings = []string{}
	}
	return writeJSON(ctx, 201, container.CreateResponse{ID: c.ID(), Warnings: warnings})
}

func (s *Server) getContainers(ctx *fasthttp.RequestCtx) error {
	f, err := filters.Parse(qs(ctx, "filters"))
	if err != nil {
		return err
	}
	limit, err := qint(ctx, "limit")
	if err != nil {
		return err
	}
	o := containers.ListOptions{All: qbool(ctx, "all"), Size: qbool(ctx, "size"), Filters: f}
	if limit != nil {
		o.Limit = *limit
	}
	list, err := s.rt.Containers.List(o)
	if err != nil {
		return err
	}
	return writeJSON(ctx, 200, list)
}

func (s *Server) getContainer(ctx *fasthttp.RequestCtx) error {
	c, err := s.rt.Containers.Get(param(ctx, "name"))
	if err != nil {
		return err
	}
	return writeJSON(ctx, 200, c.Inspect(qbool(ctx, "size")))
}

func (s *Server) deleteContainer(ctx *fasthttp.RequestCtx) error {
	if err := s.rt.Containers.Remove(param(ctx, "name"), qbool(ctx, "force"), qbool(ctx, "v")); err != nil {
		return err
	}
	return noContent(ctx)
}

func (s *Server) postRename(ctx *fasthttp.RequestCtx) error {
	if err := s.rt.Containers.Rename(param(ctx, "name"), qs(ctx, "name")); err != nil {
		return err
	}
	return noContent(ctx)
}

func (s *Server) postUpdate(ctx *fasthttp.RequestCtx) error {
	var req container.UpdateConfig
	if err := decodeJSON(ctx, &req, false); err != nil {
		return err
	}
	warnings, err := s.rt.Containers.Update(param(ctx, "name"), req)
	if err != nil {
		return err
	}
	if warnings == nil {
		warnings = []string{}
	}
	return writeJSON(ctx, 200, container.UpdateResponse{Warnings: warnings})
}

func (s *Server) postContainersPrune(ctx *fasthttp.RequestCtx) error {
	f, err := filters.Parse(qs(ctx, "filters"))
	if err != nil {
		return err
	}
	rep, err := s.rt.Containers.Prune(f)
	if err != nil {
		return err
	}
	if rep.ContainersDeleted == nil {
		rep.ContainersDeleted = []string{}
	}
	return writeJSON(ctx, 200, rep)
}

func (s *Server) getTop(ctx *fasthttp.RequestCtx) error {
	top, err := s.rt.Containers.Top(param(ctx, "name"), qs(ctx, "ps_args"))
	if err != nil {
		return err
	}
	return writeJSON(ctx, 200, top)
}

func (s *Server) getStats(ctx *fasthttp.RequestCtx) error {
	name := param(ctx, "name")
	c, err := s.rt.Containers.Get(name)
	if err != nil {
		return err
	}
	streamStats := true
	if v := qs(ctx, "stream"); v != "" {
		streamStats = qbool(ctx, "stream")
	}
	if c.Backend() != "" {
		return s.backendStats(ctx, c, streamStats)
	}
	oneShot := qbool(ctx, "one-shot")
	if !streamStats {
		var prev *container.StatsResponse
		if !oneShot {
			p := s.rt.Containers.Stats(c, nil)
			prev = &p
			if c.Running() {
				time.Sleep(time.Second) // Docker samples twice, 1 s apart, for CPU %
			}
		}
		return writeJSON(ctx, 200, s.rt.Containers.Stats(c, prev))
	}
	s.stream(ctx, "application/json", func(cctx context.Context, w io.Writer) {
		enc := json.NewEncoder(w)
		var prev *container.StatsResponse
		t := time.NewTicker(time.Second)
		defer t.Stop()
		for {
			st := s.rt.Containers.Stats(c, prev)
			if enc.Encode(st) != nil {
				return
			}
			prev = &st
			if !c.Running() {
				// Docker keeps streaming zeros; end at the next tick if gone.
			}
			select {
			case <-cctx.Done():
				return
			case <-t.C:
			}
			if _, err := s.rt.Containers.Get(c.ID()); err != nil {
				return
			}
		}
	})
	return nil
}

func (s *Server) getChanges(ctx *fasthttp.RequestCtx) error {
	ch, err := s.rt.Containers.Changes(param(ctx, "name"))
	if err != nil {
		return err
	}
	return writeJSON(ctx, 200, ch)
}

func (s *Server) getExport(ctx *fasthttp.RequestCtx) error {
	c, err := s.rt.Containers.Get(param(ctx, "name"))
	if err != nil {
		return err
	}
	if c.Backend() != "" {
		return s.backendExport(ctx, c)
	}
	f, err := c.FS()
	if err != nil {
		return err
	}
	s.stream(ctx, "application/octet-stream", func(cctx context.Context, w io.Writer) {
		if err := f.ExportTar(w); err != nil {
			s.log.Warn("export failed", "container", c.ID(), "err", err)
		}
	})
	s.rt.Containers.Event(c, "export")
	return nil
}

// fsErr classifies a rootfs path error.
func fsErr(err error, cpath, ref string) error {
	if err == nil {
		return nil
	}
	var ue *rootfs.UnsafeTarError
	switch {
	case errors.As(err, &ue):
		return errdefs.InvalidParameterf("%v", err)
	case errors.Is(err, rootfs.ErrDirNonDir):
		return errdefs.InvalidParameterf("%v", err)
	case errors.Is(err, fs.ErrNotExist):
		return errdefs.NotFoundf("Could not find the file %s in container %s", cpath, ref)
	case errors.Is(err, fs.ErrPermission), strings.Contains(err.Error(), "read-only"):
		return errdefs.Forbiddenf("%v", err)
	case strings.Contains(err.Error(), "not a directory"):
		return errdefs.InvalidParameterf("%v", err)
	}
	return errdefs.Wrap(errdefs.InvalidParameter, err, "%v", err)
}

func (s *Server) archiveTarget(ctx *fasthttp.RequestCtx) (*containers.Container, *rootfs.FS, string, error) {
	c, err := s.rt.Containers.Get(param(ctx, "name"))
	if err != nil {
		return nil, nil, "", err
	}
	p := qs(ctx, "path")
	if p == "" {
		return nil, nil, "", errdefs.InvalidParameterf("path is required")
	}
	f, err := c.FS()
	if err != nil {
		return nil, nil, "", err
	}
	return c, f, p, nil
}

func statHeader(in rootfs.Info, p string) string {
	st := container.PathStat{Name: in.Name, Size: in.Size, Mode: in.Mode, Mtime: in.ModTime, LinkTarget: in.Linkname}
	if st.Name == "" {
		st.Name = path.Base(p)
	}
	b, _ := json.Marshal(st)
	return base64.StdEncoding.EncodeToString(b)
}

func (s *Server) headArchive(ctx *fasthttp.RequestCtx) error {
	if c, ok := s.onBackend(ctx); ok {
		return s.backendArchive(ctx, c, "HEAD")
	}
	_, f, p, err := s.archiveTarget(ctx)
	if err != nil {
		return err
	}
	in, err := f.StatInfo(containerPath(p))
	if err != nil {
		return fsErr(err, p, param(ctx, "name"))
	}
	if p == "." || strings.HasSuffix(p, "/.") {
		in.Name = "." // as Docker: the base name of the path asked for
	}
	ctx.Response.Header.Set("X-Docker-Container-Path-Stat", statHeader(in, p))
	ctx.SetStatusCode(200)
	return nil
}

// containerPath makes a request path absolute (relative paths are taken
// from the container root, like Docker does for cp).
func containerPath(p string) string {
	if !strings.HasPrefix(p, "/") {
		p = "/" + p
	}
	return p
}

func (s *Server) getArchive(ctx *fasthttp.RequestCtx) error {
	if c, ok := s.onBackend(ctx); ok {
		return s.backendArchive(ctx, c, "GET")
	}
	c, f, p, err := s.archiveTarget(ctx)
	if err != nil {
		return err
	}
	cp := containerPath(p)
	in, err := f.StatInfo(cp)
	if err != nil {
		return fsErr(err, p, param(ctx, "name"))
	}
	// A path ending in "/." asks for a directory's contents: Docker names
	// the stat and the top entry "." ("./", "./a", …), so `docker cp
	// c:/dir/. dst` copies what is inside dir.
	name := ""
	if p == "." || strings.HasSuffix(p, "/.") {
		name = "."
		in.Name = "."
	}
	// Docker follows a final symlink unless the path ends in "/.".
	ctx.Response.Header.Set("X-Docker-Container-Path-Stat", statHeader(in, p))
	if in.Mode.IsDir() {
		s.stream(ctx, "application/x-tar", func(cctx context.Context, w io.Writer) {
			if err := f.WriteTarNamed(w, cp, name); err != nil {
				s.log.Warn("archive failed", "container", c.ID(), "path", p, "err", err)
			}
		})
		// the stat header travels in the hijacked head below
		return nil
	}
	pr, pw := io.Pipe()
	go func() { pw.CloseWithError(f.WriteTar(pw, cp)) }()
	data, err := io.ReadAll(pr)
	if err != nil {
		return fsErr(err, p, param(ctx, "name"))
	}
	ctx.SetStatusCode(200)
	ctx.SetContentType("application/x-tar")
	ctx.SetBody(data)
	s.rt.Containers.Event(c, "archive-path")
	return nil
}

func (s *Server) putArchive(ctx *fasthttp.RequestCtx) error {
	if c, ok := s.onBackend(ctx); ok {
		return s.backendArchive(ctx, c, "PUT")
	}
	c, f, p, err := s.archiveTarget(ctx)
	if err != nil {
		return err
	}
	if c.HostConfig().ReadonlyRootfs {
		return errdefs.Forbiddenf("container rootfs is marked read-only")
	}
	err = f.ExtractTar(containerPath(p), body(ctx), rootfs.ExtractOptions{NoOverwriteDirNonDir: qbool(ctx, "noOverwriteDirNonDir")})
	if err != nil {
		return fsErr(err, p, param(ctx, "name"))
	}
	s.rt.Containers.Event(c, "extract-to-dir")
	ctx.SetStatusCode(200)
	return nil
}

var _ = tar.TypeReg
var _ = os.Getpid
var _ = strconv.Itoa
var _ network.PortMap
