package system

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/sockerless/sockerless/builtins"
)

func init() {
	builtins.Register(&builtins.Command{Name: "date", Usage: `Usage: date [OPTIONS] [+FMT]

Display time (using +FMT)

	-u		Work in UTC (don't convert to local time)
	-R		Output RFC-2822 compliant date string
	-I[SPEC]	Output ISO-8601 compliant date string
			SPEC='date' (default) for date only,
			'hours', 'minutes', 'seconds' or 'ns'
			for date and time
	-d TIME		Display TIME, not 'now'
	-r FILE		Display last modification time of FILE

Recognized TIME formats:
	@seconds_since_1970
	hh:mm[:ss]
	[YYYY.]MM.DD-hh:mm[:ss]
	YYYY-MM-DD[ hh:mm[:ss]] and RFC 3339 (YYYY-MM-DDThh:mm:ss[.frac]Z)
	MMDDhhmm[[YY]YY][.ss]
	now`, Run: runDate})
}

const (
	dateDefault = "%a %b %e %H:%M:%S %Z %Y"
	dateRFC2822 = "%a, %d %b %Y %H:%M:%S %z"
)

func runDate(_ context.Context, env *builtins.Env, args []string) int {
	args = args[1:]
	var utc bool
	var dateStr, refFile, format string
	haveDate, haveRef := false, false
	var operands []string
	need := func(i *int, opt string) (string, bool) {
		if *i+1 >= len(args) {
			env.Errorf("date", "option requires an argument -- '%s'", opt)
			return "", false
		}
		*i++
		return args[*i], true
	}
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			operands = append(operands, args[i+1:]...)
			break
		}
		if strings.HasPrefix(a, "--") {
			name, val, hasVal := strings.Cut(a[2:], "=")
			switch name {
			case "utc", "universal":
				utc = true
			case "date":
				if !hasVal {
					if val, hasVal = need(&i, "d"); !hasVal {
						return 1
					}
				}
				dateStr, haveDate = val, true
			case "reference":
				if !hasVal {
					if val, hasVal = need(&i, "r"); !hasVal {
						return 1
					}
				}
				refFile, haveRef = val, true
			case "rfc-2822", "rfc-email":
				format = dateRFC2822
			case "iso-8601":
				f, ok := isoFormat(val)
				if !ok {
					env.Errorf("date", "invalid argument '%s' for '--iso-8601'", val)
					return 1
				}
				format = f
			default:
				env.Errorf("date", "unrecognized option '%s'", a)
				return 1
			}
			continue
		}
		if len(a) < 2 || a[0] != '-' {
			operands = append(operands, a)
			continue
		}
	short:
		for j := 1; j < len(a); j++ {
			switch a[j] {
			case 'u':
				utc = true
			case 'R':
				format = dateRFC2822
			case 'I':
				f, ok := isoFormat(a[j+1:])
				if !ok {
					env.Errorf("date", "invalid argument '%s' for '-I'", a[j+1:])
					return 1
				}
				format = f
				break short
			case 'd', 'r', 'D', 's':
				v := a[j+1:]
				if v == "" {
					var ok bool
					if v, ok = need(&i, string(a[j])); !ok {
						return 1
					}
				}
				switch a[j] {
				case 'd':
					dateStr, haveDate = v, true
				case 'r':
					refFile, haveRef = v, true
				case 's':
					env.Errorf("date", "can't set date: Operation not permitted")
					return 1
				}
				break short
			default:
				env.Errorf("date", "invalid option -- '%c'", a[j])
				return 1
			}
		}
	}
	for _, op := range operands {
		if strings.HasPrefix(op, "+") {
			format = op[1:]
			continue
		}
		env.Errorf("date", "can't set date: Operation not permitted")
		return 1
	}
	if format == "" {
		format = dateDefault
	}
	loc := zoneFromEnv(env)
	if utc {
		loc = time.UTC
	}
	t := now()
	switch {
	case haveRef:
		fi, err := os.Stat(env.Abs(refFile))
		if err != nil {
			env.Errorf("date", "%s: %s", refFile, errText(err))
			return 1
		}
		t = fi.ModTime()
	case haveDate:
		var ok bool
		t, ok = parseDate(dateStr, t, loc)
		if !ok {
			env.Errorf("date", "invalid date '%s'", dateStr)
			return 1
		}
	}
	fmt.Fprintln(env.Stdout, strftime(format, t.In(loc)))
	return 0
}

