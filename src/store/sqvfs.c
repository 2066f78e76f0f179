/*
 * sqvfs.c - SQLite's unix file layer with the database file mapped whole
 * (see sqvfs.h).  It owns each database file's mapping and the count of
 * pages SQLite holds from it; the unix layer keeps the descriptor, the
 * locks and every other file.  It never logs.
 *
 * The mapping is read-only and shared, so it shows what any connection
 * wrote as soon as it is written.  It may reach past the end of the
 * file, to leave room to grow; only pages inside the file are handed
 * out, and the file's size is read again whenever SQLite says the file
 * may have changed (xUnfetch of nothing, at the start of a read after
 * another commit) or this connection wrote past the end or truncated.
 * A mapping is replaced only while SQLite holds none of its pages.
 */
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>

#include <sqlite3.h>

#include "store/sqvfs.h"

/* SQLite may read a little past the end of a damaged page, so a page is
 * handed out only when this much of the file follows it. */
#define SQVFS_TAIL	256

/* A new mapping covers the file, a quarter more, rounded up to this. */
#define SQVFS_STEP	((sqlite3_int64)1 << 20)

struct sqvfs_file {
	sqlite3_file	 base;		/* first: SQLite sees this */
	sqlite3_file	*real;		/* the unix file, next */
	int		 fd;		/* its descriptor, or -1 */
	int		 out;		/* pages lent to SQLite */
	bool		 stale;		/* size to read again */
	bool		 touched;	/* pages handed out since the last
					 * madvise */
	char		*map;
	sqlite3_int64	 map_len;	/* bytes mapped */
	sqlite3_int64	 size;		/* file size last read */
	sqlite3_int64	 valid;		/* mapped, in the file */
	sqlite3_int64	 limit;		/* the most to map */
	sqlite3_int64	 tried;		/* size at the last mmap */
	sqlite3_int64	 in_map;
	sqlite3_int64	 not_mapped;
	sqlite3_int64	 maps;
};

/* The open() in progress on this thread whose descriptor is wanted. */
struct sqvfs_capture {
	const char	*path;
	int		 fd;
};

static sqlite3_vfs			*sqvfs_unix;
static int				(*sqvfs_open_next)(const char *, int,
					    int);
static _Thread_local struct sqvfs_capture *sqvfs_capturing;
static bool				 sqvfs_registered;

#define REAL(file)	(((struct sqvfs_file *)(file))->real)
#define RM(file)	(REAL(file)->pMethods)

/* The unix layer's open(): notes the descriptor of the file being opened
 * through this layer on this thread. */
static int
sqvfs_sys_open(const char *path, int flags, int mode)
{
	struct sqvfs_capture	*c = sqvfs_capturing;
	int			 fd;

	fd = sqvfs_open_next(path, flags, mode);
	if (fd >= 0 && c != NULL && strcmp(path, c->path) == 0)
		c->fd = fd;
	return fd;
}

static void
sqvfs_unmap(struct sqvfs_file *f)
{
	if (f->map != NULL)
		munmap(f->map, (size_t)f->map_len);
	f->map = NULL;
	f->map_len = 0;
	f->valid = 0;
}

/* Reads the file's size again; the part of the mapping inside the file
 * follows it. */
static int
sqvfs_refresh(struct sqvfs_file *f)
{
	sqlite3_int64	size;
	int		rc;

	rc = RM(f)->xFileSize(f->real, &size);
	if (rc != SQLITE_OK)
		return rc;
	f->size = size;
	f->valid = size < f->map_len ? size : f->map_len;
	f->stale = false;
	return SQLITE_OK;
}

/* Maps the file again, larger, when no page of the old map is out: at
 * the first page SQLite asks for after the file grew, as a statement
 * holds pages from then on.  A failed mmap leaves the file unmapped
 * until its size changes. */
static void
sqvfs_remap(struct sqvfs_file *f)
{
	sqlite3_int64	 len;
	void		*p;

	if (f->out > 0 || f->size == f->tried || f->map_len >= f->limit ||
	    f->map_len >= f->size)
		return;
	f->tried = f->size;

	len = f->size + f->size / 4 + SQVFS_STEP - 1;
	len -= len % SQVFS_STEP;
	if (len > f->limit)
		len = f->limit;
	sqvfs_unmap(f);

	p = mmap(NULL, (size_t)len, PROT_READ, MAP_SHARED, f->fd, 0);
	if (p == MAP_FAILED)
		return;
	f->map = p;
	f->map_len = len;
	f->valid = f->size < len ? f->size : len;
	f->maps++;
}

