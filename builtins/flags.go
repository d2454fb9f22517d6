package builtins

import (
	"fmt"
	"strings"

	"github.com/spf13/pflag"
)

// Flags returns a GNU-style option parser for a command: combined short
// options (-la), long options (--all, --width=5), "--" ending options.
// Errors are printed as "name: message" on the command's stderr; callers
// return [Usage] (exit status 1 with a hint) when Parse fails.
func Flags(env *Env, name string) *pflag.FlagSet {
	fs := pflag.NewFlagSet(name, pflag.ContinueOnError)
	fs.SetOutput(discard{})
	fs.Usage = func() {}
	fs.SetInterspersed(true)
	return fs
}

// ParseFlags parses args (without the command name) and reports an error
// in coreutils style. ok is false when the command should exit with the
// returned status.
func ParseFlags(env *Env, fs *pflag.FlagSet, args []string) (status int, ok bool) {
	if err := fs.Parse(args); err != nil {
		env.Errorf(fs.Name(), "%s", fixFlagError(err))
		fmt.Fprintf(env.Stderr, "Try '%s --help' for more information.\n", fs.Name())
		return 1, false
	}
	return 0, true
}

func fixFlagError(err error) string {
	msg := err.Error()
	switch {
	case strings.HasPrefix(msg, "unknown shorthand flag: "):
		// pflag: unknown shorthand flag: 'z' in -z
		rest := strings.TrimPrefix(msg, "unknown shorthand flag: ")
		if i := strings.Index(rest, " in "); i > 0 {
			rest = rest[:i]
		}
		return "invalid option -- " + strings.Trim(rest, "'")
	case strings.HasPrefix(msg, "unknown flag: "):
		return "unrecognized option '" + strings.TrimPrefix(msg, "unknown flag: ") + "'"
	}
	return msg
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }
