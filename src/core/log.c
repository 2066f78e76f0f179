/*
 * log.c - structured event lines on stderr, logfmt or JSON.
 *
 * Each line is built in memory and written with one write(2), so lines of
 * concurrent threads never interleave.  Under log_buffer_start() debug and
 * info lines are appended to one shared buffer instead, which a small
 * thread writes out every LOG_BUFFER_MS: a busy server then makes one
 * write(2) for many request lines.  Every value is escaped (quotes,
 * backslashes, control bytes, invalid UTF-8), so nothing a client sends can
 * start a new line or fake a key.  Timestamps are the real wall clock, not
 * the test clock, so logs stay true while tests move time.
 */
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/clock.h"
#include "core/log.h"

#define LOG_LINE_MAX	(64 * 1024)	/* a longer line is cut short */
#define LOG_VALUE_MAX	4096		/* input bytes kept per value */
#define LOG_CTX_MAX	64

static _Atomic int log_fmt = LOG_LOGFMT;
static _Atomic int log_min = LOG_INFO;

/* Lines held under log_buffer_start(); mu also orders their writes. */
static struct {
	pthread_mutex_t	 mu;
	pthread_cond_t	 cv;
	pthread_t	 thread;
	bool		 on;
	bool		 stopping;
	size_t		 len;
	char		 data[LOG_BUFFER_BYTES];
} log_held = {
	.mu = PTHREAD_MUTEX_INITIALIZER,
	.cv = PTHREAD_COND_INITIALIZER,
};

static _Thread_local char log_req[LOG_CTX_MAX];
static _Thread_local char log_company[LOG_CTX_MAX];

static const char *const log_level_names[] = {
	[LOG_DEBUG] = "debug",
	[LOG_INFO] = "info",
	[LOG_WARN] = "warn",
	[LOG_ERROR] = "error",
};

void
log_setup(enum log_format fmt, enum log_level min)
{
	atomic_store(&log_fmt, (int)fmt);
	atomic_store(&log_min, (int)min);
}

bool
log_enabled(enum log_level lvl)
{
	return (int)lvl >= atomic_load(&log_min);
}

int
log_level_parse(const char *s, enum log_level *out)
{
	size_t	i;

	for (i = 0; i < sizeof(log_level_names) / sizeof(*log_level_names);
	    i++) {
		if (strcmp(s, log_level_names[i]) == 0) {
			*out = (enum log_level)i;
			return 0;
		}
	}
	return -1;
}

int
log_format_parse(const char *s, enum log_format *out)
{
	if (strcmp(s, "logfmt") == 0)
		*out = LOG_LOGFMT;
	else if (strcmp(s, "json") == 0)
		*out = LOG_JSON;
	else
		return -1;
	return 0;
}

/* Copies s (or "" for NULL) into a context slot, truncating. */
static void
log_context_copy(char *dst, const char *s)
{
	size_t	n;

	if (s == NULL)
		s = "";
	n = strnlen(s, LOG_CTX_MAX - 1);
	memcpy(dst, s, n);
	dst[n] = '\0';
}

void
log_context(const char *req, const char *company)
{
	log_context_copy(log_req, req);
	log_context_copy(log_company, company);
}

/*
 * Returns the length of the valid UTF-8 sequence at s (n bytes available),
 * or 0 if the bytes there are not one: overlong forms, surrogates and
 * values past U+10FFFF count as invalid.
 */
static size_t
log_utf8_len(const unsigned char *s, size_t n)
{
	size_t		len, i;
	unsigned	cp;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		len = 2;
		cp = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		len = 3;
		cp = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		len = 4;
		cp = s[0] & 0x07;
	} else
		return 0;
	if (len > n)
		return 0;

	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
	    cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return len;
}

/* True if a logfmt value must be quoted to read back as one value. */
static bool
log_needs_quotes(const unsigned char *s, size_t n)
{
	size_t	i;

	if (n == 0)
		return true;
	for (i = 0; i < n; i++) {
		if (s[i] <= ' ' || s[i] == '"' || s[i] == '=' ||
		    s[i] == '\\' || s[i] == 0x7f)
			return true;
	}
	return false;
}