static int
sqvfs_fetch(sqlite3_file *file, sqlite3_int64 off, int amt, void **pp)
{
	struct sqvfs_file	*f = (struct sqvfs_file *)file;
	int			 rc;

	*pp = NULL;
	if (f->fd < 0)
		return RM(f)->xFetch(f->real, off, amt, pp);
	if (f->limit <= 0)
		return SQLITE_OK;

	if (f->stale && (rc = sqvfs_refresh(f)) != SQLITE_OK)
		return rc;
	if (f->map_len < f->size)
		sqvfs_remap(f);

	if (off + amt + SQVFS_TAIL > f->valid) {
		f->not_mapped++;
		return SQLITE_OK;
	}
	f->out++;
	f->in_map++;
	f->touched = true;
	*pp = f->map + off;
	return SQLITE_OK;
}

/*
 * Takes a page back, or, for no page, hears that the file may have
 * changed since SQLite last looked (no page is out then).  The unix
 * layer drops its mapping there; this one keeps the mapping and reads
 * the size again at the next fetch.  That is safe on Linux: a shared
 * mapping shows the file as it is now, even after it was cut short and
 * grown again, and no page past the end is handed out.  It does give
 * back the pages it touched, as the unix layer's unmapping does: the
 * kernel counts each mapped page in the process's resident size once
 * per connection, which would otherwise reach the file's size times
 * the pool's.  They stay in the page cache; the next touch maps them
 * again without reading the disk.
 */
static int
sqvfs_unfetch(sqlite3_file *file, sqlite3_int64 off, void *p)
{
	struct sqvfs_file	*f = (struct sqvfs_file *)file;

	if (f->fd < 0)
		return RM(f)->xUnfetch(f->real, off, p);
	if (p != NULL) {
		f->out--;
		return SQLITE_OK;
	}

	f->stale = true;
	if (f->touched && f->map != NULL)
		(void)madvise(f->map, (size_t)f->map_len, MADV_DONTNEED);
	f->touched = false;
	return SQLITE_OK;
}

/* PRAGMA mmap_size: answers the old limit and, when no page is out (as
 * the unix layer does), sets the new one.  A negative value only asks. */
static int
sqvfs_set_limit(struct sqvfs_file *f, sqlite3_int64 *arg)
{
	sqlite3_int64	want = *arg;

	*arg = f->limit;
	if (want < 0 || f->out > 0)
		return SQLITE_OK;
	if (want > SQVFS_MAP_MAX)
		want = SQVFS_MAP_MAX;
	if (sizeof(size_t) < 8 && want > INT32_MAX)
		want = INT32_MAX;

	f->limit = want;
	if (f->map_len > want)
		sqvfs_unmap(f);
	f->tried = -1;
	f->stale = true;
	return SQLITE_OK;
}

static int
sqvfs_file_control(sqlite3_file *file, int op, void *arg)
{
	struct sqvfs_file	*f = (struct sqvfs_file *)file;
	struct sqvfs_stats	*st = arg;

	if (op == SQLITE_FCNTL_MMAP_SIZE && f->fd >= 0)
		return sqvfs_set_limit(f, arg);
	if (op != SQVFS_FCNTL_STATS)
		return RM(f)->xFileControl(f->real, op, arg);

	st->in_map = f->in_map;
	st->not_mapped = f->not_mapped;
	st->maps = f->maps;
	st->map_len = f->map_len;
	st->valid = f->valid;
	st->limit = f->limit;
	st->fd_known = f->fd >= 0;
	return SQLITE_OK;
}

static int
sqvfs_close(sqlite3_file *file)
{
	struct sqvfs_file	*f = (struct sqvfs_file *)file;

	sqvfs_unmap(f);
	return RM(f)->xClose(f->real);
}

/* Reads with the unix layer, never from the mapping: SQLite reads this
 * way while writing, when it keeps its own copy of the page anyway, and
 * a writer that sees no other commit would never give the mapping's
 * pages back (see sqvfs_unfetch). */
static int
sqvfs_read(sqlite3_file *file, void *buf, int amt, sqlite3_int64 off)
{
	return RM(file)->xRead(REAL(file), buf, amt, off);
}

static int
sqvfs_write(sqlite3_file *file, const void *buf, int amt,
    sqlite3_int64 off)
{
	struct sqvfs_file	*f = (struct sqvfs_file *)file;

	if (off + amt > f->size)
		f->stale = true;
	return RM(f)->xWrite(f->real, buf, amt, off);
}

