/*
 * cmd_sign.h - `pkggate policy keygen | sign | verify`: minisign-compatible
 * signing of the org policy, with minisign's own flag letters.
 *
 * Each takes argv[0] = the sub-subcommand name ("keygen", "sign", "verify")
 * and the options after it, prints its own messages (one line per error,
 * prefixed "pkggate policy <cmd>: ") and returns the process exit status:
 *
 *   keygen, sign  0 done; 2 usage, I/O, wrong password or any other error
 *   verify        0 only for a good signature (key id, signature, trusted
 *                 comment signature all verified); 1 not verified (forged,
 *                 tampered, wrong key, malformed signature file); 2 usage or
 *                 I/O error (unreadable file, bad public key)
 *
 * -h/--help prints a short usage to stdout and returns 0. Passwords come
 * from the terminal with echo off, or are read line by line from standard
 * input when it is not a terminal (as minisign does): keygen reads the
 * password twice. Secret key files are written 0600 and never replaced
 * without -f.
 */
#ifndef PG_CMD_SIGN_H
#define PG_CMD_SIGN_H

int pg_cmd_policy_keygen(int argc, char **argv);
int pg_cmd_policy_sign(int argc, char **argv);
int pg_cmd_policy_verify(int argc, char **argv);

#endif
