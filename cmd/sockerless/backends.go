package main

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"os"
	"sort"
	"strings"

	"github.com/spf13/pflag"

	"github.com/sockerless/sockerless/runtime/backend"
)

const defaultConfigFile = "/etc/sockerless/daemon.json"

// backendFlags registers the backend flags (runtime/backend/README.md).
func backendFlags(fs *pflag.FlagSet, f *daemonFlags) {
	fs.StringVar(&f.configFile, "config-file", defaultConfigFile, `daemon configuration file (JSON; its "backends" object configures backends like the flags below, which win key by key)`)
	fs.Func("backend-opt", "set a backend option: <backend>.<key>=<value>, e.g. docker.host=unix:///var/run/docker.sock (repeatable)", f.backends.SetOption)
	fs.Func("backend-module", "load your own backend adapter: <name>=<path/to/adapter.wasm> (repeatable)", f.backends.SetModule)
	fs.StringVar(&f.backends.Default, "default-backend", "", `backend new containers go to when no label or image rule places them (default "sandbox")`)
	fs.StringVar(&f.backends.Escape, "escape-backend", "", "backend that runs containers whose program is a Linux executable the sandbox cannot run (e.g. docker)")
}

// backendConfig merges the config file's "backends" section with the
// flags. A missing default config file is no error; a missing file named
// with --config-file is.
func backendConfig(fs *pflag.FlagSet, f *daemonFlags, log *slog.Logger) (*backend.Config, error) {
	cfg := backend.Config{}
	if f.configFile != "" {
		raw, err := os.ReadFile(f.configFile)
		switch {
		case err == nil:
			var doc map[string]json.RawMessage
			if err := json.Unmarshal(raw, &doc); err != nil {
				return nil, fmt.Errorf("--config-file %s: %v", f.configFile, err)
			}
			var unknown []string
			for k, v := range doc {
				if k != "backends" {
					unknown = append(unknown, k)
					continue
				}
				if cfg, err = backend.ParseSection(v); err != nil {
					return nil, fmt.Errorf("--config-file %s: %v", f.configFile, err)
				}
			}
			if len(unknown) > 0 {
				sort.Strings(unknown)
				log.Warn("config file: ignoring keys sockerless does not use", "file", f.configFile, "keys", strings.Join(unknown, ","))
			}
		case os.IsNotExist(err) && !fs.Changed("config-file"):
		default:
			return nil, fmt.Errorf("--config-file: %v", err)
		}
	}
	merged := cfg.Merge(f.backends)
	return &merged, nil
}
