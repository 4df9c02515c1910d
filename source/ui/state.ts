// The inspector's state and its reducer: pure, with `now` passed in the actions that need it.
// Effects (deleting, cleaning up, logging in, reloading) are requested by putting a `task` in the
// state; use-tasks runs it and reports back with an action carrying the task's `seq`.

import type {Key} from 'ink';
import {formatDuration} from '../format/duration.js';
import {isExpiredAt} from '../format/status.js';
import {plural} from '../format/text.js';
import {DEFAULT_LOGIN_TIMEOUT_MS} from '../github/defaults.js';
import type {Session} from '../session/session.js';
import type {ListEntry} from '../session/store.js';
import {clampHelpTop} from './help-layout.js';
import {type Command, commandFor, type KeyContext, keyAlone} from './keymap.js';
import {scrollTop} from './layout.js';
import {buildRows, filterRows, nextSort, type Row, type SortKey, sortRows} from './rows.js';
import type {LoginOutcome} from './types.js';

/** The session id `l` logs in when the store is empty: the CLI's own session. */
export const CLI_SESSION_ID = 'github';

export type Mode =
	| {readonly kind: 'list'}
	| {readonly kind: 'details'}
	/** `top`: the first row of the help shown (it scrolls when the terminal is too small). */
	| {readonly kind: 'help'; readonly top: number}
	| {readonly kind: 'filter'}
	| {readonly kind: 'confirmDelete'; readonly id: string; readonly label: string}
	| {readonly kind: 'confirmCleanup'; readonly count: number}
	| {
			readonly kind: 'busy';
			readonly label: string;
			readonly since: number;
			/** How far a long task (cleanup of a large store) has got, when it says. */
			readonly progress?: {readonly done: number; readonly total: number | undefined};
	  }
	| {readonly kind: 'login'};

export type Task =
	| {readonly seq: number; readonly kind: 'delete'; readonly id: string; readonly label: string}
	| {readonly seq: number; readonly kind: 'cleanup'}
	| {
			readonly seq: number;
			readonly kind: 'login';
			readonly sessionId: string;
			readonly previous: Session | null;
	  };

export type LoginState = {
	readonly sessionId: string;
	readonly previousLogin: string;
	readonly deadline: number;
	readonly url: string | null;
	/** `unavailable`: login is not configured; `error` says why, a line per problem. */
	readonly phase: 'waiting' | 'succeeded' | 'failed' | 'unavailable';
	/** The error message when failed or unavailable. */
	readonly error: string | null;
	readonly outcome: LoginOutcome | null;
};

export type Load =
	| {readonly phase: 'idle'}
	| {readonly phase: 'loading'; readonly done: number; readonly total: number | undefined};

export type Message = {readonly text: string; readonly tone: 'info' | 'error'};

export type State = {
	/** The last listing; null until the first one arrives. */
	readonly entries: readonly ListEntry[] | null;
	/** One row per entry, in the store's order. */
	readonly rows: readonly Row[];
	/** `rows` sorted by `sort`. */
	readonly sorted: readonly Row[];
	/** `rows` sorted by each key used since they last changed: cycling `s` re-sorts nothing. */
	readonly sortCache: ReadonlyMap<SortKey, readonly Row[]>;
	/** `sorted` filtered by `filter`: what the table shows. */
	readonly view: readonly Row[];
	readonly sort: SortKey;
	readonly filter: string;
	/** The selected session's id; the selection follows it when rows move. */
	readonly selectedId: string | null;
	/** Its index in `view` (kept in step with selectedId). */
	readonly selected: number;
	/** The first visible row. */
	readonly top: number;
	/** How many rows fit. */
	readonly height: number;
	/** The terminal's width: how the help is laid out, and so how far it scrolls. */
	readonly width: number;
	readonly mode: Mode;
	readonly load: Load;
	/** A store error: the list could not be read. */
	readonly error: string | null;
	/** The session directory does not exist (yet): the empty state says so. */
	readonly directoryMissing: boolean;
	readonly message: Message | null;
	readonly task: Task | null;
	readonly seq: number;
	/** Bumped to ask use-sessions for a visible reload (with progress). */
	readonly reloadRequest: number;
	readonly login: LoginState | null;
	/** Why `l` cannot log in (login not configured), a line per problem; null when it can. */
	readonly loginUnavailable: string | null;
	readonly loginTimeoutMs: number;
	/** Set by `q` or Ctrl-C; App then unmounts. */
	readonly quitting: boolean;
};

