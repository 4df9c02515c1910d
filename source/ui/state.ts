// The inspector's state and its reducer, `update`: pure, with `now` passed in the actions that
// need it. The path of a key press, all of it in this file but the first two steps and the I/O:
//   use-keys.ts hands what Ink read to keys.ts, which splits it into keystrokes → keymap.ts
//   names the command a keystroke means in the mode's context → the mode's handler below
//   (`handlers`) changes the state and may ask for I/O with Effects (effects.ts) →
//   run-effects.ts carries them out → a task's result comes back as an action, applied by
//   `onResult` below.
// So `d`: keymap `delete` → `onList` asks (mode confirmDelete) → `y` is `yes` → `onConfirm`
// asks once more (confirmRevoke) when the app that issued the token can revoke it, then returns
// a `delete` effect (mode busy) → run-effects.ts deletes from the store (and revokes) →
// `deleted` in `onResult` drops the row and returns a `reload` effect.

import {isExpiredAt} from '../format/status.js';
import {plural} from '../format/text.js';
import {DEFAULT_LOGIN_TIMEOUT_MS} from '../github/defaults.js';
import type {RefreshSessionOutcome} from '../github/refresh-session.js';
import {CLI_SESSION_ID} from '../session/cli-store.js';
import {isExpired, type Session} from '../session/session.js';
import type {ListEntry} from '../session/store.js';
import {patchAt} from './array-patch.js';
import {type DetailLine, detailLines} from './details-layout.js';
import type {Effect, Task, Update} from './effects.js';
import {clampHelpTop, helpRows} from './help-layout.js';
import {type Command, commandFor, type KeyContext} from './keymap.js';
import {decodeKeys, isText, type Keystroke} from './keys.js';
import {bodyHeight} from './layout.js';
import {
	emptyListView,
	type ListView,
	type Move,
	moveSelection,
	selectedRow,
	withChanges,
	withFilter,
	withHeight,
	withoutRow,
	withRows,
	withSort,
} from './list-view.js';
import {buildRows, nextSort, type Row, rowLabel, type SortKey, sameEntry, toRow} from './rows.js';
import {checkFor, type TokenCheck, type TokenChecks} from './token-checks.js';
import {cannotRefresh, refreshSaid, verifySummary} from './token-messages.js';
import type {StartLoginOutcome} from './types.js';

export type Mode =
	| {readonly kind: 'list'}
	/** `top`: the first line of the details shown (they scroll when the terminal is too small). */
	| {readonly kind: 'details'; readonly top: number}
	/** `top`: the first row of the help shown (it scrolls when the terminal is too small). */
	| {readonly kind: 'help'; readonly top: number}
	| {readonly kind: 'filter'}
	| {readonly kind: 'confirmDelete'; readonly id: string; readonly label: string}
	/** After `d` and `y`, when the token can be revoked: revoke it on GitHub too? */
	| {
			readonly kind: 'confirmRevoke';
			readonly id: string;
			readonly label: string;
			readonly session: Session;
	  }
	| {
			readonly kind: 'confirmCleanup';
			readonly count: number;
			/** The first few of them, as shown, in the table's order (the filter aside). */
			readonly named: readonly string[];
	  }
	| {
			readonly kind: 'busy';
			readonly label: string;
			readonly since: number;
			/** How far a long task (cleanup of a large store) has got, when it says. */
			readonly progress?: {readonly done: number; readonly total: number | undefined};
	  }
	| {readonly kind: 'login'};

export type LoginState = {
	readonly sessionId: string;
	readonly previousLogin: string;
	/** When the wait ends: the login timeout, or the device code's expiry once known. */
	readonly deadline: number;
	/** The URL to open: the authorize URL, or the device flow's verification URL. */
	readonly url: string | null;
	/** The device flow's one-time code to enter at `url`; null for the web flow. */
	readonly userCode: string | null;
	/** `unavailable`: login is not configured; `error` says why, a line per problem. */
	readonly phase: 'waiting' | 'succeeded' | 'failed' | 'unavailable';
	/** The error message when failed or unavailable. */
	readonly error: string | null;
	readonly outcome: StartLoginOutcome | null;
};

export type Load =
	| {readonly phase: 'idle'}
	| {readonly phase: 'loading'; readonly done: number; readonly total: number | undefined};

