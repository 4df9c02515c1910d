import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {
	formatAbsolute,
	formatCountdown,
	formatDuration,
	formatRelative,
	parseDuration,
} from '../source/format/duration.js';
import {escapeControl} from '../source/format/escape.js';
import {MASK, maskToken} from '../source/format/mask-token.js';
import {sortByNumber} from '../source/format/sort.js';
import {countStatuses, entryStatus, urgency} from '../source/format/status.js';
import {groupDigits, plural, shortenMiddle} from '../source/format/text.js';
import {fitTerminalWidths} from '../source/format/width.js';
import {
	createTestSession,
	DAY,
	HOUR,
	MINUTE,
	NOW,
	SECOND,
	sessionEntry,
	unreadableEntry,
} from './helpers/ink.js';

describe('formatCountdown', () => {
	const at = (ms: number) => formatCountdown(NOW + ms, NOW);

	it('counts seconds, minutes and hours to the second', () => {
		expect(at(0)).toBe('0s');
		expect(at(999)).toBe('0s');
		expect(at(SECOND)).toBe('1s');
		expect(at(59 * SECOND)).toBe('59s');
		expect(at(MINUTE)).toBe('1m 0s');
		expect(at(12 * MINUTE + 5 * SECOND)).toBe('12m 5s');
		expect(at(HOUR - SECOND)).toBe('59m 59s');
		expect(at(HOUR)).toBe('1h 0m 0s');
		expect(at(23 * HOUR + 59 * MINUTE + 12 * SECOND)).toBe('23h 59m 12s');
		expect(at(DAY - 1)).toBe('23h 59m 59s');
	});

	it('shows days and hours from a day on', () => {
		expect(at(DAY)).toBe('1d 0h');
		expect(at(3 * DAY + 4 * HOUR + 59 * MINUTE)).toBe('3d 4h');
		expect(at(365 * DAY - HOUR)).toBe('364d 23h');
	});

	it('says how long ago a session expired', () => {
		expect(at(-1)).toBe('expired just now');
		expect(at(-SECOND)).toBe('expired 1s ago');
		expect(at(-59 * SECOND)).toBe('expired 59s ago');
		expect(at(-5 * MINUTE)).toBe('expired 5m ago');
		expect(at(-3 * HOUR - MINUTE)).toBe('expired 3h ago');
		expect(at(-3 * DAY)).toBe('expired 3d ago');
		expect(at(-400 * DAY)).toBe('expired 1y ago');
	});

	it('accepts Dates and survives invalid ones', () => {
		expect(formatCountdown(new Date(NOW + MINUTE), new Date(NOW))).toBe('1m 0s');
		expect(formatCountdown(new Date(Number.NaN), NOW)).toBe('?');
		expect(formatDuration(-5)).toBe('0s');
	});
});

describe('formatRelative', () => {
	it('describes past and future times', () => {
		expect(formatRelative(NOW, NOW)).toBe('just now');
		expect(formatRelative(NOW - 5 * MINUTE, NOW)).toBe('5m ago');
		expect(formatRelative(NOW - 2 * DAY, NOW)).toBe('2d ago');
		expect(formatRelative(NOW - 40 * DAY, NOW)).toBe('40d ago');
		expect(formatRelative(NOW + 5 * MINUTE, NOW)).toBe('in 5m');
	});

	it('formats absolute times in UTC', () => {
		expect(formatAbsolute(NOW)).toBe('2026-11-26 12:00:00 UTC');
	});
});

