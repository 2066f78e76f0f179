/*
 * paced.c - an open-loop load generator: requests at a fixed rate, with
 * latency counted from the moment each request was due.
 *
 *	bench-paced [-m METHOD] [-H HEADER]... [-t TEMPLATE -d DOCS]
 *	    [-s SEQ0] URL RATE SECONDS CONNS
 *
 * Request i is due at start + i / RATE.  At most CONNS are in flight
 * (libcurl multi, keep-alive connections); a request that finds them all
 * busy waits, and its wait counts in its latency, so a server that falls
 * behind shows it (no coordinated omission).  With -t, each request's
 * body is TEMPLATE with @DOCS@ replaced by DOCS test documents of fresh
 * uuids (numbered from SEQ0), as a device uploads them.  Prints
 * "sent=N ok=N errors=N rate=N p50_ms=N p90_ms=N p99_ms=N max_ms=N";
 * a 2xx status is ok.
 */
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <curl/curl.h>

#include "benchlib.h"

#define PACED_CONNS_MAX		1024
#define PACED_HEADERS_MAX	16
#define PACED_BODY_MAX		(16u * 1024 * 1024)

struct paced_opts {
	const char	*method;
	const char	*headers[PACED_HEADERS_MAX];
	int		 nheaders;
	const char	*tmpl;
	long		 docs;
	long		 seq0;
	const char	*url;
	double		 rate;
	double		 seconds;
	long		 conns;
};

/* One connection's request in flight. */
struct paced_slot {
	CURL			*easy;
	struct bench_buf	 body;
	double			 due;
	bool			 busy;
};

struct paced_run {
	struct paced_opts	*o;
	struct curl_slist	*hdrs;
	CURLM			*multi;
	struct paced_slot	*slots;
	double			*lat;		/* seconds, one per answer */
	long			 nlat, sent, ok, errors;
	long			 seq;
};

/* Throws the answer's body away. */
static size_t
paced_discard(char *p, size_t size, size_t n, void *arg)
{
	(void)p;
	(void)arg;
	return size * n;
}

/* Builds the body of the next request into b. */
static void
paced_body(struct paced_run *r, struct bench_buf *b)
{
	struct bench_doc	 d;
	const char		*at = strstr(r->o->tmpl, "@DOCS@");
	long			 i;

	b->len = 0;
	bench_buf_add(b, r->o->tmpl, (size_t)(at - r->o->tmpl));
	for (i = 0; i < r->o->docs; i++) {
		bench_doc_make((uint64_t)r->seq++, &d);
		if (i > 0)
			bench_buf_add(b, ",", 1);
		bench_doc_json(&d, b);
	}
	bench_buf_add(b, at + 6, strlen(at + 6));
}

/* Starts the request due at due on a free slot. */
static void
paced_start(struct paced_run *r, struct paced_slot *s, double due)
{
	CURL	*h = s->easy;

	curl_easy_setopt(h, CURLOPT_URL, r->o->url);
	curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, r->o->method);
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, r->hdrs);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, paced_discard);
	curl_easy_setopt(h, CURLOPT_PRIVATE, s);
	if (r->o->tmpl != NULL) {
		paced_body(r, &s->body);
		curl_easy_setopt(h, CURLOPT_POSTFIELDS, s->body.data);
		curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE,
		    (curl_off_t)s->body.len);
	}
	s->due = due;
	s->busy = true;
	curl_multi_add_handle(r->multi, h);
	r->sent++;
}

/* Records every finished request and frees its slot. */
static int
paced_collect(struct paced_run *r)
{
	struct paced_slot	*s;
	CURLMsg			*m;
	long			 code = 0;
	int			 left, done = 0;

	while ((m = curl_multi_info_read(r->multi, &left)) != NULL) {
		if (m->msg != CURLMSG_DONE)
			continue;
		curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, &s);
		curl_easy_getinfo(m->easy_handle, CURLINFO_RESPONSE_CODE,
		    &code);
		if (m->data.result == CURLE_OK && code >= 200 && code < 300)
			r->ok++;
		else
			r->errors++;
		r->lat[r->nlat++] = bench_now() - s->due;
		curl_multi_remove_handle(r->multi, m->easy_handle);
		s->busy = false;
		done++;
	}
	return done;
}

/* Returns a free slot, or NULL if all are in flight. */
static struct paced_slot *
paced_free_slot(struct paced_run *r)
{
	long	i;

	for (i = 0; i < r->o->conns; i++)
		if (!r->slots[i].busy)
			return &r->slots[i];
	return NULL;
}

