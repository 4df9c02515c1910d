// The keys a listing has handed out, so that one SCAN returns twice (SCAN may repeat a key, and
// a key being moved between masters is on both) is handed out once. A Set of a million key
// strings cost a fifth of the CPU time of `list --json` and 250 MiB (BENCHMARKS.md): each
// string stayed alive, and the garbage collector went over every one of them again and again.
// Here the keys' bytes go into one growing buffer and an open-addressing table of offsets,
// memory the collector does not walk. Exact: a key is reported seen only when its bytes equal a
// stored key's.
import {randomBytes} from 'node:crypto';

const INITIAL_SLOTS = 1 << 12;
const INITIAL_BYTES = 1 << 16;
/** Marks an empty slot of the table (offsets start at 0, so 0 cannot). */
const EMPTY = 0xff_ff_ff_ff;

export class SeenKeys {
	// Per slot: where the key's bytes start in #bytes (EMPTY when none), and the key's hash.
	#offsets = new Uint32Array(INITIAL_SLOTS).fill(EMPTY);
	#hashes = new Uint32Array(INITIAL_SLOTS);
	// Per key, in #bytes: its length in bytes (4, little-endian), then its UTF-8.
	#bytes = Buffer.allocUnsafe(INITIAL_BYTES);
	#used = 0;
	#count = 0;
	// Random per set, so keys chosen to collide in one process's table do not in another's.
	readonly #seed = randomBytes(4).readUInt32LE(0);

	/** How many distinct keys were added. */
	get size(): number {
		return this.#count;
	}

	/** Adds `key`; false when it was already there. */
	add(key: string): boolean {
		const hash = this.#hash(key);
		const mask = this.#offsets.length - 1;
		let slot = hash & mask;
		for (;;) {
			const offset = this.#offsets[slot] as number;
			if (offset === EMPTY) break;
			if (this.#hashes[slot] === hash && this.#equals(offset, key)) return false;
			slot = (slot + 1) & mask;
		}

		this.#offsets[slot] = this.#store(key);
		this.#hashes[slot] = hash;
		this.#count++;
		// At most half full, so probes stay short.
		if (this.#count * 2 > this.#offsets.length) this.#grow();
		return true;
	}

	/** FNV-1a over the UTF-16 code units, seeded, with a final mix. */
	#hash(key: string): number {
		let h = 0x81_1c_9d_c5 ^ this.#seed;
		for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01_00_01_93);
		h ^= h >>> 16;
		h = Math.imul(h, 0x85_eb_ca_6b);
		h ^= h >>> 13;
		return h >>> 0;
	}

	#equals(offset: number, key: string): boolean {
		const length = this.#bytes.readUInt32LE(offset);
		return this.#bytes.toString('utf8', offset + 4, offset + 4 + length) === key;
	}

	/** Appends the key's bytes; returns where they start. */
	#store(key: string): number {
		// UTF-8 takes at most 3 bytes per UTF-16 code unit.
		const most = 4 + key.length * 3;
		if (this.#used + most > this.#bytes.length) {
			const bigger = Buffer.allocUnsafe(Math.max(this.#bytes.length * 2, this.#used + most));
			this.#bytes.copy(bigger, 0, 0, this.#used);
			this.#bytes = bigger;
		}

		const offset = this.#used;
		const length = this.#bytes.write(key, offset + 4, 'utf8');
		this.#bytes.writeUInt32LE(length, offset);
		this.#used = offset + 4 + length;
		return offset;
	}

	#grow(): void {
		const offsets = this.#offsets;
		const hashes = this.#hashes;
		this.#offsets = new Uint32Array(offsets.length * 2).fill(EMPTY);
		this.#hashes = new Uint32Array(offsets.length * 2);
		const mask = this.#offsets.length - 1;
		for (let i = 0; i < offsets.length; i++) {
			const offset = offsets[i] as number;
			if (offset === EMPTY) continue;
			const hash = hashes[i] as number;
			let slot = hash & mask;
			while (this.#offsets[slot] !== EMPTY) slot = (slot + 1) & mask;
			this.#offsets[slot] = offset;
			this.#hashes[slot] = hash;
		}
	}
}
