/*
 * pg_npmenv.h - what npm will pick with, beyond argv: its settings from
 * every layer it reads (pg_npmset.h) and the node and npm versions its
 * engines checks compare with.
 */
#ifndef PG_NPMENV_H
#define PG_NPMENV_H

#include "pg_cmd.h"

/*
 * For an npm/npx cmd that installs, with real the npm (or npx) about to be
 * exec'd: fills cmd->npm_tag, npm_before, npm_ignore_scripts, node_version,
 * npm_version and unmodelled, and drops the lockfile when package-lock is false anywhere.
 * A configuration that cannot be read is left to the registry round,
 * which makes every package undecidable. Never fails.
 */
void pg_npmenv_apply(struct pg_cmd *cmd, const char *real);

#endif
