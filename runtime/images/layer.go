package images

import (
	"archive/tar"
	"bufio"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"strings"

	"github.com/sockerless/sockerless/runtime/errdefs"
)

func digestOf(b []byte) string {
	h := sha256.Sum256(b)
	return "sha256:" + hex.EncodeToString(h[:])
}

// decompress returns r, gunzipped when it starts with the gzip magic.
func decompress(r io.Reader) (io.Reader, error) {
	br := bufio.NewReader(r)
	if magic, err := br.Peek(2); err == nil && magic[0] == 0x1f && magic[1] == 0x8b {
		return gzip.NewReader(br)
	}
	return br, nil
}

// IngestLayer stores a layer tar (optionally gzipped) and returns its diff
// ID. Hostile entries cannot leave the layer directory: extraction goes
// through an os.Root.
func (s *Store) IngestLayer(r io.Reader) (string, error) {
	r, err := decompress(r)
	if err != nil {
		return "", errdefs.InvalidParameterf("layer: %v", err)
	}
	tmp, err := os.CreateTemp(s.root+"/tmp", "layer")
	if err != nil {
		return "", err
	}
	defer os.Remove(tmp.Name())
	defer tmp.Close()
	h := sha256.New()
	if _, err := io.Copy(io.MultiWriter(tmp, h), r); err != nil {
		return "", errdefs.InvalidParameterf("reading layer: %v", err)
	}
	diffID := "sha256:" + hex.EncodeToString(h.Sum(nil))
	if _, err := os.Stat(s.LayerDir(diffID)); err == nil {
		return diffID, nil
	}
	dir, err := s.TempDir()
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(dir)
	if _, err := tmp.Seek(0, 0); err != nil {
		return "", err
	}
	if err := extract(dir, tmp); err != nil {
		return "", err
	}
	if err := os.Rename(tmp.Name(), s.LayerTar(diffID)); err != nil {
		return "", err
	}
	if err := os.Rename(dir, s.LayerDir(diffID)); err != nil && !errors.Is(err, fs.ErrExist) {
		return "", err
	}
	return diffID, nil
}

// extract unpacks an uncompressed layer tar into dir, keeping OCI
// whiteout files as they are (the root file system interprets them).
func extract(dir string, r io.Reader) error {
	root, err := os.OpenRoot(dir)
	if err != nil {
		return err
	}
	defer root.Close()
	asRoot := os.Geteuid() == 0
	tr := tar.NewReader(r)
	type dirTime struct {
		rel string
		h   *tar.Header
	}
	var dirs []dirTime
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return errdefs.InvalidParameterf("invalid tar archive: %v", err)
		}
		rel := strings.TrimPrefix(path.Clean("/"+h.Name), "/")
		if rel == "" {
			continue
		}
		if p := path.Dir(rel); p != "." {
			if err := root.MkdirAll(p, 0o755); err != nil {
				return errdefs.InvalidParameterf("archive entry %q: %v", h.Name, err)
			}
		}
		mode := fs.FileMode(h.Mode).Perm() | modeBits(h.Mode)
		switch h.Typeflag {
		case tar.TypeDir:
			if fi, err := root.Lstat(rel); err == nil && !fi.IsDir() {
				root.Remove(rel)
			}
			if err := root.Mkdir(rel, 0o700); err != nil && !errors.Is(err, fs.ErrExist) {
				return errdefs.InvalidParameterf("archive entry %q: %v", h.Name, err)
			}
			dirs = append(dirs, dirTime{rel, h})
		case tar.TypeReg, tar.TypeRegA:
			root.RemoveAll(rel)
			f, err := root.OpenFile(rel, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
			if err != nil {
				return errdefs.InvalidParameterf("archive entry %q: %v", h.Name, err)
			}
			_, err = io.Copy(f, tr)
			f.Close()
			if err != nil {
				return errdefs.InvalidParameterf("archive entry %q: %v", h.Name, err)
			}
		case tar.TypeSymlink:
			root.RemoveAll(rel)
			if err := root.Symlink(h.Linkname, rel); err != nil {
				return errdefs.InvalidParameterf("archive entry %q: %v", h.Name, err)
			}
		case tar.TypeLink:
			target := strings.TrimPrefix(path.Clean("/"+h.Linkname), "/")
			root.RemoveAll(rel)
			if err := root.Link(target, rel); err != nil {
				return errdefs.InvalidParameterf("archive entry %q: hard link to %q: %v", h.Name, h.Linkname, err)
			}
		default:
			continue // devices, fifos: not materialised
		}
		if asRoot {
			root.Lchown(rel, h.Uid, h.Gid)
		}
		if h.Typeflag != tar.TypeSymlink {
			if h.Typeflag != tar.TypeDir {
				root.Chmod(rel, mode)
				root.Chtimes(rel, h.ModTime, h.ModTime)
			}
		}
	}
	for i := len(dirs) - 1; i >= 0; i-- {
		d := dirs[i]
		root.Chmod(d.rel, fs.FileMode(d.h.Mode).Perm()|modeBits(d.h.Mode))
		root.Chtimes(d.rel, d.h.ModTime, d.h.ModTime)
	}
	return nil
}

func modeBits(m int64) fs.FileMode {
	var r fs.FileMode
	if m&0o4000 != 0 {
		r |= fs.ModeSetuid
	}
	if m&0o2000 != 0 {
		r |= fs.ModeSetgid
	}
	if m&0o1000 != 0 {
		r |= fs.ModeSticky
	}
	return r
}

var errStrict = errors.New("offline-images=strict")

func init() { _ = fmt.Sprint }
