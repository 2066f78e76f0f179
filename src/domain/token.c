/*
 * token.c - random tokens and their hashes, through libsodium.
 *
 * Owns nothing but the one-time library initialisation it needs.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "domain/token.h"

#define TOKEN_BYTES 32

static pthread_once_t token_once = PTHREAD_ONCE_INIT;

/* Initialises libsodium; a failure leaves no safe randomness, so abort. */
static void
token_init(void)
{
	if (sodium_init() < 0)
		abort();
}

void
token_new(char out[TOKEN_LEN + 1])
{
	unsigned char	raw[TOKEN_BYTES];

	pthread_once(&token_once, token_init);
	randombytes_buf(raw, sizeof(raw));
	sodium_bin2base64(out, TOKEN_LEN + 1, raw, sizeof(raw),
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_memzero(raw, sizeof(raw));
}

void
token_hash(const char *token, char out[TOKEN_HASH_LEN + 1])
{
	unsigned char	h[TOKEN_HASH_LEN / 2];

	pthread_once(&token_once, token_init);
	crypto_generichash(h, sizeof(h), (const unsigned char *)token,
	    strlen(token), NULL, 0);
	sodium_bin2hex(out, TOKEN_HASH_LEN + 1, h, sizeof(h));
}

bool
token_well_formed(const char *s)
{
	size_t	i;

	if (s == NULL || strlen(s) != TOKEN_LEN)
		return false;
	for (i = 0; i < TOKEN_LEN; i++) {
		char	c = s[i];

		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '_'))
			return false;
	}
	return true;
}

bool
token_equal(const char *a, const char *b)
{
	size_t	n;

	if (a == NULL || b == NULL)
		return false;
	n = strlen(a);
	if (n != strlen(b) || n == 0)
		return false;
	return sodium_memcmp(a, b, n) == 0;
}
