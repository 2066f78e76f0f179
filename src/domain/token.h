/*
 * token.h - random secrets handed to people, and the hashes we keep.
 *
 * A token is 32 random bytes written as base64url without padding (43
 * characters).  The store keeps only token_hash() of it, so a copy of the
 * database cannot be used to log in or reset a password.  Thread safe.
 */
#ifndef TOBMEN_DOMAIN_TOKEN_H
#define TOBMEN_DOMAIN_TOKEN_H

#include <stdbool.h>

#define TOKEN_LEN	43	/* characters, without the NUL */
#define TOKEN_HASH_LEN	64	/* hex characters, without the NUL */

/* Writes a fresh random token into out (TOKEN_LEN + 1 bytes). */
void	token_new(char out[TOKEN_LEN + 1]);

/* Writes the hex BLAKE2b-256 hash of the token text into out. */
void	token_hash(const char *token, char out[TOKEN_HASH_LEN + 1]);

/* True if s looks like a token (length and base64url alphabet), so junk
 * input is refused before any lookup. */
bool	token_well_formed(const char *s);

/* Compares two NUL-terminated secrets in time that depends only on their
 * lengths. */
bool	token_equal(const char *a, const char *b);

#endif
