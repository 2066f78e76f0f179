/*
 * templates.c - the service's e-mails, in Russian and English.
 *
 * Each template is a subject, a plain-text body and an HTML body with
 * {{name}} holes; mail_render fills them and adds the common frame and
 * signature.  Values are escaped for HTML here and nowhere else; no I/O.
 */
#include <assert.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/xmalloc.h"
#include "mail/mail_int.h"

struct mail_template {
	const char	*name;
	const char	*lang;		/* "ru" or "en" */
	const char	*when;		/* "var=value" picking a variant */
	const char	*subject;
	const char	*text;
	const char	*html;		/* the inside of the frame's card */
};

/* The table is laid out by hand, one template per block. */
/* clang-format off */

/* Inline styles, since many mail readers drop <style> blocks. */
#define BUTTON	"<p style=\"margin:24px 0\"><a href=\"{{link}}\" " \
		"style=\"display:inline-block;padding:10px 20px;" \
		"background:#1d5fbf;color:#ffffff;text-decoration:none;" \
		"border-radius:4px;font-weight:bold\">"
#define SMALL	"<p style=\"font-size:13px;color:#5f6b7a\">"
#define CODE	"<p style=\"font-size:22px;letter-spacing:3px;" \
		"font-weight:bold\">"

static const struct mail_template mail_templates[] = {
{
	"user_welcome", "ru", NULL,
	"Учётная запись в личном кабинете tobmen",
	"Здравствуйте, {{name}}!\n\n"
	"Для вас создана учётная запись в личном кабинете компании "
	"{{company}} в сервисе tobmen.\n\n"
	"Чтобы начать работу, придумайте пароль, открыв ссылку:\n"
	"{{link}}\n\n"
	"Ссылка срабатывает один раз и действует ограниченное время. Если "
	"срок прошёл, нажмите «Забыли пароль?» на странице входа или "
	"попросите администратора вашей компании добавить вас снова.\n",
	"<p>Здравствуйте, {{name}}!</p>\n"
	"<p>Для вас создана учётная запись в личном кабинете компании "
	"<b>{{company}}</b> в сервисе tobmen.</p>\n"
	"<p>Чтобы начать работу, придумайте пароль:</p>\n"
	BUTTON "Задать пароль</a></p>\n"
	SMALL "Ссылка срабатывает один раз и действует ограниченное время. "
	"Если кнопка не нажимается, скопируйте адрес в браузер:<br>\n"
	"{{link}}</p>\n",
},
{
	"user_welcome", "en", NULL,
	"Your account in the tobmen cabinet",
	"Hello {{name}},\n\n"
	"An account has been created for you in the cabinet of "
	"{{company}} on the tobmen service.\n\n"
	"To start, choose a password by opening this link:\n"
	"{{link}}\n\n"
	"The link works once and only for a limited time. If it has "
	"expired, use \"Forgot password?\" on the sign-in page or ask your "
	"company's administrator to add you again.\n",
	"<p>Hello {{name}},</p>\n"
	"<p>An account has been created for you in the cabinet of "
	"<b>{{company}}</b> on the tobmen service.</p>\n"
	"<p>To start, choose a password:</p>\n"
	BUTTON "Set a password</a></p>\n"
	SMALL "The link works once and only for a limited time. If the "
	"button does not work, paste this address into your browser:<br>\n"
	"{{link}}</p>\n",
},
{
	"password_reset", "ru", NULL,
	"Новый пароль для личного кабинета tobmen",
	"Здравствуйте!\n\n"
	"Для этого адреса запрошена смена пароля в личном кабинете "
	"tobmen.\n\n"
	"Задать новый пароль можно по ссылке:\n"
	"{{link}}\n\n"
	"Ссылка одноразовая и скоро перестанет действовать. Если пароль "
	"меняли не вы, ничего не делайте: прежний пароль продолжит "
	"работать.\n",
	"<p>Здравствуйте!</p>\n"
	"<p>Для этого адреса запрошена смена пароля в личном кабинете "
	"tobmen.</p>\n"
	BUTTON "Задать новый пароль</a></p>\n"
	SMALL "Ссылка одноразовая и скоро перестанет действовать. Если "
	"пароль меняли не вы, ничего не делайте: прежний пароль продолжит "
	"работать.<br>\nАдрес ссылки: {{link}}</p>\n",
},
{
	"password_reset", "en", NULL,
	"A new password for the tobmen cabinet",
	"Hello,\n\n"
	"Someone asked to change the password of the tobmen cabinet "
	"account with this address.\n\n"
	"You can choose a new password here:\n"
	"{{link}}\n\n"
	"The link works once and expires soon. If you did not ask for "
	"this, do nothing: your current password keeps working.\n",
	"<p>Hello,</p>\n"
	"<p>Someone asked to change the password of the tobmen cabinet "
	"account with this address.</p>\n"
	BUTTON "Choose a new password</a></p>\n"
	SMALL "The link works once and expires soon. If you did not ask "
	"for this, do nothing: your current password keeps working.<br>\n"
	"Link address: {{link}}</p>\n",
},
{
	"feedback", "ru", NULL,
	"Обратная связь: {{subject}}",
	"Через форму «Обратная связь» в личном кабинете пришло "
	"сообщение.\n\n"
	"Компания: {{company}}\n"
	"Пользователь: {{user}}\n"
	"Адрес для ответа: {{email}}\n"
	"Тема: {{subject}}\n\n"
	"{{message}}\n",
	"<p>Через форму «Обратная связь» в личном кабинете пришло "
	"сообщение.</p>\n"
	"<table style=\"border-collapse:collapse\">\n"
	"<tr><td style=\"padding-right:12px\">Компания</td>"
	"<td>{{company}}</td></tr>\n"
	"<tr><td style=\"padding-right:12px\">Пользователь</td>"
	"<td>{{user}}</td></tr>\n"
	"<tr><td style=\"padding-right:12px\">Адрес для ответа</td>"
	"<td>{{email}}</td></tr>\n"
	"<tr><td style=\"padding-right:12px\">Тема</td>"
	"<td>{{subject}}</td></tr>\n"
	"</table>\n"
	"<p style=\"border-left:3px solid #c9d1db;padding-left:12px\">"
	"{{message}}</p>\n",
},
{
	"feedback", "en", NULL,
	"Feedback: {{subject}}",
	"A message came in through the cabinet's Feedback form.\n\n"
	"Company: {{company}}\n"
	"User: {{user}}\n"
	"Reply to: {{email}}\n"
	"Subject: {{subject}}\n\n"
	"{{message}}\n",
	"<p>A message came in through the cabinet's Feedback form.</p>\n"
	"<table style=\"border-collapse:collapse\">\n"
	"<tr><td style=\"padding-right:12px\">Company</td>"
	"<td>{{company}}</td></tr>\n"
	"<tr><td style=\"padding-right:12px\">User</td>"
	"<td>{{user}}</td></tr>\n"
	"<tr><td style=\"padding-right:12px\">Reply to</td>"
	"<td>{{email}}</td></tr>\n"
	"<tr><td style=\"padding-right:12px\">Subject</td>"
	"<td>{{subject}}</td></tr>\n"
	"</table>\n"
	"<p style=\"border-left:3px solid #c9d1db;padding-left:12px\">"
	"{{message}}</p>\n",
},
{
	"invite", "ru", NULL,
	"{{supplier}} приглашает вас в дистрибьюторскую сеть",
	"Здравствуйте!\n\n"
	"Компания {{supplier}} приглашает вашу компанию в свою "
	"дистрибьюторскую сеть в сервисе обмена данными tobmen "
	"(Т-Обмен).\n\n"
	"Ваш код дистрибьютора: {{code}}\n"
	"По этим пяти цифрам поставщик узнаёт данные вашей компании; "
	"код понадобится и при настройке обмена в «Управлении "
	"дистрибуцией».\n\n"
	"Принять приглашение можно по ссылке:\n"
	"{{link}}\n\n"
	"Как это сделать:\n"
	"1. Откройте ссылку. Если у вашей компании уже есть учётная "
	"запись в личном кабинете, войдите; если нет, нажмите "
	"«Регистрация» и заведите её.\n"
	"2. Проверьте, кто вас приглашает и под каким кодом, и примите "
	"приглашение.\n"
	"3. Поставщик появится в разделе «Т-Обмен» → «Поставщики». "
	"Затем в разделе «Сервисы и баланс» на вкладке «Т-Обмен» "
	"подключите к нему лицензии «Мобильной торговли».\n\n"
	"Ссылка одноразовая и действует ограниченное время. Если вы не "
	"ждали этого письма, просто не отвечайте на него.\n",
	"<p>Здравствуйте!</p>\n"
	"<p>Компания <b>{{supplier}}</b> приглашает вашу компанию в свою "
	"дистрибьюторскую сеть в сервисе обмена данными tobmen "
	"(Т-Обмен).</p>\n"
	"<p>Ваш код дистрибьютора:</p>\n"
	CODE "{{code}}</p>\n"
	"<p>По этим пяти цифрам поставщик узнаёт данные вашей компании; "
	"код понадобится и при настройке обмена в «Управлении "
	"дистрибуцией».</p>\n"
	BUTTON "Принять приглашение</a></p>\n"
	"<ol>\n"
	"<li>Откройте ссылку. Если у вашей компании уже есть учётная "
	"запись в личном кабинете, войдите; если нет, нажмите "
	"«Регистрация» и заведите её.</li>\n"
	"<li>Проверьте, кто вас приглашает и под каким кодом, и примите "
	"приглашение.</li>\n"
	"<li>Поставщик появится в разделе «Т-Обмен» → «Поставщики». "
	"Затем в разделе «Сервисы и баланс» на вкладке «Т-Обмен» "
	"подключите к нему лицензии «Мобильной торговли».</li>\n"
	"</ol>\n"
	SMALL "Ссылка одноразовая и действует ограниченное время. Если вы "
	"не ждали этого письма, просто не отвечайте на него.<br>\n"
	"Адрес ссылки: {{link}}</p>\n",
},
{
	"invite", "en", NULL,
	"{{supplier}} invites you to its distributor network",
	"Hello,\n\n"
	"{{supplier}} invites your company to join its distributor "
	"network on the tobmen data exchange service (T-Exchange).\n\n"
	"Your distributor code: {{code}}\n"
	"The supplier recognises your company's data by these five "
	"digits; you will also need the code when you set up the exchange "
	"in your distribution management system.\n\n"
	"To accept the invitation, open this link:\n"
	"{{link}}\n\n"
	"What to do next:\n"
	"1. Open the link. If your company already has an account in the "
	"cabinet, sign in; if not, choose \"Register\" and create one.\n"
	"2. Check who invites you and under which code, then accept.\n"
	"3. The supplier will appear under T-Exchange > Suppliers. Then, "
	"under Services and balance, on the T-Exchange tab, connect your "
	"mobile sales licences to it.\n\n"
	"The link works once and only for a limited time. If you did not "
	"expect this mail, simply ignore it.\n",
	"<p>Hello,</p>\n"
	"<p><b>{{supplier}}</b> invites your company to join its "
	"distributor network on the tobmen data exchange service "
	"(T-Exchange).</p>\n"
	"<p>Your distributor code:</p>\n"
	CODE "{{code}}</p>\n"
	"<p>The supplier recognises your company's data by these five "
	"digits; you will also need the code when you set up the exchange "
	"in your distribution management system.</p>\n"
	BUTTON "Accept the invitation</a></p>\n"
	"<ol>\n"
	"<li>Open the link. If your company already has an account in the "
	"cabinet, sign in; if not, choose \"Register\" and create "
	"one.</li>\n"
	"<li>Check who invites you and under which code, then "
	"accept.</li>\n"
	"<li>The supplier will appear under T-Exchange &gt; Suppliers. "
	"Then, under Services and balance, on the T-Exchange tab, connect "
	"your mobile sales licences to it.</li>\n"
	"</ol>\n"
	SMALL "The link works once and only for a limited time. If you did "
	"not expect this mail, simply ignore it.<br>\n"
	"Link address: {{link}}</p>\n",
},
{
	"permission", "ru", "state=on",
	"{{distributor}} (код {{code}}) разрешает управлять лицензиями",
	"Здравствуйте!\n\n"
	"Дистрибьютор {{distributor}} (код дистрибьютора {{code}}) "
	"включил в карточке вашей компании флажок «Разрешить управление "
	"моими лицензиями в Т-Обмене».\n\n"
	"Теперь вы можете подключать к обмену, отключать и переносить "
	"лицензии «Мобильной торговли» этого дистрибьютора, например "
	"когда у него меняется торговый представитель.\n",
	"<p>Здравствуйте!</p>\n"
	"<p>Дистрибьютор <b>{{distributor}}</b> (код дистрибьютора "
	"<b>{{code}}</b>) включил в карточке вашей компании флажок "
	"«Разрешить управление моими лицензиями в Т-Обмене».</p>\n"
	"<p>Теперь вы можете подключать к обмену, отключать и переносить "
	"лицензии «Мобильной торговли» этого дистрибьютора, например "
	"когда у него меняется торговый представитель.</p>\n",
},
{
	"permission", "ru", "state=off",
	"{{distributor}} (код {{code}}) больше не даёт управлять "
	"лицензиями",
	"Здравствуйте!\n\n"
	"Дистрибьютор {{distributor}} (код дистрибьютора {{code}}) снял "
	"в карточке вашей компании флажок «Разрешить управление моими "
	"лицензиями в Т-Обмене».\n\n"
	"Подключать, отключать и переносить его лицензии «Мобильной "
	"торговли» вы больше не можете. Если это нужно, договоритесь с "
	"дистрибьютором.\n",
	"<p>Здравствуйте!</p>\n"
	"<p>Дистрибьютор <b>{{distributor}}</b> (код дистрибьютора "
	"<b>{{code}}</b>) снял в карточке вашей компании флажок "
	"«Разрешить управление моими лицензиями в Т-Обмене».</p>\n"
	"<p>Подключать, отключать и переносить его лицензии «Мобильной "
	"торговли» вы больше не можете. Если это нужно, договоритесь с "
	"дистрибьютором.</p>\n",
},
{
	"permission", "en", "state=on",
	"{{distributor}} (code {{code}}) lets you manage its licences",
	"Hello,\n\n"
	"Distributor {{distributor}} (distributor code {{code}}) has "
	"ticked \"Allow managing my licences in T-Exchange\" on your "
	"company's card.\n\n"
	"You may now connect, disconnect and move this distributor's "
	"mobile sales licences, for example when one of its sales agents "
	"changes.\n",
	"<p>Hello,</p>\n"
	"<p>Distributor <b>{{distributor}}</b> (distributor code "
	"<b>{{code}}</b>) has ticked &quot;Allow managing my licences in "
	"T-Exchange&quot; on your company's card.</p>\n"
	"<p>You may now connect, disconnect and move this distributor's "
	"mobile sales licences, for example when one of its sales agents "
	"changes.</p>\n",
},
{
	"permission", "en", "state=off",
	"{{distributor}} (code {{code}}) no longer lets you manage its "
	"licences",
	"Hello,\n\n"
	"Distributor {{distributor}} (distributor code {{code}}) has "
	"cleared \"Allow managing my licences in T-Exchange\" on your "
	"company's card.\n\n"
	"You can no longer connect, disconnect or move its mobile sales "
	"licences. If you need to, please agree on it with the "
	"distributor.\n",
	"<p>Hello,</p>\n"
	"<p>Distributor <b>{{distributor}}</b> (distributor code "
	"<b>{{code}}</b>) has cleared &quot;Allow managing my licences in "
	"T-Exchange&quot; on your company's card.</p>\n"
	"<p>You can no longer connect, disconnect or move its mobile sales "
	"licences. If you need to, please agree on it with the "
	"distributor.</p>\n",
},
};

