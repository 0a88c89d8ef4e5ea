#!/usr/bin/env bash
# The facts cache and its schedule (README "Caches"): a locked version's
# facts are trusted for the policy's "revalidate" period, so a warm `npm ci`
# asks the registry nothing; older facts are revalidated (If-None-Match,
# 304, no download); whatever npm would pick from a range is asked about
# every run, even when the lockfile pins the same name at another version;
# check --refresh asks at once; a damaged record is a miss, not an error.
. "$(dirname "$0")/lib.sh"
need npm
start_registry
export npm_config_registry="$REG_URL"
LOG="$REG_STATE/requests.log"
FACTS="$XDG_CACHE_HOME/pkggate/facts"
mkdir -p app && cd app
printf '{"name": "app", "version": "1.0.0"}\n' >package.json
PATH="$ORIG_PATH" npm install --package-lock-only --no-audit --no-fund left-pad@1.0.0 \
    >/dev/null 2>&1 || fail "npm could not write a lockfile"

# age_facts WHEN: date every facts record back (touch -d WHEN).
age_facts() { find "$FACTS" -type f ! -name '.*' -exec touch -d "$1" {} +; }
# asked PATH: the registry was asked for PATH since the log was emptied.
asked() { grep -q "^GET $1 " "$LOG"; }

expect_status 0 npm ci
asked /left-pad || fail "the first npm ci did not fetch left-pad"
[ -n "$(ls "$FACTS")" ] || fail "no facts were recorded"
[ -z "$(find "$XDG_CACHE_HOME/pkggate/http" -type f ! -name '.*' -size +4k)" ] ||
    fail "the HTTP cache keeps a copy of the documents"
pass "a cold npm ci records facts, not documents"

age_facts '1 hour ago'
: >"$LOG"
expect_status 0 npm ci
asked /left-pad && fail "an hour-old locked version was asked about again: $(cat "$LOG")"
pass "a warm npm ci within the revalidation period asks nothing"

age_facts '2 days ago'
: >"$LOG"
expect_status 0 npm ci
grep -q '^GET /left-pad 304' "$LOG" || fail "2-day-old facts were not revalidated: $(cat "$LOG")"
pass "facts older than revalidate (1d) are revalidated with a 304"

printf '{"revalidate": "30m"}\n' >.pkggate.json
age_facts '1 hour ago'
: >"$LOG"
expect_status 0 npm ci
asked /left-pad || fail "\"revalidate\": \"30m\" did not revalidate hour-old facts"
rm .pkggate.json
pass "the policy's revalidate sets the period"

: >"$LOG"
expect_status 0 "$PKGGATE" check --ecosystem npm left-pad
asked /left-pad && fail "check asked about facts a minute old"
expect_status 0 "$PKGGATE" check --refresh --ecosystem npm left-pad
asked /left-pad || fail "check --refresh did not ask"
pass "check uses minute-old facts; check --refresh asks"

# The lockfile pins left-pad@1.0.0; pad-wrapper wants ^1.3.0, which npm
# picks from today's versions: the pinned facts may not answer that.
# (npm itself would ask the registry too: a stand-in keeps the log pkggate's.)
printf '#!/bin/sh\nexit 0\n' >"$T/npm-standin"
chmod +x "$T/npm-standin"
age_facts '1 hour ago'
: >"$LOG"
PKGGATE_REAL_NPM="$T/npm-standin" expect_status 0 npm install pad-wrapper
asked /pad-wrapper || fail "pad-wrapper was not asked about"
asked /left-pad || fail "left-pad picked from ^1.3.0 with facts trusted for 1.0.0 only"
pass "a version picked from a range is asked about, even for a pinned name"

# A lockfile pinning one name at two versions (left-pad@1.0.0 at the top,
# 1.3.0 nested under pad-wrapper): both pins are in the facts, nothing to ask.
PATH="$ORIG_PATH" npm install --package-lock-only --no-audit --no-fund left-pad@1.0.0 \
    pad-wrapper >/dev/null 2>&1 || fail "npm could not write the two-version lockfile"
grep -q '"node_modules/pad-wrapper/node_modules/left-pad"' package-lock.json ||
    fail "the lockfile does not nest left-pad 1.3.0"
expect_status 0 npm ci
age_facts '1 hour ago'
: >"$LOG"
expect_status 0 npm ci
asked /left-pad && fail "a name pinned at two versions was asked about again: $(cat "$LOG")"
pass "a name pinned at two versions is within the schedule too"

# A damaged record is a miss: fetched again, and judged the same.
for f in "$FACTS"/*; do printf 'garbage' >>"$f"; done
: >"$LOG"
rm -rf node_modules
expect_status 0 npm ci
grep -q '^GET /left-pad 200' "$LOG" || fail "a damaged record was not fetched again: $(cat "$LOG")"
pass "a damaged facts record is fetched again"
