import {describe, expect, it} from 'vitest';
import {
	assertValidId,
	generateId,
	generateState,
	InvalidIdError,
	isValidId,
} from '../source/session/index.js';
import {BAD_IDS, GOOD_IDS} from '../source/sessiontest/index.js';

describe('generateId and generateState', () => {
	for (const [name, generate] of [
		['generateId', generateId],
		['generateState', generateState],
	] as const) {
		it(`${name} gives 32 random bytes as unpadded base64url`, () => {
			const seen = new Set<string>();
			for (let i = 0; i < 1000; i++) {
				const value = generate();
				expect(value).toMatch(/^[A-Za-z0-9_-]{43}$/);
				expect(Buffer.from(value, 'base64url')).toHaveLength(32);
				expect(isValidId(value)).toBe(true);
				seen.add(value);
			}

			expect(seen.size).toBe(1000);
		});
	}
});

describe('session ids', () => {
	it("accepts Go's padded base64url ids, github, local-session and 128 characters", () => {
		expect(GOOD_IDS.find((id) => id.endsWith('='))).toHaveLength(44);
		for (const id of GOOD_IDS) {
			expect(isValidId(id)).toBe(true);
			expect(() => assertValidId(id)).not.toThrow();
		}

		expect(isValidId('a.')).toBe(true);
		expect(isValidId('A-Z_a-z.0-9=')).toBe(true);
	});

	it('refuses empty, dotted, path-like, control, non-ASCII, over-long and non-string ids', () => {
		for (const id of [...BAD_IDS, '.', '..', '.json', 'a\nb', 'a:b', 'C:\\x', 'a%2Fb', '\u202e']) {
			expect(isValidId(id)).toBe(false);
			expect(() => assertValidId(id)).toThrow(InvalidIdError);
		}
	});

	it('says what an id may be, and never writes control characters raw', () => {
		let error: unknown;
		try {
			assertValidId('\u001b[31mred\u0000');
		} catch (caught) {
			error = caught;
		}

		expect(error).toBeInstanceOf(InvalidIdError);
		const {message, code} = error as InvalidIdError;
		expect(code).toBe('INVALID_ID');
		expect(message).toContain('1–128 characters from A–Z a–z 0–9 _ - = .');
		expect([...message].some((c) => c.charCodeAt(0) < 0x20)).toBe(false);
		expect(message).toContain('\\u001b');
	});

	it('shortens a long id in the message and names the type of a non-string', () => {
		expect(() => assertValidId('y'.repeat(5000))).toThrow(/^invalid session id "y{40}"…/);
		expect(() => assertValidId(42)).toThrow('Expected the session id to be a string, got number');
		expect(() => assertValidId(undefined)).toThrow('got undefined');
	});
});
