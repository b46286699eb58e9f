#!/usr/bin/env bash
# Makes this machine ready for the tests, and does nothing that is already done:
#   PostgreSQL answering on 127.0.0.1:5432 (started if installed but stopped),
#   Redis answering on 127.0.0.1:6379 (started if installed but stopped),
#   Debian's Chromium at /usr/bin/chromium (installed with apt-get when we are root),
#   Knot DNS (knotd, knotc) for the tests' DNS servers (installed with apt-get when we are root),
#   Janus (janus) and iproute2 (ip) for the tests' media servers (installed with apt-get when we are root),
#   kamailio and baresip (baresip-core: no GUI) for the tests' SIP side (installed with apt-get when we are root),
#   python3, make and g++ for the native module npm ci builds (installed with apt-get when we are root),
#   node_modules (npm ci when missing).
# It never installs PostgreSQL or Redis itself: .ci/run does that on a bare machine. When
# something cannot be had, it stops with a message naming what is missing.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

PROVISION_NAME=provision
# shellcheck source=scripts/provision-lib.sh
source scripts/provision-lib.sh

# Polls a check for up to $1 seconds.
wait_for() {
  local seconds=$1 i
  shift
  for ((i = 0; i < seconds * 4; i++)); do
    if "$@"; then return 0; fi
    sleep 0.25
  done
  return 1
}

# --- PostgreSQL ----------------------------------------------------------------------------
pg_up() {
  if command -v pg_isready >/dev/null; then
    pg_isready -q -h 127.0.0.1 -p 5432
  else
    timeout 2 bash -c '</dev/tcp/127.0.0.1/5432' 2>/dev/null
  fi
}

if pg_up; then
  log "PostgreSQL answers on 127.0.0.1:5432"
else
  if ! command -v pg_ctlcluster >/dev/null || [ -z "$(ls /etc/postgresql 2>/dev/null)" ]; then
    die "PostgreSQL is not installed and nothing answers on 127.0.0.1:5432." \
      "Install Debian's package 'postgresql' (apt-get install -y postgresql, or run .ci/run)."
  fi
  version=$(ls /etc/postgresql | sort -V | tail -n 1)
  log "starting PostgreSQL $version (cluster main)"
  pg_ctlcluster --skip-systemctl-redirect "$version" main start ||
    die "could not start PostgreSQL $version/main (see /var/log/postgresql/)."
  wait_for 30 pg_up || die "PostgreSQL $version/main started but does not answer on 127.0.0.1:5432."
  log "PostgreSQL answers on 127.0.0.1:5432"
fi

# --- Redis ---------------------------------------------------------------------------------
redis_up() {
  if command -v redis-cli >/dev/null; then
    [ "$(redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null)" = "PONG" ]
  else
    timeout 2 bash -c '</dev/tcp/127.0.0.1/6379' 2>/dev/null
  fi
}

if redis_up; then
  log "Redis answers on 127.0.0.1:6379"
else
  command -v redis-server >/dev/null ||
    die "Redis is not installed and nothing answers on 127.0.0.1:6379." \
      "Install Debian's package 'redis-server' (apt-get install -y redis-server, or run .ci/run)."
  log "starting Redis"
  # Keeps nothing on disk: the tests' data is thrown away.
  redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no ||
    die "could not start redis-server."
  wait_for 30 redis_up || die "redis-server started but does not answer on 127.0.0.1:6379."
  log "Redis answers on 127.0.0.1:6379"
fi

# --- Chromium ------------------------------------------------------------------------------
chromium_ok() {
  [ -x /usr/bin/chromium ] || return 1
  # A package that another apt-get is still unpacking has the file but does not run yet.
  if command -v dpkg-query >/dev/null; then
    [ "$(dpkg-query -W -f='${Status}' chromium 2>/dev/null)" = "install ok installed" ]
  fi
}

