package abi

import (
	"io/fs"
	"testing"
)

func TestModeRoundTrip(t *testing.T) {
	for _, m := range []fs.FileMode{
		0o644, 0o755 | fs.ModeDir, 0o777 | fs.ModeSymlink, 0o600 | fs.ModeNamedPipe,
		0o777 | fs.ModeDir | fs.ModeSticky, 0o666 | fs.ModeDevice | fs.ModeCharDevice,
		0o755 | fs.ModeSetgid, 0o755 | fs.ModeSetuid, 0o660 | fs.ModeDevice, fs.ModeSocket | 0o777,
	} {
		if got := FileMode(LinuxMode(m)); got != m {
			t.Errorf("FileMode(LinuxMode(%v)) = %v", m, got)
		}
	}
	if LinuxMode(0o755|fs.ModeDir) != 0o40755 {
		t.Errorf("dir mode = %o", LinuxMode(0o755|fs.ModeDir))
	}
}

func TestStatRoundTrip(t *testing.T) {
	in := Stat{Mode: 0o100644, Uid: 1000, Gid: 100, Nlink: 2, Ino: 77, Size: -1, Atime: 1, Mtime: 2, Ctime: 3, Rdev: 4, Blocks: 8, Dev: 9}
	b := make([]byte, StatSize)
	in.Encode(b)
	var out Stat
	out.Decode(b)
	if in != out {
		t.Fatalf("round trip: %+v != %+v", out, in)
	}
}
