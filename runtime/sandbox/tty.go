package sandbox

import (
	"bytes"
	"io"
	"sync"
)

// Terminal is the pseudo-terminal of a process run with a TTY: a Linux
// pty's default line discipline (cooked mode) between the client and the
// guest, which cannot change termios settings. Input is echoed and edited
// (backspace, ^U, ^W) until a newline; ^C and ^\ send SIGINT and SIGQUIT
// to the process and discard the line; ^D on an empty line is end of file.
// Output newlines become CR LF.
type Terminal struct {
	in  io.Reader
	out io.Writer
	p   *Process

	outMu      sync.Mutex
	line       []byte
	ready      []byte
	eof        bool
	rows, cols int
	raw        [256]byte
}

func newTerminal(in io.Reader, out io.Writer, p *Process) *Terminal {
	if in == nil {
		in = eofReader{}
	}
	if out == nil {
		out = io.Discard
	}
	return &Terminal{in: in, out: out, p: p, rows: 24, cols: 80}
}

type eofReader struct{}

func (eofReader) Read([]byte) (int, error) { return 0, io.EOF }

// Read returns the next completed line (or what ^D flushed).
func (t *Terminal) Read(buf []byte) (int, error) {
	for len(t.ready) == 0 {
		if t.eof {
			t.eof = false
			return 0, io.EOF
		}
		n, err := t.in.Read(t.raw[:])
		for _, c := range t.raw[:n] {
			t.input(c)
		}
		if err != nil && len(t.ready) == 0 {
			if len(t.line) > 0 {
				t.ready, t.line = t.line, nil
				break
			}
			return 0, err
		}
	}
	n := copy(buf, t.ready)
	t.ready = t.ready[n:]
	return n, nil
}

func (t *Terminal) input(c byte) {
	switch c {
	case '\r', '\n':
		t.line = append(t.line, '\n')
		t.ready = append(t.ready, t.line...)
		t.line = t.line[:0]
		t.echo([]byte("\r\n"))
	case 0x03, 0x1c: // ^C, ^\ .
		t.line = t.line[:0]
		if c == 0x03 {
			t.echo([]byte("^C"))
			go t.p.Signal(2)
		} else {
			t.echo([]byte("^\\"))
			go t.p.Signal(3)
		}
	case 0x04: // ^D
		if len(t.line) == 0 {
			t.eof = true
		} else {
			t.ready = append(t.ready, t.line...)
			t.line = t.line[:0]
		}
	case 0x7f, 0x08: // erase
		if len(t.line) > 0 {
			t.line = t.line[:len(t.line)-1]
			t.echo([]byte("\b \b"))
		}
	case 0x15: // ^U kill line
		for range t.line {
			t.echo([]byte("\b \b"))
		}
		t.line = t.line[:0]
	case 0x17: // ^W erase word
		i := len(t.line)
		for i > 0 && t.line[i-1] == ' ' {
			i--
		}
		for i > 0 && t.line[i-1] != ' ' {
			i--
		}
		for range t.line[i:] {
			t.echo([]byte("\b \b"))
		}
		t.line = t.line[:i]
	default:
		t.line = append(t.line, c)
		if c < 0x20 && c != '\t' {
			t.echo([]byte{'^', c + 0x40})
		} else {
			t.echo([]byte{c})
		}
	}
}

func (t *Terminal) echo(b []byte) {
	t.outMu.Lock()
	defer t.outMu.Unlock()
	t.out.Write(b)
}

// write applies ONLCR to guest output.
func (t *Terminal) write(b []byte) (int, error) {
	t.outMu.Lock()
	defer t.outMu.Unlock()
	if bytes.IndexByte(b, '\n') < 0 {
		return t.out.Write(b)
	}
	conv := bytes.ReplaceAll(b, []byte("\n"), []byte("\r\n"))
	if _, err := t.out.Write(conv); err != nil {
		return 0, err
	}
	return len(b), nil
}

func (t *Terminal) resize(rows, cols int) {
	t.outMu.Lock()
	t.rows, t.cols = rows, cols
	t.outMu.Unlock()
	t.p.Signal(28) // SIGWINCH
}

func (t *Terminal) close() {}
