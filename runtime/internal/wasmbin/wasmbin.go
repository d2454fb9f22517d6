// Package wasmbin rewrites the sandbox guest's wasm binary so that an
// initialised instance can be snapshotted and cloned: it moves the active
// data segments out of the module (the host writes them into the template
// instance's memory instead, and clones get their memory from the
// snapshot, so instantiating a clone skips the tens of thousands of
// segments Go's linker emits) and exports every global (Go keeps its stack
// pointer and friends in unexported mutable globals, which a clone must
// restore).
//
// It understands just enough of the binary format for that: section
// framing, the global, export, data and data-count sections, and constant
// expressions. It refuses modules it does not understand rather than guess.
package wasmbin

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
)

// Segment is an active data segment of memory 0.
type Segment struct {
	Offset uint32
	Data   []byte
}

// Result is the rewritten module and what was taken out of it.
type Result struct {
	Module   []byte
	Segments []Segment
	// Globals are the export names given to globals 0..n-1 of the
	// module's own global section (imported globals are not supported).
	Globals []string
	// MinPages is the memory's initial size in 64 KiB pages.
	MinPages uint32
}

// GlobalExportPrefix prefixes the names of the added global exports.
const GlobalExportPrefix = "__sockerless_global_"

const (
	secImport    = 2
	secMemory    = 5
	secGlobal    = 6
	secExport    = 7
	secData      = 11
	secDataCount = 12
)

type section struct {
	id      byte
	payload []byte
}

// Rewrite returns the module without data segments and with all its
// globals exported.
func Rewrite(bin []byte) (*Result, error) {
	if len(bin) < 8 || !bytes.Equal(bin[:4], []byte("\x00asm")) || binary.LittleEndian.Uint32(bin[4:]) != 1 {
		return nil, errors.New("wasmbin: not a wasm 1.0 module")
	}
	var secs []section
	r := bin[8:]
	for len(r) > 0 {
		id := r[0]
		size, n, err := uleb(r[1:])
		if err != nil {
			return nil, err
		}
		start := 1 + n
		if uint64(len(r)-start) < size {
			return nil, errors.New("wasmbin: truncated section")
		}
		secs = append(secs, section{id, r[start : start+int(size)]})
		r = r[start+int(size):]
	}
	res := &Result{}
	var nGlobals uint64
	haveExport := false
	for _, s := range secs {
		switch s.id {
		case secImport:
			if err := checkImports(s.payload); err != nil {
				return nil, err
			}
		case secMemory:
			p := s.payload
			count, n, err := uleb(p)
			if err != nil || count != 1 {
				return nil, fmt.Errorf("wasmbin: want exactly one memory")
			}
			p = p[n:]
			if len(p) < 2 {
				return nil, errors.New("wasmbin: truncated memory section")
			}
			p = p[1:] // limits flag
			min, _, err := uleb(p)
			if err != nil {
				return nil, err
			}
			res.MinPages = uint32(min)
		case secGlobal:
			c, _, err := uleb(s.payload)
			if err != nil {
				return nil, err
			}
			nGlobals = c
		case secExport:
			haveExport = true
		case secData:
			segs, err := parseData(s.payload)
			if err != nil {
				return nil, err
			}
			res.Segments = segs
		}
	}
	if !haveExport {
		return nil, errors.New("wasmbin: module has no export section")
	}
	var out bytes.Buffer
	out.Write(bin[:8])
	for _, s := range secs {
		switch s.id {
		case secData, secDataCount:
			continue
		case secExport:
			p := s.payload
			count, n, err := uleb(p)
			if err != nil {
				return nil, err
			}
			var body bytes.Buffer
			body.Write(appendULEB(nil, count+nGlobals))
			body.Write(p[n:])
			for i := uint64(0); i < nGlobals; i++ {
				name := fmt.Sprintf("%s%d", GlobalExportPrefix, i)
				res.Globals = append(res.Globals, name)
				body.Write(appendULEB(nil, uint64(len(name))))
				body.WriteString(name)
				body.WriteByte(0x03) // global
				body.Write(appendULEB(nil, i))
			}
			writeSection(&out, secExport, body.Bytes())
		default:
			writeSection(&out, s.id, s.payload)
		}
	}
	res.Module = out.Bytes()
	return res, nil
}

