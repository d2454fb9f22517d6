// Package volumes keeps named volumes: a directory under the data root per
// volume (<root>/<name>/_data) and its record in the state store. It knows
// nothing of containers; the runtime asks who uses a volume.
package volumes

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"sync"
	"time"

	"github.com/moby/moby/api/types/volume"

	"github.com/sockerless/sockerless/runtime/errdefs"
	"github.com/sockerless/sockerless/runtime/store"
)

const bucket = "volumes"

// Buckets are the state store buckets this package uses.
var Buckets = []string{bucket}

var validName = regexp.MustCompile(`^[a-zA-Z0-9][a-zA-Z0-9_.-]+$`)

// Store holds the volumes.
type Store struct {
	root string
	st   *store.Store
	mu   sync.Mutex
	vols map[string]*volume.Volume
}

// Open loads the volume records.
func Open(root string, st *store.Store) (*Store, error) {
	if err := os.MkdirAll(root, 0o700); err != nil {
		return nil, err
	}
	s := &Store{root: root, st: st, vols: map[string]*volume.Volume{}}
	err := st.ForEach(bucket, func(k string, raw []byte) error {
		var v volume.Volume
		if json.Unmarshal(raw, &v) == nil {
			s.vols[k] = &v
		}
		return nil
	})
	return s, err
}

// Create makes a volume; an empty name makes an anonymous one. Creating
// an existing volume returns it (as Docker does).
func (s *Store) Create(name string, labels, opts map[string]string, driver string) (*volume.Volume, bool, error) {
	if driver != "" && driver != "local" {
		return nil, false, errdefs.NotFoundf("error looking up volume plugin %s: plugin %q not found", driver, driver)
	}
	if name == "" {
		b := make([]byte, 32)
		rand.Read(b)
		name = hex.EncodeToString(b)
	} else if !validName.MatchString(name) {
		return nil, false, errdefs.InvalidParameterf("create %s: %q includes invalid characters for a local volume name, only \"[a-zA-Z0-9][a-zA-Z0-9_.-]\" are allowed. If you intended to pass a host directory, use absolute path", name, name)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if v, ok := s.vols[name]; ok {
		return v, false, nil
	}
	dir := filepath.Join(s.root, name, "_data")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, false, err
	}
	// Docker reports no labels or options as null.
	if len(labels) == 0 {
		labels = nil
	}
	if len(opts) == 0 {
		opts = nil
	}
	v := &volume.Volume{Name: name, Driver: "local", Mountpoint: dir, Labels: labels, Options: opts, Scope: "local",
		CreatedAt: time.Now().UTC().Format(time.RFC3339)}
	if err := s.st.Put(bucket, name, v); err != nil {
		os.RemoveAll(filepath.Join(s.root, name))
		return nil, false, err
	}
	s.vols[name] = v
	return v, true, nil
}

// Get returns a volume by name.
func (s *Store) Get(name string) (*volume.Volume, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if v, ok := s.vols[name]; ok {
		return v, nil
	}
	return nil, errdefs.NotFoundf("get %s: no such volume", name)
}

// List returns every volume by name.
func (s *Store) List() []*volume.Volume {
	s.mu.Lock()
	defer s.mu.Unlock()
	r := make([]*volume.Volume, 0, len(s.vols))
	for _, v := range s.vols {
		r = append(r, v)
	}
	sort.Slice(r, func(i, j int) bool { return r[i].Name < r[j].Name })
	return r
}

// Remove deletes a volume and its data. The caller checks it is unused.
func (s *Store) Remove(name string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.vols[name]; !ok {
		return errdefs.NotFoundf("get %s: no such volume", name)
	}
	if err := s.st.Delete(bucket, name); err != nil {
		return err
	}
	delete(s.vols, name)
	return os.RemoveAll(filepath.Join(s.root, name))
}

// Size is the disk usage of a volume's data.
func (s *Store) Size(name string) int64 {
	var n int64
	filepath.WalkDir(filepath.Join(s.root, name, "_data"), func(p string, d os.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() {
			if fi, err := d.Info(); err == nil {
				n += fi.Size()
			}
		}
		return nil
	})
	return n
}
