/*
 * licence_int.h - what the licence module's source files share, private
 * to domain/licence*.c and domain/device.c.
 *
 * Each helper runs on the caller's connection and transaction and returns
 * 0 or -1 with e filled.
 */
#ifndef TOBMEN_DOMAIN_LICENCE_INT_H
#define TOBMEN_DOMAIN_LICENCE_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "domain/licence.h"

/* A licence number as a fixed string, for lists of them. */
typedef char licence_number_t[LICENCE_NUMBER_LEN + 1];

/* The companies an audit entry is written for; the holder first. */
#define LICENCE_PARTIES_MAX	16

struct licence_parties {
	int64_t	 ids[LICENCE_PARTIES_MAX];
	size_t	 n;
};

/* Adds company id (ignored if 0, known already, or the list is full). */
void	licence_parties_add(struct licence_parties *p, int64_t id);

/* Fills p with l's holder, owner, extra (0: none) and the suppliers l is
 * «ВКЛ» for. */
int	licence_parties_of(struct store_conn *c, const struct store_licence *l,
	    int64_t extra, struct licence_parties *p, struct err *e);

/* One change to write to the audit log. */
struct licence_audit {
	const struct actor	*who;		/* NULL: a device */
	int64_t			 device_company; /* when who is NULL */
	const char		*ip;		/* when who is NULL */
	const char		*action;	/* "licence.connect", ... */
	const char		*object_id;	/* a number, or NULL */
	const char		*before;	/* JSON or NULL */
	const char		*after;		/* JSON or NULL */
	int64_t			 now;
};

/* Writes a for every party: one entry for the first two (the holder
 * and the other side), then one per further party, naming the holder as
 * the other side. */
int	licence_audit(struct store_conn *c, const struct licence_audit *a,
	    const struct licence_parties *p, struct err *e);

/* The audit log's JSON of a licence's changeable state (malloc'd). */
char	*licence_state_json(const struct store_licence *l);

/* Runs fn(c, arg, e) in one transaction (write: taking the write lock
 * at once) on a connection borrowed from app, and commits if fn returns
 * 0.  Returns 0 or -1 with e filled. */
int	licence_tx(const struct app *app, bool write,
	    int (*fn)(struct store_conn *c, void *arg, struct err *e),
	    void *arg, struct err *e);

/* Refuses an actor that is not an owner, admin or operator. */
int	licence_need_manager(const struct actor *who, struct err *e);

/* Checks numbers[0..n) and copies them, sorted and without duplicates,
 * into *out (malloc'd; free it, also on failure). */
int	licence_numbers_prepare(const char *const *numbers, size_t n,
	    licence_number_t **out, size_t *nout, struct err *e);

/* Reads one page for q with f's search, state, cursor and limit: asks
 * for one row more to fill *more. */
int	licence_page(struct store_conn *c, struct store_licence_query *q,
	    const struct licence_filter *f, struct store_licence **items,
	    size_t *n, bool *more, struct err *e);

/* Sets the status of nums[0..n) of holder_id for supplier_id (both in
 * out already, names too), audited; see licence_connect. */
int	licence_batch_apply(struct store_conn *c, const struct actor *who,
	    const licence_number_t *nums, size_t n, bool on, int64_t now,
	    struct licence_batch *out, struct err *e);

/* What a batch transaction (licence_batch_run's fn) works on. */
struct licence_batch_arg {
	const struct actor	*who;
	const licence_number_t	*nums;
	size_t			 n;
	bool			 on;
	struct licence_batch	*out;
};

/* Checks who may manage licences and numbers[0..n), then runs fn with a
 * struct licence_batch_arg in one write transaction.  out is filled by
 * the caller beforehand (zeroed, the other side's id set). */
int	licence_batch_run(const struct app *app, const struct actor *who,
	    const char *const *numbers, size_t n, bool on,
	    struct licence_batch *out,
	    int (*fn)(struct store_conn *c, void *arg, struct err *e),
	    struct err *e);

/* What a move transaction (licence_move_run's fn) works on. */
struct licence_move_arg {
	const struct actor	*who;
	const char		*number;
	const char		*user;	/* checked and cleaned */
	struct store_licence	*out;
};

/* Checks who may manage licences, user and number, then runs fn with a
 * struct licence_move_arg in one write transaction.  A malformed number
 * is ERR_NOTFOUND "licence_not_found" with message missing. */
int	licence_move_run(const struct app *app, const struct actor *who,
	    const char *number, const char *user, struct store_licence *out,
	    int (*fn)(struct store_conn *c, void *arg, struct err *e),
	    const char *missing, struct err *e);

/* Moves licence number of holder_id to agent user (checked already);
 * supplier_id is the supplier that acts, or 0.  out gets the result. */
int	licence_move_tx(struct store_conn *c, const struct actor *who,
	    int64_t holder_id, int64_t supplier_id, const char *number,
	    const char *user, int64_t now, struct store_licence *out,
	    struct err *e);

#endif
