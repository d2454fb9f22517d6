package coreutils

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/sockerless/sockerless/builtins"
)

func init() {
	builtins.Register(
		&builtins.Command{Name: "head", Usage: headUsage, Run: runHead},
		&builtins.Command{Name: "tail", Usage: tailUsage, Run: runTail},
	)
}

const headUsage = `Usage: head [OPTIONS] [FILE]...

Print first 10 lines of FILEs (or stdin).
With more than one FILE, precede each with a filename header.

	-n, --lines=[-]N[bkm]	Print first N lines (all but the last N with -N)
	-c, --bytes=[-]N[bkm]	Print first N bytes (all but the last N with -N)
			(b:*512 k:*1024 m:*1024^2)
	-q, --quiet		Never print headers
	-v, --verbose		Always print headers`

var legacyCount = regexp.MustCompile(`^-[0-9]+$`)

func runHead(ctx context.Context, env *builtins.Env, args []string) int {
	args = append([]string(nil), args[1:]...)
	if len(args) > 0 && legacyCount.MatchString(args[0]) {
		args = append([]string{"-n", args[0][1:]}, args[1:]...)
	}
	fl := builtins.Flags(env, "head")
	lines := fl.StringP("lines", "n", "10", "")
	bytesF := fl.StringP("bytes", "c", "", "")
	quiet := fl.BoolP("quiet", "q", false, "")
	fl.BoolVar(quiet, "silent", false, "")
	verbose := fl.BoolP("verbose", "v", false, "")
	if st, ok := builtins.ParseFlags(env, fl, args); !ok {
		return st
	}
	spec, byBytes := *lines, false
	if fl.Changed("bytes") {
		spec, byBytes = *bytesF, true
	}
	allBut := strings.HasPrefix(spec, "-")
	n, ok := parseSize(strings.TrimPrefix(spec, "-"))
	if !ok {
		return usageErr(env, "head", "invalid number '%s'", spec)
	}
	names := files(fl.Args())
	headers := (len(names) > 1 && !*quiet) || *verbose
	out := newOut(env)
	defer out.Flush()
	status := 0
	sep := ""
	for _, name := range names {
		r, err := openIn(env, name)
		if err != nil {
			fileErr(env, "head", name, err)
			status = 1
			sep = "\n"
			continue
		}
		if headers {
			title := name
			if name == "-" {
				title = "standard input"
			}
			fmt.Fprintf(out, "%s==> %s <==\n", sep, title)
		}
		sep = "\n"
		in := ctxReader{ctx, r}
		switch {
		case byBytes && !allBut:
			_, err = copyOut(out, io.LimitReader(in, n))
			if err == io.EOF {
				err = nil
			}
		case byBytes:
			err = headAllButBytes(out, in, n)
		case !allBut:
			err = headLines(out, in, n)
		default:
			err = headAllButLines(out, in, n)
		}
		r.Close()
		if err != nil {
			if ctx.Err() != nil {
				return 1
			}
			readErr(env, "head", err)
			status = 1
		}
	}
	if out.Flush() != nil {
		return 1
	}
	return status
}

func headLines(out *bufio.Writer, r io.Reader, n int64) error {
	if n <= 0 {
		return nil
	}
	buf := make([]byte, bufSize)
	for {
		m, err := r.Read(buf)
		chunk := buf[:m]
		for len(chunk) > 0 {
			i := bytes.IndexByte(chunk, '\n')
			if i < 0 {
				out.Write(chunk)
				break
			}
			out.Write(chunk[:i+1])
			chunk = chunk[i+1:]
			n--
			if n == 0 {
				return nil
			}
		}
		if err != nil {
			if err == io.EOF {
				return nil
			}
			return err
		}
	}
}

func headAllButBytes(out *bufio.Writer, r io.Reader, n int64) error {
	data, err := io.ReadAll(r)
	if int64(len(data)) > n {
		out.Write(data[:int64(len(data))-n])
	}
	return err
}

