/*
 * device.c - "tobmen device": a command-line stand-in for the mobile
 * trade app, for demos, tests and load.
 *
 *	tobmen device activate --server URL --licence N --code C ...
 *	tobmen device upload (--supplier ID | --supplier-code CODE) FILE
 *	tobmen device generate [--count N] [--days D] [--seed S] ...
 *	tobmen device download [--out DIR] [--no-ack]
 *
 * Talks HTTP to a running server like the phone does (libcurl), never to
 * the store.  The device token lives in a small state file (mode 0600,
 * written whole then renamed).  Network failures and answers 429 and 5xx
 * are retried with growing pauses; an upload may be retried safely
 * because every document carries its uuid.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>
#include <jansson.h>

#include "cli/cli.h"
#include "cli/docgen.h"
#include "core/buf.h"
#include "core/xmalloc.h"

#define DEVICE_STATE_DEFAULT	"tobmen-device.json"
#define DEVICE_RESPONSE_MAX	(256u * 1024 * 1024)
#define DEVICE_BATCH_DEFAULT	100
#define DEVICE_BATCH_MAX	500
#define DEVICE_RETRIES_DEFAULT	8
#define DEVICE_PAUSE_MAX_MS	10000

/* The options every verb may take; each verb reads what it needs. */
struct device_args {
	const char	*verb;
	const char	*state;
	const char	*server, *licence, *code, *mdm_id, *user, *version;
	const char	*supplier, *supplier_code, *file, *out, *kind;
	const char	*agent;
	long		 count, days, seed, batch, retries, outlets;
	bool		 no_ack, quiet;
};

/* One HTTP exchange's outcome. */
struct device_reply {
	long		 status;	/* 0: no answer */
	struct buf	 body;
	json_t		*json;		/* body parsed, or NULL */
	char		 error[CURL_ERROR_SIZE];
};

static const char device_usage_text[] =
    "usage: tobmen device activate --server URL --licence NUMBER\n"
    "           --code ACTIVATION_CODE [--mdm-id GUID] [--user NAME]\n"
    "           [--app-version V] [--state FILE]\n"
    "       tobmen device upload (--supplier ID | --supplier-code CODE)\n"
    "           [--batch N] [--retries N] [--state FILE] FILE|-\n"
    "       tobmen device generate [--count N] [--days D] [--kind KIND]\n"
    "           [--agent NAME] [--outlets N] [--seed S]\n"
    "       tobmen device download [--out DIR] [--no-ack] [--retries N]\n"
    "           [--state FILE]\n\n"
    "A command-line stand-in for the mobile trade app.\n\n"
    "  activate   binds a licence to this \"device\" (a new MDM ID unless\n"
    "             given) and keeps the device token in the state file\n"
    "             (default ./" DEVICE_STATE_DEFAULT ", mode 0600).\n"
    "  upload     sends the documents of FILE (a JSON array, or an object\n"
    "             with \"documents\"; - reads standard input) to one\n"
    "             supplier in batches (default 100), retrying network\n"
    "             failures and 429/5xx answers up to --retries times\n"
    "             (default 8).  Prints what became of each batch; exits 1\n"
    "             if any document was rejected or in conflict.\n"
    "  generate   writes N (default 20) realistic documents as a JSON\n"
    "             array on standard output, dated over the last D days\n"
    "             (default 1); the same --seed gives the same documents.\n"
    "  download   fetches the packages of every supplier the licence is\n"
    "             «ВКЛ» for, writes each payload to DIR/package-ID.json\n"
    "             when --out is given, and acknowledges it unless\n"
    "             --no-ack.\n";

static void
device_usage(FILE *out)
{
	fputs(device_usage_text, out);
}

/* Takes the value of option argv[*i] ("--x V" or "--x=V"). */
static const char *
device_value(int argc, char **argv, int *i, const char *eq)
{
	if (eq != NULL)
		return eq + 1;
	if (*i + 1 >= argc)
		return NULL;
	return argv[++*i];
}

