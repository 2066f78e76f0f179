/*
 * device.c - activating a licence on a device, device tokens, and the
 * company's list of devices («Устройства»).
 *
 * Activation is one write transaction: the throttle, the licence's row
 * lock, the binding, the token and the audit entry commit together, and
 * a failed attempt commits only its throttle mark.  No SQL here.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "core/clock.h"
#include "domain/device.h"
#include "domain/licence.h"
#include "domain/licence_int.h"
#include "store/throttle.h"

#define DEVICE_THROTTLE_KIND	"device_activate_ip"
#define DEVICE_VERSION_MAX	64	/* characters of an app version */

void
device_session_release(struct device_session *s)
{
	sodium_memzero(s->token, sizeof(s->token));
	free(s->suppliers);
	s->suppliers = NULL;
	s->nsuppliers = 0;
}

bool
device_mdm_parse(const char *s, char out[LICENCE_MDM_SIZE])
{
	static const int	dash[] = { 8, 13, 18, 23 };
	size_t			i, k = 0;

	if (s == NULL || strlen(s) != 36)
		return false;
	for (i = 0; i < 36; i++) {
		if (k < 4 && (int)i == dash[k]) {
			if (s[i] != '-')
				return false;
			k++;
		} else if (!((s[i] >= '0' && s[i] <= '9') ||
		    (s[i] >= 'a' && s[i] <= 'f') ||
		    (s[i] >= 'A' && s[i] <= 'F')))
			return false;
		out[i] = (char)(s[i] >= 'A' && s[i] <= 'F' ? s[i] + 32 : s[i]);
	}
	out[36] = '\0';
	return true;
}

/* Checks the app version: 1 to DEVICE_VERSION_MAX printable ASCII
 * characters. */
static bool
device_version_ok(const char *s)
{
	size_t	i;

	if (s == NULL || s[0] == '\0' || strlen(s) > DEVICE_VERSION_MAX)
		return false;
	for (i = 0; s[i] != '\0'; i++)
		if ((unsigned char)s[i] <= 0x20 || (unsigned char)s[i] >= 0x7f)
			return false;
	return true;
}

/* The checked form of an activation request. */
struct device_input {
	const struct device_activation	*in;
	char				 code[LICENCE_CODE_LEN + 1];
	char				 mdm[LICENCE_MDM_SIZE];
	char				 user[LICENCE_USER_SIZE];
	bool				 has_user;
};

/* Checks the shape of every field; nothing secret is judged here. */
static int
device_input_check(const struct device_activation *in,
    struct device_input *d, struct err *e)
{
	memset(d, 0, sizeof(*d));
	d->in = in;
	if (!licence_number_valid(in->licence)) {
		err_set(e, ERR_INVALID, "licence_invalid", "licence",
		    "The licence number is 20 digits.");
		return -1;
	}
	if (licence_code_parse(in->activation_code, d->code) != 0) {
		err_set(e, ERR_INVALID, "activation_code_invalid",
		    "activation_code", "The activation code is 16 digits.");
		return -1;
	}
	if (!device_mdm_parse(in->mdm_id, d->mdm)) {
		err_set(e, ERR_INVALID, "mdm_id_invalid", "mdm_id",
		    "The MDM ID is a GUID (8-4-4-4-12 hexadecimal digits).");
		return -1;
	}
	if (!device_version_ok(in->app_version)) {
		err_set(e, ERR_INVALID, "app_version_invalid", "app_version",
		    "The app version is 1 to %d characters without spaces.",
		    DEVICE_VERSION_MAX);
		return -1;
	}
	d->has_user = in->user != NULL && in->user[0] != '\0';
	return d->has_user ? licence_user_check(in->user, d->user, e) : 0;
}

/* Refuses an address over its limit of failures. */
static int
device_throttle(struct store_conn *c, const char *ip, int64_t now,
    int *retry_s, struct err *e)
{
	int64_t	count = 0, oldest = 0;

	if (store_throttle_count(c, DEVICE_THROTTLE_KIND, ip,
	    now - DEVICE_ACTIVATE_WINDOW_MS, now, &count, &oldest, e) !=
	    STORE_OK)
		return -1;
	if (count < DEVICE_ACTIVATE_LIMIT)
		return 0;
	*retry_s = (int)((oldest + DEVICE_ACTIVATE_WINDOW_MS - now + 999) /
	    1000);
	err_set(e, ERR_THROTTLED, "throttled", NULL,
	    "Too many failed activations; please try again later.");
	return -1;
}

/* Binds the licence (locked, read into out->licence) to the device, or
 * gives the device that holds it a new token. */
