//go:build ignore

package expand

import "mvdan.cc/sh/v3/syntax"

// expArg expands the word of ${name<op>word}: for the pattern removal
// operators (# ## % %%) as a pattern, whose quoted parts match literally
// (${x#"a*"} removes the two characters a*, as in ash and bash); for the
// others as a string. Added by sockerless; upstream expanded every one
// as a string, so quoted glob characters still matched as globs.
func (cfg *Config) expArg(exp *syntax.Expansion) (string, error) {
	switch exp.Op {
	case syntax.RemSmallPrefix, syntax.RemLargePrefix,
		syntax.RemSmallSuffix, syntax.RemLargeSuffix:
		return Pattern(cfg, exp.Word)
	}
	return Literal(cfg, exp.Word)
}
