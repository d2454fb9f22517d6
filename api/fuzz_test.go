package api

import (
	"archive/tar"
	"bytes"
	"encoding/json"
	"net/url"
	"strings"
	"testing"

	"github.com/valyala/fasthttp"
)

// The daemon must never panic on a request, and every refusal must be a
// clear {"message": ...}. These fuzz targets drive the request decoding
// of the handlers (JSON bodies, query parameters, tar bodies) and the raw
// HTTP parsing in front of them. Their seeds (below and in
// testdata/fuzz/<target>) run as regression cases under plain `go test`;
// `go test -fuzz=FuzzX ./api` explores further.

// fuzzInput bounds an input: big bodies are tested by TestOversized.
const fuzzInput = 64 << 10

func FuzzCreateBody(f *testing.F) {
	for _, s := range []string{
		`{"Image":"alpine","Cmd":["true"]}`,
		`{"Image":"alpine","Cmd":["sh","-c","echo hi"],"Env":["A=1","B"],"WorkingDir":"/w","User":"1000:1000","Labels":{"a":"b"},"Tty":true,"OpenStdin":true,"StdinOnce":true,"AttachStdin":true,"StopSignal":"SIGUSR1","StopTimeout":3}`,
		`{"Image":"alpine","Entrypoint":[""],"Cmd":null,"Healthcheck":{"Test":["CMD-SHELL","true"],"Interval":1000000,"Retries":-1}}`,
		`{"Image":"alpine","Cmd":["true"],"HostConfig":{"Binds":["fzvol:/data:ro,z","/tmp:/host"],"Mounts":[{"Type":"tmpfs","Target":"/t"},{"Type":"volume","Source":"","Target":"/anon"}],"AutoRemove":true,"RestartPolicy":{"Name":"on-failure","MaximumRetryCount":-3},"Memory":-1,"NetworkMode":"container:fz","ExtraHosts":["h:1.2.3.4","bad"],"PortBindings":{"80/tcp":[{"HostPort":"8080"}]},"Tmpfs":{"/run":""},"VolumesFrom":["fz:ro"],"Dns":["8.8.8.8"],"ReadonlyRootfs":true}}`,
		`{"Image":"alpine","Cmd":["true"],"Volumes":{"/v":{}},"ExposedPorts":{"80/tcp":{},"x/y":{}},"NetworkingConfig":{"EndpointsConfig":{"fznet":{"Aliases":["a"]},"nope":null}}}`,
		`{"Image":"","Cmd":[]}`,
		`{"Image":"alpine","WorkingDir":"relative"}`,
		`{"Image":"alpine","Cmd":["true"],"HostConfig":{"RestartPolicy":{"Name":"always"},"AutoRemove":true}}`,
		`{"Image":"no/such:image"}`,
		`{not json`,
		``,
		`null`,
		`[]`,
		`{"Image":"alpine","Cmd":["true"],"HostConfig":{"ConsoleSize":[4294967295,0],"LogConfig":{"Type":"none","Config":null}}}`,
	} {
		f.Add(s, "")
	}
	f.Add(`{"Image":"alpine","Cmd":["true"]}`, "fz")
	f.Add(`{"Image":"alpine","Cmd":["true"]}`, "/bad name")
	s := testServer(f)
	f.Fuzz(func(t *testing.T, body, name string) {
		if len(body)+len(name) > fuzzInput {
			return
		}
		target := "/containers/create"
		if name != "" {
			target += "?name=" + url.QueryEscape(name)
		}
		code, resp := call(s, "POST", target, body)
		checkAnswer(t, "create "+body, code, resp)
		if code == 201 {
			var r struct{ Id string }
			json.Unmarshal([]byte(resp), &r)
			if err := s.rt.Containers.Remove(r.Id, true, true); err != nil {
				t.Fatalf("remove %s: %v", r.Id, err)
			}
		}
		s.settle()
	})
}

// jsonRoutes are the other endpoints that decode a JSON body.
var jsonRoutes = []struct{ method, target string }{
	{"POST", "/containers/fz/exec"},
	{"POST", "/containers/fz/update"},
	{"POST", "/exec/nope/start"},
	{"POST", "/networks/create"},
	{"POST", "/networks/fznet/connect"},
	{"POST", "/networks/fznet/disconnect"},
	{"POST", "/volumes/create"},
	{"POST", "/commit?container=fz&repo=fz-commit"},
	{"POST", "/containers/fz/start"},
	{"POST", "/containers/fz/wait"},
}

