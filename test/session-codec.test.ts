import {readdirSync, readFileSync} from 'node:fs';
import {fileURLToPath} from 'node:url';
import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {toWire} from '../source/session/codec.js';
import {
	CorruptError,
	decodeSession,
	encodeSession,
	formatRfc3339,
	isExpired,
	parseRfc3339,
	type Session,
} from '../source/session/index.js';

const fixtures = fileURLToPath(new URL('fixtures/go-written/', import.meta.url));
const fixture = (name: string) => readFileSync(`${fixtures}${name}`, 'utf8');
// When the fixtures were written; every status below is as of this instant.
const NOW = Date.parse('2026-11-26T17:00:00Z');

/** What decoding `text` throws, which must be a CorruptError. */
function corruptErrorOf(text: string, location: string): CorruptError {
	let caught: unknown;
	try {
		decodeSession(text, location);
	} catch (error) {
		caught = error;
	}

	expect(caught).toBeInstanceOf(CorruptError);
	return caught as CorruptError;
}

describe('Go-written fixtures', () => {
	const expected: Record<string, {session: Omit<Session, 'id'>; expired: boolean}> = {
		'active-berlin': {
			expired: false,
			session: {
				accessToken: 'gho_active-berlinTOKEN0123456789abcdef',
				user: {
					id: 9919,
					login: 'hubot',
					name: 'Name of hubot',
					avatarUrl: 'https://avatars.githubusercontent.com/u/9919',
					email: 'hubot@example.com',
				},
				// 10:00:00.987654321+02:00: the offset applied, nanoseconds truncated to ms.
				expiresAt: new Date('2098-06-01T08:00:00.987Z'),
				createdAt: new Date('2026-06-01T08:00:00.000Z'),
			},
		},
		'expired-2020': {
			expired: true,
			session: {
				accessToken: 'gho_expired-2020TOKEN0123456789abcdef',
				user: {
					id: 1,
					login: 'monalisa',
					name: 'Name of monalisa',
					avatarUrl: 'https://avatars.githubusercontent.com/u/1',
					email: 'monalisa@example.com',
				},
				expiresAt: new Date('2020-01-02T00:00:00.000Z'),
				createdAt: new Date('2020-01-01T00:00:00.000Z'),
			},
		},
		'expired-india': {
			expired: true,
			session: {
				accessToken: 'gho_expired-indiaTOKEN0123456789abcdef',
				user: {
					id: 2,
					login: 'mojombo',
					name: 'Name of mojombo',
					avatarUrl: 'https://avatars.githubusercontent.com/u/2',
					email: 'mojombo@example.com',
				},
				expiresAt: new Date('2024-03-02T04:00:00.000Z'),
				// .000000001+05:30: one nanosecond, which does not reach a millisecond.
				createdAt: new Date('2024-03-01T04:00:00.000Z'),
			},
		},
		github: {
			expired: false,
			session: {
				accessToken: 'gho_githubTOKEN0123456789abcdef',
				user: {
					id: 583231,
					login: 'octocat',
					name: 'Name of octocat',
					avatarUrl: 'https://avatars.githubusercontent.com/u/583231',
					email: 'octocat@example.com',
				},
				expiresAt: new Date('2099-01-01T00:00:00.500Z'),
				createdAt: new Date('2026-01-02T03:04:05.123Z'),
			},
		},
		'local-session': {
			expired: false,
			session: {
				accessToken: 'gho_local-sessionTOKEN0123456789abcdef',
				user: {
					id: 0,
					login: 'local',
					name: 'Name of local',
					avatarUrl: 'https://avatars.githubusercontent.com/u/0',
					email: 'local@example.com',
				},
				expiresAt: new Date('2099-12-31T23:59:59.999Z'),
				createdAt: new Date('2026-11-26T16:00:00.000Z'),
			},
		},
		'no-user-session': {
			expired: false,
			session: {
				accessToken: '',
				user: null,
				expiresAt: new Date('2099-01-01T00:00:00.000Z'),
				createdAt: new Date('2026-01-01T00:00:00.000Z'),
			},
		},
	};

	it('covers every fixture file', () => {
		const names = readdirSync(fixtures)
			.filter((name) => name.endsWith('.json'))
			.map((name) => name.slice(0, -5))
			.sort();
		expect(names).toEqual(Object.keys(expected).sort());
	});

	for (const [id, {session, expired}] of Object.entries(expected)) {
		it(`${id}.json reads with every field and the right status`, () => {
			const decoded = decodeSession(fixture(`${id}.json`), `${id}.json`);
			expect(decoded).toEqual({id, ...session});
			expect(decoded.expiresAt.toISOString()).toBe(session.expiresAt.toISOString());
			expect(decoded.createdAt.toISOString()).toBe(session.createdAt.toISOString());
			expect(isExpired(decoded, NOW)).toBe(expired);
		});

		it(`${id}.json survives decode → encode → decode, in Go's field order`, () => {
			const text = fixture(`${id}.json`);
			const once = decodeSession(text);
			const encoded = encodeSession(once);
			expect(decodeSession(encoded)).toEqual(once);
			const keys = (value: unknown): unknown =>
				value && typeof value === 'object'
					? Object.entries(value).map(([key, inner]) => [key, keys(inner)])
					: null;
			expect(keys(JSON.parse(encoded))).toEqual(keys(JSON.parse(text)));
		});
	}

	it('re-encodes files with UTC millisecond times byte for byte as Go wrote them', () => {
		for (const name of ['expired-2020.json', 'no-user-session.json']) {
			const text = fixture(name);
			expect(encodeSession(decodeSession(text))).toBe(text);
		}
	});
});