/* Reads a whole number option; -1 after an error message. */
static long
device_number(const char *flag, const char *v, long min, long max)
{
	char	*end;
	long	 n;

	errno = 0;
	n = v != NULL ? strtol(v, &end, 10) : 0;
	if (v == NULL || errno != 0 || *end != '\0' || n < min || n > max) {
		cli_error("device: %s needs a number from %ld to %ld", flag,
		    min, max);
		return -1;
	}
	return n;
}

/* The string options and where they go. */
static const char **
device_string_slot(struct device_args *a, const char *name)
{
	static const char *const names[] = {
		"--state", "--server", "--licence", "--code", "--mdm-id",
		"--user", "--app-version", "--supplier", "--supplier-code",
		"--out", "--kind", "--agent",
	};
	const char	**slots[] = {
		&a->state, &a->server, &a->licence, &a->code, &a->mdm_id,
		&a->user, &a->version, &a->supplier, &a->supplier_code,
		&a->out, &a->kind, &a->agent,
	};
	size_t		i;

	for (i = 0; i < sizeof(names) / sizeof(*names); i++)
		if (strcmp(name, names[i]) == 0)
			return slots[i];
	return NULL;
}

/* The number options and where they go, with their bounds. */
static long *
device_number_slot(struct device_args *a, const char *name, long *min,
    long *max)
{
	static const struct {
		const char	*name;
		long		 min, max;
	} defs[] = {
		{ "--count", 1, 1000000 }, { "--days", 1, 365 },
		{ "--seed", 0, 2147483647L },
		{ "--batch", 1, DEVICE_BATCH_MAX },
		{ "--retries", 0, 1000 }, { "--outlets", 1, 500 },
	};
	long	*slots[] = {
		&a->count, &a->days, &a->seed, &a->batch, &a->retries,
		&a->outlets,
	};
	size_t	 i;

	for (i = 0; i < sizeof(defs) / sizeof(*defs); i++) {
		if (strcmp(name, defs[i].name) == 0) {
			*min = defs[i].min;
			*max = defs[i].max;
			return slots[i];
		}
	}
	return NULL;
}

/* Reads one option at argv[*i]; returns CLI_OK or CLI_USAGE. */
static int
device_option(struct device_args *a, int argc, char **argv, int *i)
{
	const char	*arg = argv[*i], *eq = strchr(arg, '='), *v;
	const char	**s;
	char		 name[32];
	long		*n, min, max;

	snprintf(name, sizeof(name), "%.*s", eq ? (int)(eq - arg) : 31, arg);
	if (strcmp(name, "--no-ack") == 0) {
		a->no_ack = true;
		return CLI_OK;
	}
	if (strcmp(name, "--quiet") == 0) {
		a->quiet = true;
		return CLI_OK;
	}
	if ((s = device_string_slot(a, name)) != NULL) {
		if ((*s = device_value(argc, argv, i, eq)) != NULL)
			return CLI_OK;
		cli_error("device: %s needs a value", name);
		return CLI_USAGE;
	}
	if ((n = device_number_slot(a, name, &min, &max)) != NULL) {
		v = device_value(argc, argv, i, eq);
		return (*n = device_number(name, v, min, max)) < 0 ?
		    CLI_USAGE : CLI_OK;
	}
	return cli_unknown_arg("device", arg);
}

/* Parses argv (argv[0] is "device"). */
static int
device_parse(int argc, char **argv, struct device_args *a)
{
	int	i, rc;

	memset(a, 0, sizeof(*a));
	a->state = DEVICE_STATE_DEFAULT;
	a->count = 20;
	a->days = 1;
	a->seed = (long)(time(NULL) & 0x7fffffff);
	a->batch = DEVICE_BATCH_DEFAULT;
	a->retries = DEVICE_RETRIES_DEFAULT;
	a->outlets = 40;
	for (i = 1; i < argc; i++) {
		if (argv[i][0] == '-' && argv[i][1] == '-') {
			if ((rc = device_option(a, argc, argv, &i)) != CLI_OK)
				return rc;
		} else if (a->verb == NULL) {
			a->verb = argv[i];
		} else if (a->file == NULL) {
			a->file = argv[i];
		} else {
			return cli_unknown_arg("device", argv[i]);
		}
	}
	return CLI_OK;
}

