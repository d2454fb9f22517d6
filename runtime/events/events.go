// Package events is the daemon's event bus: resources publish what
// happened; /events subscribers receive it live, filtered, and can replay
// the recent history (since/until). History is kept in memory only.
package events

import (
	"context"
	"sync"
	"time"

	"github.com/moby/moby/api/types/events"

	"github.com/sockerless/sockerless/runtime/filters"
)

// historySize is how many past events since= can replay.
const historySize = 4096

// Message is moby's event plus the legacy fields (status, id, from) that
// older clients still read.
type Message struct {
	Status string `json:"status,omitempty"`
	ID     string `json:"id,omitempty"`
	From   string `json:"from,omitempty"`
	events.Message
}

// Bus fans events out to subscribers.
type Bus struct {
	mu      sync.Mutex
	history []Message
	next    int
	full    bool
	subs    map[*sub]struct{}
}

type sub struct {
	ch      chan Message
	f       filters.Args
	dropped bool
}

// New returns an empty bus.
func New() *Bus {
	return &Bus{history: make([]Message, historySize), subs: map[*sub]struct{}{}}
}

// Publish records and delivers an event.
func (b *Bus) Publish(typ events.Type, action events.Action, id string, attrs map[string]string) {
	now := time.Now()
	m := Message{Message: events.Message{
		Type: typ, Action: action, Scope: "local",
		Actor: events.Actor{ID: id, Attributes: attrs},
		Time:  now.Unix(), TimeNano: now.UnixNano(),
	}}
	if typ == events.ContainerEventType {
		m.Status, m.ID = string(action), id
		if attrs != nil {
			m.From = attrs["image"]
		}
	}
	if typ == events.ImageEventType {
		m.Status, m.ID = string(action), id
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	b.history[b.next] = m
	b.next = (b.next + 1) % len(b.history)
	if b.next == 0 {
		b.full = true
	}
	for s := range b.subs {
		if !Match(s.f, m) {
			continue
		}
		select {
		case s.ch <- m:
		default:
			// A subscriber that cannot keep up loses its stream rather
			// than blocking the daemon.
			s.dropped = true
			close(s.ch)
			delete(b.subs, s)
		}
	}
}

// Subscribe returns past events in [since, until] (zero times: none / no
// bound) and, when live, a channel of future events, closed by cancel or
// when the subscriber falls too far behind.
func (b *Bus) Subscribe(ctx context.Context, f filters.Args, since, until time.Time, live bool) (past []Message, ch <-chan Message) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if !since.IsZero() {
		n := b.next
		start := 0
		if b.full {
			start = n
			n = len(b.history)
		}
		for i := 0; i < n; i++ {
			m := b.history[(start+i)%len(b.history)]
			t := time.Unix(0, m.TimeNano)
			if t.Before(since) || (!until.IsZero() && t.After(until)) {
				continue
			}
			if Match(f, m) {
				past = append(past, m)
			}
		}
	}
	if !live {
		return past, nil
	}
	s := &sub{ch: make(chan Message, 1024), f: f}
	b.subs[s] = struct{}{}
	go func() {
		<-ctx.Done()
		b.mu.Lock()
		if _, ok := b.subs[s]; ok {
			delete(b.subs, s)
			close(s.ch)
		}
		b.mu.Unlock()
	}()
	return past, s.ch
}

// Match applies /events filters to m.
func Match(f filters.Args, m Message) bool {
	if !f.Exact("type", string(m.Type)) {
		return false
	}
	if f.Has("event") {
		a := string(m.Action)
		if !f["event"][a] {
			// "health_status: healthy" also matches "health_status".
			ok := false
			for e := range f["event"] {
				if len(a) > len(e) && a[:len(e)] == e && a[len(e)] == ':' {
					ok = true
				}
			}
			if !ok {
				return false
			}
		}
	}
	attrs := m.Actor.Attributes
	switch m.Type {
	case events.ContainerEventType:
		if !f.Any("container", m.Actor.ID, attrs["name"], shortID(m.Actor.ID)) {
			return false
		}
		if !f.Any("image", attrs["image"]) {
			return false
		}
	case events.ImageEventType:
		if !f.Any("image", m.Actor.ID, attrs["name"]) {
			return false
		}
	case events.VolumeEventType:
		if !f.Any("volume", m.Actor.ID) {
			return false
		}
	case events.NetworkEventType:
		if !f.Any("network", m.Actor.ID, attrs["name"]) {
			return false
		}
	}
	if f.Has("container") && m.Type != events.ContainerEventType {
		return false
	}
	if !f.Labels("label", attrs) {
		return false
	}
	return true
}

func shortID(id string) string {
	if len(id) > 12 {
		return id[:12]
	}
	return id
}
