/*
 * demo.c - "tobmen demo": fills a new store with a living network to
 * look at.
 *
 * Two suppliers, twenty distributors linked with them (most with both),
 * a few hundred licences connected and activated, a catalogue and a
 * price list published, API keys, a feed consumer that lags, and thirty
 * days of documents uploaded day by day, a few of them refused.  Every
 * step goes through domain/ as the service itself would do it (the
 * clock is moved back to date each day's uploads), except that users get
 * known passwords and invitations are answered at once.  Prints the
 * logins and keys at the end.  Refuses a store that already holds
 * companies.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <sodium.h>

#include "app.h"
#include "cli/cli.h"
#include "cli/docgen.h"
#include "core/clock.h"
#include "core/xmalloc.h"
#include "domain/apikey.h"
#include "domain/company.h"
#include "domain/device.h"
#include "domain/exchange.h"
#include "domain/feed.h"
#include "domain/licence.h"
#include "domain/network.h"
#include "domain/package.h"
#include "domain/password.h"
#include "domain/token.h"
#include "mail/mail.h"
#include "store/link.h"
#include "store/user.h"

#define DEMO_PASSWORD		"demo-tobmen-2024"
#define DEMO_SUPPLIERS		2
#define DEMO_DAY_MS		(24LL * 3600 * 1000)
#define DEMO_DIST_MAX		200
#define DEMO_LIC_MAX		200	/* per distributor */

/* What the command line asked for. */
struct demo_opts {
	long	distributors;
	long	licences;	/* in all */
	long	days;
	long	docs;		/* per device, supplier and day, at most */
	long	seed;
	bool	quiet;
};

/* A licence of the demo and the device it is activated on. */
struct demo_licence {
	char			 number[LICENCE_NUMBER_LEN + 1];
	char			 code[LICENCE_CODE_LEN + 1];
	struct device_caller	 dev;		/* device_id 0: none */
	bool			 on[DEMO_SUPPLIERS];
};

struct demo_company {
	struct actor	 who;		/* its owner */
	char		 name[128];
	char		 email[128];
	int64_t		 code[DEMO_SUPPLIERS];	/* 0: not linked */
	char		 key[APIKEY_SECRET_LEN + 1];
	int64_t		 key_id;
	struct demo_licence	*lic;
	size_t		 nlic;
};

struct demo {
	const struct app	*app;
	struct demo_opts	 o;
	struct docgen		 g;
	struct demo_company	 sup[DEMO_SUPPLIERS];
	struct demo_company	*dist;
	size_t			 ndist;
	long			 docs, refused;
	struct err		 e;
};

static const char *const demo_supplier_names[DEMO_SUPPLIERS] = {
	"ООО «Чайная мануфактура»", "АО «Кондитерский дом Север»",
};
static const char *const demo_supplier_inns[DEMO_SUPPLIERS] = {
	"7707083893", "7736207543",
};
static const char *const demo_cities[] = {
	"Тверь", "Рязань", "Тула", "Калуга", "Ярославль", "Владимир",
	"Смоленск", "Кострома", "Иваново", "Брянск",
};

static void
demo_usage(void)
{
	printf("usage: tobmen demo [--db URL] [--distributors N] "
	    "[--licences N]\n"
	    "           [--days N] [--docs N] [--seed N] [--quiet] "
	    "[settings]\n\n"
	    "Fills a new store with a demo network: two suppliers, N "
	    "distributors\n(default 20) linked with them, N licences in all "
	    "(default 300) connected\nand activated, a catalogue and prices "
	    "published, API keys, and documents\nuploaded every day of the "
	    "last N days (default 30), up to --docs per\ndevice and day "
	    "(default 4).  Prints the logins (password %s)\nand the API "
	    "keys.  A store that already holds companies is refused.\n",
	    DEMO_PASSWORD);
	cli_settings_usage();
}

