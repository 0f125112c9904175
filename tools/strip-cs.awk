# Prints a C# file with comments, string literals and char literals blanked out (each replaced by a space), keeping
# line breaks, so that what is left is code only. Handles // and /* */ comments, "..." with escapes, @"..." verbatim
# ("" inside), raw """...""" literals (any number of quotes, single or multi-line), $ / $@ / @$ prefixes, and 'c'.
# Interpolation holes are blanked with their string (a nameof() inside a hole is not counted as a reference).
BEGIN { RS = "\001"; }   # read the whole file as one record
{
  s = $0; n = length(s); out = ""; i = 1; state = 0
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
    if (c == "\"" || ((c == "@" || c == "$") && (substr(s, i + 1, 1) == "\"" || (substr(s, i + 1, 1) ~ /[@$]/ && substr(s, i + 2, 1) == "\"")))) {
      verbatim = 0
      while (substr(s, i, 1) == "@" || substr(s, i, 1) == "$") { if (substr(s, i, 1) == "@") verbatim = 1; i++ }
      q = 0; while (substr(s, i + q, 1) == "\"") q++
      nl = 0
      if (q >= 3) {                                           # raw string literal: ends at the same run of quotes
        i += q; delim = substr(s, i - q, q)
        rest = substr(s, i); j = index(rest, delim); if (j == 0) j = length(rest) + 1
        body = substr(rest, 1, j - 1); nl = gsub(/\n/, "\n", body); i = i + j - 1 + q
      } else if (q == 2 && !verbatim) {                       # empty string ""
        i += 2
      } else {
        i++
        while (i <= n) {
          d = substr(s, i, 1)
          if (d == "\n") nl++
          if (!verbatim && d == "\\") { i += 2; continue }
          if (d == "\"") {
            if (verbatim && substr(s, i + 1, 1) == "\"") { i += 2; continue }
            i++; break
          }
          i++
        }
      }
      out = out " "; for (k = 0; k < nl; k++) out = out "\n"; continue
    }
    if (c == "'") {                                           # char literal
      if (substr(s, i + 1, 1) == "\\") { j = index(substr(s, i + 2), "'"); i = i + 2 + j } else { i = i + 3 }
      out = out " "; continue
    }
    out = out c; i++
  }
  printf "%s", out
}