describe('status and urgency', () => {
	it('follows Go: expired strictly after expiresAt', () => {
		const session = createTestSession({expiresIn: 0});
		expect(entryStatus(sessionEntry(session), NOW)).toBe('active');
		expect(entryStatus(sessionEntry(session), NOW + 1)).toBe('expired');
		expect(entryStatus(unreadableEntry('x'), NOW)).toBe('unreadable');
	});

	it('grades the time left', () => {
		expect(urgency(NOW + 2 * HOUR, NOW)).toBe('ok');
		expect(urgency(NOW + HOUR, NOW)).toBe('ok');
		expect(urgency(NOW + HOUR - 1, NOW)).toBe('soon');
		expect(urgency(NOW + 5 * MINUTE - 1, NOW)).toBe('imminent');
		expect(urgency(NOW - 1, NOW)).toBe('expired');
	});

	it('counts every status in one pass', () => {
		const entries = [
			sessionEntry(createTestSession({expiresIn: HOUR})),
			sessionEntry(createTestSession({expiresIn: DAY})),
			sessionEntry(createTestSession({expiresIn: -DAY})),
			unreadableEntry('broken'),
		];
		expect(countStatuses(entries, NOW)).toEqual({active: 2, expired: 1, unreadable: 1});
		expect(countStatuses(entries, NOW + 2 * HOUR)).toEqual({active: 1, expired: 2, unreadable: 1});
	});
});

describe('escapeControl', () => {
	it('shows escape sequences as text', () => {
		expect(escapeControl('\u001B[31mred')).toBe('\\x1b[31mred');
		expect(escapeControl('\u001B]0;title\u0007')).toBe('\\x1b]0;title\\x07');
		expect(escapeControl('a\u009Bb')).toBe('a\\u009bb');
		expect(escapeControl('nul\u0000')).toBe('nul\\x00');
		expect(escapeControl('del\u007F')).toBe('del\\x7f');
		expect(escapeControl('two\nlines\r\ttab')).toBe('two\\nlines\\r\\ttab');
		expect(escapeControl('evil\u202Eright')).toBe('evil\\u202eright');
	});

	it('leaves printable text alone', () => {
		for (const text of ['octocat', 'Mona Lisa', 'Zoë Ærø 日本 🚀', 'back\\slash', '']) {
			expect(escapeControl(text)).toBe(text);
		}
	});

	it('shows every invisible format character (Unicode Cf) and bidi control as an escape', () => {
		// Each of these would make a text look like another: `@oct\u200bocat` as `@octocat`.
		const cases: Array<[string, string]> = [
			['@oct\u200Bocat', '@oct\\u200bocat'],
			['a\u200Cb', 'a\\u200cb'],
			['a\u200Db', 'a\\u200db'],
			['a\u2060b', 'a\\u2060b'],
			['\uFEFFbom', '\\ufeffbom'],
			['a\u061Cb', 'a\\u061cb'],
			['a\u200E\u200Fb', 'a\\u200e\\u200fb'],
			['\u2066iso\u2069 \u2067\u2068', '\\u2066iso\\u2069 \\u2067\\u2068'],
			['\u202Aemb\u202C\u202D', '\\u202aemb\\u202c\\u202d'],
			['soft\u00ADhyphen', 'soft\\u00adhyphen'],
			['tag\u{E0041}\u{E0001}\u{E007F}', 'tag\\u{e0041}\\u{e0001}\\u{e007f}'],
			['line\u2028para\u2029', 'line\\u2028para\\u2029'],
			// A joiner at either end of an emoji, or between an emoji and a letter, hides a character.
			['\u200D👩', '\\u200d👩'],
			['👩\u200D', '👩\\u200d'],
			['👩\u200Dx', '👩\\u200dx'],
		];
		for (const [raw, shown] of cases) expect(escapeControl(raw)).toBe(shown);
		// Whatever the code point: none of category Cf gets through but the emoji joiner.
		for (let code = 0; code <= 0xe0fff; code++) {
			if (code >= 0xd800 && code <= 0xdfff) continue;
			const char = String.fromCodePoint(code);
			if (/\p{Cf}/u.test(char)) expect(escapeControl(`x${char}y`)).not.toContain(char);
		}
	});

	it('keeps the zero-width joiner inside an emoji sequence: it draws one picture', () => {
		for (const emoji of ['👩\u200D💻', '👩🏽\u200D💻', '❤️\u200D🔥', '👨\u200D👩\u200D👧']) {
			expect(escapeControl(`@mona ${emoji}`)).toBe(`@mona ${emoji}`);
		}
	});

	it('never lets a control character through', () => {
		let all = '';
		for (let code = 0; code < 0x100; code++) all += String.fromCharCode(code);
		// biome-ignore lint/suspicious/noControlCharactersInRegex: checking for them is the point
		expect(escapeControl(all)).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
	});
});

