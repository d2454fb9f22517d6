// Command shpatch prepares the copy of mvdan.cc/sh/v3 that the sandbox
// guest is built with (under build/gen, never committed). Each change is
// an exact replacement that must apply once; if the upstream text moved,
// the build stops and says which change failed.
//
// The changes: interp's in-process pipes (its js path) are enabled for
// wasip1, which has no os.Pipe; $$ comes from the runner (nested shells in
// one guest are different processes); background jobs get numeric pids, a
// context the guest can cancel (kill $!) and `wait PID`; PATH lookups stat
// through a hook (wasip1's os.Stat has no permission bits); test -t asks a
// hook (wasip1 has no terminals; the host's TTY does).
//
// Behaviour, to match busybox ash: printf, test/[ and the builtins interp
// lacks (umask) run through a hook (the guest's builtins/text printf,
// builtins/system test, its umask); ${10} and later positional
// parameters expand; shift N beyond $# fails and shifts nothing; an
// arithmetic error ends a non-interactive shell (Runner.FatalArithm);
// file descriptors above 2 (exec 3>file, >&3, 4<file, <&4, 3>&-), <>
// and >| work (overlay/interp/sockerless_fd.go keeps a table of them);
// export -p and readonly -p list the variables; field splitting keeps
// the empty fields a non-blank IFS delimits; an EXIT trap set in a
// subshell runs when it ends; quoted parts of a ${x#pattern} match
// literally; set -C (noclobber) keeps > from overwriting a file.
//
// Speed (a shell loop runs its interpreter as wasm, where every
// allocation and call costs 5-15x what it does natively): the files
// under overlay/ are added to the packages they name (they carry a
// build tag that keeps them out of this module's own build; shpatch
// drops it). overlay/expand expands the words loops are made of
// (literals, quotes, plain $name, arithmetic) without the general
// path's field parts, iterators and closures, and looks $IFS up only
// when splitting or joining needs it and it may have changed;
// overlay/interp answers the common test/[ forms without re-parsing and
// re-expanding their arguments, lets the guest skip its call handler
// (and the handler context built for it) for commands it has no
// business with, and reads and assigns ordinary string variables
// without copying whole expand.Variables through interfaces and maps;
// overlay/internal caches the regexps that case patterns and
// ${x#pattern}/${x/pattern/...} compile to, which a loop would otherwise
// compile on every iteration, matches the simplest patterns without
// them, and parses decimal integers without strconv.
//
//	go run ./guests/sandbox/internal/shpatch SRC_MODULE_DIR DST_DIR
package main

