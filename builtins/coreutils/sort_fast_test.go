package coreutils

import (
	"strings"
	"testing"
)

// TestSortNumericRandomAgainstBusybox drives the sort -n fast path (radix
// by number, ties by line) with number-like words, against busybox.
// NaN is left out: busybox orders it differently from us (before and
// after this fast path, which keeps the old comparison order for it).
func TestSortNumericRandomAgainstBusybox(t *testing.T) {
	bb := busyboxPath(t)
	rng, n := randomSetup(t)
	words := []string{"0", "-0", "00", "1", "10", "-1", "1.5", "-1.5", "1e2", "0x10", "inf", "-inf", "Inf",
		"abc", " 3", "\t7", "", "999999999999999", "1234567890123456789", "2.", ".5", "+3", "3x", "-", "1e", "007", "1 2"}
	dir := t.TempDir()
	fails := 0
	for iter := 0; iter < n && fails < 10; iter++ {
		var sb strings.Builder
		for l := 0; l < 1+rng.Intn(30); l++ {
			sb.WriteString(words[rng.Intn(len(words))])
			if rng.Intn(3) == 0 {
				sb.WriteString(" " + words[rng.Intn(len(words))])
			}
			sb.WriteByte('\n')
		}
		args := []string{"sort", "-n"}
		if rng.Intn(2) == 0 {
			args = append(args, "-r")
		}
		if rng.Intn(3) == 0 {
			args = append(args, "-u")
		}
		randomCompare(t, bb, dir, sb.String(), args, &fails)
	}
}
