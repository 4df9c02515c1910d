// The listing's record of the keys it has handed out: a key SCAN returns again must be dropped,
// and a key that merely shares a hash with one seen before must never be.
import {describe, expect, it} from 'vitest';
import {generateId} from '../source/session/index.js';
import {fnv1a, SeenKeys} from '../source/session/redis/seen-keys.js';

const prefix = 'stacktower:session:';
const keysOf = (count: number) => Array.from({length: count}, () => `${prefix}${generateId()}`);

describe('SeenKeys', () => {
	it('hands out each key once, however often and in whichever batch it comes back', () => {
		const seen = new SeenKeys({skip: prefix.length});
		const keys = keysOf(30_000);
		const handed: string[] = [];
		// Batches of 1,000 as SCAN returns them, then every key again in another order, and a
		// batch that repeats a key within itself.
		for (let i = 0; i < keys.length; i += 1000) handed.push(...seen.fresh(keys.slice(i, i + 1000)));
		expect(handed).toEqual(keys);
		const again = [...keys].reverse();
		for (let i = 0; i < again.length; i += 700)
			expect(seen.fresh(again.slice(i, i + 700))).toEqual([]);
		const [one, two] = keysOf(2) as [string, string];
		expect(seen.fresh([one, two, one, keys[5] as string, two])).toEqual([one, two]);
	});

	it('tells apart keys whose hashes all collide, so none is dropped by mistake', () => {
		// Every key hashes alike: each question is answered by comparing the keys themselves.
		const seen = new SeenKeys({skip: prefix.length, hash: () => 42});
		const keys = keysOf(600);
		expect(seen.fresh(keys.slice(0, 300))).toEqual(keys.slice(0, 300));
		expect(seen.fresh(keys.slice(150, 600))).toEqual(keys.slice(300, 600));
		expect(seen.fresh(keys)).toEqual([]);
	});

	it('never takes a key for one seen before because it is part of a longer key', () => {
		const seen = new SeenKeys({hash: () => 7});
		expect(seen.fresh(['a:b', 'a:bb', 'xa:b'])).toEqual(['a:b', 'a:bb', 'xa:b']);
		expect(seen.fresh(['a:', 'b', 'a:b'])).toEqual(['a:', 'b']);
	});

	it('keeps keys with a newline, which Redis allows, apart from the others', () => {
		const seen = new SeenKeys({hash: () => 1});
		// Were "a\nb" joined with the others, a search for "b" could match inside it.
		expect(seen.fresh(['a\nb', 'x'])).toEqual(['a\nb', 'x']);
		expect(seen.fresh(['b', 'a', 'a\nb', 'x', '\n'])).toEqual(['b', 'a', '\n']);
	});

	it('hashes from the first character after the shared prefix', () => {
		const seed = 0x811c9dc5;
		expect(fnv1a('p:abc', 2, seed)).toBe(fnv1a('q:abc', 2, seed));
		expect(fnv1a('p:abc', 2, seed)).not.toBe(fnv1a('p:abd', 2, seed));
		expect(fnv1a('p:abc', 2, seed)).not.toBe(fnv1a('p:abc', 2, seed + 1));
	});
});
