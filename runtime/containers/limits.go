package containers

import (
	"bufio"
	"os"
	goruntime "runtime"
	"strconv"
	"strings"
	"time"

	"github.com/sockerless/sockerless/runtime/sandbox"
)

// withLimitsLocked adds the container's resource limits to the config
// of process pid: --memory caps each process's linear memory (growing
// past it ends the process with 137, OOMKilled), --pids-limit is one
// process count shared by all the container's processes, and the pids the
// guest gives nested shells and background jobs come from the container's
// allocator, so they never collide with exec pids; the processes inside a
// guest are recorded for top, ps and /proc. c.mu is held.
func (c *Container) withLimitsLocked(pid int, pc sandbox.ProcessConfig) sandbox.ProcessConfig {
	pc.MemoryLimit = c.r.HostConfig.Memory
	pc.Procs = c.procLimit
	pc.NewPid = c.allocPid
	pc.Children = c.addChild
	pc.Exec = func(args []string) { c.execd(pid, args) }
	return pc
}

// execd records that process pid now runs args in its own place.
func (c *Container) execd(pid int, args []string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if pi := c.procs[pid]; pi != nil {
		pi.args = args
	}
}

// addChild records a process that lives inside a guest (a command one of
// the container's shells runs) for top, ps and /proc; it inherits its
// parent's identity, directory and environment. The returned function
// ends the record.
func (c *Container) addChild(pid, ppid int, args []string) func() {
	c.mu.Lock()
	defer c.mu.Unlock()
	pi := &procInfo{pid: pid, ppid: ppid, args: args, start: time.Now()}
	parent := c.procs[ppid]
	if parent == nil {
		parent = c.children[ppid]
	}
	if parent != nil {
		pi.uid, pi.gid, pi.cwd, pi.env, pi.p = parent.uid, parent.gid, parent.cwd, parent.env, parent.p
	}
	if c.children == nil {
		c.children = map[int]*procInfo{}
	}
	c.children[pid] = pi
	return func() {
		c.mu.Lock()
		if c.children[pid] == pi {
			delete(c.children, pid)
		}
		c.mu.Unlock()
	}
}

// resetLimitsLocked prepares the limits of a new run. c.mu is held.
func (c *Container) resetLimitsLocked() {
	c.procLimit = nil
	if pl := c.r.HostConfig.PidsLimit; pl != nil && *pl > 0 {
		c.procLimit = sandbox.NewProcLimit(*pl)
	}
}

// allocPid hands out the next container pid (called by guests).
func (c *Container) allocPid() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.nextPid++
	return c.nextPid
}

// systemCPUNanos is the host's total CPU time (the cpu line of
// /proc/stat, in USER_HZ ticks) in nanoseconds, as Docker reports
// system_cpu_usage.
func systemCPUNanos() uint64 {
	f, err := os.Open("/proc/stat")
	if err != nil {
		return uint64(time.Since(bootTime).Nanoseconds()) * uint64(goruntime.NumCPU())
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) < 2 || fields[0] != "cpu" {
			continue
		}
		var ticks uint64
		for _, v := range fields[1:] {
			n, _ := strconv.ParseUint(v, 10, 64)
			ticks += n
		}
		return ticks * (1e9 / 100)
	}
	return 0
}

// usageLocked sums the CPU time and memory of the container's processes.
// c.mu is held.
func (c *Container) usageLocked() (cpu time.Duration, mem uint64) {
	for _, pi := range c.procs {
		cpu += pi.p.CPUTime()
		mem += pi.p.MemoryBytes()
	}
	return cpu + c.exitedCPU, mem
}
