/*
 * pages/notfound.js - an address the cabinet has no page for (or whose
 * section is not switched on yet).
 */

import { h, replace } from '../dom.js';
import { t } from '../i18n.js';
import { link } from '../nav.js';

export function render(ctx)
{
	ctx.setTitle(t('notfound.title'));
	replace(ctx.main, h('section', { class: 'card empty-state' },
	    h('h1', { class: 'page-title', text: t('notfound.title') }),
	    h('p', { class: 'muted', text: t('notfound.text') }),
	    link('/', { class: 'btn btn-primary' }, t('notfound.home'))));
}
