package images

import (
	"encoding/json"
	goruntime "runtime"
	"strings"

	dockerspec "github.com/moby/docker-image-spec/specs-go/v1"

	"github.com/sockerless/sockerless/runtime/errdefs"
)

var goarch = goruntime.GOARCH

// ApplyChanges applies Dockerfile instructions (docker commit/import
// --change) to cfg: CMD, ENTRYPOINT, ENV, LABEL, EXPOSE, USER, WORKDIR,
// VOLUME, STOPSIGNAL.
func ApplyChanges(cfg *dockerspec.DockerOCIImageConfig, changes []string) error {
	for _, ch := range changes {
		ch = strings.TrimSpace(ch)
		if ch == "" {
			continue
		}
		instr, rest, _ := strings.Cut(ch, " ")
		rest = strings.TrimSpace(rest)
		switch strings.ToUpper(instr) {
		case "CMD":
			cfg.Cmd = cmdForm(rest)
		case "ENTRYPOINT":
			cfg.Entrypoint = cmdForm(rest)
		case "ENV":
			for _, kv := range pairs(rest) {
				cfg.Env = setEnv(cfg.Env, kv[0], kv[1])
			}
		case "LABEL":
			if cfg.Labels == nil {
				cfg.Labels = map[string]string{}
			}
			for _, kv := range pairs(rest) {
				cfg.Labels[kv[0]] = kv[1]
			}
		case "EXPOSE":
			if cfg.ExposedPorts == nil {
				cfg.ExposedPorts = map[string]struct{}{}
			}
			for _, p := range strings.Fields(rest) {
				if !strings.Contains(p, "/") {
					p += "/tcp"
				}
				cfg.ExposedPorts[p] = struct{}{}
			}
		case "USER":
			cfg.User = rest
		case "WORKDIR":
			cfg.WorkingDir = rest
		case "STOPSIGNAL":
			cfg.StopSignal = rest
		case "VOLUME":
			if cfg.Volumes == nil {
				cfg.Volumes = map[string]struct{}{}
			}
			for _, v := range cmdForm(rest) {
				cfg.Volumes[v] = struct{}{}
			}
		default:
			return errdefs.InvalidParameterf("%s is not a valid change command", instr)
		}
	}
	return nil
}

func cmdForm(s string) []string {
	var l []string
	if strings.HasPrefix(s, "[") && json.Unmarshal([]byte(s), &l) == nil {
		return l
	}
	return []string{"/bin/sh", "-c", s}
}

func pairs(s string) [][2]string {
	var r [][2]string
	if !strings.Contains(strings.SplitN(s, " ", 2)[0], "=") {
		k, v, _ := strings.Cut(s, " ")
		return [][2]string{{k, strings.TrimSpace(v)}}
	}
	for _, f := range splitQuoted(s) {
		k, v, _ := strings.Cut(f, "=")
		r = append(r, [2]string{k, unquote(v)})
	}
	return r
}

func splitQuoted(s string) []string {
	var r []string
	var cur strings.Builder
	var q byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case q != 0:
			if c == q {
				q = 0
			}
			cur.WriteByte(c)
		case c == '"' || c == '\'':
			q = c
			cur.WriteByte(c)
		case c == ' ' || c == '\t':
			if cur.Len() > 0 {
				r = append(r, cur.String())
				cur.Reset()
			}
		default:
			cur.WriteByte(c)
		}
	}
	if cur.Len() > 0 {
		r = append(r, cur.String())
	}
	return r
}

func unquote(s string) string {
	if len(s) >= 2 && (s[0] == '"' || s[0] == '\'') && s[len(s)-1] == s[0] {
		return s[1 : len(s)-1]
	}
	return s
}

func setEnv(env []string, k, v string) []string {
	for i, e := range env {
		if strings.HasPrefix(e, k+"=") {
			env[i] = k + "=" + v
			return env
		}
	}
	return append(env, k+"="+v)
}