/* Reads the subcommand's own arguments from rest. */
static int
demo_parse(int argc, char **argv, const int *rest, int nrest,
    struct demo_opts *o)
{
	static const char *const names[] = {
		"--distributors", "--licences", "--days", "--docs", "--seed",
	};
	long	*slots[] = { &o->distributors, &o->licences, &o->days,
		    &o->docs, &o->seed };
	long	 max[] = { DEMO_DIST_MAX, 5000, 90, 50, 2147483647L };
	char	*end;
	int	 i, k;

	*o = (struct demo_opts){ .distributors = 20, .licences = 300,
	    .days = 30, .docs = 4, .seed = 20240301 };
	for (i = 0; i < nrest; i++) {
		const char	*a = argv[rest[i]];

		if (strcmp(a, "--quiet") == 0) {
			o->quiet = true;
			continue;
		}
		for (k = 0; k < 5 && strcmp(a, names[k]) != 0; k++)
			;
		if (k == 5 || i + 1 >= nrest)
			return cli_unknown_arg("demo", a);
		*slots[k] = strtol(argv[rest[++i]], &end, 10);
		if (*end != '\0' || *slots[k] < (k == 4 ? 0 : 1) ||
		    *slots[k] > max[k]) {
			cli_error("demo: %s needs a number from %d to %ld",
			    names[k], k == 4 ? 0 : 1, max[k]);
			return CLI_USAGE;
		}
	}
	(void)argc;
	return CLI_OK;
}

/* Says what the demo is doing (unless --quiet). */
static void
demo_step(const struct demo *d, const char *what)
{
	if (!d->o.quiet)
		fprintf(stderr, "demo: %s\n", what);
}

/* Adds the owner of company co_id with a known password. */
static int
demo_owner(struct demo *d, int64_t co_id, const char *email,
    const char *name, struct demo_company *c)
{
	struct store_user	 u;
	struct store_conn	*conn;
	int64_t			 id;
	int			 rc = -1;

	memset(&u, 0, sizeof(u));
	u.company_id = co_id;
	snprintf(u.email, sizeof(u.email), "%s", email);
	snprintf(u.name, sizeof(u.name), "%s", name);
	snprintf(u.role, sizeof(u.role), "owner");
	snprintf(u.lang, sizeof(u.lang), "ru");
	u.created_at = clock_now_ms();
	if (password_hash(DEMO_PASSWORD, u.password_hash, &d->e) != 0 ||
	    (conn = store_acquire(d->app->store, &d->e)) == NULL)
		return -1;
	if (store_user_insert(conn, &u, &id, &d->e) == STORE_OK)
		rc = 0;
	store_release(conn);
	c->who = (struct actor){ .user_id = id, .company_id = co_id,
	    .role = ROLE_OWNER };
	snprintf(c->who.ip, sizeof(c->who.ip), "127.0.0.1");
	snprintf(c->email, sizeof(c->email), "%s", email);
	return rc;
}

/* Makes a company with its owner. */
static int
demo_company(struct demo *d, const char *name, const char *inn,
    bool supplier, const char *email, struct demo_company *c)
{
	struct actor		op = { .role = ROLE_OPERATOR };
	struct company_card	card = { .name = name, .inn = inn,
				    .address = "Россия" };
	struct company		co;
	int			rc;

	company_init(&co);
	rc = company_add(d->app, &op, &card, supplier, !supplier, &co, &d->e);
	if (rc == 0)
		rc = demo_owner(d, co.id, email, supplier ? "Менеджер "
		    "поставщика" : "Руководитель", c);
	snprintf(c->name, sizeof(c->name), "%s", name);
	company_release(&co);
	return rc;
}

/* Links distributor c into supplier s's network under code: the
 * invitation row is made here, its token answered at once. */
