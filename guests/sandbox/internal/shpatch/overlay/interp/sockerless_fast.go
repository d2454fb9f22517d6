//go:build ignore

package interp

// The test/[ builtin's fast path (sockerless; written into
// mvdan.cc/sh/v3/interp by guests/sandbox/internal/shpatch).

import (
	"strings"

	"mvdan.cc/sh/v3/internal"
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
		case "-eq":
			return atoi(x) == atoi(y), true
		case "-ne":
			return atoi(x) != atoi(y), true
		case "-lt":
			return atoi(x) < atoi(y), true
		case "-le":
			return atoi(x) <= atoi(y), true
		case "-gt":
			return atoi(x) > atoi(y), true
		case "-ge":
			return atoi(x) >= atoi(y), true
		}
	}
	return false, false
}
