// Package builtin embeds the backend adapters compiled into the binary
// (guests/adapters/<name> built for GOOS=wasip1 -buildmode=c-shared). The
// Makefile writes the .wasm files here before building anything that
// imports this package; they are never committed.
package builtin

import _ "embed"

//go:embed docker.wasm
var docker []byte

// Modules maps each built-in backend's name to its wasm module.
func Modules() map[string][]byte {
	return map[string][]byte{"docker": docker}
}
