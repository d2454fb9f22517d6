#!/usr/bin/env bash
# Starts a private reference Docker Engine (Debian's dockerd) for humans,
# with the same flags and reference image as the Go helper (package
# refdocker): its own socket, data root, exec root and bridge, no iptables.
#
#   tests/refdocker/refdocker.sh shell        # start, open a shell with DOCKER_HOST set, stop on exit
#   tests/refdocker/refdocker.sh up           # start in the background, print DOCKER_HOST and the dir
#   tests/refdocker/refdocker.sh down DIR     # stop an engine started with `up`
#
# Needs root, dockerd (docker.io), the docker CLI and busybox-static
# (tests/deps.sh installs them).
set -euo pipefail

die() { echo "refdocker.sh: $*" >&2; exit 1; }

busybox_static() {
	local b
	for b in "${REFDOCKER_BUSYBOX:-}" /bin/busybox /usr/bin/busybox; do
		[ -n "$b" ] && [ -x "$b" ] || continue
		# A static busybox has no program interpreter.
		if ! LC_ALL=C readelf -l "$b" 2>/dev/null | grep -q 'interpreter'; then
			echo "$b"; return
		fi
	done
	die "no static busybox (apt-get install busybox-static)"
}

up() {
	[ "$(id -u)" = 0 ] || die "needs root"
	command -v dockerd >/dev/null || die "dockerd missing (tests/deps.sh)"
	local dir octet br bb r
	dir=$(mktemp -d /tmp/refdocker-sh-XXXXXX)
	# A /24 no interface uses, and a bridge of our own (not docker0).
	for octet in $(seq 200 249); do
		ip -4 addr | grep -q " 10\.$octet\." || break
	done
	br="rdksh$$"
	ip link add "$br" type bridge
	ip addr add "10.$octet.0.1/24" dev "$br"
	ip link set "$br" up
	echo "$br" >"$dir/bridge"
	mkdir -p "$dir/config" "$dir/exec"
	echo '{}' >"$dir/daemon.json"
	setsid dockerd --host "unix://$dir/docker.sock" --data-root "$dir/root" \
		--exec-root "$dir/exec" --pidfile "$dir/docker.pid" --config-file "$dir/daemon.json" \
		--iptables=false --ip-masq=false --ip-forward=false --bridge "$br" \
		--default-address-pool "base=10.$octet.16.0/20,size=24" \
		--shutdown-timeout 3 --log-level warn >"$dir/dockerd.log" 2>&1 </dev/null &
	export DOCKER_HOST="unix://$dir/docker.sock" DOCKER_CONFIG="$dir/config"
	for _ in $(seq 600); do
		docker version >/dev/null 2>&1 && break
		sleep 0.1
	done
	docker version >/dev/null 2>&1 || { tail -20 "$dir/dockerd.log" >&2; down "$dir"; die "dockerd did not start"; }

	# The reference image: busybox-static plus one symlink per applet.
	bb=$(busybox_static)
	r="$dir/rootfs"
	mkdir -p "$r/bin" "$r/etc" "$r/tmp" "$r/root"
	chmod 1777 "$r/tmp"; chmod 700 "$r/root"
	cp "$bb" "$r/bin/busybox"
	for a in $("$bb" --list); do [ "$a" = busybox ] || ln -s busybox "$r/bin/$a"; done
	printf 'root:x:0:0:root:/root:/bin/sh\ndaemon:x:1:1:daemon:/usr/sbin:/bin/false\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' >"$r/etc/passwd"
	printf 'root:x:0:\ndaemon:x:1:\nnogroup:x:65534:\n' >"$r/etc/group"
	tar -C "$r" --numeric-owner --owner=0 --group=0 -cf - . | docker import - alpine:latest >/dev/null
	docker tag alpine:latest busybox-ref:latest
	rm -rf "$r"
	echo "export DOCKER_HOST=$DOCKER_HOST DOCKER_CONFIG=$DOCKER_CONFIG   # dir: $dir"
	UP_DIR=$dir
}

down() {
	local dir=${1:?usage: refdocker.sh down DIR} pid mp
	[ -d "$dir" ] || die "no such dir: $dir"
	export DOCKER_HOST="unix://$dir/docker.sock" DOCKER_CONFIG="$dir/config"
	if docker version >/dev/null 2>&1; then
		ids=$(docker ps -aq)
		[ -z "$ids" ] || docker rm -fv $ids >/dev/null
		docker network prune -f >/dev/null
	fi
	if [ -f "$dir/docker.pid" ]; then
		pid=$(cat "$dir/docker.pid")
		kill "$pid" 2>/dev/null || true
		for _ in $(seq 200); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
		kill -9 "$pid" 2>/dev/null || true
	fi
	# Leftover mounts, deepest first.
	awk -v d="$dir" '$5 == d || index($5, d "/") == 1 {print $5}' /proc/self/mountinfo | sort -r |
		while read -r mp; do umount -l "$mp" 2>/dev/null || true; done
	[ -f "$dir/bridge" ] && ip link del "$(cat "$dir/bridge")" 2>/dev/null || true
	rm -rf "$dir"
}

case "${1:-}" in
up) up ;;
down) down "${2:-}" ;;
shell)
	up
	trap 'down "$UP_DIR"' EXIT
	echo "reference engine up; exit the shell to stop it" >&2
	"${SHELL:-bash}" || true
	;;
*) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac
