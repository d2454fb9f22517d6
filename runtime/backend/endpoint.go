package backend

import (
	"fmt"
	"net"
	"net/url"
	"strings"
)

// endpoint is a normalised place an adapter may connect to: a unix socket
// path, or a scheme (http/https) with host:port.
type endpoint struct {
	unix   string // socket path
	scheme string // http or https
	host   string // hostname, lower case; may start with "*."
	port   string
}

func (e endpoint) String() string {
	if e.unix != "" {
		return "unix://" + e.unix
	}
	return e.scheme + "://" + net.JoinHostPort(e.host, e.port)
}

// parseEndpoint reads unix:///path, tcp://host:port (as http), http(s)://host[:port].
func parseEndpoint(s string) (endpoint, error) {
	s = strings.TrimSpace(s)
	if p, ok := strings.CutPrefix(s, "unix://"); ok {
		if !strings.HasPrefix(p, "/") {
			return endpoint{}, fmt.Errorf("endpoint %q: a unix socket needs an absolute path (unix:///run/x.sock)", s)
		}
		return endpoint{unix: p}, nil
	}
	u, err := url.Parse(s)
	if err != nil || u.Host == "" {
		return endpoint{}, fmt.Errorf("endpoint %q: want unix:///path, tcp://host:port, http://host[:port] or https://host[:port]", s)
	}
	e := endpoint{scheme: u.Scheme, host: strings.ToLower(u.Hostname()), port: u.Port()}
	switch e.scheme {
	case "tcp", "http":
		e.scheme = "http"
		if e.port == "" {
			e.port = "80"
		}
	case "https":
		if e.port == "" {
			e.port = "443"
		}
	default:
		return endpoint{}, fmt.Errorf("endpoint %q: unknown scheme %q (want unix, tcp, http or https)", s, u.Scheme)
	}
	return e, nil
}

// splitURL splits a request URL of the wire format into its endpoint and
// request URI: "unix:///run/d.sock:/v1.41/_ping" or "http://h:1/x?y".
func splitURL(raw string) (endpoint, string, error) {
	if p, ok := strings.CutPrefix(raw, "unix://"); ok {
		i := strings.Index(p, ":/")
		if i < 0 {
			return endpoint{}, "", fmt.Errorf("url %q: want unix:///socket/path:/request/uri", raw)
		}
		e, err := parseEndpoint("unix://" + p[:i])
		return e, p[i+1:], err
	}
	u, err := url.Parse(raw)
	if err != nil {
		return endpoint{}, "", fmt.Errorf("url %q: %v", raw, err)
	}
	e, err := parseEndpoint(u.Scheme + "://" + u.Host)
	if err != nil {
		return endpoint{}, "", err
	}
	uri := u.RequestURI()
	return e, uri, nil
}

// matches reports whether pattern p admits endpoint e.
func (p endpoint) matches(e endpoint) bool {
	if p.unix != "" || e.unix != "" {
		return p.unix == e.unix
	}
	if p.scheme != e.scheme || p.port != e.port {
		return false
	}
	if suf, ok := strings.CutPrefix(p.host, "*."); ok {
		return strings.HasSuffix(e.host, "."+suf)
	}
	return p.host == e.host
}

// policy is the intersection of what an adapter's manifest names and what
// the operator allows.
type policy struct {
	backend  string
	manifest []endpoint
	operator []endpoint // nil: the operator allows what the manifest names
	explicit bool       // the operator gave <backend>.allow
}

func (p *policy) check(e endpoint) error {
	in := func(list []endpoint) bool {
		for _, x := range list {
			if x.matches(e) {
				return true
			}
		}
		return false
	}
	if !in(p.manifest) {
		return fmt.Errorf("%s backend: %s is not an endpoint this adapter declared (its manifest allows: %s)", p.backend, e, list(p.manifest))
	}
	if p.explicit && !in(p.operator) {
		return fmt.Errorf("%s backend: %s is not allowed by the operator (allowed: %s); add it with --backend-opt %s.allow=%s", p.backend, e, list(p.operator), p.backend, e)
	}
	return nil
}

func list(es []endpoint) string {
	if len(es) == 0 {
		return "nothing"
	}
	var b []string
	for _, e := range es {
		b = append(b, e.String())
	}
	return strings.Join(b, ", ")
}

// newPolicy expands the manifest's endpoints ("{key}" is the value of
// config key) and reads the operator's allow list. A user-loaded adapter
// gets no network at all unless the operator gave an allow list.
func newPolicy(backend string, manifest []string, config map[string]string, allow string, builtin bool) (*policy, error) {
	p := &policy{backend: backend}
	for _, m := range manifest {
		if k, ok := strings.CutPrefix(m, "{"); ok {
			k = strings.TrimSuffix(k, "}")
			v := config[k]
			if v == "" {
				continue
			}
			m = v
		}
		e, err := parseEndpoint(m)
		if err != nil {
			return nil, fmt.Errorf("%s backend: manifest: %w", backend, err)
		}
		p.manifest = append(p.manifest, e)
	}
	if allow != "" {
		p.explicit = true
		for _, a := range strings.Split(allow, ",") {
			if strings.TrimSpace(a) == "" {
				continue
			}
			e, err := parseEndpoint(a)
			if err != nil {
				return nil, fmt.Errorf("--backend-opt %s.allow: %w", backend, err)
			}
			p.operator = append(p.operator, e)
		}
	} else if !builtin {
		p.explicit = true // nothing allowed until the operator says so
	}
	return p, nil
}
