/*
 * test_shmlock.c - WAL read locks kept between transactions, on real
 * files and against a real second process: reads after the first take
 * no system call; a kept lock is a real lock to other processes, and is
 * let go once unused for the linger time; a read in progress is never
 * let go; closing forgets the descriptor.
 *
 * The second process is this program run again ("checkpoint DB"), which
 * opens the store with SQLite's own file layer and reports what
 * PRAGMA wal_checkpoint(TRUNCATE) answered and how many rows it sees.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "store/shmlock.h"
#include "sqtest.h"

/* A linger no test outlasts: nothing is let go while it is set. */
#define LONG_MS		600000

struct fx {
	char	 dir[64];
	char	 path[96];
	char	 shm[112];
	sqlite3	*w;		/* the writer */
	sqlite3	*r;		/* a reader */
};

/* What the second process saw. */
struct other {
	int	busy;		/* wal_checkpoint's first column */
	int	log;		/* its second: frames left in the log */
	int64_t	rows;
};

static void
add_rows(sqlite3 *db, int n)
{
	char	sql[160];

	snprintf(sql, sizeof(sql), "WITH RECURSIVE n(i) AS (SELECT 1 "
	    "UNION ALL SELECT i + 1 FROM n WHERE i < %d) "
	    "INSERT INTO t (v) SELECT printf('%%.500c', 'x') FROM n", n);
	sqtest_exec(db, sql);
}

static struct shmlock_stats
stats(void)
{
	struct shmlock_stats	s;

	shmlock_stats(&s);
	return s;
}

/* How many of the read-mark bytes of shm some other process sees
 * locked (none when the file is gone), asked from a child process: a
 * process never sees its own locks. */
static int
marks_held(const char *shm)
{
	struct flock	fl;
	pid_t		pid;
	int		status, fd, b, n = 0;

	if ((pid = fork()) == 0) {
		if ((fd = open(shm, O_RDWR)) == -1)
			_exit(errno == ENOENT ? 0 : 100);
		for (b = 123; b < 128; b++) {
			memset(&fl, 0, sizeof(fl));
			fl.l_type = F_WRLCK;
			fl.l_whence = SEEK_SET;
			fl.l_start = b;
			fl.l_len = 1;
			if (fcntl(fd, F_GETLK, &fl) == -1)
				_exit(101);
			if (fl.l_type != F_UNLCK)
				n++;
		}
		_exit(n);
	}
	assert_true(pid > 0);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_true(WEXITSTATUS(status) <= 5);
	return WEXITSTATUS(status);
}

/* Waits up to 10 s for the marks to be free; false if they never are. */
static bool
marks_freed(const char *shm)
{
	struct timespec	ts = { 0, 2000000 };
	int		i;

	for (i = 0; i < 5000; i++) {
		if (marks_held(shm) == 0)
			return true;
		nanosleep(&ts, NULL);
	}
	return false;
}

/* Runs this program as another process to checkpoint path, waiting for
 * locks up to busy_ms. */
static struct other
other_checkpoint(const char *path, int busy_ms)
{
	struct other	o = { -1, -1, -1 };
	char		ms[16], out[128];
	ssize_t		n;
	pid_t		pid;
	int		p[2], status;

	snprintf(ms, sizeof(ms), "%d", busy_ms);
	assert_int_equal(pipe(p), 0);
	if ((pid = fork()) == 0) {
		dup2(p[1], 1);
		close(p[0]);
		close(p[1]);
		execl("/proc/self/exe", "test_shmlock", "checkpoint", path,
		    ms, (char *)NULL);
		_exit(127);
	}
	assert_true(pid > 0);
	close(p[1]);
	n = read(p[0], out, sizeof(out) - 1);
	close(p[0]);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	assert_true(n > 0);
	out[n] = '\0';
	assert_int_equal(sscanf(out, "%d %d %lld", &o.busy, &o.log,
	    (long long *)&o.rows), 3);
	return o;
}

/* Another process's checkpoint, waiting 100 ms, cannot restart the log
 * past a reader of this one; it sees rows rows. */
static void
other_blocked(const char *path, int64_t rows)
{
	struct other	o = other_checkpoint(path, 100);

	assert_int_equal(o.busy, 1);
	assert_int_equal(o.rows, rows);
}

/* Another process's checkpoint, waiting up to 10 s, empties the log; it
 * sees rows rows. */
static void
other_restarts(const char *path, int64_t rows)
{
	struct other	o = other_checkpoint(path, 10000);

	assert_int_equal(o.busy, 0);
	assert_int_equal(o.log, 0);
	assert_int_equal(o.rows, rows);
}

/* The second process: "checkpoint DB BUSY_MS". */
static int
other_main(const char *path, const char *busy_ms)
{
	sqlite3		*db = NULL;
	sqlite3_stmt	*st = NULL;
	int		 busy, log, rc = 1;
	long long	 rows;

	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL) !=
	    SQLITE_OK)
		goto out;
	sqlite3_busy_timeout(db, atoi(busy_ms));
	if (sqlite3_prepare_v2(db, "PRAGMA wal_checkpoint(TRUNCATE)", -1,
	    &st, NULL) != SQLITE_OK || sqlite3_step(st) != SQLITE_ROW)
		goto out;
	busy = sqlite3_column_int(st, 0);
	log = sqlite3_column_int(st, 1);
	sqlite3_finalize(st);
	if (sqlite3_prepare_v2(db, "SELECT count(*) FROM t", -1, &st,
	    NULL) != SQLITE_OK || sqlite3_step(st) != SQLITE_ROW)
		goto out;
	rows = sqlite3_column_int64(st, 0);
	printf("%d %d %lld\n", busy, log, rows);
	rc = 0;