/** A line on the status line until the next key, or for a few seconds from `at` (StatusLine). */
export type Message = {readonly text: string; readonly tone: 'info' | 'error'; readonly at: number};

export type State = {
	/** The last listing; null until the first one arrives. */
	readonly entries: readonly ListEntry[] | null;
	/** The table: rows, sort, filter, selection and scroll window (list-view.ts). */
	readonly list: ListView;
	/** The terminal's width: how the help is laid out, and so how far it scrolls. */
	readonly width: number;
	/** The details show times in UTC (`u`), not the local time zone. */
	readonly utc: boolean;
	readonly mode: Mode;
	readonly load: Load;
	/** A store error: the list could not be read. */
	readonly error: string | null;
	/** The session directory does not exist (yet): the empty state says so. */
	readonly directoryMissing: boolean;
	readonly message: Message | null;
	/** When `r` asked for a reload not yet listed: the listing confirms it with a message. */
	readonly reloadAsked: number | null;
	/** The task whose result the state awaits; a result with another seq is stale. */
	readonly running: Task | null;
	/** The last task's seq. */
	readonly seq: number;
	readonly login: LoginState | null;
	/** Why `l` cannot log in (login not configured), a line per problem; null when it can. */
	readonly loginUnavailable: string | null;
	readonly loginTimeoutMs: number;
	/** GitHub's answers to `v`/`V` by session id (token-checks.ts). */
	readonly checks: TokenChecks;
	/**
	 * The configured OAuth app's client id when its secret is at hand: the tokens issued to it
	 * can be revoked on delete (as `delete --revoke`); null when none can.
	 */
	readonly revokeClientId: string | null;
};

/** What a task reports back (run-effects.ts), with the seq of the effect that started it. */
export type Result =
	| {
			readonly type: 'deleted';
			readonly seq: number;
			readonly id: string;
			readonly now: number;
			/** What became of the token: revoked, or where to revoke it by hand. */
			readonly note?: {readonly text: string; readonly failed: boolean};
	  }
	| {
			readonly type: 'tokenChecked';
			readonly seq: number;
			readonly id: string;
			readonly check: TokenCheck;
			readonly done: number;
	  }
	| {
			readonly type: 'verified';
			readonly seq: number;
			readonly now: number;
			/** When GitHub's rate limit resets, when the checks stopped at it. */
			readonly rateLimitResetAt: number | undefined;
	  }
	| {
			readonly type: 'tokenRefreshed';
			readonly seq: number;
			readonly now: number;
			readonly outcome: RefreshSessionOutcome;
	  }
	| {
			readonly type: 'taskProgress';
			readonly seq: number;
			readonly done: number;
			readonly total: number | undefined;
	  }
	| {readonly type: 'cleaned'; readonly seq: number; readonly count: number; readonly now: number}
	| {
			readonly type: 'taskFailed';
			readonly seq: number;
			readonly message: string;
			readonly now: number;
	  }
	| {readonly type: 'loginUrl'; readonly seq: number; readonly url: string}
	| {
			readonly type: 'loginDeviceCode';
			readonly seq: number;
			readonly userCode: string;
			readonly url: string;
			/** When the code expires (ms since the epoch): the countdown's end. */
			readonly expiresAt: number;
	  }
	| {readonly type: 'loginSucceeded'; readonly seq: number; readonly outcome: StartLoginOutcome}
	| {readonly type: 'loginFailed'; readonly seq: number; readonly message: string};

export type Action =
	| {
			readonly type: 'key';
			readonly input: string;
			readonly key: Keystroke['key'];
			readonly now: number;
	  }
	| {readonly type: 'command'; readonly command: Command; readonly now: number}
	| {readonly type: 'type'; readonly text: string}
	| {readonly type: 'resize'; readonly height: number; readonly width: number}
	| {readonly type: 'loadStarted'}
	| {readonly type: 'loadProgress'; readonly done: number; readonly total: number | undefined}
	| {
			readonly type: 'loaded';
			readonly entries: readonly ListEntry[];
			/**
			 * Ids whose rows entriesChanged set while this listing ran: the listing may have read them
			 * before they changed, so their rows stay as they are (present or not).
			 */
			readonly keep?: ReadonlySet<string>;
	  }
	| {readonly type: 'loadFailed'; readonly message: string}
	| {readonly type: 'directoryChecked'; readonly missing: boolean}
	/** Entries the store reported changed since the listing (use-sessions: keyspace events). */
	| {
			readonly type: 'entriesChanged';
			/** Each as the store holds it now: replaces the row with its id, or adds one. */
			readonly changed: readonly ListEntry[];
			/** Ids no longer stored: their rows go. */
			readonly removed: readonly string[];
	  }
	/** Something about the listing to say once (why it polls), as a message. */
	| {readonly type: 'notice'; readonly text: string; readonly now: number}
	| Result;

