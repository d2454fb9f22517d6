package ci

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/sockerless/sockerless/tests/refdocker"
)

// Image names the pipelines use. On the reference engine every one is the
// Debian rootfs (docker import); sockerless gets none of them: offline it
// must serve its sandbox base image for any name it cannot pull.
const actImage = "ci-runner:ubuntu-latest"

var referenceTags = []string{
	actImage,
	"debian:bookworm",
	"alpine:3.19",
	"golang:1.22",
	"node:20",
	"python:3.12-slim",
	"postgres:16",
	"docker.io/firecow/gitlab-ci-local-util:latest", // gitlab-ci-local's default helper
}

// parallel bounds how many act / gitlab-ci-local runs go at once: both
// tools take seconds to start and the suite must fit in minutes on 2 cores.
const parallel = 4

var (
	root     string // repository root
	toolsDir string // build/tools
	setupMu  sync.Mutex
	setupErr error
	setupDid bool

	refMu  sync.Mutex
	ref    *engine
	refErr error

	slMu  sync.Mutex
	sl    *engine
	slErr error

	// refResults holds the reference run of each case for the parity check.
	refResults sync.Map // case name -> *runResult
	sem        = make(chan struct{}, parallel)
)

// engine is one Docker API endpoint the tools are pointed at.
type engine struct {
	name  string
	host  string // DOCKER_HOST
	close func()
	log   func() string
}

func TestMain(m *testing.M) {
	code := m.Run()
	if ref != nil {
		ref.close()
	}
	if sl != nil {
		sl.close()
	}
	os.Exit(code)
}

func init() {
	wd, _ := os.Getwd()
	root = filepath.Clean(filepath.Join(wd, "..", ".."))
	toolsDir = filepath.Join(root, "build", "tools")
}

// setup runs tests/ci/setup.sh once: act, gitlab-ci-local, Node 22 and the
// Debian rootfs tarball. A failure fails every test that needs them.
func setup(t *testing.T) {
	t.Helper()
	setupMu.Lock()
	defer setupMu.Unlock()
	if !setupDid {
		setupDid = true
		cmd := exec.Command(filepath.Join(root, "tests", "ci", "setup.sh"))
		out, err := cmd.CombinedOutput()
		if err != nil {
			setupErr = fmt.Errorf("tests/ci/setup.sh: %v\n%s", err, out)
		}
		for _, p := range []string{actBin(), gclBin(), nodeBin(), rootfsTar()} {
			if _, err := os.Stat(p); err != nil && setupErr == nil {
				setupErr = fmt.Errorf("missing after tests/ci/setup.sh: %v", err)
			}
		}
		if _, err := exec.LookPath("rsync"); err != nil && setupErr == nil {
			setupErr = fmt.Errorf("gitlab-ci-local needs rsync on the host (tests/deps.sh installs it)")
		}
		if _, err := exec.LookPath("git"); err != nil && setupErr == nil {
			setupErr = fmt.Errorf("git is missing")
		}
		if _, err := exec.LookPath("docker"); err != nil && setupErr == nil {
			setupErr = fmt.Errorf("the docker CLI is missing (tests/deps.sh installs it)")
		}
	}
	if setupErr != nil {
		t.Fatal(setupErr)
	}
}

func actBin() string { return filepath.Join(toolsDir, "act") }
func gclBin() string {
	return filepath.Join(toolsDir, "npm", "node_modules", ".bin", "gitlab-ci-local")
}
func nodeBin() string   { return filepath.Join(toolsDir, "npm", "node_modules", ".bin", "node") }
func rootfsTar() string { return filepath.Join(root, "build", "ci", "debian-bookworm.tar") }

// reference starts (once) the private reference dockerd and imports the
// Debian rootfs under every name the pipelines use.
func reference(t *testing.T) *engine {
	t.Helper()
	setup(t)
	refMu.Lock()
	defer refMu.Unlock()
	if ref == nil && refErr == nil {
		refErr = func() error {
			e, err := refdocker.Start(context.Background(), refdocker.Options{NoImage: true})
			if err != nil {
				return err
			}
			ref = &engine{name: "reference", host: e.Host, close: func() { e.Close() }, log: func() string { return e.LogTail(30) }}
			env := append(os.Environ(), refdocker.ClientEnv(e.Host, filepath.Join(e.Dir, "config"))...)
			imp := exec.Command("docker", "import", "--change", "CMD [\"bash\"]", rootfsTar(), referenceTags[0])
			imp.Env = env
			if out, err := imp.CombinedOutput(); err != nil {
				return fmt.Errorf("docker import %s: %v\n%s", rootfsTar(), err, out)
			}
			for _, tag := range referenceTags[1:] {
				c := exec.Command("docker", "tag", referenceTags[0], tag)
				c.Env = env
				if out, err := c.CombinedOutput(); err != nil {
					return fmt.Errorf("docker tag %s: %v\n%s", tag, err, out)
				}
			}
			return nil
		}()
	}
	if refErr != nil {
		t.Fatalf("reference Docker Engine: %v", refErr)
	}
	return ref
}

