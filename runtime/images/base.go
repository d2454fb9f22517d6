package images

import (
	"archive/tar"
	"bytes"
	"encoding/json"
	goruntime "runtime"
	"sort"
	"time"

	dockerspec "github.com/moby/docker-image-spec/specs-go/v1"
	"github.com/opencontainers/go-digest"
	ocispec "github.com/opencontainers/image-spec/specs-go/v1"

	"github.com/sockerless/sockerless/builtins"
	_ "github.com/sockerless/sockerless/builtins/all" // every builtin gets a /bin entry
)

// BaseLabel marks the sandbox base image.
const BaseLabel = "org.sockerless.sandbox-base"

// DefaultPath is the PATH of the base image.
const DefaultPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

var baseTime = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

// shellNames are the shells the guest implements itself.
var shellNames = []string{"sh", "ash", "bash", "dash"}

// boxFile is the one regular file /bin entries link to; the guest runs the
// builtin named by the path, whatever the file holds.
const boxFile = "bin/sockerless-box"

// baseLayer is the tar of the base image's only layer.
func baseLayer() []byte {
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	dir := func(name string, mode int64) {
		tw.WriteHeader(&tar.Header{Typeflag: tar.TypeDir, Name: name + "/", Mode: mode, ModTime: baseTime, Format: tar.FormatPAX})
	}
	file := func(name string, mode int64, body string) {
		tw.WriteHeader(&tar.Header{Typeflag: tar.TypeReg, Name: name, Mode: mode, Size: int64(len(body)), ModTime: baseTime, Format: tar.FormatPAX})
		tw.Write([]byte(body))
	}
	for _, d := range []struct {
		n string
		m int64
	}{{"bin", 0o755}, {"dev", 0o755}, {"etc", 0o755}, {"home", 0o755}, {"lib", 0o755}, {"mnt", 0o755},
		{"opt", 0o755}, {"proc", 0o555}, {"root", 0o700}, {"run", 0o755}, {"sbin", 0o755}, {"srv", 0o755},
		{"sys", 0o555}, {"tmp", 0o1777}, {"usr", 0o755}, {"usr/bin", 0o755}, {"usr/sbin", 0o755},
		{"usr/local", 0o755}, {"usr/local/bin", 0o755}, {"usr/local/sbin", 0o755}, {"usr/lib", 0o755},
		{"usr/share", 0o755}, {"var", 0o755}, {"var/tmp", 0o1777}, {"var/log", 0o755}, {"var/cache", 0o755},
		{"var/lib", 0o755}, {"var/run", 0o755}} {
		dir(d.n, d.m)
	}
	file(boxFile, 0o755, "#!/bin/sh\n# sockerless sandbox: every /bin entry runs the Go builtin of its name.\necho \"sockerless-box: run a builtin by name, e.g. /bin/ls\" >&2\nexit 126\n")
	names := append(builtins.Names(), shellNames...)
	sort.Strings(names)
	seen := map[string]bool{"sockerless-box": true}
	for _, n := range names {
		if seen[n] || n == "" {
			continue
		}
		seen[n] = true
		tw.WriteHeader(&tar.Header{Typeflag: tar.TypeSymlink, Name: "bin/" + n, Linkname: "sockerless-box", Mode: 0o777, ModTime: baseTime, Format: tar.FormatPAX})
	}
	file("etc/passwd", 0o644, "root:x:0:0:root:/root:/bin/sh\ndaemon:x:1:1:daemon:/usr/sbin:/sbin/nologin\nbin:x:2:2:bin:/bin:/sbin/nologin\nnobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin\n")
	file("etc/group", 0o644, "root:x:0:root\ndaemon:x:1:\nbin:x:2:\nwheel:x:10:root\nusers:x:100:\nnogroup:x:65534:\n")
	file("etc/shadow", 0o640, "root:*::0:::::\nnobody:!::0:::::\n")
	file("etc/hosts", 0o644, "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n")
	file("etc/hostname", 0o644, "sandbox\n")
	file("etc/resolv.conf", 0o644, "nameserver 127.0.0.1\n")
	file("etc/shells", 0o644, "/bin/sh\n/bin/ash\n/bin/bash\n")
	file("etc/os-release", 0o644, "NAME=\"Sockerless sandbox\"\nID=sockerless\nPRETTY_NAME=\"Sockerless sandbox (shell and Go builtins)\"\nHOME_URL=\"https://github.com/sockerless/sockerless\"\n")
	tw.Close()
	return buf.Bytes()
}

func (s *Store) ensureBase() error {
	layer := baseLayer()
	diffID := digestOf(layer)
	created := baseTime
	cfg := dockerspec.DockerOCIImage{
		Image: ocispec.Image{
			Created:  &created,
			Author:   "sockerless",
			Platform: ocispec.Platform{Architecture: goruntime.GOARCH, OS: "linux"},
			RootFS:   ocispec.RootFS{Type: "layers", DiffIDs: []digest.Digest{digest.Digest(diffID)}},
			History:  []ocispec.History{{Created: &created, CreatedBy: "sockerless: sandbox base image (mvdan.cc/sh shell and Go builtins)", Comment: "served for images no registry could provide"}},
		},
		Config: dockerspec.DockerOCIImageConfig{ImageConfig: ocispec.ImageConfig{
			Env:    []string{"PATH=" + DefaultPath},
			Cmd:    []string{"/bin/sh"},
			Labels: map[string]string{BaseLabel: "true"},
		}},
	}
	raw, _ := json.Marshal(cfg)
	id := digestOf(raw)
	s.mu.RLock()
	_, ok := s.images[id]
	s.mu.RUnlock()
	if ok {
		s.baseID = id
		return nil
	}
	if _, err := s.IngestLayer(bytes.NewReader(layer)); err != nil {
		return err
	}
	_, err := s.add(raw, "", true)
	return err
}

// BaseID is the ID of the sandbox base image.
func (s *Store) BaseID() string {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.baseID
}