static int
sqvfs_truncate(sqlite3_file *file, sqlite3_int64 size)
{
	struct sqvfs_file	*f = (struct sqvfs_file *)file;

	if (size < f->valid)
		f->valid = size;
	f->stale = true;
	return RM(f)->xTruncate(f->real, size);
}

/* The rest goes to the unix file as it is. */

static int
sqvfs_sync(sqlite3_file *file, int flags)
{
	return RM(file)->xSync(REAL(file), flags);
}

static int
sqvfs_file_size(sqlite3_file *file, sqlite3_int64 *size)
{
	return RM(file)->xFileSize(REAL(file), size);
}

static int
sqvfs_lock(sqlite3_file *file, int level)
{
	return RM(file)->xLock(REAL(file), level);
}

static int
sqvfs_unlock(sqlite3_file *file, int level)
{
	return RM(file)->xUnlock(REAL(file), level);
}

static int
sqvfs_reserved(sqlite3_file *file, int *out)
{
	return RM(file)->xCheckReservedLock(REAL(file), out);
}

static int
sqvfs_sector_size(sqlite3_file *file)
{
	return RM(file)->xSectorSize(REAL(file));
}

static int
sqvfs_device(sqlite3_file *file)
{
	return RM(file)->xDeviceCharacteristics(REAL(file));
}

static int
sqvfs_shm_map(sqlite3_file *file, int region, int size, int extend,
    void volatile **pp)
{
	return RM(file)->xShmMap(REAL(file), region, size, extend, pp);
}

static int
sqvfs_shm_lock(sqlite3_file *file, int offset, int n, int flags)
{
	return RM(file)->xShmLock(REAL(file), offset, n, flags);
}

static void
sqvfs_shm_barrier(sqlite3_file *file)
{
	RM(file)->xShmBarrier(REAL(file));
}

static int
sqvfs_shm_unmap(sqlite3_file *file, int delete)
{
	return RM(file)->xShmUnmap(REAL(file), delete);
}

static const sqlite3_io_methods sqvfs_io = {
	.iVersion = 3,
	.xClose = sqvfs_close,
	.xRead = sqvfs_read,
	.xWrite = sqvfs_write,
	.xTruncate = sqvfs_truncate,
	.xSync = sqvfs_sync,
	.xFileSize = sqvfs_file_size,
	.xLock = sqvfs_lock,
	.xUnlock = sqvfs_unlock,
	.xCheckReservedLock = sqvfs_reserved,
	.xFileControl = sqvfs_file_control,
	.xSectorSize = sqvfs_sector_size,
	.xDeviceCharacteristics = sqvfs_device,
	.xShmMap = sqvfs_shm_map,
	.xShmLock = sqvfs_shm_lock,
	.xShmBarrier = sqvfs_shm_barrier,
	.xShmUnmap = sqvfs_shm_unmap,
	.xFetch = sqvfs_fetch,
	.xUnfetch = sqvfs_unfetch,
};

/*
 * Opens the database file through the unix layer, noting its descriptor;
 * anything else is the unix layer's own file.  When the unix layer took
 * a descriptor it had kept from an earlier connection (no open() then),
 * the file is left to the unix layer's own, smaller, mapping.
 */
static int
sqvfs_open(sqlite3_vfs *vfs, const char *name, sqlite3_file *file,
    int flags, int *out_flags)
{
	struct sqvfs_file	*f = (struct sqvfs_file *)file;
	struct sqvfs_capture	 cap = { .path = name, .fd = -1 };
	int			 rc;

	(void)vfs;
	if (!(flags & SQLITE_OPEN_MAIN_DB) || name == NULL)
		return sqvfs_unix->xOpen(sqvfs_unix, name, file, flags,
		    out_flags);

	memset(f, 0, sizeof(*f));
	f->real = (sqlite3_file *)(f + 1);
	f->fd = -1;
	sqvfs_capturing = &cap;
	rc = sqvfs_unix->xOpen(sqvfs_unix, name, f->real, flags, out_flags);
	sqvfs_capturing = NULL;
	if (rc != SQLITE_OK) {
		if (f->real->pMethods != NULL)
			f->real->pMethods->xClose(f->real);
		return rc;
	}
	if (f->real->pMethods->iVersion < 3) {
		f->real->pMethods->xClose(f->real);
		return SQLITE_CANTOPEN;
	}

	f->fd = cap.fd;
	f->stale = true;
	f->base.pMethods = &sqvfs_io;
	return SQLITE_OK;
}