/* --- HTTP ------------------------------------------------------------ */

static size_t
device_sink(char *p, size_t size, size_t n, void *arg)
{
	struct buf	*b = arg;

	return buf_append(b, p, size * n) == 0 ? size * n : 0;
}

static void
device_reply_release(struct device_reply *r)
{
	buf_release(&r->body);
	json_decref(r->json);
	r->json = NULL;
}

/* Sends one request; r must be released by the caller. */
static void
device_send(const char *method, const char *url, const char *token,
    const char *body, struct device_reply *r)
{
	struct curl_slist	*h = NULL;
	char			 auth[128];
	CURL			*c;

	memset(r, 0, sizeof(*r));
	buf_init(&r->body, DEVICE_RESPONSE_MAX);
	if ((c = curl_easy_init()) == NULL) {
		snprintf(r->error, sizeof(r->error), "curl_easy_init failed");
		return;
	}
	h = curl_slist_append(h, "Content-Type: application/json");
	h = curl_slist_append(h, "Expect:");
	if (token != NULL) {
		snprintf(auth, sizeof(auth), "Authorization: Bearer %s",
		    token);
		h = curl_slist_append(h, auth);
	}
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
	if (body != NULL)
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
	curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "");
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, device_sink);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &r->body);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, r->error);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 10L);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 120L);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	if (curl_easy_perform(c) == CURLE_OK)
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &r->status);
	else if (r->error[0] == '\0')
		snprintf(r->error, sizeof(r->error), "the request failed");
	curl_slist_free_all(h);
	curl_easy_cleanup(c);
	r->json = json_loads(buf_cstr(&r->body), 0, NULL);
}

/* True if an answer is worth trying again: none at all, 429 or 5xx. */
static bool
device_retryable(const struct device_reply *r)
{
	return r->status == 0 || r->status == 429 || r->status >= 500;
}

/* Sends with retries; the last reply is left in r (release it). */
static void
device_call(const struct device_args *a, const char *method,
    const char *url, const char *token, const char *body,
    struct device_reply *r)
{
	long	try, pause = 250;

	for (try = 0;; try++) {
		device_send(method, url, token, body, r);
		if (!device_retryable(r) || try >= a->retries)
			return;
		if (!a->quiet)
			fprintf(stderr, "tobmen: device: %s; trying again in "
			    "%ld ms\n", r->status ? "the server is busy" :
			    r->error, pause);
		device_reply_release(r);
		usleep((useconds_t)pause * 1000);
		pause = pause * 2 > DEVICE_PAUSE_MAX_MS ? DEVICE_PAUSE_MAX_MS :
		    pause * 2;
	}
}

/* Prints why a call failed; returns CLI_FAIL. */
static int
device_fail(const char *what, const struct device_reply *r)
{
	json_t	*err = json_object_get(r->json, "error");

	if (r->status == 0)
		cli_error("device: %s: %s", what, r->error);
	else if (json_is_object(err))
		cli_error("device: %s: %ld %s: %s", what, r->status,
		    json_string_value(json_object_get(err, "code")),
		    json_string_value(json_object_get(err, "message")));
	else
		cli_error("device: %s: HTTP %ld", what, r->status);
	return CLI_FAIL;
}

/* --- the state file -------------------------------------------------- */

/* Writes state to path whole (temporary file, then rename), mode 0600. */
static int
device_state_save(const char *path, json_t *state)
{
	char	*tmp = xasprintf("%s.tmp", path);
	int	 fd, rc = -1;

	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		goto out;
	if (json_dumpfd(state, fd, JSON_INDENT(2) | JSON_SORT_KEYS) == 0 &&
	    write(fd, "\n", 1) == 1 && fsync(fd) == 0 && close(fd) == 0) {
		fd = -1;
		rc = rename(tmp, path);
	}
	if (fd >= 0)
		close(fd);
	if (rc != 0)
		unlink(tmp);

out:
	if (rc != 0)
		cli_error("device: cannot write %s: %s", path,
		    strerror(errno));
	free(tmp);
	return rc;
}

