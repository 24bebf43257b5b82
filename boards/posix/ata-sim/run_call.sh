#!/bin/sh
# SPDX-License-Identifier: MIT
# Runs the registrar and two ata-sim phones on loopback; passes when both phones report a completed call
# and each heard the other's tone (alice sends 1000 Hz, bob 600 Hz). The received audio is written as
# WAV to $ATA_WAV_DIR (kept) or to the run's temporary folder (removed).
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
wav_dir=${ATA_WAV_DIR:-$out}
mkdir -p "$wav_dir"
echo "record_wav = $wav_dir/bob-received.wav" >>"$out/bob.conf"
echo "record_wav = $wav_dir/alice-received.wav" >>"$out/alice.conf"
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
  grep -vE '^[0-9]{2}:[0-9]{2}:|^==== call report|^(registration|no calls|call [0-9]|completed calls|received audio)|^$' "$out/$f.log" | sed "s/^/$f: /"
done
# The tone each phone detected in what it received: within 3 % of what the other sent, with sound
# in at least 50 frames (1 s).
heard() { # log, expected Hz
  sed -n 's/^call 1 audio: .*received [0-9]* (\([0-9]*\) with sound).* tone \([0-9]*\) Hz$/\1 \2/p' "$1" |
    awk -v want="$2" '{ if ($1 >= 50 && $2 >= want * 0.97 && $2 <= want * 1.03) ok = 1 } END { exit ok ? 0 : 1 }'
}
audio_ok=1
heard "$out/alice.log" 600 || { echo "FAIL: alice did not hear bob's 600 Hz tone"; audio_ok=0; }
heard "$out/bob.log" 1000 || { echo "FAIL: bob did not hear alice's 1000 Hz tone"; audio_ok=0; }
rm -rf "$out"
if [ $rc_alice -ne 0 ] || [ $rc_bob -ne 0 ] || [ $audio_ok -ne 1 ]; then
  echo "FAIL: alice exit $rc_alice, bob exit $rc_bob, audio both ways $audio_ok"
  exit 1
fi
echo "PASS: both phones completed their call and heard each other's tone"
