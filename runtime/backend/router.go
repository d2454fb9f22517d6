package backend

import (
	"path"
	"sort"
	"strings"

	"github.com/sockerless/sockerless/runtime/errdefs"
)

// Rule places images whose reference matches Image (a path.Match
// pattern, tried against the reference as given and with ":latest" added
// when it has no tag) on Backend.
type Rule struct {
	Image   string `json:"image"`
	Backend string `json:"backend"`
}

// Router places a new container on a backend.
type Router struct {
	cfg   Config
	names []string // sorted, with the sandbox
}

// NewRouter checks that every backend the config names is one of names
// (the loaded backends, Host.Names(); the sandbox is always known).
func NewRouter(c Config, names []string) (*Router, error) {
	all := append([]string{Sandbox}, names...)
	sort.Strings(all)
	r := &Router{cfg: c, names: compact(all)}
	known := r.known
	check := func(what, n string) error {
		if n != "" && !known(n) {
			return errdefs.InvalidParameterf("%s: no backend called %q", what, n)
		}
		return nil
	}
	if err := check("--default-backend", c.Default); err != nil {
		return nil, err
	}
	if err := check("--escape-backend", c.Escape); err != nil {
		return nil, err
	}
	for _, r := range c.Rules {
		if _, err := path.Match(r.Image, ""); err != nil {
			return nil, errdefs.InvalidParameterf("backend rule %q: bad pattern: %v", r.Image, err)
		}
		if err := check("backend rule "+r.Image, r.Backend); err != nil {
			return nil, err
		}
	}
	return r, nil
}

func (r *Router) known(n string) bool {
	i := sort.SearchStrings(r.names, n)
	return i < len(r.names) && r.names[i] == n
}

// Placement is where a container goes and why (for logs and inspect).
type Placement struct {
	Backend string
	Reason  string // "label", "rule <pattern>", "default", "escape"
}

// Place decides a new container's backend, in this order: the label
// io.sockerless.backend; the first image rule that matches; the default
// backend. When that leaves it in the sandbox by default (no label or
// rule chose the sandbox) and its entrypoint is a Linux program
// (entrypointELF), it goes to the escape backend, or is refused with an
// error saying how to configure one. An explicit choice of the sandbox is
// honoured: the program then fails at start with the sandbox's own error.
func (r *Router) Place(labels map[string]string, image string, entrypointELF bool) (Placement, error) {
	if n, ok := labels[Label]; ok {
		n = strings.TrimSpace(n)
		if !r.known(n) {
			return Placement{}, errdefs.InvalidParameterf("label %s=%s: no backend called %q (known: %s)", Label, n, n, strings.Join(r.names, ", "))
		}
		return Placement{Backend: n, Reason: "label"}, nil
	}
	for _, rule := range r.cfg.Rules {
		if matchImage(rule.Image, image) {
			return Placement{Backend: rule.Backend, Reason: "rule " + rule.Image}, nil
		}
	}
	p := Placement{Backend: r.cfg.Default, Reason: "default"}
	if p.Backend == "" {
		p.Backend = Sandbox
	}
	if p.Backend == Sandbox && entrypointELF {
		if r.cfg.Escape == "" {
			return Placement{}, errdefs.InvalidParameterf("image %s runs a Linux program, which the sandbox cannot run: start the daemon with --escape-backend=docker (or another backend) to run such containers there, or pick a backend per container with --label %s=<backend>", image, Label)
		}
		return Placement{Backend: r.cfg.Escape, Reason: "escape"}, nil
	}
	return p, nil
}

func compact(s []string) []string {
	var out []string
	for i, v := range s {
		if i == 0 || v != s[i-1] {
			out = append(out, v)
		}
	}
	return out
}

func matchImage(pattern, ref string) bool {
	if ok, _ := path.Match(pattern, ref); ok {
		return true
	}
	last := ref[strings.LastIndex(ref, "/")+1:]
	if !strings.ContainsAny(last, ":@") {
		ok, _ := path.Match(pattern, ref+":latest")
		return ok
	}
	return false
}
