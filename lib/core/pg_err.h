/*
 * pg_err.h - the one error type.
 *
 * Library and policy code never prints and never exits: a failing function
 * fills a caller-supplied struct pg_err with one line of text (lowercase, no
 * trailing full stop, naming the cause) and returns -1 (or NULL). The caller
 * decides whether to print it, add context, or fail closed.
 *
 *     struct pg_err err = PG_ERR_INIT;
 *     if (pg_policy_load(&pol, &err) < 0)
 *         fprintf(stderr, "pkggate: %s\n", err.msg);
 *
 * A NULL err is allowed everywhere and means "I do not want the text".
 */
#ifndef PG_ERR_H
#define PG_ERR_H

#define PG_ERR_MSG_MAX 512

struct pg_err {
    char msg[PG_ERR_MSG_MAX];
};

#define PG_ERR_INIT {{0}}

#if defined(__GNUC__)
#define PG_PRINTF(a, b) __attribute__((format(printf, a, b)))
#define PG_WARN_UNUSED  __attribute__((warn_unused_result))
#define PG_NORETURN     __attribute__((noreturn))
#else
#define PG_PRINTF(a, b)
#define PG_WARN_UNUSED
#define PG_NORETURN
#endif

/* Set the message; always returns -1 so callers can `return pg_err_set(...)`. */
int pg_err_set(struct pg_err *err, const char *fmt, ...) PG_PRINTF(2, 3);

/* Prefix the existing message with context: "file.json: " + old message. */
int pg_err_prefix(struct pg_err *err, const char *fmt, ...) PG_PRINTF(2, 3);

#endif
