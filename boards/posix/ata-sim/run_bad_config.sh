#!/bin/sh
# SPDX-License-Identifier: MIT
# ata-sim refuses bad configuration with exit status 2 and names the problem.
# usage: run_bad_config.sh "EMULATOR" ATA_SIM CONFIG_DIR
set -u
emu=$1
ata=$2
tmp=$(mktemp -d)
fail=0
check() { # name, config text, expected message part
  printf '%s\n' "$2" >"$tmp/c.conf"
  msg=$($emu "$ata" "$tmp/c.conf" 2>&1); rc=$?
  case "$msg" in *"$3"*) ;; *) echo "FAIL $1: message '$msg' lacks '$3'"; fail=1 ;; esac
  [ $rc -eq 2 ] || { echo "FAIL $1: exit $rc, expected 2"; fail=1; }
}
check unknown_key "colour = red" "unknown key 'colour'"
check no_equals "aor sip:a@b" "expected 'key = value'"
check bad_number "udp_port = five" "is not a number"
check no_registrar "aor = sip:a@demo.test" "needs aor and registrar"
check bad_registrar "aor = sip:a@demo.test
registrar = sip:registrar.example.com" "IP-address host"
check bad_aor "aor = mailto:a@demo.test
registrar = sip:127.0.0.1:5060" "not a sip: or sips: URI"
check bad_bind "bind = not-an-ip
registrar_role = demo.test" "not an IPv4 or IPv6 address"
$emu "$ata" "$tmp/missing.conf" >/dev/null 2>&1; [ $? -eq 2 ] || { echo "FAIL missing config"; fail=1; }
rm -rf "$tmp"
[ $fail -eq 0 ] && echo "PASS"
exit $fail