# `apt-get update` once per run, before the first install.
apt_updated=no
apt_update() {
  [ "$apt_updated" = yes ] && return 0
  apt_get update || die "apt-get update failed."
  apt_updated=yes
}

# ensure_package <package> <what> <path> <ok-function>: installs a Debian package when the
# check fails (root and apt-get needed), then checks again.
ensure_package() {
  local pkg=$1 what=$2 where=$3 ok=$4
  if "$ok"; then
    log "$what found at $where"
    return 0
  fi
  [ "$(id -u)" = 0 ] ||
    die "$what is missing ($where) and we are not root to install it." \
      "Install Debian's package '$pkg' (sudo apt-get install -y $pkg)."
  command -v apt-get >/dev/null || die "$what is missing ($where) and this machine has no apt-get."
  log "installing Debian's $pkg"
  apt_update
  apt_get install -y "$pkg" || die "apt-get install $pkg failed."
  "$ok" || die "$pkg was installed but $where is not usable."
  log "$what installed at $where"
}

ensure_package chromium Chromium /usr/bin/chromium chromium_ok

# --- Knot DNS ------------------------------------------------------------------------------
# The tests start their own knotd on a free loopback port (test/helpers/dns-server.ts); the
# package's own service, if it runs, is neither needed nor disturbed.
knot_ok() {
  [ -x /usr/sbin/knotd ] && [ -x /usr/sbin/knotc ] || return 1
  if command -v dpkg-query >/dev/null; then
    [ "$(dpkg-query -W -f='${Status}' knot 2>/dev/null)" = "install ok installed" ]
  fi
}

ensure_package knot "Knot DNS" /usr/sbin/knotd knot_ok

# --- Janus and iproute2 --------------------------------------------------------------------
# The tests start their own Janus, with a config of their own, inside a network namespace they
# make with `ip netns` (test/helpers/janus.ts); the package's own service, if it runs, is
# neither needed nor disturbed.
janus_ok() {
  [ -x /usr/bin/janus ] || return 1
  if command -v dpkg-query >/dev/null; then
    [ "$(dpkg-query -W -f='${Status}' janus 2>/dev/null)" = "install ok installed" ]
  fi
}
ip_ok() { [ -x /usr/sbin/ip ] || [ -x /sbin/ip ] || [ -x /bin/ip ]; }

ensure_package janus Janus /usr/bin/janus janus_ok
ensure_package iproute2 "iproute2 (ip)" /usr/sbin/ip ip_ok

# --- kamailio and baresip ------------------------------------------------------------------
# The SIP side of the PBX bridge tests, started in Janus's namespace with configs of their own
# (test/helpers/sip-lab.ts); the packages' own services, if they run, are neither needed nor
# disturbed.
kamailio_ok() { [ -x /usr/sbin/kamailio ]; }
baresip_ok() { [ -x /usr/bin/baresip ] && [ -e /usr/lib/baresip/modules/ctrl_tcp.so ]; }

ensure_package kamailio kamailio /usr/sbin/kamailio kamailio_ok
ensure_package baresip-core baresip /usr/bin/baresip baresip_ok

# --- Build tools ---------------------------------------------------------------------------
# npm ci compiles unix-dgram (a dependency of janode, the Janus adapter) with node-gyp.
python3_ok() { command -v python3 >/dev/null; }
make_ok() { command -v make >/dev/null; }
gxx_ok() { command -v g++ >/dev/null; }

ensure_package python3 Python3 python3 python3_ok
ensure_package make make make make_ok
ensure_package g++ "g++" "g++" gxx_ok

# --- node_modules --------------------------------------------------------------------------
if [ -d node_modules ] && [ -e node_modules/.package-lock.json ]; then
  log "node_modules present"
  if [ package-lock.json -nt node_modules/.package-lock.json ]; then
    log "note: package-lock.json is newer than node_modules; run 'npm ci' if a test cannot find a package"
  fi
else
  log "installing node_modules (npm ci)"
  npm ci --no-audit --no-fund </dev/null || die "npm ci failed."
fi
