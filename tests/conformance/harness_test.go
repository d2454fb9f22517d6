package conformance

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/sockerless/sockerless/tests/refdocker"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden from the reference engine's outputs")

// scenario is one script from scenarios/ with its header.
type scenario struct {
	Name     string // file name without .sh
	Path     string
	Index    int
	Title    string   // "# Scenario:"
	Compare  []string // "# compare:" subset of stdout, stderr, exit (default stdout exit)
	KnownDif string   // "# known-difference:" reason; a mismatch is reported, not failed
	// "# known-difference[<backend>]:" reasons: the same, only when every
	// container runs on that backend (CONFORMANCE_BACKEND).
	KnownDifOn map[string]string
	Timeout    time.Duration // "# timeout:" seconds (default 90)
}

func (s *scenario) compares(what string) bool {
	for _, c := range s.Compare {
		if c == what {
			return true
		}
	}
	return false
}

// loadScenarios reads every scenarios/*.sh, sorted by name.
func loadScenarios(t testing.TB) []*scenario {
	t.Helper()
	paths, err := filepath.Glob("scenarios/*.sh")
	if err != nil || len(paths) == 0 {
		t.Fatalf("no scenarios: %v", err)
	}
	sort.Strings(paths)
	var out []*scenario
	for i, p := range paths {
		s, err := parseScenario(p)
		if err != nil {
			t.Fatal(err)
		}
		s.Index = i
		out = append(out, s)
	}
	return out
}

func parseScenario(path string) (*scenario, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	abs, _ := filepath.Abs(path)
	s := &scenario{
		Name:    strings.TrimSuffix(filepath.Base(path), ".sh"),
		Path:    abs,
		Compare: []string{"stdout", "exit"},
		Timeout: 90 * time.Second,
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		line := sc.Text()
		if !strings.HasPrefix(line, "#") {
			break
		}
		key, val, ok := strings.Cut(strings.TrimSpace(strings.TrimPrefix(line, "#")), ":")
		if !ok {
			continue
		}
		val = strings.TrimSpace(val)
		key = strings.ToLower(strings.TrimSpace(key))
		if b, ok := strings.CutPrefix(key, "known-difference["); ok && strings.HasSuffix(b, "]") {
			b = strings.TrimSuffix(b, "]")
			if b == "" || val == "" {
				return nil, fmt.Errorf("%s: %s needs a backend name and a reason", path, key)
			}
			if s.KnownDifOn == nil {
				s.KnownDifOn = map[string]string{}
			}
			s.KnownDifOn[b] = val
			continue
		}
		switch key {
		case "scenario":
			s.Title = val
		case "compare":
			s.Compare = strings.FieldsFunc(val, func(r rune) bool { return r == ',' || r == ' ' })
			for _, c := range s.Compare {
				if c != "stdout" && c != "stderr" && c != "exit" {
					return nil, fmt.Errorf("%s: compare: unknown stream %q", path, c)
				}
			}
		case "known-difference":
			if val == "" {
				return nil, fmt.Errorf("%s: known-difference needs a reason", path)
			}
			s.KnownDif = val
		case "timeout":
			n, err := strconv.Atoi(val)
			if err != nil {
				return nil, fmt.Errorf("%s: timeout: %v", path, err)
			}
			s.Timeout = time.Duration(n) * time.Second
		}
	}
	if s.Title == "" {
		return nil, fmt.Errorf("%s: missing '# Scenario: …' header", path)
	}
	return s, nil
}

// engine is one Docker API endpoint under test.
type engine struct {
	Name     string   // "docker" or "sockerless"
	Env      []string // DOCKER_HOST=… and friends
	DataRoot string
	Err      error // set when the engine could not be started: every scenario fails with it

	// Backend is where sockerless places every container ("" for the
	// sandbox); Far is the engine behind it (its data root is normalised
	// like DataRoot, and containers left on it count as leaks).
	Backend string
	Far     *refdocker.Engine
}

