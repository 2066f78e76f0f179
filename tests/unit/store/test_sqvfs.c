/*
 * test_sqvfs.c - the file layer that maps a whole SQLite store, on real
 * files: what SQLite reads through it is what was written, while the
 * file grows past its mapping, shrinks under it, or is larger than the
 * limit; and the pages really come from the mapping.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "store/sqvfs.h"
#include "sqtest.h"

#define MIB	((int64_t)1 << 20)

struct fx {
	char	 dir[64];
	char	 path[96];
	sqlite3	*w;		/* the writer */
	sqlite3	*r;		/* a reader */
};

static sqlite3 *
db_open(const char *path, int64_t limit)
{
	sqlite3	*db = sqtest_open(path, SQVFS_NAME);
	char	 sql[64];

	snprintf(sql, sizeof(sql), "PRAGMA mmap_size=%lld", (long long)limit);
	sqtest_exec(db, sql);
	return db;
}

static struct sqvfs_stats
stats(sqlite3 *db)
{
	struct sqvfs_stats	s;

	memset(&s, 0, sizeof(s));
	assert_int_equal(sqlite3_file_control(db, "main", SQVFS_FCNTL_STATS,
	    &s), SQLITE_OK);
	return s;
}

static int64_t
file_size(const char *path)
{
	struct stat	sb;

	assert_int_equal(stat(path, &sb), 0);
	return (int64_t)sb.st_size;
}

/* Adds rows from..to-1 of about 3 KB each, whose text is a function of
 * the id, and moves them all from the log into the file. */
static void
add_rows(sqlite3 *db, int from, int to)
{
	char	sql[256];

	snprintf(sql, sizeof(sql), "WITH RECURSIVE n(i) AS (SELECT %d "
	    "UNION ALL SELECT i + 1 FROM n WHERE i < %d) "
	    "INSERT INTO t SELECT i, printf('%%.3000c', char(65 + i %% 26)) "
	    "FROM n", from, to - 1);
	sqtest_exec(db, sql);
	sqtest_exec(db, "PRAGMA wal_checkpoint(TRUNCATE)");
}

/* What rows from..to-1 must sum to in check_rows. */
static int64_t
expected_sum(int from, int to)
{
	int64_t	sum = 0;
	int	i;

	for (i = from; i < to; i++)
		sum += (int64_t)i * (65 + i % 26) + 3000;
	return sum;
}

/* Sums every row's id times a letter from the middle of its text, plus
 * its length: wrong if any page came back wrong. */
static int64_t
check_rows(sqlite3 *db)
{
	return sqtest_int(db, "SELECT coalesce(sum(id * unicode(substr(v, "
	    "1500, 1)) + length(v)), 0) FROM t");
}

