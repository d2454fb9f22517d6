// Package guest embeds the sandbox guest (guests/sandbox built for
// GOOS=wasip1 as a reactor). The Makefile writes sandbox.wasm here before
// building anything that imports this package; the file is never
// committed.
package guest

import _ "embed"

// Wasm is the compiled sandbox guest.
//
//go:embed sandbox.wasm
var Wasm []byte
