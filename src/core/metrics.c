/*
 * metrics.c - process-wide counters and their Prometheus exposition.
 *
 * Request series are keyed by (route, method, status) in a small chained
 * hash table under one mutex; the key space is bounded because routes are
 * the registered patterns, methods fold into a fixed list and statuses are
 * three digits.  Gauges are a short list set by other modules.
 */
#include <assert.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/metrics.h"
#include "core/xmalloc.h"

#define METRICS_BUCKETS	12	/* including +Inf */
#define METRICS_TABLE	256
#define METRICS_GAUGES	32

static const double metrics_bounds[METRICS_BUCKETS - 1] = {
	0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
};
static const char *const metrics_bound_names[METRICS_BUCKETS] = {
	"0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1", "2.5",
	"5", "10", "+Inf",
};

/* Methods a series may carry; anything else is counted as OTHER so a
 * client cannot invent new series. */
static const char *const metrics_methods[] = {
	"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "OTHER",
};
#define METRICS_NMETHODS (sizeof(metrics_methods) / sizeof(*metrics_methods))

struct metrics_series {
	struct metrics_series	*next;
	const char		*route;
	int			 method;	/* index in metrics_methods */
	int			 status;
	uint64_t		 buckets[METRICS_BUCKETS]; /* not cumulative */
	uint64_t		 count;
	double			 sum;
};

struct metrics_gauge {
	const char	*name;
	const char	*help;
	int64_t		 value;
};

static pthread_mutex_t		 metrics_lock = PTHREAD_MUTEX_INITIALIZER;
static struct metrics_series	*metrics_table[METRICS_TABLE];
static size_t			 metrics_nseries;
static struct metrics_gauge	 metrics_gauges[METRICS_GAUGES];
static size_t			 metrics_ngauges;
static _Atomic uint64_t		 metrics_store_errors;
static _Atomic uint64_t		 metrics_password_checks;

/* Maps a request method to its index, OTHER for unknown ones. */
static int
metrics_method_index(const char *method)
{
	size_t	i;

	for (i = 0; i + 1 < METRICS_NMETHODS; i++) {
		if (method != NULL && strcmp(method, metrics_methods[i]) == 0)
			return (int)i;
	}
	return (int)METRICS_NMETHODS - 1;
}

/* FNV-1a over the route, mixed with method and status. */
static size_t
metrics_hash(const char *route, int method, int status)
{
	uint32_t		 h = 2166136261u;
	const unsigned char	*p;

	for (p = (const unsigned char *)route; *p != '\0'; p++)
		h = (h ^ *p) * 16777619u;
	h = (h ^ (uint32_t)method) * 16777619u;
	h = (h ^ (uint32_t)status) * 16777619u;
	return h % METRICS_TABLE;
}

/* Returns the series for the key, creating it.  Caller holds the lock. */
static struct metrics_series *
metrics_series_get(const char *route, int method, int status)
{
	struct metrics_series	*s;
	size_t			 h;

	h = metrics_hash(route, method, status);
	for (s = metrics_table[h]; s != NULL; s = s->next) {
		if (s->method == method && s->status == status &&
		    (s->route == route || strcmp(s->route, route) == 0))
			return s;
	}

	s = xcalloc(1, sizeof(*s));
	s->route = route;
	s->method = method;
	s->status = status;
	s->next = metrics_table[h];
	metrics_table[h] = s;
	metrics_nseries++;
	return s;
}

void
metrics_http_observe(const char *route, const char *method, int status,
    double seconds)
{
	struct metrics_series	*s;
	int			 m, b;

	if (route == NULL)
		route = "unmatched";
	if (status < 100 || status > 599)
		status = 0;
	if (!(seconds >= 0))	/* also catches NaN */
		seconds = 0;
	m = metrics_method_index(method);
	for (b = 0; b < METRICS_BUCKETS - 1; b++) {
		if (seconds <= metrics_bounds[b])
			break;
	}

	pthread_mutex_lock(&metrics_lock);
	s = metrics_series_get(route, m, status);
	s->buckets[b]++;
	s->count++;
	s->sum += seconds;
	pthread_mutex_unlock(&metrics_lock);
}

