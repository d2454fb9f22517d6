package backend

import (
	"strings"
	"testing"

	"github.com/sockerless/sockerless/runtime/errdefs"
)

func TestPlacePrecedence(t *testing.T) {
	cfg := Config{Default: "sandbox", Escape: "docker", Rules: []Rule{
		{Image: "postgres*", Backend: "docker"},
		{Image: "registry.example/team/*", Backend: "cloud"},
	}}
	r, err := NewRouter(cfg, []string{"docker", "cloud"})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		labels       map[string]string
		image        string
		elf          bool
		want, reason string
	}{
		{nil, "alpine", false, "sandbox", "default"},
		{nil, "alpine", true, "docker", "escape"},
		{nil, "postgres:16", false, "docker", "rule postgres*"},
		{nil, "postgres", false, "docker", "rule postgres*"},
		{nil, "registry.example/team/app:1", false, "cloud", "rule registry.example/team/*"},
		{map[string]string{Label: "cloud"}, "postgres:16", true, "cloud", "label"}, // label beats rule
		{map[string]string{Label: "sandbox"}, "alpine", true, "sandbox", "label"},  // explicit sandbox honoured
		{map[string]string{Label: "docker"}, "alpine", false, "docker", "label"},   // label beats default
		{map[string]string{"other": "x"}, "node:20", true, "docker", "escape"},     // unrelated labels
	} {
		p, err := r.Place(c.labels, c.image, c.elf)
		if err != nil || p.Backend != c.want || p.Reason != c.reason {
			t.Errorf("Place(%v, %s, elf=%v) = %+v, %v; want %s by %s", c.labels, c.image, c.elf, p, err, c.want, c.reason)
		}
	}
	// Rules beat the default.
	r2, _ := NewRouter(Config{Default: "cloud", Rules: cfg.Rules[:1]}, []string{"docker", "cloud"})
	if p, _ := r2.Place(nil, "postgres", false); p.Backend != "docker" {
		t.Errorf("rule vs default: %+v", p)
	}
	if p, _ := r2.Place(nil, "alpine", true); p.Backend != "cloud" || p.Reason != "default" {
		t.Errorf("non-sandbox default keeps ELF: %+v", p)
	}
}

func TestPlaceErrors(t *testing.T) {
	r, _ := NewRouter(Config{}, []string{"docker"})
	_, err := r.Place(nil, "node:20", true)
	if !errdefs.Is(err, errdefs.InvalidParameter) || !strings.Contains(err.Error(), "--escape-backend=docker") {
		t.Errorf("ELF without escape: %v", err)
	}
	_, err = r.Place(map[string]string{Label: "nope"}, "alpine", false)
	if !errdefs.Is(err, errdefs.InvalidParameter) || !strings.Contains(err.Error(), `no backend called "nope" (known: docker, sandbox)`) {
		t.Errorf("unknown label: %v", err)
	}
	if _, err := NewRouter(Config{Escape: "gone"}, []string{"docker"}); err == nil || !strings.Contains(err.Error(), "--escape-backend") {
		t.Errorf("unknown escape: %v", err)
	}
	if _, err := NewRouter(Config{Rules: []Rule{{Image: "[", Backend: "docker"}}}, []string{"docker"}); err == nil {
		t.Error("bad pattern accepted")
	}
}

