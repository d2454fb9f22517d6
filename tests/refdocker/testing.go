package refdocker

import (
	"context"
	"testing"
)

// New starts a reference engine with the reference image for a test and
// stops it when the test ends, whether it passed or not. It fails the test
// (never skips) when the engine cannot start: in CI a missing reference must
// be loud.
func New(t testing.TB) *Engine {
	t.Helper()
	e, err := Start(context.Background(), Options{})
	if err != nil {
		t.Fatalf("reference Docker Engine: %v", err)
	}
	t.Cleanup(func() {
		if err := e.Close(); err != nil {
			t.Errorf("reference Docker Engine: close: %v", err)
		}
	})
	return e
}