// result is one scenario's run on one engine.
type result struct {
	Stdout, Stderr string // raw
	Exit           int
	Dur            time.Duration
	Err            error // timeout or failure to run bash
	Norm           normalized
}

type normalized struct{ Stdout, Stderr string }

// render is the text that goldens hold and that comparisons diff.
func (s *scenario) render(r *result) string {
	var b strings.Builder
	if s.compares("exit") {
		fmt.Fprintf(&b, "exit: %d\n", r.Exit)
	}
	if s.compares("stdout") {
		b.WriteString("--- stdout\n")
		b.WriteString(withNL(r.Norm.Stdout))
	}
	if s.compares("stderr") {
		b.WriteString("--- stderr\n")
		b.WriteString(withNL(r.Norm.Stderr))
	}
	return b.String()
}

func withNL(s string) string {
	if s == "" || strings.HasSuffix(s, "\n") {
		return s
	}
	return s + "\n"
}

func randHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// runID makes name prefixes unique per run; it contains a non-hex letter so
// a prefix can never be taken for an id.
func prefixFor(runID string, s *scenario) string {
	return fmt.Sprintf("cf%ss%03d", runID, s.Index)
}

// runAll runs every scenario on e with a small worker pool and returns the
// results by scenario name. It also reports objects (containers, volumes,
// networks, images) a scenario left behind as that scenario's error.
func runAll(t testing.TB, e *engine, scs []*scenario) map[string]*result {
	t.Helper()
	res := make(map[string]*result, len(scs))
	if e.Err != nil {
		for _, s := range scs {
			res[s.Name] = &result{Exit: -1, Err: fmt.Errorf("%s did not start (reason reported above)", e.Name)}
		}
		return res
	}
	runID := randHex(3)
	jobs := 4
	if n, err := strconv.Atoi(os.Getenv("CONFORMANCE_JOBS")); err == nil && n > 0 {
		jobs = n
	}
	var mu sync.Mutex
	work := make(chan *scenario)
	var wg sync.WaitGroup
	for i := 0; i < jobs; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for s := range work {
				r := runScenario(e, s, prefixFor(runID, s))
				mu.Lock()
				res[s.Name] = r
				mu.Unlock()
			}
		}()
	}
	start := time.Now()
	for _, s := range scs {
		work <- s
	}
	close(work)
	wg.Wait()
	t.Logf("%s: %d scenarios in %v (%d workers)", e.Name, len(scs), time.Since(start).Round(time.Millisecond), jobs)
	found := leaks(e.Env, runID, "", "container", "volume", "network", "image")
	if e.Far != nil {
		// A container sockerless removed must be gone from the far engine too.
		for p, l := range leaks(e.Far.Env(), runID, e.Backend+" backend: ", "container") {
			found[p] = append(found[p], l...)
		}
	}
	for name, leak := range found {
		for _, s := range scs {
			if prefixFor(runID, s) == name {
				r := res[s.Name]
				r.Err = errors.Join(r.Err, fmt.Errorf("left behind after the scenario: %s", strings.Join(leak, ", ")))
			}
		}
	}
	saveOutputs(t, e, scs, res)
	return res
}

// label names the engine in logs and paths: "sockerless-docker" when
// its containers run on the docker backend.
func (e *engine) label() string {
	if e.Backend != "" {
		return e.Name + "-" + e.Backend
	}
	return e.Name
}

