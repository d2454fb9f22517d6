// Package networks keeps network records. Sandbox containers share the
// host's loopback, so a network is bookkeeping: names, labels, IPAM as
// requested, and which containers are connected (kept by the runtime).
package networks

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"net/netip"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/moby/moby/api/types/network"

	"github.com/sockerless/sockerless/runtime/errdefs"
	"github.com/sockerless/sockerless/runtime/store"
)

const bucket = "networks"

// Buckets are the state store buckets this package uses.
var Buckets = []string{bucket}

// Predefined networks, as Docker has them.
var Predefined = map[string]string{"bridge": "bridge", "host": "host", "none": "null"}

// Store holds the networks.
type Store struct {
	st   *store.Store
	mu   sync.Mutex
	nets map[string]*network.Network // by ID
}

// Open loads the records and creates the predefined networks.
func Open(st *store.Store) (*Store, error) {
	s := &Store{st: st, nets: map[string]*network.Network{}}
	err := st.ForEach(bucket, func(k string, raw []byte) error {
		var n network.Network
		if json.Unmarshal(raw, &n) == nil {
			s.nets[k] = &n
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	for name, driver := range Predefined {
		if _, err := s.Get(name); err == nil {
			continue
		}
		n := &network.Network{Name: name, ID: newID(), Driver: driver, Scope: "local", Created: time.Now(),
			EnableIPv4: name == "bridge", Options: map[string]string{}, Labels: map[string]string{},
			IPAM: network.IPAM{Driver: "default", Options: map[string]string{}, Config: []network.IPAMConfig{}}}
		if name == "bridge" {
			n.IPAM.Config = []network.IPAMConfig{{Subnet: netip.MustParsePrefix("172.17.0.0/16"), Gateway: netip.MustParseAddr("172.17.0.1")}}
			n.Options = map[string]string{"com.docker.network.bridge.default_bridge": "true", "com.docker.network.bridge.name": "docker0"}
		}
		if err := st.Put(bucket, n.ID, n); err != nil {
			return nil, err
		}
		s.nets[n.ID] = n
	}
	return s, nil
}

func newID() string {
	b := make([]byte, 32)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// Create adds a network. Names must be unique.
func (s *Store) Create(req network.CreateRequest) (*network.Network, error) {
	if req.Name == "" {
		return nil, errdefs.InvalidParameterf("network name is required")
	}
	driver := req.Driver
	if driver == "" {
		driver = "bridge"
	}
	if driver != "bridge" && driver != "overlay" && driver != "macvlan" && driver != "ipvlan" {
		return nil, errdefs.NotFoundf("plugin %q not found", driver)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, n := range s.nets {
		if n.Name == req.Name {
			return nil, errdefs.Conflictf("network with name %s already exists", req.Name)
		}
	}
	n := &network.Network{Name: req.Name, ID: newID(), Driver: driver, Scope: "local", Created: time.Now(),
		EnableIPv4: true, Internal: req.Internal, Attachable: req.Attachable, Ingress: req.Ingress,
		Options: req.Options, Labels: req.Labels}
	if req.EnableIPv6 != nil {
		n.EnableIPv6 = *req.EnableIPv6
	}
	if req.IPAM != nil {
		n.IPAM = *req.IPAM
	}
	if n.IPAM.Driver == "" {
		n.IPAM.Driver = "default"
	}
	if len(n.IPAM.Config) == 0 {
		// Like Docker's default pools: the next free 172.18-31.0.0/16, then
		// 192.168.x.0/20. Containers share the host's loopback, so the
		// subnet is bookkeeping that tools read (compose, testcontainers).
		n.IPAM.Config = []network.IPAMConfig{}
		if p, ok := s.freeSubnetLocked(); ok {
			gw := p.Addr().Next()
			n.IPAM.Config = []network.IPAMConfig{{Subnet: p, Gateway: gw}}
		}
	}
	if n.Options == nil {
		n.Options = map[string]string{}
	}
	if n.Labels == nil {
		n.Labels = map[string]string{}
	}
	if err := s.st.Put(bucket, n.ID, n); err != nil {
		return nil, err
	}
	s.nets[n.ID] = n
	return n, nil
}

// Get finds a network by ID, name or unique ID prefix.
func (s *Store) Get(ref string) (*network.Network, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if n, ok := s.nets[ref]; ok {
		return n, nil
	}
	for _, n := range s.nets {
		if n.Name == ref {
			return n, nil
		}
	}
	var found *network.Network
	for id, n := range s.nets {
		if ref != "" && strings.HasPrefix(id, ref) {
			if found != nil {
				return nil, errdefs.InvalidParameterf("network %s is ambiguous", ref)
			}
			found = n
		}
	}
	if found != nil {
		return found, nil
	}
	return nil, errdefs.NotFoundf("network %s not found", ref)
}

// List returns every network by name.
func (s *Store) List() []*network.Network {
	s.mu.Lock()
	defer s.mu.Unlock()
	r := make([]*network.Network, 0, len(s.nets))
	for _, n := range s.nets {
		r = append(r, n)
	}
	sort.Slice(r, func(i, j int) bool { return r[i].Name < r[j].Name })
	return r
}

// Remove deletes a user-defined network; the caller checks it is unused.
func (s *Store) Remove(ref string) error {
	n, err := s.Get(ref)
	if err != nil {
		return err
	}
	if _, ok := Predefined[n.Name]; ok {
		return errdefs.Forbiddenf("%s is a pre-defined network and cannot be removed", n.Name)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.st.Delete(bucket, n.ID); err != nil {
		return err
	}
	delete(s.nets, n.ID)
	return nil
}

// freeSubnetLocked returns a private subnet no network uses yet.
func (s *Store) freeSubnetLocked() (netip.Prefix, bool) {
	used := map[netip.Prefix]bool{}
	for _, n := range s.nets {
		for _, c := range n.IPAM.Config {
			used[c.Subnet] = true
		}
	}
	for b := 18; b <= 31; b++ {
		p := netip.PrefixFrom(netip.AddrFrom4([4]byte{172, byte(b), 0, 0}), 16)
		if !used[p] {
			return p, true
		}
	}
	for c := 0; c < 256; c += 16 {
		p := netip.PrefixFrom(netip.AddrFrom4([4]byte{192, 168, byte(c), 0}), 20)
		if !used[p] {
			return p, true
		}
	}
	return netip.Prefix{}, false
}