export type Action =
	| {readonly type: 'key'; readonly input: string; readonly key: Key; readonly now: number}
	| {readonly type: 'command'; readonly command: Command; readonly now: number}
	| {readonly type: 'type'; readonly text: string}
	| {readonly type: 'resize'; readonly height: number; readonly width: number}
	| {readonly type: 'loadStarted'}
	| {readonly type: 'loadProgress'; readonly done: number; readonly total: number | undefined}
	| {readonly type: 'loaded'; readonly entries: readonly ListEntry[]}
	| {readonly type: 'loadFailed'; readonly message: string}
	| {readonly type: 'directoryChecked'; readonly missing: boolean}
	| {readonly type: 'deleted'; readonly seq: number; readonly id: string}
	| {
			readonly type: 'taskProgress';
			readonly seq: number;
			readonly done: number;
			readonly total: number | undefined;
	  }
	| {readonly type: 'cleaned'; readonly seq: number; readonly count: number}
	| {readonly type: 'taskFailed'; readonly seq: number; readonly message: string}
	| {readonly type: 'loginUrl'; readonly seq: number; readonly url: string}
	| {readonly type: 'loginSucceeded'; readonly seq: number; readonly outcome: LoginOutcome}
	| {readonly type: 'loginFailed'; readonly seq: number; readonly message: string};

export type InitOptions = {
	readonly height?: number;
	readonly width?: number;
	readonly loginConfigured?: boolean;
	/** Why login is not configured, shown when `l` is pressed (default: how to pass a client id). */
	readonly loginUnavailable?: string;
	readonly loginTimeoutMs?: number;
	readonly sort?: SortKey;
};

const DEFAULT_LOGIN_UNAVAILABLE =
	'Missing the GitHub OAuth app client id: pass --client-id ID or set STACKTOWER_GITHUB_CLIENT_ID';

export function initialState(options: InitOptions = {}): State {
	return {
		entries: null,
		rows: [],
		sorted: [],
		sortCache: new Map(),
		view: [],
		sort: options.sort ?? 'expiry',
		filter: '',
		selectedId: null,
		selected: 0,
		top: 0,
		height: Math.max(1, options.height ?? 10),
		width: options.width ?? 80,
		mode: {kind: 'list'},
		load: {phase: 'loading', done: 0, total: undefined},
		error: null,
		directoryMissing: false,
		message: null,
		task: null,
		seq: 0,
		reloadRequest: 0,
		login: null,
		loginUnavailable: options.loginConfigured
			? null
			: (options.loginUnavailable ?? DEFAULT_LOGIN_UNAVAILABLE),
		loginTimeoutMs: options.loginTimeoutMs ?? DEFAULT_LOGIN_TIMEOUT_MS,
		quitting: false,
	};
}

/** The selected row, if any. */
export function selectedRow(state: State): Row | undefined {
	return state.view[state.selected];
}

// Puts the selection on `index` (clamped) and scrolls it into view.
function select(state: State, index: number): State {
	const count = state.view.length;
	const selected = count === 0 ? 0 : Math.min(Math.max(0, index), count - 1);
	return {
		...state,
		selected,
		selectedId: state.view[selected]?.id ?? null,
		top: scrollTop(state.top, selected, count, state.height),
	};
}

// After the view changed: follow the selected id; if it is gone, stay at the same index.
function reselect(state: State): State {
	const index =
		state.selectedId === null ? -1 : state.view.findIndex((row) => row.id === state.selectedId);
	return select(state, index === -1 ? state.selected : index);
}

function withView(state: State, sorted: readonly Row[], filter: string): State {
	return reselect({...state, sorted, filter, view: filterRows(sorted, filter)});
}

// Sorts `rows` by `sort`, from the cache when it was sorted that way before.
function resort(state: State): State {
	let sorted = state.sortCache.get(state.sort);
	let {sortCache} = state;
	if (!sorted) {
		sorted = sortRows(state.rows, state.sort);
		sortCache = new Map(sortCache).set(state.sort, sorted);
	}

	return withView({...state, sortCache}, sorted, state.filter);
}

