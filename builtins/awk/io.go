package awk

import (
	"bufio"
	"io"
	"os"
	"strconv"
	"strings"
	"sync"

	"github.com/sockerless/sockerless/builtins"
)

// lockedWriter serialises writes from awk and the commands it starts.
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

type outStream struct {
	w      *bufio.Writer
	closer io.Closer
	done   chan int // exit status of a pipe's command
	flush  bool     // flush after every write (stderr)
	stdout bool
}

type inStream struct {
	r      *recReader
	closer io.Closer
	done   chan int
}

// recReader splits input into records according to RS.
type recReader struct {
	r   *bufio.Reader
	buf []byte // regex mode: unread input
	eof bool
	err error // a read error other than EOF
}

func (rr *recReader) noteErr(err error) {
	if err != nil && err != io.EOF && err != bufio.ErrBufferFull && rr.err == nil {
		rr.err = err
	}
}

func newRecReader(r io.Reader) *recReader {
	return &recReader{r: bufio.NewReaderSize(r, 64*1024)}
}

func (rr *recReader) read(in *interp) (string, bool) {
	switch {
	case in.rs == "":
		return rr.readPara()
	case in.rsRe != nil:
		return rr.readRegex(in)
	}
	return rr.readChar(in.rs[0])
}

func (rr *recReader) readChar(sep byte) (string, bool) {
	line, err := rr.r.ReadSlice(sep)
	if err == bufio.ErrBufferFull {
		acc := append([]byte(nil), line...)
		for err == bufio.ErrBufferFull {
			line, err = rr.r.ReadSlice(sep)
			acc = append(acc, line...)
		}
		line = acc
	}
	rr.noteErr(err)
	if len(line) == 0 {
		return "", false
	}
	if line[len(line)-1] == sep && err == nil {
		line = line[:len(line)-1]
	}
	return string(line), true
}

func (rr *recReader) readPara() (string, bool) {
	for {
		c, err := rr.r.ReadByte()
		if err != nil {
			rr.noteErr(err)
			return "", false
		}
		if c != '\n' {
			rr.r.UnreadByte()
			break
		}
	}
	var b strings.Builder
	for {
		line, err := rr.r.ReadString('\n')
		rr.noteErr(err)
		if line == "\n" {
			break
		}
		if err != nil {
			// like busybox, a final paragraph ended by a single newline
			// keeps it
			b.WriteString(line)
			break
		}
		if b.Len() > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(line[:len(line)-1])
		if c, err := rr.r.ReadByte(); err != nil {
			b.WriteByte('\n')
			break
		} else {
			rr.r.UnreadByte()
			_ = c
		}
	}
	return b.String(), true
}

func (rr *recReader) readRegex(in *interp) (string, bool) {
	for {
		if loc := in.rsRe.FindIndex(rr.buf); loc != nil && loc[1] > loc[0] && (loc[1] < len(rr.buf) || rr.eof) {
			rec := string(rr.buf[:loc[0]])
			rr.buf = rr.buf[loc[1]:]
			return rec, true
		}
		if rr.eof {
			if len(rr.buf) == 0 {
				return "", false
			}
			rec := string(rr.buf)
			rr.buf = nil
			return rec, true
		}
		chunk := make([]byte, 32*1024)
		n, err := rr.r.Read(chunk)
		rr.buf = append(rr.buf, chunk[:n]...)
		rr.noteErr(err)
		if err != nil {
			rr.eof = true
		}
	}
}

// ---- output ----

func (in *interp) flushStdout() {
	in.stdout.Flush()
}

func (in *interp) output(redir tokKind, name string) *outStream {
	if o, ok := in.outputs[name]; ok {
		return o
	}
	var o *outStream
	switch {
	case name == "-" || builtins.StdStream(in.env.Abs(name)) == 1:
		o = &outStream{w: in.stdout, stdout: true}
	case builtins.StdStream(in.env.Abs(name)) == 2:
		o = &outStream{w: bufio.NewWriter(in.rawErr), flush: true}
	case redir == tPipe:
		in.flushStdout()
		pr, pw := io.Pipe()
		child := *in.env
		child.Stdin = pr
		child.Stdout = in.rawOut
		child.Stderr = in.rawErr
		done := make(chan int, 1)
		go func() {
			st := in.env.Exec(in.ctx, &child, []string{"sh", "-c", name})
			pr.Close()
			done <- st
		}()
		o = &outStream{w: bufio.NewWriter(pw), closer: pw, done: done}
	default:
		flag := os.O_WRONLY | os.O_CREATE | os.O_TRUNC
		if redir == tAppend {
			flag = os.O_WRONLY | os.O_CREATE | os.O_APPEND
		}
		f, err := os.OpenFile(in.env.Abs(name), flag, 0o666)
		if err != nil {
			in.fatalf("%s: %s", name, errText(err))
		}
		o = &outStream{w: bufio.NewWriter(f), closer: f}
	}
	in.outputs[name] = o
	in.outOrder = append(in.outOrder, name)
	return o
}

