/*
 * sqlitedoc.h - the ceilings' own SQLite schema for documents: one
 * header row in doc and one row per line in line, and the prepared
 * inserts that write a test document into it.
 *
 * The schema carries the same kinds of keys as the service's documents
 * table (a unique uuid, a unique feed position per supplier), so a
 * ceiling pays for the index upkeep the service pays for.
 */
#ifndef TOBMEN_BENCH_SQLITEDOC_H
#define TOBMEN_BENCH_SQLITEDOC_H

#include <stdbool.h>
#include <stdint.h>

#include <sqlite3.h>

#include "benchlib.h"

struct sqlitedoc {
	sqlite3		*db;
	sqlite3_stmt	*ins_doc;
	sqlite3_stmt	*ins_line;
	sqlite3_stmt	*begin;
	sqlite3_stmt	*commit;
};

/*
 * Opens (creating) the store at path with the schema.  durable: WAL and
 * synchronous=FULL, as the service runs; otherwise a bulk fill with no
 * journal and no syncs, switched to WAL before closing.
 */
void	sqlitedoc_open(struct sqlitedoc *s, const char *path, bool durable);
void	sqlitedoc_close(struct sqlitedoc *s);

/* Runs one statement that returns no rows, or dies. */
void	sqlitedoc_exec(struct sqlitedoc *s, const char *sql);

void	sqlitedoc_begin(struct sqlitedoc *s);
void	sqlitedoc_commit(struct sqlitedoc *s);

/* Writes d (header and lines) as supplier's document at position. */
void	sqlitedoc_insert(struct sqlitedoc *s, const struct bench_doc *d,
	    int64_t supplier, int64_t position);

/* The highest position stored for supplier, 0 if none. */
int64_t	sqlitedoc_last(struct sqlitedoc *s, int64_t supplier);

#endif
