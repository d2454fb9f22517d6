package containers

import (
	"os"
	"path/filepath"
	"strings"

	"github.com/sockerless/sockerless/runtime/rootfs"
)

// Docker gives every container its own /etc/hostname, /etc/hosts and
// /etc/resolv.conf: files in the container's directory, bind-mounted over
// the image's (so they are not in docker diff, export or commit). The
// sandbox shares the host's network, so the container's own name maps to
// the loopback address and resolv.conf is the host's.
var etcFiles = []struct{ name, target string }{
	{"hostname", "/etc/hostname"},
	{"hosts", "/etc/hosts"},
	{"resolv.conf", "/etc/resolv.conf"},
}

// writeEtcFiles writes the container's hostname, hosts and resolv.conf.
func (c *Container) writeEtcFiles() error {
	dir := filepath.Join(c.m.Root, c.r.ID)
	cfg, hc := c.r.Config, c.r.HostConfig
	var hosts strings.Builder
	hosts.WriteString("127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\nfe00::0\tip6-localnet\nff00::0\tip6-mcastprefix\nff02::1\tip6-allnodes\nff02::2\tip6-allrouters\n")
	for _, h := range hc.ExtraHosts {
		// --add-host name:ip (and Docker's name=ip)
		i := strings.IndexAny(h, ":=")
		if i <= 0 {
			continue
		}
		name, ip := h[:i], h[i+1:]
		if ip == "host-gateway" {
			ip = "127.0.0.1"
		}
		hosts.WriteString(ip + "\t" + name + "\n")
	}
	host := cfg.Hostname
	if cfg.Domainname != "" {
		host = cfg.Hostname + "." + cfg.Domainname + "\t" + cfg.Hostname
	}
	hosts.WriteString("127.0.0.1\t" + host + "\n")
	resolv, err := os.ReadFile("/etc/resolv.conf")
	if err != nil {
		resolv = nil
	}
	if len(hc.DNS) > 0 || len(hc.DNSSearch) > 0 || len(hc.DNSOptions) > 0 {
		var b strings.Builder
		for _, ip := range hc.DNS {
			b.WriteString("nameserver " + ip.String() + "\n")
		}
		if len(hc.DNSSearch) > 0 {
			b.WriteString("search " + strings.Join(hc.DNSSearch, " ") + "\n")
		}
		if len(hc.DNSOptions) > 0 {
			b.WriteString("options " + strings.Join(hc.DNSOptions, " ") + "\n")
		}
		resolv = []byte(b.String())
	}
	for _, f := range []struct {
		name string
		data []byte
	}{{"hostname", []byte(cfg.Hostname + "\n")}, {"hosts", []byte(hosts.String())}, {"resolv.conf", resolv}} {
		if err := os.WriteFile(filepath.Join(dir, f.name), f.data, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// etcMounts are the mounts of the files writeEtcFiles wrote (none for a
// container created before they existed).
func (c *Container) etcMounts() []rootfs.Mount {
	var r []rootfs.Mount
	for _, f := range etcFiles {
		src := filepath.Join(c.m.Root, c.r.ID, f.name)
		if _, err := os.Stat(src); err == nil {
			r = append(r, rootfs.Mount{Target: f.target, Source: src, ReadOnly: c.r.HostConfig.ReadonlyRootfs})
		}
	}
	return r
}

// etcPath is the host path of one of the files, "" if it does not exist.
func (c *Container) etcPath(name string) string {
	p := filepath.Join(c.m.Root, c.r.ID, name)
	if _, err := os.Stat(p); err != nil {
		return ""
	}
	return p
}
