#!/usr/bin/env bash
# Installs Debian's nginx when it is absent: the fleet tests put it in front of two server replicas on loopback.
# Does nothing when nginx is already there. Needs root (or passwordless sudo) and apt-get.
# The package's post-install step would start a system nginx on port 80; a temporary policy-rc.d stops that,
# so the only nginx that runs is the one the tests start (on 127.0.0.1, with their own configuration).
set -euo pipefail

if command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ]; then
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "nginx is not installed and apt-get is not available to install it." >&2
  exit 1
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    SUDO="sudo"
  else
    echo "nginx is not installed and installing it needs root (apt-get install nginx)." >&2
    exit 1
  fi
fi

POLICY=/usr/sbin/policy-rc.d
ADDED_POLICY=0
if [ ! -e "$POLICY" ]; then
  printf '#!/bin/sh\nexit 101\n' | $SUDO tee "$POLICY" >/dev/null
  $SUDO chmod +x "$POLICY"
  ADDED_POLICY=1
fi
cleanup() { if [ "$ADDED_POLICY" = 1 ]; then $SUDO rm -f "$POLICY"; fi; }
trap cleanup EXIT

export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends nginx >/dev/null
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ]
echo "nginx installed: $( (nginx -v || /usr/sbin/nginx -v) 2>&1 )"