static int
demo_link(struct demo *d, int s, struct demo_company *c, int64_t code)
{
	struct store_link	*l = xcalloc(1, sizeof(*l));
	struct network_link	*out = xcalloc(1, sizeof(*out));
	struct store_conn	*conn;
	char			 tok[TOKEN_LEN + 1], hash[TOKEN_HASH_LEN + 1];
	int64_t			 id, now = clock_now_ms();
	int			 rc = -1;

	token_new(tok);
	token_hash(tok, hash);
	l->supplier_id = d->sup[s].who.company_id;
	l->code = code;
	snprintf(l->name, sizeof(l->name), "%s", c->name);
	snprintf(l->email, sizeof(l->email), "%s", c->email);
	snprintf(l->lang, sizeof(l->lang), "ru");
	l->invited_by = d->sup[s].who.user_id;
	l->expires_at = now + DEMO_DAY_MS;
	if ((conn = store_acquire(d->app->store, &d->e)) == NULL)
		goto out;
	rc = store_link_insert(conn, l, hash, now, &id, &d->e) == STORE_OK ?
	    0 : -1;
	store_release(conn);
	if (rc == 0)
		rc = network_answer(d->app, &c->who, tok, true, out, &d->e);
	if (rc == 0)
		c->code[s] = code;

out:
	free(out);
	free(l);
	return rc;
}

/* Issues the distributor's licences. */
static int
demo_issue(struct demo *d, struct demo_company *c, size_t n)
{
	struct actor		 op = { .role = ROLE_OPERATOR };
	struct store_licence	*items = NULL;
	size_t			 got = 0, i;

	if (licence_issue(d->app, &op, c->who.company_id, 0, (int)n, &items,
	    &got, &d->e) != 0)
		return -1;
	c->lic = xcalloc(got, sizeof(*c->lic));
	c->nlic = got;
	for (i = 0; i < got; i++) {
		memcpy(c->lic[i].number, items[i].number,
		    sizeof(c->lic[i].number));
		memcpy(c->lic[i].code, items[i].code, sizeof(c->lic[i].code));
	}
	free(items);
	return 0;
}

/* Connects every k-th licence of c to supplier s (k = 1: all). */
static int
demo_connect(struct demo *d, struct demo_company *c, int s, size_t k)
{
	const char		**nums = xcalloc(c->nlic + 1, sizeof(*nums));
	struct licence_batch	  b;
	size_t			  i, n = 0;
	int			  rc;

	memset(&b, 0, sizeof(b));
	for (i = 0; i < c->nlic; i += k) {
		nums[n++] = c->lic[i].number;
		c->lic[i].on[s] = true;
	}
	rc = licence_connect(d->app, &c->who, d->sup[s].who.company_id, nums,
	    n, true, &b, &d->e);
	licence_batch_release(&b);
	free(nums);
	return rc;
}

/* Activates licence l on a new device as agent; skips it on failure. */
static int
demo_activate(struct demo *d, struct demo_licence *l, const char *agent)
{
	struct device_activation	 in = {
		.licence = l->number, .activation_code = l->code,
		.app_version = "3.4.12", .user = agent, .ip = "127.0.0.1",
	};
	struct device_session		*s = xcalloc(1, sizeof(*s));
	char				 mdm[37];
	int				 rc;

	docgen_uuid(&d->g, mdm);
	in.mdm_id = mdm;
	rc = device_activate(d->app, &in, s, &d->e);
	if (rc == 0) {
		memset(&l->dev, 0, sizeof(l->dev));
		l->dev.device_id = s->device.id;
		l->dev.licence_id = s->licence.id;
		l->dev.company_id = s->licence.holder_id;
		l->dev.owner_id = s->licence.owner_id;
		snprintf(l->dev.number, sizeof(l->dev.number), "%s",
		    l->number);
		snprintf(l->dev.mdm_id, sizeof(l->dev.mdm_id), "%s", mdm);
		snprintf(l->dev.user_name, sizeof(l->dev.user_name), "%s",
		    agent);
	}
	device_session_release(s);
	free(s);
	return rc;
}

