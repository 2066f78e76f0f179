/*
 * session.js - who is logged in, as the server last told us.
 *
 * Holds the user and company from /auth/me (or login, register) and
 * hands the CSRF token to the API client.  Pages read it; only the app
 * and the auth pages change it.  Role checks here only decide what the
 * page offers: the server enforces every rule again.
 */

import { setCsrf } from './api.js';
import { LANGS, setLang } from './i18n.js';

const state = { user: null, company: null };
const listeners = new Set();

/* Takes an {user, company, csrf_token} answer. */
export function setSession(data)
{
	state.user = data.user || null;
	state.company = data.company || null;
	if (data.csrf_token !== undefined)
		setCsrf(data.csrf_token);
	listeners.forEach((fn) => fn(state));
}

/* Replaces the user (after PATCH /me or a profile change). */
export function setUser(user)
{
	state.user = user;
	listeners.forEach((fn) => fn(state));
}

/* Replaces the company (after PATCH /company). */
export function setCompany(company)
{
	state.company = company;
	listeners.forEach((fn) => fn(state));
}

export function clearSession()
{
	state.user = null;
	state.company = null;
	setCsrf('');
	listeners.forEach((fn) => fn(state));
}

export function currentUser()
{
	return state.user;
}

export function currentCompany()
{
	return state.company;
}

export function loggedIn()
{
	return state.user !== null;
}

/* Owners and admins manage the company card and its users. */
export function canManage()
{
	const r = state.user ? state.user.role : '';

	return r === 'owner' || r === 'admin' || r === 'operator';
}

/* fn(state) runs on every change; returns a function that unsubscribes. */
export function onSessionChange(fn)
{
	listeners.add(fn);
	return () => listeners.delete(fn);
}

/* After login or registration: keeps the answer and switches to the
 * language stored in the user's profile. */
export function startSession(data)
{
	setSession(data);
	if (data.user && LANGS.includes(data.user.lang))
		setLang(data.user.lang);
}