func errText(err error) string {
	if pe, ok := err.(*os.PathError); ok {
		err = pe.Err
	}
	s := err.Error()
	switch {
	case strings.Contains(s, "no such file"):
		return "No such file or directory"
	case strings.Contains(s, "permission denied"):
		return "Permission denied"
	case strings.Contains(s, "is a directory"):
		return "Is a directory"
	}
	if s != "" {
		s = strings.ToUpper(s[:1]) + s[1:]
	}
	return s
}

// closeStream closes a file or command. Like busybox it returns 0 for a
// name that is not open and the raw wait status for commands.
func (in *interp) closeStream(name string) int {
	status := 0
	if o, ok := in.outputs[name]; ok {
		delete(in.outputs, name)
		status = in.closeOut(o)
	}
	if is, ok := in.inputs[name]; ok {
		delete(in.inputs, name)
		status = closeIn(is)
	}
	return status
}

func (in *interp) closeOut(o *outStream) int {
	if o.done != nil {
		in.flushStdout()
	}
	o.w.Flush()
	if o.closer != nil {
		o.closer.Close()
	}
	if o.done != nil {
		return waitStatus(<-o.done)
	}
	return 0
}

// waitStatus turns a shell-style exit status into what wait(2) reports.
func waitStatus(st int) int {
	if st > 128 && st < 160 {
		return st - 128
	}
	return st << 8
}

func closeIn(is *inStream) int {
	if is.closer != nil {
		is.closer.Close()
	}
	if is.done != nil {
		return waitStatus(<-is.done)
	}
	return 0
}

func (in *interp) closeAll() {
	in.flushStdout()
	for _, name := range in.outOrder {
		if o, ok := in.outputs[name]; ok {
			delete(in.outputs, name)
			in.closeOut(o)
		}
	}
	for name, is := range in.inputs {
		delete(in.inputs, name)
		closeIn(is)
	}
	if in.mainCloser != nil {
		in.mainCloser.Close()
		in.mainCloser = nil
	}
	in.flushStdout()
}

func (in *interp) fflush(name string, all bool) int {
	if all {
		in.flushStdout()
		for _, o := range in.outputs {
			o.w.Flush()
		}
		return 0
	}
	if o, ok := in.outputs[name]; ok {
		o.w.Flush()
		return 0
	}
	return -1
}

func (in *interp) print(s *printStmt) {
	w := in.stdout
	var o *outStream
	if s.redir != 0 {
		o = in.output(s.redir, in.toStr(s.dest.eval(in)))
		w = o.w
	}
	if s.printf {
		if len(s.args) == 0 {
			return
		}
		vals := make([]value, len(s.args)-1)
		for i, a := range s.args[1:] {
			vals[i] = a.eval(in)
		}
		w.WriteString(in.sprintf(in.toStr(s.args[0].eval(in)), vals))
	} else if len(s.args) == 0 {
		w.WriteString(in.record)
		w.WriteString(in.ors)
	} else {
		for i, a := range s.args {
			if i > 0 {
				w.WriteString(in.ofs)
			}
			v := a.eval(in)
			if v.k == kNum && isIntegral(v.n) {
				// formatNum's integer case, without a string
				in.numBuf = strconv.AppendInt(in.numBuf[:0], int64(v.n), 10)
				w.Write(in.numBuf)
				continue
			}
			w.WriteString(in.toOutStr(v))
		}
		w.WriteString(in.ors)
	}
	if o != nil && o.flush {
		w.Flush()
	}
	if _, err := w.Write(nil); err != nil && (o == nil || o.stdout || o.done != nil) {
		// the reader of stdout or of a pipe has gone: busybox dies of
		// SIGPIPE here
		panic(brokenPipe{})
	}
}