// sockerless builds bin/sockerless (make build) and starts it once on a
// private socket and data root. No image is imported: offline, every name
// the pipelines use must resolve to the sandbox base image.
func sockerless(t *testing.T) *engine {
	t.Helper()
	setup(t)
	slMu.Lock()
	defer slMu.Unlock()
	if sl == nil && slErr == nil {
		slErr = func() error {
			bin := os.Getenv("SOCKERLESS_BIN")
			if bin == "" {
				out, err := exec.Command("make", "-C", root, "build").CombinedOutput()
				if err != nil {
					return fmt.Errorf("make build: %v\n%s", err, tail(string(out), 30))
				}
				bin = filepath.Join(root, "bin", "sockerless")
			}
			dir, err := os.MkdirTemp("/tmp", "sockerless-ci-")
			if err != nil {
				return err
			}
			sock := filepath.Join(dir, "s.sock")
			logPath := filepath.Join(dir, "sockerless.log")
			logf, err := os.Create(logPath)
			if err != nil {
				return err
			}
			cmd := exec.Command(bin, "-H", "unix://"+sock, "--data-root", filepath.Join(dir, "d"))
			cmd.Stdout, cmd.Stderr = logf, logf
			cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
			if err := cmd.Start(); err != nil {
				return fmt.Errorf("start %s: %w", bin, err)
			}
			exited := make(chan struct{})
			go func() { cmd.Wait(); logf.Close(); close(exited) }()
			sl = &engine{name: "sockerless", host: "unix://" + sock,
				log: func() string { data, _ := os.ReadFile(logPath); return tail(string(data), 40) },
				close: func() {
					cmd.Process.Signal(syscall.SIGTERM)
					select {
					case <-exited:
					case <-time.After(10 * time.Second):
						syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
						<-exited
					}
					os.RemoveAll(dir)
				}}
			ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
			defer cancel()
			for refdocker.Ping(ctx, sock) != nil {
				select {
				case <-exited:
					return fmt.Errorf("sockerless exited before answering /_ping:\n%s", sl.log())
				case <-ctx.Done():
					return fmt.Errorf("sockerless did not answer /_ping:\n%s", sl.log())
				case <-time.After(100 * time.Millisecond):
				}
			}
			return nil
		}()
	}
	if slErr != nil {
		t.Fatalf("sockerless: %v", slErr)
	}
	return sl
}

// runResult is what one pipeline run produced, reduced to what the cases
// assert and what both engines must agree on.
type runResult struct {
	exit    int
	jobs    map[string]string // job -> success | failure | warning (gitlab allow_failure)
	lines   []string          // "job: text" for every output line of the jobs' scripts
	results []string          // the "RESULT …" lines, sorted: the parity fingerprint
	files   map[string]string // asserted artifact files -> content
	raw     string
	dir     string
}

// ciCase is one workflow (act) or pipeline (gitlab-ci-local).
type ciCase struct {
	name string // testdata/<tool>/<name>
	tool string // "act" or "gitlab"
	args []string
	// exitOK is whether the tool must exit 0.
	exitOK bool
	// jobs are the expected job results; "absent" means the job must not run.
	jobs map[string]string
	// logs must each appear in some job output line; noLogs in none.
	logs, noLogs []string
	// files (relative to the project dir) must exist with this content
	// (a value starting with "~" is a regexp).
	files map[string]string
	// onlySockerless are extra log assertions for sockerless alone (its
	// own error messages).
	onlySockerless []string
	// noParity names a case whose outputs legitimately differ between engines.
	noParity string
}

// prepare copies testdata/<tool>/<name> to a fresh git repository.
func prepare(t *testing.T, c ciCase) string {
	t.Helper()
	src := filepath.Join("testdata", c.tool, c.name)
	dir := filepath.Join(t.TempDir(), c.name)
	if err := os.CopyFS(dir, os.DirFS(src)); err != nil {
		t.Fatal(err)
	}
	// Scripts keep their exec bit through CopyFS only if we set it.
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && strings.HasSuffix(p, ".sh") {
			os.Chmod(p, 0o755)
		}
		return nil
	})
	git := func(args ...string) {
		cmd := exec.Command("git", args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GIT_AUTHOR_DATE=2024-05-01T10:00:00Z", "GIT_COMMITTER_DATE=2024-05-01T10:00:00Z",
			"GIT_AUTHOR_NAME=CI", "GIT_AUTHOR_EMAIL=ci@example.com", "GIT_COMMITTER_NAME=CI", "GIT_COMMITTER_EMAIL=ci@example.com")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	git("init", "-q", "-b", "main")
	git("remote", "add", "origin", "git@gitlab.example.com:demo/"+c.name+".git")
	git("add", "-A")
	git("commit", "-q", "-m", "ci fixture "+c.name)
	return dir
}

