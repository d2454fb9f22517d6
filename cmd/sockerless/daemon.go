package main

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/pflag"

	"github.com/sockerless/sockerless/api"
	"github.com/sockerless/sockerless/runtime"
	"github.com/sockerless/sockerless/runtime/backend"
)

type daemonFlags struct {
	hosts         []string
	dataRoot      string
	logLevel      string
	pidfile       string
	tlsVerify     bool
	tls           bool
	tlsCACert     string
	tlsCert       string
	tlsKey        string
	offlineImages string
	poolSize      int
	cacheDir      string
	configFile    string
	backends      backend.Config
	backendCfg    *backend.Config // flags merged over the config file
}

func defaultSocket() string {
	if os.Geteuid() == 0 {
		return "unix:///var/run/sockerless.sock"
	}
	if d := os.Getenv("XDG_RUNTIME_DIR"); d != "" {
		return "unix://" + filepath.Join(d, "sockerless.sock")
	}
	return "unix://" + filepath.Join(os.TempDir(), fmt.Sprintf("sockerless-%d.sock", os.Getuid()))
}

func defaultDataRoot() string {
	if os.Geteuid() == 0 {
		return "/var/lib/sockerless"
	}
	if d := os.Getenv("XDG_DATA_HOME"); d != "" {
		return filepath.Join(d, "sockerless")
	}
	home, _ := os.UserHomeDir()
	return filepath.Join(home, ".local", "share", "sockerless")
}

// runDaemon starts the Docker API daemon and serves until SIGINT/SIGTERM.
func runDaemon(args []string) int {
	var f daemonFlags
	fs := pflag.NewFlagSet("sockerless", pflag.ContinueOnError)
	fs.StringArrayVarP(&f.hosts, "host", "H", nil, "daemon socket to listen on: unix:///path or tcp://host:port (repeatable; default "+defaultSocket()+")")
	fs.StringVar(&f.dataRoot, "data-root", defaultDataRoot(), "root directory of persistent state (containers, images, volumes, logs)")
	fs.StringVarP(&f.logLevel, "log-level", "l", "info", `log level ("debug", "info", "warn", "error", "fatal")`)
	fs.StringVarP(&f.pidfile, "pidfile", "p", "", "path to write the daemon's PID to")
	fs.BoolVar(&f.tls, "tls", false, "use TLS on tcp:// listeners; implied by --tlsverify")
	fs.BoolVar(&f.tlsVerify, "tlsverify", false, "use TLS and verify client certificates against --tlscacert")
	fs.StringVar(&f.tlsCACert, "tlscacert", "", "trust client certificates signed by this CA")
	fs.StringVar(&f.tlsCert, "tlscert", "", "path to the TLS certificate file")
	fs.StringVar(&f.tlsKey, "tlskey", "", "path to the TLS key file")
	fs.StringVar(&f.offlineImages, "offline-images", "base", `what a pull of an image no registry provides yields: "base" (the sandbox base image under the requested name) or "strict" (refuse)`)
	fs.StringVar(&f.cacheDir, "sandbox-cache", "", "directory of the compiled sandbox guest (default <data-root>/wasm-cache)")
	fs.IntVar(&f.poolSize, "sandbox-pool", 0, "number of pre-initialised sandbox instances (0: default)")
	backendFlags(fs, &f)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, pflag.ErrHelp) {
			return 0
		}
		fmt.Fprintln(os.Stderr, "sockerless:", err)
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(os.Stderr, "sockerless: unexpected arguments %q\n", fs.Args())
		return 2
	}
	var level slog.Level
	switch strings.ToLower(f.logLevel) {
	case "debug":
		level = slog.LevelDebug
	case "info", "":
		level = slog.LevelInfo
	case "warn", "warning":
		level = slog.LevelWarn
	case "error", "fatal", "panic":
		level = slog.LevelError
	default:
		fmt.Fprintf(os.Stderr, "sockerless: invalid --log-level %q\n", f.logLevel)
		return 2
	}
	switch f.offlineImages {
	case "base", "strict":
	default:
		fmt.Fprintf(os.Stderr, "sockerless: invalid --offline-images %q (want base or strict)\n", f.offlineImages)
		return 2
	}
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))
	slog.SetDefault(log)
	if len(f.hosts) == 0 {
		f.hosts = []string{defaultSocket()}
	}
	bc, err := backendConfig(fs, &f, log)
	if err != nil {
		fmt.Fprintln(os.Stderr, "sockerless:", err)
		return 2
	}
	f.backendCfg = bc
	if err := serveDaemon(f, log); err != nil {
		log.Error("daemon failed", "err", err)
		return 1
	}
	return 0
}

