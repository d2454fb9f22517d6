package api

import (
	"os"

	"github.com/valyala/fasthttp"

	"github.com/sockerless/sockerless/runtime/errdefs"
)

// routes is the routes table. Endpoints we knowingly refuse answer with
// a clear 501 rather than 404.
func (s *Server) routes() {
	s.systemRoutes()
	c := func(method, path string, h handlerFunc) { s.routeAll(method, "/containers"+path, h) }
	c("POST", "/create", s.postCreate)
	c("GET", "/json", s.getContainers)
	c("POST", "/prune", s.postContainersPrune)
	c("GET", "/{name}/json", s.getContainer)
	c("DELETE", "/{name}", s.deleteContainer)
	c("POST", "/{name}/start", s.postStart)
	c("POST", "/{name}/stop", s.postStop)
	c("POST", "/{name}/restart", s.postRestart)
	c("POST", "/{name}/kill", s.postKill)
	c("POST", "/{name}/pause", s.postPause)
	c("POST", "/{name}/unpause", s.postUnpause)
	c("POST", "/{name}/wait", s.postWait)
	c("POST", "/{name}/attach", s.postAttach)
	c("GET", "/{name}/attach/ws", notImplemented("attach over websocket"))
	c("GET", "/{name}/logs", s.getLogs)
	c("POST", "/{name}/resize", s.postResize)
	c("POST", "/{name}/rename", s.postRename)
	c("POST", "/{name}/update", s.postUpdate)
	c("GET", "/{name}/top", s.getTop)
	c("GET", "/{name}/stats", s.getStats)
	c("GET", "/{name}/changes", s.getChanges)
	c("GET", "/{name}/export", s.getExport)
	c("HEAD", "/{name}/archive", s.headArchive)
	c("GET", "/{name}/archive", s.getArchive)
	c("PUT", "/{name}/archive", s.putArchive)
	c("POST", "/{name}/exec", s.postExecCreate)
	s.routeAll("POST", "/exec/{id}/start", s.postExecStart)
	s.routeAll("POST", "/exec/{id}/resize", s.postExecResize)
	s.routeAll("GET", "/exec/{id}/json", s.getExec)
	s.imageRoutes()
	s.volumeRoutes()
	s.networkRoutes()
	s.routeAll("POST", "/build", notImplemented("image builds (docker build)"))
	s.routeAll("POST", "/build/prune", func(ctx *fasthttp.RequestCtx) error {
		return writeJSON(ctx, 200, map[string]any{"CachesDeleted": []string{}, "SpaceReclaimed": 0})
	})
	s.routeAll("GET", "/plugins", func(ctx *fasthttp.RequestCtx) error { return writeJSON(ctx, 200, []any{}) })
	s.routeAll("GET", "/plugins/{name:*}", func(ctx *fasthttp.RequestCtx) error {
		return errdefs.NotFoundf("plugin %q not found", param(ctx, "name"))
	})
	for _, p := range []string{"/swarm", "/nodes", "/services", "/tasks", "/secrets", "/configs"} {
		s.routeAll("GET", p, func(ctx *fasthttp.RequestCtx) error {
			return errdefs.Unavailablef("This node is not a swarm manager. Swarm is not supported by sockerless.")
		})
	}
	s.routeAll("POST", "/session", notImplemented("BuildKit sessions"))
	s.routeAll("POST", "/grpc", notImplemented("BuildKit"))
	s.routeAll("GET", "/distribution/{name:*}", func(ctx *fasthttp.RequestCtx) error {
		return errdefs.Unavailablef("no registry is reachable from the sandbox runtime")
	})
}

func notImplemented(what string) handlerFunc {
	return func(ctx *fasthttp.RequestCtx) error {
		return errdefs.NotImplementedf("%s is not supported by sockerless yet", what)
	}
}

func fileSize(p string) int64 {
	fi, err := os.Stat(p)
	if err != nil {
		return 0
	}
	return fi.Size()
}
