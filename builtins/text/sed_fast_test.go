package text

import (
	"strings"
	"testing"
)

// TestSedFastPathsBusybox covers the literal substitution path and lines
// longer than the read buffer, against busybox.
func TestSedFastPathsBusybox(t *testing.T) {
	long := strings.Repeat("ab1", 50000) + "\n" + strings.Repeat("x", 70000) + "1"
	f := map[string]string{"in": "1\n11\n121\nx\n\xff1\xfe\n", "long": long}
	runBusyboxCases(t, []bbCase{
		{name: "literal global", args: []string{"sed", "s/1/one/g", "in"}, files: f},
		{name: "literal first", args: []string{"sed", "s/1/one/", "in"}, files: f},
		{name: "literal nth", args: []string{"sed", "s/1/one/2", "in"}, files: f},
		{name: "literal ampersand", args: []string{"sed", "s/1/[&&]/g", "in"}, files: f},
		{name: "literal print", args: []string{"sed", "-n", "s/2/two/p", "in"}, files: f},
		{name: "literal address", args: []string{"sed", "/2/d", "in"}, files: f},
		{name: "invalid utf-8 kept", args: []string{"sed", "s/.*/<&>/", "in"}, files: f},
		{name: "long lines", args: []string{"sed", "s/1/one/g", "long"}, files: f},
		{name: "grep long lines", args: []string{"grep", "-c", "1", "long"}, files: f},
		{name: "grep literal", args: []string{"grep", "1", "in"}, files: f},
		{name: "grep -v literal", args: []string{"grep", "-nv", "2", "in"}, files: f},
	})
}