export type InitOptions = {
	readonly height?: number;
	readonly width?: number;
	readonly loginConfigured?: boolean;
	/** Why login is not configured, shown when `l` is pressed (default: how to pass a client id). */
	readonly loginUnavailable?: string;
	readonly loginTimeoutMs?: number;
	readonly sort?: SortKey;
	/** The configured OAuth app's client id when its secret is given (revoke on delete). */
	readonly revokeClientId?: string;
};

// Only when a library caller gave neither a login nor why not: cli.tsx always gives a login
// (the device flow needs no setting; a bad login flag stops the command line before this).
const DEFAULT_LOGIN_UNAVAILABLE = 'no login flow was given to the inspector';

export function initialState(options: InitOptions = {}): State {
	return {
		entries: null,
		list: emptyListView(options.sort ?? 'expiry', options.height ?? 10),
		width: options.width ?? 80,
		utc: false,
		mode: {kind: 'list'},
		load: {phase: 'loading', done: 0, total: undefined},
		error: null,
		directoryMissing: false,
		message: null,
		reloadAsked: null,
		running: null,
		seq: 0,
		login: null,
		loginUnavailable: options.loginConfigured
			? null
			: (options.loginUnavailable ?? DEFAULT_LOGIN_UNAVAILABLE),
		loginTimeoutMs: options.loginTimeoutMs ?? DEFAULT_LOGIN_TIMEOUT_MS,
		checks: new Map(),
		revokeClientId: options.revokeClientId ?? null,
	};
}

/** Which part of the keymap applies in a mode. */
export function keyContext(mode: Mode): KeyContext {
	if (mode.kind === 'filter') return 'filter';
	if (mode.kind === 'details') return 'details';
	if (
		mode.kind === 'confirmDelete' ||
		mode.kind === 'confirmRevoke' ||
		mode.kind === 'confirmCleanup'
	) {
		return 'confirm';
	}
	return 'list';
}

/** How many of the sessions `c` would remove its question names. */
const CLEANUP_NAMED = 3;

function info(text: string, at: number): Message {
	return {text, tone: 'info', at};
}

