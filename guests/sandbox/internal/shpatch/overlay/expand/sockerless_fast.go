//go:build ignore

package expand

// Fast paths for the words a shell loop is made of (sockerless; written
// into mvdan.cc/sh/v3/expand by guests/sandbox/internal/shpatch, which
// also hooks them into Fields, Literal and Arithm). Literals, quoted
// strings, plain $name / ${name} and arithmetic expansions are expanded
// straight into strings, without field parts, iterators or closures.
// Whatever else a word holds, and any value that would need field
// splitting or globbing, goes the general way; the fast paths only take
// a word when the general way would give the same result.

import (
	"strconv"
	"strings"

	"mvdan.cc/sh/v3/internal"
	"mvdan.cc/sh/v3/pattern"
	"mvdan.cc/sh/v3/syntax"
)

// hasByte reports whether s holds any of the bytes in set (ASCII).
// strings.ContainsAny costs a scan of s per byte of set, and GOOS=wasip1
// has no assembly for those scans.
func hasByte(s, set string) bool {
	for i := 0; i < len(s); i++ {
		for j := 0; j < len(set); j++ {
			if s[i] == set[j] {
				return true
			}
		}
	}
	return false
}

// hasIFS reports whether splitting s on ifs would cut it.
func hasIFS(s, ifs string) bool {
	for i := 0; i < len(ifs); i++ {
		if ifs[i] >= 0x80 {
			return strings.ContainsAny(s, ifs)
		}
	}
	return hasByte(s, ifs)
}

// loadIFS returns $IFS, looked up once per expansion (prepareConfig
// resets it) and only when splitting or joining needs it. With interp's
// environment (GetString set), whose changes to $IFS move
// internal.IFSGen, the value is kept across expansions until it moves.
func (cfg *Config) loadIFS() string {
	if !cfg.ifsLoaded {
		gen := internal.IFSGen.Load() + 1
		if cfg.ifsCacheGen == gen && internal.FastPaths {
			cfg.ifsVal = cfg.ifsCache
		} else {
			cfg.ifsVal = " \t\n"
			if s, kind, set := cfg.getIFS(); kind == String || !set {
				if set {
					cfg.ifsVal = s
				}
			} else if vr := cfg.Env.Get("IFS"); vr.IsSet() {
				cfg.ifsVal = vr.String()
			}
			if cfg.GetString != nil {
				cfg.ifsCache, cfg.ifsCacheGen = cfg.ifsVal, gen
			}
		}
		cfg.ifsLoaded = true
	}
	return cfg.ifsVal
}

// getIFS looks $IFS up through GetString if set; kind is KeepValue
// (none of a variable's kinds) when it is not.
func (cfg *Config) getIFS() (str string, kind ValueKind, set bool) {
	if cfg.GetString == nil || !internal.FastPaths {
		return "", KeepValue, true
	}
	return cfg.GetString("IFS")
}

// isIFS reports whether r is in $IFS (ifsRune), the default IFS without
// a string search.
func (cfg *Config) isIFS(r rune) bool {
	ifs := cfg.loadIFS()
	if ifs == " \t\n" {
		return r == ' ' || r == '\t' || r == '\n'
	}
	return strings.ContainsRune(ifs, r)
}

// plainParam reports whether pe is $name or ${name} with nothing else
// (syntax's unexported ParamExp.simple), naming an ordinary parameter:
// not $@/$* (fields of their own), $LINENO (which paramExp answers) or
// $RANDOM/$SRANDOM (a lookup that changes state, so it must not be
// repeated by a fallback).
func plainParam(pe *syntax.ParamExp) bool {
	if pe.Param == nil || pe.Flags != nil || pe.Excl || pe.Length || pe.Width || pe.IsSet ||
		pe.Split != syntax.OptUnset || pe.GlobSubst != syntax.OptUnset || pe.RcExpand != syntax.OptUnset ||
		pe.NestedParam != nil || pe.Index != nil || len(pe.Modifiers) > 0 || pe.Slice != nil ||
		pe.Repl != nil || pe.Names != 0 || pe.Exp != nil {
		return false
	}
	switch pe.Param.Value {
	case "@", "*", "LINENO", "RANDOM", "SRANDOM":
		return false
	}
	return true
}

