package api

import (
	"github.com/moby/moby/api/types/events"
	"github.com/moby/moby/api/types/volume"
	"github.com/valyala/fasthttp"

	"github.com/sockerless/sockerless/runtime/errdefs"
	"github.com/sockerless/sockerless/runtime/filters"
)

func (s *Server) volumeRoutes() {
	s.routeAll("GET", "/volumes", s.getVolumes)
	s.routeAll("POST", "/volumes/create", s.postVolumeCreate)
	s.routeAll("POST", "/volumes/prune", s.postVolumesPrune)
	s.routeAll("GET", "/volumes/{name}", s.getVolume)
	s.routeAll("DELETE", "/volumes/{name}", s.deleteVolume)
}

func (s *Server) volumeView(v *volume.Volume) volume.Volume {
	vv := *v
	return vv
}

func (s *Server) getVolumes(ctx *fasthttp.RequestCtx) error {
	f, err := filters.Parse(qs(ctx, "filters"))
	if err != nil {
		return err
	}
	if err := f.Validate("name", "label", "driver", "dangling"); err != nil {
		return err
	}
	out := []volume.Volume{}
	for _, v := range s.rt.Volumes.List() {
		if !f.Substring("name", v.Name) || !f.Labels("label", v.Labels) || !f.Exact("driver", v.Driver) {
			continue
		}
		if f.Has("dangling") {
			inUse := len(s.rt.Containers.VolumeUsers(v.Name)) > 0
			want := f.Exact("dangling", "true") || f.Exact("dangling", "1")
			if want == inUse {
				continue
			}
		}
		out = append(out, s.volumeView(v))
	}
	return writeJSON(ctx, 200, volume.ListResponse{Volumes: out, Warnings: []string{}})
}

func (s *Server) postVolumeCreate(ctx *fasthttp.RequestCtx) error {
	var req volume.CreateRequest
	if err := decodeJSON(ctx, &req, false); err != nil {
		return err
	}
	v, created, err := s.rt.Volumes.Create(req.Name, req.Labels, req.DriverOpts, req.Driver)
	if err != nil {
		return err
	}
	if created {
		s.rt.Event(events.VolumeEventType, events.ActionCreate, v.Name, map[string]string{"driver": v.Driver})
	}
	return writeJSON(ctx, 201, s.volumeView(v))
}

func (s *Server) getVolume(ctx *fasthttp.RequestCtx) error {
	v, err := s.rt.Volumes.Get(param(ctx, "name"))
	if err != nil {
		return err
	}
	return writeJSON(ctx, 200, s.volumeView(v))
}

func (s *Server) deleteVolume(ctx *fasthttp.RequestCtx) error {
	name := param(ctx, "name")
	if _, err := s.rt.Volumes.Get(name); err != nil {
		if qbool(ctx, "force") {
			return noContent(ctx)
		}
		return err
	}
	if users := s.rt.Containers.VolumeUsers(name); len(users) > 0 {
		return errdefs.Conflictf("remove %s: volume is in use - [%s]", name, joinIDs(users))
	}
	if err := s.rt.Volumes.Remove(name); err != nil {
		return err
	}
	s.rt.Event(events.VolumeEventType, events.ActionDestroy, name, map[string]string{"driver": "local"})
	return noContent(ctx)
}

func joinIDs(ids []string) string {
	r := ""
	for i, id := range ids {
		if i > 0 {
			r += ", "
		}
		r += id
	}
	return r
}

func (s *Server) postVolumesPrune(ctx *fasthttp.RequestCtx) error {
	f, err := filters.Parse(qs(ctx, "filters"))
	if err != nil {
		return err
	}
	all := f.Exact("all", "true") || f.Exact("all", "1")
	delete(f, "all")
	rep := volume.PruneReport{VolumesDeleted: []string{}}
	for _, v := range s.rt.Volumes.List() {
		if len(s.rt.Containers.VolumeUsers(v.Name)) > 0 || !f.Labels("label", v.Labels) {
			continue
		}
		if _, anon := v.Labels["com.docker.volume.anonymous"]; !anon && !all && len(v.Name) != 64 {
			continue
		}
		size := s.rt.Volumes.Size(v.Name)
		if s.rt.Volumes.Remove(v.Name) == nil {
			rep.VolumesDeleted = append(rep.VolumesDeleted, v.Name)
			rep.SpaceReclaimed += uint64(size)
			s.rt.Event(events.VolumeEventType, events.ActionDestroy, v.Name, map[string]string{"driver": "local"})
		}
	}
	return writeJSON(ctx, 200, rep)
}
