// Package awk is a POSIX awk interpreter registered as the "awk" builtin.
//
// Programs are parsed into a tree whose variables are resolved to slots
// at parse time, then walked. Regular expressions are POSIX EREs
// translated to Go's regexp syntax with leftmost-longest matching.
// Behaviour follows busybox awk where busybox and POSIX disagree (number
// parsing with 0x/0 prefixes, substr rounding, for-in order, exit
// statuses), since busybox is the reference the sandbox is tested
// against. The package runs commands (system, pipes) only through
// Env.Exec and touches files only through package os.
package awk

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/sockerless/sockerless/builtins"
)

const usage = `Usage: awk [OPTIONS] [AWK_PROGRAM] [FILE]...

Pattern scanning and processing language (POSIX awk)

	-v VAR=VAL	Set variable
	-F SEP		Use SEP as field separator
	-f FILE		Read program from FILE
	-e AWK_PROGRAM	Program text (may be combined with -f)
	--		End of options
`

func init() {
	builtins.Register(&builtins.Command{Name: "awk", Usage: usage, Run: run})
}

func timeNow() int64 { return time.Now().Unix() }

// errStatus is the exit status of syntax and run-time errors, as busybox
// awk returns it.
const errStatus = 1

func run(ctx context.Context, env *builtins.Env, args []string) int {
	var fs *string
	var assigns [][2]string
	var progFiles []string
	var progTexts []string
	i := 1
	bad := func(msg string) int {
		fmt.Fprintf(env.Stderr, "awk: %s\n", msg)
		fmt.Fprint(env.Stderr, usage)
		return errStatus
	}
	for i < len(args) {
		a := args[i]
		if a == "--" {
			i++
			break
		}
		if len(a) < 2 || a[0] != '-' {
			break
		}
		opt := a[1]
		var val string
		switch opt {
		case 'F', 'v', 'f', 'e', 'W':
			if len(a) > 2 {
				val = a[2:]
			} else {
				if i+1 >= len(args) {
					return bad(fmt.Sprintf("option requires an argument -- '%c'", opt))
				}
				i++
				val = args[i]
			}
		case '-':
			switch {
			case strings.HasPrefix(a, "--field-separator="):
				opt, val = 'F', strings.TrimPrefix(a, "--field-separator=")
			case strings.HasPrefix(a, "--assign="):
				opt, val = 'v', strings.TrimPrefix(a, "--assign=")
			case strings.HasPrefix(a, "--file="):
				opt, val = 'f', strings.TrimPrefix(a, "--file=")
			case a == "--version":
				fmt.Fprintln(env.Stdout, "awk (sockerless) POSIX awk")
				return 0
			default:
				return bad(fmt.Sprintf("unrecognized option '%s'", a))
			}
		default:
			return bad(fmt.Sprintf("invalid option -- '%c'", opt))
		}
		switch opt {
		case 'F':
			v := unescapeString(val)
			fs = &v
		case 'v':
			name, v, ok := isAssignment(val)
			if !ok {
				return bad("invalid -v argument: " + val)
			}
			assigns = append(assigns, [2]string{name, v})
		case 'f':
			progFiles = append(progFiles, val)
		case 'e':
			progTexts = append(progTexts, val)
		case 'W':
			fmt.Fprintf(env.Stderr, "awk: warning: option -W is ignored\n")
		}
		i++
	}
	var src string
	if len(progFiles) > 0 || len(progTexts) > 0 {
		var b strings.Builder
		for _, f := range progFiles {
			var data []byte
			var err error
			if f == "-" {
				data, err = readAll(env)
			} else {
				data, err = os.ReadFile(env.Abs(f))
			}
			if err != nil {
				fmt.Fprintf(env.Stderr, "awk: can't open '%s': %s\n", f, errText(err))
				return errStatus
			}
			b.Write(data)
			b.WriteByte('\n')
		}
		for _, t := range progTexts {
			b.WriteString(t)
			b.WriteByte('\n')
		}
		src = b.String()
	} else {
		if i >= len(args) {
			return bad("no program text")
		}
		src = args[i]
		i++
	}
	prog, err := parse(src)
	if err != nil {
		fmt.Fprintf(env.Stderr, "awk: %v\n", err)
		return errStatus
	}
	return execute(ctx, env, prog, fs, assigns, args[i:])
}

func readAll(env *builtins.Env) ([]byte, error) {
	var b strings.Builder
	_, err := bufio.NewReader(env.Stdin).WriteTo(&b)
	return []byte(b.String()), err
}

