package api

import (
	"context"
	"encoding/json"
	"io"
	"strings"
	"time"

	"github.com/moby/moby/api/types/events"
	"github.com/moby/moby/api/types/image"
	"github.com/moby/moby/api/types/registry"
	"github.com/valyala/fasthttp"

	"github.com/sockerless/sockerless/runtime/containers"
	"github.com/sockerless/sockerless/runtime/errdefs"
	"github.com/sockerless/sockerless/runtime/filters"
	"github.com/sockerless/sockerless/runtime/images"
)

func (s *Server) imageRoutes() {
	s.routeAll("GET", "/images/{name:*}", s.imagesGET)
	s.routeAll("POST", "/images/{name:*}", s.imagesPOST)
	s.routeAll("DELETE", "/images/{name:*}", s.deleteImage)
	s.routeAll("POST", "/commit", s.postCommit)
}

// Image names contain slashes, so /images/... is routed by suffix.
func (s *Server) imagesGET(ctx *fasthttp.RequestCtx) error {
	p := param(ctx, "name")
	switch {
	case p == "json":
		return s.getImages(ctx)
	case p == "get":
		return s.getImagesSave(ctx, ctx.QueryArgs().PeekMulti("names"))
	case p == "search":
		return writeJSON(ctx, 200, []registry.SearchResult{})
	case strings.HasSuffix(p, "/json"):
		return s.getImage(ctx, strings.TrimSuffix(p, "/json"))
	case strings.HasSuffix(p, "/history"):
		return s.getHistory(ctx, strings.TrimSuffix(p, "/history"))
	case strings.HasSuffix(p, "/get"):
		return s.getImagesSave(ctx, [][]byte{[]byte(strings.TrimSuffix(p, "/get"))})
	}
	return errdefs.NotFoundf("page not found")
}

func (s *Server) imagesPOST(ctx *fasthttp.RequestCtx) error {
	p := param(ctx, "name")
	switch {
	case p == "create":
		return s.postImageCreate(ctx)
	case p == "load":
		return s.postImageLoad(ctx)
	case p == "prune":
		return s.postImagesPrune(ctx)
	case strings.HasSuffix(p, "/tag"):
		return s.postTag(ctx, strings.TrimSuffix(p, "/tag"))
	case strings.HasSuffix(p, "/push"):
		return errdefs.Unavailablef("cannot push %s: no registry is reachable from the sandbox runtime", strings.TrimSuffix(p, "/push"))
	}
	return errdefs.NotFoundf("page not found")
}

func (s *Server) imageSummary(im *images.Image) image.Summary {
	labels := im.Config.Config.Labels
	if labels == nil {
		labels = map[string]string{}
	}
	tags := im.RepoTags()
	return image.Summary{ID: im.ID, ParentID: im.Parent, RepoTags: tags, RepoDigests: []string{}, Created: im.Created.Unix(),
		Size: im.Size, SharedSize: -1, Labels: labels, Containers: -1}
}

func (s *Server) getImages(ctx *fasthttp.RequestCtx) error {
	f, err := filters.Parse(qs(ctx, "filters"))
	if err != nil {
		return err
	}
	if err := f.Validate("dangling", "label", "before", "since", "reference", "until"); err != nil {
		return err
	}
	var before, since time.Time
	if f.Has("before") {
		im, err := s.rt.Images.Get(f.Get("before")[0])
		if err != nil {
			return err
		}
		before = im.Created
	}
	if f.Has("since") {
		im, err := s.rt.Images.Get(f.Get("since")[0])
		if err != nil {
			return err
		}
		since = im.Created
	}
	out := []image.Summary{}
	for _, im := range s.rt.Images.List() {
		sum := s.imageSummary(im)
		if f.Has("dangling") {
			d := len(sum.RepoTags) == 0
			if (f.Exact("dangling", "true") || f.Exact("dangling", "1")) != d {
				continue
			}
		}
		if !f.Labels("label", sum.Labels) {
			continue
		}
		if !before.IsZero() && !im.Created.Before(before) || !since.IsZero() && !im.Created.After(since) {
			continue
		}
		if f.Has("reference") {
			var names []string
			for _, t := range sum.RepoTags {
				repo := t[:strings.LastIndex(t, ":")]
				names = append(names, t, repo)
			}
			if !f.Glob("reference", names...) {
				continue
			}
			var keep []string
			for _, t := range sum.RepoTags {
				if f.Glob("reference", t, t[:strings.LastIndex(t, ":")]) {
					keep = append(keep, t)
				}
			}
			sum.RepoTags = keep
		}
		if len(sum.RepoTags) == 0 && !qbool(ctx, "all") && !f.Has("dangling") && len(s.rt.Images.Children(im.ID)) > 0 {
			continue // intermediate image
		}
		out = append(out, sum)
	}
	return writeJSON(ctx, 200, out)
}