// headAllButLines reads lines the way busybox does for -n -N: a NUL ends
// a line too and is not printed.
func headAllButLines(out *bufio.Writer, r io.Reader, n int64) error {
	data, err := io.ReadAll(r)
	isEnd := func(c byte) bool { return c == '\n' || c == 0 }
	cut := len(data)
	// Drop the last n lines; an unterminated last line counts as a line.
	for i := int64(0); i < n && cut > 0; i++ {
		j := cut - 2
		for j >= 0 && !isEnd(data[j]) {
			j--
		}
		cut = j + 1
	}
	kept := data[:cut]
	for len(kept) > 0 {
		k := bytes.IndexByte(kept, 0)
		if k < 0 {
			out.Write(kept)
			break
		}
		out.Write(kept[:k])
		kept = kept[k+1:]
	}
	return err
}

const tailUsage = `Usage: tail [OPTIONS] [FILE]...

Print last 10 lines of FILEs (or stdin).
With more than one FILE, precede each with a filename header.

	-c, --bytes=[+]N[bkm]	Print last N bytes (from byte N with +N)
	-n, --lines=[+]N[bkm]	Print last N lines (from line N with +N)
			(b:*512 k:*1024 m:*1024^2)
	-q, --quiet		Never print headers
	-v, --verbose		Always print headers
	-f, --follow[=name]	Print data as file grows (=name: like -F)
	-F			Same as -f, but keep retrying
	-s, --sleep-interval=SECONDS	Wait SECONDS between reads with -f`

var legacyTail = regexp.MustCompile(`^[-+][0-9]+$`)

// tailPoll is how often tail -f checks its files for new data.
var tailPoll = 200 * time.Millisecond

type tailSource struct {
	name string
	r    io.ReadCloser
	f    *os.File // nil for stdin
	off  int64
}

func runTail(ctx context.Context, env *builtins.Env, args []string) int {
	args = append([]string(nil), args[1:]...)
	if len(args) > 0 && legacyTail.MatchString(args[0]) {
		args = append([]string{"-n", strings.TrimPrefix(args[0], "-")}, args[1:]...)
	}
	fl := builtins.Flags(env, "tail")
	lines := fl.StringP("lines", "n", "10", "")
	bytesF := fl.StringP("bytes", "c", "", "")
	quiet := fl.BoolP("quiet", "q", false, "")
	fl.BoolVar(quiet, "silent", false, "")
	verbose := fl.BoolP("verbose", "v", false, "")
	followS := fl.StringP("follow", "f", "", "")
	retry := fl.BoolP("F", "F", false, "")
	fl.BoolVar(retry, "retry", false, "")
	sleep := fl.StringP("sleep-interval", "s", "", "")
	fl.String("pid", "", "")
	fl.Lookup("follow").NoOptDefVal = "descriptor"
	if st, ok := builtins.ParseFlags(env, fl, args); !ok {
		return st
	}
	switch *followS {
	case "", "descriptor":
	case "name":
		*retry = true
	default:
		return usageErr(env, "tail", "invalid argument '%s' for '--follow'", *followS)
	}
	follow := new(bool)
	*follow = *followS != "" || *retry
	poll := tailPoll
	if *sleep != "" {
		secs, err := strconv.ParseFloat(*sleep, 64)
		if err != nil || secs < 0 {
			return usageErr(env, "tail", "invalid number '%s'", *sleep)
		}
		poll = time.Duration(secs * float64(time.Second))
	}
	spec, byBytes := *lines, false
	if fl.Changed("bytes") {
		spec, byBytes = *bytesF, true
	}
	fromStart := strings.HasPrefix(spec, "+")
	n, ok := parseSize(strings.TrimLeft(spec, "+-"))
	if !ok {
		return usageErr(env, "tail", "invalid number '%s'", spec)
	}
	status := 0
	var srcs []*tailSource
	for _, name := range files(fl.Args()) {
		r, err := openIn(env, name)
		if err != nil {
			cantOpen(env, "tail", name, err)
			status = 1
			if *retry {
				srcs = append(srcs, &tailSource{name: name})
			}
			continue
		}
		s := &tailSource{name: name, r: r}
		s.f, _ = r.(*os.File)
		srcs = append(srcs, s)
	}
	open := 0
	for _, s := range srcs {
		if s.r != nil {
			open++
		}
	}
	headers := (open > 1 && !*quiet) || *verbose
	out := newOut(env)
	defer out.Flush()
	sep := ""
	var last *tailSource
	for _, s := range srcs {
		if s.r == nil {
			continue
		}
		if headers {
			fmt.Fprintf(out, "%s==> %s <==\n", sep, s.name)
			sep = "\n"
		}
		last = s
		var err error
		switch {
		case fromStart:
			err = tailFrom(ctx, out, s, n, byBytes)
		default:
			err = tailLast(ctx, out, s, n, byBytes)
		}
		if err != nil {
			if ctx.Err() != nil {
				return 1
			}
			readErr(env, "tail", err)
			status = 1
		}
	}
	if out.Flush() != nil {
		return 1
	}
	if !*follow || len(srcs) == 0 {
		for _, s := range srcs {
			if s.r != nil {
				s.r.Close()
			}
		}
		return status
	}
	return tailFollow(ctx, env, out, srcs, last, headers, *retry, poll, status)
}