func isoFormat(spec string) (string, bool) {
	switch spec {
	case "", "date":
		return "%Y-%m-%d", true
	case "hours":
		return "%Y-%m-%dT%H%:z", true
	case "minutes":
		return "%Y-%m-%dT%H:%M%:z", true
	case "seconds":
		return "%Y-%m-%dT%H:%M:%S%:z", true
	case "ns":
		return "%Y-%m-%dT%H:%M:%S,%N%:z", true
	}
	return "", false
}

// zoneFromEnv returns the location named by $TZ: a zoneinfo name looked
// up under /usr/share/zoneinfo, or a POSIX "STDoffset" rule (daylight
// saving rules are ignored). Without TZ it is /etc/localtime.
func zoneFromEnv(env *builtins.Env) *time.Location {
	tz, ok := env.LookupEnv("TZ")
	if !ok {
		if b, err := os.ReadFile(etcPath("localtime")); err == nil {
			if loc, err := time.LoadLocationFromTZData("Local", b); err == nil {
				return loc
			}
		}
		return time.Local
	}
	tz = strings.TrimPrefix(tz, ":")
	if tz == "" || tz == "UTC" || tz == "UTC0" {
		return time.UTC
	}
	if !strings.Contains(tz, "..") {
		for _, dir := range []string{"/usr/share/zoneinfo", "/usr/lib/zoneinfo", "/usr/share/lib/zoneinfo"} {
			name := tz
			if !filepath.IsAbs(name) {
				name = filepath.Join(dir, tz)
			}
			if b, err := os.ReadFile(name); err == nil {
				if loc, err := time.LoadLocationFromTZData(tz, b); err == nil {
					return loc
				}
			}
		}
	}
	if loc, ok := posixZone(tz); ok {
		return loc
	}
	return time.UTC
}

// posixZone parses the standard-time part of a POSIX TZ value such as
// "EST5EDT" or "<+03>-3".
func posixZone(tz string) (*time.Location, bool) {
	var name string
	i := 0
	if strings.HasPrefix(tz, "<") {
		j := strings.IndexByte(tz, '>')
		if j < 0 {
			return nil, false
		}
		name, i = tz[1:j], j+1
	} else {
		for i < len(tz) && (tz[i] >= 'A' && tz[i] <= 'Z' || tz[i] >= 'a' && tz[i] <= 'z') {
			i++
		}
		name = tz[:i]
	}
	if len(name) < 3 {
		return nil, false
	}
	sign := 1
	if i < len(tz) && (tz[i] == '+' || tz[i] == '-') {
		if tz[i] == '-' {
			sign = -1
		}
		i++
	}
	j := i
	for j < len(tz) && (tz[j] >= '0' && tz[j] <= '9' || tz[j] == ':') {
		j++
	}
	if j == i {
		return nil, false
	}
	parts := strings.Split(tz[i:j], ":")
	secs := 0
	for k, mult := range []int{3600, 60, 1} {
		if k < len(parts) {
			n, err := strconv.Atoi(parts[k])
			if err != nil {
				return nil, false
			}
			secs += n * mult
		}
	}
	// POSIX offsets are west of Greenwich: EST5 is UTC-5.
	return time.FixedZone(name, -sign*secs), true
}

// parseDate reads the -d forms busybox and GNU date accept in scripts.
func parseDate(s string, ref time.Time, loc *time.Location) (time.Time, bool) {
	s = strings.TrimSpace(s)
	switch strings.ToLower(s) {
	case "now", "":
		return ref, true
	case "today":
		return ref, true
	case "yesterday":
		return ref.AddDate(0, 0, -1), true
	case "tomorrow":
		return ref.AddDate(0, 0, 1), true
	}
	if rest, ok := strings.CutPrefix(s, "@"); ok {
		sec, frac, _ := strings.Cut(rest, ".")
		n, err := strconv.ParseInt(sec, 10, 64)
		if err != nil {
			return time.Time{}, false
		}
		var ns int64
		if frac != "" {
			if len(frac) > 9 {
				frac = frac[:9]
			}
			f, err := strconv.ParseInt((frac + "000000000")[:9], 10, 64)
			if err != nil {
				return time.Time{}, false
			}
			ns = f
			if strings.HasPrefix(sec, "-") {
				ns = -ns
			}
		}
		return time.Unix(n, ns), true
	}
	withZone := []string{
		time.RFC3339Nano, "2006-01-02T15:04Z07:00", "2006-01-02 15:04:05.999999999Z07:00",
		"2006-01-02 15:04:05Z07:00", "2006-01-02 15:04Z07:00", "2006-01-02 15:04:05 -0700",
		"2006-01-02 15:04:05 Z07:00", time.RFC1123Z, time.RFC1123, "Mon Jan _2 15:04:05 MST 2006",
	}
	for _, l := range withZone {
		if t, err := time.Parse(l, s); err == nil {
			if strings.Contains(l, "MST") {
				// named zones: only trust UTC/GMT and the local zone's name
				name, _ := t.Zone()
				if name != "UTC" && name != "GMT" {
					if t2, err := time.ParseInLocation(l, s, loc); err == nil {
						return t2, true
					}
				}
			}
			return t, true
		}
	}
	local := []string{
		"2006-01-02 15:04:05.999999999", "2006-01-02 15:04:05", "2006-01-02 15:04",
		"2006-01-02T15:04:05.999999999", "2006-01-02T15:04:05", "2006-01-02T15:04", "2006-01-02",
		"2006.01.02-15:04:05", "2006.01.02-15:04", "2006/01/02 15:04:05", "2006/01/02",
		"Jan 2 2006", "Jan 2 2006 15:04:05", "2 Jan 2006", "Mon Jan _2 15:04:05 2006",
	}
	for _, l := range local {
		if t, err := time.ParseInLocation(l, s, loc); err == nil {
			return t, true
		}
	}
	r := ref.In(loc)
	for _, l := range []string{"15:04:05", "15:04", "01.02-15:04:05", "01.02-15:04"} {
		if t, err := time.ParseInLocation(l, s, loc); err == nil {
			y, mo, d := r.Date()
			if strings.Contains(l, ".") {
				mo, d = t.Month(), t.Day()
			}
			return time.Date(y, mo, d, t.Hour(), t.Minute(), t.Second(), 0, loc), true
		}
	}
	return parseTouchDate(s, r, loc)
}