// paramValue expands a plainParam: a string variable or an unset one
// directly, anything else (arrays, namerefs, nounset errors) through
// paramExp.
func (cfg *Config) paramValue(pe *syntax.ParamExp) (string, error) {
	var (
		str  string
		kind ValueKind
		set  bool
	)
	if cfg.GetString != nil {
		str, kind, set = cfg.GetString(pe.Param.Value)
	} else {
		vr := cfg.Env.Get(pe.Param.Value)
		str, kind, set = vr.Str, vr.Kind, vr.IsSet()
	}
	switch {
	case kind == String:
		return str, nil
	case kind == Unknown && !(cfg.NoUnset && !set):
		return "", nil
	}
	return cfg.paramExp(pe)
}

// fastEnvGet is envGet through GetString, for string and unset
// variables (what Variable.String gives for them); ok is false for
// other kinds.
func (cfg *Config) fastEnvGet(name string) (string, bool) {
	if cfg.GetString == nil || !internal.FastPaths {
		return "", false
	}
	switch str, kind, _ := cfg.GetString(name); kind {
	case String:
		return str, true
	case Unknown:
		return "", true
	}
	return "", false
}

// pureArithm reports whether evaluating x has no side effects: no
// assignments, no ++/--, and words that are literals or plain parameters.
func pureArithm(x syntax.ArithmExpr) bool {
	switch x := x.(type) {
	case *syntax.Word:
		for _, wp := range x.Parts {
			switch wp := wp.(type) {
			case *syntax.Lit:
			case *syntax.ParamExp:
				if !plainParam(wp) {
					return false
				}
			default:
				return false
			}
		}
		return true
	case *syntax.ParenArithm:
		return pureArithm(x.X)
	case *syntax.UnaryArithm:
		return x.Op != syntax.Inc && x.Op != syntax.Dec && pureArithm(x.X)
	case *syntax.BinaryArithm:
		switch x.Op {
		case syntax.Assgn, syntax.AddAssgn, syntax.SubAssgn,
			syntax.MulAssgn, syntax.QuoAssgn, syntax.RemAssgn,
			syntax.AndAssgn, syntax.OrAssgn, syntax.XorAssgn,
			syntax.ShlAssgn, syntax.ShrAssgn:
			return false
		}
		return pureArithm(x.X) && pureArithm(x.Y)
	}
	return false
}

// arithmLit is Arithm's fast path for a word that is one literal (a
// variable name or a number), which Literal would return unchanged.
func arithmLit(w *syntax.Word) (string, bool) {
	if len(w.Parts) != 1 || !internal.FastPaths {
		return "", false
	}
	lit, ok := w.Parts[0].(*syntax.Lit)
	if !ok || strings.HasPrefix(lit.Value, "~") || hasByte(lit.Value, "\x00") {
		return "", false
	}
	return lit.Value, true
}

// quotedFast reports whether the parts of a double-quoted string can be
// expanded by fastLiteral: literals without backslashes, plain
// parameters and (if anyArith) any arithmetic, else pure arithmetic.
func quotedFast(dq *syntax.DblQuoted, anyArith bool) bool {
	if dq.Dollar {
		return false
	}
	for _, wp := range dq.Parts {
		switch wp := wp.(type) {
		case *syntax.Lit:
			if hasByte(wp.Value, "\\\x00") {
				return false
			}
		case *syntax.ParamExp:
			if !plainParam(wp) {
				return false
			}
		case *syntax.ArithmExp:
			if !anyArith && !pureArithm(wp.X) {
				return false
			}
		default:
			return false
		}
	}
	return true
}

// fastLiteral is Literal's fast path: it reports false, having done
// nothing, for a word it does not handle.
func (cfg *Config) fastLiteral(word *syntax.Word) (string, bool, error) {
	return cfg.fastWord(word, false)
}

// fastPattern is Pattern's: the same, with quoted parts escaped.
func (cfg *Config) fastPattern(word *syntax.Word) (string, bool, error) {
	return cfg.fastWord(word, true)
}

