//go:build wasip1

package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"syscall"
	"unsafe"

	"github.com/sockerless/sockerless/builtins"
	"github.com/sockerless/sockerless/wit/abi"
)

// runProgram runs a WASI command module from the container's root as a
// new instance on the host. When the command's stdio are the process's
// own streams they are connected directly; otherwise (a pipeline, a
// redirection inside the guest) stdin is read first and the output is
// copied on when the program ends.
func (p *proc) runProgram(env *builtins.Env, file string, args []string) int {
	req := abi.ProgramRequest{
		Path: file, Args: args, Env: env.Environ, Dir: env.Dir,
		PassStdin:  env.Stdin == processStdin,
		PassStdout: env.Stdout == io.Writer(os.Stdout),
		PassStderr: env.Stderr == io.Writer(os.Stderr),
	}
	if !req.PassStdin && env.Stdin != nil {
		data, err := io.ReadAll(env.Stdin)
		if err != nil {
			fmt.Fprintf(env.Stderr, "sh: %s: reading stdin: %v\n", args[0], err)
			return 126
		}
		req.Stdin = data
	}
	b, _ := json.Marshal(req)
	h := hostProgramRun(unsafe.Pointer(&b[0]), uint32(len(b)))
	if h < 0 {
		fmt.Fprintf(env.Stderr, "sh: %s: cannot run WASI program: %v\n", args[0], syscall.Errno(-h))
		return 126
	}
	defer hostProgramRelease(int32(h))
	copyOut := func(which int32, w io.Writer) {
		buf := make([]byte, 64*1024)
		off := int32(0)
		for {
			n := hostProgramResult(int32(h), which, off, unsafe.Pointer(&buf[0]), uint32(len(buf)))
			if n <= 0 {
				return
			}
			w.Write(buf[:n])
			off += int32(n)
		}
	}
	if !req.PassStdout {
		copyOut(1, env.Stdout)
	}
	if !req.PassStderr {
		copyOut(2, env.Stderr)
	}
	return int(hostProgramResult(int32(h), 0, 0, unsafe.Pointer(&h), 0))
}
