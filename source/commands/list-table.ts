// `list`'s table: a summary line, a header, one line per session, and a hint when there is
// something to clean up. Columns are measured in terminal columns (CJK and emoji take two), every
// field is cut to its column, and one session never takes more than one line. On a terminal
// the table fits its width and is coloured by status and urgency, as the inspector is.
import {Chalk, type ChalkInstance} from 'chalk';
import {MAX_ID_WIDTH} from '../format/columns.js';
import {formatCountdown, formatRelative} from '../format/duration.js';
import {escapeControl} from '../format/escape.js';
import {type Urgency, urgency} from '../format/status.js';
import {groupDigits, plural} from '../format/text.js';
import {displayWidth, fitWidth, padWidth} from '../format/width.js';
import type {ListEntry} from '../session/store.js';

export type TableOptions = {
	/** The terminal's width in columns; undefined when the output is not a terminal. */
	readonly width?: number | undefined;
	/** Colour the statuses and countdowns (only ever on a terminal). */
	readonly color?: boolean;
	/**
	 * The command line that removes the expired sessions (it repeats the store's flags); null
	 * for a store that is gone when the command ends (the demo's), which no command can clean.
	 */
	readonly cleanupCommand?: string | null;
};

// The widest each column grows, in terminal columns: a longer value is cut rather than widening
// every row. The id's is the inspector's; a name past 40 columns is rarely worth the room.
const MAX_USER_WIDTH = 40;
/** `expired 364d ago`, the longest countdown, with room to spare. */
const MAX_EXPIRES_WIDTH = 18;
/** `364d ago`, `just now`. */
const MAX_CREATED_WIDTH = 12;
/** The narrowest the id and user columns get on a narrow terminal before the created column goes. */
const MIN_SHRUNK_WIDTH = 10;
/** The narrowest they get when even the status column has gone. */
const MIN_CUT_WIDTH = 6;
const GAP = '  ';

const HEADER = ['ID', 'USER', 'CREATED', 'EXPIRES IN', 'STATUS'] as const;
const ID = 0;
const USER = 1;
const CREATED = 2;
const EXPIRES = 3;
const STATUS = 4;

type Row = {
	readonly cells: readonly string[];
	/** How the countdown and the status are coloured. */
	readonly tone: Urgency | 'unreadable';
};

function userText(entry: ListEntry): string {
	if (entry.kind === 'unreadable') return '-';
	const u = entry.session.user;
	if (!u) return '(no user)';
	const login = u.login ? `@${escapeControl(u.login)}` : `(user ${u.id})`;
	return u.name ? `${login}  ${escapeControl(u.name)}` : login;
}

/**
 * The column widths: each column as wide as its widest cell up to its cap; on a terminal
 * narrower than that, the user column shrinks first, then the id, then the created column
 * goes, and the status column takes what is left. 0 marks a dropped column.
 */
function columnWidths(rows: readonly Row[], terminalWidth: number | undefined): number[] {
	const caps = [
		MAX_ID_WIDTH,
		MAX_USER_WIDTH,
		MAX_CREATED_WIDTH,
		MAX_EXPIRES_WIDTH,
		Number.POSITIVE_INFINITY,
	];
	const widths = HEADER.map((title) => title.length);
	for (const {cells} of rows) {
		for (let i = 0; i < cells.length; i++) {
			const width = Math.min(displayWidth(cells[i] ?? ''), caps[i] ?? 0);
			if (width > (widths[i] ?? 0)) widths[i] = width;
		}
	}

	if (terminalWidth === undefined) return widths;
	const total = () =>
		widths.reduce((sum, width) => sum + width, 0) +
		GAP.length * (widths.filter((width) => width > 0).length - 1);
	for (const column of [USER, ID]) {
		const excess = total() - terminalWidth;
		const room = (widths[column] ?? 0) - MIN_SHRUNK_WIDTH;
		if (excess > 0 && room > 0) widths[column] = (widths[column] ?? 0) - Math.min(excess, room);
	}

	if (total() > terminalWidth) widths[CREATED] = 0;
	const excess = total() - terminalWidth;
	if (excess > 0) widths[STATUS] = Math.max(1, (widths[STATUS] ?? 0) - excess);
	// Narrower still (30 columns): the status goes too (the countdown says expired), and the
	// id, the user and the countdown are cut further, so that a row is never wrapped.
	if (total() > terminalWidth) widths[STATUS] = 0;
	for (const [column, min] of [
		[USER, MIN_CUT_WIDTH],
		[ID, MIN_CUT_WIDTH],
		[EXPIRES, 1],
	] as const) {
		const over = total() - terminalWidth;
		const room = (widths[column] ?? 0) - min;
		if (over > 0 && room > 0) widths[column] = (widths[column] ?? 0) - Math.min(over, room);
	}

	return widths;
}

