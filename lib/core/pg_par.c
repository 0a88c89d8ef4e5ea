/*
 * pg_par.c - fn over [0, n) on every core (pg_par.h).
 *
 * Items are handed out one at a time from a shared counter, so a few
 * large ones (a 3,000-version packument) do not leave a thread with a
 * fixed share idle while another still works through its own.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <unistd.h>

#include "pg_par.h"
#include "banned.h"

struct par {
    atomic_size_t next;
    size_t n;
    void (*fn)(void *arg, size_t i);
    void *arg;
};

static void *work(void *p)
{
    struct par *w = p;

    for (;;) {
        size_t i = atomic_fetch_add(&w->next, 1);

        if (i >= w->n)
            return NULL;
        w->fn(w->arg, i);
    }
}

static size_t threads_for(size_t n, size_t min_each)
{
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    size_t t = cpus > 0 ? (size_t)cpus : 1;

    if (t > PG_PAR_MAX_THREADS)
        t = PG_PAR_MAX_THREADS;
    if (min_each && t > n / min_each)
        t = n / min_each;
    return t ? t : 1;
}

void pg_par_for(size_t n, size_t min_each, void (*fn)(void *arg, size_t i), void *arg)
{
    struct par w = {0, n, fn, arg};
    pthread_t tid[PG_PAR_MAX_THREADS];
    size_t t = threads_for(n, min_each), started = 0;

    for (size_t k = 1; k < t; k++)
        if (pthread_create(&tid[started], NULL, work, &w) == 0)
            started++;
    work(&w);
    for (size_t k = 0; k < started; k++)
        pthread_join(tid[k], NULL);
}

struct one {
    void (*fn)(void *);
    void *arg;
};

static void *run_one(void *p)
{
    struct one *o = p;

    o->fn(o->arg);
    return NULL;
}

void pg_par_two(void (*a)(void *), void *a_arg, void (*b)(void *), void *b_arg)
{
    struct one o = {a, a_arg};
    pthread_t tid;

    if (pthread_create(&tid, NULL, run_one, &o) != 0) {
        a(a_arg);
        b(b_arg);
        return;
    }
    b(b_arg);
    pthread_join(tid, NULL);
}
