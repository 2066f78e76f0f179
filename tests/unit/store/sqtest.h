/*
 * sqtest.h - small SQLite helpers the store's file-layer tests share;
 * each fails the running cmocka test on any error.
 */
#ifndef TOBMEN_TESTS_SQTEST_H
#define TOBMEN_TESTS_SQTEST_H

#include <stdint.h>

#include <sqlite3.h>

/* Opens (creating) path through file layer vfs (NULL: the default), in
 * WAL mode. */
sqlite3	*sqtest_open(const char *path, const char *vfs);

/* Runs sql, which returns no rows. */
void	 sqtest_exec(sqlite3 *db, const char *sql);

/* The first column of sql's first row, as an integer. */
int64_t	 sqtest_int(sqlite3 *db, const char *sql);

#endif
