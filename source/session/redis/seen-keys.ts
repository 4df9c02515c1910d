// The keys a listing has already handed out, so that a key SCAN returns again is handled once.
//
// A `Set` of a million key strings was the largest cost `list --json` had over a plain SCAN
// (BENCHMARKS.md): every key outlives the young generation, and each insertion misses the cache
// in V8's ordered hash table. Here a key leaves only its 32-bit hash and its batch's number in a
// flat table; each batch's keys are kept as one joined string. A hash that matches is checked
// against the keys of the batch it came from, so the answer is exact, never a guess.

/**
 * FNV-1a over the UTF-16 code units from `start`: cheap, and spread well over base64 ids. Each
 * listing starts it from its own random `seed`, so keys written to collide (which would make
 * every lookup compare strings) collide only by chance.
 */
export function fnv1a(text: string, start: number, seed: number): number {
	let hash = seed | 0;
	for (let i = start; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 16777619);
	return hash;
}

// Separates the keys of a joined batch. A key may hold one (Redis keys are binary): such keys
// are kept apart in a Set, so a search in a joined batch never matches across two keys.
const SEPARATOR = '\n';
const INITIAL_SLOTS = 1 << 12;

export class SeenKeys {
	// Pairs of (hash, batch number + 1); a hash of 0 is stored as 1, so 0 marks an empty slot.
	#slots = new Int32Array(INITIAL_SLOTS * 2);
	#mask = INITIAL_SLOTS - 1;
	#count = 0;
	// Each finished batch's new keys, joined and framed by separators.
	readonly #batches: string[] = [];
	readonly #odd = new Set<string>();
	#current: string[] = [];
	readonly #skip: number;
	readonly #hash: typeof fnv1a;
	readonly #seed = (Math.random() * 0x1_0000_0000) | 0;

	/**
	 * `skip`: how many leading characters every key shares (the prefix), left out of the hash.
	 * `hash`: replaceable so tests can make every key collide.
	 */
	constructor({skip = 0, hash = fnv1a}: {skip?: number; hash?: typeof fnv1a} = {}) {
		this.#skip = skip;
		this.#hash = hash;
	}

	/** The keys of `batch` not seen before (in this batch or an earlier one), in order. */
	fresh(batch: readonly string[]): string[] {
		const number = this.#batches.length + 1;
		const fresh: string[] = [];
		this.#current = fresh;
		const plain: string[] = [];
		for (const key of batch) {
			if (key.includes(SEPARATOR)) {
				if (this.#odd.has(key)) continue;
				this.#odd.add(key);
			} else {
				if (!this.#add(key, number)) continue;
				plain.push(key);
			}

			fresh.push(key);
		}

		this.#batches.push(`${SEPARATOR}${plain.join(SEPARATOR)}${SEPARATOR}`);
		return fresh;
	}

	#add(key: string, number: number): boolean {
		const hash = this.#hash(key, this.#skip, this.#seed) || 1;
		const slots = this.#slots;
		const mask = this.#mask;
		let i = (hash ^ (hash >>> 15)) & mask;
		for (; slots[2 * i] !== 0; i = (i + 1) & mask) {
			if (slots[2 * i] === hash && this.#holds(slots[2 * i + 1] as number, key, number)) {
				return false;
			}
		}

		slots[2 * i] = hash;
		slots[2 * i + 1] = number;
		// Kept at most half full, so a probe ends after a slot or two.
		if (++this.#count * 2 > mask) this.#grow();
		return true;
	}

	#holds(batch: number, key: string, current: number): boolean {
		if (batch === current) return this.#current.includes(key);
		return (this.#batches[batch - 1] as string).includes(`${SEPARATOR}${key}${SEPARATOR}`);
	}

	#grow(): void {
		const old = this.#slots;
		const mask = this.#mask * 2 + 1;
		const slots = new Int32Array((mask + 1) * 2);
		for (let j = 0; j < old.length; j += 2) {
			const hash = old[j] as number;
			if (hash === 0) continue;
			let i = (hash ^ (hash >>> 15)) & mask;
			while (slots[2 * i] !== 0) i = (i + 1) & mask;
			slots[2 * i] = hash;
			slots[2 * i + 1] = old[j + 1] as number;
		}

		this.#slots = slots;
		this.#mask = mask;
	}
}
