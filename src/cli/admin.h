/*
 * admin.h - what admin.c lends to the other branches of "tobmen admin"
 * (admin_licence.c): printing tables, dates and JSON on stdout.
 */
#ifndef TOBMEN_CLI_ADMIN_H
#define TOBMEN_CLI_ADMIN_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "app.h"

/* The most columns admin_table prints. */
#define ADMIN_COLS_MAX	9

/* Writes "2026-12-03 17:22" for ms, "-" for 0, into out. */
void	admin_date(int64_t ms, char out[32]);

/* Prints a table on stdout: head has ncols (at most ADMIN_COLS_MAX)
 * titles, cells nrows * ncols strings, row by row.  Columns are as wide
 * as their widest UTF-8 text. */
void	admin_table(const char *const *head, int ncols, char *const *cells,
	    size_t nrows);

/* Frees cells[0..n) and cells. */
void	admin_cells_free(char **cells, size_t n);

/* Opens app->store from app->cfg's settings and checks its schema.
 * Returns CLI_OK, or CLI_FAIL after printing why (nothing left open). */
int	admin_store_open(struct app *app);

/* Prints v on stdout, indented with sorted keys, and drops it. */
void	admin_json_print(json_t *v);

#endif
