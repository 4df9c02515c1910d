// Plain `list` on a real terminal: the built CLI in a pseudo-terminal, its output read back
// through @xterm/headless, cell by cell, as a person would see it.
import {describe, expect, test} from 'vitest';
import {runCli} from './helpers/cli.js';
import {spawnCli} from './helpers/pty.js';
import {cellOf, headlessTerminal, rowsOf} from './helpers/screen.js';
import {makeSession, makeSessionDir, makeUser} from './helpers/session-dir.js';

const HOUR = 60 * 60 * 1000;
// biome-ignore lint/suspicious/noControlCharactersInRegex: looking for colour codes
const sgr = /\u001B\[[\d;]*m/;

/** Sessions whose users' names are wider (CJK, emoji) or narrower (combining marks) than their length. */
function wideSessionsDir(): string {
	return makeSessionDir({
		fixtures: false,
		sessions: [
			makeSession('cjk', 5 * HOUR, {user: makeUser('yamada', {name: '山田太郎 漢字の名前'})}),
			makeSession('emoji', 6 * HOUR, {user: makeUser('dev', {name: '🚀🎉 Dev Team 🌟'})}),
			makeSession('combining', 7 * HOUR, {user: makeUser('jose', {name: 'Jose\u0301 Nin\u0303o'})}),
			makeSession('long', -HOUR, {
				user: makeUser('longname', {name: `Very ${'Long '.repeat(60)}`}),
			}),
			makeSession('plain', 8 * HOUR, {user: makeUser('plain', {name: 'Plain Name'})}),
		],
	});
}

type Screen = {
	/** Each row as text. */
	readonly lines: string[];
	/** The cell (column) at which `text` starts on row `y`, or -1. */
	cellOf(y: number, text: string): number;
};

/**
 * The output as @xterm/headless shows it on a terminal `cols` wide, with the Unicode 11 widths
 * of today's terminals (emoji two columns wide, as string-width counts them). Emoji joined into
 * one by U+200D are left out of the samples: terminals disagree about their width.
 */
async function render(raw: string, cols: number): Promise<Screen> {
	const terminal = headlessTerminal(cols, 40, 100);
	await new Promise<void>((resolve) => {
		terminal.write(raw, resolve);
	});
	return {
		lines: rowsOf(terminal, 0, terminal.buffer.active.length),
		cellOf: (y, text) => cellOf(terminal, y, text),
	};
}

async function listOnTerminal(
	args: readonly string[],
	cols: number,
	env: Record<string, string | undefined> = {},
): Promise<{raw: string; screen: Screen}> {
	const p = await spawnCli({args: ['list', ...args], cols, rows: 40, env});
	const exit = await p.exit;
	expect(exit.exitCode).toBe(0);
	return {raw: p.output(), screen: await render(p.output(), cols)};
}

describe('list on a terminal', () => {
	test.each([60, 100, 160])(
		'at %i columns every session takes one line and the columns line up',
		async (cols) => {
			const dir = wideSessionsDir();
			const {screen} = await listOnTerminal(['--dir', dir], cols);
			const ids = ['long', 'cjk', 'emoji', 'combining', 'plain'];
			const header = screen.lines.findIndex((line) => line.startsWith('ID '));
			expect(header).toBeGreaterThan(0);
			// Soonest expiry first; one line each, nothing wrapped onto the next.
			expect(screen.lines.slice(header + 1, header + 6).map((line) => line.split(' ')[0])).toEqual(
				ids,
			);
			expect(screen.lines[header + 6]).toBe('');
			// Each row's CREATED column starts in the same cell as the header's.
			const created = screen.cellOf(header, 'CREATED');
			if (created === -1) {
				// Dropped on a narrow terminal: then the countdown column lines up.
				const expires = screen.cellOf(header, 'EXPIRES IN');
				expect(expires).toBeGreaterThan(0);
				for (let y = header + 1; y <= header + 5; y++) {
					expect(screen.cellOf(y, 'h ')).toBeGreaterThanOrEqual(expires);
				}
			} else {
				for (let y = header + 1; y <= header + 5; y++)
					expect(screen.cellOf(y, '1h ago')).toBe(created);
			}

			// The long name is cut to its column, marked.
			expect(screen.lines[header + 1]).toContain('…');
		},
	);

	test('at 30 columns the status column goes and the others are cut: still one line a session', async () => {
		const dir = wideSessionsDir();
		const {screen} = await listOnTerminal(['--dir', dir], 30);
		const header = screen.lines.findIndex((line) => line.startsWith('ID '));
		expect(header).toBeGreaterThan(0);
		expect(screen.lines[header]).not.toContain('STATUS');
		expect(screen.lines.slice(header + 1, header + 6).map((line) => line.split(' ')[0])).toEqual([
			'long',
			'cjk',
			'emoji',
			'combi…',
			'plain',
		]);
		expect(screen.lines[header + 6]).toBe('');
		const expires = screen.cellOf(header, 'EXPIRES IN');
		for (let y = header + 1; y <= header + 5; y++) {
			expect(screen.cellOf(y, 'h ')).toBeGreaterThanOrEqual(expires);
		}
	});

	test('colours the statuses, unless NO_COLOR or --no-color', async () => {
		const dir = wideSessionsDir();
		const colour = await listOnTerminal(['--dir', dir], 100, {NO_COLOR: undefined});
		expect(colour.raw).toMatch(sgr);
		// Colour does not move a column.
		const plain = await listOnTerminal(['--dir', dir, '--no-color'], 100, {NO_COLOR: undefined});
		expect(plain.raw).not.toMatch(sgr);
		const digitless = (lines: string[]) => lines.map((line) => line.replace(/\d/g, '0'));
		expect(digitless(colour.screen.lines)).toEqual(digitless(plain.screen.lines));

		const noColorEnv = await listOnTerminal(['--dir', dir], 100, {NO_COLOR: '1'});
		expect(noColorEnv.raw).not.toMatch(sgr);
	});

	test('without a terminal: no colour, columns of fixed caps, still one line a session', async () => {
		const dir = wideSessionsDir();
		const result = await runCli(['list', '--dir', dir], {
			env: {NO_COLOR: undefined, FORCE_COLOR: '3'},
		});
		expect(result.code).toBe(0);
		expect(result.stdout).not.toMatch(sgr);
		const lines = result.stdout.split('\n');
		expect(lines.filter((line) => /^(long|cjk|emoji|combining|plain) /.test(line))).toHaveLength(5);
		const screen = await render(result.stdout.replaceAll('\n', '\r\n'), 200);
		const header = screen.lines.findIndex((line) => line.startsWith('ID '));
		const created = screen.cellOf(header, 'CREATED');
		for (let y = header + 1; y <= header + 5; y++) expect(screen.cellOf(y, '1h ago')).toBe(created);
	});
});