// tailFrom prints from line or byte n (1-based) to the end.
func tailFrom(ctx context.Context, out *bufio.Writer, s *tailSource, n int64, byBytes bool) error {
	in := ctxReader{ctx, s.r}
	if n > 0 {
		n--
	}
	var skipped int64
	if byBytes {
		if s.f != nil {
			if fi, err := s.f.Stat(); err == nil && fi.Mode().IsRegular() {
				if _, err := s.f.Seek(n, io.SeekStart); err == nil {
					skipped = n
				}
			}
		}
		if skipped < n {
			m, err := io.CopyN(io.Discard, in, n)
			skipped += m
			if err != nil && err != io.EOF {
				return err
			}
		}
	} else {
		br := bufio.NewReaderSize(in, bufSize)
		for n > 0 {
			b, err := br.ReadSlice('\n')
			skipped += int64(len(b))
			if err == nil {
				n--
				continue
			}
			if err == bufio.ErrBufferFull {
				continue
			}
			if err == io.EOF {
				s.off = skipped
				return nil
			}
			return err
		}
		m, err := copyOut(out, br)
		s.off = skipped + m
		return err
	}
	m, err := copyOut(out, in)
	s.off = skipped + m
	return err
}

// tailLast prints the last n lines or bytes.
func tailLast(ctx context.Context, out *bufio.Writer, s *tailSource, n int64, byBytes bool) error {
	if s.f != nil {
		if fi, err := s.f.Stat(); err == nil && fi.Mode().IsRegular() && fi.Size() > 0 {
			return tailLastSeek(out, s, fi.Size(), n, byBytes)
		}
	}
	in := ctxReader{ctx, s.r}
	var data []byte
	buf := make([]byte, bufSize)
	var total int64
	for {
		m, err := in.Read(buf)
		data = append(data, buf[:m]...)
		total += int64(m)
		if len(data) > 4*bufSize && len(data) > 4*int(min(n, 1<<30)) {
			data = trimTail(data, n, byBytes)
		}
		if err != nil {
			if err != io.EOF {
				return err
			}
			break
		}
	}
	out.Write(trimTail(data, n, byBytes))
	s.off = total
	return nil
}