func (cfg *Config) fastWord(word *syntax.Word, pat bool) (string, bool, error) {
	if !internal.FastPaths {
		return "", false, nil
	}
	for i, wp := range word.Parts {
		switch wp := wp.(type) {
		case *syntax.Lit:
			if i == 0 && strings.HasPrefix(wp.Value, "~") || hasByte(wp.Value, "\x00") {
				return "", false, nil
			}
		case *syntax.SglQuoted:
			if wp.Dollar {
				return "", false, nil
			}
		case *syntax.DblQuoted:
			if !quotedFast(wp, true) {
				return "", false, nil
			}
		case *syntax.ParamExp:
			if !plainParam(wp) {
				return "", false, nil
			}
		case *syntax.ArithmExp:
		default:
			return "", false, nil
		}
	}
	if len(word.Parts) == 1 {
		wp := word.Parts[0]
		s, err := cfg.partString(wp)
		if pat && quotedPart(wp) {
			s = pattern.QuoteMeta(s, 0)
		}
		return s, true, err
	}
	var sb strings.Builder
	if err := cfg.appendParts(&sb, word.Parts, pat, false); err != nil {
		return "", true, err
	}
	return sb.String(), true, nil
}

func quotedPart(wp syntax.WordPart) bool {
	switch wp.(type) {
	case *syntax.SglQuoted, *syntax.DblQuoted:
		return true
	}
	return false
}

// appendParts writes the expansion of parts to sb; with pat, quoted
// ones (inside double quotes if quoted) are escaped as Pattern does.
func (cfg *Config) appendParts(sb *strings.Builder, parts []syntax.WordPart, pat, quoted bool) error {
	for _, wp := range parts {
		if dq, ok := wp.(*syntax.DblQuoted); ok {
			if err := cfg.appendParts(sb, dq.Parts, pat, true); err != nil {
				return err
			}
			continue
		}
		s, err := cfg.partString(wp)
		if err != nil {
			return err
		}
		if pat && (quoted || quotedPart(wp)) {
			s = pattern.QuoteMeta(s, 0)
		}
		sb.WriteString(s)
	}
	return nil
}

// partString expands one part that fastWord or fastFields accepted.
func (cfg *Config) partString(wp syntax.WordPart) (string, error) {
	switch wp := wp.(type) {
	case *syntax.Lit:
		return wp.Value, nil
	case *syntax.SglQuoted:
		return wp.Value, nil
	case *syntax.ParamExp:
		return cfg.paramValue(wp)
	case *syntax.ArithmExp:
		n, err := Arithm(cfg, wp.X)
		if err != nil {
			return "", err
		}
		return strconv.Itoa(n), nil
	case *syntax.DblQuoted:
		var sb strings.Builder
		err := cfg.appendParts(&sb, wp.Parts, false, true)
		return sb.String(), err
	}
	panic("sockerless fast path: unexpected word part")
}

// Fields is a pre-iterators API which now wraps [FieldsSeq].
func Fields(cfg *Config, words ...*syntax.Word) ([]string, error) {
	if fields, ok := prepareConfig(cfg).fastFields(words); ok {
		return fields, nil
	}
	return generalFields(cfg, words...)
}