const toneColors = {
	ok: (chalk: ChalkInstance) => chalk.green,
	soon: (chalk: ChalkInstance) => chalk.yellow,
	imminent: (chalk: ChalkInstance) => chalk.red,
	expired: (chalk: ChalkInstance) => chalk.gray,
	unreadable: (chalk: ChalkInstance) => chalk.red,
} as const;

/** The table as text, sorted as given; `now` judges every row at the same instant. */
export function renderTable(
	entries: readonly ListEntry[],
	now: number,
	location: string,
	options: TableOptions = {},
): string {
	let active = 0;
	let expired = 0;
	let unreadable = 0;
	const rows: Row[] = [];
	for (const entry of entries) {
		const id = escapeControl(entry.id);
		if (entry.kind === 'unreadable') {
			unreadable++;
			rows.push({
				cells: [id, '-', '-', '-', `unreadable: ${escapeControl(entry.reason)}`],
				tone: 'unreadable',
			});
			continue;
		}

		const {session} = entry;
		const tone = urgency(session.expiresAt, now);
		if (tone === 'expired') expired++;
		else active++;
		rows.push({
			cells: [
				id,
				userText(entry),
				formatRelative(session.createdAt, now),
				formatCountdown(session.expiresAt, now),
				tone === 'expired' ? 'expired' : 'active',
			],
			tone,
		});
	}

	const {width} = options;
	const widths = columnWidths(rows, width);
	// Colour off: a Chalk of level 0 returns the text as it is.
	const chalk = new Chalk({level: options.color ? 1 : 0});
	const line = (cells: readonly string[], style?: (cell: string, i: number) => string) =>
		cells
			.map((cell, i): [string, number] => [cell, i])
			.filter(([, i]) => (widths[i] ?? 0) > 0)
			.map(([cell, i]) => {
				// The last column is not padded: no trailing spaces.
				const fitted =
					i === cells.length - 1 ? fitWidth(cell, widths[i] ?? 0) : padWidth(cell, widths[i] ?? 0);
				return style ? style(fitted, i) : fitted;
			})
			.join(GAP)
			.trimEnd();

	const fitLine = (text: string) => (width === undefined ? text : fitWidth(text, width));
	const summary = [`${groupDigits(active)} active`, `${groupDigits(expired)} expired`];
	if (unreadable > 0) summary.push(`${groupDigits(unreadable)} unreadable`);
	const parts = [
		fitLine(`${plural(entries.length, 'session')} in ${location}: ${summary.join(' · ')}`),
		'',
		line(HEADER, (cell) => chalk.bold(cell)),
	];
	for (const row of rows) {
		const color = toneColors[row.tone](chalk);
		parts.push(
			line(row.cells, (cell, i) =>
				i === STATUS || (i === STATUS - 1 && row.tone !== 'ok') ? color(cell) : cell,
			),
		);
	}

	if (expired > 0 && options.cleanupCommand !== null) {
		const command = options.cleanupCommand ?? 'stacktower-sessions cleanup';
		// Whole, even on a narrow terminal: it is a command line to copy.
		parts.push('', `remove the expired ${expired === 1 ? 'one' : 'ones'} with: ${command}`);
	}

	return `${parts.join('\n')}\n`;
}