describe('encodeSession', () => {
	it('writes exactly what Go\'s json.MarshalIndent(s, "", "  ") writes, HTML characters escaped', () => {
		const session: Session = {
			id: 'abc=',
			accessToken: 'gho_<&>',
			user: {
				id: 42,
				login: 'mona',
				name: 'Mona <Lisa> & “Co” \u2028\u2029 é 🐙 "q" \\ \n\t\u0001',
				avatarUrl: 'https://example.com/a?b=1&c=2',
				email: '',
			},
			expiresAt: new Date('2030-01-02T03:04:05.120Z'),
			createdAt: new Date('2030-01-01T00:00:00.000Z'),
		};
		expect(encodeSession(session)).toBe(
			[
				'{',
				'  "id": "abc=",',
				'  "access_token": "gho_\\u003c\\u0026\\u003e",',
				'  "user": {',
				'    "id": 42,',
				'    "login": "mona",',
				'    "name": "Mona \\u003cLisa\\u003e \\u0026 “Co” \\u2028\\u2029 é 🐙 \\"q\\" \\\\ \\n\\t\\u0001",',
				'    "avatar_url": "https://example.com/a?b=1\\u0026c=2",',
				'    "email": ""',
				'  },',
				'  "expires_at": "2030-01-02T03:04:05.12Z",',
				'  "created_at": "2030-01-01T00:00:00Z"',
				'}',
			].join('\n'),
		);
	});

	it('writes a missing user as null', () => {
		const text = encodeSession({
			id: 'x',
			accessToken: '',
			user: null,
			expiresAt: new Date(0),
			createdAt: new Date(0),
		});
		expect(text).toContain('\n  "user": null,\n');
		expect(text).toContain('"expires_at": "1970-01-01T00:00:00Z"');
	});

	it('refuses years Go cannot write, instead of a file nobody can read', () => {
		const base = {id: 'x', accessToken: '', user: null, createdAt: new Date(0)};
		expect(() => encodeSession({...base, expiresAt: new Date('+010000-01-01T00:00:00Z')})).toThrow(
			RangeError,
		);
		expect(() => encodeSession({...base, expiresAt: new Date(Number.NaN)})).toThrow(RangeError);
		expect(encodeSession({...base, expiresAt: new Date('0001-01-01T00:00:00Z')})).toContain(
			'"expires_at": "0001-01-01T00:00:00Z"',
		);
	});
});

