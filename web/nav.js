/*
 * nav.js - moving between cabinet pages with the history API.
 *
 * navigate() pushes a new address and asks the router to render it; links
 * made with link() do the same on a plain click and leave modified clicks
 * (new tab, new window) to the browser.  safeNext() decides whether a
 * ?next= target may be followed: only paths on this site.
 */

import { h } from './dom.js';

let renderHook = null;

/* The router registers itself here. */
export function setRenderer(fn)
{
	renderHook = fn;
}

/* Goes to path ("/company", "/login?next=..."); replace keeps history
 * from growing (redirects). */
export function navigate(path, opts)
{
	const o = opts || {};

	if (o.replace)
		history.replaceState(null, '', path);
	else
		history.pushState(null, '', path);
	if (renderHook)
		renderHook();
}

/* Re-renders the current address (after a language change). */
export function rerender()
{
	if (renderHook)
		renderHook();
}

/* An <a> that navigates inside the single page. */
export function link(path, attrs, ...children)
{
	const a = h('a', Object.assign({ href: path }, attrs || {}),
	    ...children);

	a.addEventListener('click', (ev) => {
		if (ev.defaultPrevented || ev.button !== 0 || ev.metaKey ||
		    ev.ctrlKey || ev.shiftKey || ev.altKey)
			return;
		ev.preventDefault();
		navigate(path);
	});
	return a;
}

/*
 * Returns next as a same-site path ("/suppliers/join?invite=...") or ''
 * when it is missing or points anywhere else: another origin,
 * protocol-relative ("//host"), backslash tricks, or the auth pages.
 */
export function safeNext(next)
{
	if (typeof next !== 'string' || next === '' || next[0] !== '/' ||
	    next.startsWith('//') || next.includes('\\'))
		return '';

	let u;

	try {
		u = new URL(next, location.origin);
	} catch (e) {
		return '';
	}
	if (u.origin !== location.origin)
		return '';
	if (['/login', '/register', '/password/forgot',
	    '/password/reset', '/password/set'].includes(u.pathname))
		return '';
	return u.pathname + u.search + u.hash;
}

/* The current path with its query, for ?next=. */
export function currentPath()
{
	return location.pathname + location.search + location.hash;
}

/* The ?next= value of the current address, already checked. */
export function nextParam()
{
	return safeNext(new URLSearchParams(location.search).get('next'));
}

let flash = null;

/* Leaves a one-time message ({kind, key}) for the next page that asks. */
export function setFlash(kind, key)
{
	flash = { kind, key };
}

/* Returns and forgets the pending message, or null. */
export function takeFlash()
{
	const f = flash;

	flash = null;
	return f;
}
