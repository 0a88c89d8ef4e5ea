#!/usr/bin/env bash
# Control characters in argv words, package.json and requirement files
# reach pkggate's error lines shown as '?', as in verdict lines: no escape
# sequence gets to the terminal raw, to clear the screen or rewrite a line.
# Every case fails before any registry is asked, so none is started.
. "$(dirname "$0")/lib.sh"
need npm

ESC=$'\033'
# no_raw_esc: the last output holds no ESC byte, and shows it as '?' instead.
no_raw_esc() {
    case "$OUT" in *"$ESC"*) fail "a raw ESC reached the terminal:
$(printf '%s' "$OUT" | od -c | head -n 8)" ;; esac
    expect_in "?[2J"
}

printf '{"name":"app","version":"1.0.0","dependencies":{"\\u001b[2Jevil":"1.0.0"}}\n' \
    >package.json
expect_status 11 npm install
expect_in "cannot understand"
no_raw_esc
printf '{"name":"app","version":"1.0.0","dependencies":{"evil":"\\u001b[2J1.0.0"}}\n' \
    >package.json
expect_status 11 npm install
no_raw_esc
rm package.json
pass "an ESC in a package.json dependency name or range"

expect_status 11 npm install "${ESC}[2Jevil"
expect_in "cannot understand"
no_raw_esc
expect_status 10 npm install "--${ESC}[2J" left-pad
expect_in "[unknown_arguments]"
no_raw_esc
# A malformed name gets an error verdict of its own (exit 10), shown clean.
expect_status 10 "$PKGGATE" check --ecosystem npm "${ESC}[2Jevil"
no_raw_esc
expect_status 64 "$PKGGATE" check "--${ESC}[2J"
no_raw_esc
expect_status 64 "$PKGGATE" "${ESC}[2J"
no_raw_esc
pass "an ESC in an argv word"

if command -v pip >/dev/null; then
    printf 'ok-name\nevil%s[2J==1.0\n' "$ESC" >requirements.txt
    expect_status 11 pip install -r requirements.txt
    expect_in "cannot understand"
    no_raw_esc
    expect_status 11 pip install -r "r${ESC}[2J.txt"
    no_raw_esc
    pass "an ESC in a requirement file and its name"
fi