describe('parseRfc3339 and formatRfc3339', () => {
	const valid: Array<[string, string]> = [
		['2026-01-02T03:04:05Z', '2026-01-02T03:04:05.000Z'],
		['2026-01-02T03:04:05.1Z', '2026-01-02T03:04:05.100Z'],
		['2026-01-02T03:04:05.123456789Z', '2026-01-02T03:04:05.123Z'],
		['2026-01-02T03:04:05.9999999999Z', '2026-01-02T03:04:05.999Z'],
		['2026-01-02T03:04:05+02:00', '2026-01-02T01:04:05.000Z'],
		['2026-01-02T03:04:05-07:30', '2026-01-02T10:34:05.000Z'],
		['2026-01-01T00:30:00+01:00', '2025-12-31T23:30:00.000Z'],
		['2026-01-02T03:04:05+23:59', '2026-01-01T03:05:05.000Z'],
		['2024-02-29T00:00:00Z', '2024-02-29T00:00:00.000Z'],
		['2000-02-29T00:00:00Z', '2000-02-29T00:00:00.000Z'],
		['0001-01-01T00:00:00Z', '0001-01-01T00:00:00.000Z'],
		['0099-06-01T00:00:00Z', '0099-06-01T00:00:00.000Z'],
		['9999-12-31T23:59:59.999Z', '9999-12-31T23:59:59.999Z'],
		['2026-01-02t03:04:05z', '2026-01-02T03:04:05.000Z'],
	];
	for (const [text, iso] of valid) {
		it(`reads ${text}`, () => {
			expect(parseRfc3339(text)?.toISOString()).toBe(iso);
		});
	}

	const invalid = [
		'',
		'2026-02-30T00:00:00Z',
		'2025-02-29T00:00:00Z',
		'1900-02-29T00:00:00Z',
		'2026-04-31T00:00:00Z',
		'2026-13-01T00:00:00Z',
		'2026-00-01T00:00:00Z',
		'2026-01-00T00:00:00Z',
		'2026-01-01T25:00:00Z',
		'2026-01-01T24:00:00Z',
		'2026-01-01T00:60:00Z',
		'2026-01-01T00:00:60Z',
		'2026-01-01T00:00:00+24:00',
		'2026-01-01T00:00:00+01:60',
		'2026-01-01T00:00:00',
		'2026-01-01 00:00:00Z',
		'2026-1-01T00:00:00Z',
		'2026-01-01T00:00:00.Z',
		'2026-01-01T00:00:00,5Z',
		'2026-01-01T00:00:00+0100',
		'+02026-01-01T00:00:00Z',
		'2026-01-01T00:00:00Z ',
		'x2026-01-01T00:00:00Z',
	];
	for (const text of invalid) {
		it(`refuses ${JSON.stringify(text)}`, () => {
			expect(parseRfc3339(text)).toBeUndefined();
		});
	}

	it('formats UTC with fractional seconds only when non-zero, trailing zeros cut', () => {
		expect(formatRfc3339(new Date('2026-01-02T03:04:05.000Z'))).toBe('2026-01-02T03:04:05Z');
		expect(formatRfc3339(new Date('2026-01-02T03:04:05.500Z'))).toBe('2026-01-02T03:04:05.5Z');
		expect(formatRfc3339(new Date('2026-01-02T03:04:05.010Z'))).toBe('2026-01-02T03:04:05.01Z');
		expect(formatRfc3339(new Date('2026-01-02T03:04:05.123Z'))).toBe('2026-01-02T03:04:05.123Z');
	});
});

