//go:build ignore

package internal

import (
	"strconv"
	"testing"
)

func TestSockerlessDecimal(t *testing.T) {
	for _, s := range []string{"0", "7", "-7", "20000", "-123456789012345678", "999999999999999999"} {
		want, _ := strconv.ParseInt(s, 10, 64)
		if n, ok := Decimal(s); !ok || n != want {
			t.Errorf("Decimal(%q) = %d, %v; want %d", s, n, ok, want)
		}
	}
	// Left to the general parsers: octal, hex, bases, spaces, signs,
	// overflow, non-digits.
	for _, s := range []string{"", "-", "-0", "00", "010", "0x1f", "2#101", " 1", "1 ", "+1", "--1",
		"1234567890123456789", "9223372036854775808", "1a", "x", "1.5", "١"} {
		if n, ok := Decimal(s); ok {
			t.Errorf("Decimal(%q) = %d, true; want false", s, n)
		}
	}
}
