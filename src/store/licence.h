/*
 * licence.h - SQL for licences of the mobile trade app and for their
 * service status per supplier (Т-Обмен).
 *
 * A licence has a 20-digit number, a 16-digit activation code, an owner
 * (who pays) and a holder (whose agent uses it), the agent's name, the
 * configuration version and the MDM ID of the bound device ("" when
 * free).  A row of licence_services makes the licence «ВКЛ» for one
 * supplier.  Every lookup that serves a tenant takes the holder; 0 means
 * "any company" and is only for the operator and for devices, which name
 * a licence by number and code.  Rows are copied into fixed-size structs;
 * lists are malloc'd.  Functions run on the caller's connection and
 * transaction; none logs.
 */
#ifndef TOBMEN_STORE_LICENCE_H
#define TOBMEN_STORE_LICENCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store/store.h"

#define LICENCE_NUMBER_LEN	20
#define LICENCE_CODE_LEN	16
#define LICENCE_USER_SIZE	808	/* 200 characters of up to 4 bytes */
#define LICENCE_VERSION_SIZE	260	/* 64 characters of up to 4 bytes */
#define LICENCE_MDM_SIZE	40	/* a GUID is 36 characters */
#define LICENCE_COMPANY_SIZE	1204	/* 300 characters of up to 4 bytes */
#define LICENCE_SEARCH_SIZE	2048
/* The most suppliers a listed licence reports in services[]. */
#define LICENCE_SERVICES_MAX	32

struct store_licence {
	int64_t	 id;
	char	 number[LICENCE_NUMBER_LEN + 1];
	char	 code[LICENCE_CODE_LEN + 1];
	int64_t	 owner_id;
	int64_t	 holder_id;
	char	 owner_name[LICENCE_COMPANY_SIZE];	/* read only */
	char	 holder_name[LICENCE_COMPANY_SIZE];	/* read only */
	char	 user_name[LICENCE_USER_SIZE];
	char	 config_version[LICENCE_VERSION_SIZE];
	char	 mdm_id[LICENCE_MDM_SIZE];	/* "" when no device */
	bool	 blocked;
	int64_t	 created_at;
	int64_t	 activated_at;		/* last binding, 0 = never */
	int64_t	 last_contact_at;	/* 0 = never */
	int64_t	 updated_at;

	/* Filled by reads that name a supplier: «ВКЛ» for it. */
	bool	 in_service;
	/* Filled by store_licence_list with want_services: the suppliers
	 * the licence is «ВКЛ» for, by id, at most LICENCE_SERVICES_MAX. */
	int64_t	 services[LICENCE_SERVICES_MAX];
	size_t	 nservices;
};

/* Which licences a list keeps, by their status for its supplier. */
enum licence_state {
	LICENCE_STATE_ALL,
	LICENCE_STATE_ON,	/* «ВКЛ» */
	LICENCE_STATE_OFF,	/* «ВНЕ СЕРВИСА» */
};

struct store_licence_query {
	int64_t			 holder_id;	/* required */
	int64_t			 supplier_id;	/* status for it; 0: none */
	enum licence_state	 state;		/* needs supplier_id */
	const char		*search;	/* folded text, NULL or "" */
	const char		*after;		/* number, NULL or "" */
	int			 limit;		/* rows wanted, >= 1 */
	bool			 want_services;
};

/* A supplier a licence is «ВКЛ» for. */
struct store_licence_supplier {
	int64_t	 id;
	char	 name[LICENCE_COMPANY_SIZE];
	int64_t	 code;		/* distributor code in its network, 0 */
};

/*
 * Writes the case-folded form of in into out (n bytes, always
 * NUL-terminated): ASCII and Cyrillic letters become lower case and «ё»
 * becomes «е», so that «Ёлкин» and «елкин» find each other.  Other bytes
 * are copied.  Returns the length written.
 */
size_t		store_licence_fold(const char *in, char *out, size_t n);

/* Inserts l (number, code, owner_id, holder_id, user_name,
 * config_version) dated now and stores the new id in *id.
 * STORE_CONFLICT (e "number_taken") if the number exists; the
 * transaction stays usable. */
enum store_rc	store_licence_insert(struct store_conn *c,
		    const struct store_licence *l, int64_t now, int64_t *id,
		    struct err *e);

/* Reads licence number of holder_id (0: any) with its status for
 * supplier_id (0: none).  STORE_NOTFOUND (e "licence_not_found"). */
