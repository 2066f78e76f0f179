/*
 * api.js - the cabinet's only way to talk to the server.
 *
 * Every call goes to /api/v1 with the session cookie; state-changing calls
 * carry a JSON body and the session's CSRF token in X-CSRF-Token.  A
 * non-2xx answer becomes an ApiError holding the server's error code,
 * message and field.  A 401 on a call that needed a session tells the app
 * (onUnauthorized) so it can send the user back to the login page.
 */

import { getLang } from './i18n.js';

const BASE = '/api/v1';
const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

let csrfToken = '';
let unauthorizedHook = null;

export class ApiError extends Error {
	constructor(status, code, message, field)
	{
		super(message || code);
		this.name = 'ApiError';
		this.status = status;
		this.code = code || 'error';
		this.field = field || '';
	}
}

/* Remembers the CSRF token of the current session ('' when none). */
export function setCsrf(token)
{
	csrfToken = token || '';
}

/* fn() is called when an authenticated call answers 401. */
export function onUnauthorized(fn)
{
	unauthorizedHook = fn;
}

async function readError(resp)
{
	let body = null;

	try {
		body = await resp.json();
	} catch (e) {
		body = null;
	}

	const err = body && body.error ? body.error : {};

	return new ApiError(resp.status, err.code || 'http_' + resp.status,
	    err.message || '', err.field || '');
}

/*
 * request(method, path, body, opts) -> parsed JSON, or null for 204/202
 * with no body.  opts.public: the call needs no session, so a 401 is the
 * answer itself, not an expired session.  Throws ApiError.
 */
export async function request(method, path, body, opts)
{
	const o = opts || {};
	const headers = { Accept: 'application/json',
	    'Accept-Language': getLang() };
	const init = { method, headers, credentials: 'same-origin',
	    cache: 'no-store' };

	if (UNSAFE.has(method)) {
		headers['Content-Type'] = 'application/json';
		init.body = JSON.stringify(body === undefined ? {} : body);
		if (csrfToken)
			headers['X-CSRF-Token'] = csrfToken;
	}

	let resp;

	try {
		resp = await fetch(BASE + path, init);
	} catch (e) {
		throw new ApiError(0, 'network', '', '');
	}

	if (!resp.ok) {
		const err = await readError(resp);

		if (resp.status === 401 && !o.public && unauthorizedHook)
			unauthorizedHook(err);
		throw err;
	}

	const text = await resp.text();

	return text ? JSON.parse(text) : null;
}

export const api = {
	get: (path, opts) => request('GET', path, undefined, opts),
	post: (path, body, opts) => request('POST', path, body, opts),
	patch: (path, body, opts) => request('PATCH', path, body, opts),
	put: (path, body, opts) => request('PUT', path, body, opts),
	del: (path, opts) => request('DELETE', path, undefined, opts),
};

/* Builds "?a=1&b=2" from an object, skipping empty values. */
export function query(params)
{
	const q = new URLSearchParams();

	for (const [k, v] of Object.entries(params)) {
		if (v !== null && v !== undefined && v !== '')
			q.set(k, String(v));
	}

	const s = q.toString();

	return s ? '?' + s : '';
}
