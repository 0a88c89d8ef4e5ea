/*
 * pg_http_trust.c - which store of CA certificates pg_http's transfers
 * read (pg_http_system_ca_dir in pg_http.h).
 */
#include <sys/stat.h>

#include <curl/curl.h>

#include "pg_http.h"
#include "banned.h"

/*
 * libcurl trusts the system's CA bundle and its hashed directory, and
 * OpenSSL parses the whole bundle (some 140 certificates) before the first
 * handshake: 30 ms of CPU in every run that asks anything, a sixth of a
 * warm install's. The directory holds the same certificates (Debian's
 * update-ca-certificates writes both from one list) and OpenSSL reads from
 * it only those a chain needs. So when the trust asked for is the system
 * bundle (no cafile, or that very file: Debian's npm names it in its
 * global npmrc), the directory serves; any other file is read as given.
 */
int pg_http_system_ca_dir(const char *cafile)
{
    const curl_version_info_data *v = curl_version_info(CURLVERSION_NOW);
    struct stat dir, given, bundle;

    if (!v || !v->capath || !v->cainfo || stat(v->capath, &dir) < 0 || !S_ISDIR(dir.st_mode))
        return 0;
    if (!cafile)
        return 1;
    return stat(cafile, &given) == 0 && stat(v->cainfo, &bundle) == 0 &&
           given.st_dev == bundle.st_dev && given.st_ino == bundle.st_ino;
}
