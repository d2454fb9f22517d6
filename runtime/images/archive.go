package images

import (
	"archive/tar"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"strings"
	"time"

	dockerspec "github.com/moby/docker-image-spec/specs-go/v1"
	"github.com/opencontainers/go-digest"
	ocispec "github.com/opencontainers/image-spec/specs-go/v1"

	"github.com/sockerless/sockerless/runtime/errdefs"
)

type manifestEntry struct {
	Config   string
	RepoTags []string
	Layers   []string
}

// Save writes images as a docker-save archive (manifest.json,
// repositories, <config>.json and <layer>/layer.tar) that `docker load`
// accepts. names are references or IDs.
func (s *Store) Save(w io.Writer, names []string) error {
	type sel struct {
		im   *Image
		tags []string
	}
	var sels []sel
	index := map[string]int{}
	for _, n := range names {
		im, err := s.Get(n)
		if err != nil {
			return err
		}
		i, ok := index[im.ID]
		if !ok {
			i = len(sels)
			index[im.ID] = i
			sels = append(sels, sel{im: im})
		}
		nn := strings.TrimPrefix(n, "sha256:")
		if !(len(nn) >= 4 && strings.HasPrefix(strings.TrimPrefix(im.ID, "sha256:"), nn)) {
			if norm, err := Normalize(n); err == nil {
				sels[i].tags = append(sels[i].tags, Familiar(norm))
			}
		}
	}
	tw := tar.NewWriter(w)
	now := time.Unix(0, 0)
	put := func(name string, b []byte) error {
		if err := tw.WriteHeader(&tar.Header{Name: name, Mode: 0o644, Size: int64(len(b)), ModTime: now, Typeflag: tar.TypeReg}); err != nil {
			return err
		}
		_, err := tw.Write(b)
		return err
	}
	written := map[string]bool{}
	var manifest []manifestEntry
	repos := map[string]map[string]string{}
	for _, se := range sels {
		hexID := strings.TrimPrefix(se.im.ID, "sha256:")
		if err := put(hexID+".json", se.im.Raw); err != nil {
			return err
		}
		me := manifestEntry{Config: hexID + ".json", RepoTags: se.tags}
		for _, d := range se.im.DiffIDs() {
			h := strings.TrimPrefix(d, "sha256:")
			me.Layers = append(me.Layers, h+"/layer.tar")
			if written[h] {
				continue
			}
			written[h] = true
			tw.WriteHeader(&tar.Header{Name: h + "/", Mode: 0o755, ModTime: now, Typeflag: tar.TypeDir})
			put(h+"/VERSION", []byte("1.0"))
			js, _ := json.Marshal(map[string]any{"id": h, "created": now.Format(time.RFC3339)})
			put(h+"/json", js)
			f, err := os.Open(s.LayerTar(d))
			if err != nil {
				return fmt.Errorf("layer %s: %w", d, err)
			}
			fi, _ := f.Stat()
			if err := tw.WriteHeader(&tar.Header{Name: h + "/layer.tar", Mode: 0o644, Size: fi.Size(), ModTime: now, Typeflag: tar.TypeReg}); err != nil {
				f.Close()
				return err
			}
			_, err = io.Copy(tw, f)
			f.Close()
			if err != nil {
				return err
			}
		}
		for _, t := range se.tags {
			i := strings.LastIndex(t, ":")
			if repos[t[:i]] == nil {
				repos[t[:i]] = map[string]string{}
			}
			repos[t[:i]][t[i+1:]] = hexID
		}
		if me.RepoTags == nil {
			me.RepoTags = []string{}
		}
		manifest = append(manifest, me)
	}
	mj, _ := json.Marshal(manifest)
	if err := put("manifest.json", mj); err != nil {
		return err
	}
	rj, _ := json.Marshal(repos)
	if err := put("repositories", rj); err != nil {
		return err
	}
	return tw.Close()
}

