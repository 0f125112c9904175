#!/usr/bin/env bash
# Interleaved A/B of two LoadReceiver builds in durable mode (BENCHMARKS.md section 4): A B A B ... with durable-profile.sh.
# A and B: the two builds' Hanko.Webhooks.LoadReceiver.dll (the same one for two settings); ROUNDS (default 2), SECS (default 10);
# EXTRA_ENV applies to both, A_ENV and B_ENV to one each (e.g. B_ENV=HANKO_RECEIVER_CLEAR_STORE=1).
set -uo pipefail
here=$(dirname "$0")
: "${A:?set A to the first build's Hanko.Webhooks.LoadReceiver.dll}" "${B:?set B to the second build's}"
for r in $(seq 1 "${ROUNDS:-2}"); do
  for v in A B; do
    dll=$A; envs=${A_ENV:-}; [ "$v" = B ] && dll=$B && envs=${B_ENV:-}
    echo "== round $r $v $(uptime | sed 's/.*load/load/')"
    DLL=$dll SECS=${SECS:-10} EXTRA_ENV="${EXTRA_ENV:-} $envs" bash "$here/durable-profile.sh" 2>&1 | grep -E 'backlog|accepted|cpu/dlv|OUT='
  done
done
