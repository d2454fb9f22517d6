package bench

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"
)

// Wall time of one act workflow and one gitlab-ci-local pipeline, run by
// the real tools against Docker Engine and against sockerless on this
// machine. The tools and the Debian rootfs come from tests/ci/setup.sh; the
// reference engine gets the Debian image under the names used here (the
// job image, and gitlab-ci-local's default helper, which needs bash and
// rsync); sockerless gets nothing and serves its sandbox base image.

const benchWorkflow = `name: bench
on: push
defaults:
  run:
    shell: sh
jobs:
  build:
    runs-on: ubuntu-latest
    outputs:
      version: ${{ steps.v.outputs.version }}
    steps:
      - id: v
        run: echo "version=1.0.$(echo "$GITHUB_SHA" | cut -c1-7)" >> "$GITHUB_OUTPUT"
      - run: printf 'a\nb\nc\n' | sort -r | tr a-z A-Z
  test:
    needs: build
    runs-on: ubuntu-latest
    steps:
      - run: echo "testing ${{ needs.build.outputs.version }}"
`

const benchPipeline = `stages: [build, test]
build:
  stage: build
  image: debian:bookworm
  script:
    - mkdir -p out && echo built > out/app.txt
  artifacts:
    paths: [out/]
test:
  stage: test
  image: debian:bookworm
  script:
    - cat out/app.txt
`

var (
	ciOnce sync.Once
	ciErr  error
)

func repoRoot() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Dir(filepath.Dir(file))
}

// ciSetup installs the tools and imports the Debian image into the
// reference engine (once).
func ciSetup(b *testing.B) engines {
	e := bothEngines(b)
	ciOnce.Do(func() {
		root := repoRoot()
		if out, err := exec.Command(filepath.Join(root, "tests", "ci", "setup.sh")).CombinedOutput(); err != nil {
			ciErr = &cmdErr{"tests/ci/setup.sh", err, out}
			return
		}
		tar := filepath.Join(root, "build", "ci", "debian-bookworm.tar")
		if _, err := e.docker.Docker("import", tar, "ci-runner:ubuntu-latest"); err != nil {
			ciErr = err
			return
		}
		for _, tag := range []string{"debian:bookworm", "docker.io/firecow/gitlab-ci-local-util:latest"} {
			if _, err := e.docker.Docker("tag", "ci-runner:ubuntu-latest", tag); err != nil {
				ciErr = err
				return
			}
		}
	})
	if ciErr != nil {
		b.Fatal(ciErr)
	}
	return e
}

type cmdErr struct {
	what string
	err  error
	out  []byte
}

func (e *cmdErr) Error() string { return e.what + ": " + e.err.Error() + "\n" + string(e.out) }

// project makes a git repository holding one file.
func project(b *testing.B, name, content string) string {
	dir := b.TempDir()
	p := filepath.Join(dir, name)
	os.MkdirAll(filepath.Dir(p), 0o755)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		b.Fatal(err)
	}
	for _, args := range [][]string{{"init", "-q", "-b", "main"}, {"remote", "add", "origin", "git@gitlab.example.com:bench/p.git"},
		{"add", "-A"}, {"-c", "user.name=b", "-c", "user.email=b@example.com", "commit", "-q", "-m", "bench"}} {
		cmd := exec.Command("git", args...)
		cmd.Dir = dir
		if out, err := cmd.CombinedOutput(); err != nil {
			b.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	return dir
}

// timeTool runs one tool invocation in a fresh copy of the project and
// returns its wall time; a failed run fails the benchmark.
func timeTool(b *testing.B, env []string, file, content string, argv ...string) time.Duration {
	dir := project(b, file, content)
	home := b.TempDir()
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	cmd.Env = append(cmd.Env, "HOME="+home, "DOCKER_CONFIG="+filepath.Join(home, ".docker"), "NO_COLOR=1",
		"PATH="+filepath.Join(repoRoot(), "build", "tools", "npm", "node_modules", ".bin")+":"+os.Getenv("PATH"))
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	t0 := time.Now()
	err := cmd.Run()
	d := time.Since(t0)
	if err != nil {
		b.Fatalf("%s: %v\n%s", strings.Join(argv, " "), err, lastLines(out.String(), 30))
	}
	return d
}

func lastLines(s string, n int) string {
	l := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(l) > n {
		l = l[len(l)-n:]
	}
	return strings.Join(l, "\n")
}

// compareTool times the tool against both engines. floorArgs, when set,
// is an invocation of the same tool on the same project that reaches no
// engine (parsing and validation only): its time is the tool's own fixed
// cost, and the ratio of what is left over is reported too.
func compareTool(b *testing.B, file, content string, floorArgs []string, argv ...string) {
	e := ciSetup(b)
	var d, s, floor time.Duration
	for i := 0; i < b.N; i++ {
		d += timeTool(b, e.docker.Env(), file, content, argv...)
		s += timeTool(b, e.sockerless.Env(), file, content, argv...)
		if floorArgs != nil {
			floor += timeTool(b, e.sockerless.Env(), file, content, floorArgs...)
		}
	}
	d /= time.Duration(b.N)
	s /= time.Duration(b.N)
	floor /= time.Duration(b.N)
	b.ReportMetric(d.Seconds(), "docker-s")
	b.ReportMetric(s.Seconds(), "sockerless-s")
	b.ReportMetric(float64(d)/float64(s), "x-faster")
	if floorArgs != nil {
		b.ReportMetric(floor.Seconds(), "tool-floor-s")
		if s > floor {
			b.ReportMetric(float64(d-floor)/float64(s-floor), "x-faster-above-floor")
		}
	}
}

// BenchmarkActWorkflow: a two-job act workflow (job outputs, needs).
func BenchmarkActWorkflow(b *testing.B) {
	act := filepath.Join(repoRoot(), "build", "tools", "act")
	compareTool(b, ".github/workflows/bench.yml", benchWorkflow, nil,
		act, "push", "-P", "ubuntu-latest=ci-runner:ubuntu-latest", "--pull=false", "--action-offline-mode", "--no-cache-server")
}

// BenchmarkGitlabPipeline: a two-stage gitlab-ci-local pipeline with an
// artifact passed between the jobs (default helper image). Its floor is
// `gitlab-ci-local --list`: loading the tool, reading git and validating
// the pipeline against its JSON schema, which every run pays before any
// container exists.
func BenchmarkGitlabPipeline(b *testing.B) {
	gcl := filepath.Join(repoRoot(), "build", "tools", "npm", "node_modules", ".bin", "gitlab-ci-local")
	compareTool(b, ".gitlab-ci.yml", benchPipeline, []string{gcl, "--list"}, gcl, "--pull-policy", "if-not-present")
}
