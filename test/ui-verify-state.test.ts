// The reducer's side of v, V, R and revoke-on-delete, and what the rows and details make of
// GitHub's answers: pure, with the time passed in.
import {describe, expect, it} from 'vitest';
import type {SessionStatus} from '../source/github/session-status.js';
import type {Session} from '../source/session/session.js';
import {detailLines} from '../source/ui/details-layout.js';
import type {Effect} from '../source/ui/effects.js';
import type {Command} from '../source/ui/keymap.js';
import {selectedRow} from '../source/ui/list-view.js';
import {type Action, detailsOf, initialState, type State, update} from '../source/ui/state.js';
import {checkFor, checkOf, tokenMark} from '../source/ui/token-checks.js';
import {createTestSession, DAY, HOUR, MINUTE, NOW, SECOND, sessionEntry} from './helpers/ink.js';

function run(state: State, ...actions: Action[]): State {
	return actions.reduce((current, action) => update(current, action).state, state);
}

function step(state: State, action: Action): {state: State; effects: readonly Effect[]} {
	return update(state, action);
}

const cmd = (command: Command, now = NOW): Action => ({type: 'command', command, now});

function session(id: string, extra: Partial<Session> = {}): Session {
	return {...createTestSession({id, login: `${id}-user`, expiresIn: DAY}), ...extra};
}

function loadedWith(sessions: Session[], options = {}): State {
	return run(initialState({height: 10, ...options}), {
		type: 'loaded',
		entries: sessions.map(sessionEntry),
	});
}

function status(s: Session, kind: SessionStatus['status'], extra: Partial<SessionStatus> = {}) {
	return {
		id: s.id,
		status: kind,
		login: s.user?.login ?? '',
		storedLogin: undefined,
		scopes: undefined,
		tokenExpiresAt: s.tokenExpiresAt,
		error: undefined,
		githubHost: 'https://github.com',
		...extra,
	} satisfies SessionStatus;
}

function markOf(state: State, now: number) {
	const row = selectedRow(state.list);
	if (row?.entry.kind !== 'session') throw new Error('no session selected');
	return tokenMark(row, checkFor(state.checks, row.entry.session), now);
}

describe('a stored token expiry', () => {
	it('turns the row to `token expired` as the clock passes it, before any check', () => {
		const state = loadedWith([session('app', {tokenExpiresAt: new Date(NOW + 8 * HOUR)})]);
		// The session's countdown while the token lives; then the token's death, not a countdown.
		expect(markOf(state, NOW + 8 * HOUR)).toBeUndefined();
		expect(markOf(state, NOW + 8 * HOUR + SECOND)).toEqual({
			text: 'token expired',
			tone: 'expired',
		});
		const details = detailsOf(state, NOW + 9 * HOUR).map((line) => `${line.label}|${line.text}`);
		expect(details).toContain('status|token expired; the session expires in 15h 0m 0s');
		expect(details.find((line) => line.startsWith('token|'))).toMatch(/expired 1h ago\)$/);
	});

	it('leaves an expired session to its own countdown', () => {
		const state = loadedWith([
			session('old', {
				expiresAt: new Date(NOW - HOUR),
				tokenExpiresAt: new Date(NOW - 2 * HOUR),
			}),
		]);
		expect(markOf(state, NOW)).toBeUndefined();
	});
});