static int
device_bind(struct store_conn *c, const struct device_input *d,
    int64_t now, struct device_session *out, struct err *e)
{
	struct store_licence	*l = &out->licence;
	struct store_device	*dev = &out->device;
	char			 hash[TOKEN_HASH_LEN + 1];
	enum store_rc		 rc;

	token_new(out->token);
	token_hash(out->token, hash);
	if (d->has_user && l->user_name[0] == '\0')
		snprintf(l->user_name, sizeof(l->user_name), "%s", d->user);
	rc = store_device_bound(c, l->id, dev, e);
	if (rc == STORE_OK && strcmp(dev->mdm_id, d->mdm) != 0) {
		err_set(e, ERR_CONFLICT, "licence_bound", "licence",
		    "This licence is bound to another device; ask for it "
		    "to be moved first.");
		return -1;
	}
	if (rc == STORE_OK)
		rc = store_device_reissue(c, dev->id, hash,
		    d->in->app_version, l->user_name, now, e);
	else if (rc == STORE_NOTFOUND) {
		memset(dev, 0, sizeof(*dev));
		dev->licence_id = l->id;
		dev->company_id = l->holder_id;
		snprintf(dev->mdm_id, sizeof(dev->mdm_id), "%s", d->mdm);
		snprintf(dev->app_version, sizeof(dev->app_version), "%s",
		    d->in->app_version);
		snprintf(dev->user_name, sizeof(dev->user_name), "%s",
		    l->user_name);
		rc = store_device_insert(c, dev, hash, now, &dev->id, e);
		dev->first_contact_at = now;
	}
	dev->last_contact_at = now;
	return rc == STORE_OK ? 0 : -1;
}

/* Records the binding on the licence and in the audit log, and reads
 * the suppliers it is «ВКЛ» for. */
static int
device_record(struct store_conn *c, const struct device_input *d,
    const char *before, int64_t now, struct device_session *out,
    struct err *e)
{
	struct store_licence	*l = &out->licence;
	struct licence_audit	 a = {
		.device_company = l->holder_id, .ip = d->in->ip,
		.action = "licence.activate", .object_id = l->number,
		.now = now,
	};
	struct licence_parties	 p;
	char			*after = NULL;
	int			 rc = -1;

	snprintf(l->mdm_id, sizeof(l->mdm_id), "%s", d->mdm);
	snprintf(l->config_version, sizeof(l->config_version), "%s",
	    d->in->app_version);
	l->activated_at = l->last_contact_at = now;
	if (store_licence_update(c, l, now, e) != STORE_OK ||
	    licence_parties_of(c, l, 0, &p, e) != 0 ||
	    store_licence_suppliers(c, l->id, l->holder_id, &out->suppliers,
	    &out->nsuppliers, e) != STORE_OK)
		goto out;
	a.before = before;
	a.after = after = licence_state_json(l);
	rc = licence_audit(c, &a, &p, e);

out:
	free(after);
	return rc;
}

/* The activation on c, in a write transaction.  Returns 0, -1 for a
 * failure to roll back, or 1 for a wrong number or code whose throttle
 * mark must be committed. */
static int
device_activate_tx(struct store_conn *c, const struct device_input *d,
    struct device_session *out, struct err *e)
{
	struct store_licence	*l = &out->licence;
	const char		*ip = d->in->ip != NULL ? d->in->ip : "";
	int64_t			 now = clock_now_ms();
	char			*before;
	enum store_rc		 rc;
	int			 ret;

	if (device_throttle(c, ip, now, &out->retry_s, e) != 0)
		return -1;
	rc = store_licence_lock(c, 0, d->in->licence, e);
	if (rc == STORE_OK)
		rc = store_licence_get(c, 0, 0, d->in->licence, l, e);
	if (rc != STORE_OK && rc != STORE_NOTFOUND)
		return -1;
	/* One answer for an unknown number and a wrong code, after the
	 * same comparison, so neither can be told from the other. */
	if (rc == STORE_NOTFOUND)
		memset(l->code, 0, sizeof(l->code));
	if (sodium_memcmp(l->code, d->code, LICENCE_CODE_LEN) != 0 ||
	    rc == STORE_NOTFOUND) {
		if (store_throttle_add(c, DEVICE_THROTTLE_KIND, ip, now, e) !=
		    STORE_OK)
			return -1;
		err_set(e, ERR_UNAUTHORIZED, "activation_failed", NULL,
		    "The licence number or the activation code is wrong.");
		return 1;
	}
	if (l->blocked) {
		err_set(e, ERR_FORBIDDEN, "licence_blocked", "licence",
		    "This licence is blocked.");
		return -1;
	}
	before = licence_state_json(l);
	ret = device_bind(c, d, now, out, e) == 0 &&
	    device_record(c, d, before, now, out, e) == 0 ? 0 : -1;
	free(before);
	return ret;
}

int
device_activate(const struct app *app, const struct device_activation *in,
    struct device_session *out, struct err *e)
{
	struct device_input	 d;
	struct store_conn	*c;
	struct err		 ce;
	int			 rc;

