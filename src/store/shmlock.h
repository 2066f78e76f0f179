/*
 * shmlock.h - SQLite's WAL read locks kept by the process between
 * transactions, instead of taken and dropped by a system call each time.
 *
 * In WAL mode every read transaction holds a shared lock on one of five
 * bytes of the "-shm" file (the read marks, bytes 123 to 127, as
 * SQLite's WAL file format documents them).  The unix file layer takes it
 * with fcntl() when the first connection of the process starts reading
 * and drops it with fcntl() when the last one ends, under a mutex every
 * thread of the process shares: two system calls and, with two HTTP
 * threads, a queue on that mutex for each small request.
 *
 * This file stands between the unix layer and fcntl().  When SQLite
 * drops a read-mark lock, the lock is only marked unused and stays held;
 * when SQLite takes it again, nothing needs to be called.  A lock unused
 * for the linger time (2 ms) is let go by a thread of this file, so other
 * processes (the CLI, the sqlite3 shell) wait at most that long for it.
 * Inside the process nothing changes: SQLite keeps its own count of who
 * holds what and never asks the system about its own locks.  Exclusive
 * locks, ranges and every other byte and file go to fcntl() unchanged.
 * Private to src/store.
 */
#ifndef TOBMEN_STORE_SHMLOCK_H
#define TOBMEN_STORE_SHMLOCK_H

#include <stdint.h>

#include <sqlite3.h>

/* How long, by default, an unused read lock stays held. */
#define SHMLOCK_LINGER_MS	2

struct shmlock_stats {
	int64_t	calls;	/* read-mark locks sent to fcntl() */
	int64_t	kept;		/* unlocks not passed on */
	int64_t	reused;	/* locks taken with no system call */
	int64_t	released;	/* kept locks let go by the thread */
};

/*
 * Routes the open(), close() and fcntl() of the unix layer vfs through
 * this file and starts the thread that lets unused locks go.  Call once,
 * before SQLite opens a file and before another thread uses SQLite; a
 * second call does nothing.  Returns an SQLite result code; on failure
 * nothing was changed.
 */
int	shmlock_install(sqlite3_vfs *vfs);

/* Copies the process's figures since shmlock_install into out. */
void	shmlock_stats(struct shmlock_stats *out);

/* Sets how long an unused lock stays held, in milliseconds (at least 1).
 * Tests lengthen it to count the calls saved. */
void	shmlock_set_linger(int ms);

#endif
