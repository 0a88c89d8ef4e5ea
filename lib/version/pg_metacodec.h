/*
 * pg_metacodec.h - struct pg_meta as a compact byte string ("facts").
 *
 * A packument is megabytes of JSON (10 MB for typescript) of which the
 * rules and the pickers read a few hundred bytes per version. This module
 * writes exactly what struct pg_meta holds (pg_meta.h: times, integrity,
 * signatures, deprecation, yanking, install scripts, publisher, evidence,
 * engines, files, dependencies, dist-tags, ...) as a flat binary record, so
 * that a later run rebuilds the same struct without parsing the document
 * again (pg_metacache.h keeps these records on disk).
 *
 * Why binary and not JSON through jansson: decoding must cost far less
 * than the parse it replaces, for thousands of packages per run; a
 * sequential record of length-prefixed strings decodes with one pass and
 * no intermediate tree. Every length and count is checked against the
 * bytes that remain, so any input (truncated, corrupt, hostile) decodes to
 * a meta or to an error, never to a read out of bounds; a fuzz target
 * (tests/fuzz/fuzz_metacodec.c) holds it to that.
 *
 * Most of a record's bytes would repeat from version to version (the
 * tarball URL is "<prefix><version>.tgz", the repository one string,
 * consecutive releases declare the same dependencies), so those are
 * stated once and referred to; and what only an installed version needs
 * sits in each version's TAIL, which a skim jumps over in one step.
 *
 * Layout (all integers LEB128 varints; signed ones zigzag-encoded):
 *
 *     "PGMF" u8:PG_METACODEC_VERSION
 *     eco name exists created modified status primary_has
 *     ntags { tag version } nmaintainers { maintainer }
 *     tarball_prefix
 *     nrepos { repository }
 *     ndepsets { u:nbytes ndeps { name spec kind bundled } }
 *     nversions { HEAD u:tail_nbytes TAIL }
 *     "END!"
 *
 *     HEAD = version published deprecated yanked install_scripts
 *            publisher publisher_workflow provenance_url evidence
 *            elsewhere engines_node engines_npm
 *            nfiles { kind requires_python url core_metadata filename
 *                     sha256 provenance_url }
 *            local_file deps_state has_shrinkwrap attestations_url
 *            repo_ref depset_ref
 *     TAIL = deprecated_msg yanked_reason integrity tarball_code shasum
 *            signatures_json
 *
 * repos holds the distinct repository strings, depsets the distinct
 * non-empty dependency lists, each in order of first use; repo_ref and
 * depset_ref are 0 (none) or k for entry k-1. tarball_code is 0 (none), 1
 * (tarball_prefix + version + ".tgz") or n + 2 followed by n bytes of the
 * URL as written. tarball_prefix is that of the first version whose
 * tarball is "<non-empty prefix><version>.tgz" (NULL: none).
 *
 * One spelling per meta: a version whose tarball the prefix spells uses
 * code 1; every table entry is used, none twice, and the first version
 * referring to a new entry refers to the next one. pg_metacodec_decode
 * refuses anything else ("facts record is not in canonical form"), so
 * decoding and encoding again gives the very same bytes.
 *
 * A string is its length + 1 then its bytes (0: NULL); strings hold no NUL.
 * A change of struct pg_meta's fields bumps PG_METACODEC_VERSION: records
 * of another version fail to decode (a cache miss, never a misread).
 */
#ifndef PG_METACODEC_H
#define PG_METACODEC_H

#include <stddef.h>

#include "pg_err.h"
#include "pg_meta.h"
#include "pg_util.h"

#define PG_METACODEC_VERSION 3

/* Append m's record to out. */
void pg_metacodec_encode(const struct pg_meta *m, struct pg_sb *out);

/*
 * Rebuild a meta from a record of len bytes. Returns a new meta (caller
 * frees with pg_meta_free) or NULL with err set ("facts record truncated",
 * "unknown facts format 7", ...). Bytes after the end marker are an error
 * too: a record is decoded whole or not at all.
 */
struct pg_meta *pg_metacodec_decode(const void *buf, size_t len, struct pg_err *err);

/*
 * The same, but of an npm record only the versions named in
 * keep[0..nkeep) (as written) are decoded whole; every other version gets
 * what the pickers and the rules read of versions they do not judge
 * (version, published, deprecated, yanked, install_scripts, publisher and
 * workflow, provenance_url, evidence, elsewhere, engines, files,
 * local_file, deps_state, has_shrinkwrap, attestations_url, and for a
 * version that names attestations its integrity and repository, which
 * the provenance round verifies an earlier attested release against) and
 * lacks the rest, and the meta is marked skimmed (pg_meta.h). A 3,000-version
 * packument of which a lockfile pins one then costs a few allocations a
 * version instead of dozens. A PyPI record, or nkeep 0, decodes whole.
 *
 * The skim reads HEAD and jumps over the TAIL of a version it does not
 * keep, and over the depsets no kept version uses, checking only that
 * they lie inside the record: a record pg_metacodec_decode accepts, the
 * skim accepts too, and it gives the kept versions exactly as the whole
 * decode does; but it may accept a damaged or non-canonical record the
 * whole decode refuses (the cache checksums every record anyway).
 */
struct pg_meta *pg_metacodec_decode_keep(const void *buf, size_t len, const char *const *keep,
                                         size_t nkeep, struct pg_err *err);

#endif
