// Package images is the local image store: image configs and layers
// (each an extracted host directory plus its uncompressed tar, addressed by
// diff ID) under the data root, tags in the state store, and the sandbox
// base image that stands in for any image no registry can provide.
//
// It must not reach the network: pulls from real registries belong to
// another component; here a pull of an unknown image yields the base image
// under the requested name and says so in its progress output (or refuses
// with Strict).
package images

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/distribution/reference"
	dockerspec "github.com/moby/docker-image-spec/specs-go/v1"

	"github.com/sockerless/sockerless/runtime/errdefs"
	"github.com/sockerless/sockerless/runtime/store"
)

const (
	bucketImages = "images"
	bucketTags   = "tags"
)

// Buckets are the state store buckets this package uses.
var Buckets = []string{bucketImages, bucketTags}

// Image is one local image.
type Image struct {
	ID      string // "sha256:<hex>" of the config JSON
	Config  dockerspec.DockerOCIImage
	Raw     []byte   `json:"-"` // the config JSON as stored
	Tags    []string // normalized references (docker.io/library/alpine:latest)
	Size    int64    // sum of layer tar sizes
	Parent  string
	Base    bool // the sandbox base image
	Created time.Time
}

// DiffIDs are the image's layers, bottom first.
func (im *Image) DiffIDs() []string {
	r := make([]string, len(im.Config.RootFS.DiffIDs))
	for i, d := range im.Config.RootFS.DiffIDs {
		r[i] = d.String()
	}
	return r
}

// RepoTags are the tags in familiar form (alpine:latest).
func (im *Image) RepoTags() []string {
	r := []string{}
	for _, t := range im.Tags {
		r = append(r, Familiar(t))
	}
	sort.Strings(r)
	return r
}

// Store holds the local images.
type Store struct {
	root   string // <data-root>/image
	st     *store.Store
	Strict bool // refuse pulls instead of serving the base image
	// LayersInUse reports the layers that containers still use (a
	// container keeps its layers after its image is deleted with force, as
	// in Docker). It is called without the store's lock held.
	LayersInUse func() map[string]bool

	mu     sync.RWMutex
	images map[string]*Image // by ID
	tags   map[string]string // normalized ref -> ID
	baseID string
}