// parseTouchDate reads MMDDhhmm[[CC]YY][.ss].
func parseTouchDate(s string, r time.Time, loc *time.Location) (time.Time, bool) {
	main, sec, hasSec := strings.Cut(s, ".")
	if !allDigits(main) || hasSec && (len(sec) != 2 || !allDigits(sec)) {
		return time.Time{}, false
	}
	atoi := func(x string) int { n, _ := strconv.Atoi(x); return n }
	year := r.Year()
	switch len(main) {
	case 8:
	case 10:
		yy := atoi(main[8:])
		year = 1900 + yy
		if yy < 69 {
			year = 2000 + yy
		}
	case 12:
		year = atoi(main[8:])
	default:
		return time.Time{}, false
	}
	mo, d, h, mi := atoi(main[0:2]), atoi(main[2:4]), atoi(main[4:6]), atoi(main[6:8])
	ss := 0
	if hasSec {
		ss = atoi(sec)
	}
	if mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || ss > 60 {
		return time.Time{}, false
	}
	return time.Date(year, time.Month(mo), d, h, mi, ss, 0, loc), true
}

func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

var (
	weekdays = []string{"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"}
	months   = []string{"January", "February", "March", "April", "May", "June", "July", "August",
		"September", "October", "November", "December"}
)

// strftime formats t like glibc's strftime plus GNU date's %N, %q and
// %:z, with the -, _, 0, ^ and # flags and a field width.
func strftime(format string, t time.Time) string {
	var b strings.Builder
	for i := 0; i < len(format); i++ {
		c := format[i]
		if c != '%' || i+1 >= len(format) {
			b.WriteByte(c)
			continue
		}
		start := i
		i++
		var flag byte
		upper, swap := false, false
		for i < len(format) && strings.IndexByte("-_0^#", format[i]) >= 0 {
			switch format[i] {
			case '^':
				upper = true
			case '#':
				swap = true
			default:
				flag = format[i]
			}
			i++
		}
		width := -1
		for i < len(format) && format[i] >= '0' && format[i] <= '9' {
			if width < 0 {
				width = 0
			}
			width = width*10 + int(format[i]-'0')
			i++
		}
		colons := 0
		for i < len(format) && format[i] == ':' {
			colons++
			i++
		}
		if i >= len(format) {
			b.WriteString(format[start:])
			break
		}
		d := format[i]
		if colons > 0 && d != 'z' {
			b.WriteString(format[start : i+1])
			continue
		}
		val, num, defWidth, defPad, ok := directive(d, t, colons, width)
		if !ok {
			b.WriteString(format[start : i+1])
			continue
		}
		if swap {
			switch d {
			case 'p', 'Z':
				val = strings.ToLower(val)
			default:
				val = strings.ToUpper(val)
			}
		}
		if upper {
			val = strings.ToUpper(val)
		}
		pad := byte(' ')
		w := width
		if num {
			pad = defPad
			if w < 0 {
				w = defWidth
			}
			if flag == '-' {
				w = 0
				val = strings.TrimLeft(val, " ")
			}
		}
		switch flag {
		case '_':
			pad = ' '
		case '0':
			pad = '0'
		}
		if d == 'N' {
			w = 0
		}
		if len(val) < w {
			p := strings.Repeat(string(pad), w-len(val))
			if pad == '0' && (strings.HasPrefix(val, "-") || strings.HasPrefix(val, "+")) {
				val = val[:1] + p + val[1:]
			} else {
				val = p + val
			}
		}
		b.WriteString(val)
	}
	return b.String()
}

