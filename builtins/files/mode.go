package files

import "strconv"

// parseMode applies a chmod-style mode (octal, or symbolic clauses such as
// "u+x,go-w", "a=r", "+X", "g=u") to cur, the way busybox's bb_parse_mode
// does. mask is the umask used by clauses that name no "who". It reports
// false for a malformed mode.
func parseMode(s string, cur, mask uint32) (uint32, bool) {
	if s != "" && s[0] >= '0' && s[0] <= '7' {
		v, err := strconv.ParseUint(s, 8, 32)
		if err != nil || v > 0o7777 {
			return 0, false
		}
		return uint32(v), true
	}
	whoMask := map[byte]uint32{
		'a': sISUID | sISGID | sISVTX | 0o777,
		'u': sISUID | 0o700,
		'g': sISGID | 0o070,
		'o': 0o007,
	}
	permMask := map[byte]uint32{
		'r': 0o444, 'w': 0o222, 'x': 0o111, 'X': 0o111, 's': sISUID | sISGID, 't': sISVTX,
	}
	mode := cur
	i := 0
	for i < len(s) {
		if s[i] == ',' {
			i++
			continue
		}
		var who uint32
		for i < len(s) && whoMask[s[i]] != 0 {
			who |= whoMask[s[i]]
			i++
			if i == len(s) {
				return 0, false
			}
		}
		for {
			op := s[i]
			if op != '+' && op != '-' && op != '=' {
				return 0, false
			}
			if op == '=' {
				if who != 0 {
					mode &^= who
				} else {
					mode &^= 0o7777
				}
			}
			i++
			var perms uint32
			if i < len(s) && (s[i] == 'u' || s[i] == 'g' || s[i] == 'o') {
				perms = whoMask[s[i]] & 0o777 & mode
				for _, m := range []uint32{0o444, 0o222, 0o111} {
					if perms&m != 0 {
						perms |= m
					}
				}
				i++
			} else {
				for i < len(s) {
					pm, ok := permMask[s[i]]
					if !ok {
						break
					}
					if s[i] != 'X' || mode&(sIFDIR|0o111) != 0 {
						perms |= pm
					}
					i++
				}
			}
			if perms != 0 {
				w := who
				if w == 0 {
					w = ^mask
				}
				perms &= w
				if op == '-' {
					mode &^= perms
				} else {
					mode |= perms
				}
			}
			if i >= len(s) || s[i] == ',' {
				break
			}
		}
	}
	return mode, true
}
