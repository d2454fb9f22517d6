//go:build !linux

package cmdtest

func cpuTime() int64 { return 0 }