	memset(out, 0, sizeof(*out));
	if (device_input_check(in, &d, e) != 0)
		return -1;
	if ((c = store_acquire(app->store, e)) == NULL)
		return -1;
	if (store_begin(c, true, e) != STORE_OK) {
		store_release(c);
		return -1;
	}
	rc = device_activate_tx(c, &d, out, e);
	if (rc >= 0 && store_commit(c, rc == 0 ? e : &ce) != STORE_OK &&
	    rc == 0)
		rc = -1;
	store_release(c);
	if (rc != 0)
		device_session_release(out);
	return rc == 0 ? 0 : -1;
}

/* Fills out from bound device dev. */
static void
device_caller_fill(const struct store_device *dev, struct device_caller *out)
{
	memset(out, 0, sizeof(*out));
	out->device_id = dev->id;
	out->licence_id = dev->licence_id;
	out->company_id = dev->company_id;
	out->owner_id = dev->owner_id;
	snprintf(out->number, sizeof(out->number), "%s", dev->number);
	snprintf(out->mdm_id, sizeof(out->mdm_id), "%s", dev->mdm_id);
	snprintf(out->user_name, sizeof(out->user_name), "%s",
	    dev->user_name);
	snprintf(out->app_version, sizeof(out->app_version), "%s",
	    dev->app_version);
}

int
device_auth_conn(struct store_conn *c, const char *token, int64_t now,
    struct device_caller *out, struct err *e)
{
	struct store_device	dev;
	char			hash[TOKEN_HASH_LEN + 1];
	enum store_rc		rc;

	if (token == NULL || !token_well_formed(token))
		goto refuse;
	token_hash(token, hash);
	rc = store_device_by_token(c, hash, &dev, e);
	if (rc == STORE_NOTFOUND)
		goto refuse;
	if (rc != STORE_OK)
		return -1;
	if (dev.blocked) {
		err_set(e, ERR_FORBIDDEN, "licence_blocked", NULL,
		    "This licence is blocked.");
		return -1;
	}
	device_caller_fill(&dev, out);
	if (now - dev.last_contact_at < DEVICE_TOUCH_MS)
		return 0;
	if (store_device_touch(c, dev.id, now, e) != STORE_OK ||
	    store_licence_touch(c, dev.licence_id, now, e) != STORE_OK)
		return -1;
	return 0;

refuse:
	err_set(e, ERR_UNAUTHORIZED, "device_unauthorized", NULL,
	    "This device is not activated, or its licence was moved; "
	    "activate it again.");
	return -1;
}

int
device_auth(const struct app *app, const char *token,
    struct device_caller *out, struct err *e)
{
	struct store_conn	*c;
	int			 rc;

	if ((c = store_acquire(app->store, e)) == NULL)
		return -1;
	rc = device_auth_conn(c, token, clock_now_ms(), out, e);
	store_release(c);
	return rc;
}

int
device_supplier_check(struct store_conn *c, const struct device_caller *d,
    int64_t supplier_id, struct err *e)
{
	bool	yes;

	if (store_licence_serves(c, d->licence_id, supplier_id, &yes, e) !=
	    STORE_OK)
		return -1;
	if (yes)
		return 0;
	err_set(e, ERR_FORBIDDEN, "licence_out_of_service", NULL,
	    "This licence is not connected to the supplier in T-Exchange.");
	return -1;
}

int
device_suppliers(const struct app *app, const struct device_caller *d,
    struct store_licence_supplier **items, size_t *n, struct err *e)
{
	struct store_conn	*c;
	enum store_rc		 rc;

	*items = NULL;
	*n = 0;
	if ((c = store_acquire(app->store, e)) == NULL)
		return -1;
	rc = store_licence_suppliers(c, d->licence_id, d->company_id, items,
	    n, e);
	store_release(c);
	return rc == STORE_OK ? 0 : -1;
}

int
device_list(const struct app *app, const struct actor *who, int64_t before,
    int limit, struct store_device **items, size_t *n, bool *more,
    struct err *e)
{
	struct store_conn	*c;
	enum store_rc		 rc;

	*items = NULL;
	*n = 0;
	*more = false;
	if (limit < 1 || limit > DEVICE_LIST_MAX) {
		err_set(e, ERR_INVALID, "limit_invalid", "limit",
		    "The limit must be between 1 and %d.", DEVICE_LIST_MAX);
		return -1;
	}
	if ((c = store_acquire(app->store, e)) == NULL)
		return -1;
	rc = store_device_list(c, who->company_id, before, limit + 1, items,
	    n, e);
	store_release(c);
	if (rc != STORE_OK)
		return -1;
	if (*n > (size_t)limit) {
		*more = true;
		*n = (size_t)limit;
	}
	return 0;
}
