/*
 * eml.c - "delivers" a built message as an .eml file under mail_dir.
 *
 * Used when no SMTP server is configured, so the service works offline:
 * each mail becomes MAIL_DIR/<UTC time>-<outbox id>.eml, written to a
 * temporary file, synced and renamed, so a reader never sees half a mail.
 * The name depends only on the row, so a retry replaces, never doubles.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/xmalloc.h"
#include "mail/mail_int.h"

/* Creates dir and its missing parents (mode 0700).  Returns 0 or -1 with
 * errno set. */
static int
eml_mkdirs(const char *dir)
{
	char	*p, *s;
	int	 rc = 0;

	s = xstrdup(dir);
	for (p = s + 1; rc == 0 && *p != '\0'; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(s, 0700) == -1 && errno != EEXIST)
			rc = -1;
		*p = '/';
	}
	if (rc == 0 && mkdir(s, 0700) == -1 && errno != EEXIST)
		rc = -1;
	free(s);
	return rc;
}

static int
eml_write_all(int fd, const char *p, size_t len)
{
	ssize_t	n;

	while (len > 0) {
		n = write(fd, p, len);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Makes the rename in dir durable; failure to sync a folder is harmless
 * on file systems that do not support it. */
static void
eml_sync_dir(const char *dir)
{
	int	fd;

	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd == -1)
		return;
	fsync(fd);
	close(fd);
}

/* Writes raw to tmp, syncs it and renames it to path.  Returns 0, or -1
 * with errno set and tmp removed. */
static int
eml_store(const char *tmp, const char *path, const char *raw, size_t len)
{
	int	fd, saved;
	bool	ok;

	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd == -1)
		return -1;
	ok = eml_write_all(fd, raw, len) == 0 && fsync(fd) == 0;
	saved = errno;
	if (close(fd) == -1)
		ok = false;
	else
		errno = saved;
	if (ok && rename(tmp, path) == 0)
		return 0;

	saved = errno;
	unlink(tmp);
	errno = saved;
	return -1;
}

static int
eml_send(const struct config *cfg, const struct mail_msg *m,
    const char *raw, size_t len, char *where, size_t wsz, struct err *e)
{
	char		 stamp[32], *path, *tmp;
	struct tm	 tm;
	time_t		 t = (time_t)(m->created_at / 1000);
	int		 rc = -1;

	if (eml_mkdirs(cfg->mail_dir) == -1) {
		err_set(e, ERR_INTERNAL, "mail_dir_failed", "mail_dir",
		    "Cannot create mail folder %s: %s", cfg->mail_dir,
		    strerror(errno));
		return -1;
	}
	gmtime_r(&t, &tm);
	strftime(stamp, sizeof(stamp), "%Y%m%d-%H%M%S", &tm);
	path = xasprintf("%s/%s-%lld.eml", cfg->mail_dir, stamp,
	    (long long)m->id);
	tmp = xasprintf("%s/.%s-%lld.eml.tmp", cfg->mail_dir, stamp,
	    (long long)m->id);

	if (eml_store(tmp, path, raw, len) == -1) {
		err_set(e, ERR_INTERNAL, "mail_write_failed", "mail_dir",
		    "Cannot write %s: %s", path, strerror(errno));
		goto out;
	}
	eml_sync_dir(cfg->mail_dir);
	snprintf(where, wsz, "%s", path);
	rc = 0;

out:
	free(tmp);
	free(path);
	return rc;
}

const struct mail_transport mail_transport_eml = {
	.name = "eml",
	.send = eml_send,
};