import (
	"embed"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

type change struct {
	file, old, new string
}

var changes = []change{
	{"interp/stdin_js.go", "//go:build js\n", "//go:build js || wasip1\n"},
	{"interp/stdin_os.go", "//go:build !js\n", "//go:build !js && !wasip1\n"},
	{"interp/api.go", "type Runner struct {\n", "type Runner struct {\n\t// Pid is the value of $$ (0: the OS pid). Added by sockerless.\n\tPid int\n\t// FatalArithm makes an arithmetic error (division by zero) end\n\t// the shell with status 2, as in a non-interactive ash. Added by\n\t// sockerless.\n\tFatalArithm bool\n\n"},
	{"interp/api.go", "\t*r = Runner{\n\t\tEnv:            r.Env,\n", "\t*r = Runner{\n\t\tPid:            r.Pid,\n\t\tFatalArithm:    r.FatalArithm,\n\t\tEnv:            r.Env,\n"},
	{"interp/api.go", "\tr2 := &Runner{\n\t\tDir:            r.Dir,\n", "\tr2 := &Runner{\n\t\tPid:            r.Pid,\n\t\tFatalArithm:    r.FatalArithm,\n\t\tDir:            r.Dir,\n"},
	{"interp/api.go", "type bgProc struct {\n", "type bgProc struct {\n\tpid int // added by sockerless\n\n"},
	{"interp/vars.go", "strconv.Itoa(os.Getpid())", "strconv.Itoa(r.pid())"},
	{"interp/vars.go", `vr.Kind, vr.Str = expand.String, "g"+strconv.Itoa(n)`, `vr.Kind, vr.Str = expand.String, r.bgPid(n)`},
	{"interp/runner.go",
		"\t\tbg := bgProc{\n\t\t\tdone: make(chan struct{}),\n\t\t\texit: new(exitStatus),\n\t\t}\n\t\tr.bgProcs = append(r.bgProcs, bg)\n\t\tgo func() {\n\t\t\tr2.Run(ctx, &st2)\n",
		"\t\tbg := bgProc{\n\t\t\tdone: make(chan struct{}),\n\t\t\texit: new(exitStatus),\n\t\t\tpid:  NewPid(),\n\t\t}\n\t\tr.bgProcs = append(r.bgProcs, bg)\n\t\tbgctx, bgend, bgerr := BackgroundStarted(ctx, bg.pid)\n\t\tif bgerr != nil {\n\t\t\tr.exit.fatal(bgerr) // no process for the job: the shell ends, as ash does\n\t\t}\n\t\tgo func() {\n\t\t\tif bgerr == nil {\n\t\t\t\tr2.Run(bgctx, &st2)\n\t\t\t}\n\t\t\tif sig := bgend(); sig > 0 {\n\t\t\t\tr2.exit = exitStatus{code: uint8(128 + sig)}\n\t\t\t}\n"},
	{"interp/builtin.go",
		"\t\t\targ, ok := strings.CutPrefix(arg, \"g\")\n\t\t\tpid := atoi(arg)\n\t\t\tif !ok || pid <= 0 || pid > int64(len(r.bgProcs)) {\n\t\t\t\treturn failf(1, \"wait: pid %s is not a child of this shell\\n\", arg)\n\t\t\t}\n\t\t\tbg := r.bgProcs[pid-1]\n",
		"\t\t\tbg, ok := r.findBg(arg)\n\t\t\tif !ok {\n\t\t\t\treturn failf(127, \"wait: pid %s is not a child of this shell\\n\", arg)\n\t\t\t}\n"},
	{"interp/handler.go", "\tinfo, err := os.Stat(file)\n", "\tinfo, err := StatFile(file)\n"},
	{"interp/test.go", "\t\tif f, ok := f.(interface{ Fd() uintptr }); ok {\n", "\t\tif IsTerminal != nil {\n\t\t\treturn IsTerminal(f)\n\t\t}\n\t\tif f, ok := f.(interface{ Fd() uintptr }); ok {\n"},
	// printf is the guest's busybox-compatible one (precision, %X, "'A",
	// --, errors on non-numbers), which interp's own lacks.
	{"interp/builtin.go", "\tcase \"printf\":\n\t\tif len(args) == 0 {\n", "\tcase \"printf\":\n\t\tif exit, ok := r.hostBuiltin(ctx, name, args); ok {\n\t\t\treturn exit\n\t\t}\n\t\tif len(args) == 0 {\n"},
	// Builtins interp does not implement (umask) go to the guest.
	{"interp/builtin.go", "\tdefault:\n\t\treturn failf(2, \"%s: unsupported builtin\\n\", name)\n", "\tdefault:\n\t\tif exit, ok := r.hostBuiltin(ctx, name, args); ok {\n\t\t\treturn exit\n\t\t}\n\t\treturn failf(2, \"%s: unsupported builtin\\n\", name)\n"},
	// ${10}, ${3000}: positional parameters past 9 (only $1-$9 were).
	{"interp/vars.go", "\t\t\tvr.Str = r.Params[i]\n\t\t}\n\t}\n", "\t\t\tvr.Str = r.Params[i]\n\t\t}\n\tdefault:\n\t\tif i, ok := positional(name); ok && i < len(r.Params) {\n\t\t\tvr.Kind, vr.Str = expand.String, r.Params[i]\n\t\t}\n\t}\n"},
	// $((1/0)) ends a non-interactive ash with status 2 (FatalArithm).
	{"interp/runner.go", "\tswitch {\n\tcase unsetParam, errMsg == \"invalid indirect expansion\":\n", "\tswitch {\n\tcase r.FatalArithm && arithmError(errMsg):\n\t\tr.exit.code = 2\n\t\tr.exit.exiting = true\n\tcase unsetParam, errMsg == \"invalid indirect expansion\":\n"},
	// shift N beyond $# fails with 1 and shifts nothing, as in ash and bash.
	{"interp/builtin.go", "\t\tif n >= len(r.Params) {\n\t\t\tr.Params = nil\n", "\t\tif n > len(r.Params) {\n\t\t\texit.code = 1\n\t\t} else if n == len(r.Params) {\n\t\t\tr.Params = nil\n"},

	// Descriptors above 2, duplications, <> and >| (overlay/interp/
	// sockerless_fd.go): a table of fds the statement restores and
	// subshells share, and exec's closing of the files it dropped.
	{"interp/api.go", "\tstdout io.Writer\n\tstderr io.Writer\n", "\tstdout io.Writer\n\tstderr io.Writer\n\tfds    map[int]*fdEntry // descriptors above 2 (sockerless)\n"},
	{"interp/api.go", "\t\tstderr:         r.stderr,\n", "\t\tstderr:         r.stderr,\n\t\tfds:            r.fds,\n"},
	{"interp/runner.go", "func (r *Runner) redir(ctx context.Context, rd *syntax.Redirect) (io.Closer, error) {\n", "func (r *Runner) redirStd(ctx context.Context, rd *syntax.Redirect) (io.Closer, error) {\n"},
	{"interp/runner.go", "\toldIn, oldOut, oldErr := r.stdin, r.stdout, r.stderr\n", "\toldIn, oldOut, oldErr, oldFds := r.stdin, r.stdout, r.stderr, r.fds\n"},
	{"interp/runner.go", "\t\tr.keepRedirs = false\n", "\t\tr.keepRedirs = false\n\t\tr.closeDropped(oldFds)\n"},
	{"interp/runner.go", "\t\tr.stdin, r.stdout, r.stderr = oldIn, oldOut, oldErr\n", "\t\tr.stdin, r.stdout, r.stderr, r.fds = oldIn, oldOut, oldErr, oldFds\n"},
	// Upstream's tests of what it did not support: these now work as in bash.
	{"interp/interp_test.go", "\t\t\"echo foo >&5\",\n\t\t\"unhandled >& arg: \\\"5\\\"\\nexit status 1 #JUSTERR\",\n", "\t\t\"echo foo >&5\",\n\t\t\"5: Bad file descriptor\\nexit status 1 #JUSTERR\",\n"},
	{"interp/interp_test.go", "\t\t\"echo foo 5>a\",\n\t\t\"unsupported redirect fd: 5\\nexit status 1 #IGNORE\",\n", "\t\t\"echo foo 5>a; echo bar 5>a 1>&5; cat a\",\n\t\t\"foo\\nbar\\n\",\n"},
	{"interp/interp_test.go", "\t\t\"echo foo >|a\",\n\t\t\"unhandled redirect op: >|\\nexit status 1 #IGNORE\",\n", "\t\t\"echo foo >|a; cat a\",\n\t\t\"foo\\n\",\n"},
	{"interp/interp_test.go", "\t\t\"echo foo >a; read -r line <>a\",\n\t\t\"unhandled redirect op: <>\\nexit status 1 #IGNORE\",\n", "\t\t\"echo foo >a; read -r line <>a; echo $line\",\n\t\t\"foo\\n\",\n"},

	// Field splitting as in POSIX and ash: a non-blank IFS character ends
	// a field even an empty one (IFS=: a:b::c is a, b, "", c; :a is "",
	// a), together with the IFS blanks around it ("a : b" is a, b); $@'s
	// elements are split as if joined by a blank.
	{"expand/expand.go", "\tsplitAdd := func(val string) {\n\t\tfieldStart := -1\n\t\tfor i, r := range val {\n\t\t\tif cfg.ifsRune(r) {\n\t\t\t\tif fieldStart >= 0 { // ending a field\n\t\t\t\t\tcurField = append(curField, fieldPart{val: val[fieldStart:i]})\n\t\t\t\t\tfieldStart = -1\n\t\t\t\t}\n\t\t\t\tflush()\n\t\t\t} else {\n\t\t\t\tif fieldStart < 0 { // starting a new field\n\t\t\t\t\tfieldStart = i\n\t\t\t\t}\n\t\t\t}\n\t\t}\n",
		"\tblankEnded := false // the last field ended at IFS blanks, which a non-blank IFS character joins\n\tsplitAdd := func(val string) {\n\t\tfieldStart := -1\n\t\tfor i, r := range val {\n\t\t\tif cfg.ifsRune(r) {\n\t\t\t\tif fieldStart >= 0 { // ending a field\n\t\t\t\t\tcurField = append(curField, fieldPart{val: val[fieldStart:i]})\n\t\t\t\t\tfieldStart = -1\n\t\t\t\t}\n\t\t\t\tblank := cfg.ifsWhitespace(r)\n\t\t\t\tswitch {\n\t\t\t\tcase len(curField) > 0:\n\t\t\t\t\tflush()\n\t\t\t\t\tblankEnded = blank\n\t\t\t\tcase blank: // leading or repeated blanks\n\t\t\t\tcase blankEnded: // \"a :b\": one delimiter\n\t\t\t\t\tblankEnded = false\n\t\t\t\tdefault: // an empty field\n\t\t\t\t\tfields = append(fields, nil)\n\t\t\t\t}\n\t\t\t} else {\n\t\t\t\tif fieldStart < 0 { // starting a new field\n\t\t\t\t\tfieldStart = i\n\t\t\t\t}\n\t\t\t}\n\t\t}\n"},
	{"expand/expand.go", "\t\t\t\tfor j, elem := range elems {\n\t\t\t\t\tif j > 0 {\n\t\t\t\t\t\tflush()\n\t\t\t\t\t}\n",
		"\t\t\t\tfor j, elem := range elems {\n\t\t\t\t\tif j > 0 && len(curField) > 0 {\n\t\t\t\t\t\tflush()\n\t\t\t\t\t\tblankEnded = true\n\t\t\t\t\t}\n"},

	// An EXIT trap set in a subshell ((...), $(...), the left side of a
	// pipe, a background job) runs when the subshell ends, as in ash;
	// the parent's trap is not inherited (subshell does not copy it).
	{"interp/runner.go", "\t\tr2 := r.subshell(false)\n\t\tr2.stmts(ctx, cm.Stmts)\n", "\t\tr2 := r.subshell(false)\n\t\tr2.stmts(ctx, cm.Stmts)\n\t\tr2.trapCallback(ctx, r2.callbackExit, \"exit\")\n"},
	{"interp/runner.go", "\t\t\tr2.stmts(ctx, cs.Stmts)\n", "\t\t\tr2.stmts(ctx, cs.Stmts)\n\t\t\tr2.trapCallback(ctx, r2.callbackExit, \"exit\")\n"},
	{"interp/runner.go", "\t\t\t\tr2.stmt(ctx, cm.X)\n", "\t\t\t\tr2.stmt(ctx, cm.X)\n\t\t\t\tr2.trapCallback(ctx, r2.callbackExit, \"exit\")\n"},
	{"interp/runner.go", "\t\t\t\tr2.Run(bgctx, &st2)\n", "\t\t\t\tr2.Run(bgctx, &st2)\n\t\t\t\tif !r2.exit.exiting { // else Run ran it\n\t\t\t\t\tr2.trapCallback(bgctx, r2.callbackExit, \"exit\")\n\t\t\t\t}\n"},

	// ${x#"a*"}: the quoted part of a removal pattern matches literally
	// (overlay/expand/sockerless_param.go).
	{"expand/param.go", "\t\tstr = join(elems)\n\tcase pe.Exp != nil:\n\t\targ, err := Literal(cfg, pe.Exp.Word)\n", "\t\tstr = join(elems)\n\tcase pe.Exp != nil:\n\t\targ, err := cfg.expArg(pe.Exp)\n"},
	{"expand/param.go", "\t\treturn cfg.replaceElems(pe.Repl, elems)\n\tcase pe.Exp != nil:\n\t\targ, err := Literal(cfg, pe.Exp.Word)\n", "\t\treturn cfg.replaceElems(pe.Repl, elems)\n\tcase pe.Exp != nil:\n\t\targ, err := cfg.expArg(pe.Exp)\n"},

	// set -C / set -o noclobber: > and &> do not overwrite an existing
	// regular file (openNoClobber in overlay/interp/sockerless_fd.go);
	// >| goes through redirStd as > that the option does not stop.
	{"interp/api.go", "\t{'e', \"errexit\"},\n\t{'n', \"noexec\"},\n", "\t{'e', \"errexit\"},\n\t{'C', \"noclobber\"},\n\t{'n', \"noexec\"},\n"},
	{"interp/api.go", "\toptErrExit\n\toptNoExec\n", "\toptErrExit\n\toptNoClobber\n\toptNoExec\n"},
	{"interp/api.go", "(offset by the above seven items)", "(offset by the items above)"},
	{"interp/runner.go", "\tcase syntax.RdrIn, syntax.RdrOut, syntax.AppOut,\n\t\tsyntax.RdrAll, syntax.AppAll:\n", "\tcase syntax.RdrIn, syntax.RdrOut, syntax.AppOut, syntax.RdrClob,\n\t\tsyntax.RdrAll, syntax.AppAll:\n"},
	{"interp/runner.go", "\tcase syntax.RdrOut, syntax.RdrAll:\n\t\tmode = os.O_WRONLY | os.O_CREATE | os.O_TRUNC\n\t}\n\tf, err := r.open(ctx, arg, mode, 0o644, false)\n",
		"\tcase syntax.RdrOut, syntax.RdrAll, syntax.RdrClob:\n\t\tmode = os.O_WRONLY | os.O_CREATE | os.O_TRUNC\n\t}\n\tvar f io.ReadWriteCloser\n\tvar err error\n\tif r.opts[optNoClobber] && (rd.Op == syntax.RdrOut || rd.Op == syntax.RdrAll) {\n\t\tf, err = r.openNoClobber(ctx, arg, mode)\n\t} else {\n\t\tf, err = r.open(ctx, arg, mode, 0o644, false)\n\t}\n"},
	{"interp/runner.go", "\tcase syntax.RdrOut, syntax.AppOut:\n\t\t*orig = f\n", "\tcase syntax.RdrOut, syntax.AppOut, syntax.RdrClob:\n\t\t*orig = f\n"},
	// The new option is listed.
	{"interp/interp_test.go", "set +o errexit\nset +o noexec\n", "set +o errexit\nset +o noclobber\nset +o noexec\n"},

	// export -p and readonly -p without names list the variables
	// (overlay/interp/sockerless_decl.go); upstream printed nothing.
	{"interp/runner.go", "\t\tdeclQuery := \"\" // \"-f\" or \"-p\" for query mode\n", "\t\tdeclQuery := \"\" // \"-f\" or \"-p\" for query mode\n\t\tnamed := false  // a name was given\n"},
	{"interp/runner.go", "\t\t\tname := as.Name.Value\n\t\t\tif !syntax.ValidName(name) {\n", "\t\t\tname := as.Name.Value\n\t\t\tnamed = true\n\t\t\tif !syntax.ValidName(name) {\n"},
	{"interp/runner.go", "\t\t\tr.setVar(name, vr)\n\t\t}\n\tcase *syntax.TimeClause:\n", "\t\t\tr.setVar(name, vr)\n\t\t}\n\t\tif declQuery == \"-p\" && !named {\n\t\t\tr.printDecls(cm.Variant.Value)\n\t\t}\n\tcase *syntax.TimeClause:\n"},

	// Speed: the fast paths of overlay/ and where they hook in.
	{"expand/expand.go", "\tifs string\n", "\tifsVal    string // loadIFS (sockerless)\n\tifsLoaded bool\n\t// $IFS as loadIFS last looked it up, valid while internal.IFSGen+1\n\t// is ifsCacheGen (sockerless).\n\tifsCache    string\n\tifsCacheGen uint64\n"},
	{"expand/expand.go", "\tcfg.ifs = \" \\t\\n\"\n\tif vr := cfg.Env.Get(\"IFS\"); vr.IsSet() {\n\t\tcfg.ifs = vr.String()\n\t}\n", "\tcfg.ifsLoaded = false\n"},
	{"expand/expand.go", "strings.ContainsRune(cfg.ifs, r)", "cfg.isIFS(r)"},
	{"expand/expand.go", "\tif cfg.ifs != \"\" {\n", "\tif ifs := cfg.loadIFS(); ifs != \"\" {\n"},
	{"expand/expand.go", "\t\t_, size := utf8.DecodeRuneInString(cfg.ifs)\n\t\tsep = cfg.ifs[:size]\n", "\t\t_, size := utf8.DecodeRuneInString(ifs)\n\t\tsep = ifs[:size]\n"},
	{"expand/expand.go", "func Literal(cfg *Config, word *syntax.Word) (string, error) {\n\tif word == nil {\n\t\treturn \"\", nil\n\t}\n\tcfg = prepareConfig(cfg)\n",
		"func Literal(cfg *Config, word *syntax.Word) (string, error) {\n\tif word == nil {\n\t\treturn \"\", nil\n\t}\n\tcfg = prepareConfig(cfg)\n\tif s, ok, err := cfg.fastLiteral(word); ok {\n\t\treturn s, err\n\t}\n"},
	// Fields moves to the overlay: its range-over-func state is moved to
	// the heap on entry, which the fast path must not pay for.
	{"expand/expand.go", "func Fields(cfg *Config, words ...*syntax.Word) ([]string, error) {\n", "func generalFields(cfg *Config, words ...*syntax.Word) ([]string, error) {\n"},
	{"expand/arith.go", "\tcase *syntax.Word:\n\t\tstr, err := Literal(cfg, expr)\n",
		"\tcase *syntax.Word:\n\t\tstr, ok := arithmLit(expr)\n\t\tvar err error\n\t\tif !ok {\n\t\t\tstr, err = Literal(cfg, expr)\n\t\t}\n"},
	{"interp/runner.go", "\tif r.callHandler != nil {\n\t\tvar err error\n", "\tif r.callHandler != nil && (CallNeeded == nil || CallNeeded(args)) {\n\t\tvar err error\n"},
	{"internal/pattern.go", "func ExtendedPatternMatcher(pat string, mode pattern.Mode) (func(string) bool, error) {\n", "func compileMatcher(pat string, mode pattern.Mode) (func(string) bool, error) {\n"},
	{"expand/expand.go", "\tcfg = prepareConfig(cfg)\n\tfield, err := cfg.wordField(word.Parts, quoteNone)\n\tif err != nil {\n\t\treturn \"\", err\n\t}\n\tsb := cfg.strBuilder()\n",
		"\tcfg = prepareConfig(cfg)\n\tif s, ok, err := cfg.fastPattern(word); ok {\n\t\treturn s, err\n\t}\n\tfield, err := cfg.wordField(word.Parts, quoteNone)\n\tif err != nil {\n\t\treturn \"\", err\n\t}\n\tsb := cfg.strBuilder()\n"},
	{"expand/param.go", "\t// no need to check error as Translate returns one\n\trx := regexp.MustCompile(expr)\n", "\trx := internal.CachedRegexp(expr)\n"},
	{"expand/expand.go", "\trx := regexp.MustCompile(expr)\n\treturn rx.FindAllStringIndex(name, n)\n", "\trx := internal.CachedRegexp(expr)\n\treturn rx.FindAllStringIndex(name, n)\n"},
	{"interp/builtin.go", "\tcase \"test\":\n\t\tparseErr := false\n", "\tcase \"test\":\n\t\tif res, ok := fastTest(args); ok {\n\t\t\texit.oneIf(!res)\n\t\t\tbreak\n\t\t}\n\t\tparseErr := false\n"},
	// test and [ are the guest's (builtins/system, busybox's results and
	// messages: "abc: bad number" is status 2, < and > compare strings)
	// for what fastTest does not answer; [[ ]] stays interp's.
	{"interp/builtin.go", "\t\t\texit.oneIf(!res)\n\t\t\tbreak\n\t\t}\n\t\tparseErr := false\n", "\t\t\texit.oneIf(!res)\n\t\t\tbreak\n\t\t}\n\t\tif exit, ok := r.hostBuiltin(ctx, \"test\", args); ok {\n\t\t\treturn exit\n\t\t}\n\t\tparseErr := false\n"},
	// Integers: plain decimal strings without strconv.
	{"expand/arith.go", "func atoi(s string) int64 {\n\ts = strings.TrimSpace(s)\n", "func atoi(s string) int64 {\n\tif n, ok := internal.Decimal(s); ok {\n\t\treturn n\n\t}\n\ts = strings.TrimSpace(s)\n"},
	{"expand/arith.go", "\t\"mvdan.cc/sh/v3/syntax\"\n)\n", "\t\"mvdan.cc/sh/v3/internal\"\n\t\"mvdan.cc/sh/v3/syntax\"\n)\n"},
	{"interp/builtin.go", "func atoi(s string) int64 {\n\ts = strings.TrimSpace(s)\n", "func atoi(s string) int64 {\n\tif n, ok := decimal(s); ok {\n\t\treturn n\n\t}\n\ts = strings.TrimSpace(s)\n"},
	// Variables are kept behind pointers, so assigning to one that
	// exists updates it in place: one map lookup instead of two.
	{"interp/vars.go", "\tvalues map[string]namedVariable\n", "\tvalues map[string]*namedVariable\n"},
	{"interp/vars.go", "\tprev, inOverlay := o.values[normalized]\n", "\tslot := o.values[normalized]\n\tinOverlay := slot != nil\n\tvar prev namedVariable\n\tif inOverlay {\n\t\tprev = *slot\n\t}\n"},
	{"interp/vars.go", "\t\to.values = make(map[string]namedVariable)\n", "\t\to.values = make(map[string]*namedVariable)\n"},
	{"interp/vars.go", "\t\t\to.values[normalized] = namedVariable{name, vr}\n\t\t\treturn nil\n", "\t\t\to.put(slot, normalized, namedVariable{name, vr})\n\t\t\treturn nil\n"},
	{"interp/vars.go", "\t\tdelete(o.values, normalized)\n\t}\n", "\t\tdelete(o.values, normalized)\n\t\tslot = nil\n\t}\n"},
	{"interp/vars.go", "\tvr.Local = prev.Local || vr.Local\n\to.values[normalized] = namedVariable{name, vr}\n", "\tvr.Local = prev.Local || vr.Local\n\to.put(slot, normalized, namedVariable{name, vr})\n"},
	// A nameref is resolved only when the variable is one (Resolve's
	// Environ argument is an interface conversion, an itab lookup).
	{"interp/vars.go", "\tif n, v := prev.Resolve(r.writeEnv); n != \"\" {\n\t\tname, prev = n, v\n\t}\n\tprev.Set = true\n", "\tif prev.Kind == expand.NameRef {\n\t\tif n, v := prev.Resolve(r.writeEnv); n != \"\" {\n\t\t\tname, prev = n, v\n\t\t}\n\t}\n\tprev.Set = true\n"},
	// No generic cmp.Or on interfaces for every expansion.
	{"expand/expand.go", "\t\"cmp\"\n", ""},
	{"expand/expand.go", "\tcfg = cmp.Or(cfg, zeroConfig)\n\tcfg.Env = cmp.Or(cfg.Env, FuncEnviron(func(string) string { return \"\" }))\n", "\tif cfg == nil {\n\t\tcfg = zeroConfig\n\t}\n\tif cfg.Env == nil {\n\t\tcfg.Env = FuncEnviron(func(string) string { return \"\" })\n\t}\n"},
	// String lookups for expansions and arithmetic without copying whole
	// Variables through interface calls.
	{"expand/expand.go", "type Config struct {\n", "type Config struct {\n\t// GetString, if set, looks a variable up as Env.Get does and gives\n\t// only its string value, kind and whether it is set (added by\n\t// sockerless: expansions skip copying the whole Variable).\n\tGetString func(name string) (str string, kind ValueKind, set bool)\n\n"},
	{"expand/expand.go", "func (cfg *Config) envGet(name string) string {\n", "func (cfg *Config) envGet(name string) string {\n\tif s, ok := cfg.fastEnvGet(name); ok {\n\t\treturn s\n\t}\n"},
	{"interp/runner.go", "\tr.ecfg = &expand.Config{\n\t\tEnv: expandEnv{r},\n", "\tr.ecfg = &expand.Config{\n\t\tEnv:       expandEnv{r},\n\t\tGetString: r.getString,\n"},
	// name=value (no command) on an existing string variable: assigned in place.
	{"interp/runner.go", "\t\t\tfor _, as := range cm.Assigns {\n\t\t\t\tname := as.Name.Value\n\n\t\t\t\tprev := r.lookupVar(name)\n", "\t\t\tfor _, as := range cm.Assigns {\n\t\t\t\tif !tracingEnabled && r.fastAssign(as) {\n\t\t\t\t\tcontinue\n\t\t\t\t}\n\t\t\t\tname := as.Name.Value\n\n\t\t\t\tprev := r.lookupVar(name)\n"},
	// $IFS is looked up again only after it may have changed.
	{"interp/vars.go", "func (o *overlayEnviron) Set(name string, vr expand.Variable) error {\n", "func (o *overlayEnviron) Set(name string, vr expand.Variable) error {\n\tif name == \"IFS\" {\n\t\tifsMoved()\n\t}\n"},
	{"interp/runner.go", "\t\tr.writeEnv = origEnv\n", "\t\tr.writeEnv = origEnv\n\t\tifsMoved() // the function's locals are gone\n"},
	{"interp/api.go", "\tr.writeEnv = &overlayEnviron{parent: r.Env}\n", "\tr.writeEnv = &overlayEnviron{parent: r.Env}\n\tifsMoved()\n"},
	// Variables: ordinary names go straight to the environment.
	// An unseeded $RANDOM draws from a generator seeded at its first use,
	// not from Go's global one: the sandbox starts every process from one
	// memory snapshot, runtime random state included, so the global
	// generator gave every container the same sequence.
	{"interp/vars.go", "\t\t\tn = mathrand.IntN(randomMax)\n", "\t\t\tn = randomIntN(randomMax)\n"},
	{"interp/vars.go", "\tvar vr expand.Variable\n\tswitch name {\n\tcase \"#\":\n", "\tif internal.FastPaths && !specialVar(name) {\n\t\tif vr := r.writeEnv.Get(name); vr.Declared() {\n\t\t\treturn vr\n\t\t}\n\t\treturn expand.Variable{}\n\t}\n\tvar vr expand.Variable\n\tswitch name {\n\tcase \"#\":\n"},
}

// overlay holds files added to the module, each under the package
// directory it belongs to; their first line is a build tag that keeps
// them out of this module's build.
//
//go:embed overlay
var overlay embed.FS

const overlayTag = "//go:build ignore\n"

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: shpatch SRC_MODULE_DIR DST_DIR")
		os.Exit(2)
	}
	src, dst := os.Args[1], os.Args[2]
	if err := run(src, dst); err != nil {
		fmt.Fprintln(os.Stderr, "shpatch:", err)
		os.Exit(1)
	}
}

func run(src, dst string) error {
	if err := os.RemoveAll(dst); err != nil {
		return err
	}
	if err := copyTree(src, dst); err != nil {
		return err
	}
	for _, c := range changes {
		p := filepath.Join(dst, c.file)
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if n := strings.Count(string(b), c.old); n != 1 {
			return fmt.Errorf("%s: expected text found %d times, want once: %q", c.file, n, c.old)
		}
		if err := os.WriteFile(p, []byte(strings.Replace(string(b), c.old, c.new, 1)), 0o644); err != nil {
			return err
		}
	}
	// The _js.go suffix would still limit the file to GOOS=js.
	if err := os.Rename(filepath.Join(dst, "interp/stdin_js.go"), filepath.Join(dst, "interp/stdin_inproc.go")); err != nil {
		return err
	}
	return fs.WalkDir(overlay, "overlay", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := overlay.ReadFile(p)
		if err != nil {
			return err
		}
		text, ok := strings.CutPrefix(string(b), overlayTag)
		if !ok {
			return fmt.Errorf("%s: does not start with %q", p, overlayTag)
		}
		return os.WriteFile(filepath.Join(dst, strings.TrimPrefix(p, "overlay/")), []byte(strings.TrimLeft(text, "\n")), 0o644)
	})
}

func copyTree(src, dst string) error {
	return filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		out := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(out, 0o755)
		}
		if !d.Type().IsRegular() {
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(out, b, 0o644)
	})
}