out:
	if (rc != 0)
		fprintf(stderr, "checkpoint: %s\n", sqlite3_errmsg(db));
	sqlite3_finalize(st);
	sqlite3_close(db);
	return rc;
}

/* Many reads after the first take no system call, and the lock they
 * leave is there for other processes to see until it is let go. */
static void
test_reads_keep_lock(void **state)
{
	struct fx		*f = *state;
	struct shmlock_stats	 a, b;
	int			 i;

	shmlock_set_linger(LONG_MS);
	assert_int_equal(sqtest_int(f->r, "SELECT count(*) FROM t"), 100);
	a = stats();
	for (i = 0; i < 50; i++)
		assert_int_equal(sqtest_int(f->r, "SELECT count(*) FROM t"),
		    100);
	b = stats();
	assert_int_equal(b.calls, a.calls);
	assert_int_equal(b.reused - a.reused, 50);
	assert_int_equal(b.kept - a.kept, 50);
	assert_int_equal(marks_held(f->shm), 1);

	shmlock_set_linger(1);
	assert_true(marks_freed(f->shm));
	assert_true(stats().released > b.released);
	assert_int_equal(sqtest_int(f->r, "SELECT count(*) FROM t"), 100);
}

/* A kept lock is a real lock: another process's checkpoint cannot
 * restart the log past it until it is let go, and then can. */
static void
test_kept_lock_holds_others(void **state)
{
	struct fx	*f = *state;

	shmlock_set_linger(LONG_MS);
	assert_int_equal(sqtest_int(f->r, "SELECT count(*) FROM t"), 100);
	add_rows(f->w, 10);
	assert_int_equal(marks_held(f->shm), 1);
	other_blocked(f->path, 110);

	shmlock_set_linger(1);
	other_restarts(f->path, 110);
	assert_int_equal(sqtest_int(f->r, "SELECT count(*) FROM t"), 110);
}

/* A read in progress keeps its lock however short the linger; once it
 * ends, the lock goes and the other process restarts the log. */
static void
test_open_read_never_released(void **state)
{
	struct fx	*f = *state;
	struct timespec	 ts = { 0, 50000000 };

	shmlock_set_linger(1);
	sqtest_exec(f->r, "BEGIN");
	assert_int_equal(sqtest_int(f->r, "SELECT count(*) FROM t"), 100);
	add_rows(f->w, 5);
	nanosleep(&ts, NULL);
	assert_int_equal(marks_held(f->shm), 1);
	other_blocked(f->path, 105);
	assert_int_equal(sqtest_int(f->r, "SELECT count(*) FROM t"), 100);
	sqtest_exec(f->r, "COMMIT");

	other_restarts(f->path, 105);
	assert_int_equal(sqtest_int(f->r, "SELECT count(*) FROM t"), 105);
}

/* Closing the last connection drops the kept lock with the descriptor;
 * connections opened again start clean and read what was written. */
static void
test_close_forgets(void **state)
{
	struct fx	*f = *state;
	int		 i;

	shmlock_set_linger(LONG_MS);
	for (i = 0; i < 20; i++) {
		assert_int_equal(sqtest_int(f->r, "SELECT count(*) FROM t"),
		    100 + i);
		add_rows(f->w, 1);
		assert_true(marks_held(f->shm) >= 1);
		sqlite3_close(f->r);
		sqlite3_close(f->w);
		assert_int_equal(marks_held(f->shm), 0);
		f->w = sqtest_open(f->path, NULL);
		f->r = sqtest_open(f->path, NULL);
	}
	assert_int_equal(sqtest_int(f->r, "SELECT count(*) FROM t"), 120);
	shmlock_set_linger(1);
}

static int
setup(void **state)
{
	struct fx	*f = calloc(1, sizeof(*f));

	assert_non_null(f);
	snprintf(f->dir, sizeof(f->dir), "/tmp/tobmen-shmlock-XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->path, sizeof(f->path), "%s/t.db", f->dir);
	snprintf(f->shm, sizeof(f->shm), "%s-shm", f->path);
	f->w = sqtest_open(f->path, NULL);
	sqtest_exec(f->w, "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)");
	add_rows(f->w, 100);
	f->r = sqtest_open(f->path, NULL);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fx	*f = *state;
	char		 p[128];

	sqlite3_close(f->r);
	sqlite3_close(f->w);
	shmlock_set_linger(1);
	snprintf(p, sizeof(p), "%s-wal", f->path);
	unlink(p);
	unlink(f->shm);
	unlink(f->path);
	rmdir(f->dir);
	free(f);
	return 0;
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_reads_keep_lock, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_kept_lock_holds_others,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_open_read_never_released,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_close_forgets, setup,
		    teardown),
	};

	if (argc == 4 && strcmp(argv[1], "checkpoint") == 0)
		return other_main(argv[2], argv[3]);
	if (shmlock_install(sqlite3_vfs_find("unix")) != SQLITE_OK) {
		fprintf(stderr, "shmlock_install failed\n");
		return 1;
	}
	return cmocka_run_group_tests(tests, NULL, NULL);
}
