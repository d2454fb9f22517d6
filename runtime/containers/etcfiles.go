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

// etcContent is what the container's hostname, hosts and resolv.conf
// hold when they are first made, in etcFiles order.
func (c *Container) etcContent() [][]byte {
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
		resolv = []byte{}
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
	return [][]byte{[]byte(cfg.Hostname + "\n"), []byte(hosts.String()), resolv}
}

// etcMounts mount the files at their targets. A file is written at the
// first look at it from inside the container (rootfs.Mount.Content), so a
// container that never reads them costs no files; once written it keeps
// the container's own changes, across restarts too.
func (c *Container) etcMounts() []rootfs.Mount {
	content := c.etcContent()
	r := make([]rootfs.Mount, len(etcFiles))
	for i, f := range etcFiles {
		r[i] = rootfs.Mount{Target: f.target, Source: c.etcPath(f.name), ReadOnly: c.r.HostConfig.ReadonlyRootfs, Content: content[i]}
	}
	return r
}

// etcPath is the host path of one of the files (inspect's HostsPath …).
func (c *Container) etcPath(name string) string {
	return filepath.Join(c.m.Root, c.r.ID, name)
}