func runScenario(e *engine, s *scenario, prefix string) *result {
	tmp, err := os.MkdirTemp("", "conformance-")
	if err != nil {
		return &result{Exit: -1, Err: err}
	}
	defer os.RemoveAll(tmp)
	ctx, cancel := context.WithTimeout(context.Background(), s.Timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, "bash", "-e", s.Path)
	cmd.Dir = tmp
	cmd.Env = append(cleanEnv(), e.Env...)
	cmd.Env = append(cmd.Env, "P="+prefix, "T="+tmp, "TMPDIR="+tmp, "LC_ALL=C", "TZ=UTC")
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	cmd.WaitDelay = 5 * time.Second
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	cmd.Stdin = nil
	start := time.Now()
	err = cmd.Run()
	r := &result{Stdout: stdout.String(), Stderr: stderr.String(), Dur: time.Since(start)}
	var ee *exec.ExitError
	switch {
	case ctx.Err() != nil:
		r.Exit = -1
		r.Err = fmt.Errorf("timed out after %v", s.Timeout)
	case errors.As(err, &ee):
		r.Exit = ee.ExitCode()
	case err != nil:
		r.Exit = -1
		r.Err = err
	}
	n := Normalizer{Literals: [][2]string{{tmp, "<T>"}, {prefix, "P"}, {e.DataRoot, "<root>"}}}
	if e.Far != nil {
		n.Literals = append(n.Literals, [2]string{e.Far.DataRoot, "<root>"})
	}
	r.Norm = normalized{Stdout: n.Normalize(r.Stdout), Stderr: n.Normalize(r.Stderr)}
	return r
}

// cleanEnv is the test's environment without anything that would point
// the docker CLI elsewhere.
func cleanEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if strings.HasPrefix(kv, "DOCKER_") || strings.HasPrefix(kv, "P=") || strings.HasPrefix(kv, "T=") {
			continue
		}
		env = append(env, kv)
	}
	return env
}

// leaks lists, per name prefix of this run, the objects still present on
// the engine env points at (each described with where in front), of the
// given kinds.
func leaks(env []string, runID, where string, kinds ...string) map[string][]string {
	out := map[string][]string{}
	tag := "cf" + runID + "s"
	for _, q := range []struct{ kind, format string }{
		{"container", "ps -a --format {{.Names}}"},
		{"volume", "volume ls --format {{.Name}}"},
		{"network", "network ls --format {{.Name}}"},
		{"image", "images --format {{.Repository}}"},
	} {
		if !slices.Contains(kinds, q.kind) {
			continue
		}
		cmd := exec.Command("docker", strings.Fields(q.format)...)
		cmd.Env = append(cleanEnv(), env...)
		data, err := cmd.Output()
		if err != nil {
			continue
		}
		for _, name := range strings.Fields(string(data)) {
			i := strings.Index(name, tag)
			if i < 0 || len(name) < i+len(tag)+3 {
				continue
			}
			p := name[i : i+len(tag)+3]
			out[p] = append(out[p], where+q.kind+" "+name)
		}
	}
	return out
}

// saveOutputs writes every raw and normalised output under
// build/conformance/<engine>/ for people to look at.
func saveOutputs(t testing.TB, e *engine, scs []*scenario, res map[string]*result) {
	dir := filepath.Join(repoRoot(t), "build", "conformance", e.label())
	os.RemoveAll(dir)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Logf("save outputs: %v", err)
		return
	}
	for _, s := range scs {
		r := res[s.Name]
		raw := fmt.Sprintf("exit: %d\nerror: %v\nduration: %v\n--- stdout\n%s--- stderr\n%s", r.Exit, r.Err, r.Dur.Round(time.Millisecond), withNL(r.Stdout), withNL(r.Stderr))
		os.WriteFile(filepath.Join(dir, s.Name+".raw"), []byte(raw), 0o644)
		os.WriteFile(filepath.Join(dir, s.Name+".out"), []byte(s.render(r)), 0o644)
	}
}

var rootOnce struct {
	sync.Once
	dir string
}

// repoRoot is the directory holding go.mod.
func repoRoot(t testing.TB) string {
	rootOnce.Do(func() {
		dir, _ := os.Getwd()
		for d := dir; d != "/"; d = filepath.Dir(d) {
			if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
				rootOnce.dir = d
				return
			}
		}
	})
	if rootOnce.dir == "" {
		t.Fatal("go.mod not found above the test directory")
	}
	return rootOnce.dir
}