void
metrics_store_error(void)
{
	atomic_fetch_add(&metrics_store_errors, 1);
}

void
metrics_password_check(void)
{
	atomic_fetch_add(&metrics_password_checks, 1);
}

/* True if name is a valid Prometheus metric name. */
static bool
metrics_name_valid(const char *name)
{
	const char	*p;

	if (name == NULL || *name == '\0' || (*name >= '0' && *name <= '9'))
		return false;
	for (p = name; *p != '\0'; p++) {
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || *p == '_' || *p == ':'))
			return false;
	}
	return true;
}

void
metrics_gauge_set(const char *name, const char *help, int64_t value)
{
	size_t	i;

	assert(metrics_name_valid(name));

	pthread_mutex_lock(&metrics_lock);
	for (i = 0; i < metrics_ngauges; i++) {
		if (strcmp(metrics_gauges[i].name, name) == 0)
			break;
	}
	if (i == metrics_ngauges) {
		/* The gauges are a fixed set named in code; running out
		 * is a programming error. */
		assert(metrics_ngauges < METRICS_GAUGES);
		if (metrics_ngauges == METRICS_GAUGES)
			goto unlock;
		metrics_ngauges++;
	}
	metrics_gauges[i].name = name;
	metrics_gauges[i].help = help;
	metrics_gauges[i].value = value;
unlock:
	pthread_mutex_unlock(&metrics_lock);
}

void
metrics_reset(void)
{
	struct metrics_series	*s, *next;
	size_t			 i;

	pthread_mutex_lock(&metrics_lock);
	for (i = 0; i < METRICS_TABLE; i++) {
		for (s = metrics_table[i]; s != NULL; s = next) {
			next = s->next;
			free(s);
		}
		metrics_table[i] = NULL;
	}
	metrics_nseries = 0;
	metrics_ngauges = 0;
	atomic_store(&metrics_store_errors, 0);
	atomic_store(&metrics_password_checks, 0);
	pthread_mutex_unlock(&metrics_lock);
}

/* Where the exposition is written; rc turns -1 once any append fails. */
struct metrics_out {
	struct buf	*b;
	int		 rc;
};

/* Appends a string, remembering a failure. */
static void
metrics_puts(struct metrics_out *o, const char *s)
{
	if (buf_puts(o->b, s) == -1)
		o->rc = -1;
}

