/*
 * banned.h - functions pkggate does not call (after git's banned.h).
 *
 * Each is unbounded, thread-hostile, spawns a shell or hides errors. Include
 * this last in every .c file; a use becomes a compile error.
 */
#ifndef PG_BANNED_H
#define PG_BANNED_H

#define PG_BANNED(fn) sorry_##fn##_is_banned_in_pkggate

#undef strcpy
#define strcpy(...) PG_BANNED(strcpy)
#undef strcat
#define strcat(...) PG_BANNED(strcat)
#undef sprintf
#define sprintf(...) PG_BANNED(sprintf)
#undef vsprintf
#define vsprintf(...) PG_BANNED(vsprintf)
#undef strtok
#define strtok(...) PG_BANNED(strtok)
#undef atoi
#define atoi(...) PG_BANNED(atoi)
#undef atol
#define atol(...) PG_BANNED(atol)
#undef gets
#define gets(...) PG_BANNED(gets)
#undef system
#define system(...) PG_BANNED(system)
#undef popen
#define popen(...) PG_BANNED(popen)
#undef tmpnam
#define tmpnam(...) PG_BANNED(tmpnam)
#undef mktemp
#define mktemp(...) PG_BANNED(mktemp)

#endif