/* The suppliers, the distributors and the links between them. */
static int
demo_network(struct demo *d)
{
	char	name[128], email[128];
	size_t	i;
	int	s;

	demo_step(d, "companies and links");
	for (s = 0; s < DEMO_SUPPLIERS; s++) {
		snprintf(email, sizeof(email), "supplier%d@demo.example",
		    s + 1);
		if (demo_company(d, demo_supplier_names[s],
		    demo_supplier_inns[s], true, email, &d->sup[s]) != 0)
			return -1;
	}
	d->ndist = (size_t)d->o.distributors;
	d->dist = xcalloc(d->ndist, sizeof(*d->dist));
	for (i = 0; i < d->ndist; i++) {
		snprintf(name, sizeof(name), "ООО «Дистрибуция %s-%zu»",
		    demo_cities[i % (sizeof(demo_cities) /
		    sizeof(*demo_cities))], i + 1);
		snprintf(email, sizeof(email), "dist%02zu@demo.example",
		    i + 1);
		if (demo_company(d, name, NULL, false, email,
		    &d->dist[i]) != 0 ||
		    demo_link(d, 0, &d->dist[i], 10100 + (int64_t)i * 7) !=
		    0 ||
		    (i % 5 != 4 && demo_link(d, 1, &d->dist[i],
		    20300 + (int64_t)i * 11) != 0))
			return -1;
	}
	return 0;
}

/* Licences, connections and devices. */
static int
demo_licences(struct demo *d)
{
	struct demo_company	*c;
	size_t			 i, j, each;

	demo_step(d, "licences and devices");
	for (i = 0; i < d->ndist; i++) {
		c = &d->dist[i];
		each = (size_t)d->o.licences / d->ndist +
		    (i < (size_t)d->o.licences % d->ndist);
		if (each == 0)
			continue;
		if (each > DEMO_LIC_MAX)
			each = DEMO_LIC_MAX;
		if (demo_issue(d, c, each) != 0 ||
		    demo_connect(d, c, 0, 1) != 0 ||
		    (c->code[1] != 0 && demo_connect(d, c, 1, 2) != 0))
			return -1;
		/* Most licences are in use; a few wait for an agent. */
		for (j = 0; j < c->nlic; j++)
			if (j % 6 != 5 && demo_activate(d, &c->lic[j],
			    docgen_agent(&d->g)) != 0)
				return -1;
	}
	return 0;
}

/* A key for the supplier's system, and the distributor's one. */
static int
demo_keys(struct demo *d)
{
	struct apikey_new	*k = xcalloc(1, sizeof(*k));
	int			 s, rc = -1;

	demo_step(d, "API keys, catalogue and prices");
	for (s = 0; s < DEMO_SUPPLIERS; s++) {
		if (apikey_create(d->app, &d->sup[s].who, "1С: Управление "
		    "дистрибуцией", APIKEY_READ | APIKEY_PUBLISH, k,
		    &d->e) != 0)
			goto out;
		memcpy(d->sup[s].key, k->secret, sizeof(d->sup[s].key));
		d->sup[s].key_id = k->row.id;
	}
	if (apikey_create(d->app, &d->dist[0].who, "Учётная система",
	    APIKEY_SEND, k, &d->e) != 0)
		goto out;
	memcpy(d->dist[0].key, k->secret, sizeof(d->dist[0].key));
	rc = 0;

out:
	sodium_memzero(k, sizeof(*k));
	free(k);
	return rc;
}

/* Publishes one package of supplier s. */
static int
demo_publish(struct demo *d, int s, const char *kind, const char *name,
    json_t *payload, struct package_info *out)
{
	struct apikey_caller	 k = {
		.key_id = d->sup[s].key_id,
		.company_id = d->sup[s].who.company_id,
	};
	json_t			*o;
	int			 rc;

	o = json_pack("{s:s, s:s, s:s, s:o}", "kind", kind, "name", name,
	    "target", "all", "payload", payload);
	rc = package_publish(d->app, &k, o, out, &d->e);
	json_decref(o);
	return rc;
}

/* The catalogue and a price list of each supplier; the first devices
 * acknowledge them. */