/* Reads the state file; NULL after an error message. */
static json_t *
device_state_load(const char *path)
{
	json_error_t	 je;
	json_t		*s = json_load_file(path, 0, &je);

	if (s == NULL || !json_is_string(json_object_get(s, "token")) ||
	    !json_is_string(json_object_get(s, "server"))) {
		cli_error("device: no usable state in %s; run tobmen device "
		    "activate first", path);
		json_decref(s);
		return NULL;
	}
	return s;
}

static const char *
device_sget(json_t *o, const char *key)
{
	const char	*v = json_string_value(json_object_get(o, key));

	return v != NULL ? v : "";
}

/* --- activate -------------------------------------------------------- */

/* A new MDM ID for a device that was not given one. */
static void
device_new_mdm(char out[37])
{
	struct docgen	g;
	struct timespec	ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	docgen_init(&g, (uint64_t)ts.tv_nsec ^ ((uint64_t)getpid() << 32) ^
	    (uint64_t)ts.tv_sec, 1);
	docgen_uuid(&g, out);
}

static int
device_activate(const struct device_args *a)
{
	struct device_reply	 r;
	char			 mdm[37], *url = NULL, *body = NULL;
	json_t			*req, *state;
	int			 rc = CLI_FAIL;

	if (a->server == NULL || a->licence == NULL || a->code == NULL) {
		cli_error("device activate: --server, --licence and --code "
		    "are required");
		return CLI_USAGE;
	}
	if (a->mdm_id == NULL)
		device_new_mdm(mdm);
	req = json_pack("{s:s, s:s, s:s, s:s}", "licence", a->licence,
	    "activation_code", a->code, "mdm_id", a->mdm_id ? a->mdm_id : mdm,
	    "app_version", a->version ? a->version : "tobmen-device/1");
	if (a->user != NULL)
		json_object_set_new(req, "user", json_string(a->user));
	body = json_dumps(req, JSON_COMPACT);
	url = xasprintf("%s/api/v1/device/activate", a->server);
	device_call(a, "POST", url, NULL, body, &r);
	if (r.status != 200) {
		rc = device_fail("activate", &r);
		goto out;
	}
	state = json_pack("{s:s, s:s, s:s, s:O, s:O}", "server", a->server,
	    "token", device_sget(r.json, "device_token"), "mdm_id",
	    json_string_value(json_object_get(req, "mdm_id")), "licence",
	    json_object_get(r.json, "licence"), "suppliers",
	    json_object_get(r.json, "suppliers"));
	if (device_state_save(a->state, state) == 0) {
		printf("activated licence %s; state in %s\n", a->licence,
		    a->state);
		rc = CLI_OK;
	}
	json_decref(state);

out:
	device_reply_release(&r);
	json_decref(req);
	free(body);
	free(url);
	return rc;
}

/* --- upload ---------------------------------------------------------- */

/* What an upload did so far. */
struct device_tally {
	long	stored, duplicates, conflicts, rejected;
};

/* Reads the documents of a file (or standard input for "-"). */
static json_t *
device_documents(const char *file)
{
	json_error_t	 je;
	json_t		*j, *docs;

	if (file == NULL) {
		cli_error("device upload: name a FILE of documents (- for "
		    "standard input)");
		return NULL;
	}
	j = strcmp(file, "-") == 0 ? json_loadf(stdin, 0, &je) :
	    json_load_file(file, 0, &je);
	if (j == NULL) {
		cli_error("device upload: %s:%d: %s", file, je.line, je.text);
		return NULL;
	}
	docs = json_is_array(j) ? json_incref(j) :
	    json_incref(json_object_get(j, "documents"));
	json_decref(j);
	if (!json_is_array(docs)) {
		cli_error("device upload: %s holds no array of documents",
		    file);
		json_decref(docs);
		return NULL;
	}
	return docs;
}

/* Adds one batch's answer to t and prints the refusals. */
static void
device_tally_add(const struct device_args *a, json_t *ans,
    struct device_tally *t)
{
	json_t	*it;
	size_t	 i;

