package awk

// glibcRandom reproduces glibc's random()/srandom() (the default TYPE_3
// additive feedback generator), so that rand() gives the numbers busybox
// awk gives for the same seed.
type glibcRandom struct {
	ring [34]uint32
	n    int // index of the next value to produce
}

func (g *glibcRandom) seed(s uint32) {
	if s == 0 {
		s = 1
	}
	var r [34]uint32
	r[0] = s
	word := int64(int32(s))
	for i := 1; i < 31; i++ {
		// 16807 * word % 2147483647 without overflow (Schrage's method)
		hi, lo := word/127773, word%127773
		word = 16807*lo - 2836*hi
		if word < 0 {
			word += 2147483647
		}
		r[i] = uint32(word)
	}
	for i := 31; i < 34; i++ {
		r[i] = r[i-31]
	}
	g.ring = r
	g.n = 34
	for i := 34; i < 344; i++ {
		g.next()
	}
}

func (g *glibcRandom) next() uint32 {
	v := g.ring[(g.n-31)%34] + g.ring[(g.n-3)%34]
	g.ring[g.n%34] = v
	g.n++
	if g.n == 34*1000 {
		g.n = 34 // keep the index small; only n mod 34 matters
	}
	return v >> 1
}

// awkRand is busybox awk's rand(): 63 random bits scaled to [0, 1).
func (g *glibcRandom) awkRand() float64 {
	r1, r2, r3 := uint64(g.next()), uint64(g.next()), uint64(g.next())
	u := (r1<<16 ^ r2) & 0xffffffff
	v := r3<<32 | u
	return float64(v) / (1 << 63)
}
