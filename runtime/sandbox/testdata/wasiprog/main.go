// Command wasiprog is a WASI test program: it prints its arguments, its
// working directory, a file from the root, its stdin, and exits 5.
package main

import (
	"fmt"
	"io"
	"os"
)

func main() {
	fmt.Println("args:", os.Args[1:])
	wd, _ := os.Getwd()
	fmt.Println("wd:", wd, "env:", os.Getenv("GREETING"))
	b, err := os.ReadFile("/etc/motd")
	fmt.Printf("motd: %q %v\n", b, err)
	in, _ := io.ReadAll(os.Stdin)
	fmt.Printf("stdin: %q\n", in)
	fmt.Fprintln(os.Stderr, "to stderr")
	os.Exit(5)
}