/* clang-format on */

#define NTEMPLATES	(sizeof(mail_templates) / sizeof(mail_templates[0]))

/* The frame around every HTML body; %s are lang, the escaped subject,
 * the body and the signature. */
#define HTML_HEAD \
	"<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n" \
	"<meta charset=\"utf-8\">\n" \
	"<meta name=\"viewport\" content=\"width=device-width, " \
	"initial-scale=1\">\n<title>"
#define HTML_BODY \
	"</title>\n</head>\n" \
	"<body style=\"margin:0;padding:24px 12px;background:#eef1f5;" \
	"font-family:Arial,Helvetica,sans-serif;font-size:15px;" \
	"line-height:1.5;color:#1f2630\">\n" \
	"<div style=\"max-width:580px;margin:0 auto;background:#ffffff;" \
	"border-radius:6px;padding:24px\">\n"
#define HTML_TAIL \
	"<p style=\"margin-top:32px;border-top:1px solid #dde3ea;" \
	"padding-top:12px;font-size:13px;color:#5f6b7a\">%s</p>\n" \
	"</div>\n</body>\n</html>\n"

static const char *
sign_text(bool en)
{
	return en ? "-- \ntobmen service\n"
	    "This mail was sent automatically.\n" :
	    "-- \nСервис tobmen\nПисьмо отправлено автоматически.\n";
}

