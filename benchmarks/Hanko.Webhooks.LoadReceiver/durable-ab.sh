#!/usr/bin/env bash
# Interleaved A/B of two LoadReceiver builds in durable mode (BENCHMARKS.md section 4): A B A B ... with durable-profile.sh.
# A and B: the two builds' Hanko.Webhooks.LoadReceiver.dll; ROUNDS (default 2), SECS (default 10); EXTRA_ENV applies to both.
set -uo pipefail
here=$(dirname "$0")
: "${A:?set A to the first build's Hanko.Webhooks.LoadReceiver.dll}" "${B:?set B to the second build's}"
for r in $(seq 1 "${ROUNDS:-2}"); do
  for v in A B; do
    dll=$A; [ "$v" = B ] && dll=$B
    echo "== round $r $v $(uptime | sed 's/.*load/load/')"
    DLL=$dll SECS=${SECS:-10} bash "$here/durable-profile.sh" 2>&1 | grep -E 'backlog|accepted|cpu/dlv|OUT='
  done
done
