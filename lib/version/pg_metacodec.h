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
 * Layout (all integers LEB128 varints; signed ones zigzag-encoded):
 *
 *     "PGMF" u8:PG_METACODEC_VERSION
 *     eco name exists created modified status primary_has
 *     ntags { tag version } nmaintainers { maintainer }
 *     nversions { version published deprecated deprecated_msg yanked
 *                 yanked_reason install_scripts integrity tarball shasum
 *                 publisher publisher_workflow provenance_url evidence
 *                 signatures_json elsewhere engines_node engines_npm
 *                 nfiles { kind requires_python url core_metadata
 *                          filename sha256 provenance_url }
 *                 local_file ndeps { name spec kind bundled }
 *                 deps_state has_shrinkwrap attestations_url
 *                 repository }
 *     "END!"
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

#define PG_METACODEC_VERSION 2

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
 * version instead of dozens. Every byte is checked as by
 * pg_metacodec_decode: both accept exactly the same records. A PyPI
 * record, or nkeep 0, decodes whole.
 */
struct pg_meta *pg_metacodec_decode_keep(const void *buf, size_t len, const char *const *keep,
                                         size_t nkeep, struct pg_err *err);

#endif
