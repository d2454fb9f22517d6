package main

import (
	"fmt"
	"os"
)

// runDaemon starts the Docker API daemon. (Being built in the Docker API
// issue; until it lands the binary only offers `sandbox run`.)
func runDaemon(args []string) int {
	fmt.Fprintln(os.Stderr, "sockerless: the daemon is not built yet; use `sockerless sandbox run`")
	return 1
}