enum store_rc	store_licence_get(struct store_conn *c, int64_t holder_id,
		    int64_t supplier_id, const char *number,
		    struct store_licence *out, struct err *e);

/* Reads only the id, owner and blocked flag of licence number of
 * holder_id (for batches).  STORE_NOTFOUND (e "licence_not_found"). */
enum store_rc	store_licence_find(struct store_conn *c, int64_t holder_id,
		    const char *number, int64_t *id, int64_t *owner_id,
		    bool *blocked, struct err *e);

/* Takes the row lock of licence number of holder_id (0: any) until the
 * transaction ends, so that two changes of one licence run one after
 * the other on PostgreSQL too.  STORE_NOTFOUND as store_licence_get. */
enum store_rc	store_licence_lock(struct store_conn *c, int64_t holder_id,
		    const char *number, struct err *e);

/* Lists up to q->limit licences by number after q->after.  *items is
 * malloc'd (free() it, also when *n is 0).  The rows carry what a list
 * shows: their id and updated_at are 0. */
enum store_rc	store_licence_list(struct store_conn *c,
		    const struct store_licence_query *q,
		    struct store_licence **items, size_t *n, struct err *e);

/* Counts the holder's licences and, of them, those «ВКЛ» for
 * supplier_id. */
enum store_rc	store_licence_count(struct store_conn *c, int64_t holder_id,
		    int64_t supplier_id, int64_t *total, int64_t *in_service,
		    struct err *e);

/* Lists every licence held or owned by company_id, by number after
 * `after` (NULL or "" from the start), at most limit. */
enum store_rc	store_licence_list_company(struct store_conn *c,
		    int64_t company_id, const char *after, int limit,
		    struct store_licence **items, size_t *n, struct err *e);

/* Writes the changeable columns of l (user_name, config_version,
 * mdm_id, blocked, activated_at, last_contact_at) and the search text,
 * and sets updated_at to now.  STORE_NOTFOUND if l->id is gone. */
enum store_rc	store_licence_update(struct store_conn *c,
		    const struct store_licence *l, int64_t now,
		    struct err *e);

/* Sets the last contact of licence id to now. */
enum store_rc	store_licence_touch(struct store_conn *c, int64_t id,
		    int64_t now, struct err *e);

/* Makes licence id «ВКЛ» (on) or «ВНЕ СЕРВИСА» for supplier_id; by is
 * the company that asked.  *changed says whether the status moved. */
enum store_rc	store_licence_service_set(struct store_conn *c,
		    int64_t licence_id, int64_t supplier_id, bool on,
		    int64_t by, int64_t now, bool *changed, struct err *e);

/* Takes every licence of holder_id out of service for supplier_id;
 * *n (may be NULL) gets how many were «ВКЛ». */
enum store_rc	store_licence_service_drop(struct store_conn *c,
		    int64_t supplier_id, int64_t holder_id, int64_t *n,
		    struct err *e);

/* Counts the licences of holder_id «ВКЛ» for supplier_id. */
enum store_rc	store_licence_count_in_service(struct store_conn *c,
		    int64_t supplier_id, int64_t holder_id, int64_t *n,
		    struct err *e);

/* Counts the licences of holder_id that owner_id owns. */
enum store_rc	store_licence_count_owned(struct store_conn *c,
		    int64_t owner_id, int64_t holder_id, int64_t *n,
		    struct err *e);

/* Lists the suppliers licence licence_id (held by holder_id) is «ВКЛ»
 * for, by id, with the holder's distributor code in each network.
 * *items is malloc'd (free() it). */
enum store_rc	store_licence_suppliers(struct store_conn *c,
		    int64_t licence_id, int64_t holder_id,
		    struct store_licence_supplier **items, size_t *n,
		    struct err *e);
/* Sets *yes to whether licence licence_id is connected to supplier
 * supplier_id in Т-Обмен (one of store_licence_suppliers'). */
enum store_rc	store_licence_serves(struct store_conn *c,
		    int64_t licence_id, int64_t supplier_id, bool *yes,
		    struct err *e);

/*
 * Reads the accepted link between supplier_id and distributor_id: *manage
 * gets «Разрешить управление моими лицензиями».  With lock, the link's
 * row stays locked until the transaction ends, so that a disconnection
 * or a change of the permission waits for the caller's change, or the
 * caller sees its result.  STORE_NOTFOUND (e "link_not_found") if the two
 * are not linked.
 */
enum store_rc	store_licence_link(struct store_conn *c, int64_t supplier_id,
		    int64_t distributor_id, bool lock, bool *manage,
		    struct err *e);

#endif