/* Appends the escaped bytes of s, without quotes.  The same escapes serve
 * both formats: \" \\ \n \r \t, \u00XX for other control bytes, and U+FFFD
 * for bytes that are not UTF-8. */
static void
log_escape(struct buf *b, const unsigned char *s, size_t n)
{
	static const char	 hex[] = "0123456789abcdef";
	size_t			 i, len;
	char			 u[6] = { '\\', 'u', '0', '0' };

	for (i = 0; i < n; i += len) {
		/* Printable ASCII that needs no escape goes in one run. */
		for (len = 0; i + len < n && s[i + len] >= 0x20 &&
		    s[i + len] < 0x7f && s[i + len] != '"' &&
		    s[i + len] != '\\'; len++)
			continue;
		if (len > 0) {
			buf_append(b, s + i, len);
			continue;
		}

		len = log_utf8_len(s + i, n - i);
		if (len == 0) {
			buf_puts(b, "\xef\xbf\xbd");
			len = 1;
		} else if (len > 1)
			buf_append(b, s + i, len);
		else if (s[i] == '"')
			buf_puts(b, "\\\"");
		else if (s[i] == '\\')
			buf_puts(b, "\\\\");
		else if (s[i] == '\n')
			buf_puts(b, "\\n");
		else if (s[i] == '\r')
			buf_puts(b, "\\r");
		else if (s[i] == '\t')
			buf_puts(b, "\\t");
		else if (s[i] < 0x20 || s[i] == 0x7f) {
			u[4] = hex[s[i] >> 4];
			u[5] = hex[s[i] & 0xf];
			buf_append(b, u, sizeof(u));
		} else
			buf_putc(b, (char)s[i]);
	}
}

/* Appends a key, keeping only characters that cannot break the line. */
static void
log_key(struct buf *b, const char *key)
{
	const char	*p;

	if (*key == '\0')
		buf_putc(b, '_');
	for (p = key; *p != '\0'; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || *p == '_' || *p == '.' ||
		    *p == '-')
			buf_putc(b, *p);
		else
			buf_putc(b, '_');
	}
}

/* Appends one key/value pair in the current format; first is true for
 * the opening pair of the line. */
static void
log_pair(struct buf *b, enum log_format fmt, bool first, const char *key,
    const char *value)
{
	const unsigned char	*v;
	size_t			 n;
	bool			 cut = false;

	v = (const unsigned char *)(value != NULL ? value : "");
	n = strnlen((const char *)v, LOG_VALUE_MAX + 1);
	if (n > LOG_VALUE_MAX) {
		/* Cut on a character boundary, and say so. */
		n = LOG_VALUE_MAX;
		while (n > 0 && (v[n] & 0xc0) == 0x80)
			n--;
		cut = true;
	}

	if (fmt == LOG_JSON) {
		buf_puts(b, first ? "{\"" : ",\"");
		log_key(b, key);
		buf_puts(b, "\":\"");
		log_escape(b, v, n);
		buf_puts(b, cut ? "...\"" : "\"");
		return;
	}

	if (!first)
		buf_putc(b, ' ');
	log_key(b, key);
	buf_putc(b, '=');
	if (cut || log_needs_quotes(v, n)) {
		buf_putc(b, '"');
		log_escape(b, v, n);
		buf_puts(b, cut ? "...\"" : "\"");
	} else
		log_escape(b, v, n);	/* only invalid UTF-8 changes */
}

/* Writes the whole line, retrying only on interruption or a short write
 * (possible for lines longer than PIPE_BUF on a full pipe). */