static int
demo_packages(struct demo *d)
{
	struct package_info	p;
	int64_t			at;
	size_t			i;
	bool			first;
	int			s;

	for (s = 0; s < DEMO_SUPPLIERS; s++) {
		if (demo_publish(d, s, "catalogue", "Каталог товаров",
		    docgen_catalogue(), &p) != 0)
			return -1;
		for (i = 0; i < d->ndist; i++)
			if (d->dist[i].nlic > 0 && d->dist[i].lic[0].on[s] &&
			    d->dist[i].lic[0].dev.device_id > 0 &&
			    package_ack(d->app, &d->dist[i].lic[0].dev,
			    p.row.id, &at, &first, &d->e) != 0)
				return -1;
		if (demo_publish(d, s, "prices", "Прайс-лист",
		    docgen_prices(&d->g), &p) != 0)
			return -1;
	}
	return 0;
}

/* Uploads one day's documents of licence l for supplier s. */
static int
demo_upload(struct demo *d, const struct demo_licence *l, int s,
    int64_t day_start)
{
	struct exchange_sender	 snd = {
		.source = DOCUMENT_FROM_DEVICE, .device = &l->dev,
		.distributor_id = l->dev.company_id,
	};
	struct exchange_upload	 u;
	json_t			*docs = json_array(), *doc;
	long			 n = (long)docgen_below(&d->g,
				    (uint32_t)d->o.docs + 1), k;
	int			 rc = 0;

	for (k = 0; k < n; k++) {
		doc = docgen_document(&d->g, NULL, day_start + 8 * 3600000LL +
		    (int64_t)docgen_below(&d->g, 10 * 3600) * 1000,
		    l->dev.user_name, s == 0 ? "ЧМ" : "КД");
		/* Now and then an agent's app sends a total that is off. */
		if (docgen_below(&d->g, 150) == 0) {
			json_object_set_new(doc, "total", json_integer(
			    json_integer_value(json_object_get(doc,
			    "total")) + 1));
		}
		json_array_append_new(docs, doc);
	}
	if (n > 0) {
		rc = exchange_upload(d->app, &snd, d->sup[s].who.company_id, 0,
		    docs, &u, &d->e);
		if (rc == 0) {
			d->docs += (long)u.count[EXCHANGE_STORED];
			d->refused += (long)(u.count[EXCHANGE_REJECTED] +
			    u.count[EXCHANGE_CONFLICT]);
		}
		exchange_upload_release(&u);
	}
	json_decref(docs);
	return rc;
}

/* Thirty days of uploads, each dated by moving the clock. */
static int
demo_documents(struct demo *d)
{
	int64_t	 today = clock_now_ms() / DEMO_DAY_MS * DEMO_DAY_MS, start;
	int64_t	 real;
	long	 day;
	size_t	 i, j;
	int	 s, rc = 0;

	demo_step(d, "documents, day by day");
	for (day = d->o.days - 1; day >= 0 && rc == 0; day--) {
		start = today - day * DEMO_DAY_MS;
		/* Past days upload in their evening, today at once. */
		clock_set_offset_ms(0);
		real = clock_now_ms();
		clock_set_offset_ms(day > 0 ? start + 19 * 3600000LL - real :
		    0);
		for (i = 0; i < d->ndist && rc == 0; i++)
			for (j = 0; j < d->dist[i].nlic && rc == 0; j++)
				for (s = 0; s < DEMO_SUPPLIERS && rc == 0; s++)
					if (d->dist[i].lic[j].on[s] &&
					    d->dist[i].lic[j].dev.device_id > 0)
						rc = demo_upload(d,
						    &d->dist[i].lic[j], s,
						    start);
	}
	clock_set_offset_ms(0);
	return rc;
}

/* A feed consumer of the first supplier that has read most of it. */
static int
demo_consumer(struct demo *d)
{
	struct feed_consumer	c;
	int64_t			head;

	if (feed_head(d->app, d->sup[0].who.company_id, &head, &d->e) != 0)
		return -1;
	return feed_consumer_commit(d->app, d->sup[0].who.company_id,
	    d->sup[0].key_id, "1c-ud", head - head / 20, &c, &d->e);
}

