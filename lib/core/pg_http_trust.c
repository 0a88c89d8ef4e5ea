/*
 * pg_http_trust.c - which CA certificates pg_http's transfers trust
 * (pg_http_trust.h).
 */
#include <stdlib.h>
#include <sys/stat.h>

#include <curl/curl.h>

#include "pg_http_trust.h"
#include "pg_util.h"
#include "banned.h"

static int later(const struct timespec *a, const struct timespec *b)
{
    return a->tv_sec > b->tv_sec || (a->tv_sec == b->tv_sec && a->tv_nsec > b->tv_nsec);
}

/*
 * libcurl trusts the system's CA bundle and its hashed directory, and
 * OpenSSL parses the whole bundle (some 140 certificates) before the first
 * handshake: 30 ms of CPU in every run that asks anything, a sixth of a
 * warm install's. The directory holds the same certificates (Debian's
 * update-ca-certificates writes both from one list, the bundle last and
 * renamed into the directory) and OpenSSL reads from it only those a chain
 * needs. So when the trust asked for is the system bundle (no cafile, or
 * that very file: Debian's npm names it in its global npmrc), the
 * directory serves, unless the bundle changed after the directory did: a
 * certificate appended to it by hand (a common Dockerfile step) is in the
 * bundle only.
 */
static int system_ca_dir(const char *cafile)
{
    const curl_version_info_data *v = curl_version_info(CURLVERSION_NOW);
    struct stat dir, given, bundle;

    if (!v || !v->capath || !v->cainfo || stat(v->capath, &dir) < 0 || !S_ISDIR(dir.st_mode) ||
        stat(v->cainfo, &bundle) < 0 || later(&bundle.st_mtim, &dir.st_mtim))
        return 0;
    if (!cafile)
        return 1;
    return stat(cafile, &given) == 0 && given.st_dev == bundle.st_dev &&
           given.st_ino == bundle.st_ino;
}

void pg_http_trust_init(struct pg_http_trust *t, const char *cafile)
{
    t->dir_only = system_ca_dir(cafile);
    t->cafile = cafile && !t->dir_only ? pg_xstrdup(cafile) : NULL;
}

void pg_http_trust_apply(const struct pg_http_trust *t, CURL *easy)
{
    if (t->dir_only) {
        curl_easy_setopt(easy, CURLOPT_CAINFO, NULL);
    } else if (t->cafile) {
        /* Replaces the system's CAs, as npm's cafile and pip's cert do:
         * libcurl would otherwise read its default directory as well. */
        curl_easy_setopt(easy, CURLOPT_CAINFO, t->cafile);
        curl_easy_setopt(easy, CURLOPT_CAPATH, NULL);
    }
}

void pg_http_trust_release(struct pg_http_trust *t)
{
    free(t->cafile);
    t->cafile = NULL;
}