// run runs the case's tool against e and parses what it printed.
func run(t *testing.T, e *engine, c ciCase) *runResult {
	t.Helper()
	dir := prepare(t, c)
	home := t.TempDir()
	os.MkdirAll(filepath.Join(home, ".docker"), 0o700)
	env := append(os.Environ(),
		"DOCKER_HOST="+e.host, "DOCKER_CONFIG="+filepath.Join(home, ".docker"), "DOCKER_CONTEXT=",
		"HOME="+home, "XDG_CACHE_HOME="+filepath.Join(home, ".cache"), "XDG_CONFIG_HOME="+filepath.Join(home, ".config"),
		"NO_COLOR=1", "FORCE_COLOR=0", "CI=", "GITHUB_ACTIONS=", "GITLAB_CI=",
		"PATH="+filepath.Dir(nodeBin())+":"+os.Getenv("PATH"))
	var cmd *exec.Cmd
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	switch c.tool {
	case "act":
		os.WriteFile(filepath.Join(home, ".actrc"), []byte("-P ubuntu-latest="+actImage+"\n"), 0o644)
		args := []string{"push", "-P", "ubuntu-latest=" + actImage, "--pull=false", "--action-offline-mode", "--no-cache-server"}
		cmd = exec.CommandContext(ctx, actBin(), append(args, c.args...)...)
	case "gitlab":
		args := []string{"--pull-policy", "if-not-present"}
		cmd = exec.CommandContext(ctx, gclBin(), append(args, c.args...)...)
	}
	cmd.Dir, cmd.Env = dir, env
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	sem <- struct{}{}
	start := time.Now()
	err := cmd.Run()
	<-sem
	r := &runResult{raw: out.String(), dir: dir, jobs: map[string]string{}, files: map[string]string{}}
	if ctx.Err() != nil {
		t.Fatalf("%s timed out after %v on %s; output:\n%s", c.tool, time.Since(start), e.name, tail(r.raw, 60))
	}
	if ee, ok := err.(*exec.ExitError); ok {
		r.exit = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	t.Logf("%s on %s: exit %d in %v", c.tool, e.name, r.exit, time.Since(start).Round(time.Millisecond))
	if c.tool == "act" {
		parseAct(r)
	} else {
		parseGitlab(r)
	}
	for name := range c.files {
		if data, err := os.ReadFile(filepath.Join(dir, name)); err == nil {
			r.files[name] = string(data)
		}
	}
	return r
}

var (
	actJobRe  = regexp.MustCompile(`^\[[^/\]]+/([^\]]+?)\s*\] 🏁  Job (succeeded|failed)`)
	actLineRe = regexp.MustCompile(`^\[[^/\]]+/([^\]]+?)\s*\]   \| (.*)$`)
	gclSumRe  = regexp.MustCompile(`^ (PASS|FAIL|WARN) +(.+?)(  (pre|after)_script)?\s*$`)
	gclLineRe = regexp.MustCompile(`^(\S.*?) +> (.*)$`)
)

func parseAct(r *runResult) {
	for _, l := range strings.Split(r.raw, "\n") {
		l = strings.TrimRight(l, "\r")
		if m := actJobRe.FindStringSubmatch(l); m != nil {
			r.jobs[m[1]] = map[string]string{"succeeded": "success", "failed": "failure"}[m[2]]
		} else if m := actLineRe.FindStringSubmatch(l); m != nil {
			r.addLine(m[1], m[2])
		}
	}
	sort.Strings(r.results)
}

func parseGitlab(r *runResult) {
	for _, l := range strings.Split(r.raw, "\n") {
		l = strings.TrimRight(l, "\r")
		if m := gclSumRe.FindStringSubmatch(l); m != nil {
			res := map[string]string{"PASS": "success", "FAIL": "failure", "WARN": "warning"}[m[1]]
			job := strings.TrimSpace(m[2])
			if m[3] == "" || r.jobs[job] == "" {
				r.jobs[job] = res
			}
		} else if m := gclLineRe.FindStringSubmatch(l); m != nil {
			r.addLine(strings.TrimSpace(m[1]), m[2])
		}
	}
	sort.Strings(r.results)
}

func (r *runResult) addLine(job, text string) {
	r.lines = append(r.lines, job+": "+text)
	if i := strings.Index(text, "RESULT "); i >= 0 {
		r.results = append(r.results, job+": "+text[i:])
	}
}

// check asserts a case's expectations on one run.
func check(t *testing.T, e *engine, c ciCase, r *runResult) {
	t.Helper()
	failed := false
	fail := func(format string, args ...any) {
		t.Helper()
		failed = true
		t.Errorf("%s: "+format, append([]any{e.name}, args...)...)
	}
	if (r.exit == 0) != c.exitOK {
		fail("%s exit status %d, want success=%v", c.tool, r.exit, c.exitOK)
	}
	for job, want := range c.jobs {
		got, ok := r.jobs[job]
		if want == "absent" {
			if ok || slices.ContainsFunc(r.lines, func(l string) bool { return strings.HasPrefix(l, job+": ") }) {
				fail("job %q ran (%s), want it skipped", job, got)
			}
			continue
		}
		if got != want {
			fail("job %q: %q, want %q (all: %v)", job, got, want, r.jobs)
		}
	}
	all := strings.Join(r.lines, "\n")
	logs := c.logs
	if e.name == "sockerless" {
		logs = append(slices.Clone(logs), c.onlySockerless...)
	}
	for _, want := range logs {
		if !strings.Contains(all, want) {
			fail("no output line contains %q", want)
		}
	}
	for _, bad := range c.noLogs {
		if strings.Contains(all, bad) {
			fail("an output line contains %q", bad)
		}
	}
	for name, want := range c.files {
		got, ok := r.files[name]
		switch {
		case !ok:
			fail("artifact %s missing", name)
		case strings.HasPrefix(want, "~"):
			if !regexp.MustCompile(want[1:]).MatchString(got) {
				fail("artifact %s = %q, want match %s", name, got, want[1:])
			}
		case got != want:
			fail("artifact %s = %q, want %q", name, got, want)
		}
	}
	if failed {
		t.Logf("%s output (tail):\n%s", c.tool, tail(r.raw, 80))
		if e.log != nil && e.name == "sockerless" {
			t.Logf("sockerless log (tail):\n%s", e.log())
		}
	}
}

// parity compares a sockerless run with the reference run of the same case.
func parity(t *testing.T, c ciCase, got *runResult) {
	t.Helper()
	v, ok := refResults.Load(c.tool + "/" + c.name)
	if !ok {
		t.Logf("parity: no reference run of %s in this process (run the whole suite to compare)", c.name)
		return
	}
	want := v.(*runResult)
	if (want.exit == 0) != (got.exit == 0) {
		t.Errorf("parity: exit %d on the reference, %d on sockerless", want.exit, got.exit)
	}
	if fmt.Sprint(want.jobs) != fmt.Sprint(got.jobs) {
		t.Errorf("parity: job results differ\nreference:  %v\nsockerless: %v", want.jobs, got.jobs)
	}
	if c.noParity == "" && strings.Join(want.results, "\n") != strings.Join(got.results, "\n") {
		t.Errorf("parity: RESULT lines differ\nreference:\n  %s\nsockerless:\n  %s",
			strings.Join(want.results, "\n  "), strings.Join(got.results, "\n  "))
	}
	// Files checked by a pattern (checksums of tarballs, stamped versions)
	// hold bytes that legitimately differ between engines (tar headers).
	exact := func(files map[string]string) map[string]string {
		m := map[string]string{}
		for k, v := range files {
			if !strings.HasPrefix(c.files[k], "~") {
				m[k] = v
			}
		}
		return m
	}
	if fmt.Sprint(exact(want.files)) != fmt.Sprint(exact(got.files)) {
		t.Errorf("parity: artifacts differ\nreference:  %q\nsockerless: %q", want.files, got.files)
	}
}

// TestReference runs every case against the reference Docker Engine: the
// cases' expectations are checked against real Docker first.
func TestReference(t *testing.T) {
	e := reference(t)
	for _, c := range allCases() {
		t.Run(c.tool+"/"+c.name, func(t *testing.T) {
			t.Parallel()
			r := run(t, e, c)
			refResults.Store(c.tool+"/"+c.name, r)
			check(t, e, c, r)
		})
	}
}

// TestSockerless runs every case against sockerless and compares it with
// the reference run when TestReference ran in the same process.
func TestSockerless(t *testing.T) {
	e := sockerless(t)
	for _, c := range allCases() {
		t.Run(c.tool+"/"+c.name, func(t *testing.T) {
			t.Parallel()
			r := run(t, e, c)
			check(t, e, c, r)
			parity(t, c, r)
		})
	}
}

func allCases() []ciCase { return append(slices.Clone(githubCases), gitlabCases...) }

func tail(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
