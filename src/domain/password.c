/*
 * password.c - argon2id through libsodium, behind a counting semaphore.
 *
 * Owns the semaphore and a dummy hash used to spend the same time on
 * unknown accounts as on known ones.  Never logs; never keeps passwords.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "core/metrics.h"
#include "domain/password.h"

#define PASSWORD_OPS	crypto_pwhash_OPSLIMIT_INTERACTIVE
#define PASSWORD_MEM	crypto_pwhash_MEMLIMIT_INTERACTIVE

static pthread_mutex_t	password_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t	password_cond = PTHREAD_COND_INITIALIZER;
static int		password_limit = 2;
static int		password_busy;

static pthread_once_t	password_once = PTHREAD_ONCE_INIT;
static char		password_dummy[PASSWORD_HASH_SIZE];

size_t
password_chars(const char *s)
{
	size_t	n = 0;

	for (; *s != '\0'; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			n++;
	return n;
}

int
password_check(const char *pw, const char *field, struct err *e)
{
	size_t	n = password_chars(pw);

	if (n < PASSWORD_MIN_CHARS) {
		err_set(e, ERR_INVALID, "password_too_short", field,
		    "The password must have at least %d characters.",
		    PASSWORD_MIN_CHARS);
		return -1;
	}
	if (n > PASSWORD_MAX_CHARS) {
		err_set(e, ERR_INVALID, "password_too_long", field,
		    "The password may have at most %d characters.",
		    PASSWORD_MAX_CHARS);
		return -1;
	}
	return 0;
}

void
password_set_parallel(int n)
{
	if (n < 1)
		n = 1;
	pthread_mutex_lock(&password_lock);
	if (password_limit != n) {
		password_limit = n;
		pthread_cond_broadcast(&password_cond);
	}
	pthread_mutex_unlock(&password_lock);
}

/* Waits for a free hashing slot. */
static void
password_enter(void)
{
	pthread_mutex_lock(&password_lock);
	while (password_busy >= password_limit)
		pthread_cond_wait(&password_cond, &password_lock);
	password_busy++;
	pthread_mutex_unlock(&password_lock);
}

/* Gives the slot back and wakes one waiter. */
static void
password_leave(void)
{
	pthread_mutex_lock(&password_lock);
	password_busy--;
	pthread_cond_signal(&password_cond);
	pthread_mutex_unlock(&password_lock);
}

/* Makes the dummy hash from a random secret nobody knows. */
static void
password_init(void)
{
	unsigned char	secret[32];

	if (sodium_init() < 0)
		abort();
	randombytes_buf(secret, sizeof(secret));
	if (crypto_pwhash_str(password_dummy, (const char *)secret,
	    sizeof(secret), PASSWORD_OPS, PASSWORD_MEM) != 0)
		abort();
	sodium_memzero(secret, sizeof(secret));
}

int
password_hash(const char *pw, char out[PASSWORD_HASH_SIZE], struct err *e)
{
	int	rc;

	pthread_once(&password_once, password_init);
	password_enter();
	rc = crypto_pwhash_str(out, pw, strlen(pw), PASSWORD_OPS,
	    PASSWORD_MEM);
	password_leave();
	if (rc != 0) {
		err_set(e, ERR_INTERNAL, "hash_failed", NULL,
		    "The password could not be hashed (out of memory).");
		return -1;
	}
	return 0;
}

enum password_verdict
password_verify(const char *hash, const char *pw)
{
	const char	*h = hash;
	bool		 real = true;
	int		 rc;

	pthread_once(&password_once, password_init);
	if (strncmp(h, "$argon2id$", 10) != 0) {
		h = password_dummy;
		real = false;
	}
	password_enter();
	rc = crypto_pwhash_str_verify(h, pw, strlen(pw));
	password_leave();
	metrics_password_check();
	if (rc != 0 || !real)
		return PASSWORD_WRONG;
	if (crypto_pwhash_str_needs_rehash(h, PASSWORD_OPS, PASSWORD_MEM) != 0)
		return PASSWORD_OK_REHASH;
	return PASSWORD_OK;
}
