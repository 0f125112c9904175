#!/usr/bin/env bash
# Measures the shape of the SDK in the repository this script lives in (or the one given as $1): public API lines,
# public types, user-settable knobs, source file sizes, and the dependencies between the core's folders.
# Bash, awk, grep, sort only; no build. Run it the same way before and after a change and diff the outputs:
#   tools/measure-shape.sh > before.txt
#
# Methods (each section repeats the one it uses):
# - API lines: non-empty lines of src/<package>/PublicAPI.Shipped.txt + PublicAPI.Unshipped.txt that are not
#   comments or the "#nullable enable" header (what the PublicAPI analyzer tracks, one line per public symbol).
# - Public types: lines of those files that declare a type (no "(", "->" or "=" and no ".get"/".set" accessor).
#   Cross-check: "public" type declarations in the package's .cs files (code only, comments and strings blanked).
#   (b) counts each part of a partial type and public types nested in internal ones, so it may exceed (a).
# - Knobs: "Type.Property.set -> void" / ".init -> void" lines of PublicAPI files where Type ends in "Options"
#   (properties a user can set on an options class). Collection-valued get-only properties on options classes
#   (filled with Add) are listed separately.
# - Files: src/**/*.cs outside bin/ and obj/, physical lines (wc -l).
# - Folder dependencies of the core: see the comment above section 5.
set -euo pipefail

root="${1:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}"
cd "$root"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
strip="$here/strip-cs.awk"
core="src/Hanko.Webhooks"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

packages=()
for d in src/*/; do
  d="${d%/}"
  ls "$d"/*.csproj >/dev/null 2>&1 && packages+=("$(basename "$d")")
done

api_lines() { cat "$@" 2>/dev/null | grep -v '^[[:space:]]*$' | grep -v '^#' | grep -v '^//' || true; }

echo "# Shape of $(basename "$root") at $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo '?') ($(git -C "$root" rev-parse --abbrev-ref HEAD 2>/dev/null || echo '?'))"
echo

echo "## 1. Public API lines (non-comment lines of PublicAPI.Shipped.txt + PublicAPI.Unshipped.txt)"
total=0
for p in "${packages[@]}"; do
  n=$(api_lines src/"$p"/PublicAPI.*.txt | wc -l)
  total=$((total + n))
  printf '%-34s %5d\n' "$p" "$n"
done
printf '%-34s %5d\n' "all packages" "$total"
if [ -d "$core/Subscriptions" ]; then
  # API lines that name a type declared in the core's Subscriptions folder (the Admin API manager).
  # The manager is the Subscriptions folder plus the DI extensions that register it (files named *Subscription*).
  names=$(cat "$core"/Subscriptions/*.cs $(find "$core" -name '*Subscription*.cs' -not -path "$core/Subscriptions/*" -not -path '*/obj/*') | awk -f "$strip" | grep -oE '\b(class|struct|interface|enum|record|delegate)[[:space:]]+(struct[[:space:]]+|class[[:space:]]+)?[A-Z][A-Za-z0-9_]*' \
    | awk '{print $NF}' | sort -u | paste -sd'|' -)
  sub_n=$(api_lines "$core"/PublicAPI.*.txt | grep -cE "(^|[^A-Za-z0-9_])($names)([^A-Za-z0-9_]|$)" || true)
  printf '%-34s %5d  (lines naming a type declared in %s/Subscriptions or a *Subscription*.cs file)\n' "  of which Admin API manager" "$sub_n" "$core"
  printf '%-34s %5d\n' "  core without it" "$(( $(api_lines "$core"/PublicAPI.*.txt | wc -l) - sub_n ))"
fi
echo

echo "## 2. Public types per package"
echo "(a) type lines in PublicAPI files; (b) 'public' type declarations in the package's .cs files (nested included)"
for p in "${packages[@]}"; do
  a=$(api_lines src/"$p"/PublicAPI.*.txt | sed -E 's/^((abstract|sealed|static|virtual|override|readonly|const) )+//' \
      | grep -vE '\(|->|=|\.(get|set|init)$' | wc -l)
  b=$(find src/"$p" -name '*.cs' -not -path '*/obj/*' -not -path '*/bin/*' -print0 | xargs -0 cat | awk -f "$strip" \
      | grep -cE '(^|[[:space:]])public[[:space:]]+([a-z]+[[:space:]]+)*(class|struct|interface|enum|record|delegate)[[:space:]]' || true)
  printf '%-34s (a) %4d   (b) %4d\n' "$p" "$a" "$b"
done
echo

echo "## 3. Knobs: settable properties of public *Options classes (PublicAPI '.set'/'.init' lines)"
ktotal=0
for p in "${packages[@]}"; do
  lines=$(api_lines src/"$p"/PublicAPI.*.txt | sed -E 's/^((abstract|sealed|static|virtual|override) )+//' \
      | grep -E '^[A-Za-z0-9_.]*Options\.[A-Za-z0-9_]+\.(set|init) -> void' || true)
  n=$(printf '%s' "$lines" | grep -c . || true)
  ktotal=$((ktotal + n))
  printf '%-34s %4d\n' "$p" "$n"
  printf '%s\n' "$lines" | grep . | sed -E 's/\.(set|init) -> void$//' | awk -F. '{c[$(NF-1)] = c[$(NF-1)] " " $NF; k[$(NF-1)]++}
      END {for (t in c) printf "    %-30s %2d:%s\n", t, k[t], c[t]}' | sort || true
  coll=$(api_lines src/"$p"/PublicAPI.*.txt | grep -E '^[A-Za-z0-9_.]*Options\.[A-Za-z0-9_]+\.get -> System\.Collections\.Generic\.I(Collection|List|Set|Dictionary)' \
      | sed -E 's/\.get -> .*//' | awk -F. '{print $(NF-1) "." $NF}' | paste -sd' ' - || true)
  [ -n "$coll" ] && echo "    + collections filled with Add: $coll"
