/*
 * benchlib.h - what the ceiling programs share: a monotonic clock, a
 * growable text buffer with a cap, and the test document (one header and
 * twenty lines) in the form a device sends it.
 *
 * The programs under bench/ are measuring tools, never part of the
 * service: they include the libraries' headers directly.  A failure is
 * printed and ends the program (bench_die), since a measurement that
 * went wrong must not print a number.
 */
#ifndef TOBMEN_BENCH_BENCHLIB_H
#define TOBMEN_BENCH_BENCHLIB_H

#include <stddef.h>
#include <stdint.h>

#define BENCH_LINES	20	/* lines of the test document */

/* A text buffer; len never exceeds cap (bench_die past it). */
struct bench_buf {
	char	*data;
	size_t	 len;
	size_t	 size;
	size_t	 cap;
};

/* One line of the test document. */
struct bench_line {
	char	 product_code[16];
	char	 name[128];
	int64_t	 qty;		/* thousandths */
	int64_t	 price;		/* kopecks */
	int64_t	 amount;	/* kopecks, qty * price / 1000 half up */
};

/* The test document number seq: the same seq gives the same document. */
struct bench_doc {
	uint64_t		 seq;
	char			 uuid[40];	/* 36 characters */
	char			 number[24];
	int64_t			 doc_at;	/* Unix ms */
	char			 outlet_code[16];
	char			 outlet_name[64];
	char			 agent[64];
	int64_t			 total;
	struct bench_line	 lines[BENCH_LINES];
};

/* Seconds since an arbitrary start, monotonic. */
double	bench_now(void);

/* Prints "program: message" on stderr and exits 1. */
void	bench_die(const char *fmt, ...)
	    __attribute__((format(printf, 1, 2), noreturn));

/* Parses a positive number argument or dies naming it. */
long	bench_arg_long(const char *s, const char *what);
double	bench_arg_double(const char *s, const char *what);

void	bench_buf_init(struct bench_buf *b, size_t cap);
void	bench_buf_release(struct bench_buf *b);
void	bench_buf_add(struct bench_buf *b, const char *s, size_t n);
void	bench_buf_printf(struct bench_buf *b, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));

/* Fills d with document seq. */
void	bench_doc_make(uint64_t seq, struct bench_doc *d);

/* Appends d as a device's JSON document (about 3 KB) to b. */
void	bench_doc_json(const struct bench_doc *d, struct bench_buf *b);

/* Writes d->doc_at as RFC 3339 UTC with milliseconds into out. */
void	bench_doc_date(const struct bench_doc *d, char out[32]);

#endif