static int
setup(void **state)
{
	struct fx	*f = calloc(1, sizeof(*f));

	assert_non_null(f);
	assert_int_equal(sqvfs_register(), SQLITE_OK);
	snprintf(f->dir, sizeof(f->dir), "/tmp/tobmen-sqvfs-XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->path, sizeof(f->path), "%s/t.db", f->dir);
	f->w = db_open(f->path, SQVFS_MAP_MAX);
	sqtest_exec(f->w, "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)");
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fx	*f = *state;
	char		 p[128];

	sqlite3_close_v2(f->r);
	sqlite3_close_v2(f->w);
	snprintf(p, sizeof(p), "%s-wal", f->path);
	unlink(p);
	snprintf(p, sizeof(p), "%s-shm", f->path);
	unlink(p);
	unlink(f->path);
	rmdir(f->dir);
	free(f);
	return 0;
}

/* PRAGMA mmap_size keeps a limit past the 2 GiB the unix layer allows,
 * and the database file is one this layer can map. */
static void
test_limit_kept(void **state)
{
	struct fx		*f = *state;
	struct sqvfs_stats	 s;

	assert_int_equal(sqtest_int(f->w, "PRAGMA mmap_size"), SQVFS_MAP_MAX);
	sqtest_exec(f->w, "PRAGMA mmap_size=8589934592");
	assert_int_equal(sqtest_int(f->w, "PRAGMA mmap_size"),
	    (int64_t)8589934592);
	sqtest_exec(f->w, "PRAGMA mmap_size=4398046511104");
	assert_int_equal(sqtest_int(f->w, "PRAGMA mmap_size"), SQVFS_MAP_MAX);

	s = stats(f->w);
	assert_int_equal(s.fd_known, 1);
	assert_int_equal(s.limit, SQVFS_MAP_MAX);
}

/* A fresh reader reads every page but the last from the mapping, once
 * mapped, and reads what was written. */
static void
test_reads_in_place(void **state)
{
	struct fx		*f = *state;
	struct sqvfs_stats	 s;

	add_rows(f->w, 0, 1500);
	f->r = db_open(f->path, SQVFS_MAP_MAX);

	assert_int_equal(check_rows(f->r), expected_sum(0, 1500));
	s = stats(f->r);
	assert_int_equal(s.maps, 1);
	assert_true(s.in_map > 1000);
	assert_true(s.not_mapped <= 2);
	assert_int_equal(s.valid, file_size(f->path));
	assert_true(s.map_len >= s.valid);
}

/* With a limit smaller than the file, pages past it are read with the
 * unix layer, and right. */
static void
test_limit_below_file(void **state)
{
	struct fx		*f = *state;
	struct sqvfs_stats	 s;

	add_rows(f->w, 0, 1500);
	assert_true(file_size(f->path) > 4 * MIB);
	f->r = db_open(f->path, MIB);

	assert_int_equal(check_rows(f->r), expected_sum(0, 1500));
	s = stats(f->r);
	assert_int_equal(s.map_len, MIB);
	assert_true(s.in_map > 100);
	assert_true(s.not_mapped > 500);
}

/* The file grows past the mapping, written by another connection while
 * the reader still reads an older snapshot: the open read finishes on
 * what it began with, and once the file holds the new rows the next
 * read sees every one, mapped again. */
static void
test_growth(void **state)
{
	struct fx		*f = *state;
	struct sqvfs_stats	 s;
	sqlite3_stmt		*st;
	int64_t			 rows = 0;

	add_rows(f->w, 0, 1000);
	f->r = db_open(f->path, SQVFS_MAP_MAX);
	assert_int_equal(check_rows(f->r), expected_sum(0, 1000));
	s = stats(f->r);
	assert_int_equal(s.maps, 1);

	assert_int_equal(sqlite3_prepare_v2(f->r, "SELECT id FROM t", -1,
	    &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	add_rows(f->w, 1000, 4000);
	for (rows = 1; sqlite3_step(st) == SQLITE_ROW; rows++)
		;
	sqlite3_finalize(st);
	assert_int_equal(rows, 1000);

	/* The open read kept the rows in the log; now they reach the file. */
	sqtest_exec(f->w, "PRAGMA wal_checkpoint(TRUNCATE)");
	assert_true(file_size(f->path) > s.map_len);

	assert_int_equal(check_rows(f->r), expected_sum(0, 4000));
	s = stats(f->r);

	assert_int_equal(s.maps, 2);
	assert_int_equal(s.valid, file_size(f->path));
	assert_true(s.not_mapped <= 4);
}

/* The file shrinks under the mapping (VACUUM, then a checkpoint cuts it
 * short): nothing past the new end is read, and the rows are right. */
static void
test_shrink(void **state)
{
	struct fx		*f = *state;
	struct sqvfs_stats	 s;
	int64_t			 before;

	add_rows(f->w, 0, 3000);
	f->r = db_open(f->path, SQVFS_MAP_MAX);
	assert_int_equal(check_rows(f->r), expected_sum(0, 3000));
	before = file_size(f->path);

	sqtest_exec(f->w, "DELETE FROM t WHERE id >= 200");
	sqtest_exec(f->w, "VACUUM");
	sqtest_exec(f->w, "PRAGMA wal_checkpoint(TRUNCATE)");
	assert_true(file_size(f->path) < before / 4);

	assert_int_equal(check_rows(f->r), expected_sum(0, 200));
	s = stats(f->r);
	assert_true(s.valid <= file_size(f->path));
	assert_int_equal(sqtest_int(f->r, "SELECT count(*) FROM t"), 200);

	add_rows(f->w, 200, 2500);
	assert_int_equal(check_rows(f->r), expected_sum(0, 2500));
	assert_int_equal(stats(f->r).valid, file_size(f->path));
}

/* What the writer wrote past the old end of the file comes back right
 * when the writer itself reads it again. */
static void
test_writer_reads(void **state)
{
	struct fx	*f = *state;
	int		 i;

	for (i = 0; i < 4; i++) {
		add_rows(f->w, i * 700, (i + 1) * 700);
		sqtest_exec(f->w, "UPDATE t SET v = v WHERE id % 7 = 0");
		assert_int_equal(check_rows(f->w),
		    expected_sum(0, (i + 1) * 700));
	}
	assert_int_equal(sqtest_int(f->w, "SELECT count(*) FROM "
	    "pragma_integrity_check WHERE integrity_check != 'ok'"), 0);
	assert_true(stats(f->w).maps >= 1);
}

/* The process's resident size of mapped file pages, in bytes. */
static int64_t
rss_file(void)
{
	FILE		*fp = fopen("/proc/self/status", "r");
	char		 line[128];
	long long	 kb = -1;

	assert_non_null(fp);
	while (fgets(line, sizeof(line), fp) != NULL)
		if (sscanf(line, "RssFile: %lld kB", &kb) == 1)
			break;
	fclose(fp);
	assert_true(kb >= 0);
	return (int64_t)kb * 1024;
}

/* A reader gives back the mapped pages it touched once another
 * connection commits, so the resident size does not grow with the
 * store times the connections. */
static void
test_pages_given_back(void **state)
{
	struct fx	*f = *state;
	int64_t		 base;

	add_rows(f->w, 0, 3000);
	f->r = db_open(f->path, SQVFS_MAP_MAX);
	base = rss_file();

	assert_int_equal(check_rows(f->r), expected_sum(0, 3000));
	assert_true(rss_file() > base + 8 * MIB);

	add_rows(f->w, 3000, 3001);
	assert_int_equal(sqtest_int(f->r, "SELECT id FROM t WHERE id = 2"), 2);
	assert_true(rss_file() < base + 2 * MIB);
	assert_int_equal(check_rows(f->r), expected_sum(0, 3001));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_limit_kept, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_reads_in_place, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_limit_below_file, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_growth, setup, teardown),
		cmocka_unit_test_setup_teardown(test_shrink, setup, teardown),
		cmocka_unit_test_setup_teardown(test_writer_reads, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_pages_given_back, setup,
		    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