done
printf '%-34s %4d\n' "all packages" "$ktotal"
echo

echo "## 4. Source files (src/**/*.cs, physical lines)"
printf '%-34s %6s %7s %6s %6s %s\n' package files lines mean max ">400"
allf=0; alll=0
for p in "${packages[@]}" ; do
  find src/"$p" -name '*.cs' -not -path '*/obj/*' -not -path '*/bin/*' -print0 | xargs -0 wc -l | grep -v ' total$' > "$tmp/wc" || true
  awk -v p="$p" '{n++; s += $1; if ($1 > m) m = $1; if ($1 > 400) o++}
      END {printf "%-34s %6d %7d %6.1f %6d %4d\n", p, n, s, (n ? s / n : 0), m, o}' "$tmp/wc"
  allf=$((allf + $(wc -l < "$tmp/wc"))); alll=$((alll + $(awk '{s += $1} END {print s + 0}' "$tmp/wc")))
done
find src -name '*.cs' -not -path '*/obj/*' -not -path '*/bin/*' -print0 | xargs -0 wc -l | grep -v ' total$' | sort -rn > "$tmp/wcall"
awk '{n++; s += $1; if ($1 > m) m = $1; if ($1 > 400) o++}
    END {printf "%-34s %6d %7d %6.1f %6d %4d\n", "all src", n, s, s / n, m, o}' "$tmp/wcall"
echo "files over 400 lines (lines, types declared):"
awk '$1 > 400 {print $1, $2}' "$tmp/wcall" | while read -r n f; do
  t=$(awk -f "$strip" "$f" | grep -cE '(^|[[:space:]])(class|struct|interface|enum|record|delegate)[[:space:]]+[A-Z]' || true)
  printf '    %5d  %2d types  %s\n' "$n" "$t" "$f"
done
echo "largest 5:"; head -5 "$tmp/wcall" | awk '{printf "    %5d  %s\n", $1, $2}'
if [ -d "$core/Subscriptions" ]; then
  find "$core/Subscriptions" -name '*.cs' -print0 | xargs -0 wc -l | grep -v ' total$' \
    | awk '{n++; s += $1} END {printf "core Subscriptions folder (Admin API manager): %d files, %d lines\n", n, s}'
fi
echo