describe('v and V', () => {
	it('v checks the selected session: checking…, then its answer in the row, the details and the status line', () => {
		const one = session('one');
		let state = loadedWith([one]);
		const started = step(state, cmd('verify'));
		state = started.state;
		expect(started.effects).toEqual([
			{kind: 'verify', seq: 1, sessions: [one], label: 'one (@one-user)'},
		]);
		expect(state.mode).toMatchObject({kind: 'busy', label: 'verifying one (@one-user)'});
		expect(markOf(state, NOW)).toEqual({text: 'checking…', tone: 'pending'});

		const answer = checkOf(
			status(one, 'valid', {login: 'renamed', storedLogin: 'one-user', scopes: ['repo']}),
			one.accessToken,
			NOW,
		);
		state = run(
			state,
			{type: 'tokenChecked', seq: 1, id: 'one', check: answer, done: 1},
			{type: 'verified', seq: 1, now: NOW, rateLimitResetAt: undefined},
		);
		expect(state.mode).toEqual({kind: 'list'});
		expect(state.message).toMatchObject({
			text: 'one (@one-user): valid, but it belongs to @renamed on GitHub now, not @one-user',
			tone: 'error',
		});
		expect(markOf(state, NOW + HOUR)).toEqual({text: 'valid 23h left', tone: 'good'});
		// How long ago moves on with the clock.
		const lines = (now: number) => detailsOf(state, now).map((l) => `${l.label}|${l.text}`);
		expect(lines(NOW + 2 * MINUTE)).toContain(
			'github|valid, the token works as @renamed (checked 2m ago)',
		);
		expect(lines(NOW + 3 * MINUTE)).toContain(
			'github|valid, the token works as @renamed (checked 3m ago)',
		);
		expect(lines(NOW)).toContain(
			"warning|GitHub says this token is @renamed's, the session says @one-user",
		);
		expect(lines(NOW)).toContain('scopes|repo');
	});

	it('a revoked answer says so in the row and tells how to fix it', () => {
		const one = session('one');
		let state = run(loadedWith([one]), cmd('verify'));
		state = run(
			state,
			{
				type: 'tokenChecked',
				seq: 1,
				id: 'one',
				check: checkOf(status(one, 'revoked'), one.accessToken, NOW),
				done: 1,
			},
			{type: 'verified', seq: 1, now: NOW, rateLimitResetAt: undefined},
		);
		expect(markOf(state, NOW)).toEqual({text: 'revoked', tone: 'bad'});
		expect(state.message?.text).toBe(
			'one (@one-user): revoked or expired on GitHub; l logs in again',
		);
		expect(detailsOf(state, NOW).map((l) => l.text)).toContain(
			'revoked; the session expires in 1d 0h',
		);
	});

	it('V checks every active session in view, counts progress, and Esc cancels without half answers', () => {
		const a = session('a-1');
		const b = session('a-2');
		const c = session('a-3');
		const gone = session('a-old', {expiresAt: new Date(NOW - HOUR)});
		const other = session('b-1');
		let state = loadedWith([a, b, c, gone, other]);
		state = run(state, cmd('filter'), {type: 'type', text: 'a-'}, cmd('filterAccept'));
		const started = step(state, cmd('verifyAll'));
		expect(started.effects).toEqual([
			{kind: 'verify', seq: 1, sessions: [a, b, c], label: '3 sessions'},
		]);
		state = started.state;
		expect(state.mode).toMatchObject({kind: 'busy', progress: {done: 0, total: 3}});
		state = run(state, {
			type: 'tokenChecked',
			seq: 1,
			id: 'a-2',
			check: checkOf(status(b, 'valid'), b.accessToken, NOW),
			done: 1,
		});
		expect(state.mode).toMatchObject({kind: 'busy', progress: {done: 1, total: 3}});

		const cancelled = step(state, cmd('back'));
		expect(cancelled.effects).toEqual([{kind: 'cancel', seq: 1}]);
		state = cancelled.state;
		expect(state.mode).toEqual({kind: 'list'});
		expect(state.message?.text).toBe('verify cancelled · 1 of 3 checked');
		// The answer that came stays; the ones in flight are as before (never checked).
		expect(checkFor(state.checks, b)).toMatchObject({phase: 'done', status: 'valid'});
		expect(checkFor(state.checks, a)).toBeUndefined();
		expect(checkFor(state.checks, c)).toBeUndefined();
		// A late answer of the cancelled task changes nothing.
		const late = run(state, {
			type: 'tokenChecked',
			seq: 1,
			id: 'a-1',
			check: checkOf(status(a, 'revoked'), a.accessToken, NOW),
			done: 2,
		});
		expect(late).toBe(state);
	});

	it('V ends with a count of each answer, and the rate limit when it stopped the checks', () => {
		const a = session('a');
		const b = session('b');
		let state = run(loadedWith([a, b]), cmd('verifyAll'));
		state = run(
			state,
			{
				type: 'tokenChecked',
				seq: 1,
				id: 'a',
				check: checkOf(status(a, 'error', {error: 'GitHub answered HTTP 403'}), a.accessToken, NOW),
				done: 1,
			},
			{
				type: 'tokenChecked',
				seq: 1,
				id: 'b',
				check: checkOf(status(b, 'not_checked'), b.accessToken, NOW),
				done: 2,
			},
			{type: 'verified', seq: 1, now: NOW, rateLimitResetAt: NOW + 10 * MINUTE},
		);
		expect(state.message).toMatchObject({
			text: "verified 2 sessions: 1 failed, 1 not checked (rate limit); GitHub's rate limit is used up; it resets at 2026-11-26 12:10:00 UTC (in 10m)",
			tone: 'error',
		});
	});

	it('an answer about another token (renewed since) is not shown', () => {
		const one = session('one');
		let state = run(loadedWith([one]), cmd('verify'), {
			type: 'tokenChecked',
			seq: 1,
			id: 'one',
			check: checkOf(status(one, 'revoked'), one.accessToken, NOW),
			done: 1,
		});
		const renewed = {...one, accessToken: 'ghu_renewedTOKENabcdefghijklmnop'};
		state = run(state, {type: 'loaded', entries: [sessionEntry(renewed)]});
		expect(markOf(state, NOW)).toBeUndefined();
	});

	it('says why when there is nothing to verify', () => {
		const state = run(
			loadedWith([session('old', {expiresAt: new Date(NOW - HOUR)})]),
			cmd('verifyAll'),
		);
		expect(state.message?.text).toBe('no active sessions in view to verify');
		expect(state.running).toBeNull();
	});
});

