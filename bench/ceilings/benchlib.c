/*
 * benchlib.c - clock, capped buffer and the test document for the
 * ceiling programs and the bench tools.
 *
 * The test document is what an agent's phone sends for one order of
 * twenty lines: about 3 KB of JSON, Cyrillic names, integer kopecks and
 * thousandths, amounts rounded half up as the service requires.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "benchlib.h"

/* 2026-11-01T07:15:00Z: the first test document's date. */
#define BENCH_DATE0	1793517300000LL

static const char *const bench_goods[] = {
	"Сок яблочный осветлённый 0,97 л, тетрапак",
	"Нектар персиковый с мякотью 1 л, тетрапак",
	"Вода питьевая негазированная 1,5 л, ПЭТ",
	"Чай чёрный байховый листовой 100 г, картон",
	"Печенье сахарное «Юбилейное» 112 г, пачка",
};

double
bench_now(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void
bench_die(const char *fmt, ...)
{
	va_list	ap;

	fputs("bench: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

long
bench_arg_long(const char *s, const char *what)
{
	char	*end;
	long	 v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || v <= 0)
		bench_die("%s must be a positive number, not \"%s\"", what, s);
	return v;
}

double
bench_arg_double(const char *s, const char *what)
{
	char	*end;
	double	 v;

	errno = 0;
	v = strtod(s, &end);
	if (errno != 0 || end == s || *end != '\0' || !(v > 0))
		bench_die("%s must be a positive number, not \"%s\"", what, s);
	return v;
}

void
bench_buf_init(struct bench_buf *b, size_t cap)
{
	b->size = cap < 4096 ? cap : 4096;
	b->data = malloc(b->size + 1);
	if (b->data == NULL)
		bench_die("out of memory");
	b->len = 0;
	b->cap = cap;
	b->data[0] = '\0';
}

void
bench_buf_release(struct bench_buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->size = 0;
}

/* Makes room for n more bytes and the terminating NUL. */
static void
bench_buf_grow(struct bench_buf *b, size_t n)
{
	size_t	want = b->len + n;

	if (want > b->cap)
		bench_die("buffer cap of %zu bytes reached", b->cap);
	if (want <= b->size)
		return;
	while (b->size < want)
		b->size *= 2;
	if (b->size > b->cap)
		b->size = b->cap;
	b->data = realloc(b->data, b->size + 1);
	if (b->data == NULL)
		bench_die("out of memory");
}

void
bench_buf_add(struct bench_buf *b, const char *s, size_t n)
{
	bench_buf_grow(b, n);
	memcpy(b->data + b->len, s, n);
	b->len += n;
	b->data[b->len] = '\0';
}

void
bench_buf_printf(struct bench_buf *b, const char *fmt, ...)
{
	va_list	ap;
	size_t	room = b->size - b->len + 1;
	int	n;

	va_start(ap, fmt);
	n = vsnprintf(b->data + b->len, room, fmt, ap);
	va_end(ap);
	if (n < 0)
		bench_die("bad format");
	if ((size_t)n >= room) {
		bench_buf_grow(b, (size_t)n);
		va_start(ap, fmt);
		vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
		va_end(ap);
	}
	b->len += (size_t)n;
}

/* qty thousandths at price kopecks, rounded half up to a kopeck. */
static int64_t
bench_amount(int64_t qty, int64_t price)
{
	return (qty * price + 500) / 1000;
}

void
bench_doc_make(uint64_t seq, struct bench_doc *d)
{
	struct bench_line	*l;
	int			 i;

	memset(d, 0, sizeof(*d));
	d->seq = seq;
	snprintf(d->uuid, sizeof(d->uuid),
	    "b0000000-0000-4000-8000-%012llx", (unsigned long long)seq);
	snprintf(d->number, sizeof(d->number), "ЗК-%010llu",
	    (unsigned long long)seq);
	d->doc_at = BENCH_DATE0 + (int64_t)(seq % 100000) * 1000;
	snprintf(d->outlet_code, sizeof(d->outlet_code), "TT%06llu",
	    (unsigned long long)(seq % 5000));
	snprintf(d->outlet_name, sizeof(d->outlet_name),
	    "Магазин «Продукты» №%llu", (unsigned long long)(seq % 5000));
	snprintf(d->agent, sizeof(d->agent), "Агент Петров %llu",
	    (unsigned long long)(seq % 50));

	for (i = 0; i < BENCH_LINES; i++) {
		l = &d->lines[i];
		snprintf(l->product_code, sizeof(l->product_code), "P%06llu",
		    (unsigned long long)((seq * 7 + (uint64_t)i) % 100000));
		snprintf(l->name, sizeof(l->name), "%s",
		    bench_goods[(seq + (uint64_t)i) % 5]);
		l->qty = 1000 + (int64_t)((seq + (uint64_t)i) % 48) * 500;
		l->price = 4999 + (int64_t)((seq * 3 + (uint64_t)i) % 900) * 7;
		l->amount = bench_amount(l->qty, l->price);
		d->total += l->amount;
	}
}

void
bench_doc_date(const struct bench_doc *d, char out[32])
{
	time_t		s = (time_t)(d->doc_at / 1000);
	struct tm	tm;
	size_t		n;

	gmtime_r(&s, &tm);
	n = strftime(out, 32, "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(out + n, 32 - n, ".%03uZ", (unsigned)(d->doc_at % 1000));
}

void
bench_doc_json(const struct bench_doc *d, struct bench_buf *b)
{
	const struct bench_line	*l;
	char			 date[32];
	int			 i;

	bench_doc_date(d, date);
	bench_buf_printf(b, "{\"uuid\":\"%s\",\"kind\":\"order\","
	    "\"number\":\"%s\",\"date\":\"%s\","
	    "\"outlet\":{\"code\":\"%s\",\"name\":\"%s\","
	    "\"address\":\"г. Москва, ул. Лесная, д. 7, стр. 2\"},"
	    "\"agent\":\"%s\",\"lines\":[", d->uuid, d->number, date,
	    d->outlet_code, d->outlet_name, d->agent);
	for (i = 0; i < BENCH_LINES; i++) {
		l = &d->lines[i];
		bench_buf_printf(b, "%s{\"product_code\":\"%s\","
		    "\"name\":\"%s\",\"qty\":%lld,\"price\":%lld,"
		    "\"amount\":%lld}", i > 0 ? "," : "", l->product_code,
		    l->name, (long long)l->qty, (long long)l->price,
		    (long long)l->amount);
	}
	bench_buf_printf(b, "],\"total\":%lld,"
	    "\"comment\":\"Доставка до 12:00, оплата по факту\"}",
	    (long long)d->total);
}