/* Runs the load; see the top of the file. */
static void
paced_loop(struct paced_run *r)
{
	struct paced_slot	*s;
	double			 t0 = bench_now(), now, due;
	long			 i = 0, inflight = 0;
	int			 running, wait_ms;

	for (;;) {
		now = bench_now();
		due = t0 + (double)i / r->o->rate;
		while (now - t0 < r->o->seconds && due <= now &&
		    (s = paced_free_slot(r)) != NULL) {
			paced_start(r, s, due);
			inflight++;
			due = t0 + (double)++i / r->o->rate;
		}
		if (now - t0 >= r->o->seconds && inflight == 0)
			break;
		curl_multi_perform(r->multi, &running);
		inflight -= paced_collect(r);
		wait_ms = (int)((due - bench_now()) * 1000);
		if (wait_ms > 10)
			wait_ms = 10;
		curl_multi_poll(r->multi, NULL, 0, wait_ms > 0 ? wait_ms : 0,
		    NULL);
	}
}

static int
paced_cmp(const void *a, const void *b)
{
	double	x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* The q quantile of the sorted latencies, in milliseconds. */
static double
paced_quantile(const struct paced_run *r, double q)
{
	long	k;

	if (r->nlat == 0)
		return 0;
	k = (long)ceil(q * (double)r->nlat) - 1;
	if (k < 0)
		k = 0;
	return r->lat[k] * 1000;
}

/* Reads the options; the positional arguments go last. */
static void
paced_args(int argc, char **argv, struct paced_opts *o)
{
	int	c;

	memset(o, 0, sizeof(*o));
	o->method = "GET";
	o->docs = 1;
	o->seq0 = 1;
	while ((c = getopt(argc, argv, "m:H:t:d:s:")) != -1) {
		if (c == 'm')
			o->method = optarg;
		else if (c == 'H' && o->nheaders < PACED_HEADERS_MAX)
			o->headers[o->nheaders++] = optarg;
		else if (c == 't')
			o->tmpl = optarg;
		else if (c == 'd')
			o->docs = bench_arg_long(optarg, "DOCS");
		else if (c == 's')
			o->seq0 = bench_arg_long(optarg, "SEQ0");
		else
			bench_die("bad option; see bench/tools/paced.c");
	}
	if (argc - optind != 4)
		bench_die("usage: bench-paced [-m METHOD] [-H HEADER]..."
		    " [-t TEMPLATE -d DOCS] [-s SEQ0] URL RATE SECONDS CONNS");
	if (o->tmpl != NULL && strstr(o->tmpl, "@DOCS@") == NULL)
		bench_die("the template has no @DOCS@");
	o->url = argv[optind];
	o->rate = bench_arg_double(argv[optind + 1], "RATE");
	o->seconds = bench_arg_double(argv[optind + 2], "SECONDS");
	o->conns = bench_arg_long(argv[optind + 3], "CONNS");
	if (o->conns > PACED_CONNS_MAX)
		bench_die("at most %d connections", PACED_CONNS_MAX);
}

int
main(int argc, char **argv)
{
	struct paced_opts	o;
	struct paced_run	r;
	double			t0, t;
	long			i;

	paced_args(argc, argv, &o);
	memset(&r, 0, sizeof(r));
	r.o = &o;
	r.seq = o.seq0;
	curl_global_init(CURL_GLOBAL_DEFAULT);
	r.multi = curl_multi_init();
	curl_multi_setopt(r.multi, CURLMOPT_MAX_TOTAL_CONNECTIONS, o.conns);
	/* No "Expect: 100-continue" round trip before a body. */
	r.hdrs = curl_slist_append(r.hdrs, "Expect:");
	for (i = 0; i < o.nheaders; i++)
		r.hdrs = curl_slist_append(r.hdrs, o.headers[i]);
	r.slots = calloc((size_t)o.conns, sizeof(*r.slots));
	r.lat = calloc((size_t)(o.rate * o.seconds) + 16, sizeof(double));
	if (r.slots == NULL || r.lat == NULL)
		bench_die("out of memory");
	for (i = 0; i < o.conns; i++) {
		r.slots[i].easy = curl_easy_init();
		bench_buf_init(&r.slots[i].body, PACED_BODY_MAX);
	}

	t0 = bench_now();
	paced_loop(&r);
	t = bench_now() - t0;
	qsort(r.lat, (size_t)r.nlat, sizeof(double), paced_cmp);
	printf("sent=%ld ok=%ld errors=%ld rate=%.1f p50_ms=%.2f"
	    " p90_ms=%.2f p99_ms=%.2f max_ms=%.2f\n", r.sent, r.ok,
	    r.errors, (double)r.nlat / t, paced_quantile(&r, 0.50),
	    paced_quantile(&r, 0.90), paced_quantile(&r, 0.99),
	    paced_quantile(&r, 1.0));

	for (i = 0; i < o.conns; i++) {
		curl_easy_cleanup(r.slots[i].easy);
		bench_buf_release(&r.slots[i].body);
	}
	free(r.slots);
	free(r.lat);
	curl_slist_free_all(r.hdrs);
	curl_multi_cleanup(r.multi);
	curl_global_cleanup();
	return 0;
}