// The state alone, asking for nothing.
function only(state: State): Update<State> {
	return {state, effects: []};
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

// Starts a task: the state awaits its seq, and the effect asks for it.
function startTask(state: State, task: DistributiveOmit<Task, 'seq'>, mode: Mode): Update<State> {
	const seq = state.seq + 1;
	const running = {...task, seq} as Task;
	return {state: {...state, seq, running, mode, message: null}, effects: [running]};
}

const MOVES: ReadonlySet<Command> = new Set<Move>([
	'up',
	'down',
	'pageUp',
	'pageDown',
	'first',
	'last',
]);

// ---- One handler per mode: what each command does there. `quit` is handled before them all.

type Handler = (state: State, command: Command, now: number) => Update<State>;

// The list and the details share the keys; the details show the selected row.
const onList: Handler = (state, command, now) => {
	const {list, mode} = state;
	if (MOVES.has(command)) {
		// Details too long for the screen scroll, as the help does; otherwise the keys move on.
		if (mode.kind === 'details') {
			const total = detailsOf(state, now).length;
			const height = bodyHeight(list.height);
			if (total > height) {
				const next = scrolled(mode.top, command, height, total);
				return only(next === mode.top ? state : {...state, mode: {kind: 'details', top: next}});
			}
		}
		return only({...state, list: moveSelection(list, command as Move)});
	}
	switch (command) {
		case 'details':
			if (mode.kind === 'details') return only({...state, mode: {kind: 'list'}});
			return only(selectedRow(list) ? {...state, mode: {kind: 'details', top: 0}} : state);
		case 'utc':
			return only(mode.kind === 'details' ? {...state, utc: !state.utc} : state);
		case 'back':
			if (mode.kind === 'details') return only({...state, mode: {kind: 'list'}});
			return only({...state, list: withFilter(list, '')});
		case 'help':
			return only({...state, mode: {kind: 'help', top: 0}});
		case 'filter':
			return only({...state, mode: {kind: 'filter'}});
		case 'sort':
			return only({...state, list: withSort(list, nextSort(list.sort))});
		case 'reload':
			return {state: {...state, reloadAsked: now}, effects: [{kind: 'reload'}]};
		case 'delete': {
			const row = selectedRow(list);
			if (!row) return only({...state, message: info('nothing to delete', now)});
			return only({...state, mode: {kind: 'confirmDelete', id: row.id, label: rowLabel(row)}});
		}
		case 'cleanup': {
			// Every expired session goes, filtered out or not: the question names them.
			let count = 0;
			const named: string[] = [];
			for (const row of list.sorted) {
				if (!isExpiredAt(row.expiresAt, now)) continue;
				count++;
				if (named.length < CLEANUP_NAMED) named.push(row.shownId);
			}
			if (count === 0) {
				return only({...state, message: info('no expired sessions to remove', now)});
			}
			return only({...state, mode: {kind: 'confirmCleanup', count, named}});
		}
		case 'login':
			return startLogin(state, now);
		case 'verify': {
			const row = selectedRow(list);
			if (row?.entry.kind !== 'session') {
				const why = row ? `${rowLabel(row)} cannot be read` : 'no session selected';
				return only({...state, message: info(`nothing to verify: ${why}`, now)});
			}
			return startVerify(state, [row.entry.session], rowLabel(row), now);
		}
		case 'verifyAll': {
			// As `status` checks every active session: an expired one is on its way out.
			const sessions = list.view.flatMap((row) =>
				row.entry.kind === 'session' && !isExpired(row.entry.session, now)
					? [row.entry.session]
					: [],
			);
			if (sessions.length === 0) {
				return only({...state, message: info('no active sessions in view to verify', now)});
			}
			return startVerify(state, sessions, plural(sessions.length, 'session'), now);
		}
		case 'refreshToken':
			return startRefresh(state, now);
		default:
			return only(state);
	}
};

// Checks these sessions' tokens: each row shows `checking…` until its answer comes.
function startVerify(
	state: State,
	sessions: readonly Session[],
	label: string,
	now: number,
): Update<State> {
	const checks = new Map(state.checks);
	for (const session of sessions) {
		const previous = checkFor(state.checks, session);
		checks.set(session.id, {
			phase: 'checking',
			token: session.accessToken,
			previous: previous?.phase === 'done' ? previous : undefined,
		});
	}
	const several = sessions.length > 1;
	return startTask(
		{...state, checks},
		{kind: 'verify', sessions, label},
		{
			kind: 'busy',
			label: several ? 'verifying' : `verifying ${label}`,
			since: now,
			...(several ? {progress: {done: 0, total: sessions.length}} : {}),
		},
	);
}

// The answers still awaited go back to what the rows showed before.
function withoutPending(checks: TokenChecks): TokenChecks {
	let next: Map<string, TokenCheck> | undefined;
	for (const [id, check] of checks) {
		if (check.phase !== 'checking') continue;
		next ??= new Map(checks);
		if (check.previous) next.set(id, check.previous);
		else next.delete(id);
	}
	return next ?? checks;
}

function startRefresh(state: State, now: number): Update<State> {
	const row = selectedRow(state.list);
	if (row?.entry.kind !== 'session') {
		const why = row ? `${rowLabel(row)} cannot be read` : 'no session selected';
		return only({...state, message: info(`nothing to refresh: ${why}`, now)});
	}
	const {session} = row.entry;
	const label = rowLabel(row);
	const why = cannotRefresh(session.refreshToken, session.refreshTokenExpiresAt, now);
	if (why !== undefined) {
		return only({...state, message: {text: `${label}: ${why}`, tone: 'error', at: now}});
	}
	return startTask(
		state,
		{kind: 'refresh', session, label},
		{kind: 'busy', label: `refreshing ${label}`, since: now},
	);
}

/** Whether `d` may also revoke this session's token: as `delete --revoke`, with the app that issued it. */
function canRevoke(state: State, session: Session): boolean {
	return (
		state.revokeClientId !== null &&
		session.accessToken !== '' &&
		session.clientId === state.revokeClientId
	);
}

function startDelete(
	state: State,
	row: Row | undefined,
	id: string,
	label: string,
	revoke: boolean,
	now: number,
): Update<State> {
	const session = row?.entry.kind === 'session' ? row.entry.session : undefined;
	return startTask(
		state,
		{kind: 'delete', id, label, session, revoke},
		{kind: 'busy', label: `deleting ${label}`, since: now},
	);
}

const onConfirm: Handler = (state, command, now) => {
	const {mode} = state;
	// The second question: the delete is confirmed, `no` keeps only the token on GitHub.
	if (mode.kind === 'confirmRevoke') {
		if (command !== 'yes' && command !== 'no') return only(state);
		const row = state.list.rows.find((r) => r.id === mode.id);
		return startDelete(state, row, mode.id, mode.label, command === 'yes', now);
	}
	if (command === 'no') return only({...state, mode: {kind: 'list'}});
	if (command !== 'yes') return only(state);
	if (mode.kind === 'confirmDelete') {
		const {id, label} = mode;
		const row = state.list.rows.find((r) => r.id === id);
		const session = row?.entry.kind === 'session' ? row.entry.session : undefined;
		if (session && canRevoke(state, session)) {
			return only({...state, mode: {kind: 'confirmRevoke', id, label, session}});
		}
		return startDelete(state, row, id, label, false, now);
	}

	return startTask(
		state,
		{kind: 'cleanup'},
		{kind: 'busy', label: 'removing expired sessions', since: now},
	);
};

// Typed text goes through `typeText`; these are the filter's named keys.
const onFilter: Handler = (state, command) => {
	const {list} = state;
	if (command === 'filterAccept') return only({...state, mode: {kind: 'list'}});
	if (command === 'filterClear') {
		return only({...state, list: withFilter(list, ''), mode: {kind: 'list'}});
	}
	if (command === 'filterErase') {
		return only({...state, list: withFilter(list, list.filter.slice(0, -1))});
	}
	return only(state);
};

// Where a moving key takes the first line of a view of `total` lines, `height` of them shown.
function scrolled(top: number, command: Command, height: number, total: number): number {
	const page = Math.max(1, height - 1);
	const moves: Partial<Record<Command, number>> = {
		up: top - 1,
		down: top + 1,
		pageUp: top - page,
		pageDown: top + page,
		first: 0,
		last: Number.POSITIVE_INFINITY,
	};
	const wanted = moves[command] ?? top;
	return Math.max(0, Math.min(wanted, total - height));
}

/** The lines of the details of the selected session, as the view draws them. */
export function detailsOf(state: State, now: number): DetailLine[] {
	const row = selectedRow(state.list);
	const check =
		row?.entry.kind === 'session' ? checkFor(state.checks, row.entry.session) : undefined;
	return detailLines(row, now, state.width, state.utc, check);
}

// The moving keys scroll the help; the rest do nothing there.
const onHelp: Handler = (state, command) => {
	if (state.mode.kind !== 'help') return only(state);
	if (command === 'help' || command === 'back') return only({...state, mode: {kind: 'list'}});
	if (!MOVES.has(command)) return only(state);
	const {top} = state.mode;
	const height = bodyHeight(state.list.height);
	const next = scrolled(top, command, height, helpRows(state.width).length);
	return only(next === top ? state : {...state, mode: {kind: 'help', top: next}});
};

const onLogin: Handler = (state, command, now) => {
	const {login, running} = state;
	if (!login) return only({...state, mode: {kind: 'list'}});
	if (login.phase === 'waiting') {
		if (command !== 'back') return only(state);
		// Esc gives the login up: its task is aborted, and its result no longer awaited.
		return {
			state: {
				...state,
				running: null,
				login: null,
				mode: {kind: 'list'},
				message: info('login cancelled', now),
			},
			effects: running ? [{kind: 'cancel', seq: running.seq}] : [],
		};
	}

	if (command === 'back' || command === 'details') {
		return only({...state, mode: {kind: 'list'}, login: null});
	}

	// A failed login can be tried again from here, on the same session.
	if (command === 'login' && login.phase === 'failed') return startLogin(state, now);
	return only(state);
};

// A task runs: only `quit` acts, and Esc cancels a verify (the answers already in stay).
const onBusy: Handler = (state, command, now) => {
	const {running, mode} = state;
	if (command !== 'back' || running?.kind !== 'verify' || mode.kind !== 'busy') return only(state);
	const done = mode.progress ? ` · ${mode.progress.done} of ${mode.progress.total} checked` : '';
	return {
		state: {
			...state,
			running: null,
			checks: withoutPending(state.checks),
			mode: {kind: 'list'},
			message: info(`verify cancelled${done}`, now),
		},
		effects: [{kind: 'cancel', seq: running.seq}],
	};
};

const handlers: Readonly<Record<Mode['kind'], Handler>> = {
	list: onList,
	details: onList,
	confirmDelete: onConfirm,
	confirmRevoke: onConfirm,
	confirmCleanup: onConfirm,
	filter: onFilter,
	help: onHelp,
	login: onLogin,
	busy: onBusy,
};

function onCommand(state: State, command: Command, now: number): Update<State> {
	// Quitting aborts whatever runs (run-effects.ts): nothing is awaited any more.
	if (command === 'quit') return {state: {...state, running: null}, effects: [{kind: 'quit'}]};
	return handlers[state.mode.kind](state, command, now);
}

function startLogin(state: State, now: number): Update<State> {
	const row = selectedRow(state.list);
	// An empty store (or an empty filter result) logs the CLI's own session in.
	const sessionId = row?.id ?? CLI_SESSION_ID;
	const login: LoginState = {
		sessionId,
		previousLogin: row?.login ?? '',
		deadline: now + state.loginTimeoutMs,
		url: null,
		userCode: null,
		phase: 'waiting',
		error: null,
		outcome: null,
	};
	// Every problem in full, in the view: too long for the status line.
	if (state.loginUnavailable !== null) {
		return only({
			...state,
			login: {...login, phase: 'unavailable', error: state.loginUnavailable},
			mode: {kind: 'login'},
		});
	}

	const previous = row?.entry.kind === 'session' ? row.entry.session : null;
	return startTask({...state, login}, {kind: 'login', sessionId, previous}, {kind: 'login'});
}

// Text typed into the filter. Control characters never enter the query (a paste may carry them).
function typeText(state: State, text: string): State {
	if (state.mode.kind !== 'filter') return state;
	// biome-ignore lint/suspicious/noControlCharactersInRegex: stripping them is the point
	const clean = text.replace(/[\u0000-\u001f\u007f-\u009f]/g, '');
	return clean ? {...state, list: withFilter(state.list, state.list.filter + clean)} : state;
}

// Keys are resolved here, against the state they arrive in, so several keys in one read (a fast
// typist, a paste, a test) never act on a stale mode: each keystroke in the mode the previous
// one left. Text typed into the filter goes in a run at a time (one re-filter per run).
function onKeys(state: State, strokes: readonly Keystroke[], now: number): Update<State> {
	let next = state;
	const effects: Effect[] = [];
	let text = '';
	for (const stroke of strokes) {
		const context = keyContext(next.mode);
		const command = commandFor(context, stroke.input, stroke.key);
		if (!command && context === 'filter' && isText(stroke)) {
			text += stroke.input;
			continue;
		}

		if (text) next = typeText(next, text);
		text = '';
		if (!command) continue;
		const update = onCommand(next, command, now);
		next = update.state;
		effects.push(...update.effects);
	}

	if (text) next = typeText(next, text);
	return {state: next, effects};
}

// Whether a result is for the task the state awaits; the state without it when it is.
function finish(state: State, seq: number): State | null {
	return state.running?.seq === seq ? {...state, running: null} : null;
}

const reload: Effect = {kind: 'reload'};

function onResult(state: State, result: Result): Update<State> {
	switch (result.type) {
		case 'taskProgress': {
			if (state.running?.seq !== result.seq || state.mode.kind !== 'busy') return only(state);
			const progress = {done: result.done, total: result.total};
			return only({...state, mode: {...state.mode, progress}});
		}

		case 'tokenChecked': {
			if (state.running?.seq !== result.seq) return only(state);
			const checks = new Map(state.checks).set(result.id, result.check);
			const {mode} = state;
			return only({
				...state,
				checks,
				mode:
					mode.kind === 'busy' && mode.progress
						? {...mode, progress: {...mode.progress, done: result.done}}
						: mode,
			});
		}

		case 'loginUrl':
			if (state.running?.seq !== result.seq || !state.login) return only(state);
			return only({...state, login: {...state.login, url: result.url}});
		case 'loginDeviceCode':
			if (state.running?.seq !== result.seq || !state.login) return only(state);
			return only({
				...state,
				login: {
					...state.login,
					url: result.url,
					userCode: result.userCode,
					deadline: result.expiresAt,
				},
			});
		default:
			break;
	}

	const next = finish(state, result.seq);
	if (!next) return only(state);
	// Every finished task is followed by a visible reload: the listing confirms what it did.
	switch (result.type) {
		case 'deleted': {
			// Drop the row at once; the reload confirms it.
			const label = state.running?.kind === 'delete' ? state.running.label : result.id;
			const entries = (state.entries ?? []).filter((entry) => entry.id !== result.id);
			const checks = new Map(state.checks);
			checks.delete(result.id);
			const {note} = result;
			return {
				state: {
					...next,
					entries,
					checks,
					list: withoutRow(state.list, result.id),
					mode: {kind: 'list'},
					message: {
						text: `deleted ${label}${note ? ` · ${note.text}` : ''}`,
						tone: note?.failed ? 'error' : 'info',
						at: result.now,
					},
				},
				effects: [reload],
			};
		}

		case 'cleaned': {
			const text = `removed ${plural(result.count, 'expired session')}`;
			return {
				state: {...next, mode: {kind: 'list'}, message: info(text, result.now)},
				effects: [reload],
			};
		}

		case 'verified': {
			const task = state.running;
			if (task?.kind !== 'verify') return only(next);
			const checks = withoutPending(next.checks);
			const said = verifySummary(
				task.label,
				task.sessions.map((session) => checkFor(checks, session)),
				result.rateLimitResetAt,
				result.now,
			);
			return only({
				...next,
				checks,
				mode: {kind: 'list'},
				message: {...said, at: result.now},
			});
		}

		case 'tokenRefreshed': {
			const task = state.running;
			const label = task?.kind === 'refresh' ? task.label : '';
			const said = refreshSaid(label, result.outcome, result.now);
			return {
				state: {...next, mode: {kind: 'list'}, message: {...said, at: result.now}},
				effects: [reload],
			};
		}

		case 'taskFailed':
			return {
				state: {
					...next,
					checks: withoutPending(next.checks),
					mode: {kind: 'list'},
					message: {text: result.message, tone: 'error', at: result.now},
				},
				effects: [reload],
			};
		case 'loginSucceeded':
			if (!next.login) return only(state);
			return {
				state: {...next, login: {...next.login, phase: 'succeeded', outcome: result.outcome}},
				effects: [reload],
			};
		case 'loginFailed':
			if (!next.login) return only(state);
			return {
				state: {...next, login: {...next.login, phase: 'failed', error: result.message}},
				effects: [reload],
			};
	}
}

function onLoaded(listed: State, entries: readonly ListEntry[]): State {
	// `r` asked for this listing: say it came, and what it holds.
	const state =
		listed.reloadAsked === null
			? listed
			: {
					...listed,
					reloadAsked: null,
					message: info(`reloaded · ${plural(entries.length, 'session')}`, listed.reloadAsked),
				};
	const previous = state.list.rows;
	const rows = buildRows(entries, previous);
	const idle: Load = {phase: 'idle'};
	// A rescan that found nothing new changes nothing: no re-sort, no flicker.
	if (state.entries !== null && state.error === null && sameRows(rows, previous)) {
		return state.load.phase === 'idle' ? state : {...state, load: idle};
	}

	return {...state, entries, list: withRows(state.list, rows), load: idle, error: null};
}

// A few entries changed: the listing with them applied, as a rescan would have found it. New ones
// go last, as a store lists what it holds in no particular order; rows of unchanged entries are
// kept, so only the changed ones are built again, and the sorted orders are patched with the
// rows that went and came rather than sorted again (list-view.ts withChanges).
function onChanged(state: State, changed: readonly ListEntry[], removed: readonly string[]): State {
	const current = state.entries;
	// Not listed yet (or listing failed): the listing to come has them.
	if (current === null) return state;
	// Each id the batch names: its entry now, or null when it went (a removal wins).
	const batch = new Map<string, ListEntry | null>();
	for (const entry of changed) batch.set(entry.id, entry);
	for (const id of removed) batch.set(id, null);
	// `entries` and `list.rows` are parallel. Find the rows the batch names (one lookup per row,
	// nothing copied), then copy each array once.
	const previous = state.list.rows;
	const gone: Row[] = [];
	const added: Row[] = [];
	/** The named rows that change, by index: the new row, or null when it went. */
	const rowsAt = new Map<number, Row | null>();
	for (let i = 0; i < previous.length; i++) {
		const row = previous[i] as Row;
		const update = batch.get(row.id);
		if (update === undefined) continue;
		batch.delete(row.id);
		if (update !== null && sameEntry(update, current[i] as ListEntry)) continue;
		gone.push(row);
		const fresh = update === null ? null : toRow(update);
		if (fresh) added.push(fresh);
		rowsAt.set(i, fresh);
	}

	const appended: Row[] = [];
	for (const update of batch.values()) if (update !== null) appended.push(toRow(update));
	if (gone.length === 0 && appended.length === 0) return state;
	const entriesAt = new Map<number, ListEntry | null>();
	for (const [i, row] of rowsAt) entriesAt.set(i, row?.entry ?? null);
	const entries = patchAt(
		current,
		entriesAt,
		appended.map((row) => row.entry),
	);
	const rows = patchAt(previous, rowsAt, appended);
	const checks = new Map(state.checks);
	for (const id of removed) checks.delete(id);

	const list = withChanges(state.list, rows, {gone, added: [...added, ...appended]});
	return {...state, entries, checks, list};
}

// A listing with the entries of `keep` taken from the current ones instead.
function withKept(
	listed: readonly ListEntry[],
	current: readonly ListEntry[] | null,
	keep: ReadonlySet<string> | undefined,
): readonly ListEntry[] {
	if (!keep || keep.size === 0 || current === null) return listed;
	const entries = listed.filter((entry) => !keep.has(entry.id));
	for (const entry of current) if (keep.has(entry.id)) entries.push(entry);
	return entries;
}

function sameRows<T>(a: readonly T[], b: readonly T[]): boolean {
	if (a.length !== b.length) return false;
	for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
	return true;
}

function onResize(state: State, rows: number, width: number): State {
	const list = withHeight(state.list, rows);
	if (list === state.list && width === state.width) return state;
	const {mode} = state;
	return {
		...state,
		list,
		width,
		mode:
			mode.kind === 'help'
				? {kind: 'help', top: clampHelpTop(mode.top, width, bodyHeight(list.height))}
				: mode,
	};
}

function withoutMessage(state: State): State {
	return state.message === null ? state : {...state, message: null};
}

/** The reducer: the next state, and the effects it asks for (effects.ts). */
export function update(state: State, action: Action): Update<State> {
	switch (action.type) {
		// Any key takes the last message away; what it does may say something new.
		case 'key':
			return onKeys(withoutMessage(state), decodeKeys(action.input, action.key), action.now);
		case 'command':
			return onCommand(withoutMessage(state), action.command, action.now);
		case 'type':
			return only(typeText(state, action.text));
		case 'resize':
			return only(onResize(state, action.height, action.width));
		case 'loadStarted':
			return only({...state, load: {phase: 'loading', done: 0, total: undefined}});
		case 'loadProgress':
			if (state.load.phase !== 'loading') return only(state);
			return only({...state, load: {phase: 'loading', done: action.done, total: action.total}});
		case 'loaded':
			return only(onLoaded(state, withKept(action.entries, state.entries, action.keep)));
		case 'loadFailed':
			return only({...state, load: {phase: 'idle'}, error: action.message, reloadAsked: null});
		case 'entriesChanged':
			return only(onChanged(state, action.changed, action.removed));
		case 'notice':
			return only({...state, message: info(action.text, action.now)});
		case 'directoryChecked':
			return only(
				state.directoryMissing === action.missing
					? state
					: {...state, directoryMissing: action.missing},
			);
		default:
			return onResult(state, action);
	}
}