func (s *Server) getImage(ctx *fasthttp.RequestCtx, name string) error {
	im, err := s.rt.Images.Get(name)
	if err != nil {
		if errdefs.Is(err, errdefs.NotFound) {
			return errdefs.Wrap(errdefs.NotFound, err, "no such image: %s: %v", name, err)
		}
		return err
	}
	cfg := im.Config.Config
	var created string
	if im.Config.Created != nil {
		created = im.Config.Created.UTC().Format(time.RFC3339Nano)
	}
	r := image.InspectResponse{ID: im.ID, RepoTags: im.RepoTags(), RepoDigests: []string{}, Created: created,
		Author: im.Config.Author, Config: &cfg, Architecture: im.Config.Architecture, Os: im.Config.OS,
		Size: im.Size, RootFS: image.RootFS{Type: "layers", Layers: im.DiffIDs()}, Metadata: image.Metadata{LastTagTime: time.Time{}}}
	if len(im.Config.History) > 0 {
		r.Comment = im.Config.History[len(im.Config.History)-1].Comment
	}
	var legacy struct {
		Container string `json:"container"`
	}
	json.Unmarshal(im.Raw, &legacy)
	if im.Parent != "" || legacy.Container != "" {
		// fields API 1.41 clients read that moby's types no longer carry
		b, _ := json.Marshal(r)
		var m map[string]any
		json.Unmarshal(b, &m)
		if im.Parent != "" {
			m["Parent"] = im.Parent
		}
		if legacy.Container != "" {
			m["Container"] = legacy.Container
		}
		return writeJSON(ctx, 200, m)
	}
	return writeJSON(ctx, 200, r)
}

func (s *Server) getHistory(ctx *fasthttp.RequestCtx, name string) error {
	im, err := s.rt.Images.Get(name)
	if err != nil {
		return err
	}
	var out []image.HistoryResponseItem
	diff := im.DiffIDs()
	li := len(diff) - 1
	for i := len(im.Config.History) - 1; i >= 0; i-- {
		h := im.Config.History[i]
		item := image.HistoryResponseItem{ID: "<missing>", CreatedBy: h.CreatedBy, Comment: h.Comment, Tags: []string{}}
		if h.Created != nil {
			item.Created = h.Created.Unix()
		}
		if !h.EmptyLayer && li >= 0 {
			item.Size = fileSize(s.rt.Images.LayerTar(diff[li]))
			li--
		}
		if i == len(im.Config.History)-1 {
			item.ID = im.ID
			item.Tags = im.RepoTags()
		}
		out = append(out, item)
	}
	if out == nil {
		out = []image.HistoryResponseItem{}
	}
	return writeJSON(ctx, 200, out)
}

func (s *Server) postTag(ctx *fasthttp.RequestCtx, name string) error {
	im, err := s.rt.Images.Get(name)
	if err != nil {
		return err
	}
	repo, tag := qs(ctx, "repo"), qs(ctx, "tag")
	if repo == "" {
		return errdefs.InvalidParameterf("repository name must have at least one component")
	}
	ref := repo
	if tag != "" {
		ref += ":" + tag
	}
	if err := s.rt.Images.Tag(im.ID, ref); err != nil {
		return err
	}
	norm, _ := images.Normalize(ref)
	s.rt.Event(events.ImageEventType, events.ActionTag, im.ID, map[string]string{"name": images.Familiar(norm)})
	ctx.SetStatusCode(201)
	return nil
}

