package rootfs

import (
	"bufio"
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/experimental/sysfs"
	"github.com/tetratelabs/wazero/imports/wasi_snapshot_preview1"
)

// buildProbe compiles testdata/probe for wasip1 into a temp dir.
func buildProbe(t *testing.T) []byte {
	t.Helper()
	if testing.Short() {
		t.Skip("builds a wasm program")
	}
	out := filepath.Join(t.TempDir(), "probe.wasm")
	cmd := exec.Command("go", "build", "-o", out, "./testdata/probe")
	cmd.Env = append(os.Environ(), "GOOS=wasip1", "GOARCH=wasm", "CGO_ENABLED=0")
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("build probe: %v\n%s", err, b)
	}
	b, err := os.ReadFile(out)
	must(t, err)
	return b
}

// runGuest runs wasm with fs mounted at "/" and returns its stdout.
func runGuest(t *testing.T, wasm []byte, fs *View, args ...string) string {
	t.Helper()
	ctx := context.Background()
	rt := wazero.NewRuntimeWithConfig(ctx, wazero.NewRuntimeConfigInterpreter())
	defer rt.Close(ctx)
	wasi_snapshot_preview1.MustInstantiate(ctx, rt)
	var stdout, stderr bytes.Buffer
	fsc := wazero.NewFSConfig().(sysfs.FSConfig).WithSysFSMount(fs, "/")
	cfg := wazero.NewModuleConfig().WithFSConfig(fsc).WithStdout(&stdout).WithStderr(&stderr).
		WithArgs(append([]string{"probe"}, args...)...)
	_, err := rt.InstantiateWithConfig(ctx, wasm, cfg)
	if err != nil {
		t.Fatalf("guest: %v\nstdout:\n%s\nstderr:\n%s", err, stdout.String(), stderr.String())
	}
	return stdout.String()
}

func TestEscapesThroughWazero(t *testing.T) {
	wasm := buildProbe(t)
	j := newJail(t)
	host := j.hostState(t)
	v := j.fs.Process(1, 0, 0)
	out := runGuest(t, wasm, v, j.canary, j.base)
	got := map[string]string{}
	sc := bufio.NewScanner(strings.NewReader(out))
	for sc.Scan() {
		name, val, _ := strings.Cut(sc.Text(), "\t")
		s, err := strconv.Unquote(val)
		if err != nil {
			t.Fatalf("bad line %q", sc.Text())
		}
		got[name] = s
	}
	if _, ok := got["done"]; !ok {
		t.Fatalf("probe did not finish:\n%s", out)
	}
	t.Logf("probe:\n%s", out)
	want := map[string]string{
		"read-etc-passwd":        "container passwd",
		"read-hostabs":           "ERR no such file or directory",
		"read-rel-up":            "container canary",
		"read-dotdot":            "container canary",
		"read-proc-root":         "ERR no such file or directory", // Go cleans ".." lexically
		"read-proc-root-etc":     "container passwd",
		"read-chain":             "ERR no such file or directory",
		"read-loop":              "ERR too many symbolic links",
		"read-35hops":            "container passwd",
		"read-host-dir":          "ERR no such file or directory",
		"read-guest-rel-link":    "guest",
		"write-ro-mount":         "ERR read-only file system",
		"create-ro-mount":        "ERR read-only file system",
		"stat-long":              "ERR file name too long",
		"create-long-name":       "ERR file name too long",
		"read-mnt-up":            "guest",
		"read-cwd-dotdot":        "guest",
		"read-wh":                "ERR no such file or directory",
		"create-wh":              "ERR operation not permitted",
		"read-proc-self-cmdline": "sh\x00",
		"write-dev-null":         "ok",
	}
	for k, w := range want {
		if !strings.EqualFold(got[k], w) {
			t.Errorf("%s: got %q want %q", k, got[k], w)
		}
	}
	if r := got["readdir-mnt-toroot"]; !strings.Contains(r, "etc") || strings.Contains(r, "outside") {
		t.Errorf("mnt/toroot listing %q", r)
	}
	if r := got["readdir-root"]; !strings.Contains(r, "proc") || strings.Contains(r, ".wh") {
		t.Errorf("root listing %q", r)
	}
	if !strings.HasPrefix(got["stat-dev-null"], "Dc") {
		t.Errorf("stat /dev/null %q", got["stat-dev-null"])
	}
	if now := j.hostState(t); !mapsEqual(now, host) {
		t.Fatal("host changed through wazero")
	}
	if b, _ := os.ReadFile(j.canary); string(b) != canaryText {
		t.Fatal("canary changed")
	}
}
