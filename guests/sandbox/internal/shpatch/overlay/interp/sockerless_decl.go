//go:build ignore

package interp

// export -p and readonly -p without names (sockerless; written into
// mvdan.cc/sh/v3/interp by guests/sandbox/internal/shpatch): upstream
// prints nothing; ash lists the exported (readonly) variables as
// commands that recreate them.

import (
	"slices"
	"strings"

	"mvdan.cc/sh/v3/expand"
)

// printDecls lists the variables that `variant -p` (export or readonly)
// shows, sorted by name, as ash does: `export NAME='value'`, or
// `export NAME` for one that has no value.
func (r *Runner) printDecls(variant string) {
	if variant != "export" && variant != "readonly" {
		return
	}
	vars := map[string]expand.Variable{}
	r.writeEnv.Each(func(name string, vr expand.Variable) bool {
		vars[name] = vr // a shell's own value comes after its parent's
		return true
	})
	var names []string
	for name, vr := range vars {
		if vr.Declared() && (variant == "export" && vr.Exported || variant == "readonly" && vr.ReadOnly) {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	for _, name := range names {
		vr := vars[name]
		if !vr.IsSet() {
			r.outf("%s %s\n", variant, name)
			continue
		}
		r.outf("%s %s=%s\n", variant, name, ashQuote(vr.String()))
	}
}

// ashQuote single-quotes s the way ash's export -p does ('"'"' for a
// single quote).
func ashQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'"'"'`) + "'"
}
