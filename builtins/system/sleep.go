package system

import (
	"context"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/sockerless/sockerless/builtins"
)

func init() {
	builtins.Register(
		&builtins.Command{Name: "sleep", Usage: `Usage: sleep [N]...

Pause for a time equal to the total of the args given, where each arg can
have an optional suffix of (s)econds, (m)inutes, (h)ours, or (d)ays`, Run: runSleep},
		&builtins.Command{Name: "usleep", Usage: "Usage: usleep N\n\nPause for N microseconds", Run: runUsleep},
	)
}

// parseDuration reads a sleep/timeout operand: a decimal number of
// seconds with an optional s, m, h or d suffix, or "inf"/"infinity".
func parseDuration(s string) (time.Duration, bool) {
	mult := 1.0
	num := s
	if n := len(s); n > 0 {
		switch s[n-1] {
		case 's':
			num = s[:n-1]
		case 'm':
			mult, num = 60, s[:n-1]
		case 'h':
			mult, num = 3600, s[:n-1]
		case 'd':
			mult, num = 86400, s[:n-1]
		}
	}
	low := strings.ToLower(s)
	if low == "inf" || low == "infinity" {
		return time.Duration(math.MaxInt64), true
	}
	if num == "" || strings.ContainsAny(num, "xXpPeEiInN_") && !isDecimal(num) {
		return 0, false
	}
	v, err := strconv.ParseFloat(num, 64)
	if err != nil || v < 0 || math.IsNaN(v) {
		return 0, false
	}
	secs := v * mult
	if secs >= float64(math.MaxInt64)/float64(time.Second) {
		return time.Duration(math.MaxInt64), true
	}
	return time.Duration(secs * float64(time.Second)), true
}

func isDecimal(s string) bool {
	_, err := strconv.ParseFloat(s, 64)
	return err == nil && !strings.ContainsAny(s, "xXpPiInN_")
}

// sleepCtx waits for d or until ctx is done; it returns 130 when
// cancelled, 0 otherwise.
func sleepCtx(ctx context.Context, d time.Duration) int {
	if d <= 0 {
		if ctx.Err() != nil {
			return 130
		}
		return 0
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return 130
	case <-t.C:
		return 0
	}
}

func runSleep(ctx context.Context, env *builtins.Env, args []string) int {
	if len(args) < 2 {
		env.Errorf("sleep", "missing operand")
		return 1
	}
	var total time.Duration
	for _, a := range args[1:] {
		if a == "--" {
			continue
		}
		d, ok := parseDuration(a)
		if !ok {
			env.Errorf("sleep", "invalid number '%s'", a)
			return 1
		}
		if total+d < total {
			total = time.Duration(math.MaxInt64)
		} else {
			total += d
		}
	}
	return sleepCtx(ctx, total)
}

func runUsleep(ctx context.Context, env *builtins.Env, args []string) int {
	if len(args) != 2 {
		env.Errorf("usleep", "missing operand")
		return 1
	}
	n, err := strconv.ParseUint(args[1], 10, 63)
	if err != nil {
		env.Errorf("usleep", "invalid number '%s'", args[1])
		return 1
	}
	return sleepCtx(ctx, time.Duration(n)*time.Microsecond)
}