func execute(ctx context.Context, env *builtins.Env, prog *program, fs *string, assigns [][2]string, operands []string) (status int) {
	in := &interp{
		ctx:      ctx,
		env:      env,
		prog:     prog,
		globals:  make([]value, len(prog.globals)),
		arrays:   make([]*array, len(prog.globals)),
		outputs:  map[string]*outStream{},
		inputs:   map[string]*inStream{},
		reCache:  map[string]*regexp.Regexp{},
		rawOut:   &lockedWriter{w: env.Stdout},
		rawErr:   &lockedWriter{w: env.Stderr},
		argIndex: 1,
	}
	in.stdout = bufio.NewWriterSize(in.rawOut, 64*1024)
	in.seed = 1 // busybox starts as if srand(1) had been called
	in.rng.seed(1)
	for _, s := range prog.globals {
		if s.array {
			in.arrays[s.idx] = newArray()
		}
	}
	in.fs, in.ofs, in.ors, in.rs, in.subsep, in.convfmt, in.ofmt = " ", " ", "\n", "\n", "\x1c", "%.6g", "%.6g"
	for sp, v := range map[int]string{spFS: " ", spOFS: " ", spORS: "\n", spRS: "\n", spSUBSEP: "\x1c", spCONVFMT: "%.6g", spOFMT: "%.6g"} {
		in.globals[sp] = str(v)
	}
	in.globals[spRSTART] = num(0)
	in.globals[spRLENGTH] = num(-1)
	in.updateFS()

	defer func() {
		if r := recover(); r != nil {
			if _, ok := r.(brokenPipe); ok {
				in.closeAll()
				status = 128 + 13
				return
			}
			msg := fmt.Sprintf("internal error: %v", r)
			if re, ok := r.(*runtimeError); ok {
				msg = re.msg
			}
			in.closeAll()
			fmt.Fprintf(env.Stderr, "awk: cmd. line:1: %s\n", msg)
			status = errStatus
		}
	}()

	envArr := in.arrays[in.symIdx("ENVIRON")]
	for _, kv := range env.Environ {
		k, v, _ := strings.Cut(kv, "=")
		*envArr.get(k) = strnum(v)
	}
	argv := in.arrays[in.symIdx("ARGV")]
	*argv.get("0") = str("awk")
	for j, op := range operands {
		*argv.get(strconv.Itoa(j + 1)) = strnum(op)
	}
	in.globals[in.symIdx("ARGC")] = num(float64(len(operands) + 1))
	if fs != nil {
		in.setSpecial(spFS, str(*fs))
	}
	for _, a := range assigns {
		in.assignVar(a[0], a[1])
	}

	exiting := false
	for _, r := range prog.begin {
		if in.runAction(r.body) == cExit {
			exiting = true
			break
		}
	}
	if !exiting && (len(prog.rules) > 0 || len(prog.end) > 0) {
		in.mainLoop()
	}
	// END runs even after exit, as in every awk
	in.inEnd = true
	for _, r := range prog.end {
		if in.runAction(r.body) == cExit {
			break
		}
	}
	in.closeAll()
	return in.exitCode
}

// runAction runs a BEGIN or END action, turning next/exit raised inside
// functions into control codes.
func (in *interp) runAction(body []stmt) (c ctrl) {
	defer func() {
		if r := recover(); r != nil {
			cp, ok := r.(ctrlPanic)
			if !ok {
				panic(r)
			}
			in.frame, in.depth = nil, 0
			c = ctrl(cp)
		}
	}()
	return in.execBlock(body)
}

// mainLoop reads every record and runs the pattern-action rules until
// the input ends or exit is called.
func (in *interp) mainLoop() {
	for {
		rec, ok := in.nextMainRecord()
		if !ok {
			return
		}
		in.nr++
		in.fnr++
		in.setRecord(rec)
		in.tick()
		switch in.runRules() {
		case cExit:
			return
		case cNextFile:
			in.endMainFile()
		}
	}
}

func (in *interp) runRules() (c ctrl) {
	defer func() {
		if r := recover(); r != nil {
			cp, ok := r.(ctrlPanic)
			if !ok {
				panic(r)
			}
			in.frame, in.depth = nil, 0
			c = ctrl(cp)
		}
	}()
	rules := in.prog.rules
	for i := range rules {
		r := &rules[i]
		if !in.matches(r) {
			continue
		}
		if !r.hasBody {
			in.stdout.WriteString(in.record)
			if _, err := in.stdout.WriteString(in.ors); err != nil {
				panic(brokenPipe{})
			}
			continue
		}
		switch c := in.execBlock(r.body); c {
		case cNext:
			return cNone
		case cNextFile, cExit:
			return c
		}
	}
	return cNone
}

func (in *interp) matches(r *rule) bool {
	if r.pattern == nil {
		return true
	}
	if r.pattern2 == nil {
		return r.pattern.eval(in).toBool()
	}
	if !r.inRange {
		if !r.pattern.eval(in).toBool() {
			return false
		}
		r.inRange = true
	}
	if r.pattern2.eval(in).toBool() {
		r.inRange = false
	}
	return true
}

func (in *interp) symIdx(name string) int {
	for _, s := range in.prog.globals {
		if s != nil && s.name == name {
			return s.idx
		}
	}
	return -1
}

// assignVar performs a -v or command-line var=value assignment.
func (in *interp) assignVar(name, val string) {
	idx := in.symIdx(name)
	if idx < 0 {
		return
	}
	s := in.prog.globals[idx]
	if s.array {
		in.fatalf("can't assign to array %s", name)
	}
	v := strnum(unescapeString(val))
	if s.special != 0 {
		in.setSpecial(s.special, v)
		return
	}
	in.globals[idx] = v
}
