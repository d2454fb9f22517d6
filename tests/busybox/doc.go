// Package busybox is the differential shell suite of the sandbox runtime:
// one table of shell cases typical of CI glue runs in the sandbox (in
// process, through runtime/sandbox over a runtime/rootfs root) and under
// Debian's busybox-static in a chroot, and their stdout and exit status
// must agree. Known differences are listed in the table with a reason and
// still run: the test checks that they still differ, so a fixed one is
// noticed. A second test runs escape attempts through the sandbox shell
// against a host canary directory.
//
// It must never skip when busybox or chroot is missing: the reference is
// the point of the suite. The package holds only tests.
package busybox
