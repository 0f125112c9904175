#!/usr/bin/env bash
# Brings a package's PublicAPI.Unshipped.txt in line with its compiled public surface, from the PublicApiAnalyzers'
# diagnostics: RS0016 (a public symbol not declared) is added, RS0017 (declared, no longer public) is removed, RS0036/RS0037
# (nullability of a declared symbol) is re-declared. Review the diff: every line is a public API decision.
# Usage: tools/sync-public-api.sh src/Hanko.Webhooks
set -euo pipefail
project_dir="$1"
csproj=$(ls "$project_dir"/*.csproj)
api="$project_dir/PublicAPI.Unshipped.txt"
log=$(mktemp)
dotnet build "$csproj" -v q -f net10.0 --no-incremental 2>&1 >"$log" || true
python3 - "$log" "$api" <<'PY'
import re, sys
log, api = sys.argv[1], sys.argv[2]
text = open(log, encoding="utf-8").read()
add, remove = set(), set()
for code, sym in re.findall(r"error (RS00(?:16|17|36|37)): Symbol '((?:[^']|'(?! ))*)'", text):
    if code == "RS0017":
        remove.add(sym)
    else:
        add.add(sym)
lines = open(api, encoding="utf-8").read().splitlines()
header = [l for l in lines if l.startswith("#")]
body = [l for l in lines if l and not l.startswith("#")]
def bare(s):  # a symbol without nullability marks, to replace the old form of an RS0036 line
    return s.replace("!", "").replace("?", "").replace("~", "")
add_bare = {bare(a) for a in add}
body = [l for l in body if l not in remove and bare(l) not in add_bare]
body = sorted(set(body) | add, key=lambda l: l.lstrip("~"))
open(api, "w", encoding="utf-8").write("\n".join(header + body) + "\n")
print(f"{api}: +{len(add)} -{len(remove)} -> {len(body)} lines")
PY
rm -f "$log"
