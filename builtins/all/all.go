// Package all links every builtin command into the program that imports
// it: the sandbox guest, and native tests that want the whole set.
package all

import (
	_ "github.com/sockerless/sockerless/builtins/archive"
	_ "github.com/sockerless/sockerless/builtins/awk"
	_ "github.com/sockerless/sockerless/builtins/coreutils"
	_ "github.com/sockerless/sockerless/builtins/files"
	_ "github.com/sockerless/sockerless/builtins/rsync"
	_ "github.com/sockerless/sockerless/builtins/system"
	_ "github.com/sockerless/sockerless/builtins/text"
)
