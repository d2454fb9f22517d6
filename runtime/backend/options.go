package backend

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"strings"

	"github.com/sockerless/sockerless/runtime/errdefs"
)

// Config is everything the daemon's flags and config file say about
// backends.
type Config struct {
	// Options: backend name → key → value (--backend-opt name.key=value).
	Options map[string]map[string]string `json:"options,omitempty"`
	// Modules: backend name → path of a user-supplied adapter
	// (--backend-module name=path.wasm).
	Modules map[string]string `json:"modules,omitempty"`
	// Default is --default-backend (empty: the sandbox).
	Default string `json:"default,omitempty"`
	// Escape is --escape-backend: where containers whose entrypoint is a
	// Linux program go (empty: they are refused with advice).
	Escape string `json:"escape,omitempty"`
	// Rules place images on backends, first match wins (daemon config only).
	Rules []Rule `json:"rules,omitempty"`
}

// SetOption parses one --backend-opt value, "<backend>.<key>=<value>".
func (c *Config) SetOption(arg string) error {
	kv, v, ok := strings.Cut(arg, "=")
	name, key, ok2 := strings.Cut(kv, ".")
	if !ok || !ok2 || name == "" || key == "" {
		return errdefs.InvalidParameterf("--backend-opt %q: want <backend>.<key>=<value>, e.g. docker.host=unix:///var/run/docker.sock", arg)
	}
	if c.Options == nil {
		c.Options = map[string]map[string]string{}
	}
	if c.Options[name] == nil {
		c.Options[name] = map[string]string{}
	}
	c.Options[name][key] = v
	return nil
}

// SetModule parses one --backend-module value, "<name>=<path.wasm>".
func (c *Config) SetModule(arg string) error {
	name, path, ok := strings.Cut(arg, "=")
	if !ok || name == "" || path == "" {
		return errdefs.InvalidParameterf("--backend-module %q: want <name>=<path/to/adapter.wasm>", arg)
	}
	if name == Sandbox || strings.ContainsAny(name, ". /") {
		return errdefs.InvalidParameterf("--backend-module %q: %q cannot name a backend", arg, name)
	}
	if c.Modules == nil {
		c.Modules = map[string]string{}
	}
	c.Modules[name] = path
	return nil
}

// Section is the daemon config file's "backends" object:
//
//	"backends": {
//	  "default": "sandbox", "escape": "docker",
//	  "rules": [{"image": "postgres*", "backend": "docker"}],
//	  "modules": {"mine": "/etc/sockerless/mine.wasm"},
//	  "docker": {"host": "unix:///var/run/docker.sock"}
//	}
//
// Every key that is not default/escape/rules/modules is a backend name
// whose object holds its options.
func ParseSection(raw []byte) (Config, error) {
	var c Config
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil {
		return c, errdefs.InvalidParameterf("config file: backends: %v", err)
	}
	for k, v := range m {
		var err error
		switch k {
		case "default":
			err = json.Unmarshal(v, &c.Default)
		case "escape":
			err = json.Unmarshal(v, &c.Escape)
		case "rules":
			err = json.Unmarshal(v, &c.Rules)
		case "modules":
			err = json.Unmarshal(v, &c.Modules)
		default:
			var o map[string]string
			if err = json.Unmarshal(v, &o); err == nil {
				if c.Options == nil {
					c.Options = map[string]map[string]string{}
				}
				c.Options[k] = o
			}
		}
		if err != nil {
			return c, errdefs.InvalidParameterf("config file: backends.%s: %v", k, err)
		}
	}
	return c, nil
}

// Merge lays flags over the config file: a flag's value wins key by key.
func (c Config) Merge(flags Config) Config {
	out := Config{Default: c.Default, Escape: c.Escape, Rules: append([]Rule(nil), c.Rules...),
		Options: map[string]map[string]string{}, Modules: map[string]string{}}
	for _, src := range []Config{c, flags} {
		for n, o := range src.Options {
			if out.Options[n] == nil {
				out.Options[n] = map[string]string{}
			}
			for k, v := range o {
				out.Options[n][k] = v
			}
		}
		for n, p := range src.Modules {
			out.Modules[n] = p
		}
	}
	if flags.Default != "" {
		out.Default = flags.Default
	}
	if flags.Escape != "" {
		out.Escape = flags.Escape
	}
	out.Rules = append(out.Rules, flags.Rules...)
	return out
}

// LoadAll loads the built-in adapters and the user's modules into h with
// their options, then checks that every name the config mentions exists.
// builtins is runtime/backend/builtin.Modules(). An option for a backend
// that is not loaded is an error (a typo must not pass silently).
func LoadAll(ctx context.Context, h *Host, builtins map[string][]byte, c Config) error {
	names := map[string]bool{}
	for n, wasm := range builtins {
		if _, mod := c.Modules[n]; mod {
			continue // the user's module replaces the built-in one
		}
		if _, err := h.Load(ctx, n, wasm, c.Options[n], true); err != nil {
			return err
		}
		names[n] = true
	}
	mods := make([]string, 0, len(c.Modules))
	for n := range c.Modules {
		mods = append(mods, n)
	}
	sort.Strings(mods)
	for _, n := range mods {
		wasm, err := os.ReadFile(c.Modules[n])
		if err != nil {
			return errdefs.InvalidParameterf("--backend-module %s=%s: %v", n, c.Modules[n], err)
		}
		if _, err := h.Load(ctx, n, wasm, c.Options[n], false); err != nil {
			return err
		}
		names[n] = true
	}
	for n := range c.Options {
		if !names[n] {
			return errdefs.InvalidParameterf("--backend-opt %s.*: no backend called %q (loaded: %s)", n, n, strings.Join(h.Names(), ", "))
		}
	}
	_, err := NewRouter(c, h.Names())
	return err
}

// String renders a Config for logs (no option values: they may be
// sensitive).
func (c Config) String() string {
	var parts []string
	for n, o := range c.Options {
		var keys []string
		for k := range o {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		parts = append(parts, fmt.Sprintf("%s{%s}", n, strings.Join(keys, ",")))
	}
	sort.Strings(parts)
	return fmt.Sprintf("default=%q escape=%q rules=%d modules=%d options=%s", c.Default, c.Escape, len(c.Rules), len(c.Modules), strings.Join(parts, " "))
}
