#!/usr/bin/env bash
#
# check_layering.sh - the tree's dependency rules, checked from the sources.
#
# Usage: check_layering.sh [SOURCE_DIR]   (default: the repository holding
# this script). Prints one line per violation and exits 1 when there is any;
# bash, grep, awk and sort only, so it runs before anything is built.
#
# The rules (design: shim -> policy -> lib, one static library per folder):
#   1. A file under lib/ never includes a header that lives in policy/ or
#      shim/; a file in policy/ never includes one from shim/.
#   2. A folder library includes headers of its own folder and of the
#      folder libraries it links, directly or not. The graph is read from
#      the pg_folder_library(NAME DIR DEPS...) lines of CMakeLists.txt
#      (one line each); today that is
#        core <- version <- {npm, pypi} <- eco;  crypto, names on core;
#        eco on crypto;  policy on eco and names.
#      Extra include directories (the FIXME in CMakeLists.txt) grant nothing.
#   3. shim/'s root is pkggate-shim, libc only: <...> includes must be libc
#      or POSIX headers, "..." includes must be shim/ root headers or one of
#      SHIM_CORE_OK below (the lib/core pieces pg_front compiles against).
#   4. No include circle: no cycle in the graph whose edges are
#        header -> header it includes, and
#        A.c -> B.c when A.c uses a function or variable that B.c defines
#      (the second kind is what "A includes B.h and B includes A.h" means
#      once a pair shares one _int.h: two files that need each other are one
#      module in two files; see docs/style.md).
#   5. No .c or .h file in lib/, policy/, shim/, tests/, bench/, data/ is
#      over MAX_LINES lines.
set -u
export LC_ALL=C

ROOT=${1:-$(cd "$(dirname "$0")/../.." && pwd)}
MAX_LINES=600
SHIM_CORE_OK="pg_tools.def pg_tool.h banned.h"

cd "$ROOT" || { echo "check_layering: no source tree at '$ROOT'" >&2; exit 2; }
[ -f CMakeLists.txt ] || { echo "check_layering: '$ROOT' has no CMakeLists.txt" >&2; exit 2; }

tmp=$(mktemp -d) || exit 2
# CHECK_LAYERING_KEEP=1 keeps the work files (symbols, edges) for a look.
[ -n "${CHECK_LAYERING_KEEP:-}" ] && echo "check_layering: work files in $tmp" >&2
[ -n "${CHECK_LAYERING_KEEP:-}" ] || trap 'rm -rf "$tmp"' EXIT

# The checked sources; paths relative to ROOT, sorted for stable output.
find lib policy shim -type f \( -name '*.c' -o -name '*.h' -o -name '*.def' \) | sort >"$tmp/files"

# Folder libraries: "name dir dep dep ..." from CMakeLists.txt.
grep -E '^[[:space:]]*pg_folder_library\(' CMakeLists.txt |
    sed -E 's/^[[:space:]]*pg_folder_library\(//; s/\).*//' >"$tmp/folders"
if [ ! -s "$tmp/folders" ]; then
    echo "check_layering: no pg_folder_library(...) lines in CMakeLists.txt" >&2
    exit 2
fi

# Every quoted and angled include: "file<TAB>line<TAB>q|a<TAB>name".
while read -r f; do
    awk -v f="$f" '
        /^[ \t]*#[ \t]*include[ \t]*"/ {
            s = $0; sub(/^[^"]*"/, "", s); sub(/".*/, "", s)
            print f "\t" FNR "\tq\t" s
        }
        /^[ \t]*#[ \t]*include[ \t]*</ {
            s = $0; sub(/^[^<]*</, "", s); sub(/>.*/, "", s)
            print f "\t" FNR "\ta\t" s
        }' "$f"
done <"$tmp/files" >"$tmp/includes"