// fastFields is Fields' fast path. It takes the words only if every one
// is fast: literals without tildes, backslashes or braces, single-quoted
// strings, double-quoted strings of fast parts, plain parameters and
// pure arithmetic. Parameters are expanded first; if one needs field
// splitting, a word needs globbing or an expansion fails, it reports
// false, and as everything it evaluated was free of side effects, the
// general path starts again from scratch (and reports the error).
func (cfg *Config) fastFields(words []*syntax.Word) ([]string, bool) {
	if !internal.FastPaths {
		return nil, false
	}
	if len(words) == 0 {
		return nil, true
	}
	globbing := cfg.ReadDir2 != nil
	if fields, ok, done := cfg.simpleFields(words, globbing); done {
		return fields, ok
	}
	for _, w := range words {
		for i, wp := range w.Parts {
			switch wp := wp.(type) {
			case *syntax.Lit:
				if i == 0 && strings.HasPrefix(wp.Value, "~") || hasByte(wp.Value, "\\{\x00") {
					return nil, false
				}
			case *syntax.SglQuoted:
				if wp.Dollar {
					return nil, false
				}
			case *syntax.DblQuoted:
				if !quotedFast(wp, false) {
					return nil, false
				}
			case *syntax.ParamExp:
				if !plainParam(wp) {
					return nil, false
				}
			case *syntax.ArithmExp:
				if !pureArithm(wp.X) {
					return nil, false
				}
			default:
				return nil, false
			}
		}
	}
	fields := make([]string, 0, len(words))
	var vals [4]string
	for _, w := range words {
		// Unquoted parameters first: their values decide whether the
		// word needs splitting (then the general path takes over).
		var params []string = vals[:0]
		for _, wp := range w.Parts {
			pe, ok := wp.(*syntax.ParamExp)
			if !ok {
				continue
			}
			s, err := cfg.paramValue(pe)
			if err != nil || hasIFS(s, cfg.loadIFS()) || globbing && hasByte(s, "*?[") {
				return nil, false
			}
			params = append(params, s)
		}
		quoted, unquotedMeta := false, false
		var sb strings.Builder
		single, parts := "", 0
		add := func(s string) {
			if parts == 1 {
				sb.WriteString(single)
			}
			if parts >= 1 {
				sb.WriteString(s)
			} else {
				single = s
			}
			parts++
		}
		for _, wp := range w.Parts {
			switch wp := wp.(type) {
			case *syntax.Lit:
				unquotedMeta = unquotedMeta || hasByte(wp.Value, "*?[")
				add(wp.Value)
			case *syntax.ParamExp:
				s := params[0]
				params = params[1:]
				if s != "" {
					unquotedMeta = unquotedMeta || hasByte(s, "*?[")
					add(s)
				}
			case *syntax.ArithmExp:
				// An integer: no IFS character unless IFS holds digits
				// or '-', which the check below sends the general way.
				s, err := cfg.partString(wp)
				if err != nil {
					return nil, false
				}
				if hasIFS(s, cfg.loadIFS()) {
					return nil, false
				}
				add(s)
			default: // quoted
				quoted = true
				s, err := cfg.partString(wp)
				if err != nil {
					return nil, false
				}
				add(s)
			}
		}
		if parts == 0 && !quoted {
			continue // nothing but empty unquoted parameters: no field
		}
		field := single
		if parts > 1 {
			field = sb.String()
		}
		if globbing && unquotedMeta {
			// Quoted parts would need escaping; without them the
			// pattern is the field itself.
			if quoted || pattern.HasMeta(field, 0) {
				return nil, false
			}
		}
		fields = append(fields, field)
	}
	return fields, true
}

// simpleFields is fastFields' own fast path, for words of one part each:
// a literal, a plain parameter, or a double-quoted literal or plain
// parameter (a loop's `[ $i -lt 10 ]`, `echo "$x"`). It gives fastFields'
// result without its passes over the parts; done is false, having
// evaluated nothing, when a word has another shape.
func (cfg *Config) simpleFields(words []*syntax.Word, globbing bool) (fields []string, ok, done bool) {
	for _, w := range words {
		if len(w.Parts) != 1 {
			return nil, false, false
		}
		switch wp := w.Parts[0].(type) {
		case *syntax.Lit:
			if strings.HasPrefix(wp.Value, "~") || hasByte(wp.Value, "\\{\x00") ||
				globbing && hasByte(wp.Value, "*?[") && pattern.HasMeta(wp.Value, 0) {
				return nil, false, false
			}
		case *syntax.ParamExp:
			if !plainParam(wp) {
				return nil, false, false
			}
		case *syntax.DblQuoted:
			if wp.Dollar || len(wp.Parts) != 1 {
				return nil, false, false
			}
			switch qp := wp.Parts[0].(type) {
			case *syntax.Lit:
				if hasByte(qp.Value, "\\\x00") {
					return nil, false, false
				}
			case *syntax.ParamExp:
				if !plainParam(qp) {
					return nil, false, false
				}
			default:
				return nil, false, false
			}
		default:
			return nil, false, false
		}
	}
	fields = make([]string, 0, len(words))
	for _, w := range words {
		switch wp := w.Parts[0].(type) {
		case *syntax.Lit:
			fields = append(fields, wp.Value)
		case *syntax.ParamExp:
			s, err := cfg.paramValue(wp)
			if err != nil || hasIFS(s, cfg.loadIFS()) || globbing && hasByte(s, "*?[") {
				return nil, false, true
			}
			if s != "" {
				fields = append(fields, s)
			}
		case *syntax.DblQuoted:
			switch qp := wp.Parts[0].(type) {
			case *syntax.Lit:
				fields = append(fields, qp.Value)
			case *syntax.ParamExp:
				s, err := cfg.paramValue(qp)
				if err != nil {
					return nil, false, true
				}
				fields = append(fields, s)
			}
		}
	}
	return fields, true, true
}
