/*
 * shmlock.c - WAL read locks kept between transactions (see shmlock.h).
 * It owns the table of "-shm" descriptors the unix layer has open, what
 * this process holds on each one's read-mark bytes, and the thread that
 * lets unused locks go.  It never logs.
 *
 * A read-mark byte of a tracked descriptor is in one of four states.
 * SHARED and EXCL mirror what SQLite asked for; KEPT is a shared lock the
 * system still holds although SQLite let it go.  Every change of state
 * and every system call on those bytes happens under shm.mu, so the
 * thread can never drop a lock SQLite has just taken again.  The mutex is
 * a leaf: nothing is locked while it is held, and the unix layer's own
 * mutex may be held by the caller.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

#include "store/shmlock.h"

/* The read marks: bytes 123 to 127 of the -shm file. */
#define SHM_READ_FIRST	123
#define SHM_NREAD	5

/* Databases one process may have open with locks kept; more are left to
 * the unix layer alone. */
#define SHM_FDS		16

enum shm_hold {
	HOLD_NONE,
	HOLD_SHARED,		/* SQLite holds it shared */
	HOLD_KEPT,		/* SQLite let it go; the system holds it */
	HOLD_EXCL,		/* SQLite holds it exclusive */
};

struct shm_fd {
	int		fd;			/* -1: a free entry */
	uint8_t		hold[SHM_NREAD];	/* enum shm_hold */
	int64_t		since[SHM_NREAD];	/* when kept, ns */
};

static struct {
	pthread_mutex_t		 mu;
	pthread_cond_t		 cv;	/* wakes the thread */
	bool			 idle;	/* the thread waits on cv */
	int			 nkept;
	int64_t			 linger; /* ns */
	struct shm_fd		 fds[SHM_FDS];
	struct shmlock_stats	 st;
	bool			 installed;
	int			(*open)(const char *, int, int);
	int			(*close)(int);
	int			(*fcntl)(int, int, ...);
} shm = {
	.mu = PTHREAD_MUTEX_INITIALIZER,
	.linger = (int64_t)SHMLOCK_LINGER_MS * 1000000,
};

