#!/bin/bash
# coturn for docker-compose.yml: writes turnserver.conf from the environment, then runs coturn.
#
# Credentials are coturn's shared-secret scheme (use-auth-secret), which the homeserver's
# /voip/turnServer hands out (server/src/services/turn.ts): TURN_SECRET must be the homeserver's
# CALLSIGN_TURN_SECRET. Relaying is UDP only, into a bounded port range, and never towards
# private, loopback or link-local addresses (the compose network, the host) except the media
# address named in TURN_ALLOWED_PEER_IPS, so the server cannot be used to reach what it sits next to.
# A missing or malformed value stops the container with a message naming it.
#
#   callsign-coturn [run]   write the config, then exec turnserver (the default)
#   callsign-coturn render  write the config only
#
# Environment:
#   TURN_SECRET            static-auth-secret: 8 or more of A-Z a-z 0-9 . _ ~ + / = -
#   TURN_REALM             the realm: the homeserver's server name
#   TURN_EXTERNAL_IP       IPv4 address clients reach this server on (the host's public address);
#                          coturn reports it in relayed candidates instead of the container's
#   TURN_RELAY_PORTS       relay ports, min-max: publish exactly this range (UDP)
#   TURN_ALLOWED_PEER_IPS  comma-separated IPv4 addresses relayed to even when private (Janus's
#                          media address); default none
#   TURN_CONF_DIR          where turnserver.conf is written; default /etc/callsign-coturn
set -euo pipefail

CONF_DIR=${TURN_CONF_DIR:-/etc/callsign-coturn}
# Private, loopback, link-local and other special-purpose ranges (RFC 6890) and multicast.
DENIED_PEERS=(
  0.0.0.0-0.255.255.255 10.0.0.0-10.255.255.255 100.64.0.0-100.127.255.255
  127.0.0.0-127.255.255.255 169.254.0.0-169.254.255.255 172.16.0.0-172.31.255.255
  192.0.0.0-192.0.0.255 192.0.2.0-192.0.2.255 192.88.99.0-192.88.99.255
  192.168.0.0-192.168.255.255 198.18.0.0-198.19.255.255 198.51.100.0-198.51.100.255
  203.0.113.0-203.0.113.255 224.0.0.0-255.255.255.255
  ::1 64:ff9b::-64:ff9b::ffff:ffff ::ffff:0.0.0.0-::ffff:255.255.255.255
  fc00::-fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff fe80::-febf:ffff:ffff:ffff:ffff:ffff:ffff:ffff
)

fail() {
  echo "callsign-coturn: $*" >&2
  exit 64
}

check_ipv4() {
  local name=$1 value=$2 re='^([0-9]{1,3})\.([0-9]{1,3})\.([0-9]{1,3})\.([0-9]{1,3})$' i
  [[ $value =~ $re ]] || fail "$name: want an IPv4 address, got '$value'"
  for i in 1 2 3 4; do ((10#${BASH_REMATCH[i]} <= 255)) || fail "$name: want an IPv4 address, got '$value'"; done
}

render() {
  local secret=${TURN_SECRET:-} realm=${TURN_REALM:-} external=${TURN_EXTERNAL_IP:-}
  local ports=${TURN_RELAY_PORTS:-} allowed=${TURN_ALLOWED_PEER_IPS:-} ip
  local secret_re='^[A-Za-z0-9._~+/=-]{8,}$' realm_re='^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$'
  local ports_re='^([1-9][0-9]{3,4})-([1-9][0-9]{3,4})$'
  [[ -n $secret ]] || fail "TURN_SECRET is not set"
  [[ $secret =~ $secret_re ]] || fail "TURN_SECRET: want 8 or more of A-Z a-z 0-9 . _ ~ + / = -"
  [[ $realm =~ $realm_re ]] || fail "TURN_REALM: want a server name, got '$realm'"
  [[ -n $external ]] || fail "TURN_EXTERNAL_IP is not set"
  check_ipv4 TURN_EXTERNAL_IP "$external"
  [[ $ports =~ $ports_re ]] || fail "TURN_RELAY_PORTS: want min-max, got '$ports'"
  local min=${BASH_REMATCH[1]} max=${BASH_REMATCH[2]}
  ((min >= 1024 && max <= 65535 && min < max)) || fail "TURN_RELAY_PORTS: want 1024 <= min < max <= 65535"
  local -a allowed_ips=()
  if [[ -n $allowed ]]; then
    IFS=, read -r -a allowed_ips <<<"$allowed"
    for ip in "${allowed_ips[@]}"; do check_ipv4 TURN_ALLOWED_PEER_IPS "$ip"; done
  fi

  mkdir -p "$CONF_DIR"
  umask 077 # the file holds the secret
  {
    echo "# Written by deploy/coturn/entrypoint.sh from the environment at start."
    echo "listening-port=3478"
    echo "realm=$realm"
    echo "use-auth-secret"
    echo "static-auth-secret=$secret"
    echo "external-ip=$external"
    echo "min-port=$min"
    echo "max-port=$max"
    echo "fingerprint"
    # No certificates here: TURN over UDP and TCP on 3478 only.
    echo "no-tls"
    echo "no-dtls"
    # WebRTC relays UDP; TCP relay allocations (RFC 6062) would open TCP connections anywhere.
    echo "no-tcp-relay"
    echo "no-multicast-peers"
    echo "no-cli"
    echo "no-software-attribute"
    echo "no-rfc5780"
    echo "no-stun-backward-compatibility"
    echo "log-file=stdout"
    echo "simple-log"
    echo "pidfile=/tmp/turnserver.pid"
    for ip in "${DENIED_PEERS[@]}"; do echo "denied-peer-ip=$ip"; done
    # An address both denied and allowed is allowed (coturn's rule).
    for ip in "${allowed_ips[@]}"; do echo "allowed-peer-ip=$ip"; done
  } >"$CONF_DIR/turnserver.conf.new"
  mv "$CONF_DIR/turnserver.conf.new" "$CONF_DIR/turnserver.conf"
}

case ${1:-run} in
  run)
    render
    exec turnserver -c "$CONF_DIR/turnserver.conf"
    ;;
  render) render ;;
  *) exec "$@" ;;
esac