describe('fitTerminalWidths', () => {
	it('draws a cluster measured otherwise by Ink and by a terminal as its first code point', () => {
		expect(fitTerminalWidths('Dev 👩\u200D💻 Coder')).toBe('Dev 👩 Coder');
		expect(fitTerminalWidths('Wave 👋🏽')).toBe('Wave 👋');
		expect(fitTerminalWidths('❤️ 1️⃣')).toBe('❤ 1');
	});

	it('leaves alone what both measure alike', () => {
		for (const text of ['octocat', 'Zoe\u0301 Café', '山田太郎', 'Rocket 🚀', 'Flag 🇩🇪', '']) {
			expect(fitTerminalWidths(text)).toBe(text);
		}
	});
});

describe('maskToken', () => {
	const tokens = [
		'gho_16C7e42F292c6912E7710c838347Ae178B4a',
		'ghp_abc',
		'ghu_x',
		'github_pat_11ABCDEFG_xyz',
		'plain-secret-token',
		'a',
		'gho_',
		'github_pat_',
	];

	it('keeps a GitHub prefix and hides the rest', () => {
		expect(maskToken('gho_16C7e42F292c6912E7710c838347Ae178B4a')).toBe(`gho_${MASK}`);
		expect(maskToken('ghp_abc')).toBe(`ghp_${MASK}`);
		expect(maskToken('github_pat_11ABCDEFG_xyz')).toBe(`github_pat_${MASK}`);
		expect(maskToken('plain-secret-token')).toBe(MASK);
	});

	it('never contains the whole token, however short', () => {
		for (const token of tokens) expect(maskToken(token)).not.toContain(token);
		expect(maskToken('gho_')).toBe(MASK);
	});

	it('masks the empty token to nothing', () => {
		expect(maskToken('')).toBe('');
	});
});

describe('parseDuration (--timeout)', () => {
	it.each([
		['300', 300_000],
		['1.5', 1500],
		['90s', 90_000],
		['5m', 300_000],
		['1m30s', 90_000],
		['1h', 3_600_000],
		['250ms', 250],
		[' 2m ', 120_000],
	])('%j is %d ms', (text, ms) => {
		expect(parseDuration(text)).toBe(ms);
	});

	it.each([['soon'], ['0'], ['-5'], ['5 m'], ['5x'], [''], ['0.0001'], ['0ms'], ['NaN'], ['1e3']])(
		'%j is not a duration',
		(text) => {
			expect(parseDuration(text)).toBeUndefined();
		},
	);
});

describe('sortByNumber', () => {
	// The order it must give: by key (NaN as +Infinity), equal keys by id in code-unit order.
	const reference = (items: {id: string; key: number}[]) =>
		[...items].sort((a, b) => {
			const x = Number.isNaN(a.key) ? Number.POSITIVE_INFINITY : a.key;
			const y = Number.isNaN(b.key) ? Number.POSITIVE_INFINITY : b.key;
			if (x !== y) return x < y ? -1 : 1;
			return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
		});

	it('orders by key, ties by id, NaN and Infinity last, and leaves its input alone', () => {
		const item = fc.record({
			id: fc.string({maxLength: 6}),
			// Few distinct keys, so that ties are common.
			key: fc.oneof(
				fc.integer({min: -3, max: 3}),
				fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -0),
				fc.double({noNaN: true}),
			),
		});
		fc.assert(
			fc.property(fc.array(item, {maxLength: 60}), (items) => {
				const before = [...items];
				const sorted = sortByNumber(items, (i) => i.key);
				expect(items).toEqual(before);
				// Items that tie on both (NaN and Infinity, 0 and -0, same id) may come in either order.
				const shown = (i: {id: string; key: number}) => [
					Number.isNaN(i.key) ? Number.POSITIVE_INFINITY : i.key === 0 ? 0 : i.key,
					i.id,
				];
				expect(sorted.map(shown)).toEqual(reference(items).map(shown));
			}),
		);
	});
});

