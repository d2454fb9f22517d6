package sandbox

import (
	"os"
	"runtime"
	"runtime/metrics"
	"testing"
	"time"
)

// TestGCHeadroom: once an engine exists, every collection leaves the heap
// goal at least the headroom above the live heap.
func TestGCHeadroom(t *testing.T) {
	if os.Getenv("GOGC") != "" {
		t.Skip("GOGC is set: engines leave the collector alone")
	}
	testEngine(t)
	s := []metrics.Sample{{Name: "/gc/gogc:percent"}, {Name: "/gc/heap/live:bytes"}}
	var percent, live uint64
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); {
		runtime.GC()
		time.Sleep(10 * time.Millisecond) // the retune runs after the cycle
		metrics.Read(s)
		percent, live = s[0].Value.Uint64(), s[1].Value.Uint64()
		if live*percent/100 >= defaultGCHeadroom*7/8 {
			return
		}
	}
	t.Fatalf("GOGC %d with %d live bytes: goal %d above live, want about %d", percent, live, live*percent/100, defaultGCHeadroom)
}
