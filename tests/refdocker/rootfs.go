package refdocker

import (
	"archive/tar"
	"bytes"
	"debug/elf"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

// Image is the reference image name that scenarios use; AltImage is the same
// image under a second name.
const (
	Image    = "alpine:latest"
	AltImage = "busybox-ref:latest"
)

// rootfsTime is the modification time of every entry of the reference
// rootfs, so that its tar (and therefore diff/export/history output) is the
// same on every run and machine.
var rootfsTime = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)

const passwd = "root:x:0:0:root:/root:/bin/sh\n" +
	"daemon:x:1:1:daemon:/usr/sbin:/bin/false\n" +
	"nobody:x:65534:65534:nobody:/nonexistent:/bin/false\n"

const group = "root:x:0:\n" +
	"daemon:x:1:\n" +
	"nogroup:x:65534:\n"

// FindBusybox returns the path of a statically linked busybox (Debian's
// busybox-static installs /bin/busybox). A dynamically linked busybox would
// not run inside an image that has no libc, so it is refused.
func FindBusybox() (string, error) {
	var cands []string
	if p := os.Getenv("REFDOCKER_BUSYBOX"); p != "" {
		cands = append(cands, p)
	}
	if p, err := exec.LookPath("busybox"); err == nil {
		cands = append(cands, p)
	}
	cands = append(cands, "/bin/busybox", "/usr/bin/busybox")
	var errs []error
	for _, p := range cands {
		f, err := elf.Open(p)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		static := true
		for _, prog := range f.Progs {
			if prog.Type == elf.PT_INTERP {
				static = false
			}
		}
		f.Close()
		if static {
			return p, nil
		}
		errs = append(errs, fmt.Errorf("%s is dynamically linked (install busybox-static)", p))
	}
	return "", fmt.Errorf("refdocker: no static busybox found: %w", errors.Join(errs...))
}

// WriteRootfsTar writes the reference root file system as a tar stream:
// /bin/busybox plus one symlink per applet (from `busybox --list`),
// /etc/passwd, /etc/group, /tmp and /root. Entries are sorted and carry
// fixed times and owners, so the output is byte-for-byte reproducible for a
// given busybox binary.
func WriteRootfsTar(w io.Writer, busybox string) error {
	bin, err := os.ReadFile(busybox)
	if err != nil {
		return fmt.Errorf("refdocker: read busybox: %w", err)
	}
	out, err := exec.Command(busybox, "--list").Output()
	if err != nil {
		return fmt.Errorf("refdocker: busybox --list: %w", err)
	}
	var applets []string
	for _, a := range strings.Fields(string(out)) {
		if a != "busybox" && !strings.Contains(a, "/") {
			applets = append(applets, a)
		}
	}
	sort.Strings(applets)

	tw := tar.NewWriter(w)
	hdr := func(name string, typ byte, mode int64, size int64, link string) error {
		return tw.WriteHeader(&tar.Header{
			Name: name, Typeflag: typ, Mode: mode, Size: size, Linkname: link,
			ModTime: rootfsTime, Uname: "root", Gname: "root", Format: tar.FormatPAX,
		})
	}
	file := func(name string, mode int64, data []byte) error {
		if err := hdr(name, tar.TypeReg, mode, int64(len(data)), ""); err != nil {
			return err
		}
		_, err := tw.Write(data)
		return err
	}
	steps := []func() error{
		func() error { return hdr("bin/", tar.TypeDir, 0o755, 0, "") },
		func() error { return file("bin/busybox", 0o755, bin) },
		func() error {
			for _, a := range applets {
				if err := hdr("bin/"+a, tar.TypeSymlink, 0o777, 0, "busybox"); err != nil {
					return err
				}
			}
			return nil
		},
		func() error { return hdr("etc/", tar.TypeDir, 0o755, 0, "") },
		func() error { return file("etc/group", 0o644, []byte(group)) },
		func() error { return file("etc/passwd", 0o644, []byte(passwd)) },
		func() error { return hdr("root/", tar.TypeDir, 0o700, 0, "") },
		func() error { return hdr("tmp/", tar.TypeDir, 0o1777, 0, "") },
		tw.Close,
	}
	for _, s := range steps {
		if err := s(); err != nil {
			return fmt.Errorf("refdocker: write rootfs tar: %w", err)
		}
	}
	return nil
}

// RootfsTar returns the reference rootfs tar in memory (about 2 MB).
func RootfsTar() ([]byte, error) {
	bb, err := FindBusybox()
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := WriteRootfsTar(&buf, bb); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// ImportImage imports the reference rootfs into the engine that the docker
// CLI reaches with env (DOCKER_HOST=…) as Image, and tags it as AltImage.
// It works against any engine that implements `docker import`, so the
// differential suites give sockerless exactly the same image.
func ImportImage(env []string) error {
	data, err := RootfsTar()
	if err != nil {
		return err
	}
	dir, err := os.MkdirTemp("", "refdocker-img-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	tarPath := filepath.Join(dir, "rootfs.tar")
	if err := os.WriteFile(tarPath, data, 0o644); err != nil {
		return err
	}
	if _, err := docker(env, "import", tarPath, Image); err != nil {
		return err
	}
	_, err = docker(env, "tag", Image, AltImage)
	return err
}

// docker runs the docker CLI with env added to the process environment.
func docker(env []string, args ...string) (string, error) {
	cmd := exec.Command("docker", args...)
	cmd.Env = append(os.Environ(), env...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return stdout.String(), fmt.Errorf("docker %s: %w: %s", strings.Join(args, " "), err, strings.TrimSpace(stderr.String()))
	}
	return stdout.String(), nil
}
