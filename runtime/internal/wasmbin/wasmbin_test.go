package wasmbin

import (
	"bytes"
	"testing"
)

// A module with one memory, two globals, an export and two data segments.
func testModule() []byte {
	var b bytes.Buffer
	b.WriteString("\x00asm\x01\x00\x00\x00")
	sec := func(id byte, payload []byte) { writeSection(&b, id, payload) }
	sec(secMemory, []byte{1, 0x00, 2})                                                 // 1 memory, min 2
	sec(secGlobal, []byte{2, 0x7f, 1, 0x41, 0x80, 0x01, 0x0b, 0x7e, 0, 0x42, 5, 0x0b}) // mut i32 = 128; i64 = 5
	sec(secExport, []byte{1, 3, 'm', 'e', 'm', 0x02, 0})                               // export memory 0 as "mem"
	sec(secData, []byte{2, 0, 0x41, 0x10, 0x0b, 3, 'a', 'b', 'c', 0, 0x41, 0x80, 0x02, 0x0b, 1, 'z'})
	return b.Bytes()
}

func TestRewrite(t *testing.T) {
	res, err := Rewrite(testModule())
	if err != nil {
		t.Fatal(err)
	}
	if res.MinPages != 2 {
		t.Errorf("MinPages = %d", res.MinPages)
	}
	if len(res.Segments) != 2 || res.Segments[0].Offset != 16 || string(res.Segments[0].Data) != "abc" ||
		res.Segments[1].Offset != 256 || string(res.Segments[1].Data) != "z" {
		t.Errorf("segments = %+v", res.Segments)
	}
	if len(res.Globals) != 2 || res.Globals[1] != GlobalExportPrefix+"1" {
		t.Errorf("globals = %v", res.Globals)
	}
	if bytes.Contains(res.Module, []byte("abc")) {
		t.Error("data section still in module")
	}
	// Rewriting the result again finds no data and four exports' worth of globals.
	again, err := Rewrite(res.Module)
	if err != nil {
		t.Fatal(err)
	}
	if len(again.Segments) != 0 || len(again.Globals) != 2 {
		t.Errorf("second rewrite: %+v", again)
	}
}

func FuzzRewrite(f *testing.F) {
	f.Add(testModule())
	f.Add([]byte("\x00asm\x01\x00\x00\x00"))
	f.Fuzz(func(t *testing.T, b []byte) {
		Rewrite(b) // must not panic
	})
}