// brokenPipe stops the program the way SIGPIPE stops busybox awk.
type brokenPipe struct{}

// ---- input ----

func (in *interp) inputFile(name string) *inStream {
	if is, ok := in.inputs[name]; ok {
		return is
	}
	var is *inStream
	if name == "-" {
		is = &inStream{r: newRecReader(in.env.Stdin)}
	} else {
		f, err := in.env.Open(name)
		if err != nil {
			return nil
		}
		is = &inStream{r: newRecReader(f), closer: f}
	}
	in.inputs[name] = is
	return is
}

func (in *interp) inputCmd(cmd string) *inStream {
	if is, ok := in.inputs[cmd]; ok {
		return is
	}
	in.flushStdout()
	pr, pw := io.Pipe()
	child := *in.env
	child.Stdout = pw
	child.Stderr = in.rawErr
	done := make(chan int, 1)
	go func() {
		st := in.env.Exec(in.ctx, &child, []string{"sh", "-c", cmd})
		pw.Close()
		done <- st
	}()
	is := &inStream{r: newRecReader(pr), closer: pr, done: done}
	in.inputs[cmd] = is
	return is
}

func (e *getlineExpr) eval(in *interp) value {
	var rec string
	var ok bool
	switch e.kind {
	case glSimple:
		if in.inEnd {
			return num(-1) // busybox has closed the main input by then
		}
		rec, ok = in.nextMainRecord()
		if !ok {
			return num(0)
		}
		in.nr++
		in.fnr++
	case glFile:
		is := in.inputFile(in.toStr(e.src.eval(in)))
		if is == nil {
			return num(-1)
		}
		rec, ok = is.r.read(in)
		if !ok {
			if is.r.err != nil {
				return num(-1)
			}
			return num(0)
		}
	case glCmd:
		is := in.inputCmd(in.toStr(e.src.eval(in)))
		rec, ok = is.r.read(in)
		if !ok {
			return num(0)
		}
	}
	if e.lv == nil {
		in.setRecord(rec)
	} else {
		in.assign(e.lv, strnum(rec))
	}
	return num(1)
}

// nextMainRecord reads the next record of the main input, moving through
// the file operands in ARGV.
func (in *interp) nextMainRecord() (string, bool) {
	for {
		if in.mainIn == nil && !in.openNextMain() {
			return "", false
		}
		if rec, ok := in.mainIn.read(in); ok {
			return rec, true
		}
		if err := in.mainIn.err; err != nil {
			in.fatalf("read error: %s", errText(err))
		}
		in.endMainFile()
	}
}

func (in *interp) endMainFile() {
	if in.mainCloser != nil {
		in.mainCloser.Close()
		in.mainCloser = nil
	}
	in.mainIn = nil
}

func (in *interp) openNextMain() bool {
	argc := int(in.globals[in.symIdx("ARGC")].toNum())
	argv := in.arrays[in.symIdx("ARGV")]
	for in.argIndex < argc {
		i := in.argIndex
		in.argIndex++
		p := argv.find(formatNum(float64(i), "%.6g"))
		if p == nil {
			continue
		}
		arg := in.toStr(p.v)
		if arg == "" {
			continue
		}
		if name, val, ok := isAssignment(arg); ok {
			in.assignVar(name, val)
			continue
		}
		in.usedFile = true
		return in.openMain(arg)
	}
	if !in.usedFile {
		in.usedFile = true
		return in.openMain("-")
	}
	return false
}

func (in *interp) openMain(name string) bool {
	in.fnr = 0
	in.globals[spFILENAME] = str(name)
	if name == "-" {
		in.mainIn = newRecReader(in.env.Stdin)
		return true
	}
	f, err := in.env.Open(name)
	if err != nil {
		in.fatalf("%s: %s", name, errText(err))
	}
	in.mainIn = newRecReader(f)
	in.mainCloser = f
	return true
}

// isAssignment recognises a var=value operand.
func isAssignment(s string) (string, string, bool) {
	eq := strings.IndexByte(s, '=')
	if eq <= 0 || !isNameStart(s[0]) {
		return "", "", false
	}
	for i := 1; i < eq; i++ {
		if !isNameStart(s[i]) && !isDigit(s[i]) {
			return "", "", false
		}
	}
	return s[:eq], s[eq+1:], true
}

func unescapeString(s string) string {
	if !strings.Contains(s, "\\") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) {
			i += unescape(&b, s[i+1:])
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}