// trimTail returns the last n lines or bytes of data.
func trimTail(data []byte, n int64, byBytes bool) []byte {
	if byBytes {
		if int64(len(data)) > n {
			return data[int64(len(data))-n:]
		}
		return data
	}
	if n == 0 {
		return data[len(data):]
	}
	end := len(data)
	if end > 0 && data[end-1] == '\n' {
		end--
	}
	for i := int64(0); i < n; i++ {
		j := bytes.LastIndexByte(data[:end], '\n')
		if j < 0 {
			return data
		}
		end = j
	}
	return data[end+1:]
}

// tailLastSeek reads backwards from the end of a regular file.
func tailLastSeek(out *bufio.Writer, s *tailSource, size, n int64, byBytes bool) error {
	start := int64(0)
	if byBytes {
		start = max(0, size-n)
	} else if n == 0 {
		start = size
	} else {
		buf := make([]byte, bufSize)
		pos := size
		count := int64(0)
		first := true
	scan:
		for pos > 0 {
			chunk := min(int64(len(buf)), pos)
			pos -= chunk
			b := buf[:chunk]
			if _, err := s.f.ReadAt(b, pos); err != nil && err != io.EOF {
				return err
			}
			if first {
				if b[len(b)-1] == '\n' {
					b = b[:len(b)-1]
				}
				first = false
			}
			for {
				j := bytes.LastIndexByte(b, '\n')
				if j < 0 {
					break
				}
				count++
				if count == n {
					start = pos + int64(j) + 1
					break scan
				}
				b = b[:j]
			}
		}
	}
	if _, err := s.f.Seek(start, io.SeekStart); err != nil {
		return err
	}
	m, err := copyOut(out, s.f)
	s.off = start + m
	return err
}

// tailFollow polls the sources for new data until ctx is cancelled.
func tailFollow(ctx context.Context, env *builtins.Env, out *bufio.Writer, srcs []*tailSource, last *tailSource, headers, retry bool, poll time.Duration, status int) int {
	defer func() {
		for _, s := range srcs {
			if s.r != nil {
				s.r.Close()
			}
		}
	}()
	if !retry {
		any := false
		for _, s := range srcs {
			if s.r != nil {
				any = true
			}
		}
		if !any {
			return status
		}
	}
	if poll <= 0 {
		poll = time.Millisecond
	}
	buf := make([]byte, bufSize)
	ticker := time.NewTicker(poll)
	defer ticker.Stop()
	for {
		for _, s := range srcs {
			if retry {
				tailReopen(env, s)
			}
			if s.r == nil {
				continue
			}
			if s.f != nil {
				if fi, err := s.f.Stat(); err == nil && fi.Mode().IsRegular() && fi.Size() < s.off {
					env.Errorf("tail", "%s: file truncated", s.name)
					s.f.Seek(0, io.SeekStart)
					s.off = 0
				}
			}
			for {
				m, err := s.r.Read(buf)
				if m > 0 {
					if headers && last != s {
						fmt.Fprintf(out, "\n==> %s <==\n", s.name)
					}
					last = s
					out.Write(buf[:m])
					s.off += int64(m)
				}
				if err != nil || m == 0 {
					break
				}
			}
		}
		if out.Flush() != nil {
			return 1
		}
		select {
		case <-ctx.Done():
			return status
		case <-ticker.C:
		}
	}
}

// tailReopen implements -F: reopen a file that appeared or was replaced.
func tailReopen(env *builtins.Env, s *tailSource) {
	if s.name == "-" {
		return
	}
	fi, err := os.Stat(env.Abs(s.name))
	if err != nil {
		if s.r != nil && s.f != nil {
			s.f.Close()
			s.r, s.f = nil, nil
		}
		return
	}
	if s.f != nil {
		if cur, err := s.f.Stat(); err == nil && os.SameFile(cur, fi) {
			return
		}
		s.f.Close()
	}
	f, err := os.Open(env.Abs(s.name))
	if err != nil {
		s.r, s.f = nil, nil
		return
	}
	s.r, s.f, s.off = f, f, 0
}
