package api

import (
	"context"
	"encoding/json"
	"io"
	"os"
	goruntime "runtime"
	"strings"
	"time"

	"github.com/moby/moby/api/types/build"
	"github.com/moby/moby/api/types/container"
	"github.com/moby/moby/api/types/image"
	"github.com/moby/moby/api/types/system"
	"github.com/moby/moby/api/types/volume"
	"github.com/valyala/fasthttp"

	evbus "github.com/sockerless/sockerless/runtime/events"
	"github.com/sockerless/sockerless/runtime/filters"
)

func (s *Server) systemRoutes() {
	ping := func(ctx *fasthttp.RequestCtx) error {
		h := &ctx.Response.Header
		h.Set("Cache-Control", "no-cache, no-store, must-revalidate")
		h.Set("Pragma", "no-cache")
		h.Set("Builder-Version", "1")
		ctx.SetContentType("text/plain; charset=utf-8")
		if !ctx.IsHead() {
			ctx.SetBodyString("OK")
		} else {
			h.SetContentLength(0)
		}
		return nil
	}
	s.routeAll("GET", "/_ping", ping)
	s.routeAll("HEAD", "/_ping", ping)
	s.routeAll("GET", "/version", s.getVersion)
	s.routeAll("GET", "/info", s.getInfo)
	s.routeAll("GET", "/events", s.getEvents)
	s.routeAll("GET", "/system/df", s.getDF)
	s.routeAll("POST", "/auth", func(ctx *fasthttp.RequestCtx) error {
		return writeJSON(ctx, 200, map[string]string{"Status": "Login Succeeded"})
	})
}

func (s *Server) getVersion(ctx *fasthttp.RequestCtx) error {
	v := system.VersionResponse{
		Platform:      struct{ Name string }{Name: "Sockerless"},
		Version:       s.version,
		APIVersion:    MaxVersion,
		MinAPIVersion: MinVersion,
		GitCommit:     s.version,
		GoVersion:     goruntime.Version(),
		Os:            "linux",
		Arch:          goruntime.GOARCH,
		KernelVersion: kernelVersion(),
		BuildTime:     s.rt.Started.UTC().Format(time.RFC3339),
		Components: []system.ComponentVersion{{Name: "Engine", Version: s.version, Details: map[string]string{
			"ApiVersion": MaxVersion, "MinAPIVersion": MinVersion, "Os": "linux", "Arch": goruntime.GOARCH,
			"GoVersion": goruntime.Version(), "KernelVersion": kernelVersion(), "Experimental": "false",
		}}, {Name: "sandbox", Version: "wazero", Details: map[string]string{"Runtime": "wasip1 sandbox guest"}}},
	}
	return writeJSON(ctx, 200, v)
}

func kernelVersion() string {
	b, err := os.ReadFile("/proc/sys/kernel/osrelease")
	if err != nil {
		return "unknown"
	}
	return strings.TrimSpace(string(b))
}

