/*
 * pg_findlinks.h - what pip's --find-links locations offer for a project.
 *
 * pip merges the candidates of its indexes and of every find-links
 * location and takes the best version among them, so a wheel in a local
 * directory named in PIP_FIND_LINKS outbids the index. Local locations
 * are read as pip's collector reads them: a directory is listed (one
 * level), a file is taken by its name, "file:" URLs and "~" work, relative
 * paths are against cwd. Distributions are recognised by file name
 * (PEP 427 wheels, sdists "name-version.tar.gz" and the other archive
 * suffixes). Remote pages (http, https) are not read here: the caller
 * must treat them as unmodelled.
 */
#ifndef PG_FINDLINKS_H
#define PG_FINDLINKS_H

#include <stddef.h>

#include "pg_meta.h"

/* Entries that are web pages, which this module does not read. */
int pg_findlinks_is_remote(const char *link);

/*
 * Versions of project name found in links[0..n) (remote ones skipped):
 * a PyPI meta whose versions carry local_file (the first file found for
 * the version, as a path) and files (their kinds), with no times; NULL
 * when none offers the project. home may be NULL. Caller frees.
 */
struct pg_meta *pg_findlinks_meta(const char *name, const char *const *links, size_t n,
                                  const char *cwd, const char *home);

#endif