// checkReference fails t unless the scenario ran green on the reference
// engine and its output matches the golden file (or rewrites the golden
// with -update).
func checkReference(t *testing.T, s *scenario, r *result) bool {
	t.Helper()
	if r.Err != nil || r.Exit != 0 {
		t.Errorf("reference engine: scenario failed (exit %d, %v)\n--- stdout\n%s--- stderr\n%s", r.Exit, r.Err, withNL(r.Stdout), withNL(r.Stderr))
		return false
	}
	golden := filepath.Join("testdata", s.Name+".golden")
	got := s.render(r)
	if *update {
		if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return true
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Errorf("reference engine: no golden output (run with -update): %v", err)
		return false
	}
	if string(want) != got {
		t.Errorf("reference engine: output differs from %s (nondeterministic scenario, or the reference changed; -update rewrites it):\n%s", golden, diff(string(want), got, "golden", "reference"))
		return false
	}
	return true
}

// diff shows the two texts from their first differing line on.
func diff(a, b, aName, bName string) string {
	al := strings.SplitAfter(a, "\n")
	bl := strings.SplitAfter(b, "\n")
	i := 0
	for i < len(al) && i < len(bl) && al[i] == bl[i] {
		i++
	}
	from := max(0, i-3)
	var sb strings.Builder
	fmt.Fprintf(&sb, "first difference at line %d\n", i+1)
	show := func(name string, lines []string) {
		fmt.Fprintf(&sb, "=== %s (from line %d)\n", name, from+1)
		end := min(len(lines), i+15)
		for j := from; j < end; j++ {
			mark := "  "
			if j >= i {
				mark = "! "
			}
			sb.WriteString(mark + strings.TrimSuffix(lines[j], "\n") + "\n")
		}
		if end < len(lines) {
			fmt.Fprintf(&sb, "  … %d more lines\n", len(lines)-end)
		}
	}
	show(aName, al)
	show(bName, bl)
	return sb.String()
}

// referenceEngine starts the reference dockerd for the test (failing, never
// skipping, when it cannot start).
func referenceEngine(t *testing.T) *engine {
	ref := refdocker.New(t)
	return &engine{Name: "docker", Env: ref.Env(), DataRoot: ref.DataRoot}
}

// requireSelected runs the engine-backed suites only when asked for: by
// `make conformance` (CONFORMANCE=1) or by naming the test in -run. Plain
// `go test ./...` skips them with this explanation; it never skips a
// selected suite, and a selected suite fails when an engine cannot start.
func requireSelected(t *testing.T) {
	if os.Getenv("CONFORMANCE") == "1" {
		return
	}
	if f := flag.Lookup("test.run"); f != nil && strings.Contains(f.Value.String(), t.Name()) {
		return
	}
	t.Skipf("differential suite: run `make conformance`, `go test ./tests/conformance -run %s`, or set CONFORMANCE=1", t.Name())
}

// TestScenarioHeaders checks the scenario files' headers without any engine.
func TestScenarioHeaders(t *testing.T) {
	scs := loadScenarios(t)
	if len(scs) < 60 {
		t.Errorf("%d scenarios, want at least 60", len(scs))
	}
	for _, s := range scs {
		if _, err := os.Stat(filepath.Join("testdata", s.Name+".golden")); err != nil {
			t.Errorf("%s: no golden output: %v", s.Name, err)
		}
	}
}

// TestReferenceOnly runs every scenario against the reference Docker Engine
// only: each must run green and match its golden output.
func TestReferenceOnly(t *testing.T) {
	requireSelected(t)
	scs := loadScenarios(t)
	ref := referenceEngine(t)
	res := runAll(t, ref, scs)
	failed := 0
	for _, s := range scs {
		t.Run(s.Name, func(t *testing.T) {
			if !checkReference(t, s, res[s.Name]) {
				failed++
			}
		})
	}
	t.Logf("reference: %d/%d scenarios green", len(scs)-failed, len(scs))
}