: >"$tmp/edges"
# Rules 1-3 and the header half of rule 4's graph.
awk -v shim_core_ok="$SHIM_CORE_OK" -v edges="$tmp/edges" -F '\t' '
    function dirof(p) { sub(/\/[^\/]*$/, "", p); return p }
    function baseof(p) { sub(/^.*\//, "", p); return p }
    function closure(d, seen,   k, n, parts, i) {
        # Folders reachable from folder d through the linked folder libraries.
        n = split(deps[d], parts, " ")
        for (i = 1; i <= n; i++) {
            if (!(parts[i] in libdir)) continue   # not a folder library
            k = libdir[parts[i]]
            if (k in seen) continue
            seen[k] = 1
            closure(k, seen)
        }
    }
    function allowed_list(d,   k, s) {
        s = ""
        for (k in allow) if (index(k, d SUBSEP) == 1) s = s " " substr(k, length(d) + 2)
        return s
    }
    FILENAME == ARGV[1] {       # folders: name dir deps...
        n = split($0, w, /[ \t]+/)
        libdir[w[1]] = w[2]
        folder[w[2]] = w[1]
        d = ""
        for (i = 3; i <= n; i++) d = d " " w[i]
        deps[w[2]] = d
        next
    }
    FILENAME == ARGV[2] {       # files
        file[$0] = 1
        b = baseof($0)
        where[b] = (b in where) ? where[b] " " $0 : $0
        next
    }
    FNR == 1 && !built {
        built = 1
        for (d in folder) {
            split("", seen)
            closure(d, seen)
            allow[d, d] = 1
            for (k in seen) allow[d, k] = 1
        }
        n = split(shim_core_ok, w, " ")
        for (i = 1; i <= n; i++) coreok["lib/core/" w[i]] = 1
        split("assert.h complex.h ctype.h errno.h fenv.h float.h inttypes.h iso646.h " \
              "limits.h locale.h math.h setjmp.h signal.h stdalign.h stdarg.h " \
              "stdatomic.h stdbool.h stddef.h stdint.h stdio.h stdlib.h stdnoreturn.h " \
              "string.h tgmath.h threads.h time.h uchar.h wchar.h wctype.h " \
              "aio.h arpa/inet.h cpio.h dirent.h dlfcn.h fcntl.h fnmatch.h ftw.h " \
              "glob.h grp.h iconv.h langinfo.h libgen.h monetary.h netdb.h " \
              "net/if.h netinet/in.h netinet/tcp.h nl_types.h poll.h pthread.h " \
              "pwd.h regex.h sched.h search.h semaphore.h spawn.h strings.h " \
              "syslog.h tar.h termios.h ulimit.h unistd.h utime.h utmpx.h " \
              "wordexp.h alloca.h endian.h err.h features.h getopt.h link.h " \
              "malloc.h paths.h elf.h", w, " ")
        for (i in w) libc[w[i]] = 1
    }
    {                           # includes: file line q|a name
        f = $1; line = $2; kind = $3; h = $4
        d = dirof(f)
        shimroot = (d == "shim")
        if (kind == "a") {
            if (shimroot && !(h in libc) && h !~ /^(sys|bits|linux|asm)\//)
                printf "%s:%s: pkggate-shim is libc only, but this includes <%s>\n", f, line, h
            next
        }
        # Resolve as the compiler would: the including file'"'"'s folder first.
        target = ""
        if ((d "/" h) in file) target = d "/" h
        else if (h in where) {
            n = split(where[h], cand, " ")
            target = cand[1]
            if (n > 1 && (d in folder)) {
                # Several folders hold that name: the one this folder sees.
                for (i = 1; i <= n; i++) if ((d, dirof(cand[i])) in allow) target = cand[i]
            }
        }
        if (target == "") {
            printf "%s:%s: includes \"%s\", which is in none of lib/, policy/, shim/\n", f, line, h
            next
        }
        td = dirof(target)
        if (target ~ /\.h$/ && f ~ /\.h$/ && f != target) print f "\t" target >edges
        if (td == d) next
        if (shimroot) {
            if (!(target in coreok))
                printf "%s:%s: pkggate-shim is libc only, but this includes \"%s\" (%s); " \
                       "allowed: shim/*.h and lib/core/{%s}\n", f, line, h, target, shim_core_ok
            next
        }
        if (d ~ /^lib(\/|$)/ && td ~ /^(policy|shim)(\/|$)/) {
            printf "%s:%s: lib/ must not include %s/ headers: \"%s\" is %s\n",
                   f, line, td ~ /^policy/ ? "policy" : "shim", h, target
            next
        }
        if (d == "policy" && td ~ /^shim(\/|$)/) {
            printf "%s:%s: policy/ must not include shim/ headers: \"%s\" is %s\n", f, line, h, target
            next
        }
        if ((d in folder) && (td in folder) && !((d, td) in allow))
            printf "%s:%s: %s/ (%s) may not include \"%s\" from %s/; it may use:%s\n",
                   f, line, d, folder[d], h, td, allowed_list(d)
    }
' "$tmp/folders" "$tmp/files" "$tmp/includes" >"$tmp/violations"

# Rule 4, the file half: what each .c defines and uses, read from the text
# with comments, string and character literals blanked out. A definition is
# a top-level declaration starting in column 0 that is followed by '{' (a
# function) or carries '=' or ends at ';' without '(' (a variable).
grep -E '\.c$' "$tmp/files" | while read -r f; do printf '%s\n' "$f"; done >"$tmp/cfiles"
# shellcheck disable=SC2046
awk '
    function strip(s,   out, c) {
        # Blank comments and literals in s; incomment carries across lines.
        out = ""
        while (s != "") {
            if (incomment) {
                if (match(s, /\*\//)) { s = substr(s, RSTART + 2); incomment = 0; out = out " " }
                else s = ""
                continue
            }
            if (!match(s, /\/\*|\/\/|"|'"'"'/)) { out = out s; break }
            out = out substr(s, 1, RSTART - 1)
            c = substr(s, RSTART, RLENGTH)
            s = substr(s, RSTART + RLENGTH)
            if (c == "/*") incomment = 1
            else if (c == "//") s = ""
            else {
                # A literal: skip to the closing quote, past escapes.
                while (s != "" && substr(s, 1, 1) != c) s = substr(s, (substr(s, 1, 1) == "\\") ? 3 : 2)
                s = substr(s, 2)
                out = out " 0 "
            }
        }
        return out
    }
    function decl_name(t,   p, name) {
        # t: one top-level declaration, attribute macros removed.
        p = t
        if (index(p, "=")) p = substr(p, 1, index(p, "=") - 1)
        if (index(p, "(")) {
            p = substr(p, 1, index(p, "(") - 1)
        } else {
            sub(/\[[^\]]*\][ \t]*$/, "", p)
            sub(/;.*/, "", p)
        }
        sub(/[ \t]+$/, "", p)
        if (!match(p, /[A-Za-z_][A-Za-z0-9_]*$/)) return ""
        return substr(p, RSTART, RLENGTH)
    }
    FNR == 1 { incomment = 0; pending = ""; depth = 0 }
    {
        line = strip($0)
        # Identifiers used anywhere in the file.
        rest = line
        while (match(rest, /[A-Za-z_][A-Za-z0-9_]*/)) {
            id = substr(rest, RSTART, RLENGTH)
            if (!((FILENAME, id) in used)) { used[FILENAME, id] = 1; print "U\t" FILENAME "\t" id }
            rest = substr(rest, RSTART + RLENGTH)
        }
        if (line ~ /^#/) next
        if (depth == 0 && pending == "" && line ~ /^[A-Za-z_]/ &&
            line !~ /^(typedef|extern)[ \t]/ &&
            line !~ /^(struct|enum|union)([ \t]+[A-Za-z0-9_]+)?[ \t]*\{/)
            pending = " "
        if (pending != "" && depth == 0) {
            brace = index(line, "{")
            pending = pending " " (brace ? substr(line, 1, brace - 1) : line)
            if (brace || line ~ /;[ \t]*$/) {
                t = pending
                gsub(/(PG_[A-Z_]+|__attribute__)[ \t]*\(\(?[^)]*\)?\)/, " ", t)
                sub(/^[ \t]+/, "", t)
                head = index(t, "=") ? substr(t, 1, index(t, "=") - 1) : t
                isfunc = brace && index(head, "(") && !index(t, "=")
                isvar = !isfunc && (index(t, "=") || !index(head, "("))
                name = decl_name(t)
                if (name != "" && name != "main" && (isfunc || isvar))
                    print ((t ~ /^(static|inline)[ \t]/) ? "L" : "D") "\t" FILENAME "\t" name
                pending = ""
            }
        }
        # Track braces so statements inside bodies are never declarations.
        tmp = line; opens = gsub(/\{/, "", tmp); tmp = line; closes = gsub(/\}/, "", tmp)
        depth += opens - closes
        if (depth < 0) depth = 0
    }
' $(cat "$tmp/cfiles") >"$tmp/syms"

# A.c -> B.c when A.c uses a name B.c defines and A.c does not define it.
awk -F '\t' '
    NR == FNR && $1 == "D" { def[$3] = ($3 in def) ? def[$3] " " $2 : $2; own[$2, $3] = 1; next }
    NR == FNR && $1 == "L" { own[$2, $3] = 1; next }
    NR == FNR { next }
    $1 == "U" {
        if (!($3 in def) || (($2, $3) in own)) next
        n = split(def[$3], d, " ")
        for (i = 1; i <= n; i++) if (d[i] != $2) print $2 "\t" d[i] "\t" $3
    }
' "$tmp/syms" "$tmp/syms" >"$tmp/uses"

# Circles: strongly connected components of more than one file (Tarjan).
{
    awk -F '\t' '{ print "H\t" $1 "\t" $2 }' "$tmp/edges"
    awk -F '\t' '{ print "C\t" $1 "\t" $2 "\t" $3 }' "$tmp/uses"
} | sort -u | awk -F '\t' '
    function visit(v,   i, w, members, n) {
        index_of[v] = lowlink[v] = ++counter
        stack[++sp] = v; onstack[v] = 1
        for (i = 1; i <= nout[v]; i++) {
            w = out[v, i]
            if (!(w in index_of)) {
                visit(w)
                if (lowlink[w] < lowlink[v]) lowlink[v] = lowlink[w]
            } else if (onstack[w] && index_of[w] < lowlink[v]) {
                lowlink[v] = index_of[w]
            }
        }
        if (lowlink[v] != index_of[v]) return
        members = ""; n = 0
        do { w = stack[sp--]; onstack[w] = 0; comp[w] = v; members = w " " members; n++ } while (w != v)
        if (n > 1) report(v, members)
    }
    function report(root, members,   m, k, a, b, i, why) {
        # One line per circle, then the edges inside it with their reason.
        sub(/ $/, "", members)
        printf "circle: %s need each other (one module in several files, or a missing seam)\n", members
        m = split(members, mem, " ")
        for (i = 1; i <= m; i++) {
            a = mem[i]
            for (k = 1; k <= nout[a]; k++) {
                b = out[a, k]
                if (comp[b] != root) continue
                why = ((a, b) in sym) ? "uses " sym[a, b] " defined in" : "includes"
                printf "    %s %s %s\n", a, why, b
            }
        }
    }
    {
        if (!(($2, $3) in seen)) { seen[$2, $3] = 1; out[$2, ++nout[$2]] = $3 }
        node[$2] = node[$3] = 1
        if ($1 == "C") {
            if (!(($2, $3) in sym)) sym[$2, $3] = $4
            else if (length(sym[$2, $3]) < 60) sym[$2, $3] = sym[$2, $3] ", " $4
        }
    }
    END { for (v in node) if (!(v in index_of)) visit(v) }
' >>"$tmp/violations"

# Rule 5: size.
find lib policy shim tests bench data -type f \( -name '*.c' -o -name '*.h' \) 2>/dev/null | sort |
    while read -r f; do
        n=$(wc -l <"$f")
        if [ "$n" -gt "$MAX_LINES" ]; then
            echo "$f: $n lines, over the $MAX_LINES-line limit; split it where a reader sees a seam"
        fi
    done >>"$tmp/violations"

if [ -s "$tmp/violations" ]; then
    cat "$tmp/violations"
    n=$(grep -c -v '^    ' "$tmp/violations")
    echo "check_layering: $n violation(s) of the layering rules (see the top of $0)"
    exit 1
fi
echo "check_layering: ok ($(wc -l <"$tmp/files") files, $(wc -l <"$tmp/folders") folder libraries)"
exit 0