	t->stored += (long)json_integer_value(json_object_get(ans, "stored"));
	t->duplicates += (long)json_integer_value(json_object_get(ans,
	    "duplicates"));
	t->conflicts += (long)json_integer_value(json_object_get(ans,
	    "conflicts"));
	t->rejected += (long)json_integer_value(json_object_get(ans,
	    "rejected"));
	if (a->quiet)
		return;
	json_array_foreach(json_object_get(ans, "results"), i, it) {
		json_t	*err = json_object_get(it, "error");

		if (err == NULL)
			continue;
		fprintf(stderr, "%s %s: %s: %s\n", device_sget(it, "status"),
		    device_sget(it, "uuid"), device_sget(err, "code"),
		    device_sget(err, "message"));
	}
}

/* Sends docs[from, from + n) in one request. */
static int
device_batch(const struct device_args *a, json_t *state, json_t *docs,
    size_t from, size_t n, struct device_tally *t)
{
	struct device_reply	 r;
	json_t			*req, *part = json_array();
	char			*body, *url;
	size_t			 i;
	int			 rc = CLI_OK;

	for (i = from; i < from + n; i++)
		json_array_append(part, json_array_get(docs, i));
	req = json_pack("{s:o}", "documents", part);
	if (a->supplier != NULL)
		json_object_set_new(req, "supplier_id",
		    json_string(a->supplier));
	else
		json_object_set_new(req, "supplier_code",
		    json_string(a->supplier_code));
	body = json_dumps(req, JSON_COMPACT);
	url = xasprintf("%s/api/v1/device/documents",
	    device_sget(state, "server"));
	device_call(a, "POST", url, device_sget(state, "token"), body, &r);
	if (r.status == 200)
		device_tally_add(a, r.json, t);
	else
		rc = device_fail("upload", &r);
	device_reply_release(&r);
	json_decref(req);
	free(body);
	free(url);
	return rc;
}

static int
device_upload(const struct device_args *a)
{
	struct device_tally	 t = { 0 };
	json_t			*state, *docs;
	size_t			 i, n;
	int			 rc = CLI_FAIL;

	if ((a->supplier == NULL) == (a->supplier_code == NULL)) {
		cli_error("device upload: give either --supplier or "
		    "--supplier-code");
		return CLI_USAGE;
	}
	if ((state = device_state_load(a->state)) == NULL)
		return CLI_FAIL;
	if ((docs = device_documents(a->file)) == NULL)
		goto out;
	n = json_array_size(docs);
	for (i = 0; i < n; i += (size_t)a->batch)
		if (device_batch(a, state, docs, i, n - i < (size_t)a->batch ?
		    n - i : (size_t)a->batch, &t) != CLI_OK)
			goto out;
	printf("stored %ld, duplicates %ld, conflicts %ld, rejected %ld\n",
	    t.stored, t.duplicates, t.conflicts, t.rejected);
	rc = t.conflicts + t.rejected > 0 ? CLI_FAIL : CLI_OK;

out:
	json_decref(docs);
	json_decref(state);
	return rc;
}

/* --- generate -------------------------------------------------------- */

static int
device_generate(const struct device_args *a)
{
	static const char *const kinds[] = {
		"order", "sale", "return", "payment", "visit",
	};
	struct docgen	 g;
	json_t		*arr = json_array();
	int64_t		 now = (int64_t)time(NULL) * 1000, span, at;
	size_t		 i;
	long		 k;
	bool		 ok = a->kind == NULL;

	for (i = 0; !ok && i < sizeof(kinds) / sizeof(*kinds); i++)
		ok = strcmp(a->kind, kinds[i]) == 0;
	if (!ok) {
		cli_error("device generate: --kind is one of order, sale, "
		    "return, payment, visit");
		json_decref(arr);
		return CLI_USAGE;
	}
	docgen_init(&g, (uint64_t)a->seed, (int)a->outlets);
	span = (int64_t)a->days * 24 * 3600 * 1000;
	for (k = 0; k < a->count; k++) {
		/* Spread over the span, oldest first, the last a minute ago. */
		at = now - 60000 - span + span * (k + 1) / (a->count + 1);
		json_array_append_new(arr, docgen_document(&g, a->kind, at,
		    a->agent ? a->agent : docgen_agent(&g), "Д"));
	}
	json_dumpf(arr, stdout, JSON_INDENT(1) | JSON_ENSURE_ASCII);
	putchar('\n');
	json_decref(arr);
	return CLI_OK;
}