// TestConformance runs every scenario against the reference Docker Engine
// and against sockerless, and compares their normalised outputs.
//
// With CONFORMANCE_BACKEND=<backend> (`make conformance-backend`), every
// container sockerless makes is placed on that backend instead of the
// sandbox: a second private dockerd (the far engine the docker backend
// drives; not the reference, whose `ps` and filters it would pollute) runs
// the containers, and sockerless's outputs are compared with the golden
// outputs, which the plain run checks against the live reference. Only
// "# known-difference[<backend>]:" headers excuse a mismatch there.
func TestConformance(t *testing.T) {
	requireSelected(t)
	scs := loadScenarios(t)
	onBackend := os.Getenv("CONFORMANCE_BACKEND")
	switch onBackend {
	case "", "docker":
	default:
		t.Fatalf("CONFORMANCE_BACKEND=%s: the conformance harness can place containers on the docker backend only", onBackend)
	}
	var ref, sk *engine
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		if onBackend == "" {
			sk = sockerlessEngine(t)
			return
		}
		far, err := refdocker.Start(context.Background(), refdocker.Options{})
		if err != nil {
			sk = &engine{Name: "sockerless", Backend: onBackend, Err: fmt.Errorf("the far engine of the %s backend: %w", onBackend, err)}
			return
		}
		t.Cleanup(func() {
			if err := far.Close(); err != nil {
				t.Errorf("far engine: close: %v", err)
			}
		})
		sk = sockerlessEngine(t, "--default-backend", onBackend, "--backend-opt", onBackend+".host="+far.Host)
		sk.Backend, sk.Far = onBackend, far
	}()
	if onBackend == "" {
		ref = referenceEngine(t)
	}
	wg.Wait()
	if sk.Err != nil {
		t.Errorf("sockerless: %v", sk.Err)
	}

	var refRes, skRes map[string]*result
	wg.Add(1)
	if ref != nil {
		wg.Add(1)
		go func() { defer wg.Done(); refRes = runAll(t, ref, scs) }()
	}
	go func() { defer wg.Done(); skRes = runAll(t, sk, scs) }()
	wg.Wait()

	var pass, fail, known, unchecked []string
	for _, s := range scs {
		knownDiff, ran := false, false
		ok := t.Run(s.Name, func(t *testing.T) {
			ran = true
			var want string
			reason := s.KnownDif
			if ref != nil {
				rr := refRes[s.Name]
				if !checkReference(t, s, rr) {
					return
				}
				want = s.render(rr)
			} else {
				golden, err := os.ReadFile(filepath.Join("testdata", s.Name+".golden"))
				if err != nil {
					t.Errorf("no golden output: %v", err)
					return
				}
				want = string(golden)
				reason = s.KnownDifOn[onBackend]
			}
			sr := skRes[s.Name]
			var got string
			if sr.Err != nil {
				got = fmt.Sprintf("error: %v\n", sr.Err)
			}
			got += s.render(sr)
			if want == got {
				if reason != "" {
					t.Logf("known difference (%s) no longer shows: remove the header", reason)
				}
				return
			}
			msg := fmt.Sprintf("%s: %s differs from Docker Engine:\n%s", s.Title, sk.label(), diff(want, got, "docker", sk.label()))
			if reason != "" {
				t.Logf("known difference: %s\n%s", reason, msg)
				knownDiff = true
				return
			}
			t.Error(msg)
		})
		switch {
		case !ran:
			unchecked = append(unchecked, s.Name) // not selected by -run
		case !ok:
			fail = append(fail, s.Name)
		case knownDiff:
			known = append(known, s.Name)
		default:
			pass = append(pass, s.Name)
		}
	}
	summary := fmt.Sprintf("conformance (%s): %d scenarios: %d pass, %d known differences, %d fail, %d not checked\npass: %s\nknown: %s\nfail: %s\nnot checked (-run): %s\n",
		sk.label(), len(scs), len(pass), len(known), len(fail), len(unchecked), strings.Join(pass, " "), strings.Join(known, " "), strings.Join(fail, " "), strings.Join(unchecked, " "))
	name := "summary.txt"
	if onBackend != "" {
		name = "summary-" + onBackend + ".txt"
	}
	os.WriteFile(filepath.Join(repoRoot(t), "build", "conformance", name), []byte(summary), 0o644)
	t.Log(summary)
}
