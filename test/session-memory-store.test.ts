import {describe, expect, it} from 'vitest';
import {isListableStore, MemoryStateStore, MemoryStore} from '../source/session/index.js';
import {
	describeStateStoreConformance,
	describeStoreConformance,
	mockLocal,
} from '../source/sessiontest/index.js';

describeStoreConformance('MemoryStore', () => new MemoryStore(), {describe, it}, {listable: true});
describeStateStoreConformance('MemoryStateStore', () => new MemoryStateStore(), {describe, it});

describe('MemoryStore', () => {
	it('is a ListableStore that describes itself as memory', () => {
		const store = new MemoryStore();
		expect(isListableStore(store)).toBe(true);
		expect(store.describe()).toBe('memory');
	});

	it('uses the injected clock for expiry', async () => {
		let now = Date.parse('2030-01-01T00:00:00Z');
		const store = new MemoryStore({now: () => now});
		const session = mockLocal(new Date(now));
		await store.set(session);
		expect(await store.get('local-session')).toEqual(session);
		now = session.expiresAt.getTime() + 1;
		await expect(store.get('local-session')).rejects.toMatchObject({code: 'EXPIRED'});
		expect(await store.get('local-session')).toBeNull();
	});

	it('close empties the store', async () => {
		const store = new MemoryStore();
		await store.set(mockLocal());
		await store.close();
		expect(await store.list()).toEqual([]);
	});
});

describe('MemoryStateStore', () => {
	it('expires states by the injected clock and keeps no timer', async () => {
		let now = 1_000_000;
		const store = new MemoryStateStore({now: () => now});
		const state = await store.generate(1000);
		now += 1000;
		expect(await store.validate(state)).toBe(true);
		const late = await store.generate(1000);
		now += 1001;
		expect(await store.validate(late)).toBe(false);
	});
});