static int64_t
shm_now(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* The entry of descriptor fd, or NULL.  Under shm.mu. */
static struct shm_fd *
shm_find(int fd)
{
	int	i;

	for (i = 0; i < SHM_FDS; i++)
		if (shm.fds[i].fd == fd)
			return &shm.fds[i];
	return NULL;
}

/* Records that byte b of s is now as lock type type left it, after the
 * system agreed.  Under shm.mu. */
static void
shm_set(struct shm_fd *s, int b, short type)
{
	if (s->hold[b] == HOLD_KEPT)
		shm.nkept--;
	if (type == F_RDLCK)
		s->hold[b] = HOLD_SHARED;
	else if (type == F_WRLCK)
		s->hold[b] = HOLD_EXCL;
	else
		s->hold[b] = HOLD_NONE;
}

/* One read-mark byte: a shared lock taken while kept, or a shared lock
 * let go, costs no system call; the rest is passed on.  Under shm.mu. */
static int
shm_lock_one(struct shm_fd *s, int op, struct flock *fl)
{
	int	b = (int)fl->l_start - SHM_READ_FIRST;
	int	rc;

	if (fl->l_type == F_RDLCK && s->hold[b] == HOLD_KEPT) {
		s->hold[b] = HOLD_SHARED;
		shm.nkept--;
		shm.st.reused++;
		return 0;
	}
	if (fl->l_type == F_UNLCK && s->hold[b] == HOLD_SHARED) {
		s->hold[b] = HOLD_KEPT;
		s->since[b] = shm_now();
		shm.nkept++;
		shm.st.kept++;
		if (shm.idle) {
			shm.idle = false;
			pthread_cond_signal(&shm.cv);
		}
		return 0;
	}

	shm.st.calls++;
	if ((rc = shm.fcntl(s->fd, op, fl)) == 0)
		shm_set(s, b, fl->l_type);
	return rc;
}

/* A lock over several bytes, some of them read marks: passed on, then
 * recorded for each read mark it covers.  Under shm.mu. */
static int
shm_lock_range(struct shm_fd *s, int op, struct flock *fl, int64_t first,
    int64_t end)
{
	int64_t	b;
	int	rc;

	shm.st.calls++;
	if ((rc = shm.fcntl(s->fd, op, fl)) != 0)
		return rc;
	if (first < SHM_READ_FIRST)
		first = SHM_READ_FIRST;
	if (end > SHM_READ_FIRST + SHM_NREAD)
		end = SHM_READ_FIRST + SHM_NREAD;
	for (b = first; b < end; b++)
		shm_set(s, (int)(b - SHM_READ_FIRST), fl->l_type);
	return 0;
}

/* F_SETLK and F_SETLKW: those touching a tracked descriptor's read marks
 * are handled here, the rest passed on. */
static int
shm_lock(int fd, int op, struct flock *fl)
{
	struct shm_fd	*s;
	int64_t		 first = fl->l_start, end;
	int		 rc, saved;

	end = fl->l_len == 0 ? INT64_MAX : first + fl->l_len;
	if (fl->l_whence != SEEK_SET || fl->l_len < 0 ||
	    end <= SHM_READ_FIRST || first >= SHM_READ_FIRST + SHM_NREAD)
		return shm.fcntl(fd, op, fl);

	pthread_mutex_lock(&shm.mu);
	if ((s = shm_find(fd)) == NULL)
		rc = shm.fcntl(fd, op, fl);
	else if (fl->l_len == 1)
		rc = shm_lock_one(s, op, fl);
	else
		rc = shm_lock_range(s, op, fl, first, end);
	saved = errno;
	pthread_mutex_unlock(&shm.mu);
	errno = saved;
	return rc;
}

/* The unix layer's fcntl().  SQLite always passes a third argument: a
 * struct flock for the lock commands, an int for the others. */
static int
shm_sys_fcntl(int fd, int op, ...)
{
	va_list		 ap;
	struct flock	*fl;
	int		 arg;

	va_start(ap, op);
	switch (op) {
	case F_SETLK:
	case F_SETLKW:
		fl = va_arg(ap, struct flock *);
		va_end(ap);
		return shm_lock(fd, op, fl);
	case F_GETLK:
	case F_OFD_GETLK:
	case F_OFD_SETLK:
	case F_OFD_SETLKW:
		fl = va_arg(ap, struct flock *);
		va_end(ap);
		return shm.fcntl(fd, op, fl);
	default:
		arg = va_arg(ap, int);
		va_end(ap);
		return shm.fcntl(fd, op, arg);
	}
}

/* The unix layer's open(): tracks each -shm file it opens. */
static int
shm_sys_open(const char *path, int flags, int mode)
{
	size_t	n = strlen(path);
	int	fd, i;

	fd = shm.open(path, flags, mode);
	if (fd < 0 || n < 4 || strcmp(path + n - 4, "-shm") != 0)
		return fd;

	pthread_mutex_lock(&shm.mu);
	for (i = 0; i < SHM_FDS && shm.fds[i].fd != -1; i++)
		;
	if (i < SHM_FDS) {
		memset(&shm.fds[i], 0, sizeof(shm.fds[i]));
		shm.fds[i].fd = fd;
	}
	pthread_mutex_unlock(&shm.mu);
	return fd;
}

/* The unix layer's close(): closing drops every lock of the file, kept
 * ones too, so the entry goes first. */
static int
shm_sys_close(int fd)
{
	struct shm_fd	*s;
	int		 b;

	pthread_mutex_lock(&shm.mu);
	if ((s = shm_find(fd)) != NULL) {
		for (b = 0; b < SHM_NREAD; b++)
			shm_set(s, b, F_UNLCK);
		s->fd = -1;
	}
	pthread_mutex_unlock(&shm.mu);
	return shm.close(fd);
}

/* Lets go every lock kept for the linger time by now; returns when the
 * next one will have been.  Under shm.mu. */
static int64_t
shm_release_old(int64_t now)
{
	struct flock	 fl = { .l_type = F_UNLCK, .l_whence = SEEK_SET,
			    .l_len = 1 };
	struct shm_fd	*s;
	int64_t		 next = now + shm.linger;
	int		 i, b;

	for (i = 0; i < SHM_FDS; i++) {
		s = &shm.fds[i];
		for (b = 0; s->fd != -1 && b < SHM_NREAD; b++) {
			if (s->hold[b] != HOLD_KEPT)
				continue;
			if (now - s->since[b] < shm.linger) {
				if (s->since[b] + shm.linger < next)
					next = s->since[b] + shm.linger;
				continue;
			}
			fl.l_start = SHM_READ_FIRST + b;
			if (shm.fcntl(s->fd, F_SETLK, &fl) == 0) {
				shm_set(s, b, F_UNLCK);
				shm.st.released++;
			}
		}
	}
	return next;
}

/* The thread: sleeps while nothing is kept, else lets go what has been
 * unused for the linger time and sleeps until the next one will have
 * been.  Lock calls wake it only from the first sleep. */
static void *
shm_releaser(void *arg)
{
	struct timespec	ts;
	int64_t		next;

	(void)arg;
	pthread_mutex_lock(&shm.mu);
	for (;;) {
		if (shm.nkept == 0) {
			shm.idle = true;
			while (shm.idle)
				pthread_cond_wait(&shm.cv, &shm.mu);
			continue;
		}
		next = shm_release_old(shm_now());
		ts.tv_sec = (time_t)(next / 1000000000);
		ts.tv_nsec = (long)(next % 1000000000);
		pthread_cond_timedwait(&shm.cv, &shm.mu, &ts);
	}
	return NULL;
}

/* Starts the thread with every signal blocked, so signals keep going to
 * the threads that expect them. */
static int
shm_start(void)
{
	pthread_condattr_t	ca;
	pthread_attr_t		at;
	pthread_t		t;
	sigset_t		all, old;
	int			rc;

	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&shm.cv, &ca);
	pthread_condattr_destroy(&ca);

	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	pthread_attr_init(&at);
	pthread_attr_setdetachstate(&at, PTHREAD_CREATE_DETACHED);
	rc = pthread_create(&t, &at, shm_releaser, NULL);
	pthread_attr_destroy(&at);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return rc == 0 ? 0 : -1;
}

