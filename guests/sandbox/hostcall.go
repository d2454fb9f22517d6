//go:build wasip1

package main

import (
	"syscall"
	"unsafe"
)

// Host imports of module "sockerless" (see wit/sandbox.wit and
// host-functions/process). Strings and buffers cross as (pointer, length);
// results are errno-style codes (0 = success, else a WASI errno).

//go:wasmimport sockerless spec
func hostSpec(buf unsafe.Pointer, size uint32) uint32

//go:wasmimport sockerless signal_fd
func hostSignalFD(fd int32)

//go:wasmimport sockerless stdin_fd
func hostStdinFD(fd int32)

//go:wasmimport sockerless signal_action
func hostSignalAction(sig, action int32)

//go:wasmimport sockerless check
func hostCheck() int32

//go:wasmimport sockerless signal_take
func hostSignalTake(buf unsafe.Pointer, size uint32) uint32

//go:wasmimport sockerless stat
func hostStat(path unsafe.Pointer, pathLen uint32, follow int32, out unsafe.Pointer) uint32

//go:wasmimport sockerless chmod
func hostChmod(path unsafe.Pointer, pathLen uint32, mode uint32) uint32

//go:wasmimport sockerless chown
func hostChown(path unsafe.Pointer, pathLen uint32, uid, gid int32, follow int32) uint32

//go:wasmimport sockerless mkfifo
func hostMkfifo(path unsafe.Pointer, pathLen uint32, mode uint32) uint32

//go:wasmimport sockerless kill
func hostKill(pid, sig int32) uint32

//go:wasmimport sockerless umask
func hostUmask(mask int32) int32

func strPtr(s string) (unsafe.Pointer, uint32) {
	if len(s) == 0 {
		return nil, 0
	}
	return unsafe.Pointer(unsafe.StringData(s)), uint32(len(s))
}

//go:wasmimport sockerless program_run
func hostProgramRun(req unsafe.Pointer, reqLen uint32) int64

//go:wasmimport sockerless program_result
func hostProgramResult(h, which, off int32, buf unsafe.Pointer, size uint32) int64

//go:wasmimport sockerless program_release
func hostProgramRelease(h int32)

//go:wasmimport sockerless pid_new
func hostPidNew() int32

//go:wasmimport sockerless proc_start
func hostProcStart(pid, ppid int32, args unsafe.Pointer, argsLen uint32) int32

//go:wasmimport sockerless proc_end
func hostProcEnd(pid int32)

// hostStartChild records an in-guest process (pid 0: the host allocates
// one) with its parent and argv and returns its pid.
func hostStartChild(pid, ppid int, args []string) (int, error) {
	var b []byte
	for _, a := range args {
		b = append(append(b, a...), 0)
	}
	var ptr unsafe.Pointer
	if len(b) > 0 {
		ptr = unsafe.Pointer(&b[0])
	}
	got := hostProcStart(int32(pid), int32(ppid), ptr, uint32(len(b)))
	if got < 0 {
		return 0, syscall.Errno(-got)
	}
	return int(got), nil
}