# ## 5. Folder dependencies of the core.
# Method: every .cs file under src/Hanko.Webhooks belongs to its first-level folder (files directly in the project
# folder form "(root)"). Comments, strings and char literals are blanked (strip-cs.awk), so doc crefs and nameof in
# strings do not count. A folder DECLARES the names of the types declared in it (class/struct/interface/enum/record/
# delegate, nested ones included, private nested ones excluded as no other folder can name them). Folder F REFERENCES folder G when code in F uses, as a whole identifier, a type
# name declared in G and not in F (most core types share the namespace Hanko.Webhooks, so "using" alone would miss
# them). Member accesses (an identifier right after ".") are ignored, except after a namespace prefix
# Hanko.Webhooks[.X]. which is removed first, so "Hanko.Webhooks.Internal.Log" counts as Log. Extension methods
# declared in a folder whose names start with Add/Map/Use or contain "Hanko" are names too ("AddHankoWebhooks()"),
# referenced by ".Name(" (other extension names, e.g. a TryGetValue shim, would collide with BCL members). A "using
# Hanko.Webhooks.G;" with no referenced type of G is reported but is not an edge. Limits: a local or member whose name
# equals a type name of another folder counts as a reference (core type names are Hanko-prefixed or distinctive, so
# this is rare); extension methods are attributed through their static class only when it is named.
echo "## 5. Core folder dependencies ($core, first-level folders; method in the script's comment)"
find "$core" -name '*.cs' -not -path '*/obj/*' -not -path '*/bin/*' | sort > "$tmp/files"
folder_of() { local rel="${1#"$core"/}"; case "$rel" in */*) echo "${rel%%/*}" ;; *) echo "(root)" ;; esac; }
: > "$tmp/decl"; : > "$tmp/refs"; : > "$tmp/usings"
nsfolders=$(find "$core" -mindepth 1 -maxdepth 1 -type d -not -name obj -not -name bin -printf '%f\n' | paste -sd'|' -)
while read -r f; do
  F=$(folder_of "$f")
  awk -f "$strip" "$f" > "$tmp/code"
  grep -E '(^|[^A-Za-z0-9_])(class|struct|interface|enum|record)[[:space:]]+[A-Za-z_]' "$tmp/code" | grep -vE '(^|[[:space:]])private[[:space:]]' \
    | grep -oE '\b(class|struct|interface|enum|record)[[:space:]]+(struct[[:space:]]+|class[[:space:]]+)?[A-Za-z_][A-Za-z0-9_]*' \
    | awk -v F="$F" '{print F "\t" $NF}' >> "$tmp/decl" || true
  grep -oE '\bdelegate[[:space:]]+[^;(]*[[:space:]][A-Za-z_][A-Za-z0-9_]*[[:space:]]*[(<]' "$tmp/code" \
    | sed -E 's/[[:space:]]*[(<]$//' | awk -v F="$F" '{print F "\t" $NF}' >> "$tmp/decl" || true
  grep -oE 'static [^(=;]*[[:space:]][A-Za-z_][A-Za-z0-9_]*(<[^>]*>)?\(this[[:space:]]' "$tmp/code" \
    | sed -E 's/\(this[[:space:]]$//; s/<[^>]*>$//' | awk '{print $NF}' | grep -E '^(Add|Map|Use)|Hanko' \
    | awk -v F="$F" '{print F "\t" $1 "()"}' >> "$tmp/decl" || true
  grep -oE '^[[:space:]]*(global[[:space:]]+)?using[[:space:]]+(static[[:space:]]+)?Hanko\.Webhooks\.[A-Za-z]+' "$tmp/code" \
    | sed -E 's/.*Hanko\.Webhooks\.//' | awk -v F="$F" -v f="$f" '{print F "\t" $1 "\t" f}' >> "$tmp/usings" || true
  grep -vE '^[[:space:]]*((global[[:space:]]+)?using[[:space:]]+(static[[:space:]]+)?|namespace[[:space:]]+)[A-Za-z_][A-Za-z0-9_.]*[[:space:]]*;' "$tmp/code" \
    | sed -E "s/(global::)?Hanko\.Webhooks\.(($nsfolders)\.)?//g" \
    | grep -oE '(^|[^.A-Za-z0-9_])[A-Za-z_][A-Za-z0-9_]*' | sed -E 's/^[^A-Za-z_]//' \
    | awk -v F="$F" -v f="${f#"$core"/}" '{print F "\t" $1 "\t" f}' >> "$tmp/refs" || true
  grep -oE '\.[A-Za-z_][A-Za-z0-9_]*[[:space:]]*[(<]' "$tmp/code" | sed -E 's/^\.//; s/[[:space:]]*[(<]$//' \
    | awk -v F="$F" -v f="${f#"$core"/}" '{print F "\t" $1 "()\t" f}' >> "$tmp/refs" || true
done < "$tmp/files"
sort -u "$tmp/decl" -o "$tmp/decl"
# edges: F -> G with the distinct type names and files that make them
awk -F'\t' 'FNR == NR {decl[$2] = decl[$2] " " $1; own[$1 "\t" $2] = 1; next}
  ($2 in decl) && !(($1 "\t" $2) in own) {
    n = split(decl[$2], gs, " ")
    for (k = 1; k <= n; k++) if (gs[k] != $1) print $1 "\t" gs[k] "\t" $2 "\t" $3
  }' "$tmp/decl" "$tmp/refs" | sort -u > "$tmp/edgesraw"
awk -F'\t' '{k = $1 "\t" $2; if (!((k "\t" $3) in seen)) {seen[k "\t" $3] = 1; nn[k]++; names[k] = names[k] (nn[k] <= 4 ? " " $3 : "")}
  if (!((k "\t" $4) in sf)) {sf[k "\t" $4] = 1; nf[k]++}}
  END {for (k in nn) {printf "%s\t%d\t%d\t%s%s\n", k, nn[k], nf[k], names[k], (nn[k] > 4 ? " ..." : "")}}' "$tmp/edgesraw" | sort > "$tmp/edges"
cut -f1 "$tmp/decl" | sort -u > "$tmp/nodes"
echo "folders: $(wc -l < "$tmp/nodes") ($(paste -sd' ' "$tmp/nodes"))"
echo "edges (from -> to: type names used, files using them, first names):"
awk -F'\t' '{printf "    %-20s -> %-20s %3d names %3d files  %s\n", $1, $2, $3, $4, $5}' "$tmp/edges"
printf 'edges: %d\n' "$(wc -l < "$tmp/edges")"
echo "out-degree per folder (folders it references):"
awk -F'\t' 'FNR == NR {o[$1] = 0; i[$1] = 0; next} {o[$1]++; l[$1] = l[$1] " " $2; i[$2]++}
  END {for (n in o) printf "    %-20s out %2d  in %2d  ->%s\n", n, o[n], i[n], l[n]}' "$tmp/nodes" "$tmp/edges" | sort
echo "two-way pairs:"
awk -F'\t' '{e[$1 "\t" $2] = $3} END {for (k in e) {split(k, a, "\t"); if (a[1] < a[2] && ((a[2] "\t" a[1]) in e)) printf "    %s <-> %s   (%d / %d names)\n", a[1], a[2], e[k], e[a[2] "\t" a[1]]}}' "$tmp/edges" | sort > "$tmp/pairs"
cat "$tmp/pairs"; echo "two-way pairs: $(grep -c . "$tmp/pairs" || true)"
echo "cycles (strongly connected components with more than one folder, by transitive closure):"
awk -F'\t' 'FNR == NR {id[$1] = ++n; name[n] = $1; next} {r[id[$1], id[$2]] = 1}
  END {
    for (k = 1; k <= n; k++) for (i = 1; i <= n; i++) if (r[i, k]) for (j = 1; j <= n; j++) if (r[k, j]) r[i, j] = 1
    c = 0
    for (i = 1; i <= n; i++) { if (done[i]) continue; s = name[i]; m = 1; done[i] = 1
      for (j = i + 1; j <= n; j++) if (!done[j] && r[i, j] && r[j, i]) { s = s ", " name[j]; m++; done[j] = 1 }
      if (m > 1) { c++; printf "    %d folders: %s\n", m, s } }
    printf "components with a cycle: %d\n", c
  }' "$tmp/nodes" "$tmp/edges"
echo "using Hanko.Webhooks.X with no type of X referenced in that file (not counted as edges):"
unused=0
while IFS=$'\t' read -r F G f; do
  rel="${f#"$core"/}"
  [ "$F" = "$G" ] && continue
  if ! awk -F'\t' -v G="$G" -v f="$rel" '$4 == f && $2 == G {found = 1} END {exit !found}' "$tmp/edgesraw"; then
    echo "    $rel: using Hanko.Webhooks.$G"; unused=$((unused + 1))
  fi
done < "$tmp/usings"
[ "$unused" -eq 0 ] && echo "    (none)"
true
