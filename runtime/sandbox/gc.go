package sandbox

import (
	"os"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"sync"
	"sync/atomic"
)

// Collector headroom. Instantiating a clone of the guest allocates about
// half a megabyte in wazero (a function instance and a constant-expression
// evaluation for each of the guest's ~5,600 function-table entries), most
// of it garbage at once and the rest when the process ends. With Go's
// default GOGC=100 and the engine's ~12 MiB live heap the collector then
// ran every ~20 containers, and on a 2-core machine each cycle delayed
// the container being started by 2–8 ms (ContainerTrueSustained p99
// 5.7 ms; 1.7 ms with the collector off).
//
// So an engine keeps the heap goal at least its headroom above the live
// heap: after every cycle the GC percent becomes headroom/live (never
// below 100). A small heap gets a fixed allowance of garbage instead of a
// doubling; a large one (thousands of live containers) keeps GOGC=100.
// GOGC set in the environment wins: the engine then leaves the collector
// alone. The setting is the process's, shared by every engine in it.

// defaultGCHeadroom is Config.GCHeadroom's default.
const defaultGCHeadroom = 128 << 20

var gcTuner struct {
	once     sync.Once
	headroom atomic.Int64
	percent  int
}

// tuneGC makes sure the heap goal stays at least headroom bytes above the
// live heap.
func tuneGC(headroom int64) {
	if headroom <= 0 || os.Getenv("GOGC") != "" {
		return
	}
	for {
		old := gcTuner.headroom.Load()
		if headroom <= old || gcTuner.headroom.CompareAndSwap(old, headroom) {
			break
		}
	}
	gcTuner.once.Do(func() {
		gcTuner.percent = 100
		retuneGC()
		armGCTuner()
	})
}

// armGCTuner retunes after the next collection: a cleanup on an object
// nothing references runs once a cycle has found it unreachable, and it
// arms the next one.
func armGCTuner() {
	runtime.AddCleanup(new([16]byte), func(struct{}) {
		retuneGC()
		armGCTuner()
	}, struct{}{})
}

var gcLive = []metrics.Sample{{Name: "/gc/heap/live:bytes"}}

func retuneGC() {
	metrics.Read(gcLive)
	live := int64(gcLive[0].Value.Uint64())
	if live <= 0 {
		live = 1 << 20
	}
	percent := max(100, int(gcTuner.headroom.Load()*100/live))
	// Only changes worth a call (each retunes the pacer).
	if d := percent - gcTuner.percent; d > gcTuner.percent/8 || -d > gcTuner.percent/8 {
		debug.SetGCPercent(percent)
		gcTuner.percent = percent
	}
}
