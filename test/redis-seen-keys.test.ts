import {expect, test} from 'vitest';
import {SeenKeys} from '../source/session/redis/seen-keys.js';

test('each key is new once, however many keys and whatever their characters', () => {
	const seen = new SeenKeys();
	const keys = [
		...Array.from({length: 50_000}, (_, i) => `stacktower:session:${i.toString(36)}`),
		'',
		'stacktower:session:é',
		'stacktower:session:e\u0301',
		'stacktower:session:😀',
		'stacktower:session:\u0000',
	];
	expect(keys.map((key) => seen.add(key)).every(Boolean)).toBe(true);
	expect(keys.map((key) => seen.add(key)).some(Boolean)).toBe(false);
	expect(seen.size).toBe(keys.length);
	expect(seen.add('stacktower:session:-')).toBe(true);
});