// Open loads the image records and makes sure the base image exists.
func Open(root string, st *store.Store) (*Store, error) {
	s := &Store{root: root, st: st, images: map[string]*Image{}, tags: map[string]string{}}
	for _, d := range []string{"layers", "configs", "tmp"} {
		if err := os.MkdirAll(filepath.Join(root, d), 0o700); err != nil {
			return nil, err
		}
	}
	os.RemoveAll(filepath.Join(root, "tmp"))
	os.MkdirAll(filepath.Join(root, "tmp"), 0o700)
	err := st.ForEach(bucketImages, func(k string, raw []byte) error {
		var im Image
		if err := json.Unmarshal(raw, &im); err != nil {
			return nil // a damaged record is skipped, not fatal
		}
		im.Raw, _ = os.ReadFile(s.configPath(im.ID))
		im.Tags = nil
		s.images[im.ID] = &im
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = st.ForEach(bucketTags, func(k string, raw []byte) error {
		var id string
		if json.Unmarshal(raw, &id) == nil {
			if im := s.images[id]; im != nil {
				s.tags[k] = id
				im.Tags = append(im.Tags, k)
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if err := s.ensureBase(); err != nil {
		return nil, fmt.Errorf("sandbox base image: %w", err)
	}
	return s, nil
}

func (s *Store) configPath(id string) string {
	return filepath.Join(s.root, "configs", strings.TrimPrefix(id, "sha256:")+".json")
}

// LayerDir is the extracted directory of a layer.
func (s *Store) LayerDir(diffID string) string {
	return filepath.Join(s.root, "layers", strings.TrimPrefix(diffID, "sha256:"))
}

// LayerTar is the uncompressed tar of a layer.
func (s *Store) LayerTar(diffID string) string {
	return s.LayerDir(diffID) + ".tar"
}

// TempDir returns a fresh scratch directory under the image root.
func (s *Store) TempDir() (string, error) {
	return os.MkdirTemp(filepath.Join(s.root, "tmp"), "t")
}

// Normalize turns a user reference into its canonical tagged form.
func Normalize(ref string) (string, error) {
	n, err := reference.ParseNormalizedNamed(ref)
	if err != nil {
		return "", errdefs.InvalidParameterf("invalid reference format: %s", strings.TrimPrefix(err.Error(), "invalid reference format: "))
	}
	n = reference.TagNameOnly(n)
	return n.String(), nil
}

// Familiar is the short form of a normalized reference.
func Familiar(ref string) string {
	n, err := reference.ParseNormalizedNamed(ref)
	if err != nil {
		return ref
	}
	return reference.FamiliarString(n)
}

func isHex(s string) bool {
	_, err := hex.DecodeString(s)
	return err == nil || (len(s)%2 == 1 && func() bool { _, e := hex.DecodeString(s + "0"); return e == nil }())
}

// Get finds an image by reference, full ID or unique ID prefix.
func (s *Store) Get(name string) (*Image, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.getLocked(name)
}

func (s *Store) getLocked(name string) (*Image, error) {
	if name == "" {
		return nil, errdefs.NotFoundf("No such image: %s", name)
	}
	id := strings.TrimPrefix(name, "sha256:")
	if len(id) == 64 && isHex(id) {
		if im := s.images["sha256:"+id]; im != nil {
			return im, nil
		}
	}
	if ref, err := Normalize(name); err == nil {
		if id, ok := s.tags[ref]; ok {
			return s.images[id], nil
		}
	}
	if len(id) >= 4 && len(id) < 64 && isHex(id) {
		var found *Image
		for k, im := range s.images {
			if strings.HasPrefix(strings.TrimPrefix(k, "sha256:"), id) {
				if found != nil && found != im {
					return nil, errdefs.NotFoundf("No such image: %s (ambiguous id prefix)", name)
				}
				found = im
			}
		}
		if found != nil {
			return found, nil
		}
	}
	display := name
	if ref, err := Normalize(name); err == nil {
		display = Familiar(ref)
	}
	return nil, errdefs.NotFoundf("No such image: %s", display)
}

// List returns every image.
func (s *Store) List() []*Image {
	s.mu.RLock()
	defer s.mu.RUnlock()
	r := make([]*Image, 0, len(s.images))
	for _, im := range s.images {
		if im.Base && len(im.Tags) == 0 {
			continue // the stand-in for missing images shows under the names it serves
		}
		r = append(r, im)
	}
	sort.Slice(r, func(i, j int) bool { return r[i].Created.After(r[j].Created) })
	return r
}

// Tag points ref at image id.
func (s *Store) Tag(id, ref string) error {
	norm, err := Normalize(ref)
	if err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	im := s.images[id]
	if im == nil {
		return errdefs.NotFoundf("No such image: %s", id)
	}
	return s.tagLocked(im, norm)
}

func (s *Store) tagLocked(im *Image, norm string) error {
	if old, ok := s.tags[norm]; ok {
		if old == im.ID {
			return nil
		}
		if o := s.images[old]; o != nil {
			o.Tags = remove(o.Tags, norm)
		}
	}
	if err := s.st.Put(bucketTags, norm, im.ID); err != nil {
		return err
	}
	s.tags[norm] = im.ID
	im.Tags = append(im.Tags, norm)
	return nil
}

// Untag removes ref; it returns the image it pointed at.
func (s *Store) Untag(ref string) (*Image, error) {
	norm, err := Normalize(ref)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	id, ok := s.tags[norm]
	if !ok {
		return nil, errdefs.NotFoundf("No such image: %s", ref)
	}
	if err := s.st.Delete(bucketTags, norm); err != nil {
		return nil, err
	}
	delete(s.tags, norm)
	im := s.images[id]
	im.Tags = remove(im.Tags, norm)
	return im, nil
}

func remove(l []string, x string) []string {
	r := l[:0]
	for _, v := range l {
		if v != x {
			r = append(r, v)
		}
	}
	return r
}

// Delete removes an image, its tags and the layers that no other image and
// no container uses.
func (s *Store) Delete(id string) error {
	inUse := s.layersInUse()
	s.mu.Lock()
	defer s.mu.Unlock()
	im := s.images[id]
	if im == nil {
		return errdefs.NotFoundf("No such image: %s", id)
	}
	for _, t := range im.Tags {
		s.st.Delete(bucketTags, t)
		delete(s.tags, t)
	}
	if err := s.st.Delete(bucketImages, id); err != nil {
		return err
	}
	delete(s.images, id)
	if id == s.baseID {
		s.baseID = ""
	}
	s.dropLayersLocked(im.DiffIDs(), inUse)
	os.Remove(s.configPath(id))
	return nil
}

// ReleaseLayers removes those of layers that no image and no container
// uses any more: a container calls it when it is removed.
func (s *Store) ReleaseLayers(layers []string) {
	inUse := s.layersInUse()
	s.mu.Lock()
	defer s.mu.Unlock()
	s.dropLayersLocked(layers, inUse)
}

func (s *Store) layersInUse() map[string]bool {
	if s.LayersInUse == nil {
		return nil
	}
	return s.LayersInUse()
}

func (s *Store) dropLayersLocked(layers []string, inUse map[string]bool) {
	used := map[string]bool{}
	for _, o := range s.images {
		for _, d := range o.DiffIDs() {
			used[d] = true
		}
	}
	for _, d := range layers {
		if !used[d] && !inUse[d] {
			os.RemoveAll(s.LayerDir(d))
			os.Remove(s.LayerTar(d))
		}
	}
}

// Children lists images whose parent is id.
func (s *Store) Children(id string) []*Image {
	s.mu.RLock()
	defer s.mu.RUnlock()
	var r []*Image
	for _, im := range s.images {
		if im.Parent == id {
			r = append(r, im)
		}
	}
	return r
}

// add registers an image from its config JSON; layers must be in place.
func (s *Store) add(raw []byte, parent string, base bool) (*Image, error) {
	var cfg dockerspec.DockerOCIImage
	if err := json.Unmarshal(raw, &cfg); err != nil {
		return nil, errdefs.InvalidParameterf("invalid image config: %v", err)
	}
	id := digestOf(raw)
	s.mu.Lock()
	defer s.mu.Unlock()
	if im := s.images[id]; im != nil {
		return im, nil
	}
	im := &Image{ID: id, Config: cfg, Raw: raw, Parent: parent, Base: base, Created: time.Now()}
	if cfg.Created != nil {
		im.Created = *cfg.Created
	}
	for _, d := range im.DiffIDs() {
		fi, err := os.Stat(s.LayerTar(d))
		if err != nil {
			return nil, fmt.Errorf("layer %s missing: %w", d, err)
		}
		im.Size += fi.Size()
	}
	if err := os.WriteFile(s.configPath(id), raw, 0o600); err != nil {
		return nil, err
	}
	if err := s.st.Put(bucketImages, id, im); err != nil {
		return nil, err
	}
	s.images[id] = im
	if base {
		s.baseID = id
	}
	return im, nil
}

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}