describe('R', () => {
	it('explains why a session without a refresh token cannot be renewed, asking nothing', () => {
		const result = step(loadedWith([session('plain')]), cmd('refreshToken'));
		expect(result.effects).toEqual([]);
		expect(result.state.message).toMatchObject({
			text: 'plain (@plain-user): log in again (l): no refresh token (only expiring GitHub App tokens come with one)',
			tone: 'error',
		});
		const spent = session('spent', {
			refreshToken: 'ghr_x',
			refreshTokenExpiresAt: new Date(NOW - DAY),
		});
		expect(step(loadedWith([spent]), cmd('refreshToken')).state.message?.text).toBe(
			'spent (@spent-user): log in again (l): the refresh token expired 1d ago',
		);
	});

	it('renews through a refresh task, then reloads; a refused refresh token says log in again', () => {
		const app = session('app', {
			refreshToken: 'ghr_old',
			tokenExpiresAt: new Date(NOW - HOUR),
		});
		const started = step(loadedWith([app]), cmd('refreshToken'));
		expect(started.effects).toEqual([
			{kind: 'refresh', seq: 1, session: app, label: 'app (@app-user)'},
		]);
		expect(started.state.mode).toMatchObject({kind: 'busy', label: 'refreshing app (@app-user)'});
		// A refresh is never cancelled half way: Esc does nothing while it runs.
		expect(step(started.state, cmd('back')).effects).toEqual([]);

		const done = step(started.state, {
			type: 'tokenRefreshed',
			seq: 1,
			now: NOW,
			outcome: {
				kind: 'refreshed',
				session: app,
				tokens: {
					accessToken: 'ghu_new',
					tokenExpiresAt: new Date(NOW + 8 * HOUR),
					refreshToken: 'ghr_new',
					refreshTokenExpiresAt: undefined,
				},
			},
		});
		expect(done.effects).toEqual([{kind: 'reload'}]);
		expect(done.state.message?.text).toBe(
			'refreshed app (@app-user): the new token is valid until 2026-11-26 20:00:00 UTC',
		);

		const refused = step(started.state, {
			type: 'tokenRefreshed',
			seq: 1,
			now: NOW,
			outcome: {
				kind: 'bad_refresh_token',
				message: 'the refresh token is wrong, already used or expired',
			},
		});
		expect(refused.state.message).toMatchObject({
			text: 'app (@app-user): log in again (l): the refresh token is wrong, already used or expired',
			tone: 'error',
		});
	});
});

