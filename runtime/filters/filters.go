// Package filters decodes the Docker API's "filters" query parameter
// ({"key":{"value":true}} or the legacy {"key":["value"]}) and matches
// values against it. It knows nothing of the resources being filtered.
package filters

import (
	"encoding/json"
	"path"
	"sort"
	"strings"

	"github.com/sockerless/sockerless/runtime/errdefs"
)

// Args maps a filter key to its accepted values.
type Args map[string]map[string]bool

// Parse decodes the filters parameter; "" gives empty Args.
func Parse(s string) (Args, error) {
	a := Args{}
	if s == "" {
		return a, nil
	}
	if err := json.Unmarshal([]byte(s), &a); err == nil {
		return a, nil
	}
	var legacy map[string][]string
	if err := json.Unmarshal([]byte(s), &legacy); err != nil {
		return nil, errdefs.InvalidParameterf("invalid filter: %v", err)
	}
	for k, vs := range legacy {
		for _, v := range vs {
			a.Add(k, v)
		}
	}
	return a, nil
}

// Add accepts value v for key k.
func (a Args) Add(k, v string) {
	if a[k] == nil {
		a[k] = map[string]bool{}
	}
	a[k][v] = true
}

// Has reports whether key k is filtered on.
func (a Args) Has(k string) bool { return len(a[k]) > 0 }

// Get returns the values of key k, sorted.
func (a Args) Get(k string) []string {
	var r []string
	for v := range a[k] {
		r = append(r, v)
	}
	sort.Strings(r)
	return r
}

// Validate fails for keys not in allowed, with Docker's wording.
func (a Args) Validate(allowed ...string) error {
	for k := range a {
		ok := false
		for _, x := range allowed {
			if k == x {
				ok = true
			}
		}
		if !ok {
			return errdefs.InvalidParameterf("invalid filter '%s'", k)
		}
	}
	return nil
}

// Exact reports whether v is one of key k's values (true if k is absent).
func (a Args) Exact(k, v string) bool {
	if !a.Has(k) {
		return true
	}
	return a[k][v]
}

// Any reports whether some of vs is one of key k's values (true if k absent).
func (a Args) Any(k string, vs ...string) bool {
	if !a.Has(k) {
		return true
	}
	for _, v := range vs {
		if a[k][v] {
			return true
		}
	}
	return false
}

// Prefix reports whether v starts with one of key k's values.
func (a Args) Prefix(k, v string) bool {
	if !a.Has(k) {
		return true
	}
	for f := range a[k] {
		if strings.HasPrefix(v, f) {
			return true
		}
	}
	return false
}

// Substring reports whether v contains one of key k's values (Docker's
// name filter is a regexp; plain substrings and ^…$ anchors cover its use).
func (a Args) Substring(k, v string) bool {
	if !a.Has(k) {
		return true
	}
	for f := range a[k] {
		if matchRegexpish(f, v) {
			return true
		}
	}
	return false
}

func matchRegexpish(f, v string) bool {
	anchorStart := strings.HasPrefix(f, "^")
	anchorEnd := strings.HasSuffix(f, "$")
	f = strings.TrimSuffix(strings.TrimPrefix(f, "^"), "$")
	switch {
	case anchorStart && anchorEnd:
		return v == f || strings.TrimPrefix(v, "/") == f
	case anchorStart:
		return strings.HasPrefix(v, f) || strings.HasPrefix(strings.TrimPrefix(v, "/"), f)
	case anchorEnd:
		return strings.HasSuffix(v, f)
	}
	return strings.Contains(v, f)
}

// Labels reports whether labels satisfy every "label" filter of key k
// ("key" or "key=value"); all must match, as Docker does.
func (a Args) Labels(k string, labels map[string]string) bool {
	for f := range a[k] {
		key, val, hasVal := strings.Cut(f, "=")
		got, ok := labels[key]
		if !ok || (hasVal && got != val) {
			return false
		}
	}
	return true
}

// Glob reports whether v matches one of key k's values as a shell pattern
// (used by the image reference filter).
func (a Args) Glob(k string, vs ...string) bool {
	if !a.Has(k) {
		return true
	}
	for f := range a[k] {
		for _, v := range vs {
			if ok, _ := path.Match(f, v); ok {
				return true
			}
		}
	}
	return false
}