/* Prints the logins and keys. */
static void
demo_report(const struct demo *d)
{
	size_t	i, nlic = 0;
	int	s;

	for (i = 0; i < d->ndist; i++)
		nlic += d->dist[i].nlic;
	printf("The store holds a demo network: %d suppliers, %zu "
	    "distributors, %zu licences,\n%ld documents (%ld refused) over "
	    "%ld days.  Every password is %s\n\n", DEMO_SUPPLIERS, d->ndist,
	    nlic, d->docs, d->refused, d->o.days, DEMO_PASSWORD);
	for (s = 0; s < DEMO_SUPPLIERS; s++)
		printf("supplier     %-28s %s\n             API key (read, "
		    "publish) %s\n", d->sup[s].email, d->sup[s].name,
		    d->sup[s].key);
	for (i = 0; i < d->ndist; i++) {
		printf("distributor  %-28s %s, code %lld", d->dist[i].email,
		    d->dist[i].name, (long long)d->dist[i].code[0]);
		if (d->dist[i].code[1] != 0)
			printf(" and %lld", (long long)d->dist[i].code[1]);
		putchar('\n');
	}
	printf("             API key of %s (send) %s\n", d->dist[0].email,
	    d->dist[0].key);
}

/* True if the store holds no company yet. */
static bool
demo_store_empty(struct demo *d)
{
	struct company_page	pg;
	bool			empty;

	memset(&pg, 0, sizeof(pg));
	empty = company_list(d->app, 0, 1, &pg, &d->e) == 0 && pg.n == 0;
	company_page_release(&pg);
	return empty;
}

/* Builds the whole demo. */
static int
demo_build(struct demo *d)
{
	if (!demo_store_empty(d)) {
		if (d->e.code == ERR_NONE)
			err_set(&d->e, ERR_CONFLICT, "store_not_empty", NULL,
			    "the store already holds companies; the demo "
			    "fills only a new store");
		return -1;
	}
	docgen_init(&d->g, (uint64_t)d->o.seed, 60);
	if (demo_network(d) != 0 || demo_licences(d) != 0 ||
	    demo_keys(d) != 0 || demo_packages(d) != 0 ||
	    demo_documents(d) != 0 || demo_consumer(d) != 0)
		return -1;
	demo_report(d);
	return 0;
}

/* Opens the store and builds the demo in it. */
static int
demo_run(const struct config *cfg, const struct demo_opts *o)
{
	struct app	 app = { .cfg = cfg };
	struct demo	*d = xcalloc(1, sizeof(*d));
	size_t		 i;
	int		 rc = CLI_FAIL;

	d->app = &app;
	d->o = *o;
	if (mail_init(cfg, &d->e) != 0 ||
	    store_open(cfg->db, 2, cfg->db_busy_timeout_ms, &app.store,
	    &d->e) != STORE_OK) {
		cli_error("demo: %s", d->e.msg);
		goto out;
	}
	if (store_schema_check(app.store, &d->e) != STORE_OK ||
	    demo_build(d) != 0)
		cli_error("demo: %s", d->e.msg);
	else
		rc = CLI_OK;
	store_close(app.store);

out:
	for (i = 0; i < d->ndist; i++)
		free(d->dist[i].lic);
	free(d->dist);
	sodium_memzero(d, sizeof(*d));
	free(d);
	return rc;
}

int
cli_demo(int argc, char **argv, char **envp)
{
	struct config		 cfg;
	struct demo_opts	 o;
	int			*rest, nrest, rc;

	if (cli_wants_help(argc, argv)) {
		demo_usage();
		return CLI_OK;
	}
	rest = xcalloc((size_t)argc, sizeof(*rest));
	rc = cli_config(&cfg, argc, argv, envp, rest, &nrest);
	if (rc == CLI_OK)
		rc = demo_parse(argc, argv, rest, nrest, &o);
	if (rc == CLI_OK) {
		password_set_parallel(cfg.hash_parallel);
		licence_network_register();
		rc = demo_run(&cfg, &o);
	}
	config_release(&cfg);
	free(rest);
	return rc;
}
