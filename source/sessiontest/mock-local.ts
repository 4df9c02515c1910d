import type {Session} from '../session/session.js';

const YEAR_MS = 365 * 24 * 60 * 60 * 1000;

/**
 * Go: sessiontest.MockLocal. A session for local development without GitHub: id
 * `local-session`, user 0 `local` ("Local User"), no access token, created `now` and expiring
 * 365 days later.
 */
export function mockLocal(now: Date = new Date()): Session {
	return {
		id: 'local-session',
		accessToken: '',
		user: {id: 0, login: 'local', name: 'Local User', avatarUrl: '', email: ''},
		createdAt: new Date(now.getTime()),
		expiresAt: new Date(now.getTime() + YEAR_MS),
	};
}