func (s *Server) getInfo(ctx *fasthttp.RequestCtx) error {
	var running, stopped, paused int
	for _, c := range s.rt.Containers.All() {
		sum := c.Summary()
		switch sum.State {
		case container.StateRunning, container.StateRestarting:
			running++
		case container.StatePaused:
			paused++
		default:
			stopped++
		}
	}
	total := len(s.rt.Containers.All())
	host, _ := os.Hostname()
	memTotal := int64(0)
	if b, err := os.ReadFile("/proc/meminfo"); err == nil {
		var kb int64
		for _, line := range strings.Split(string(b), "\n") {
			if strings.HasPrefix(line, "MemTotal:") {
				f := strings.Fields(line)
				if len(f) >= 2 {
					for _, c := range f[1] {
						kb = kb*10 + int64(c-'0')
					}
				}
			}
		}
		memTotal = kb * 1024
	}
	info := system.Info{
		ID: "sockerless", Containers: total, ContainersRunning: running, ContainersPaused: paused, ContainersStopped: stopped,
		Images: len(s.rt.Images.List()), Driver: "sockerless-overlay", DriverStatus: [][2]string{{"Backing Filesystem", "host directories"}},
		Plugins:     system.PluginsInfo{Volume: []string{"local"}, Network: []string{"bridge", "host", "null"}, Log: []string{"local"}},
		MemoryLimit: true, SwapLimit: false, CPUCfsPeriod: false, CPUCfsQuota: false, IPv4Forwarding: true,
		Debug: false, NFd: openFDs(), NGoroutines: goruntime.NumGoroutine(), SystemTime: time.Now().Format(time.RFC3339Nano),
		LoggingDriver: "local", CgroupDriver: "none", CgroupVersion: "2", NEventsListener: 0,
		KernelVersion: kernelVersion(), OperatingSystem: "Sockerless (wazero sandbox)", OSVersion: "", OSType: "linux",
		Architecture: archName(), IndexServerAddress: "https://index.docker.io/v1/",
		NCPU: goruntime.NumCPU(), MemTotal: memTotal, DockerRootDir: s.rt.DataRoot, Name: host,
		Labels: []string{}, ExperimentalBuild: false, ServerVersion: s.version, DefaultRuntime: "sandbox",
		Runtimes:           map[string]system.RuntimeWithStatus{"sandbox": {Runtime: system.Runtime{Path: "wazero"}}},
		LiveRestoreEnabled: false, Isolation: "", InitBinary: "", SecurityOptions: []string{"name=sandbox"},
		Warnings: []string{},
	}
	return writeJSON(ctx, 200, info)
}

func archName() string {
	switch goruntime.GOARCH {
	case "amd64":
		return "x86_64"
	case "arm64":
		return "aarch64"
	}
	return goruntime.GOARCH
}

func openFDs() int {
	ents, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		return 0
	}
	return len(ents)
}

func (s *Server) getEvents(ctx *fasthttp.RequestCtx) error {
	f, err := filters.Parse(qs(ctx, "filters"))
	if err != nil {
		return err
	}
	since, err := parseTime(qs(ctx, "since"))
	if err != nil {
		return err
	}
	until, err := parseTime(qs(ctx, "until"))
	if err != nil {
		return err
	}
	live := until.IsZero() || until.After(time.Now())
	s.stream(ctx, "application/json", func(c context.Context, w io.Writer) {
		if !until.IsZero() {
			var cancel context.CancelFunc
			c, cancel = context.WithDeadline(c, until)
			defer cancel()
		}
		past, ch := s.rt.Events.Subscribe(c, f, since, until, live)
		enc := json.NewEncoder(w)
		for _, m := range past {
			if enc.Encode(m) != nil {
				return
			}
		}
		if ch == nil {
			return
		}
		for {
			select {
			case <-c.Done():
				return
			case m, ok := <-ch:
				if !ok {
					return
				}
				if enc.Encode(m) != nil {
					return
				}
			}
		}
	})
	_ = evbus.Message{}
	return nil
}

func (s *Server) getDF(ctx *fasthttp.RequestCtx) error {
	var imgs []image.Summary
	var imgSize int64
	for _, im := range s.rt.Images.List() {
		sum := s.imageSummary(im)
		sum.Containers = int64(len(s.rt.Containers.ImageUsers(im.ID)))
		imgSize += sum.Size
		imgs = append(imgs, sum)
	}
	var cs []container.Summary
	for _, c := range s.rt.Containers.All() {
		cs = append(cs, c.Summary())
	}
	var vols []volume.Volume
	var volSize int64
	for _, v := range s.rt.Volumes.List() {
		vv := *v
		size := s.rt.Volumes.Size(v.Name)
		volSize += size
		vv.UsageData = &volume.UsageData{RefCount: int64(len(s.rt.Containers.VolumeUsers(v.Name))), Size: size}
		vols = append(vols, vv)
	}
	if imgs == nil {
		imgs = []image.Summary{}
	}
	if cs == nil {
		cs = []container.Summary{}
	}
	if vols == nil {
		vols = []volume.Volume{}
	}
	return writeJSON(ctx, 200, map[string]any{
		"LayersSize": imgSize, "Images": imgs, "Containers": cs, "Volumes": vols, "BuildCache": []build.CacheRecord{},
	})
}