describe('decodeSession on things that are not sessions', () => {
	const TOKEN = 'gho_TOPSECRET0123456789';
	const good = {
		id: 'ok',
		access_token: TOKEN,
		user: {id: 1, login: 'l', name: 'n', avatar_url: 'a', email: 'e'},
		expires_at: '2099-01-01T00:00:00Z',
		created_at: '2026-01-01T00:00:00Z',
	};
	const withField = (patch: Record<string, unknown>) => JSON.stringify({...good, ...patch});
	const withUser = (patch: Record<string, unknown>) =>
		JSON.stringify({...good, user: {...good.user, ...patch}});
	const without = (key: string) => {
		const copy: Record<string, unknown> = {...good};
		delete copy[key];
		return JSON.stringify(copy);
	};

	const cases: Array<[string, string, string]> = [
		['not JSON', TOKEN, 'not valid JSON'],
		['a token after a brace', `{${TOKEN}`, 'not valid JSON'],
		['an empty file', '', 'the file is empty'],
		['only whitespace', ' \n\t', 'the file is empty'],
		['a JSON array', `["${TOKEN}"]`, 'not a JSON object'],
		['a JSON number', '42', 'not a JSON object'],
		['a JSON string', JSON.stringify(TOKEN), 'not a JSON object'],
		['JSON null', 'null', 'not a JSON object'],
		['JSON true', 'true', 'not a JSON object'],
		['a missing id', without('id'), 'id is missing'],
		['a null id', withField({id: null}), 'id is missing'],
		['a numeric id', withField({id: 7}), 'id is not a string'],
		['an id that is a path', withField({id: '../x'}), 'id is not a valid session id'],
		['an empty id', withField({id: ''}), 'id is not a valid session id'],
		['a numeric access_token', withField({access_token: 1}), 'access_token is not a string'],
		[
			'an object access_token',
			withField({access_token: {t: TOKEN}}),
			'access_token is not a string',
		],
		['a string user', withField({user: TOKEN}), 'user is not an object or null'],
		['an array user', withField({user: [TOKEN]}), 'user is not an object or null'],
		['a string user.id', withUser({id: '1'}), 'user.id is not an integer'],
		['a fractional user.id', withUser({id: 1.5}), 'user.id is not an integer'],
		['an unsafe user.id', withUser({id: 2 ** 60}), 'user.id is not an integer'],
		['a numeric user.login', withUser({login: 1}), 'user.login is not a string'],
		['an object user.name', withUser({name: {n: TOKEN}}), 'user.name is not a string'],
		[
			'an array user.avatar_url',
			withUser({avatar_url: [TOKEN]}),
			'user.avatar_url is not a string',
		],
		['a boolean user.email', withUser({email: true}), 'user.email is not a string'],
		['a missing expires_at', without('expires_at'), 'expires_at is missing'],
		['a null expires_at', withField({expires_at: null}), 'expires_at is missing'],
		['a numeric expires_at', withField({expires_at: 4_000_000_000}), 'expires_at is not a string'],
		['an empty expires_at', withField({expires_at: ''}), 'expires_at is not an RFC 3339 time'],
		['a token as expires_at', withField({expires_at: TOKEN}), 'expires_at is not an RFC 3339 time'],
		[
			'February 30',
			withField({expires_at: '2026-02-30T00:00:00Z'}),
			'expires_at is not an RFC 3339 time',
		],
		[
			'hour 25',
			withField({expires_at: '2026-01-01T25:00:00Z'}),
			'expires_at is not an RFC 3339 time',
		],
		[
			'month 13',
			withField({expires_at: '2026-13-01T00:00:00Z'}),
			'expires_at is not an RFC 3339 time',
		],
		[
			'offset +24:00',
			withField({expires_at: '2026-01-01T00:00:00+24:00'}),
			'expires_at is not an RFC 3339 time',
		],
		['a numeric created_at', withField({created_at: 0}), 'created_at is not a string'],
		[
			'an impossible created_at',
			withField({created_at: '2026-02-30T00:00:00Z'}),
			'created_at is not an RFC 3339 time',
		],
	];

	for (const [what, input, reason] of cases) {
		it(`${what} is a CorruptError that does not quote the input`, () => {
			const error = corruptErrorOf(input, '/dir/x.json');
			expect(error.code).toBe('CORRUPT');
			expect(error.reason).toBe(reason);
			expect(error.message).toBe(`/dir/x.json is not a valid session: ${reason}`);
			expect(error.message).not.toContain(TOKEN);
			expect(error.message).not.toContain('TOPSECRET');
		});
	}

	it('every truncation of a Go-written file is a CorruptError', () => {
		const text = fixture('active-berlin.json');
		for (let end = 0; end < text.length; end++) {
			expect(() => decodeSession(text.slice(0, end))).toThrow(CorruptError);
		}
	});

	it('reads missing optional fields and ignores unknown ones, as Go does', () => {
		const session = decodeSession(
			JSON.stringify({id: 'x', expires_at: '2099-01-01T00:00:00Z', user: {login: 'a'}, extra: [1]}),
		);
		expect(session).toEqual({
			id: 'x',
			accessToken: '',
			user: {id: 0, login: 'a', name: '', avatarUrl: '', email: ''},
			expiresAt: new Date('2099-01-01T00:00:00Z'),
			// Go's zero time for an absent created_at.
			createdAt: new Date('0001-01-01T00:00:00Z'),
		});
	});
});