int
shmlock_install(sqlite3_vfs *vfs)
{
	sqlite3_syscall_ptr	o, c, f;
	int			i;

	if (shm.installed)
		return SQLITE_OK;
	if (vfs == NULL || vfs->iVersion < 3)
		return SQLITE_ERROR;
	o = vfs->xGetSystemCall(vfs, "open");
	c = vfs->xGetSystemCall(vfs, "close");
	f = vfs->xGetSystemCall(vfs, "fcntl");
	if (o == NULL || c == NULL || f == NULL)
		return SQLITE_ERROR;

	for (i = 0; i < SHM_FDS; i++)
		shm.fds[i].fd = -1;
	shm.open = (int (*)(const char *, int, int))o;
	shm.close = (int (*)(int))c;
	shm.fcntl = (int (*)(int, int, ...))f;
	if (shm_start() != 0)
		return SQLITE_ERROR;

	/* The open hook goes last: until it is in, nothing is tracked and
	 * the other two pass everything on. */
	if (vfs->xSetSystemCall(vfs, "fcntl",
	    (sqlite3_syscall_ptr)shm_sys_fcntl) != SQLITE_OK ||
	    vfs->xSetSystemCall(vfs, "close",
	    (sqlite3_syscall_ptr)shm_sys_close) != SQLITE_OK ||
	    vfs->xSetSystemCall(vfs, "open",
	    (sqlite3_syscall_ptr)shm_sys_open) != SQLITE_OK) {
		vfs->xSetSystemCall(vfs, "fcntl", f);
		vfs->xSetSystemCall(vfs, "close", c);
		return SQLITE_ERROR;
	}
	shm.installed = true;
	return SQLITE_OK;
}

void
shmlock_stats(struct shmlock_stats *out)
{
	pthread_mutex_lock(&shm.mu);
	*out = shm.st;
	pthread_mutex_unlock(&shm.mu);
}

void
shmlock_set_linger(int ms)
{
	pthread_mutex_lock(&shm.mu);
	shm.linger = (int64_t)(ms < 1 ? 1 : ms) * 1000000;
	if (shm.installed) {
		shm.idle = false;
		pthread_cond_broadcast(&shm.cv);
	}
	pthread_mutex_unlock(&shm.mu);
}
