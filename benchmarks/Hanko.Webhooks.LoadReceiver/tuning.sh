#!/usr/bin/env bash
# Paired single runs of the LoadReceiver with one setting changed at a time (BENCHMARKS.md, "Tuning").
# Run from the repository root after `dotnet build -c Release benchmarks/Hanko.Webhooks.LoadReceiver`.
# NAMES picks the variants; ROUNDS (default 2) how often each runs, alternating.
set -uo pipefail
KIT=${KIT:-../shared/bench/bench.sh}
DLL=benchmarks/Hanko.Webhooks.LoadReceiver/bin/Release/net10.0/Hanko.Webhooks.LoadReceiver.dll
declare -A V=(
  [tuned]=""
  [info-logging]="HANKO_RECEIVER_LOG_LEVEL=Information"
  [server-gc]="DOTNET_gcServer=1 DOTNET_gcConcurrent=1"
  [inline-sockets]="DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1"
  [conc-gc]="DOTNET_gcConcurrent=1"
  [no-replay-guard]="HANKO_RECEIVER_REPLAY_PROTECTION=false"
)
for round in $(seq 1 "${ROUNDS:-2}"); do
  for name in ${NAMES:-tuned info-logging server-gc inline-sockets}; do
    out=$(RECEIVER=cmd DURATION=${DURATION:-10} RECEIVER_CMD="${V[$name]} exec dotnet $DLL" bash "$KIT" 2>&1)
    rps=$(grep -m1 "throughput" <<<"$out" | awk '{print $2}')
    p99=$(grep -m1 "latency ms" <<<"$out" | sed 's/.*p99 \([0-9.]*\).*/\1/')
    cpu=$(grep -m1 "receiver CPU per request" <<<"$out" | sed 's/.*per request \([0-9]*\) µs.*/\1/')
    non=$(grep -m1 "non-2xx" <<<"$out" | awk '{print $2}')
    echo "round $round  $name  req/s $rps  p99 $p99 ms  cpu/req $cpu µs  non-2xx $non"
  done
done