static int
sqvfs_delete(sqlite3_vfs *vfs, const char *name, int sync_dir)
{
	(void)vfs;
	return sqvfs_unix->xDelete(sqvfs_unix, name, sync_dir);
}

static int
sqvfs_access(sqlite3_vfs *vfs, const char *name, int flags, int *out)
{
	(void)vfs;
	return sqvfs_unix->xAccess(sqvfs_unix, name, flags, out);
}

static int
sqvfs_full_path(sqlite3_vfs *vfs, const char *name, int n, char *out)
{
	(void)vfs;
	return sqvfs_unix->xFullPathname(sqvfs_unix, name, n, out);
}

static void *
sqvfs_dl_open(sqlite3_vfs *vfs, const char *name)
{
	(void)vfs;
	return sqvfs_unix->xDlOpen(sqvfs_unix, name);
}

static void
sqvfs_dl_error(sqlite3_vfs *vfs, int n, char *out)
{
	(void)vfs;
	sqvfs_unix->xDlError(sqvfs_unix, n, out);
}

static void
(*sqvfs_dl_sym(sqlite3_vfs *vfs, void *lib, const char *sym))(void)
{
	(void)vfs;
	return sqvfs_unix->xDlSym(sqvfs_unix, lib, sym);
}

static void
sqvfs_dl_close(sqlite3_vfs *vfs, void *lib)
{
	(void)vfs;
	sqvfs_unix->xDlClose(sqvfs_unix, lib);
}

static int
sqvfs_randomness(sqlite3_vfs *vfs, int n, char *out)
{
	(void)vfs;
	return sqvfs_unix->xRandomness(sqvfs_unix, n, out);
}

static int
sqvfs_sleep(sqlite3_vfs *vfs, int us)
{
	(void)vfs;
	return sqvfs_unix->xSleep(sqvfs_unix, us);
}

static int
sqvfs_time(sqlite3_vfs *vfs, double *out)
{
	(void)vfs;
	return sqvfs_unix->xCurrentTime(sqvfs_unix, out);
}

static int
sqvfs_last_error(sqlite3_vfs *vfs, int n, char *out)
{
	(void)vfs;
	return sqvfs_unix->xGetLastError(sqvfs_unix, n, out);
}

static int
sqvfs_time64(sqlite3_vfs *vfs, sqlite3_int64 *out)
{
	(void)vfs;
	return sqvfs_unix->xCurrentTimeInt64(sqvfs_unix, out);
}

static sqlite3_vfs sqvfs_vfs = {
	.iVersion = 2,
	.zName = SQVFS_NAME,
	.xOpen = sqvfs_open,
	.xDelete = sqvfs_delete,
	.xAccess = sqvfs_access,
	.xFullPathname = sqvfs_full_path,
	.xDlOpen = sqvfs_dl_open,
	.xDlError = sqvfs_dl_error,
	.xDlSym = sqvfs_dl_sym,
	.xDlClose = sqvfs_dl_close,
	.xRandomness = sqvfs_randomness,
	.xSleep = sqvfs_sleep,
	.xCurrentTime = sqvfs_time,
	.xGetLastError = sqvfs_last_error,
	.xCurrentTimeInt64 = sqvfs_time64,
};

int
sqvfs_register(void)
{
	sqlite3_syscall_ptr	next;
	int			rc;

	if (sqvfs_registered)
		return SQLITE_OK;
	sqvfs_unix = sqlite3_vfs_find(NULL);
	if (sqvfs_unix == NULL || strcmp(sqvfs_unix->zName, "unix") != 0 ||
	    sqvfs_unix->iVersion < 3)
		return SQLITE_ERROR;

	next = sqvfs_unix->xGetSystemCall(sqvfs_unix, "open");
	if (next == NULL)
		return SQLITE_ERROR;
	sqvfs_open_next = (int (*)(const char *, int, int))next;
	rc = sqvfs_unix->xSetSystemCall(sqvfs_unix, "open",
	    (sqlite3_syscall_ptr)sqvfs_sys_open);
	if (rc != SQLITE_OK)
		return rc;

	sqvfs_vfs.szOsFile = (int)sizeof(struct sqvfs_file) +
	    sqvfs_unix->szOsFile;
	sqvfs_vfs.mxPathname = sqvfs_unix->mxPathname;
	if ((rc = sqlite3_vfs_register(&sqvfs_vfs, 0)) == SQLITE_OK)
		sqvfs_registered = true;
	return rc;
}
