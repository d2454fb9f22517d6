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
	"strconv"
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
	// Garbage collection is the guest's biggest cost after interpretation
	// (a shell loop runs about twice as fast at 400 as at Go's default
	// 100); shell heaps are small, so trade memory for speed.
	gogc := 400
	if v, err := strconv.Atoi(os.Getenv("SOCKERLESS_GOGC")); err == nil {
		gogc = v
	}
	debug.SetGCPercent(gogc)
	s, err := readSpec()
	if err != nil {
		fmt.Fprintf(os.Stderr, "sandbox: bad process spec: %v\n", err)
		return 126
	}
	p := newProc(s)
	code := p.main()
	flushStdio()
	return int32(code)
}