func FuzzJSONBody(f *testing.F) {
	seeds := [][]string{
		{`{"Cmd":["echo","hi"],"AttachStdout":true,"Env":["A=1"],"User":"nobody","WorkingDir":"/tmp","Tty":true,"ConsoleSize":[24,80],"Privileged":true}`, `{"Cmd":[]}`, `{"Cmd":null,"DetachKeys":"ctrl-x"}`},
		{`{"Memory":1048576,"MemorySwap":-1,"CpuShares":512,"RestartPolicy":{"Name":"unless-stopped"},"PidsLimit":-1}`, `{"RestartPolicy":{"Name":"bogus"}}`, `{"Memory":-5}`},
		{`{"Detach":true,"Tty":false}`, `{"ConsoleSize":[0,0]}`},
		{`{"Name":"fz-net1","Driver":"bridge","Labels":{"a":"b"},"IPAM":{"Config":[{"Subnet":"10.9.0.0/16"}]},"Internal":true,"Attachable":true}`, `{"Name":""}`, `{"Name":"fznet","CheckDuplicate":true}`, `{"Name":"x","Driver":"overlay"}`},
		{`{"Container":"fz","EndpointConfig":{"Aliases":["db"],"IPAMConfig":{"IPv4Address":"10.9.0.9"}}}`, `{"Container":"nope"}`, `{"Container":""}`},
		{`{"Container":"fz","Force":true}`, `{"Container":"fz"}`},
		{`{"Name":"fz-vol1","Driver":"local","DriverOpts":{"type":"tmpfs"},"Labels":{"x":"y"}}`, `{"Name":"../escape"}`, `{"Name":"fzvol"}`, `{}`},
		{`{"Cmd":["cat","f"],"Env":["MODE=prod"],"WorkingDir":"/app","Labels":{"stage":"test"},"ExposedPorts":{"80/tcp":{}}}`, `{"Cmd":"not a list"}`},
		{``, `{}`},
		{``, `{"Condition":"removed"}`},
	}
	for i, ss := range seeds {
		for _, s := range ss {
			f.Add(uint8(i), s)
		}
	}
	s := testServer(f)
	f.Fuzz(func(t *testing.T, route uint8, body string) {
		if len(body) > fuzzInput {
			return
		}
		r := jsonRoutes[int(route)%len(jsonRoutes)]
		code, resp := call(s, r.method, r.target, body)
		checkAnswer(t, r.method+" "+r.target+" "+body, code, resp)
		s.settle()
		if err := s.ensureFixtures(); err != nil {
			t.Fatal(err)
		}
	})
}

// queryRoutes are endpoints whose handlers parse query parameters.
var queryRoutes = []struct{ method, path string }{
	{"GET", "/containers/json"},
	{"GET", "/images/json"},
	{"GET", "/volumes"},
	{"GET", "/networks"},
	{"GET", "/events"},
	{"GET", "/containers/fz/logs"},
	{"POST", "/containers/fz/kill"},
	{"POST", "/containers/fz/stop"},
	{"POST", "/containers/fz/restart"},
	{"HEAD", "/containers/fz/archive"},
	{"GET", "/containers/fz/archive"},
	{"POST", "/containers/fz/resize"},
	{"POST", "/containers/fz/wait"},
	{"POST", "/containers/prune"},
	{"POST", "/images/prune"},
	{"POST", "/volumes/prune"},
	{"POST", "/networks/prune"},
	{"GET", "/images/search"},
	{"GET", "/containers/fz/stats"},
	{"GET", "/containers/fz/top"},
	{"POST", "/images/create"},
	{"POST", "/containers/fz/attach"},
	{"POST", "/containers/fz/rename"},
	{"POST", "/images/alpine/tag"},
	{"DELETE", "/containers/nope"},
	{"DELETE", "/images/nope"},
	{"GET", "/images/get"},
	{"GET", "/containers/fz/json"},
	{"GET", "/system/df"},
	{"POST", "/containers/fz/exec"},
}

