#!/usr/bin/env bash
# One durable run of the LoadReceiver outside the kit (BENCHMARKS.md section 4): its own redis-server (AOF everysec), the
# kit's JWKS server, wrk -t2 -c32 (8 s warm-up, then SECS of load); prints accepted/s, the backlog when the load stopped,
# the drain, completed/s and CPU per delivery (receiver, redis-server). PERF=1 records the receiver with perf; EXTRA_ENV
# is added to its environment (e.g. HANKO_RECEIVER_CONCURRENCY=64). Run from the repository root.
set -uo pipefail
KIT=${KIT:-${TMPDIR:-/tmp}/hanko-bench-kit/bench}   # the kit's scratch copy (made by any bench.sh run, or BENCH_PREPARE_ONLY=1 bash ../shared/bench/bench.sh)
OUT=${OUT:-/tmp/prof-$(date +%H%M%S)}; mkdir -p $OUT
RP=${RP:-16450}
DLL=$(realpath "${DLL:-benchmarks/Hanko.Webhooks.LoadReceiver/bin/Release/net10.0/Hanko.Webhooks.LoadReceiver.dll}")
SECS=${SECS:-15}
rm -rf $OUT/redis; mkdir -p $OUT/redis
for i in $(seq 1 50); do (echo > /dev/tcp/127.0.0.1/13000) 2>/dev/null || (echo > /dev/tcp/127.0.0.1/18000) 2>/dev/null || break; sleep 0.2; done
redis-server --port $RP --bind 127.0.0.1 --dir $OUT/redis --save '' --appendonly yes --appendfsync everysec --maxmemory-policy noeviction >$OUT/redis.log 2>&1 &
RPID=$!
(cd $KIT && node emitter.mjs serve --port 18000 --duration $((SECS*3+60)) --quiet >$OUT/jwks.log 2>&1) &
JPID=$!
sleep 1
(cd $KIT && node emitter.mjs body --event email.send --key 1 --ttl 900 >$OUT/body.json)
# With PERF=1 the JIT writes plain (not W^X double-mapped) code, so that perf names the managed frames from the perf map.
WXE=; [ "${PERF:-0}" = 1 ] && WXE=DOTNET_EnableWriteXorExecute=0
env PORT=13000 JWKS_URL=http://127.0.0.1:18000/.well-known/jwks.json HANKO_RECEIVER_DURABLE=127.0.0.1:$RP DOTNET_PerfMapEnabled=${PERFMAP:-1} $WXE ${EXTRA_ENV:-} dotnet $DLL >$OUT/receiver.log 2>&1 &
RCV=$!
for i in $(seq 1 100); do curl -s -o /dev/null http://127.0.0.1:13000/ 2>/dev/null && break; (echo > /dev/tcp/127.0.0.1/13000) 2>/dev/null && break; sleep 0.2; done
curl -s -o /dev/null -w 'sanity %{http_code}\n' -X POST -H 'Content-Type: application/json' --data-binary @$OUT/body.json http://127.0.0.1:13000/webhook
SK=$(redis-cli -p $RP --scan --pattern '*stream' | grep -v dead | head -1); echo stream $SK
cd $KIT
BODY_FILE=$OUT/body.json wrk -t2 -c32 -d8s --timeout 5s -s wrk-post.lua http://127.0.0.1:13000/webhook >$OUT/warm.out 2>&1
# wait for drain
for i in $(seq 1 100); do l=$(redis-cli -p $RP xlen $SK); [ "$l" = 0 ] && break; sleep 0.2; done
cpu() { awk '{print $14+$15}' /proc/$1/stat; }
redis-cli -p $RP config resetstat >/dev/null; r0=$(cpu $RCV); s0=$(cpu $RPID); t0=$(date +%s.%N)
added0=$(redis-cli -p $RP eval "local i=redis.call('xinfo','stream',KEYS[1]) for j=1,#i,2 do if i[j]=='entries-added' then return i[j+1] end end" 1 $SK)
PP=; if [ "${PERF:-0}" = 1 ]; then perf record -F 499 -g -p $RCV -o $OUT/perf.data -- sleep $((SECS-3)) >$OUT/perf.log 2>&1 & PP=$!; fi
BODY_FILE=$OUT/body.json wrk -t2 -c32 -d${SECS}s --timeout 5s -s wrk-post.lua http://127.0.0.1:13000/webhook >$OUT/load.out 2>&1
tl=$(date +%s.%N); rl=$(cpu $RCV); sl=$(cpu $RPID)
bl=$(redis-cli -p $RP xlen $SK); redis-cli -p $RP info commandstats > $OUT/cs-load.txt; redis-cli -p $RP config resetstat >/dev/null
for i in $(seq 1 300); do l=$(redis-cli -p $RP xlen $SK); [ "$l" = 0 ] && break; sleep 0.1; done
t1=$(date +%s.%N); r1=$(cpu $RCV); s1=$(cpu $RPID)
redis-cli -p $RP info commandstats > $OUT/cs-drain.txt
added1=$(redis-cli -p $RP eval "local i=redis.call('xinfo','stream',KEYS[1]) for j=1,#i,2 do if i[j]=='entries-added' then return i[j+1] end end" 1 $SK)
n=$((added1-added0))
[ -n "$PP" ] && wait $PP
python3 - <<PY
n=$n; t0=$t0; tl=$tl; t1=$t1
r=($r1-$r0)*10000; s=($s1-$s0)*10000  # ticks (100/s) -> us
rl=($rl-$r0)*10000; sl=($sl-$s0)*10000
print(f"backlog at load end {$bl} = {$bl/n*100:.0f}% of accepted; drain rate {$bl/max(t1-tl,0.01):.0f}/s; under load processed/accepted {(n-$bl)/n*100:.0f}%")
print(f"accepted {n} in load {tl-t0:.2f}s = {n/(tl-t0):.0f}/s; drain {t1-tl:.2f}s; completed/s {n/(t1-t0):.0f}")
print(f"cpu/dlv receiver {r/n:.0f} us, redis {s/n:.0f} us; during load rcv {rl/(tl-t0)/1e4:.0f}% redis {sl/(tl-t0)/1e4:.0f}%; drain rcv {(r-rl)/max(t1-tl,0.01)/1e4:.0f}% redis {(s-sl)/max(t1-tl,0.01)/1e4:.0f}%")
PY
grep WRK_JSON $OUT/load.out | cut -c1-200
kill $RCV; wait $RCV 2>/dev/null; kill $RPID $JPID 2>/dev/null; wait $RPID 2>/dev/null; wait $JPID 2>/dev/null
echo OUT=$OUT
