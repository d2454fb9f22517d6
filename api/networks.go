package api

import (
	"github.com/moby/moby/api/types/events"
	"github.com/moby/moby/api/types/network"
	"github.com/valyala/fasthttp"

	"github.com/sockerless/sockerless/runtime/errdefs"
	"github.com/sockerless/sockerless/runtime/filters"
)

func (s *Server) networkRoutes() {
	s.routeAll("GET", "/networks", s.getNetworks)
	s.routeAll("POST", "/networks/create", s.postNetworkCreate)
	s.routeAll("POST", "/networks/prune", s.postNetworksPrune)
	s.routeAll("GET", "/networks/{id}", s.getNetwork)
	s.routeAll("DELETE", "/networks/{id}", s.deleteNetwork)
	s.routeAll("POST", "/networks/{id}/connect", s.postNetworkConnect)
	s.routeAll("POST", "/networks/{id}/disconnect", s.postNetworkDisconnect)
}

func (s *Server) networkInspect(n *network.Network) network.Inspect {
	in := network.Inspect{Network: *n, Containers: map[string]network.EndpointResource{}}
	for id, ep := range s.rt.Containers.NetworkUsers(n.ID) {
		name := ""
		if c, err := s.rt.Containers.Get(id); err == nil {
			name = c.Name()
		}
		in.Containers[id] = network.EndpointResource{Name: name, EndpointID: ep.EndpointID, MacAddress: ep.MacAddress}
	}
	return in
}

func (s *Server) getNetworks(ctx *fasthttp.RequestCtx) error {
	f, err := filters.Parse(qs(ctx, "filters"))
	if err != nil {
		return err
	}
	if err := f.Validate("name", "id", "label", "driver", "type", "scope", "dangling"); err != nil {
		return err
	}
	out := []network.Inspect{}
	for _, n := range s.rt.Networks.List() {
		_, pre := predefined[n.Name]
		typ := "custom"
		if pre {
			typ = "builtin"
		}
		if !f.Substring("name", n.Name) || !f.Prefix("id", n.ID) || !f.Labels("label", n.Labels) || !f.Exact("driver", n.Driver) || !f.Exact("type", typ) || !f.Exact("scope", n.Scope) {
			continue
		}
		in := s.networkInspect(n)
		if f.Has("dangling") {
			dangling := !pre && len(in.Containers) == 0
			if (f.Exact("dangling", "true") || f.Exact("dangling", "1")) != dangling {
				continue
			}
		}
		out = append(out, in)
	}
	return writeJSON(ctx, 200, out)
}

var predefined = map[string]bool{"bridge": true, "host": true, "none": true}

func (s *Server) postNetworkCreate(ctx *fasthttp.RequestCtx) error {
	var req network.CreateRequest
	if err := decodeJSON(ctx, &req, true); err != nil {
		return err
	}
	n, err := s.rt.Networks.Create(req)
	if err != nil {
		return err
	}
	s.rt.Event(events.NetworkEventType, events.ActionCreate, n.ID, map[string]string{"name": n.Name, "type": n.Driver})
	return writeJSON(ctx, 201, network.CreateResponse{ID: n.ID, Warning: ""})
}

func (s *Server) getNetwork(ctx *fasthttp.RequestCtx) error {
	n, err := s.rt.Networks.Get(param(ctx, "id"))
	if err != nil {
		return err
	}
	return writeJSON(ctx, 200, s.networkInspect(n))
}

func (s *Server) deleteNetwork(ctx *fasthttp.RequestCtx) error {
	n, err := s.rt.Networks.Get(param(ctx, "id"))
	if err != nil {
		return err
	}
	if users := s.rt.Containers.NetworkUsers(n.ID); len(users) > 0 && !predefined[n.Name] {
		return errdefs.Forbiddenf("error while removing network: network %s id %s has active endpoints", n.Name, n.ID)
	}
	if err := s.rt.Networks.Remove(n.ID); err != nil {
		return err
	}
	s.rt.Event(events.NetworkEventType, events.ActionDestroy, n.ID, map[string]string{"name": n.Name, "type": n.Driver})
	return noContent(ctx)
}

func (s *Server) postNetworkConnect(ctx *fasthttp.RequestCtx) error {
	var req network.ConnectRequest
	if err := decodeJSON(ctx, &req, true); err != nil {
		return err
	}
	if err := s.rt.Containers.ConnectNetwork(req.Container, param(ctx, "id"), req.EndpointConfig); err != nil {
		return err
	}
	ctx.SetStatusCode(200)
	return nil
}

func (s *Server) postNetworkDisconnect(ctx *fasthttp.RequestCtx) error {
	var req network.DisconnectRequest
	if err := decodeJSON(ctx, &req, true); err != nil {
		return err
	}
	if err := s.rt.Containers.DisconnectNetwork(req.Container, param(ctx, "id"), req.Force); err != nil {
		return err
	}
	ctx.SetStatusCode(200)
	return nil
}

func (s *Server) postNetworksPrune(ctx *fasthttp.RequestCtx) error {
	f, err := filters.Parse(qs(ctx, "filters"))
	if err != nil {
		return err
	}
	rep := network.PruneReport{NetworksDeleted: []string{}}
	for _, n := range s.rt.Networks.List() {
		if predefined[n.Name] || len(s.rt.Containers.NetworkUsers(n.ID)) > 0 || !f.Labels("label", n.Labels) {
			continue
		}
		if s.rt.Networks.Remove(n.ID) == nil {
			rep.NetworksDeleted = append(rep.NetworksDeleted, n.Name)
			s.rt.Event(events.NetworkEventType, events.ActionDestroy, n.ID, map[string]string{"name": n.Name, "type": n.Driver})
		}
	}
	return writeJSON(ctx, 200, rep)
}
