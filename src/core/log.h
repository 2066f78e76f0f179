/*
 * log.h - one structured line per event on stderr.
 *
 * Lines are logfmt by default or JSON objects; the first keys are always
 * ts (UTC, milliseconds), level, event, then req and company when the
 * calling thread has set a context.  Values are escaped so that client input
 * can never forge a line.  Event names are listed in docs/LOGGING.md.
 * Thread safe: lines never interleave.  A value longer than 4096 bytes is
 * cut and ends in "..."; pairs that would take a line past 64 KiB are
 * dropped and the line ends with truncated=true.
 *
 * Lines are written at once unless log_buffer_start() was called: then
 * debug and info lines wait in memory, at most LOG_BUFFER_MS or until
 * LOG_BUFFER_BYTES are held, and go out in one write(2); a warn or error
 * line writes what is held, then itself, at once.
 */
#ifndef TOBMEN_CORE_LOG_H
#define TOBMEN_CORE_LOG_H

#include <stdarg.h>
#include <stdbool.h>

enum log_level { LOG_DEBUG, LOG_INFO, LOG_WARN, LOG_ERROR };
enum log_format { LOG_LOGFMT, LOG_JSON };

/* Sets the output format and the lowest level written. */
void	log_setup(enum log_format fmt, enum log_level min);
/* True if lines of level lvl are written (to skip building costly values). */
bool	log_enabled(enum log_level lvl);
/* Parses "debug", "info", "warn", "error"; returns -1 if unknown. */
int	log_level_parse(const char *s, enum log_level *out);
/* Parses "logfmt" or "json"; returns -1 if unknown. */
int	log_format_parse(const char *s, enum log_format *out);

/* How long and how much log_buffer_start() lets lines wait. */
#define LOG_BUFFER_MS		100
#define LOG_BUFFER_BYTES	(32 * 1024)

/* Starts holding debug and info lines, with a thread that writes them out
 * every LOG_BUFFER_MS.  Returns 0, or -1 (errno set) if the thread cannot
 * start; lines are then written at once as before. */
int	log_buffer_start(void);
/* Writes out what is held and stops holding lines; the thread ends.
 * Call it before exiting, or held lines are lost. */
void	log_buffer_stop(void);
/* Writes out what is held now. */
void	log_flush(void);

/* Sets this thread's request id and company id (either may be NULL), which
 * are added to each line until cleared with log_context(NULL, NULL).  The
 * strings are copied. */
void	log_context(const char *req, const char *company);

/*
 * Writes one line: event, then key/value string pairs ending with NULL, e.g.
 *	log_event(LOG_INFO, "server.start", "listen", addr, NULL);
 * A NULL value is written as empty.  Never pass tokens, passwords or bodies.
 */
void	log_event(enum log_level lvl, const char *event, ...)
	    __attribute__((sentinel));
/* The same with the pairs in a va_list. */
void	log_eventv(enum log_level lvl, const char *event, va_list ap);

#endif
