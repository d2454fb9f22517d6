//go:build wasip1

// Command sandbox is the guest every sockerless container runs: a Go
// program built for GOOS=wasip1 as a reactor (-buildmode=c-shared) holding
// the mvdan.cc/sh interpreter (as sh, ash and bash) and the Go builtins.
//
// The host instantiates it ahead of time (running _initialize) and later
// calls the exported run function once; an instance is never reused. What to
// run (argv, environment, working directory, ids, tty) is read from the host
// through the "sockerless" import module rather than from WASI args, which
// are fixed at instantiation.
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"runtime/debug"
	"unsafe"

	"github.com/sockerless/sockerless/wit/abi"
)

func main() {}

// init runs in the template instance, before the snapshot every process
// starts from: work done here (encoding/json's per-type reflection cache,
// first-use allocations) is paid once per daemon, not once per process.
func init() {
	var s abi.Spec
	json.Unmarshal([]byte(`{"args":["sh","-c",":"],"env":["A=b"],"dir":"/","tty":false,"pid":1,"uid":0,"gid":0,"hostname":"h","init":true,"gc_percent":-1,"gc_memory_limit":1}`), &s)
	var r abi.ProgramRequest
	b, _ := json.Marshal(r)
	json.Unmarshal(b, &r)
	// The host's default GC settings (runtime/sandbox gcDefaults), so
	// that a process that keeps them pays nothing to apply them.
	setGC(-1, 128<<20)
}

var gcPercent, gcLimit = 100, int64(-1)

// setGC applies collector settings that differ from the current ones
// (each call stops the world).
func setGC(percent int, limit int64) {
	if percent != 0 && percent != gcPercent {
		debug.SetGCPercent(percent)
		gcPercent = percent
	}
	if limit > 0 && limit != gcLimit {
		debug.SetMemoryLimit(limit)
		gcLimit = limit
	}
}

func readSpec() (*abi.Spec, error) {
	buf := make([]byte, 4096)
	for {
		n := hostSpec(unsafe.Pointer(&buf[0]), uint32(len(buf)))
		if int(n) <= len(buf) {
			buf = buf[:n]
			break
		}
		buf = make([]byte, n)
	}
	var s abi.Spec
	if err := json.Unmarshal(buf, &s); err != nil {
		return nil, err
	}
	if s.Dir == "" {
		s.Dir = "/"
	}
	return &s, nil
}

//go:wasmexport run
func run() int32 {

	s, err := readSpec()
	if err != nil {
		fmt.Fprintf(os.Stderr, "sandbox: bad process spec: %v\n", err)
		return 126
	}
	setGC(s.GCPercent, s.GCMemoryLimit)
	p := newProc(s)
	code := p.main()
	flushStdio()
	return int32(code)
}
