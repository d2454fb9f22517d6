package containers

import (
	"errors"
	"fmt"
	"io"
	"net"
	"net/netip"
	"strconv"
	"strings"
	"syscall"

	"github.com/moby/moby/api/types/network"

	"github.com/sockerless/sockerless/runtime/errdefs"
)

// Published ports of sandbox containers. Sandbox programs cannot open
// sockets, so nothing in the container ever listens; what -p promises on
// the host is still kept, as Docker's userland proxy keeps it: the host
// port (the one asked for, or a free one the kernel picks) is bound for as
// long as the container runs, a second container asking for it fails to
// start with Docker's message, and a connection is accepted and closed at
// once, as the proxy does when the container does not listen.

// publishLocked binds the host side of every published port and records
// the bindings that inspect and ps report.
func (c *Container) publishLocked() error {
	hc := c.r.HostConfig
	want := network.PortMap{}
	for p, bs := range hc.PortBindings {
		want[p] = bs
	}
	if hc.PublishAllPorts {
		for p := range c.r.Config.ExposedPorts {
			if len(want[p]) == 0 {
				want[p] = []network.PortBinding{{}}
			}
		}
	}
	if len(want) == 0 {
		return nil
	}
	got := network.PortMap{}
	for p, bs := range want {
		for _, b := range bs {
			out, err := c.bindLocked(p, b)
			if err != nil {
				c.unpublishLocked()
				return errdefs.Wrap(errdefs.Unknown, err, "driver failed programming external connectivity on endpoint %s (%s): %v", strings.TrimPrefix(c.r.Name, "/"), c.r.ID, err)
			}
			got[p] = append(got[p], out...)
		}
	}
	c.published = got
	return nil
}

// bindLocked binds one -p binding: on every address when HostIP is unset
// (an IPv4 and, where the host has it, an IPv6 socket on the same port),
// on the first free port of a HostPort range, or on a kernel-chosen port.
func (c *Container) bindLocked(p network.Port, b network.PortBinding) ([]network.PortBinding, error) {
	lo, hi := 0, 0
	if b.HostPort != "" {
		first, last, isRange := strings.Cut(b.HostPort, "-")
		var err1, err2 error
		lo, err1 = strconv.Atoi(first)
		hi, err2 = lo, nil
		if isRange {
			hi, err2 = strconv.Atoi(last)
		}
		if err1 != nil || err2 != nil || lo < 0 || hi > 65535 || hi < lo {
			return nil, fmt.Errorf("invalid host port %q", b.HostPort)
		}
	}
	proto := string(p.Proto())
	var lastErr error
	for port := lo; port <= hi; port++ {
		if !b.HostIP.IsValid() {
			v4, n, err := listenPort(proto, netip.IPv4Unspecified(), port)
			if err != nil {
				lastErr = err
				continue
			}
			out := []network.PortBinding{{HostIP: netip.IPv4Unspecified(), HostPort: strconv.Itoa(n)}}
			c.listeners = append(c.listeners, v4)
			if v6, _, err := listenPort(proto, netip.IPv6Unspecified(), n); err == nil {
				c.listeners = append(c.listeners, v6)
				out = append(out, network.PortBinding{HostIP: netip.IPv6Unspecified(), HostPort: strconv.Itoa(n)})
			}
			return out, nil
		}
		l, n, err := listenPort(proto, b.HostIP, port)
		if err != nil {
			lastErr = err
			continue
		}
		c.listeners = append(c.listeners, l)
		return []network.PortBinding{{HostIP: b.HostIP, HostPort: strconv.Itoa(n)}}, nil
	}
	if lo == hi && lo != 0 {
		if isInUse(lastErr) {
			ip := b.HostIP
			if !ip.IsValid() {
				ip = netip.IPv4Unspecified()
			}
			return nil, fmt.Errorf("Bind for %s failed: port is already allocated", net.JoinHostPort(ip.String(), strconv.Itoa(lo)))
		}
	}
	return nil, fmt.Errorf("Error starting userland proxy: %v", lastErr)
}

func isInUse(err error) bool { return errors.Is(err, syscall.EADDRINUSE) }

// listenPort binds proto ("tcp", "udp", "sctp") on ip:port (0: any free
// port) and returns the socket and its port. Accepted connections are
// closed at once.
func listenPort(proto string, ip netip.Addr, port int) (io.Closer, int, error) {
	fam := "4"
	if ip.Is6() {
		fam = "6"
	}
	addr := net.JoinHostPort(ip.String(), strconv.Itoa(port))
	switch proto {
	case "udp":
		pc, err := net.ListenPacket("udp"+fam, addr)
		if err != nil {
			return nil, 0, err
		}
		return pc, pc.LocalAddr().(*net.UDPAddr).Port, nil
	case "tcp":
		l, err := net.Listen("tcp"+fam, addr)
		if err != nil {
			return nil, 0, err
		}
		go func() {
			for {
				conn, err := l.Accept()
				if err != nil {
					return
				}
				conn.Close()
			}
		}()
		return l, l.Addr().(*net.TCPAddr).Port, nil
	}
	return nil, 0, fmt.Errorf("publishing %s ports is not supported", proto)
}

// unpublishLocked releases the host ports of the current run.
func (c *Container) unpublishLocked() {
	for _, l := range c.listeners {
		l.Close()
	}
	c.listeners, c.published = nil, nil
}