describe('sortByNumber on times', () => {
	const byKeyThenId = (a: {id: string; key: number}, b: {id: string; key: number}) => {
		const x = Number.isNaN(a.key) ? Number.POSITIVE_INFINITY : a.key;
		const y = Number.isNaN(b.key) ? Number.POSITIVE_INFINITY : b.key;
		if (x !== y) return x < y ? -1 : 1;
		return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
	};

	it('orders many times in ms as a comparator does', () => {
		// Expiry times around now, some equal, some unset (NaN) or unreadable (+Infinity), and
		// now and then Go's zero time (an unset created_at).
		const key = fc.oneof(
			{weight: 8, arbitrary: fc.integer({min: NOW - 90 * DAY, max: NOW + 30 * DAY})},
			{weight: 3, arbitrary: fc.constantFrom(NOW, NOW + 1, NOW - 1)},
			{weight: 1, arbitrary: fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY)},
			{weight: 1, arbitrary: fc.constant(-62_135_596_800_000)},
		);
		fc.assert(
			fc.property(
				fc.array(fc.record({id: fc.string({maxLength: 4}), key}), {maxLength: 400}),
				(items) => {
					// NaN and +Infinity tie: either may come first.
					const shown = (i: {id: string; key: number}) => [
						Number.isNaN(i.key) ? Number.POSITIVE_INFINITY : i.key,
						i.id,
					];
					const sorted = sortByNumber(items, (i) => i.key);
					expect(sorted.map(shown)).toEqual([...items].sort(byKeyThenId).map(shown));
				},
			),
		);
	});
});

describe('shortenMiddle', () => {
	it('leaves short texts alone and cuts long ones in the middle, keeping both ends', () => {
		expect(shortenMiddle('abc', 3)).toBe('abc');
		expect(shortenMiddle('abcdef', 5)).toBe('ab…ef');
		expect(shortenMiddle('abcdefg', 4)).toBe('ab…g');
		expect(shortenMiddle('😀😀😀😀', 4)).toBe('😀😀😀😀');
		expect(shortenMiddle('😀😀😀😀😀', 4)).toBe('😀😀…😀');
	});

	it('never exceeds max characters, never splits a character, keeps head and tail', () => {
		fc.assert(
			fc.property(
				fc.string({unit: 'grapheme', maxLength: 60}),
				fc.integer({min: 1, max: 40}),
				(text, max) => {
					const out = shortenMiddle(text, max);
					const chars = Array.from(text);
					if (chars.length <= max) {
						expect(out).toBe(text);
						return;
					}

					const shown = Array.from(out);
					expect(shown).toHaveLength(max);
					const cut = shown.indexOf('…', Math.ceil((max - 1) / 2));
					expect(chars.slice(0, cut)).toEqual(shown.slice(0, cut));
					expect(chars.slice(chars.length - (max - 1 - cut))).toEqual(shown.slice(cut + 1));
					expect(out).not.toMatch(
						/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/,
					);
				},
			),
			{numRuns: 2000},
		);
	});
});

describe('groupDigits', () => {
	it('writes counts as toLocaleString("en-US") does', () => {
		expect(groupDigits(0)).toBe('0');
		expect(groupDigits(999)).toBe('999');
		expect(groupDigits(1000)).toBe('1,000');
		expect(groupDigits(100_000)).toBe('100,000');
		expect(groupDigits(1_234_567)).toBe('1,234,567');
		expect(groupDigits(-12_345)).toBe('-12,345');
		expect(plural(12_000, 'session')).toBe('12,000 sessions');
		expect(plural(1, 'session')).toBe('1 session');
		fc.assert(
			fc.property(fc.maxSafeInteger(), (n) => {
				expect(groupDigits(n)).toBe(n.toLocaleString('en-US'));
			}),
		);
		fc.assert(
			fc.property(fc.integer({min: -1_000_000, max: 1_000_000}), (n) => {
				expect(groupDigits(n)).toBe(n.toLocaleString('en-US'));
			}),
		);
	});
});