static void
log_write(const char *p, size_t n)
{
	ssize_t	w;

	while (n > 0) {
		w = write(STDERR_FILENO, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return;
		p += w;
		n -= (size_t)w;
	}
}

/* Writes out the held lines.  Called with log_held.mu taken. */
static void
log_held_write(void)
{
	log_write(log_held.data, log_held.len);
	log_held.len = 0;
}

/* Writes one finished line: held when buffering and the level allows,
 * else at once after what is held, so the order of lines is kept. */
static void
log_emit(enum log_level lvl, const char *p, size_t n)
{
	pthread_mutex_lock(&log_held.mu);
	if (!log_held.on) {
		pthread_mutex_unlock(&log_held.mu);
		log_write(p, n);
		return;
	}

	if (lvl >= LOG_WARN || n > sizeof(log_held.data) - log_held.len)
		log_held_write();
	if (lvl >= LOG_WARN || n > sizeof(log_held.data)) {
		log_write(p, n);
	} else {
		memcpy(log_held.data + log_held.len, p, n);
		log_held.len += n;
	}
	pthread_mutex_unlock(&log_held.mu);
}

/* The thread that writes the held lines out every LOG_BUFFER_MS. */
static void *
log_flusher(void *arg)
{
	struct timespec	until;

	(void)arg;
	pthread_mutex_lock(&log_held.mu);
	while (!log_held.stopping) {
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_nsec += LOG_BUFFER_MS * 1000000L;
		if (until.tv_nsec >= 1000000000L) {
			until.tv_sec++;
			until.tv_nsec -= 1000000000L;
		}
		pthread_cond_timedwait(&log_held.cv, &log_held.mu, &until);
		if (log_held.len > 0)
			log_held_write();
	}
	pthread_mutex_unlock(&log_held.mu);
	return NULL;
}

int
log_buffer_start(void)
{
	int	rc = 0;

	pthread_mutex_lock(&log_held.mu);
	if (log_held.on)
		goto out;
	log_held.stopping = false;
	if ((rc = pthread_create(&log_held.thread, NULL, log_flusher,
	    NULL)) != 0) {
		errno = rc;
		rc = -1;
		goto out;
	}
	log_held.on = true;

out:
	pthread_mutex_unlock(&log_held.mu);
	return rc;
}

void
log_buffer_stop(void)
{
	pthread_mutex_lock(&log_held.mu);
	if (!log_held.on) {
		pthread_mutex_unlock(&log_held.mu);
		return;
	}
	log_held.stopping = true;
	pthread_cond_signal(&log_held.cv);
	pthread_mutex_unlock(&log_held.mu);
	pthread_join(log_held.thread, NULL);

	pthread_mutex_lock(&log_held.mu);
	log_held_write();
	log_held.on = false;
	pthread_mutex_unlock(&log_held.mu);
}

void
log_flush(void)
{
	pthread_mutex_lock(&log_held.mu);
	if (log_held.len > 0)
		log_held_write();
	pthread_mutex_unlock(&log_held.mu);
}

/* Appends the caller's pairs, dropping the ones that would pass the line
 * cap and marking the line as truncated. */
static void
log_pairs(struct buf *b, enum log_format fmt, va_list ap)
{
	const char	*key, *value;
	size_t		 mark;

	while ((key = va_arg(ap, const char *)) != NULL) {
		value = va_arg(ap, const char *);
		mark = b->len;
		log_pair(b, fmt, false, key, value);
		if (b->len < LOG_LINE_MAX - 64)
			continue;
		b->len = mark;
		b->data[mark] = '\0';
		log_pair(b, fmt, false, "truncated", "true");
		return;
	}
}

void
log_eventv(enum log_level lvl, const char *event, va_list ap)
{
	struct buf		b;
	enum log_format		fmt;
	char			ts[32];
	struct timespec		now;

	if (lvl > LOG_ERROR)
		lvl = LOG_ERROR;
	if (!log_enabled(lvl))
		return;
	fmt = (enum log_format)atomic_load(&log_fmt);

	clock_gettime(CLOCK_REALTIME, &now);
	clock_format_rfc3339((int64_t)now.tv_sec * 1000 +
	    now.tv_nsec / 1000000, ts);

	buf_init(&b, LOG_LINE_MAX);
	log_pair(&b, fmt, true, "ts", ts);
	log_pair(&b, fmt, false, "level", log_level_names[lvl]);
	log_pair(&b, fmt, false, "event", event);
	if (log_req[0] != '\0')
		log_pair(&b, fmt, false, "req", log_req);
	if (log_company[0] != '\0')
		log_pair(&b, fmt, false, "company", log_company);
	log_pairs(&b, fmt, ap);
	buf_puts(&b, fmt == LOG_JSON ? "}\n" : "\n");

	log_emit(lvl, b.data, b.len);
	buf_release(&b);
}

void
log_event(enum log_level lvl, const char *event, ...)
{
	va_list	ap;

	va_start(ap, event);
	log_eventv(lvl, event, ap);
	va_end(ap);
}