// Load reads a docker-save (or OCI layout with manifest.json) archive and
// returns the loaded tags (or IDs of untagged images).
func (s *Store) Load(r io.Reader) ([]string, error) {
	dir, err := s.TempDir()
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	r, err = decompress(r)
	if err != nil {
		return nil, errdefs.InvalidParameterf("load: %v", err)
	}
	if err := extract(dir, r); err != nil {
		return nil, err
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, err
	}
	defer root.Close()
	mj, err := root.ReadFile("manifest.json")
	if err != nil {
		return nil, errdefs.InvalidParameterf("invalid image archive: no manifest.json (is this the output of docker save?)")
	}
	var manifest []manifestEntry
	if err := json.Unmarshal(mj, &manifest); err != nil {
		return nil, errdefs.InvalidParameterf("invalid manifest.json: %v", err)
	}
	var loaded []string
	for _, me := range manifest {
		raw, err := root.ReadFile(path.Clean(me.Config))
		if err != nil {
			return nil, errdefs.InvalidParameterf("invalid image archive: config %s: %v", me.Config, err)
		}
		var cfg dockerspec.DockerOCIImage
		if err := json.Unmarshal(raw, &cfg); err != nil {
			return nil, errdefs.InvalidParameterf("invalid image config %s: %v", me.Config, err)
		}
		if len(cfg.RootFS.DiffIDs) != len(me.Layers) {
			return nil, errdefs.InvalidParameterf("invalid image archive: %d layers listed, config has %d", len(me.Layers), len(cfg.RootFS.DiffIDs))
		}
		for i, l := range me.Layers {
			f, err := root.Open(path.Clean(l))
			if err != nil {
				return nil, errdefs.InvalidParameterf("invalid image archive: layer %s: %v", l, err)
			}
			d, err := s.IngestLayer(f)
			f.Close()
			if err != nil {
				return nil, err
			}
			if d != cfg.RootFS.DiffIDs[i].String() {
				return nil, errdefs.InvalidParameterf("layer %s has diff ID %s, the config says %s", l, d, cfg.RootFS.DiffIDs[i])
			}
		}
		im, err := s.add(raw, "", false)
		if err != nil {
			return nil, err
		}
		if len(me.RepoTags) == 0 {
			loaded = append(loaded, "ID: "+im.ID)
		}
		for _, t := range me.RepoTags {
			if err := s.Tag(im.ID, t); err != nil {
				return nil, err
			}
			loaded = append(loaded, t)
		}
	}
	return loaded, nil
}

// Import creates a one-layer image from a file system tar (docker import).
func (s *Store) Import(r io.Reader, ref string, changes []string, comment string) (*Image, error) {
	diffID, err := s.IngestLayer(r)
	if err != nil {
		return nil, err
	}
	now := time.Now().UTC()
	cfg := dockerspec.DockerOCIImage{Image: ocispec.Image{
		Created:  &now,
		Platform: ocispec.Platform{Architecture: baseArch(), OS: "linux"},
		RootFS:   ocispec.RootFS{Type: "layers", DiffIDs: []digest.Digest{digest.Digest(diffID)}},
		History:  []ocispec.History{{Created: &now, CreatedBy: "", Comment: nonEmpty(comment, "Imported from -")}},
	}}
	if err := ApplyChanges(&cfg.Config, changes); err != nil {
		return nil, err
	}
	raw, _ := json.Marshal(cfg)
	im, err := s.add(raw, "", false)
	if err != nil {
		return nil, err
	}
	if ref != "" {
		if err := s.Tag(im.ID, ref); err != nil {
			return nil, err
		}
	}
	return im, nil
}

// CommitOptions describe docker commit.
type CommitOptions struct {
	Parent    *Image
	Config    dockerspec.DockerOCIImageConfig // the container's effective config
	Changes   []string
	Author    string
	Comment   string
	Ref       string
	CreatedBy string
	// Container is the ID of the committed container, kept in the config
	// as Docker's "container" field (image inspect .Container).
	Container string
}

// Commit adds an image made of the parent's layers plus the diff tar that
// writeDiff produces.
func (s *Store) Commit(writeDiff func(io.Writer) error, o CommitOptions) (*Image, error) {
	pr, pw := io.Pipe()
	go func() { pw.CloseWithError(writeDiff(pw)) }()
	diffID, err := s.IngestLayer(pr)
	pr.Close()
	if err != nil {
		return nil, err
	}
	now := time.Now().UTC()
	cfg := dockerspec.DockerOCIImage{}
	if o.Parent != nil {
		cfg = o.Parent.Config
		cfg.RootFS.DiffIDs = append([]digest.Digest(nil), cfg.RootFS.DiffIDs...)
		cfg.History = append([]ocispec.History(nil), cfg.History...)
	} else {
		cfg.Platform = ocispec.Platform{Architecture: baseArch(), OS: "linux"}
		cfg.RootFS.Type = "layers"
	}
	cfg.Created = &now
	cfg.Author = o.Author
	cfg.Config = o.Config
	if err := ApplyChanges(&cfg.Config, o.Changes); err != nil {
		return nil, err
	}
	cfg.RootFS.DiffIDs = append(cfg.RootFS.DiffIDs, digest.Digest(diffID))
	cfg.History = append(cfg.History, ocispec.History{Created: &now, Author: o.Author, CreatedBy: o.CreatedBy, Comment: o.Comment})
	raw, _ := json.Marshal(cfg)
	if o.Container != "" {
		var m map[string]any
		if json.Unmarshal(raw, &m) == nil {
			m["container"] = o.Container
			raw, _ = json.Marshal(m)
		}
	}
	parent := ""
	if o.Parent != nil {
		parent = o.Parent.ID
	}
	im, err := s.add(raw, parent, false)
	if err != nil {
		return nil, err
	}
	if o.Ref != "" {
		if err := s.Tag(im.ID, o.Ref); err != nil {
			return nil, err
		}
	}
	return im, nil
}

func nonEmpty(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

func baseArch() string {
	return filepath.Base(goarch)
}