func writeSection(w *bytes.Buffer, id byte, payload []byte) {
	w.WriteByte(id)
	w.Write(appendULEB(nil, uint64(len(payload))))
	w.Write(payload)
}

// checkImports refuses imported globals and memories: their indexes would
// shift the numbering this package relies on.
func checkImports(p []byte) error {
	count, n, err := uleb(p)
	if err != nil {
		return err
	}
	p = p[n:]
	for i := uint64(0); i < count; i++ {
		for j := 0; j < 2; j++ { // module, name
			l, n, err := uleb(p)
			if err != nil || uint64(len(p)-n) < l {
				return errors.New("wasmbin: bad import")
			}
			p = p[n+int(l):]
		}
		if len(p) == 0 {
			return errors.New("wasmbin: bad import")
		}
		kind := p[0]
		p = p[1:]
		switch kind {
		case 0x00: // func: type index
			_, n, err := uleb(p)
			if err != nil {
				return err
			}
			p = p[n:]
		default:
			return fmt.Errorf("wasmbin: imports of kind %d are not supported", kind)
		}
	}
	return nil
}

func parseData(p []byte) ([]Segment, error) {
	count, n, err := uleb(p)
	if err != nil {
		return nil, err
	}
	p = p[n:]
	segs := make([]Segment, 0, min(count, uint64(len(p)/4))) // a segment takes at least 4 bytes
	for i := uint64(0); i < count; i++ {
		flag, n, err := uleb(p)
		if err != nil {
			return nil, err
		}
		p = p[n:]
		if flag != 0 {
			return nil, fmt.Errorf("wasmbin: data segment kind %d is not supported", flag)
		}
		// offset expression: i32.const N end
		if len(p) < 1 || p[0] != 0x41 {
			return nil, errors.New("wasmbin: data offset is not i32.const")
		}
		off, n, err := sleb(p[1:])
		if err != nil {
			return nil, err
		}
		p = p[1+n:]
		if len(p) < 1 || p[0] != 0x0b {
			return nil, errors.New("wasmbin: data offset expression too long")
		}
		p = p[1:]
		size, n, err := uleb(p)
		if err != nil || uint64(len(p)-n) < size {
			return nil, errors.New("wasmbin: truncated data segment")
		}
		segs = append(segs, Segment{Offset: uint32(off), Data: p[n : n+int(size)]})
		p = p[n+int(size):]
	}
	return segs, nil
}

func uleb(b []byte) (uint64, int, error) {
	var v uint64
	var shift uint
	for i, c := range b {
		if i >= 10 {
			break
		}
		v |= uint64(c&0x7f) << shift
		if c&0x80 == 0 {
			return v, i + 1, nil
		}
		shift += 7
	}
	return 0, 0, errors.New("wasmbin: bad LEB128")
}

func sleb(b []byte) (int64, int, error) {
	var v int64
	var shift uint
	for i, c := range b {
		if i >= 10 {
			break
		}
		v |= int64(c&0x7f) << shift
		shift += 7
		if c&0x80 == 0 {
			if shift < 64 && c&0x40 != 0 {
				v |= -1 << shift
			}
			return v, i + 1, nil
		}
	}
	return 0, 0, errors.New("wasmbin: bad LEB128")
}

func appendULEB(b []byte, v uint64) []byte {
	for {
		c := byte(v & 0x7f)
		v >>= 7
		if v != 0 {
			b = append(b, c|0x80)
		} else {
			return append(b, c)
		}
	}
}
