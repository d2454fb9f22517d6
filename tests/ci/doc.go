// Package ci runs real CI pipelines offline with the real local runners:
// GitHub Actions workflows with nektos/act and GitLab CI pipelines with
// gitlab-ci-local, each against a private reference Docker Engine (the
// parity baseline, images made from a debootstrap'ed Debian rootfs) and
// against sockerless, asserting job results, outputs and artifacts and that
// both engines agree.
//
// Cases live in testdata/act/<name> and testdata/gitlab/<name>; their
// expectations are in cases_test.go. setup.sh installs the tools under the
// repository's build/ directory. Missing tools or a missing reference engine
// fail the suite, they never skip it.
//
//	go test ./tests/ci -run Reference   # reference half only
//	make ci                             # everything
package ci