describe('codec properties (fast-check)', () => {
	const MIN_MS = Date.parse('0000-01-01T00:00:00.000Z');
	const MAX_MS = Date.parse('9999-12-31T23:59:59.999Z');
	const date = fc.integer({min: MIN_MS, max: MAX_MS}).map((ms) => new Date(ms));
	const text = fc.string({unit: 'binary', maxLength: 40});
	const user = fc.record({
		id: fc.integer({min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER}),
		login: text,
		name: text,
		avatarUrl: text,
		email: text,
	});
	const session: fc.Arbitrary<Session> = fc.record({
		id: fc.stringMatching(/^[A-Za-z0-9_\-=][A-Za-z0-9_\-=.]{0,127}$/),
		accessToken: text,
		user: fc.option(user, {nil: null}),
		expiresAt: date,
		createdAt: date,
	});

	it('encode then decode is the identity for every valid session', () => {
		fc.assert(
			fc.property(session, (s) => {
				const encoded = encodeSession(s);
				expect(decodeSession(encoded)).toEqual(s);
				expect(encoded).not.toMatch(/[<>&\u2028\u2029]/);
				expect(Object.keys(JSON.parse(encoded))).toEqual([
					'id',
					'access_token',
					'user',
					'expires_at',
					'created_at',
				]);
			}),
			{numRuns: 500},
		);
	});

	it('reads any time written with any offset and 0–12 fractional digits', () => {
		const written = fc.record({
			ms: fc.integer({min: MIN_MS + 86_400_000, max: MAX_MS - 86_400_000}),
			offset: fc.integer({min: -(23 * 60 + 59), max: 23 * 60 + 59}),
			extra: fc.stringMatching(/^\d{0,9}$/),
			fraction: fc.boolean(),
		});
		fc.assert(
			fc.property(written, ({ms, offset, extra, fraction}) => {
				const wallClock = new Date(ms + offset * 60_000).toISOString(); // 2026-01-02T03:04:05.678Z
				const abs = Math.abs(offset);
				const zone =
					offset === 0 && !fraction
						? 'Z'
						: `${offset < 0 ? '-' : '+'}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
				const digits = fraction ? `.${wallClock.slice(20, 23)}${extra}` : '';
				const text = `${wallClock.slice(0, 19)}${digits}${zone}`;
				const expected = fraction ? ms : ms - (ms % 1000 >= 0 ? ms % 1000 : 1000 + (ms % 1000));
				expect(parseRfc3339(text)?.getTime()).toBe(expected);
			}),
			{numRuns: 2000},
		);
	});

	it('decoding anything yields a session or a CorruptError that never quotes the token', () => {
		const TOKEN = 'gho_PROPERTYSECRET42';
		const anyJson = fc.jsonValue().map((value) => JSON.stringify(value));
		const sessionLike = fc
			.record(
				{
					id: fc.oneof(fc.constant('ok'), fc.jsonValue()),
					access_token: fc.constant(TOKEN),
					user: fc.oneof(fc.constant(null), fc.jsonValue()),
					expires_at: fc.oneof(fc.constant('2099-01-01T00:00:00Z'), fc.jsonValue(), fc.string()),
					created_at: fc.oneof(fc.constant('2026-01-01T00:00:00Z'), fc.jsonValue()),
				},
				{requiredKeys: ['access_token']},
			)
			.map((value) => JSON.stringify(value));
		const mutated = fc
			.tuple(session, fc.nat(), fc.string({maxLength: 3}))
			.map(([s, at, insert]) => {
				const encoded = encodeSession({...s, accessToken: TOKEN});
				const i = at % (encoded.length + 1);
				return encoded.slice(0, i) + insert + encoded.slice(i + 1);
			});
		const withToken = fc
			.tuple(fc.oneof(fc.string({unit: 'binary'}), anyJson), fc.nat())
			.map(([s, at]) => {
				const i = at % (s.length + 1);
				return s.slice(0, i) + TOKEN + s.slice(i);
			});
		fc.assert(
			fc.property(fc.oneof(withToken, sessionLike, mutated), (input) => {
				try {
					const decoded = decodeSession(input);
					expect(typeof decoded.id).toBe('string');
					expect(decoded.expiresAt).toBeInstanceOf(Date);
				} catch (error) {
					expect(error).toBeInstanceOf(CorruptError);
					expect((error as Error).message).not.toContain(TOKEN);
				}
			}),
			{numRuns: 2000},
		);
	});
});

describe("the extra fields beside Go's", () => {
	const base: Session = {
		id: 'github',
		accessToken: 'ghu_ACCESS0123456789',
		user: {id: 1, login: 'mona', name: 'Mona', avatarUrl: '', email: ''},
		expiresAt: new Date('2030-01-31T00:00:00.000Z'),
		createdAt: new Date('2030-01-01T00:00:00.000Z'),
	};
	const full: Session = {
		...base,
		tokenExpiresAt: new Date('2030-01-01T08:00:00.250Z'),
		refreshToken: 'ghr_REFRESH0123456789',
		refreshTokenExpiresAt: new Date('2030-07-01T00:00:00.000Z'),
		clientId: 'Iv23liRkeVtW225qGBef',
		githubHost: 'https://github.com',
	};

	it("are written after Go's fields, RFC 3339 like them, and read back", () => {
		const encoded = encodeSession(full);
		expect(encoded).toBe(
			[
				'{',
				'  "id": "github",',
				'  "access_token": "ghu_ACCESS0123456789",',
				'  "user": {',
				'    "id": 1,',
				'    "login": "mona",',
				'    "name": "Mona",',
				'    "avatar_url": "",',
				'    "email": ""',
				'  },',
				'  "expires_at": "2030-01-31T00:00:00Z",',
				'  "created_at": "2030-01-01T00:00:00Z",',
				'  "token_expires_at": "2030-01-01T08:00:00.25Z",',
				'  "refresh_token": "ghr_REFRESH0123456789",',
				'  "refresh_token_expires_at": "2030-07-01T00:00:00Z",',
				'  "client_id": "Iv23liRkeVtW225qGBef",',
				'  "github_host": "https://github.com"',
				'}',
			].join('\n'),
		);
		expect(decodeSession(encoded)).toEqual(full);
	});

	it('are omitted when absent, and a session without them decodes without the keys', () => {
		const encoded = encodeSession(base);
		expect(Object.keys(JSON.parse(encoded))).toEqual([
			'id',
			'access_token',
			'user',
			'expires_at',
			'created_at',
		]);
		expect(Object.keys(decodeSession(encoded))).toEqual([
			'id',
			'accessToken',
			'user',
			'expiresAt',
			'createdAt',
		]);
	});

	it('leave the Go fields of a Go-written file as they were', () => {
		const go = fixture('github.json');
		const withExtras = go.replace(
			/\n}$/,
			',\n  "refresh_token": "ghr_x",\n  "token_expires_at": "2099-01-01T08:00:00+02:00",\n  "github_host": "https://github.com"\n}',
		);
		const plain = decodeSession(go);
		expect(decodeSession(withExtras)).toEqual({
			...plain,
			refreshToken: 'ghr_x',
			tokenExpiresAt: new Date('2099-01-01T06:00:00Z'),
			githubHost: 'https://github.com',
		});
		// null is read as absent, as Go reads a null into a string or time field.
		expect(decodeSession(go.replace(/\n}$/, ',\n  "client_id": null\n}'))).toEqual(plain);
	});

	it.each([
		['"token_expires_at": 5', 'token_expires_at is not a string'],
		['"token_expires_at": "tomorrow"', 'token_expires_at is not an RFC 3339 time'],
		['"refresh_token": 7', 'refresh_token is not a string'],
		[
			'"refresh_token_expires_at": "2030-02-30T00:00:00Z"',
			'refresh_token_expires_at is not an RFC 3339 time',
		],
		['"client_id": {}', 'client_id is not a string'],
		['"github_host": []', 'github_host is not a string'],
	])('%s is a CorruptError naming the field, never quoting the token', (field, reason) => {
		const text = fixture('github.json').replace(/\n}$/, `,\n  ${field}\n}`);
		const error = corruptErrorOf(text, 'x.json');
		expect(error.message).toContain(reason);
		expect(error.message).not.toContain('TOKEN');
	});

	it('round-trip with any subset present (fast-check)', () => {
		const date = fc
			.integer({min: Date.parse('2000-01-01T00:00:00Z'), max: Date.parse('2100-01-01T00:00:00Z')})
			.map((ms) => new Date(ms));
		const text = fc.string({unit: 'binary', maxLength: 30});
		const extras = fc.record(
			{
				tokenExpiresAt: date,
				refreshToken: text,
				refreshTokenExpiresAt: date,
				clientId: text,
				githubHost: text,
			},
			{requiredKeys: []},
		);
		fc.assert(
			fc.property(extras, (extra) => {
				const session: Session = {...base, ...extra};
				const encoded = encodeSession(session);
				expect(decodeSession(encoded)).toEqual(session);
				expect(encoded).not.toMatch(/[<>&\u2028\u2029]/);
				// The fast path writes what the general one (JSON.stringify of toWire) writes.
				expect(JSON.parse(encoded)).toEqual(JSON.parse(JSON.stringify(toWire(session))));
			}),
			{numRuns: 300},
		);
	});
});
