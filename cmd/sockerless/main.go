// Command sockerless is the one binary: the Docker-compatible daemon (the
// default), the sandbox runner used for testing without HTTP, and version.
//
//	sockerless [daemon flags]          run the daemon
//	sockerless sandbox run [flags] -- CMD [ARG...]
//	sockerless version
package main

import (
	"fmt"
	"os"
	"runtime/debug"
)

func main() {
	args := os.Args[1:]
	cmd := "daemon"
	if len(args) > 0 && len(args[0]) > 0 && args[0][0] != '-' {
		cmd, args = args[0], args[1:]
	}
	var code int
	switch cmd {
	case "daemon":
		code = runDaemon(args)
	case "sandbox":
		code = runSandbox(args)
	case "version":
		fmt.Println("sockerless", version())
	case "help":
		fmt.Println("usage: sockerless [daemon] [flags] | sockerless sandbox run [flags] -- CMD [ARG...] | sockerless version")
	default:
		fmt.Fprintf(os.Stderr, "sockerless: unknown command %q (try: daemon, sandbox, version)\n", cmd)
		code = 2
	}
	os.Exit(code)
}

// version is the module version when built from a tagged module, else the
// VCS revision, else "dev".
func version() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "dev"
	}
	if v := bi.Main.Version; v != "" && v != "(devel)" {
		return v
	}
	for _, s := range bi.Settings {
		if s.Key == "vcs.revision" && len(s.Value) >= 12 {
			return s.Value[:12]
		}
	}
	return "dev"
}