func FuzzQuery(f *testing.F) {
	for i, q := range []string{
		`all=1&size=1&limit=3&filters={"label":{"a=b":true},"status":{"exited":true},"before":{"fz":true},"exited":{"0":true}}`,
		`all=1&filters={"dangling":["true"],"reference":["alp*"]}`,
		`filters={"dangling":{"true":true},"name":{"fz":true}}`,
		`filters={"driver":["bridge"],"type":["custom"]}`,
		`since=10m&until=1700000000.5&filters={"type":{"container":true},"event":{"start":true}}`,
		`follow=0&stdout=1&stderr=1&since=2006-01-02T15:04:05Z&until=-5s&timestamps=1&tail=all`,
		`signal=SIGUSR1`,
		`t=0&signal=TERM`,
		`t=-1`,
		`path=/etc/../etc/passwd`,
		`path=`,
		`h=24&w=80`,
		`condition=bogus`,
		`filters={"until":{"1h":true},"label!":{"keep":true}}`,
		`filters={"dangling":{"maybe":true}}`,
		`filters={"all":{"1":true}}`,
		`filters={"until":{"not a time":true}}`,
		`term=busybox&limit=-1`,
		`stream=0&one-shot=1`,
		`ps_args=-ef`,
		`fromImage=busybox&tag=1.36`,
		`stream=1&stdout=1&logs=1&detachKeys=ctrl-p`,
		`name=fz-renamed`,
		`repo=fz-tag&tag=!!bad`,
		`force=1&v=1&link=1`,
		`force=1&noprune=1`,
		`names=alpine&names=nope`,
		`size=true`,
		`type=container&verbose=1`,
		``,
	} {
		f.Add(uint8(i), q, uint8(0))
	}
	f.Add(uint8(6), "signal=99", uint8(1))
	f.Add(uint8(4), "filters={bad", uint8(2))
	f.Add(uint8(0), "limit=x", uint8(3))
	s := testServer(f)
	versions := []string{"", "/v1.24", "/v1.47", "/v1.48", "/v1.2", "/vx.y"}
	f.Fuzz(func(t *testing.T, route uint8, query string, version uint8) {
		if len(query) > fuzzInput {
			return
		}
		r := queryRoutes[int(route)%len(queryRoutes)]
		target := versions[int(version)%len(versions)] + r.path
		if query != "" {
			target += "?" + query
		}
		code, resp := call(s, r.method, target, "")
		checkAnswer(t, r.method+" "+target, code, resp)
		s.settle()
		if err := s.ensureFixtures(); err != nil {
			t.Fatal(err)
		}
	})
}

// tarOf builds a tar archive of name→content entries ("x/" is a
// directory, "x@t" a symlink to t).
func tarOf(entries ...string) []byte {
	var b bytes.Buffer
	tw := tar.NewWriter(&b)
	for _, e := range entries {
		h := &tar.Header{Name: e, Mode: 0o644, Typeflag: tar.TypeReg}
		var data string
		switch {
		case strings.HasSuffix(e, "/"):
			h.Typeflag, h.Mode = tar.TypeDir, 0o755
		case strings.Contains(e, "@"):
			h.Name, h.Linkname, _ = strings.Cut(e, "@")
			h.Typeflag = tar.TypeSymlink
		default:
			h.Name, data, _ = strings.Cut(e, "=")
			h.Size = int64(len(data))
		}
		tw.WriteHeader(h)
		tw.Write([]byte(data))
	}
	tw.Close()
	return b.Bytes()
}

func FuzzArchivePut(f *testing.F) {
	f.Add(tarOf("a/", "a/f=hello", "a/l@f"), "/tmp", false)
	f.Add(tarOf("../../escape=x"), "/tmp", false)
	f.Add(tarOf("/etc/escape=x"), "/", true)
	f.Add(tarOf("l@/", "l/x=through the link"), "/", false)
	f.Add(tarOf("etc=a file over a dir"), "/", true)
	f.Add(tarOf("x=1"), "/no/such/dir", false)
	f.Add(tarOf("x=1"), "relative", false)
	f.Add([]byte("not a tar"), "/tmp", false)
	f.Add([]byte{}, "", false)
	s := testServer(f)
	f.Fuzz(func(t *testing.T, body []byte, path string, noOverwrite bool) {
		if len(body)+len(path) > fuzzInput {
			return
		}
		var req fasthttp.Request
		req.Header.SetMethod("PUT")
		target := "/containers/fz/archive?path=" + url.QueryEscape(path)
		if noOverwrite {
			target += "&noOverwriteDirNonDir=1"
		}
		req.SetRequestURI(target)
		req.Header.SetContentType("application/x-tar")
		req.SetBody(body)
		code, resp := serveRequest(s, &req)
		checkAnswer(t, "archive PUT "+path, code, resp)
	})
}