/* --- download -------------------------------------------------------- */

/* Writes a package's payload to DIR/package-ID.json. */
static int
device_write_payload(const char *dir, json_t *p)
{
	char	*path = xasprintf("%s/package-%s.json", dir,
		    device_sget(p, "id"));
	int	 rc = json_dump_file(json_object_get(p, "payload"), path,
		    JSON_INDENT(1));

	if (rc != 0)
		cli_error("device download: cannot write %s", path);
	free(path);
	return rc;
}

/* Handles one package: shows it, saves it, acknowledges it. */
static int
device_package(const struct device_args *a, json_t *state, json_t *p)
{
	struct device_reply	 r;
	char			*url;
	int			 rc = CLI_OK;

	printf("package %s: %s \"%s\" from %s\n", device_sget(p, "id"),
	    device_sget(p, "kind"), device_sget(p, "name"),
	    device_sget(json_object_get(p, "supplier"), "name"));
	if (a->out != NULL && device_write_payload(a->out, p) != 0)
		return CLI_FAIL;
	if (a->no_ack)
		return CLI_OK;
	url = xasprintf("%s/api/v1/device/packages/%s/ack",
	    device_sget(state, "server"), device_sget(p, "id"));
	device_call(a, "POST", url, device_sget(state, "token"), "{}", &r);
	if (r.status != 200)
		rc = device_fail("acknowledge", &r);
	device_reply_release(&r);
	free(url);
	return rc;
}

static int
device_download(const struct device_args *a)
{
	struct device_reply	 r;
	json_t			*state, *it;
	char			*url, after[32] = "0";
	size_t			 i, total = 0;
	int			 rc = CLI_OK;

	if ((state = device_state_load(a->state)) == NULL)
		return CLI_FAIL;
	do {
		url = xasprintf("%s/api/v1/device/packages?after=%s",
		    device_sget(state, "server"), after);
		device_call(a, "GET", url, device_sget(state, "token"), NULL,
		    &r);
		free(url);
		if (r.status != 200) {
			rc = device_fail("download", &r);
			device_reply_release(&r);
			break;
		}
		json_array_foreach(json_object_get(r.json, "items"), i, it) {
			if ((rc = device_package(a, state, it)) != CLI_OK)
				break;
			total++;
		}
		snprintf(after, sizeof(after), "%s",
		    device_sget(r.json, "next_after"));
		device_reply_release(&r);
	} while (rc == CLI_OK && after[0] != '\0');
	if (rc == CLI_OK)
		printf("%zu package%s\n", total, total == 1 ? "" : "s");
	json_decref(state);
	return rc;
}

int
cli_device(int argc, char **argv, char **envp)
{
	struct device_args	a;
	int			rc;

	(void)envp;
	if (cli_wants_help(argc, argv)) {
		device_usage(stdout);
		return CLI_OK;
	}
	if ((rc = device_parse(argc, argv, &a)) != CLI_OK)
		return rc;
	if (a.verb == NULL) {
		device_usage(stderr);
		return CLI_USAGE;
	}
	if (strcmp(a.verb, "generate") == 0)
		return device_generate(&a);
	curl_global_init(CURL_GLOBAL_DEFAULT);
	if (strcmp(a.verb, "activate") == 0)
		rc = device_activate(&a);
	else if (strcmp(a.verb, "upload") == 0)
		rc = device_upload(&a);
	else if (strcmp(a.verb, "download") == 0)
		rc = device_download(&a);
	else
		rc = cli_unknown_arg("device", a.verb);
	curl_global_cleanup();
	return rc;
}
