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
	if s.GCPercent != 0 {
		debug.SetGCPercent(s.GCPercent)
	}
	if s.GCMemoryLimit > 0 {
		debug.SetMemoryLimit(s.GCMemoryLimit)
	}
	p := newProc(s)
	code := p.main()
	flushStdio()
	return int32(code)
}
