package main

import (
	"fmt"
	"os"
)

// runSandbox implements `sockerless sandbox run [--root DIR] -- CMD...`.
func runSandbox(args []string) int {
	fmt.Fprintln(os.Stderr, "sockerless sandbox: not wired yet")
	return 1
}
