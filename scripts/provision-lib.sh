# Shared by scripts/provision.sh and scripts/provision-bench.sh (sourced, never run): messages
# named after the script (PROVISION_NAME), stopping with one, and apt-get with retries.

log() { echo "${PROVISION_NAME}: $*"; }
die() {
  echo "${PROVISION_NAME}: ERROR: $*" >&2
  exit 1
}

# apt-get waits up to 10 minutes for a lock held by another apt-get (DPkg::Lock::Timeout);
# `apt-get update` takes a lock that option does not cover in every apt version, hence the retries.
apt_get() {
  local attempt
  for attempt in 1 2 3 4 5 6; do
    if DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 -q "$@" </dev/null; then
      return 0
    fi
    log "apt-get $1 failed (attempt $attempt); retrying in 10 s"
    sleep 10
  done
  return 1
}
