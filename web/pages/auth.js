/*
 * pages/auth.js - the frame shared by the pages seen before logging in:
 * a brand panel, a language switch and one card with the form.
 */

import { h, replace } from '../dom.js';
import { getLang, LANGS, setLang, t } from '../i18n.js';
import { takeFlash } from '../nav.js';
import { notice } from '../ui.js';

function langSwitch()
{
	return h('div', { class: 'lang-switch', role: 'group',
	    'aria-label': t('lang.label') }, LANGS.map((l) =>
	    h('button', { type: 'button', class: 'lang-btn', lang: l,
	    'aria-pressed': l === getLang() ? 'true' : 'false',
	    text: l.toUpperCase(), title: t('lang.' + l),
	    on: { click: () => setLang(l) } })));
}

function brand()
{
	return h('div', { class: 'auth-brand' },
	    h('img', { class: 'auth-logo', src: '/favicon.svg', alt: '',
	    width: '40', height: '40' }),
	    h('div', { class: 'auth-brand-text' },
	    h('span', { class: 'auth-product', text: t('app.name') }),
	    h('span', { class: 'auth-tagline', text: t('app.tagline') })));
}

/*
 * Fills ctx.main with the auth frame: o.title (the page's h1),
 * o.subtitle, o.content (nodes).  A pending flash message is shown
 * above the content.
 */
export function authLayout(ctx, o)
{
	const f = takeFlash();

	ctx.setTitle(o.title);
	replace(ctx.main, h('div', { class: 'auth-page' },
	    h('div', { class: 'auth-top' }, brand(), langSwitch()),
	    h('main', { class: 'auth-card', id: 'main' },
	    h('h1', { class: 'auth-title', text: o.title }),
	    o.subtitle ? h('p', { class: 'auth-subtitle',
	    text: o.subtitle }) : null,
	    f ? notice(f.kind, t(f.key)) : null, o.content),
	    h('footer', { class: 'auth-footer',
	    text: '© tobmen · ' + t('app.cabinet') })));
}
