import {describe, expect, it} from 'vitest';
import {
	assertSession,
	cloneSession,
	DEFAULT_STATE_TTL_MS,
	DEFAULT_TTL_MS,
	InvalidIdError,
	isExpired,
	isValidId,
	newSession,
	type Session,
	userId,
} from '../source/session/index.js';
import {mockLocal} from '../source/sessiontest/index.js';

const user = {id: 7, login: 'mona', name: 'Mona', avatarUrl: 'https://a/7', email: 'm@x'};
const NOW = new Date('2030-05-06T07:08:09.010Z');

describe('newSession', () => {
	it('has a fresh id, created now, expiring after the default 24 h', () => {
		const session = newSession('gho_x', user, undefined, NOW);
		expect(isValidId(session.id)).toBe(true);
		expect(session.accessToken).toBe('gho_x');
		expect(session.user).toEqual(user);
		expect(session.user).not.toBe(user);
		expect(session.createdAt).toEqual(NOW);
		expect(session.createdAt).not.toBe(NOW);
		expect(session.expiresAt.getTime() - NOW.getTime()).toBe(DEFAULT_TTL_MS);
		expect(newSession('t', null).id).not.toBe(session.id);
	});

	it('takes a ttl and a null user', () => {
		const session = newSession('', null, 5000, NOW);
		expect(session.user).toBeNull();
		expect(session.expiresAt.getTime()).toBe(NOW.getTime() + 5000);
	});

	it('defaults the time to now', () => {
		const before = Date.now();
		const session = newSession('t', null);
		expect(session.createdAt.getTime()).toBeGreaterThanOrEqual(before);
		expect(session.createdAt.getTime()).toBeLessThanOrEqual(Date.now());
	});

	it('refuses a ttl that is not a positive finite number with a RangeError', () => {
		for (const ttl of [
			0,
			-1,
			Number.NaN,
			Number.POSITIVE_INFINITY,
			Number.NEGATIVE_INFINITY,
			'1000',
			null,
		]) {
			expect(() => newSession('t', null, ttl as number)).toThrow(RangeError);
		}

		expect(() => newSession('t', null, -5)).toThrow(
			'Expected ttlMs to be a positive finite number, got -5',
		);
	});

	it('refuses a token that is not a string', () => {
		expect(() => newSession(42 as unknown as string, null)).toThrow(TypeError);
	});

	it('has the Go defaults', () => {
		expect(DEFAULT_TTL_MS).toBe(24 * 60 * 60 * 1000);
		expect(DEFAULT_STATE_TTL_MS).toBe(10 * 60 * 1000);
	});
});

describe('isExpired', () => {
	const session = newSession('t', null, 1000, NOW);
	const expiry = session.expiresAt.getTime();
	it('is false up to and at the expiry instant, true strictly after (Go: time.Now().After)', () => {
		expect(isExpired(session, expiry - 1)).toBe(false);
		expect(isExpired(session, expiry)).toBe(false);
		expect(isExpired(session, expiry + 1)).toBe(true);
		expect(isExpired(session, new Date(expiry + 1))).toBe(true);
	});

	it('reads the clock when no time is given', () => {
		expect(isExpired({expiresAt: new Date(Date.now() - 1000)})).toBe(true);
		expect(isExpired({expiresAt: new Date(Date.now() + 60_000)})).toBe(false);
	});
});

describe('userId', () => {
	it('is github:<id>, or empty without a user', () => {
		expect(userId({user})).toBe('github:7');
		expect(userId({user: {...user, id: 0}})).toBe('github:0');
		expect(userId({user: null})).toBe('');
	});
});

describe('cloneSession', () => {
	it('copies deeply', () => {
		const session = newSession('t', user, 1000, NOW);
		const copy = cloneSession(session);
		expect(copy).toEqual(session);
		expect(copy.user).not.toBe(session.user);
		expect(copy.expiresAt).not.toBe(session.expiresAt);
		expect(copy.createdAt).not.toBe(session.createdAt);
		expect(Object.keys(copy)).toEqual(['id', 'accessToken', 'user', 'expiresAt', 'createdAt']);
	});

	it('copies the optional extras too, their dates deeply', () => {
		const session = {
			...newSession('ghu_t', user, 1000, NOW),
			tokenExpiresAt: new Date(NOW.getTime() + 8 * 3_600_000),
			refreshToken: 'ghr_r',
			refreshTokenExpiresAt: new Date(NOW.getTime() + 180 * 86_400_000),
			clientId: 'Iv23.x',
			githubHost: 'https://github.com',
		};
		const copy = cloneSession(session);
		expect(copy).toEqual(session);
		expect(copy.tokenExpiresAt).not.toBe(session.tokenExpiresAt);
		expect(copy.refreshTokenExpiresAt).not.toBe(session.refreshTokenExpiresAt);
	});
});

describe('assertSession', () => {
	const good = newSession('t', user, 1000, NOW);
	it('accepts a session, with or without a user', () => {
		expect(() => assertSession(good)).not.toThrow();
		expect(() => assertSession({...good, user: null})).not.toThrow();
	});

	it('checks the id first, with InvalidIdError', () => {
		expect(() => assertSession({...good, id: '../x', expiresAt: 'nope'})).toThrow(InvalidIdError);
	});

	it('names the field that is wrong', () => {
		const cases: Array<[unknown, RegExp]> = [
			[null, /got null/],
			['x', /got string/],
			[{...good, accessToken: 1}, /session.accessToken/],
			[{...good, user: 'x'}, /session.user/],
			[{...good, user: {...user, id: 1.5}}, /session.user.id/],
			[{...good, user: {...user, email: undefined}}, /session.user.email/],
			[{...good, expiresAt: new Date(Number.NaN)}, /session.expiresAt/],
			[{...good, createdAt: Date.now()}, /session.createdAt/],
			[{...good, expiresAt: new Date('+010000-01-01T00:00:00Z')}, /years 0–9999/],
			[{...good, tokenExpiresAt: '2030-01-01'}, /session.tokenExpiresAt/],
			[{...good, refreshTokenExpiresAt: new Date(Number.NaN)}, /session.refreshTokenExpiresAt/],
			[{...good, refreshToken: 5}, /session.refreshToken/],
			[{...good, clientId: null}, /session.clientId/],
			[{...good, githubHost: 1}, /session.githubHost/],
		];
		for (const [value, message] of cases) {
			expect(() => assertSession(value)).toThrow(message);
		}
	});
});

describe('mockLocal', () => {
	it("is Go's sessiontest.MockLocal: local-session, user 0 local, no token, a year long", () => {
		const session: Session = mockLocal(NOW);
		expect(session).toEqual({
			id: 'local-session',
			accessToken: '',
			user: {id: 0, login: 'local', name: 'Local User', avatarUrl: '', email: ''},
			createdAt: NOW,
			expiresAt: new Date(NOW.getTime() + 365 * 24 * 60 * 60 * 1000),
		});
		expect(userId(session)).toBe('github:0');
		expect(() => assertSession(session)).not.toThrow();
	});

	it('defaults to now', () => {
		const before = Date.now();
		const {createdAt} = mockLocal();
		expect(createdAt.getTime()).toBeGreaterThanOrEqual(before);
		expect(createdAt.getTime()).toBeLessThanOrEqual(Date.now());
	});
});
