//go:build ignore

package interp

// Fast paths of the interpreter (sockerless; written into
// mvdan.cc/sh/v3/interp by guests/sandbox/internal/shpatch): the test/[
// builtin, integer parsing and variable lookups.

import (
	"strings"

	"mvdan.cc/sh/v3/expand"
	"mvdan.cc/sh/v3/internal"
	"mvdan.cc/sh/v3/syntax"
)

// fastTest evaluates `test ARGS` (or `[ ARGS ]` without the "]") when
// ARGS is one operand, -n/-z and an operand, or an operand, a string or
// integer comparison and an operand; ok is false for anything else. The
// general path turns every argument back into a syntax.Word, parses an
// expression tree and expands each word again; this gives its result
// straight from the arguments.
func fastTest(args []string) (result, ok bool) {
	if !internal.FastPaths {
		return false, false
	}
	for _, a := range args {
		// The general path expands each operand again as a here-document
		// word (backslash escapes) and, for =/!=, as a word (a leading
		// tilde): leave those to it.
		for i := 0; i < len(a); i++ {
			if a[i] == '\\' || a[i] == 0 {
				return false, false
			}
		}
	}
	operand := func(s string) bool { return testUnaryOp(s) == illegalTok && s != ")" }
	switch len(args) {
	case 1:
		if operand(args[0]) {
			return args[0] != "", true
		}
	case 2:
		switch args[0] {
		case "-n":
			return args[1] != "", true
		case "-z":
			return args[1] == "", true
		}
	case 3:
		if !operand(args[0]) {
			return false, false
		}
		x, y := args[0], args[2]
		switch args[1] {
		case "=", "==", "!=":
			if strings.HasPrefix(x, "~") || strings.HasPrefix(y, "~") {
				return false, false
			}
			return (x == y) == (args[1] != "!="), true
		}
		// Integer comparisons of plain decimals; anything else (" 12",
		// "abc": an error) goes to the general path.
		a, okx := decimal(x)
		b, oky := decimal(y)
		if !okx || !oky {
			return false, false
		}
		switch args[1] {
		case "-eq":
			return a == b, true
		case "-ne":
			return a != b, true
		case "-lt":
			return a < b, true
		case "-le":
			return a <= b, true
		case "-gt":
			return a > b, true
		case "-ge":
			return a >= b, true
		}
	}
	return false, false
}

// decimal is atoi's fast path (internal.Decimal).
func decimal(s string) (int64, bool) { return internal.Decimal(s) }

// specialVar reports whether lookupVar computes name itself ($#, $?,
// $1, $RANDOM, ...) rather than reading the environment; every such
// name starts with a character other than a lowercase letter or '_',
// so the common names of scripts skip the comparisons with them.
func specialVar(name string) bool {
	c := name[0]
	if c >= 'a' && c <= 'z' || c == '_' {
		return false
	}
	if c >= '0' && c <= '9' {
		return true // $0, $1, ${10}
	}
	switch name {
	case "#", "@", "*", "!", "?", "-", "$", "PPID", "RANDOM", "SRANDOM", "DIRSTACK":
		return true
	}
	return false
}

// put stores a variable: in place when slot (its entry) is not nil.
func (o *overlayEnviron) put(slot *namedVariable, key string, nv namedVariable) {
	if slot != nil {
		*slot = nv
		return
	}
	o.values[key] = &nv
}

// getString is expand.Config.GetString: lookupVar without copying the
// whole Variable, for the ordinary names held by overlay environments.
func (r *Runner) getString(name string) (string, expand.ValueKind, bool) {
	if o, ok := r.writeEnv.(*overlayEnviron); ok && internal.FastPaths && !specialVar(name) {
		return o.getString(name)
	}
	vr := r.lookupVar(name)
	return vr.Str, vr.Kind, vr.Set
}

func (o *overlayEnviron) getString(name string) (string, expand.ValueKind, bool) {
	normalized := o.normalize(name)
	for {
		if nv := o.values[normalized]; nv != nil {
			return nv.Str, nv.Kind, nv.Set
		}
		parent, ok := o.parent.(*overlayEnviron)
		if !ok {
			break
		}
		o = parent
	}
	if o.parent == nil {
		return "", expand.Unknown, false
	}
	vr := o.parent.Get(name)
	return vr.Str, vr.Kind, vr.Set
}

// fastAssign is `name=value` (no command, index, array or +=) for a
// variable the current scope (or, in a function, the scope it is
// global to) holds as a set string that is neither read-only nor special: the value is stored into its entry, as the
// general path (lookupVar, assignVal, setVar, overlayEnviron.Set) would
// store it. It reports false, having done nothing, for anything else.
// Expanding the value cannot remove the entry (only unsetting replaces
// one, and unset and declare run in subshells there).
func (r *Runner) fastAssign(as *syntax.Assign) bool {
	if !internal.FastPaths || as.Append || as.Naked || as.Index != nil || as.Array != nil || as.Value == nil {
		return false
	}
	name := as.Name.Value
	if specialVar(name) || name == "IFS" { // IFS: Set moves internal.IFSGen
		return false
	}
	// In a function's scope, a name it holds is a local; any other is
	// the caller's (overlayEnviron.Set hands it to the parent).
	o, ok := r.writeEnv.(*overlayEnviron)
	var slot *namedVariable
	for ok {
		slot = o.values[o.normalize(name)]
		if slot != nil || !o.funcScope {
			break
		}
		o, ok = o.parent.(*overlayEnviron)
	}
	if !ok || slot == nil || o.funcScope && !slot.Local || !slot.Set || slot.Kind != expand.String || slot.ReadOnly {
		return false
	}
	vr := slot.Variable
	vr.Str = r.literal(as.Value)
	if r.opts[optAllExport] {
		vr.Exported = true
	}
	slot.Variable = vr
	return true
}

// ifsMoved tells expand's $IFS caches that $IFS may have changed.
func ifsMoved() { internal.IFSGen.Add(1) }
