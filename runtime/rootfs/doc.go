// Package rootfs assembles a container's root file system: read-only image
// layers (host directories holding extracted OCI layers, with OCI whiteouts
// and opaque markers), one writable upper directory, bind mounts and volumes,
// and the virtual /dev and /proc trees, merged on the fly without copying.
//
// An *FS (and the per-process *View it hands out) implements wazero's
// experimental sys.FS, so the runtime mounts it at "/" for each guest
// instance. The same object serves the Docker API's host-side needs: stat and
// archive of container paths (docker cp), safe tar extraction (PUT archive),
// docker diff, export and commit.
//
// # What it must never do
//
// Touch a host path outside its layer, upper and mount directories. Every
// guest path is resolved here, component by component, inside the container:
// ".." stops at the container's "/", symbolic links (relative and absolute)
// are followed with the container root as "/" (as Docker does), at most 40
// hops, and mounts are honoured at every component. The host is only ever
// addressed through directory file descriptors opened with O_NOFOLLOW one
// component at a time and *at system calls on a single name, so a symlink
// swapped in by a racing process cannot redirect an operation either. Lower
// layers are never modified: every change goes to the upper directory after
// a copy-up, and deletions of lower entries leave whiteouts there.
//
// # On-disk format of the upper directory
//
// The upper directory is itself an OCI layer: a deleted lower entry "x" is
// recorded as an empty file ".wh.x" next to it, a directory that replaces a
// lower one holds ".wh..wh..opq". Names starting with ".wh." are therefore
// reserved: the guest can neither see nor create them (EPERM) outside mounts.
//
// # Mount points and per-container files
//
// /proc, /dev, /dev/shm and /sys exist in every container. With
// Config.Init (a directory MakeInit prepared once, shared by every
// container, merged below the image layers like Docker's init layer) they
// cost the container nothing; without it New creates them in the upper
// directory. docker diff reports neither. A Mount with Content (the
// runtime's /etc/hostname, /etc/hosts, /etc/resolv.conf) is a file mount
// whose host file is written at the first lookup of its target, so a
// container that never looks at it costs no file.
//
// # Ownership
//
// When the daemon runs as root, file owners are real host owners. Otherwise
// the owner is kept in the "user.sockerless.owner" extended attribute
// ("uid:gid") of the upper or mount file; an entry without it (image files,
// symbolic links, file systems without user xattrs) is owned by 0:0. Modes
// are always the host file's real mode, including setuid, setgid and sticky.
//
// # Permissions
//
// A View of a uid other than 0 is checked as the kernel checks a process
// without capabilities (access.go): mode bits for reads and writes, search
// permission on every directory a path passes through, write and search
// permission on a directory to add or remove names, the sticky bit, and
// owner-only chmod and chown. uid 0 and the daemon's own views are not
// checked. Supplementary groups are not modelled: only the view's gid.
//
// # Named pipes
//
// View.Mkfifo makes a FIFO as creating a file would. Opening one never
// blocks the host (a guest's goroutines share one thread): an end that
// would block returns EAGAIN and joins the view's Waits, which the
// runtime's poll_oneoff waits on (fifo.go has the semantics).
//
// The implementation is Linux-only (openat, fstatat, getdents, xattrs).
package rootfs
