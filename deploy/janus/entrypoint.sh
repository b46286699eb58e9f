#!/bin/bash
# Janus for docker-compose.yml: writes the config from the environment, then runs Janus.
#
# The templates (deploy/janus/conf/, rendered by scripts/janus-config.ts from the homeserver's
# own server/src/media/janus/config.ts) hold ${JANUS_*} placeholders; each is filled from the
# environment variable of that name. A missing or malformed value stops the container with a
# message naming it, so a typo never becomes a Janus listening with an empty secret.
#
#   callsign-janus [run]   write the config, then exec janus (the default)
#   callsign-janus render  write the config only
#   callsign-janus link    make the folders of module symlinks (the image build runs it)
#   callsign-janus health  succeed when the Janus API accepts connections (HEALTHCHECK)
#
# Environment:
#   JANUS_API_SECRET, JANUS_ADMIN_SECRET, JANUS_ROOM_ADMIN_KEY
#                          the homeserver's CALLSIGN_JANUS_API_SECRET, _ADMIN_SECRET and
#                          _ROOM_ADMIN_KEY: 8 or more of A-Z a-z 0-9 . _ ~ + / = -
#   JANUS_NAT_1_1_MAPPING  IPv4 address browsers reach the media on (the host's public address);
#                          Janus writes it into its candidates instead of the container's
#   JANUS_RTP_PORTS        WebRTC RTP/RTCP ports, min-max: publish exactly this range (UDP)
#   JANUS_SIP_RTP_PORTS    the SIP plugin's RTP ports, min-max, apart from JANUS_RTP_PORTS
#   JANUS_LOCAL_IP         the container's address, where the API, the admin API and the media
#                          bind (default: the first IPv4 address of `hostname -i`)
#   JANUS_TEMPLATE_DIR     default /usr/share/callsign-janus
#   JANUS_CONF_DIR         default /etc/callsign-janus; the config names that folder, so another
#                          one only suits `render` (test/compose.test.ts uses it)
set -euo pipefail

TEMPLATE_DIR=${JANUS_TEMPLATE_DIR:-/usr/share/callsign-janus}
CONF_DIR=${JANUS_CONF_DIR:-/etc/callsign-janus}
# The placeholders scripts/janus-config.ts writes (JANUS_PLACEHOLDERS there).
PLACEHOLDERS="JANUS_LOCAL_IP JANUS_NAT_1_1_MAPPING JANUS_API_SECRET JANUS_ADMIN_SECRET JANUS_ROOM_ADMIN_KEY JANUS_RTP_PORTS JANUS_SIP_RTP_PORTS"

fail() {
  echo "callsign-janus: $*" >&2
  exit 64
}

check_secret() {
  local name=$1 value=${!1:-} re='^[A-Za-z0-9._~+/=-]{8,}$'
  [[ -n $value ]] || fail "$name is not set"
  # The value goes into a quoted libconfig string: no quote, backslash or space can break out.
  [[ $value =~ $re ]] || fail "$name: want 8 or more of A-Z a-z 0-9 . _ ~ + / = -"
}

