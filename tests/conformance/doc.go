// Package conformance is the differential conformance suite: the scenario
// scripts in scenarios/ (plain bash, one scenario each, driving only the
// docker CLI) run against a private reference Docker Engine (package
// tests/refdocker) and against sockerless, and their normalised outputs
// must match. See README.md next to this file for the scenario format and
// the normalisation rules; `make conformance` runs it.
//
// It holds no production code: only the output normaliser and the tests.
package conformance