func FuzzImageTar(f *testing.F) {
	manifest := `[{"Config":"c.json","RepoTags":["fz-loaded:1"],"Layers":["l/layer.tar"]}]`
	layer := string(tarOf("hello=world"))
	f.Add(tarOf("manifest.json="+manifest, `c.json={"architecture":"amd64","os":"linux","config":{"Cmd":["true"]},"rootfs":{"type":"layers","diff_ids":["sha256:0000000000000000000000000000000000000000000000000000000000000000"]}}`, "l/layer.tar="+layer), false)
	f.Add(tarOf("manifest.json=[]"), false)
	f.Add(tarOf("manifest.json={"), false)
	f.Add(tarOf("manifest.json="+`[{"Config":"../../etc/passwd","Layers":["../x"]}]`), false)
	f.Add(tarOf("bin/", "bin/sh=#!", "etc/passwd=root:x:0:0::/root:/bin/sh"), true)
	f.Add([]byte("not a tar at all"), true)
	f.Add([]byte{}, false)
	s := testServer(f)
	f.Fuzz(func(t *testing.T, body []byte, importIt bool) {
		if len(body) > fuzzInput {
			return
		}
		var req fasthttp.Request
		req.Header.SetMethod("POST")
		if importIt {
			req.SetRequestURI("/images/create?fromSrc=-&repo=fz-imported&tag=1&changes=CMD+true")
		} else {
			req.SetRequestURI("/images/load?quiet=1")
		}
		req.Header.SetContentType("application/x-tar")
		req.SetBody(body)
		code, resp := serveRequest(s, &req)
		checkAnswer(t, req.URI().String(), code, resp)
		if err := s.ensureFixtures(); err != nil {
			t.Fatal(err)
		}
	})
}

func FuzzRawHTTP(f *testing.F) {
	for _, s := range []string{
		"GET /_ping HTTP/1.1\r\nHost: docker\r\n\r\n",
		"HEAD /_ping HTTP/1.1\r\nHost: docker\r\n\r\n",
		"GET /v1.41/containers/json?all=1 HTTP/1.1\r\nHost: docker\r\n\r\nGET /version HTTP/1.1\r\nHost: docker\r\n\r\n",
		"POST /v1.41/containers/create HTTP/1.1\r\nHost: docker\r\nContent-Type: application/json\r\nContent-Length: 32\r\n\r\n{\"Image\":\"alpine\",\"Cmd\":[\"true\"]}",
		"POST /v1.41/containers/create HTTP/1.1\r\nHost: docker\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n{\"Ima\r\n0\r\n\r\n",
		"POST /v1.41/containers/fz/attach?stream=1&stdout=1 HTTP/1.1\r\nHost: docker\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n",
		"POST /v1.41/containers/fz/wait HTTP/1.1\r\nHost: docker\r\n\r\n",
		"GET /v1.41/events?until=1 HTTP/1.1\r\nHost: docker\r\n\r\n",
		"PUT /containers/fz/archive?path=/tmp HTTP/1.1\r\nHost: docker\r\nContent-Length: 5\r\n\r\nxxxxx",
		"GET /v99.1/info HTTP/1.1\r\nHost: docker\r\n\r\n",
		"GET / HTTP/1.0\r\n\r\n",
		"BREW /coffee HTCPCP/1.0\r\n\r\n",
		"GET /_ping HTTP/1.1\r\nContent-Length: -1\r\n\r\n",
		"\x00\x01\x02",
	} {
		f.Add([]byte(s))
	}
	s := testServer(f)
	f.Fuzz(func(t *testing.T, raw []byte) {
		if len(raw) > fuzzInput {
			return
		}
		out := rawExchange(t, raw)
		if bytes.Contains(out, []byte("the daemon hit a bug")) {
			t.Fatalf("a request panicked the handler:\n%q\n->\n%q", raw, out)
		}
		s.settle()
		if err := s.ensureFixtures(); err != nil {
			t.Fatal(err)
		}
	})
}