describe('d with revoking', () => {
	const issued = session('mine', {clientId: 'Iv1.app'});
	/** The effect that deletes `issued`, and revokes its token or not. */
	const deleteMine = (revoke: boolean) => ({
		kind: 'delete',
		seq: 1,
		id: 'mine',
		label: 'mine (@mine-user)',
		session: issued,
		revoke,
	});

	it('asks a second question when the configured app issued the token; y revokes, n does not', () => {
		const asked = run(loadedWith([issued], {revokeClientId: 'Iv1.app'}), cmd('delete'), cmd('yes'));
		expect(asked.mode).toMatchObject({kind: 'confirmRevoke', id: 'mine'});
		expect(step(asked, cmd('yes')).effects).toEqual([deleteMine(true)]);
		expect(step(asked, cmd('no')).effects).toEqual([deleteMine(false)]);
	});

	it('asks nothing more when no app can revoke it (another app, or no secret)', () => {
		for (const options of [{revokeClientId: 'Iv1.other'}, {}]) {
			const result = step(run(loadedWith([issued], options), cmd('delete')), cmd('yes'));
			expect(result.effects).toEqual([deleteMine(false)]);
		}
	});

	it('reports a failed revoke beside the delete, which happened', () => {
		const state = run(
			loadedWith([issued], {revokeClientId: 'Iv1.app'}),
			cmd('delete'),
			cmd('yes'),
			cmd('yes'),
			{
				type: 'deleted',
				seq: 1,
				id: 'mine',
				now: NOW,
				note: {text: 'revoking the token failed: GitHub answered HTTP 422', failed: true},
			},
		);
		expect(state.list.rows).toHaveLength(0);
		expect(state.message).toMatchObject({
			text: 'deleted mine (@mine-user) · revoking the token failed: GitHub answered HTTP 422',
			tone: 'error',
		});
	});
});

describe('the details of a check', () => {
	it('say nothing of GitHub until asked, then each answer with how long ago', () => {
		const one = session('one', {
			refreshToken: 'ghr_abc',
			refreshTokenExpiresAt: new Date(NOW + 180 * DAY),
		});
		const row = loadedWith([one]).list.rows[0];
		const texts = (check?: Parameters<typeof detailLines>[4]) =>
			detailLines(row, NOW + MINUTE, 100, true, check).map((l) => `${l.label}|${l.text}`);
		expect(texts().some((l) => l.startsWith('github|'))).toBe(false);
		expect(texts().find((l) => l.startsWith('refresh|'))).toMatch(
			/\(expires 2027-05-25 12:00:00 UTC, 179d 23h\)$/,
		);
		const failed = checkOf(
			status(one, 'error', {error: 'GitHub answered HTTP 500'}),
			one.accessToken,
			NOW,
		);
		expect(texts(failed)).toContain(
			'github|the check failed: GitHub answered HTTP 500 (checked 1m ago)',
		);
		const limited = checkOf(status(one, 'not_checked'), one.accessToken, NOW);
		expect(texts(limited)).toContain(
			"github|not checked: GitHub's rate limit was used up (checked 1m ago)",
		);
	});
});