// deleteImage follows Docker's image delete: a name untags first (refused
// without force when it is the last tag and a container uses the image);
// the image itself goes when no tag is left, unless a conflict stands:
// dependent child images and running containers always block ("cannot be
// forced"), other tags and stopped containers block without force ("must
// be forced"). After untagging by name, a conflict leaves the image quietly.
func (s *Server) deleteImage(ctx *fasthttp.RequestCtx) error {
	name := param(ctx, "name")
	force := qbool(ctx, "force")
	im, err := s.rt.Images.Get(name)
	if err != nil {
		return err
	}
	var resp []image.DeleteResponse
	untag := func(ref string) error {
		if _, err := s.rt.Images.Untag(ref); err != nil {
			return err
		}
		resp = append(resp, image.DeleteResponse{Untagged: images.Familiar(ref)})
		s.rt.Event(events.ImageEventType, events.ActionUnTag, im.ID, map[string]string{"name": images.Familiar(ref)})
		return nil
	}
	users := s.rt.Containers.ImageUsers(im.ID)
	byID := strings.HasPrefix(im.ID, "sha256:"+strings.TrimPrefix(name, "sha256:")) && len(strings.TrimPrefix(name, "sha256:")) >= 4
	quiet := false
	if !byID {
		if !force && len(im.Tags) == 1 && len(users) > 0 {
			return errdefs.Conflictf("conflict: unable to remove repository reference %q (must force) - container %s is using its referenced image %s", name, users[0].ID()[:12], short(im.ID))
		}
		norm, err := images.Normalize(name)
		if err != nil {
			return err
		}
		if err := untag(norm); err != nil {
			return err
		}
		if len(im.Tags) > 0 {
			return writeJSON(ctx, 200, resp)
		}
		quiet = true
	} else if len(im.Tags) == 1 {
		if c := s.imageDeleteConflict(im, users, force, false); c != nil {
			return c
		}
		if err := untag(im.Tags[0]); err != nil {
			return err
		}
	}
	if c := s.imageDeleteConflict(im, users, force, true); c != nil {
		if quiet {
			return writeJSON(ctx, 200, resp)
		}
		return c
	}
	for _, t := range append([]string(nil), im.Tags...) {
		if err := untag(t); err != nil {
			return err
		}
	}
	if err := s.rt.Images.Delete(im.ID); err != nil {
		return err
	}
	resp = append(resp, image.DeleteResponse{Deleted: im.ID})
	s.rt.Event(events.ImageEventType, events.ActionDelete, im.ID, map[string]string{"name": im.ID})
	return writeJSON(ctx, 200, resp)
}

// imageDeleteConflict is what stops im from being deleted: hard conflicts
// (child images, running containers) always, soft ones (tags when tags
// counts, stopped containers) unless force.
func (s *Server) imageDeleteConflict(im *images.Image, users []*containers.Container, force, tags bool) error {
	conflict := func(hard bool, msg string) error {
		how := "must be forced"
		if hard {
			how = "cannot be forced"
		}
		return errdefs.Conflictf("conflict: unable to delete %s (%s) - %s", short(im.ID), how, msg)
	}
	if len(s.rt.Images.Children(im.ID)) > 0 {
		return conflict(true, "image has dependent child images")
	}
	for _, c := range users {
		if c.Running() {
			return conflict(true, "image is being used by running container "+c.ID()[:12])
		}
	}
	if force {
		return nil
	}
	if tags && len(im.Tags) > 0 {
		return conflict(false, "image is referenced in multiple repositories")
	}
	if len(users) > 0 {
		return conflict(false, "image is being used by stopped container "+users[0].ID()[:12])
	}
	return nil
}

func short(id string) string {
	id = strings.TrimPrefix(id, "sha256:")
	if len(id) > 12 {
		return id[:12]
	}
	return id
}

func (s *Server) postImagesPrune(ctx *fasthttp.RequestCtx) error {
	f, err := filters.Parse(qs(ctx, "filters"))
	if err != nil {
		return err
	}
	danglingOnly := !(f.Exact("dangling", "false") || f.Exact("dangling", "0"))
	rep := image.PruneReport{ImagesDeleted: []image.DeleteResponse{}}
	for _, im := range s.rt.Images.List() {
		if len(s.rt.Containers.ImageUsers(im.ID)) > 0 || len(s.rt.Images.Children(im.ID)) > 0 || !f.Labels("label", im.Config.Config.Labels) {
			continue
		}
		if danglingOnly && len(im.Tags) > 0 {
			continue
		}
		for _, t := range im.RepoTags() {
			rep.ImagesDeleted = append(rep.ImagesDeleted, image.DeleteResponse{Untagged: t})
		}
		if s.rt.Images.Delete(im.ID) == nil {
			rep.ImagesDeleted = append(rep.ImagesDeleted, image.DeleteResponse{Deleted: im.ID})
			rep.SpaceReclaimed += uint64(im.Size)
		}
	}
	return writeJSON(ctx, 200, rep)
}