func serveDaemon(f daemonFlags, log *slog.Logger) error {
	var tlsCfg *tls.Config
	if f.tls || f.tlsVerify {
		cert, err := tls.LoadX509KeyPair(f.tlsCert, f.tlsKey)
		if err != nil {
			return fmt.Errorf("TLS certificate: %w", err)
		}
		tlsCfg = &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
		if f.tlsVerify {
			pem, err := os.ReadFile(f.tlsCACert)
			if err != nil {
				return fmt.Errorf("--tlscacert: %w", err)
			}
			pool := x509.NewCertPool()
			if !pool.AppendCertsFromPEM(pem) {
				return fmt.Errorf("--tlscacert %s holds no certificate", f.tlsCACert)
			}
			tlsCfg.ClientCAs = pool
			tlsCfg.ClientAuth = tls.RequireAndVerifyClientCert
		}
	}
	// Listen first: a busy socket fails fast, before any state is opened.
	var listeners []net.Listener
	var sockets []string
	closeAll := func() {
		for _, l := range listeners {
			l.Close()
		}
		for _, s := range sockets {
			os.Remove(s)
		}
	}
	for _, h := range f.hosts {
		l, sock, err := listen(h, tlsCfg)
		if err != nil {
			closeAll()
			return err
		}
		listeners = append(listeners, l)
		if sock != "" {
			sockets = append(sockets, sock)
		}
	}
	defer closeAll()
	if f.pidfile != "" {
		if err := os.WriteFile(f.pidfile, []byte(strconv.Itoa(os.Getpid())+"\n"), 0o644); err != nil {
			return fmt.Errorf("--pidfile: %w", err)
		}
		defer os.Remove(f.pidfile)
	}
	ctx := context.Background()
	t0 := time.Now()
	rt, err := runtime.Open(ctx, runtime.Config{DataRoot: f.dataRoot, PoolSize: f.poolSize, CacheDir: f.cacheDir, StrictImages: f.offlineImages == "strict", Log: log, Backends: f.backendCfg})
	if err != nil {
		return err
	}
	log.Info("state loaded", "data-root", rt.DataRoot, "containers", rt.Recovered.Containers,
		"were-running", rt.Recovered.WereRunning, "images", len(rt.Images.List()), "volumes", len(rt.Volumes.List()),
		"networks", len(rt.Networks.List()), "took", time.Since(t0).Round(time.Millisecond))
	if rt.Backends != nil {
		log.Info("backends loaded", "backends", strings.Join(rt.Backends.Names(), ","), "config", f.backendCfg.String())
	}
	if rt.Recovered.WereRunning > 0 {
		log.Warn("containers that were running when the daemon stopped are now exited (exit code 255)", "count", rt.Recovered.WereRunning)
	}
	srv := api.New(rt, api.Options{Version: version()})
	errc := make(chan error, len(listeners))
	for i, l := range listeners {
		log.Info("API listening", "host", f.hosts[i])
		go func(l net.Listener) { errc <- srv.Serve(l) }(l)
	}
	sigc := make(chan os.Signal, 2)
	signal.Notify(sigc, syscall.SIGINT, syscall.SIGTERM)
	defer signal.Stop(sigc)
	select {
	case sig := <-sigc:
		log.Info("shutting down", "signal", sig.String())
	case err := <-errc:
		log.Error("listener failed", "err", err)
	}
	sctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	go func() {
		// A second signal forces the exit.
		<-sigc
		os.Exit(1)
	}()
	srv.Shutdown(sctx)
	return rt.Close()
}

func listen(host string, tlsCfg *tls.Config) (net.Listener, string, error) {
	proto, addr, ok := strings.Cut(host, "://")
	if !ok {
		if strings.HasPrefix(host, "/") {
			proto, addr = "unix", host
		} else {
			proto, addr = "tcp", host
		}
	}
	switch proto {
	case "unix":
		if addr == "" {
			return nil, "", fmt.Errorf("-H %s: empty socket path", host)
		}
		if err := os.MkdirAll(filepath.Dir(addr), 0o755); err != nil {
			return nil, "", err
		}
		if c, err := net.DialTimeout("unix", addr, 200*time.Millisecond); err == nil {
			c.Close()
			return nil, "", fmt.Errorf("-H %s: another daemon is already listening on this socket", host)
		}
		os.Remove(addr)
		l, err := net.Listen("unix", addr)
		if err != nil {
			return nil, "", fmt.Errorf("-H %s: %w", host, err)
		}
		mode := os.FileMode(0o660)
		if os.Geteuid() != 0 {
			mode = 0o600
		}
		os.Chmod(addr, mode)
		return l, addr, nil
	case "tcp":
		if addr == "" {
			addr = "127.0.0.1:2375"
		}
		if !strings.Contains(addr, ":") {
			addr += ":2375"
		}
		l, err := net.Listen("tcp", addr)
		if err != nil {
			return nil, "", fmt.Errorf("-H %s: %w", host, err)
		}
		if tlsCfg != nil {
			l = tls.NewListener(l, tlsCfg)
		}
		return l, "", nil
	}
	return nil, "", fmt.Errorf("-H %s: unsupported protocol %q (use unix:// or tcp://)", host, proto)
}
