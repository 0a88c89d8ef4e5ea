/*
 * pg_held.h - blocks of packages that are installed already, held back
 * until every other package of the command is judged.
 *
 * A package in node_modules that the policy blocks now (a deny entry
 * added since, a version found bad since) is harm already done: refusing
 * every later install would not undo it. So when nothing else blocks,
 * npm is asked what this command would add or change (pg_npmdry.h). The
 * command goes on only when npm's answer places none of those packages
 * (under its name, an npm: alias, or its folder), only packages pkggate
 * judged, and none whose install scripts run (a dependent's postinstall
 * may load the held package; so may the project's own scripts and its
 * workspaces' and file: dependencies', which also refuse);
 * --ignore-scripts lifts those conditions. Then each is a warning said
 * on every install, --quiet or not, with the command that removes it (or
 * that this install removes it, when npm's answer says so); the
 * verdict's "installed" names where it is. Otherwise, or
 * when the command names the package itself, they block as they are,
 * saying that they are on disk, why, and how to remove them.
 *
 *     struct pg_held *h = pg_held_new(o, cmd);
 *     for each verdict: if (!pg_held_take(h, r, &v)) pg_report_add(&rep, &v);
 *     if (pg_held_count(h)) for each node: pg_held_judged(h, r, version, scripts);
 *     pg_held_settle(h, &rep);   (before pg_report_finish)
 *     pg_held_free(h);
 */
#ifndef PG_HELD_H
#define PG_HELD_H

#include "pg_cmd.h"
#include "pg_gate.h"
#include "pg_report.h"
#include "pg_req.h"
#include "pg_verdict.h"

struct pg_held;

/* o and cmd (cmd may be NULL: nothing is then held) are borrowed until pg_held_free. */
struct pg_held *pg_held_new(const struct pg_gate_opts *o, const struct pg_cmd *cmd);

/*
 * 1 when v blocks a version installed already (pg_ondisk.h): h takes v's
 * contents and leaves v empty (releasing it is harmless). Else 0; a block
 * of an installed package the command names itself is not held (it is
 * asked for, not left alone) but says where it is and how to remove it.
 */
int pg_held_take(struct pg_held *h, const struct pg_req *r, struct pg_verdict *v);

/* How many verdicts h holds. */
size_t pg_held_count(const struct pg_held *h);

/*
 * r was judged at version (NULL: unresolved, ignored); scripts: its
 * version runs install scripts (1), does not (0), unknown (-1: taken as 1).
 */
void pg_held_judged(struct pg_held *h, const struct pg_req *r, const char *version,
                    int scripts);

/* Decide each held verdict as above and add it to rep. */
void pg_held_settle(struct pg_held *h, struct pg_report *rep);

void pg_held_free(struct pg_held *h);

#endif