check_ipv4() {
  local name=$1 value=${!1:-} re='^([0-9]{1,3})\.([0-9]{1,3})\.([0-9]{1,3})\.([0-9]{1,3})$' i
  [[ -n $value ]] || fail "$name is not set"
  [[ $value =~ $re ]] || fail "$name: want an IPv4 address, got '$value'"
  for i in 1 2 3 4; do ((10#${BASH_REMATCH[i]} <= 255)) || fail "$name: want an IPv4 address, got '$value'"; done
}

# Sets RANGE_MIN and RANGE_MAX; the same rule as writeJanusConfig's checkRange.
check_range() {
  local name=$1 value=${!1:-} re='^([1-9][0-9]{3,4})-([1-9][0-9]{3,4})$'
  [[ -n $value ]] || fail "$name is not set"
  [[ $value =~ $re ]] || fail "$name: want min-max, got '$value'"
  RANGE_MIN=${BASH_REMATCH[1]} RANGE_MAX=${BASH_REMATCH[2]}
  ((RANGE_MIN >= 1024 && RANGE_MAX <= 65535 && RANGE_MAX - RANGE_MIN >= 1)) ||
    fail "$name: want 1024 <= min < max <= 65535, got $value"
}

check_environment() {
  if [[ -z ${JANUS_LOCAL_IP:-} ]]; then
    # Loopback is no use: Janus never offers loopback candidates.
    JANUS_LOCAL_IP=$(hostname -i | tr ' ' '\n' | grep -E '^[0-9]+(\.[0-9]+){3}$' | grep -v -m1 '^127\.' || true)
    [[ -n $JANUS_LOCAL_IP ]] || fail "JANUS_LOCAL_IP is not set and hostname -i names no IPv4 address but loopback"
    export JANUS_LOCAL_IP
  fi
  check_ipv4 JANUS_LOCAL_IP
  check_ipv4 JANUS_NAT_1_1_MAPPING
  check_secret JANUS_API_SECRET
  check_secret JANUS_ADMIN_SECRET
  check_secret JANUS_ROOM_ADMIN_KEY
  check_range JANUS_RTP_PORTS
  local min=$RANGE_MIN max=$RANGE_MAX
  check_range JANUS_SIP_RTP_PORTS
  ((min > RANGE_MAX || RANGE_MIN > max)) || fail "JANUS_RTP_PORTS and JANUS_SIP_RTP_PORTS overlap"
}

render() {
  check_environment
  mkdir -p "$CONF_DIR"
  umask 077 # the files hold the secrets
  local template out
  for template in "$TEMPLATE_DIR"/*.jcfg; do
    out="$CONF_DIR/$(basename "$template")"
    # awk reads the values from its environment, so no value is ever parsed as a pattern.
    awk -v names="$PLACEHOLDERS" '
      BEGIN { n = split(names, list, " "); for (i = 1; i <= n; i++) known[list[i]] = 1 }
      {
        rest = $0; line = ""
        while (match(rest, /\$\{[A-Za-z0-9_]+\}/)) {
          name = substr(rest, RSTART + 2, RLENGTH - 3)
          if (!(name in known)) { print FILENAME ": unknown placeholder " name > "/dev/stderr"; exit 65 }
          line = line substr(rest, 1, RSTART - 1) ENVIRON[name]
          rest = substr(rest, RSTART + RLENGTH)
        }
        print line rest
      }' "$template" >"$out.new"
    mv "$out.new" "$out"
  done
}

find_lib_dir() {
  local dir
  for dir in /usr/lib/*-linux-gnu*/janus /usr/lib/janus; do
    [[ -d $dir/plugins ]] && { echo "$dir"; return; }
  done
  fail "Janus modules not found: is Debian's package janus installed?"
}

link_modules() {
  local lib entry
  lib=$(find_lib_dir)
  while IFS= read -r entry; do
    case $entry in
      "" | "#"*) ;;
      */) mkdir -p "$CONF_DIR/$entry" ;;
      *)
        [[ -e $lib/$entry ]] || fail "$lib/$entry not found: does Debian's janus still ship it?"
        mkdir -p "$CONF_DIR/$(dirname "$entry")"
        ln -sfn "$lib/$entry" "$CONF_DIR/$entry"
        ;;
    esac
  done <"$TEMPLATE_DIR/modules.list"
}

health() {
  local file=$CONF_DIR/janus.transport.websockets.jcfg ip port
  ip=$(awk -F' = ' '$1 == "\tws_ip" { gsub(/"/, "", $2); print $2 }' "$file")
  port=$(awk -F' = ' '$1 == "\tws_port" { print $2 }' "$file")
  exec 3<>"/dev/tcp/$ip/$port"
}

case ${1:-run} in
  run)
    render
    exec janus --configs-folder "$CONF_DIR"
    ;;
  render) render ;;
  link) link_modules ;;
  health) health ;;
  *) exec "$@" ;;
esac
