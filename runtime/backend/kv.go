package backend

import (
	"context"
	"sync"
)

// KV is the key-value state the host keeps for adapters (the daemon backs
// it with its bbolt store). The host prefixes every key with the backend's
// name, so adapters cannot read each other's state.
type KV interface {
	Get(ctx context.Context, key string) ([]byte, bool, error)
	Put(ctx context.Context, key string, value []byte) error
	Delete(ctx context.Context, key string) error
}

// MapKV is an in-memory KV; its zero value works.
type MapKV struct {
	mu sync.Mutex
	m  map[string][]byte
}

func (k *MapKV) Get(_ context.Context, key string) ([]byte, bool, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	v, ok := k.m[key]
	return append([]byte(nil), v...), ok, nil
}

func (k *MapKV) Put(_ context.Context, key string, value []byte) error {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.m == nil {
		k.m = map[string][]byte{}
	}
	k.m[key] = append([]byte(nil), value...)
	return nil
}

func (k *MapKV) Delete(_ context.Context, key string) error {
	k.mu.Lock()
	defer k.mu.Unlock()
	delete(k.m, key)
	return nil
}

// Keys returns the stored keys (for tests).
func (k *MapKV) Keys() []string {
	k.mu.Lock()
	defer k.mu.Unlock()
	var out []string
	for key := range k.m {
		out = append(out, key)
	}
	return out
}