// directive returns the text of one conversion, whether it is numeric,
// and its default width and padding.
func directive(d byte, t time.Time, colons, width int) (val string, num bool, w int, pad byte, ok bool) {
	itoa := strconv.Itoa
	n := func(v, width int, pad byte) (string, bool, int, byte, bool) {
		return itoa(v), true, width, pad, true
	}
	s := func(v string) (string, bool, int, byte, bool) { return v, false, 0, ' ', true }
	hour12 := t.Hour() % 12
	if hour12 == 0 {
		hour12 = 12
	}
	isoYear, isoWeek := t.ISOWeek()
	switch d {
	case 'a':
		return s(weekdays[t.Weekday()][:3])
	case 'A':
		return s(weekdays[t.Weekday()])
	case 'b', 'h':
		return s(months[t.Month()-1][:3])
	case 'B':
		return s(months[t.Month()-1])
	case 'c':
		return s(strftime("%a %b %e %H:%M:%S %Y", t))
	case 'C':
		return n(t.Year()/100, 2, '0')
	case 'd':
		return n(t.Day(), 2, '0')
	case 'D':
		return s(strftime("%m/%d/%y", t))
	case 'e':
		return n(t.Day(), 2, ' ')
	case 'F':
		return s(strftime("%Y-%m-%d", t))
	case 'g':
		return n(isoYear%100, 2, '0')
	case 'G':
		return n(isoYear, 1, '0')
	case 'H':
		return n(t.Hour(), 2, '0')
	case 'I':
		return n(hour12, 2, '0')
	case 'j':
		return n(t.YearDay(), 3, '0')
	case 'k':
		return n(t.Hour(), 2, ' ')
	case 'l':
		return n(hour12, 2, ' ')
	case 'm':
		return n(int(t.Month()), 2, '0')
	case 'M':
		return n(t.Minute(), 2, '0')
	case 'n':
		return s("\n")
	case 'N':
		ns := fmt.Sprintf("%09d", t.Nanosecond())
		if width > 0 && width < 9 {
			ns = ns[:width]
		}
		return ns, true, 0, '0', true
	case 'p':
		if t.Hour() < 12 {
			return s("AM")
		}
		return s("PM")
	case 'P':
		if t.Hour() < 12 {
			return s("am")
		}
		return s("pm")
	case 'q':
		return n((int(t.Month())-1)/3+1, 1, '0')
	case 'r':
		return s(strftime("%I:%M:%S %p", t))
	case 'R':
		return s(strftime("%H:%M", t))
	case 's':
		return strconv.FormatInt(t.Unix(), 10), true, 1, '0', true
	case 'S':
		return n(t.Second(), 2, '0')
	case 't':
		return s("\t")
	case 'T':
		return s(strftime("%H:%M:%S", t))
	case 'u':
		wd := int(t.Weekday())
		if wd == 0 {
			wd = 7
		}
		return n(wd, 1, '0')
	case 'U':
		return n((t.YearDay()+6-int(t.Weekday()))/7, 2, '0')
	case 'V':
		return n(isoWeek, 2, '0')
	case 'w':
		return n(int(t.Weekday()), 1, '0')
	case 'W':
		return n((t.YearDay()+6-(int(t.Weekday())+6)%7)/7, 2, '0')
	case 'x':
		return s(strftime("%m/%d/%y", t))
	case 'X':
		return s(strftime("%H:%M:%S", t))
	case 'y':
		return n(t.Year()%100, 2, '0')
	case 'Y':
		return n(t.Year(), 1, '0')
	case 'z':
		_, off := t.Zone()
		sign := '+'
		if off < 0 {
			sign, off = '-', -off
		}
		h, m, sec := off/3600, off/60%60, off%60
		var v string
		switch colons {
		case 0:
			v = fmt.Sprintf("%c%02d%02d", sign, h, m)
		case 1:
			v = fmt.Sprintf("%c%02d:%02d", sign, h, m)
		case 2:
			v = fmt.Sprintf("%c%02d:%02d:%02d", sign, h, m, sec)
		default:
			return "", false, 0, ' ', false
		}
		return v, true, 0, '0', true
	case 'Z':
		name, _ := t.Zone()
		return s(name)
	case '%':
		return s("%")
	}
	return "", false, 0, ' ', false
}
