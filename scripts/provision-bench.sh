#!/usr/bin/env bash
# Makes this machine ready for the benchmarks (bench/), beyond what scripts/provision.sh does for
# the tests, and does nothing that is already done:
#   Prosody (Debian's package 'prosody', 0.12 on bookworm), the reference XMPP server that
#   bench/reference/prosody.ts starts on a loopback port with a config of its own.
# The package starts its own system service when installed; the benchmarks neither need nor want
# it (it would take port 5222 and CPU), so it is stopped and, where systemd runs, disabled.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

PROVISION_NAME=provision-bench
# shellcheck source=scripts/provision-lib.sh
source scripts/provision-lib.sh

# --- Prosody -------------------------------------------------------------------------------
prosody_ok() {
  [ -x /usr/bin/prosody ] || return 1
  if command -v dpkg-query >/dev/null; then
    [ "$(dpkg-query -W -f='${Status}' prosody 2>/dev/null)" = "install ok installed" ]
  fi
}

if prosody_ok; then
  log "Prosody found at /usr/bin/prosody"
else
  [ "$(id -u)" = 0 ] ||
    die "Prosody is missing (/usr/bin/prosody) and we are not root to install it." \
      "Install Debian's package 'prosody' (sudo apt-get install -y prosody)."
  command -v apt-get >/dev/null || die "Prosody is missing (/usr/bin/prosody) and this machine has no apt-get."
  log "installing Debian's prosody"
  apt_get update || die "apt-get update failed."
  apt_get install -y prosody || die "apt-get install prosody failed."
  prosody_ok || die "prosody was installed but /usr/bin/prosody is not usable."
  log "Prosody installed at /usr/bin/prosody"
fi

# The package's own service: stopped, and disabled where systemd is the init. Only a daemon
# running as the package's user 'prosody' is stopped here (its process is named lua5.4, hence -f);
# benchmarks run theirs as the user that runs them.
# `systemctl disable` also works when systemd is not running (it edits the unit's links and the
# SysV rc links); `--now` needs a running systemd.
if command -v systemctl >/dev/null; then
  if [ -d /run/systemd/system ]; then
    systemctl disable --now prosody >/dev/null 2>&1 || true
  else
    systemctl disable prosody >/dev/null 2>&1 || true
  fi
fi
if command -v service >/dev/null; then
  service prosody stop >/dev/null 2>&1 || true
fi
service_running() { pgrep -u prosody -f '/usr/bin/prosody' >/dev/null 2>&1; }
if service_running; then
  log "stopping the prosody service the package started"
  pkill -u prosody -f '/usr/bin/prosody' || true
  for _ in $(seq 1 20); do
    service_running || break
    sleep 0.25
  done
fi
if service_running; then
  die "the package's prosody service still runs (user prosody); stop it before benchmarking."
fi
log "Prosody's system service is not running"
