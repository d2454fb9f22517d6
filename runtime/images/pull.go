package images

import (
	"encoding/json"
	"github.com/distribution/reference"
	"io"
	"strings"

	"github.com/sockerless/sockerless/runtime/errdefs"
)

// Progress is one line of pull/load progress (moby's jsonmessage shape).
type Progress struct {
	Status   string `json:"status,omitempty"`
	ID       string `json:"id,omitempty"`
	Stream   string `json:"stream,omitempty"`
	Progress string `json:"progress,omitempty"`
}

// Pull makes ref available locally. No registry is reachable from this
// store: an image already present is reported up to date; otherwise the
// sandbox base image is tagged as ref and the progress says so, or with
// Strict the pull is refused.
func (s *Store) Pull(ref string, out io.Writer) (*Image, error) {
	norm, err := Normalize(ref)
	if err != nil {
		return nil, err
	}
	fam := Familiar(norm)
	enc := json.NewEncoder(out)
	repo, tag := fam, "latest"
	if i := strings.LastIndex(fam, ":"); i > strings.LastIndex(fam, "/") {
		repo, tag = fam[:i], fam[i+1:]
	}
	if n, err := reference.ParseNormalizedNamed(norm); err == nil {
		repo = reference.Path(n)
	}
	if im, err := s.Get(norm); err == nil {
		enc.Encode(Progress{Status: "Pulling from " + repo, ID: tag})
		enc.Encode(Progress{Status: "Status: Image is up to date for " + fam})
		return im, nil
	}
	if s.Strict {
		return nil, errdefs.NotFoundf("pull access denied for %s: no registry is reachable and --offline-images=strict forbids serving the sandbox base image", repo)
	}
	if s.BaseID() == "" {
		if err := s.ensureBase(); err != nil {
			return nil, err
		}
	}
	enc.Encode(Progress{Status: "Pulling from " + repo, ID: tag})
	enc.Encode(Progress{Status: "sockerless: no registry is reachable; using the sandbox base image (sh + Go builtins) as " + fam, ID: tag})
	im, err := s.Get(s.BaseID())
	if err != nil {
		return nil, err
	}
	if err := s.Tag(im.ID, norm); err != nil {
		return nil, err
	}
	enc.Encode(Progress{Status: "Digest: " + im.ID})
	enc.Encode(Progress{Status: "Status: Downloaded newer image for " + fam})
	return im, nil
}
