/*
 * sqvfs.h - the SQLite file layer the store opens its files through: the
 * system's "unix" layer, with the database file mapped into memory whole.
 *
 * SQLite reads a page in place when its file layer hands out a pointer
 * into a mapping (xFetch), and copies it with a system call otherwise.
 * The unix layer maps at most SQLITE_MAX_MMAP_SIZE, 2 GiB as Debian builds
 * SQLite, whatever PRAGMA mmap_size asks; this layer maps up to what the
 * pragma asks.  Every other call, and every file but the database itself
 * (the log, the journals), goes to the unix layer unchanged.  Private to
 * src/store.
 */
#ifndef TOBMEN_STORE_SQVFS_H
#define TOBMEN_STORE_SQVFS_H

#include <stdint.h>

/* The name to give sqlite3_open_v2 once sqvfs_register succeeded. */
#define SQVFS_NAME	"tobmen"

/* The most one database file may map, whatever the pragma asks. */
#define SQVFS_MAP_MAX	((int64_t)1 << 40)

/*
 * A file control (sqlite3_file_control on "main") that copies the
 * connection's figures into a struct sqvfs_stats; SQLITE_NOTFOUND when
 * the file is not opened through this layer.
 */
#define SQVFS_FCNTL_STATS	0x74626d31

struct sqvfs_stats {
	int64_t	in_map;		/* pages lent from the mapping */
	int64_t	not_mapped;	/* fetches refused (read) */
	int64_t	maps;		/* mmap calls that succeeded */
	int64_t	map_len;	/* bytes mapped now (may pass the end) */
	int64_t	valid;		/* of map_len, in the file */
	int64_t	limit;		/* PRAGMA mmap_size */
	int	fd_known;	/* 1 when the file could be mapped at all */
};

/*
 * Registers the layer with SQLite (not as the default) over the default
 * layer, which must be "unix".  Call once, before any file is opened
 * through it and before another thread uses SQLite: it also routes the
 * unix layer's open() through this file, to learn each database file's
 * descriptor.  Returns an SQLite result code.
 */
int	sqvfs_register(void);

#endif