/* Appends formatted text, remembering a failure. */
static void
metrics_printf(struct metrics_out *o, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
metrics_printf(struct metrics_out *o, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	if (buf_vprintf(o->b, fmt, ap) == -1)
		o->rc = -1;
	va_end(ap);
}

/* Appends s with backslash and newline escaped, and the double quote too
 * when quote is set (label values; help text keeps its quotes). */
static void
metrics_escape(struct metrics_out *o, const char *s, bool quote)
{
	char	one[2] = { 0, 0 };

	for (; s != NULL && *s != '\0'; s++) {
		if (*s == '\\')
			metrics_puts(o, "\\\\");
		else if (*s == '\n')
			metrics_puts(o, "\\n");
		else if (*s == '"' && quote)
			metrics_puts(o, "\\\"");
		else {
			one[0] = *s;
			metrics_puts(o, one);
		}
	}
}

/* Appends the HELP and TYPE lines of a family. */
static void
metrics_family(struct metrics_out *o, const char *name, const char *type,
    const char *help)
{
	metrics_printf(o, "# HELP %s ", name);
	metrics_escape(o, help, false);
	metrics_printf(o, "\n# TYPE %s %s\n", name, type);
}

/* Orders series by route, then method, then status, for stable output. */
static int
metrics_series_cmp(const void *pa, const void *pb)
{
	const struct metrics_series	*a = pa, *b = pb;
	int				 c;

	c = strcmp(a->route, b->route);
	if (c == 0)
		c = strcmp(metrics_methods[a->method],
		    metrics_methods[b->method]);
	if (c == 0)
		c = (a->status > b->status) - (a->status < b->status);
	return c;
}

/* Appends "name{route=..,method=..,status=..", leaving the brace open. */
static void
metrics_series_open(struct metrics_out *o, const char *name,
    const struct metrics_series *s)
{
	metrics_printf(o, "%s{route=\"", name);
	metrics_escape(o, s->route, true);
	metrics_printf(o, "\",method=\"%s\",status=\"%d\"",
	    metrics_methods[s->method], s->status);
}

/* Appends the histogram lines of one series. */
static void
metrics_render_histogram(struct metrics_out *o,
    const struct metrics_series *s)
{
	static const char	*name = "tobmen_http_request_duration_seconds";
	char			 part[64];
	uint64_t		 cum = 0;
	int			 k;

	snprintf(part, sizeof(part), "%s_bucket", name);
	for (k = 0; k < METRICS_BUCKETS; k++) {
		cum += s->buckets[k];
		metrics_series_open(o, part, s);
		metrics_printf(o, ",le=\"%s\"} %llu\n",
		    metrics_bound_names[k], (unsigned long long)cum);
	}
	snprintf(part, sizeof(part), "%s_sum", name);
	metrics_series_open(o, part, s);
	metrics_printf(o, "} %.9g\n", s->sum);
	snprintf(part, sizeof(part), "%s_count", name);
	metrics_series_open(o, part, s);
	metrics_printf(o, "} %llu\n", (unsigned long long)s->count);
}

/* Appends the request counter and the latency histogram families. */
static void
metrics_render_http(struct metrics_out *o, const struct metrics_series *v,
    size_t n)
{
	size_t	i;

	metrics_family(o, "tobmen_http_requests_total", "counter",
	    "HTTP requests answered, by route, method and status.");
	for (i = 0; i < n; i++) {
		metrics_series_open(o, "tobmen_http_requests_total", &v[i]);
		metrics_printf(o, "} %llu\n", (unsigned long long)v[i].count);
	}

	metrics_family(o, "tobmen_http_request_duration_seconds", "histogram",
	    "Time from the start of a request to its response, in seconds.");
	for (i = 0; i < n; i++)
		metrics_render_histogram(o, &v[i]);
}

/* Appends the counters and every gauge.  Caller holds the
 * lock (the gauges are read). */
static void
metrics_render_rest(struct metrics_out *o)
{
	size_t	i;

	metrics_family(o, "tobmen_store_errors_total", "counter",
	    "Store operations that failed with an error.");
	metrics_printf(o, "tobmen_store_errors_total %llu\n",
	    (unsigned long long)atomic_load(&metrics_store_errors));

	metrics_family(o, "tobmen_password_checks_total", "counter",
	    "argon2id password checks, for known and unknown accounts.");
	metrics_printf(o, "tobmen_password_checks_total %llu\n",
	    (unsigned long long)atomic_load(&metrics_password_checks));

	for (i = 0; i < metrics_ngauges; i++) {
		metrics_family(o, metrics_gauges[i].name, "gauge",
		    metrics_gauges[i].help);
		metrics_printf(o, "%s %lld\n", metrics_gauges[i].name,
		    (long long)metrics_gauges[i].value);
	}
}

int
metrics_render(struct buf *b)
{
	struct metrics_out	 o = { b, 0 };
	struct metrics_series	*v, *s;
	size_t			 n = 0, i, start;

	start = b->len;

	/* Series are copied under the lock and formatted outside it, so a
	 * slow scrape never holds up requests. */
	pthread_mutex_lock(&metrics_lock);
	v = xcalloc(metrics_nseries + 1, sizeof(*v));
	for (i = 0; i < METRICS_TABLE; i++) {
		for (s = metrics_table[i]; s != NULL; s = s->next)
			v[n++] = *s;
	}
	pthread_mutex_unlock(&metrics_lock);

	qsort(v, n, sizeof(*v), metrics_series_cmp);
	metrics_render_http(&o, v, n);
	free(v);

	pthread_mutex_lock(&metrics_lock);
	metrics_render_rest(&o);
	pthread_mutex_unlock(&metrics_lock);

	if (o.rc == -1) {
		/* Half an exposition is worse than none. */
		b->len = start;
		if (b->data != NULL)
			b->data[start] = '\0';
	}
	return o.rc;
}
