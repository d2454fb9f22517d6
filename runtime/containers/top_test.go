package containers

import (
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestPsTable(t *testing.T) {
	start := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	now := start.Add(90 * time.Second)
	rows := []psRow{
		{pid: 1, args: []string{"/bin/sh", "-c", "sleep 9"}, start: start, cpu: 45 * time.Second},
		{pid: 7, ppid: 1, uid: 1000, args: []string{"sleep", "9"}, start: start, rss: 2 << 20},
	}
	for _, tc := range []struct {
		args   string
		titles string
		first  string
		err    string
	}{
		{"", "UID PID PPID C STIME TTY TIME CMD", "root 1 0 50 " + start.Local().Format("15:04") + " ? 00:00:45 /bin/sh -c sleep 9", ""},
		{"-ef", "UID PID PPID C STIME TTY TIME CMD", "root 1 0 50 " + start.Local().Format("15:04") + " ? 00:00:45 /bin/sh -c sleep 9", ""},
		{"-o pid,comm", "PID COMMAND", "1 sh", ""},
		{"-o pid -o user=WHO,etime", "PID WHO ELAPSED", "1 root 01:30", ""},
		{"-eopid,rss", "PID RSS", "1 0", ""},
		{"aux", "USER PID %CPU %MEM VSZ RSS TTY STAT START TIME COMMAND", "root 1 50.0 0.0 0 0 ? S " + start.Local().Format("15:04") + " 00:00:45 /bin/sh -c sleep 9", ""},
		{"-o comm", "", "", "Couldn't find PID field"},
		{"-o pid,nosuch", "", "", `unknown user-defined format specifier "nosuch"`},
		{"-Z", "", "", "unsupported option"},
		{"-o", "", "", "list of format specifiers missing"},
	} {
		titles, procs, err := psTable(tc.args, rows, now)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("%q: error %v, want %q", tc.args, err, tc.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%q: %v", tc.args, err)
			continue
		}
		if got := strings.Join(titles, " "); got != tc.titles {
			t.Errorf("%q: titles %q, want %q", tc.args, got, tc.titles)
		}
		if got := strings.Join(procs[0], " "); got != tc.first {
			t.Errorf("%q: first row %q, want %q", tc.args, got, tc.first)
		}
		if len(procs) != 2 || !reflect.DeepEqual(len(procs[1]), len(titles)) {
			t.Errorf("%q: rows %v", tc.args, procs)
		}
	}
}
