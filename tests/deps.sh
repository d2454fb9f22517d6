#!/usr/bin/env bash
# Installs what the test suites need on a fresh Debian machine with Go:
# reference tools (busybox-static, Docker Engine), real clients (docker
# CLI, docker-compose) and helpers. Idempotent and quick when everything
# is present. Needs root (or sudo) only when something is missing.
set -euo pipefail

need=()
have() { command -v "$1" >/dev/null 2>&1; }
have busybox || [ -x /bin/busybox ] || need+=(busybox-static)
have dockerd || need+=(docker.io)
have docker || need+=(docker.io)
have docker-compose || need+=(docker-compose)
have script || need+=(bsdutils)
have tmux || need+=(tmux)
have rsync || need+=(rsync)

if [ ${#need[@]} -gt 0 ]; then
	SUDO=""
	[ "$(id -u)" = 0 ] || SUDO=sudo
	echo "tests/deps.sh: installing ${need[*]}" >&2
	export DEBIAN_FRONTEND=noninteractive
	$SUDO apt-get update -qq
	# docker.io would replace a docker CLI installed another way: keep it.
	$SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
