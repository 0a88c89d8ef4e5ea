/*
 * pg_par.h - the same job over many independent items, on every core.
 *
 * A warm run over a large lockfile spends most of its time loading and
 * decoding hundreds of cached facts records, each on its own, while the
 * other cores of the machine wait. This runs fn(arg, i) for every i in
 * [0, n) on up to as many threads as there are online CPUs (at most
 * PG_PAR_MAX_THREADS, at most one per min_each items), the calling
 * thread included; it returns when all are done.
 *
 * fn must touch only item i's own data and what is safe to share (read
 * only, or thread-safe like malloc); there is no order among the items.
 * When a thread cannot be started the remaining items run on the threads
 * that did (the calling thread at least): never fewer items, only slower.
 */
#ifndef PG_PAR_H
#define PG_PAR_H

#include <stddef.h>

#define PG_PAR_MAX_THREADS 8

void pg_par_for(size_t n, size_t min_each, void (*fn)(void *arg, size_t i), void *arg);

/*
 * a(a_arg) on a thread of its own while the caller runs b(b_arg); returns
 * when both are done. For work that waits (a network round) beside work
 * that computes. Without a thread, a runs first, then b.
 */
void pg_par_two(void (*a)(void *), void *a_arg, void (*b)(void *), void *b_arg);

#endif
