/*
 * password.h - password rules and argon2id hashing.
 *
 * Hashes are libsodium's crypto_pwhash_str strings (argon2id with
 * OPSLIMIT_INTERACTIVE and MEMLIMIT_INTERACTIVE: 2 passes over 64 MiB,
 * about 0.1 s on one core).  Each hash or check holds 64 MiB while it runs,
 * so at most password_set_parallel() of them run at once; the others wait.
 * That keeps a burst of logins from exhausting memory.  Thread safe.
 */
#ifndef TOBMEN_DOMAIN_PASSWORD_H
#define TOBMEN_DOMAIN_PASSWORD_H

#include <stdbool.h>
#include <stddef.h>

#include "core/err.h"

#define PASSWORD_MIN_CHARS	12
#define PASSWORD_MAX_CHARS	1024
#define PASSWORD_HASH_SIZE	128	/* crypto_pwhash_STRBYTES */

enum password_verdict {
	PASSWORD_WRONG,
	PASSWORD_OK,
	PASSWORD_OK_REHASH,	/* right, but hashed with old parameters */
};

/* Counts the characters of a UTF-8 string (its non-continuation bytes). */
size_t	password_chars(const char *s);

/* Checks the length rule (12 to 1024 characters).  Returns 0, or -1 with
 * e set to ERR_INVALID "password_too_short" / "password_too_long" naming
 * field. */
int	password_check(const char *pw, const char *field, struct err *e);

/* Sets how many hashes may run at once (at least 1; default 2).  Cheap
 * when the value is unchanged, so callers pass cfg->hash_parallel before
 * each use instead of relying on start-up order. */
void	password_set_parallel(int n);

/* Hashes pw into out.  Returns 0, or -1 with e set (ERR_INTERNAL) if
 * libsodium could not get its memory. */
int	password_hash(const char *pw, char out[PASSWORD_HASH_SIZE],
	    struct err *e);

/* Checks pw against a stored hash.  An empty or malformed hash costs the
 * same time as a real check and gives PASSWORD_WRONG, so callers can use
 * it for unknown accounts too (pass ""). */
enum password_verdict password_verify(const char *hash, const char *pw);

#endif
