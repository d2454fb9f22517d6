package awk

// array is an awk associative array. It is a chained hash table laid out
// exactly like busybox's (same hash function, bucket sizes and insertion
// at the head of a chain), so "for (k in a)" visits keys in the same
// order as busybox awk does.
type array struct {
	buckets []*item
	nel     int
	nprime  int
}

type item struct {
	next *item
	name string
	v    value
}

const firstPrime = 61

var primes = [...]int{251, 1021, 4093, 16381, 65521}

func newArray() *array {
	return &array{buckets: make([]*item, firstPrime)}
}

func hashKey(s string) uint32 {
	var idx uint32
	for i := 0; i < len(s); i++ {
		// busybox hashes the bytes as unsigned
		idx = uint32(s[i]) + (idx << 6) - idx
	}
	return idx
}

func (a *array) find(k string) *item {
	for it := a.buckets[hashKey(k)%uint32(len(a.buckets))]; it != nil; it = it.next {
		if it.name == k {
			return it
		}
	}
	return nil
}

// get returns the element k, creating it when missing.
func (a *array) get(k string) *value {
	h := hashKey(k)
	b := h % uint32(len(a.buckets))
	for it := a.buckets[b]; it != nil; it = it.next {
		if it.name == k {
			return &it.v
		}
	}
	if a.nel/len(a.buckets) > 7 && a.nprime < len(primes) {
		a.rebuild()
		b = h % uint32(len(a.buckets))
	}
	a.nel++
	it := &item{next: a.buckets[b], name: k}
	a.buckets[b] = it
	return &it.v
}

func (a *array) rebuild() {
	size := primes[a.nprime]
	a.nprime++
	nb := make([]*item, size)
	for _, it := range a.buckets {
		for it != nil {
			next := it.next
			idx := hashKey(it.name) % uint32(size)
			it.next = nb[idx]
			nb[idx] = it
			it = next
		}
	}
	a.buckets = nb
}

func (a *array) has(k string) bool { return a.find(k) != nil }

func (a *array) delete(k string) {
	b := hashKey(k) % uint32(len(a.buckets))
	for pp := &a.buckets[b]; *pp != nil; pp = &(*pp).next {
		if (*pp).name == k {
			*pp = (*pp).next
			a.nel--
			return
		}
	}
}

func (a *array) clear() {
	clear(a.buckets)
	a.nel = 0
}

func (a *array) len() int { return a.nel }

// keys lists the keys in iteration order.
func (a *array) keys() []string {
	keys := make([]string, 0, a.nel)
	for _, it := range a.buckets {
		for ; it != nil; it = it.next {
			keys = append(keys, it.name)
		}
	}
	return keys
}