func TestOptions(t *testing.T) {
	var flags Config
	for _, a := range []string{"docker.host=unix:///run/d.sock", "docker.allow=unix:///run/d.sock,http://h:2375", "x.k=a=b"} {
		if err := flags.SetOption(a); err != nil {
			t.Fatal(err)
		}
	}
	if flags.Options["x"]["k"] != "a=b" || flags.Options["docker"]["host"] != "unix:///run/d.sock" {
		t.Fatalf("options: %v", flags.Options)
	}
	for _, bad := range []string{"docker", "docker=x", ".k=v", "docker.=v"} {
		if err := flags.SetOption(bad); err == nil {
			t.Errorf("SetOption(%q) accepted", bad)
		}
	}
	if err := flags.SetModule("mine=/tmp/a.wasm"); err != nil || flags.Modules["mine"] != "/tmp/a.wasm" {
		t.Fatal(err, flags.Modules)
	}
	for _, bad := range []string{"mine", "=x.wasm", "sandbox=x.wasm", "a.b=x.wasm"} {
		if err := flags.SetModule(bad); err == nil {
			t.Errorf("SetModule(%q) accepted", bad)
		}
	}
	file, err := ParseSection([]byte(`{"default":"sandbox","escape":"docker","rules":[{"image":"pg*","backend":"docker"}],
		"modules":{"other":"/o.wasm"},"docker":{"host":"unix:///file.sock","pull":"never"}}`))
	if err != nil {
		t.Fatal(err)
	}
	m := file.Merge(flags)
	if m.Options["docker"]["host"] != "unix:///run/d.sock" || m.Options["docker"]["pull"] != "never" ||
		m.Escape != "docker" || len(m.Rules) != 1 || m.Modules["other"] != "/o.wasm" || m.Modules["mine"] != "/tmp/a.wasm" {
		t.Fatalf("merge: %+v", m)
	}
	if _, err := ParseSection([]byte(`{"docker":{"host":1}}`)); err == nil {
		t.Error("bad section accepted")
	}
}

func TestPolicy(t *testing.T) {
	cfg := map[string]string{"host": "unix:///run/docker.sock", "api": "https://api.example.com"}
	p, err := newPolicy("docker", []string{"{host}", "{api}", "https://*.amazonaws.com", "{unset}"}, cfg, "", true)
	if err != nil {
		t.Fatal(err)
	}
	ok := []string{"unix:///run/docker.sock", "https://api.example.com:443", "https://ecs.us-east-1.amazonaws.com"}
	bad := []string{"unix:///var/run/docker.sock", "http://api.example.com", "https://amazonaws.com", "https://evil.com", "tcp://127.0.0.1:2375"}
	for _, s := range ok {
		e, err := parseEndpoint(s)
		if err != nil || p.check(e) != nil {
			t.Errorf("%s denied: %v %v", s, err, p.check(e))
		}
	}
	for _, s := range bad {
		e, _ := parseEndpoint(s)
		if err := p.check(e); err == nil || !strings.Contains(err.Error(), "not an endpoint this adapter declared") {
			t.Errorf("%s: %v", s, err)
		}
	}
	// The operator narrows.
	p, _ = newPolicy("docker", []string{"{host}"}, cfg, "unix:///other.sock", true)
	e, _ := parseEndpoint("unix:///run/docker.sock")
	if err := p.check(e); err == nil || !strings.Contains(err.Error(), "--backend-opt docker.allow=unix:///run/docker.sock") {
		t.Errorf("operator deny: %v", err)
	}
	// A user-loaded module reaches nothing until allowed.
	p, _ = newPolicy("mine", []string{"{host}"}, cfg, "", false)
	if err := p.check(e); err == nil || !strings.Contains(err.Error(), "not allowed by the operator") {
		t.Errorf("loaded module: %v", err)
	}
	p, _ = newPolicy("mine", []string{"{host}"}, cfg, "unix:///run/docker.sock", false)
	if err := p.check(e); err != nil {
		t.Errorf("loaded module, allowed: %v", err)
	}
	for _, s := range []string{"unix://rel.sock", "ftp://x", "nohost"} {
		if _, err := parseEndpoint(s); err == nil {
			t.Errorf("parseEndpoint(%q) accepted", s)
		}
	}
	e, uri, err := splitURL("unix:///run/d.sock:/v1.41/containers/json?all=1")
	if err != nil || e.unix != "/run/d.sock" || uri != "/v1.41/containers/json?all=1" {
		t.Errorf("splitURL: %+v %q %v", e, uri, err)
	}
}