function setFilter(state: State, filter: string): State {
	if (filter === state.filter) return state;
	// Typing narrows: search within what the previous query matched.
	const narrowing =
		state.filter !== '' && filter.toLowerCase().includes(state.filter.toLowerCase());
	const view = filterRows(narrowing ? state.view : state.sorted, filter);
	return reselect({...state, filter, view});
}

function sameRows(a: readonly Row[], b: readonly Row[]): boolean {
	if (a.length !== b.length) return false;
	for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
	return true;
}

function describeRow(row: Row): string {
	if (row.entry.kind === 'unreadable') return `${row.shownId} (unreadable)`;
	return row.login ? `${row.shownId} (@${row.login})` : `${row.shownId} (no user)`;
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

function startTask(state: State, task: DistributiveOmit<Task, 'seq'>, mode: Mode): State {
	const seq = state.seq + 1;
	return {...state, seq, task: {...task, seq} as Task, mode, message: null};
}

/** The lines between the header and the status line: the table's title row and its rows. */
export function bodyHeight(height: number): number {
	return height + 1;
}

/** The moving keys scroll the help; the rest do nothing there. */
function scrollHelp(state: State, command: Command): State {
	if (state.mode.kind !== 'help') return state;
	const {top} = state.mode;
	const height = bodyHeight(state.height);
	const page = Math.max(1, height - 1);
	const moves: Partial<Record<Command, number>> = {
		up: top - 1,
		down: top + 1,
		pageUp: top - page,
		pageDown: top + page,
		first: 0,
		last: Number.POSITIVE_INFINITY,
	};
	const wanted = moves[command];
	if (wanted === undefined) return state;
	const next = clampHelpTop(wanted, state.width, height);
	return next === top ? state : {...state, mode: {kind: 'help', top: next}};
}

function onCommand(state: State, command: Command, now: number): State {
	const mode = state.mode.kind;
	if (command === 'quit') return {...state, quitting: true};
	if (mode === 'busy') return state;

	if (mode === 'confirmDelete' || mode === 'confirmCleanup') {
		if (command === 'no') return {...state, mode: {kind: 'list'}, message: null};
		if (command !== 'yes') return state;
		if (state.mode.kind === 'confirmDelete') {
			const {id, label} = state.mode;
			return startTask(
				state,
				{kind: 'delete', id, label},
				{kind: 'busy', label: `deleting ${label}`, since: now},
			);
		}

		return startTask(
			state,
			{kind: 'cleanup'},
			{
				kind: 'busy',
				label: 'removing expired sessions',
				since: now,
			},
		);
	}

	if (mode === 'login') {
		const login = state.login;
		if (!login) return {...state, mode: {kind: 'list'}};
		if (login.phase === 'waiting') {
			if (command !== 'back') return state;
			// Dropping the task makes use-tasks abort the login's AbortController.
			return {
				...state,
				task: null,
				login: null,
				mode: {kind: 'list'},
				message: {text: 'login cancelled', tone: 'info'},
			};
		}

		if (command === 'back' || command === 'details') {
			return {...state, mode: {kind: 'list'}, login: null};
		}

		return state;
	}

	if (mode === 'filter') {
		if (command === 'filterAccept') return {...state, mode: {kind: 'list'}};
		if (command === 'filterClear') return {...setFilter(state, ''), mode: {kind: 'list'}};
		if (command === 'filterErase') return setFilter(state, state.filter.slice(0, -1));
		return state;
	}

	if (mode === 'help') {
		if (command === 'help' || command === 'back') return {...state, mode: {kind: 'list'}};
		return scrollHelp(state, command);
	}

	// The list and the details share the keys; the details show the selected row.
	const page = Math.max(1, state.height - 1);
	switch (command) {
		case 'up':
			return select(state, state.selected - 1);
		case 'down':
			return select(state, state.selected + 1);
		case 'pageUp':
			return select(state, state.selected - page);
		case 'pageDown':
			return select(state, state.selected + page);
		case 'first':
			return select(state, 0);
		case 'last':
			return select(state, state.view.length - 1);
		case 'details':
			if (mode === 'details') return {...state, mode: {kind: 'list'}};
			return selectedRow(state) ? {...state, mode: {kind: 'details'}, message: null} : state;
		case 'back':
			if (mode === 'details') return {...state, mode: {kind: 'list'}};
			if (state.filter !== '') return {...setFilter(state, ''), message: null};
			return {...state, message: null};
		case 'help':
			return {...state, mode: {kind: 'help', top: 0}, message: null};
		case 'filter':
			return {...state, mode: {kind: 'filter'}, message: null};
		case 'sort': {
			const sort = nextSort(state.sort);
			return {
				...resort({...state, sort}),
				message: null,
			};
		}
		case 'reload':
			return {...state, reloadRequest: state.reloadRequest + 1, message: null};
		case 'delete': {
			const row = selectedRow(state);
			if (!row) return {...state, message: {text: 'nothing to delete', tone: 'info'}};
			return {
				...state,
				mode: {kind: 'confirmDelete', id: row.id, label: describeRow(row)},
				message: null,
			};
		}
		case 'cleanup': {
			let count = 0;
			for (const row of state.rows) if (isExpiredAt(row.expiresAt, now)) count++;
			if (count === 0)
				return {...state, message: {text: 'no expired sessions to remove', tone: 'info'}};
			return {...state, mode: {kind: 'confirmCleanup', count}, message: null};
		}
		case 'login':
			return startLogin(state, now);
		default:
			return state;
	}
}

function startLogin(state: State, now: number): State {
	const row = selectedRow(state);
	// An empty store (or an empty filter result) logs the CLI's own session in.
	const sessionId = row?.id ?? CLI_SESSION_ID;
	const login: LoginState = {
		sessionId,
		previousLogin: row?.login ?? '',
		deadline: now + state.loginTimeoutMs,
		url: null,
		phase: 'waiting',
		error: null,
		outcome: null,
	};
	// Every problem in full, in the view: too long for the status line.
	if (state.loginUnavailable !== null) {
		return {
			...state,
			login: {...login, phase: 'unavailable', error: state.loginUnavailable},
			mode: {kind: 'login'},
			message: null,
		};
	}

	const previous = row?.entry.kind === 'session' ? row.entry.session : null;
	return startTask({...state, login}, {kind: 'login', sessionId, previous}, {kind: 'login'});
}

function finishTask(state: State, seq: number): State | null {
	return state.task?.seq === seq ? {...state, task: null} : null;
}

/** Which part of the keymap applies in a mode. */
export function keyContext(mode: Mode): KeyContext {
	if (mode.kind === 'filter') return 'filter';
	if (mode.kind === 'confirmDelete' || mode.kind === 'confirmCleanup') return 'confirm';
	return 'list';
}

// Keys are resolved here, against the state they arrive in, so several keys in one frame (a fast
// typist, a paste, a test) never act on a stale mode.
// Characters that are text, not keys: everything but the C0 controls and DEL.
// biome-ignore lint/suspicious/noControlCharactersInRegex: they end the run
const printableRun = /^[^\u0000-\u001f\u007f]+/;

function onKey(state: State, input: string, key: Key, now: number): State {
	// Keys typed faster than a frame (or pasted) arrive as one string: "j\r" is j, then Enter;
	// "/oct" is the filter key and three letters. Take them one by one, each in the mode the
	// previous one left, so none is lost; text typed into the filter goes in a run at a time
	// (one re-filter per run, not per character).
	if (input.length > 1 && !key.ctrl && !key.meta) {
		let next = state;
		let i = 0;
		while (i < input.length) {
			if (keyContext(next.mode) === 'filter') {
				const text = printableRun.exec(input.slice(i))?.[0];
				if (text) {
					next = reducer(next, {type: 'type', text});
					i += text.length;
					continue;
				}
			}

			const char = String.fromCodePoint(input.codePointAt(i) ?? 0);
			const alone = keyAlone(char, key);
			next = pressKey(next, alone.input, alone.key, now);
			i += char.length;
		}

		return next;
	}

	return pressKey(state, input, key, now);
}

/** One key, in the context of the mode the state is in. */
function pressKey(state: State, input: string, key: Key, now: number): State {
	const context = keyContext(state.mode);
	const command = commandFor(context, input, key);
	if (command) return onCommand(state, command, now);
	if (context === 'filter' && input && !key.ctrl && !key.meta) {
		return reducer(state, {type: 'type', text: input});
	}

	return state;
}

export function reducer(state: State, action: Action): State {
	switch (action.type) {
		case 'key':
			return onKey(state, action.input, action.key, action.now);
		case 'command':
			return onCommand(state, action.command, action.now);
		case 'type': {
			if (state.mode.kind !== 'filter') return state;
			// Control characters never enter the query (a paste may carry them).
			// biome-ignore lint/suspicious/noControlCharactersInRegex: stripping them is the point
			const text = action.text.replace(/[\u0000-\u001f\u007f-\u009f]/g, '');
			return text ? setFilter(state, state.filter + text) : state;
		}

		case 'resize': {
			const height = Math.max(1, action.height);
			const {width} = action;
			if (height === state.height && width === state.width) return state;
			const {mode} = state;
			return {
				...state,
				height,
				width,
				top: scrollTop(state.top, state.selected, state.view.length, height),
				mode:
					mode.kind === 'help'
						? {kind: 'help', top: clampHelpTop(mode.top, width, bodyHeight(height))}
						: mode,
			};
		}

		case 'loadStarted':
			return {...state, load: {phase: 'loading', done: 0, total: undefined}};
		case 'loadProgress':
			if (state.load.phase !== 'loading') return state;
			return {...state, load: {phase: 'loading', done: action.done, total: action.total}};
		case 'loaded': {
			const rows = buildRows(action.entries, state.rows);
			const idle: Load = {phase: 'idle'};
			// A rescan that found nothing new changes nothing: no re-sort, no flicker.
			if (state.entries !== null && state.error === null && sameRows(rows, state.rows)) {
				return state.load.phase === 'idle' ? state : {...state, load: idle};
			}

			return resort({
				...state,
				entries: action.entries,
				rows,
				sortCache: new Map(),
				load: idle,
				error: null,
			});
		}

		case 'loadFailed':
			return {...state, load: {phase: 'idle'}, error: action.message};
		case 'directoryChecked':
			return state.directoryMissing === action.missing
				? state
				: {...state, directoryMissing: action.missing};
		case 'deleted': {
			const next = finishTask(state, action.seq);
			if (!next) return state;
			// Drop the row at once; the rescan that follows confirms it.
			const entries = (state.entries ?? []).filter((entry) => entry.id !== action.id);
			const rows = state.rows.filter((row) => row.id !== action.id);
			// Removing one row keeps every cached order valid.
			const sortCache = new Map<SortKey, readonly Row[]>();
			for (const [key, sorted] of state.sortCache) {
				sortCache.set(
					key,
					sorted.filter((row) => row.id !== action.id),
				);
			}

			const label = state.task?.kind === 'delete' ? state.task.label : action.id;
			return withView(
				{
					...next,
					entries,
					rows,
					sortCache,
					mode: {kind: 'list'},
					message: {text: `deleted ${label}`, tone: 'info'},
					reloadRequest: state.reloadRequest + 1,
				},
				sortCache.get(state.sort) ?? sortRows(rows, state.sort),
				state.filter,
			);
		}

		case 'taskProgress': {
			if (state.task?.seq !== action.seq || state.mode.kind !== 'busy') return state;
			return {...state, mode: {...state.mode, progress: {done: action.done, total: action.total}}};
		}

		case 'cleaned': {
			const next = finishTask(state, action.seq);
			if (!next) return state;
			return {
				...next,
				mode: {kind: 'list'},
				message: {text: `removed ${plural(action.count, 'expired session')}`, tone: 'info'},
				reloadRequest: state.reloadRequest + 1,
			};
		}

		case 'taskFailed': {
			const next = finishTask(state, action.seq);
			if (!next) return state;
			return {
				...next,
				mode: {kind: 'list'},
				message: {text: action.message, tone: 'error'},
				reloadRequest: state.reloadRequest + 1,
			};
		}

		case 'loginUrl':
			if (state.task?.seq !== action.seq || !state.login) return state;
			return {...state, login: {...state.login, url: action.url}};
		case 'loginSucceeded': {
			const next = finishTask(state, action.seq);
			if (!next?.login) return state;
			return {
				...next,
				login: {...next.login, phase: 'succeeded', outcome: action.outcome},
				reloadRequest: state.reloadRequest + 1,
			};
		}

		case 'loginFailed': {
			const next = finishTask(state, action.seq);
			if (!next?.login) return state;
			return {
				...next,
				login: {...next.login, phase: 'failed', error: action.message},
				reloadRequest: state.reloadRequest + 1,
			};
		}

		default:
			return state;
	}
}

/** How long a busy task has run, for the spinner line. */
export function busyFor(since: number, now: number): string {
	return formatDuration(now - since);
}
