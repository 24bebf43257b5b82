#!/bin/sh
# SPDX-License-Identifier: MIT
# Runs the registrar and two ata-sim phones on loopback; passes when both phones report a completed call.
# usage: run_call.sh "EMULATOR" ATA_SIM CONFIG_DIR   (EMULATOR is empty on the host)
set -u
emu=$1
ata=$2
dir=$3
out=$(mktemp -d)
run_ms=${ATA_RUN_MS:-9000}
# The registrar runs until killed; the phones stop themselves after run_ms.
$emu "$ata" "$dir/registrar.conf" >"$out/registrar.log" 2>&1 &
reg=$!
sleep 1
sed "s/^expires = .*/expires = 300\nrun_ms = $run_ms\nexpect_calls = 1/" "$dir/bob.conf" >"$out/bob.conf"
sed "s/^expires = .*/expires = 300\nrun_ms = $run_ms\nexpect_calls = 1/" "$dir/alice.conf" >"$out/alice.conf"
$emu "$ata" "$out/bob.conf" >"$out/bob.log" 2>&1 &
bob=$!
sleep 0.5
$emu "$ata" "$out/alice.conf" >"$out/alice.log" 2>&1 &
alice=$!
wait $alice; rc_alice=$?
wait $bob; rc_bob=$?
kill -TERM $reg 2>/dev/null
wait $reg
echo "==== timeline (registrar, bob, alice; UTC) ===="
cat "$out/registrar.log" "$out/bob.log" "$out/alice.log" | grep -E '^[0-9]{2}:[0-9]{2}:' | sort -s -k1,1
for f in registrar bob alice; do
  sed -n '/^==== call report/,$p' "$out/$f.log"
  # Anything else the process printed (errors on stderr).
  grep -vE '^[0-9]{2}:[0-9]{2}:|^==== call report|^(registration|no calls|call [0-9]|completed calls)|^$' "$out/$f.log" | sed "s/^/$f: /"
done
rm -rf "$out"
if [ $rc_alice -ne 0 ] || [ $rc_bob -ne 0 ]; then
  echo "FAIL: alice exit $rc_alice, bob exit $rc_bob"
  exit 1
fi
echo "PASS: both phones completed their call"
