/*
 * sqlite_insert.c - the SQLite write ceiling.
 *
 *	ceil-sqlite PATH PER_TXN SECONDS
 *
 * Creates a fresh store at PATH (WAL, synchronous=FULL) and writes test
 * documents, one header and twenty line rows each, PER_TXN documents per
 * transaction, from one connection, for SECONDS.  Prints
 * "docs_per_s=N docs=N seconds=S".  SQLite has one writer at a time, so
 * one connection is the most it can do.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "sqlitedoc.h"

/* Removes the store and its WAL files, if any. */
static void
ceil_remove(const char *path)
{
	char	side[4096];

	unlink(path);
	snprintf(side, sizeof(side), "%s-wal", path);
	unlink(side);
	snprintf(side, sizeof(side), "%s-shm", path);
	unlink(side);
}

int
main(int argc, char **argv)
{
	struct sqlitedoc	s;
	struct bench_doc	d;
	double			t0, t, limit;
	long			per_txn, n = 0, i;

	if (argc != 4)
		bench_die("usage: ceil-sqlite PATH PER_TXN SECONDS");
	per_txn = bench_arg_long(argv[2], "PER_TXN");
	limit = bench_arg_double(argv[3], "SECONDS");

	ceil_remove(argv[1]);
	memset(&s, 0, sizeof(s));
	sqlitedoc_open(&s, argv[1], true);

	t0 = bench_now();
	do {
		sqlitedoc_begin(&s);
		for (i = 0; i < per_txn; i++, n++) {
			bench_doc_make((uint64_t)n, &d);
			sqlitedoc_insert(&s, &d, 1, n + 1);
		}
		sqlitedoc_commit(&s);
		t = bench_now() - t0;
	} while (t < limit);

	printf("docs_per_s=%.1f docs=%ld seconds=%.3f\n", (double)n / t, n, t);
	sqlitedoc_close(&s);
	ceil_remove(argv[1]);
	return 0;
}
