# Prints a C# file with comments, string literals and char literals blanked out (each replaced by a space), keeping
# line breaks, so that what is left is code only. Handles // and /* */ comments, "..." with escapes, @"..." verbatim
# ("" inside), raw """...""" literals (any number of quotes, single or multi-line), $ / $@ / @$ prefixes with
# interpolation holes (nested strings inside a hole are skipped correctly), and char literals.
# The code inside interpolation holes is blanked with its string (a nameof() in a hole is not counted as a reference).
BEGIN { RS = "\001"; }   # read the whole file as one record

# Index just past the char literal starting at i (s[i] == "'").
function char_end(s, i) {
  if (substr(s, i + 1, 1) == "\\") return i + 3 + index(substr(s, i + 3), "'")
  return i + 3
}

# Index just past the string literal whose prefix ($, @) or opening quote is at i. Counts line breaks in NL.
function str_end(s, i, n,    interp, verbatim, q, delim, rest, j, body, d, depth) {
  interp = 0; verbatim = 0
  while (substr(s, i, 1) == "@" || substr(s, i, 1) == "$") { if (substr(s, i, 1) == "@") verbatim = 1; else interp = 1; i++ }
  q = 0; while (substr(s, i + q, 1) == "\"") q++
  if (q >= 3) {                                   # raw literal: ends at the same run of quotes
    delim = substr(s, i, q); i += q
    rest = substr(s, i); j = index(rest, delim); if (j == 0) j = length(rest) + 1
    body = substr(rest, 1, j - 1); NL += gsub(/\n/, "\n", body)
    return i + j - 1 + q
  }
  if (q == 2 && !verbatim) return i + 2           # ""
  i++
  while (i <= n) {
    d = substr(s, i, 1)
    if (d == "\n") NL++
    if (!verbatim && d == "\\") { i += 2; continue }
    if (d == "\"") {
      if (verbatim && substr(s, i + 1, 1) == "\"") { i += 2; continue }
      return i + 1
    }
    if (interp && d == "{") {
      if (substr(s, i + 1, 1) == "{") { i += 2; continue }
      depth = 1; i++                              # a hole: code until the matching brace
      while (i <= n && depth > 0) {
        d = substr(s, i, 1)
        if (d == "\n") NL++
        if (d == "\"" || ((d == "$" || d == "@") && substr(s, i + 1, 2) ~ /^("|[$@]")/)) { i = str_end(s, i, n); continue }
        if (d == "'") { i = char_end(s, i); continue }
        if (d == "{") depth++
        else if (d == "}") depth--
        i++
      }
      continue
    }
    i++
  }
  return i
}

{
  s = $0; n = length(s); out = ""; i = 1
  while (i <= n) {
    c = substr(s, i, 1)
    if (c == "/" && substr(s, i + 1, 1) == "/") {            # line comment
      j = index(substr(s, i), "\n"); if (j == 0) { i = n + 1 } else { i = i + j - 1 }
      out = out " "; continue
    }
    if (c == "/" && substr(s, i + 1, 1) == "*") {            # block comment: keep its line breaks
      rest = substr(s, i + 2); j = index(rest, "*/"); if (j == 0) j = length(rest) + 1
      body = substr(rest, 1, j - 1); nl = gsub(/\n/, "\n", body)
      out = out " "; for (k = 0; k < nl; k++) out = out "\n"
      i = i + 2 + j + 1; continue
    }
    if (c == "\"" || ((c == "@" || c == "$") && substr(s, i + 1, 2) ~ /^("|[$@]")/)) {
      NL = 0; i = str_end(s, i, n)
      out = out " "; for (k = 0; k < NL; k++) out = out "\n"; continue
    }
    if (c == "'") { i = char_end(s, i); out = out " "; continue }
    out = out c; i++
  }
  printf "%s", out
}
