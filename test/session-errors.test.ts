import {describe, expect, it} from 'vitest';
import {
	CorruptError,
	ExpiredError,
	InvalidIdError,
	InvalidStateError,
	NotFoundError,
	SessionError,
	StoreUnavailableError,
	UnsafeDirectoryError,
} from '../source/session/index.js';

describe('errors', () => {
	const cases = [
		[new NotFoundError('abc'), NotFoundError, 'NOT_FOUND', 'session "abc" not found'],
		[new ExpiredError('abc'), ExpiredError, 'EXPIRED', 'session "abc" has expired'],
		[new InvalidStateError(), InvalidStateError, 'INVALID_STATE', 'invalid or expired state token'],
		[new InvalidIdError('bad id'), InvalidIdError, 'INVALID_ID', 'bad id'],
		[
			new CorruptError('/d/x.json', 'not valid JSON'),
			CorruptError,
			'CORRUPT',
			'/d/x.json is not a valid session: not valid JSON',
		],
		[new UnsafeDirectoryError('unsafe'), UnsafeDirectoryError, 'UNSAFE_DIRECTORY', 'unsafe'],
		[new StoreUnavailableError('down'), StoreUnavailableError, 'STORE_UNAVAILABLE', 'down'],
	] as const;

	for (const [error, type, code, message] of cases) {
		it(`${type.name} is told apart by instanceof, code and name`, () => {
			expect(error).toBeInstanceOf(Error);
			expect(error).toBeInstanceOf(SessionError);
			expect(error).toBeInstanceOf(type);
			expect(error.code).toBe(code);
			expect(error.name).toBe(type.name);
			expect(error.message).toBe(message);
			for (const [other, otherType] of cases) {
				if (other !== error) expect(error instanceof otherType).toBe(false);
			}
		});
	}

	it('every code is distinct', () => {
		expect(new Set(cases.map(([, , code]) => code)).size).toBe(cases.length);
	});

	it('CorruptError keeps its reason apart for display', () => {
		expect(new CorruptError('x', 'the file is empty').reason).toBe('the file is empty');
	});

	it('escapes control characters in ids it names', () => {
		expect(new ExpiredError('a\u001bb').message).toBe('session "a\\u001bb" has expired');
	});

	it('keeps the cause', () => {
		const cause = new Error('ECONNREFUSED');
		expect(new StoreUnavailableError('down', {cause}).cause).toBe(cause);
	});
});
