package rootfs

import "testing"

// BenchmarkStatDeep stats a 4-component path in a 2-layer merged dir.
func BenchmarkStatDeep(b *testing.B) {
	e := newEnv(b)
	v := e.fs.As(0, 0)
	for b.Loop() {
		if _, errno := v.Stat("usr/lib/a"); errno != 0 {
			b.Fatal(errno)
		}
	}
}

// BenchmarkOpenRead opens, reads and closes an image file through a symlink.
func BenchmarkOpenRead(b *testing.B) {
	e := newEnv(b)
	v := e.fs.As(0, 0)
	buf := make([]byte, 64)
	for b.Loop() {
		f, errno := v.OpenFile("lib/a", O_RDONLY, 0)
		if errno != 0 {
			b.Fatal(errno)
		}
		f.Read(buf)
		f.Close()
	}
}