// postImageCreate is pull (fromImage) or import (fromSrc).
func (s *Server) postImageCreate(ctx *fasthttp.RequestCtx) error {
	from, src := qs(ctx, "fromImage"), qs(ctx, "fromSrc")
	tag := qs(ctx, "tag")
	if src != "" {
		if src != "-" {
			return errdefs.InvalidParameterf("importing from a URL is not supported offline; pipe the archive instead (docker import - or file)")
		}
		ref := qs(ctx, "repo")
		if ref != "" && tag != "" {
			ref += ":" + tag
		}
		changes := []string{}
		for _, c := range ctx.QueryArgs().PeekMulti("changes") {
			changes = append(changes, string(c))
		}
		im, err := s.rt.Images.Import(body(ctx), ref, changes, qs(ctx, "message"))
		if err != nil {
			return err
		}
		s.rt.Event(events.ImageEventType, events.ActionImport, im.ID, map[string]string{"name": im.ID})
		return writeJSON(ctx, 200, map[string]string{"status": im.ID})
	}
	if from == "" {
		return errdefs.InvalidParameterf("fromImage or fromSrc is required")
	}
	ref := from
	if tag != "" {
		if strings.HasPrefix(tag, "sha256:") {
			ref += "@" + tag
		} else {
			ref += ":" + tag
		}
	}
	if _, err := images.Normalize(ref); err != nil {
		return err
	}
	if s.rt.Images.Strict {
		if _, err := s.rt.Images.Get(ref); err != nil {
			_, err := s.rt.Images.Pull(ref, io.Discard)
			return err
		}
	}
	s.stream(ctx, "application/json", func(c context.Context, w io.Writer) {
		im, err := s.rt.Images.Pull(ref, w)
		if err != nil {
			json.NewEncoder(w).Encode(map[string]any{"errorDetail": map[string]string{"message": err.Error()}, "error": err.Error()})
			return
		}
		norm, _ := images.Normalize(ref)
		s.rt.Event(events.ImageEventType, events.ActionPull, images.Familiar(norm), map[string]string{"name": images.Familiar(norm)})
		_ = im
	})
	return nil
}

func (s *Server) postImageLoad(ctx *fasthttp.RequestCtx) error {
	loaded, err := s.rt.Images.Load(body(ctx))
	if err != nil {
		return err
	}
	quiet := qbool(ctx, "quiet")
	var buf strings.Builder
	enc := json.NewEncoder(&buf)
	for _, l := range loaded {
		if strings.HasPrefix(l, "ID: ") {
			enc.Encode(map[string]string{"stream": "Loaded image ID: " + strings.TrimPrefix(l, "ID: ") + "\n"})
		} else {
			enc.Encode(map[string]string{"stream": "Loaded image: " + l + "\n"})
		}
		s.rt.Event(events.ImageEventType, events.ActionLoad, l, map[string]string{"name": l})
	}
	_ = quiet
	ctx.SetStatusCode(200)
	ctx.SetContentType("application/json")
	ctx.SetBodyString(buf.String())
	return nil
}

func (s *Server) getImagesSave(ctx *fasthttp.RequestCtx, names [][]byte) error {
	var ns []string
	for _, n := range names {
		ns = append(ns, string(n))
	}
	if len(ns) == 0 {
		return errdefs.InvalidParameterf("no image names given")
	}
	for _, n := range ns {
		if _, err := s.rt.Images.Get(n); err != nil {
			return err
		}
	}
	s.stream(ctx, "application/x-tar", func(c context.Context, w io.Writer) {
		if err := s.rt.Images.Save(w, ns); err != nil {
			s.log.Warn("save failed", "err", err)
		}
	})
	return nil
}

func (s *Server) postCommit(ctx *fasthttp.RequestCtx) error {
	var cfg map[string]any
	if err := decodeJSON(ctx, &cfg, false); err != nil {
		return err
	}
	changes := []string{}
	for _, c := range ctx.QueryArgs().PeekMulti("changes") {
		for _, line := range strings.Split(string(c), "\n") {
			changes = append(changes, line)
		}
	}
	ref := qs(ctx, "repo")
	if ref != "" && qs(ctx, "tag") != "" {
		ref += ":" + qs(ctx, "tag")
	}
	im, err := s.rt.Containers.Commit(qs(ctx, "container"), ref, qs(ctx, "author"), qs(ctx, "comment"), changes)
	if err != nil {
		return err
	}
	return writeJSON(ctx, 201, map[string]string{"Id": im.ID})
}