static const char *
sign_html(bool en)
{
	return en ? "tobmen service<br>\nThis mail was sent automatically." :
	    "Сервис tobmen<br>\nПисьмо отправлено автоматически.";
}

/* Returns the value of var name in vars, or NULL. */
static const char *
var_get(const char *const *vars, const char *name, size_t n)
{
	size_t	i;

	for (i = 0; vars != NULL && vars[i] != NULL && vars[i + 1] != NULL;
	    i += 2)
		if (strlen(vars[i]) == n && memcmp(vars[i], name, n) == 0)
			return vars[i + 1];
	return NULL;
}

/* True if s is well-formed UTF-8 (no overlongs, surrogates or values past
 * U+10FFFF). */
static bool
utf8_valid(const unsigned char *s)
{
	uint32_t	cp;
	int		n, i;

	while (*s != '\0') {
		if (*s < 0x80) {
			s++;
			continue;
		}
		if (*s >= 0xc2 && *s <= 0xdf)
			n = 1, cp = *s & 0x1f;
		else if (*s >= 0xe0 && *s <= 0xef)
			n = 2, cp = *s & 0x0f;
		else if (*s >= 0xf0 && *s <= 0xf4)
			n = 3, cp = *s & 0x07;
		else
			return false;
		for (i = 1; i <= n; i++) {
			if ((s[i] & 0xc0) != 0x80)
				return false;
			cp = cp << 6 | (s[i] & 0x3f);
		}
		if ((n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) ||
		    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
			return false;
		s += n + 1;
	}
	return true;
}

/* Checks every value of vars before anything is rendered. */
static int
vars_check(const char *const *vars, struct err *e)
{
	const char	*v;
	size_t		 i;

	for (i = 0; vars != NULL && vars[i] != NULL; i += 2) {
		v = vars[i + 1];
		if (v == NULL || strlen(v) > MAIL_VAR_MAX ||
		    !utf8_valid((const unsigned char *)v)) {
			err_set(e, ERR_INVALID, "invalid_mail_value",
			    vars[i], "The value of %s is too long or not "
			    "UTF-8 text.", vars[i]);
			return -1;
		}
		if (strcmp(vars[i], "link") == 0 &&
		    ((strncmp(v, "http://", 7) != 0 &&
		    strncmp(v, "https://", 8) != 0) ||
		    strpbrk(v, " \t\r\n\"'<>") != NULL)) {
			err_set(e, ERR_INTERNAL, "mail_bad_link", "link",
			    "A mail link must be an http(s) URL.");
			return -1;
		}
	}
	return 0;
}

enum fill_mode { FILL_SUBJECT, FILL_TEXT, FILL_HTML };

/* Appends value v as mode wants it: control characters dropped (line
 * breaks become spaces in the subject), HTML-escaped for FILL_HTML. */
static int
fill_value(struct buf *b, const char *v, enum fill_mode mode)
{
	const unsigned char	*p;
	int			 rc = 0;

	if (mode == FILL_HTML) {
		struct buf	clean;

		buf_init(&clean, MAIL_VAR_MAX);
		rc = fill_value(&clean, v, FILL_TEXT);
		if (rc == 0)
			rc = mail_html_escape(b, buf_cstr(&clean));
		buf_release(&clean);
		return rc;
	}

	for (p = (const unsigned char *)v; *p != '\0' && rc == 0; p++) {
		if (*p == '\n' || *p == '\t')
			rc = buf_putc(b, mode == FILL_SUBJECT ? ' ' :
			    (char)*p);
		else if (*p >= ' ' && *p != 0x7f)
			rc = buf_putc(b, (char)*p);
	}
	return rc;
}

/* Appends tpl to b with each {{name}} filled from vars. */
static int
fill(struct buf *b, const char *tpl, const char *const *vars,
    enum fill_mode mode, struct err *e)
{
	const char	*p = tpl, *open, *close, *v;

	while ((open = strstr(p, "{{")) != NULL) {
		close = strstr(open + 2, "}}");
		assert(close != NULL);
		v = var_get(vars, open + 2, (size_t)(close - open - 2));
		if (v == NULL) {
			err_set(e, ERR_INTERNAL, "mail_var_missing", NULL,
			    "The mail needs a value for %.*s.",
			    (int)(close - open - 2), open + 2);
			return -1;
		}
		if (buf_append(b, p, (size_t)(open - p)) == -1 ||
		    fill_value(b, v, mode) == -1)
			goto toolong;
		p = close + 2;
	}
	if (buf_puts(b, p) == -1)
		goto toolong;
	return 0;

toolong:
	err_set(e, ERR_INVALID, "mail_too_large", NULL,
	    "The mail would be too large to send.");
	return -1;
}

/* True if t is the variant of its template that vars select. */
static bool
variant_matches(const struct mail_template *t, const char *const *vars)
{
	const char	*eq, *v;

	if (t->when == NULL)
		return true;
	eq = strchr(t->when, '=');
	v = var_get(vars, t->when, (size_t)(eq - t->when));
	return v != NULL && strcmp(v, eq + 1) == 0;
}

static const struct mail_template *
template_find(const char *name, const char *lang, const char *const *vars,
    struct err *e)
{
	size_t	i;
	bool	known = false;

	for (i = 0; i < NTEMPLATES; i++) {
		if (strcmp(mail_templates[i].name, name) != 0)
			continue;
		known = true;
		if (strcmp(mail_templates[i].lang, lang) == 0 &&
		    variant_matches(&mail_templates[i], vars))
			return &mail_templates[i];
	}
	if (known)
		err_set(e, ERR_INTERNAL, "mail_var_missing", NULL,
		    "No variant of mail %s fits the values given.", name);
	else
		err_set(e, ERR_INTERNAL, "mail_unknown_template", NULL,
		    "There is no mail template named %s.", name);
	return NULL;
}

static int
render_html(const struct mail_template *t, const char *const *vars,
    const char *subject, bool en, struct buf *b, struct err *e)
{
	if (buf_printf(b, HTML_HEAD, t->lang) == -1 ||
	    mail_html_escape(b, subject) == -1 ||
	    buf_puts(b, HTML_BODY) == -1)
		goto toolong;
	if (fill(b, t->html, vars, FILL_HTML, e) == -1)
		return -1;
	if (buf_printf(b, HTML_TAIL, sign_html(en)) == -1)
		goto toolong;
	return 0;

toolong:
	err_set(e, ERR_INVALID, "mail_too_large", NULL,
	    "The mail would be too large to send.");
	return -1;
}

int
mail_render(const char *tmpl, const char *lang, const char *const *vars,
    struct mail_rendered *out, struct err *e)
{
	const struct mail_template	*t;
	struct buf			 subj, text, html;
	bool				 en;
	int				 rc = -1;

	memset(out, 0, sizeof(*out));
	en = lang != NULL && strcmp(lang, "en") == 0;
	if (vars_check(vars, e) == -1 ||
	    (t = template_find(tmpl, en ? "en" : "ru", vars, e)) == NULL)
		return -1;

	buf_init(&subj, MAIL_SUBJECT_MAX);
	buf_init(&text, MAIL_BODY_MAX);
	buf_init(&html, MAIL_BODY_MAX);
	if (fill(&subj, t->subject, vars, FILL_SUBJECT, e) == -1 ||
	    fill(&text, t->text, vars, FILL_TEXT, e) == -1 ||
	    render_html(t, vars, buf_cstr(&subj), en, &html, e) == -1)
		goto out;
	if (buf_printf(&text, "\n%s", sign_text(en)) == -1) {
		err_set(e, ERR_INVALID, "mail_too_large", NULL,
		    "The mail would be too large to send.");
		goto out;
	}

	out->subject = buf_detach(&subj, NULL);
	out->text = buf_detach(&text, NULL);
	out->html = buf_detach(&html, NULL);
	rc = 0;

out:
	buf_release(&subj);
	buf_release(&text);
	buf_release(&html);
	return rc;
}

void
mail_rendered_release(struct mail_rendered *r)
{
	free(r->subject);
	free(r->text);
	free(r->html);
	memset(r, 0, sizeof(*r));
}
