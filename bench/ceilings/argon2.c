/*
 * argon2.c - the login ceiling: argon2id hashes per second.
 *
 *	ceil-argon2 SECONDS THREADS
 *
 * Checks a password against its argon2id hash, as a login does, with
 * libsodium's crypto_pwhash_str_verify, the hash made at the service's
 * own limits PASSWORD_OPS and PASSWORD_MEM (the bench Makefile copies
 * them from src/domain/password.c), in THREADS threads for SECONDS.
 * Prints "hashes_per_s=N hashes=N seconds=S mem_mib=N".
 */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "benchlib.h"

#ifndef PASSWORD_OPS
#error "build with -DPASSWORD_OPS=... (see bench/Makefile)"
#endif
#ifndef PASSWORD_MEM
#error "build with -DPASSWORD_MEM=... (see bench/Makefile)"
#endif

#define CEIL_THREADS_MAX	64

static const char	ceil_pw[] = "correct horse battery staple";
static char		ceil_hash[crypto_pwhash_STRBYTES];

struct ceil_job {
	double		limit;
	long		hashes;
	double		seconds;
	pthread_t	tid;
};

static void *
ceil_run(void *arg)
{
	struct ceil_job	*j = arg;
	double		 t0 = bench_now();

	do {
		if (crypto_pwhash_str_verify(ceil_hash, ceil_pw,
		    strlen(ceil_pw)) != 0)
			bench_die("argon2id failed (out of memory?)");
		j->hashes++;
		j->seconds = bench_now() - t0;
	} while (j->seconds < j->limit);
	return NULL;
}

int
main(int argc, char **argv)
{
	struct ceil_job	jobs[CEIL_THREADS_MAX];
	double		limit, seconds = 0;
	long		n, i, hashes = 0;

	if (argc != 3)
		bench_die("usage: ceil-argon2 SECONDS THREADS");
	limit = bench_arg_double(argv[1], "SECONDS");
	n = bench_arg_long(argv[2], "THREADS");
	if (n > CEIL_THREADS_MAX)
		bench_die("at most %d threads", CEIL_THREADS_MAX);
	if (sodium_init() < 0)
		bench_die("libsodium did not start");
	if (crypto_pwhash_str_alg(ceil_hash, ceil_pw, strlen(ceil_pw),
	    PASSWORD_OPS, PASSWORD_MEM, crypto_pwhash_ALG_ARGON2ID13) != 0)
		bench_die("argon2id failed (out of memory?)");

	memset(jobs, 0, sizeof(jobs));
	for (i = 0; i < n; i++) {
		jobs[i].limit = limit;
		if (pthread_create(&jobs[i].tid, NULL, ceil_run, &jobs[i]))
			bench_die("cannot start a thread");
	}
	for (i = 0; i < n; i++) {
		pthread_join(jobs[i].tid, NULL);
		hashes += jobs[i].hashes;
		if (jobs[i].seconds > seconds)
			seconds = jobs[i].seconds;
	}
	printf("hashes_per_s=%.2f hashes=%ld seconds=%.3f mem_mib=%zu\n",
	    (double)hashes / seconds, hashes, seconds,
	    (size_t)PASSWORD_MEM >> 20);
	return 0;
}
