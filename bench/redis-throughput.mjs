// RedisStore set+get throughput against the same client's raw SET (PX) / GET of the same JSON,
// on one redis-server this script starts, in one run. Prints pairs/s for both and the ratio
// (target ≥ 0.8: the store's checks, JSON encode/decode and deadlines cost at most 20%).
//
//   npm run build && node bench/redis-throughput.mjs [--pairs 20000] [--concurrency 1,64] [--rounds 5] [--lib dist/lib/session/index.js]
//
// Both sides run the same way at each concurrency: that many loops, each doing set-then-get
// pairs one after the other on the one connection. Concurrency 1 is a request handler's shape
// (each call waits for its reply) and is the one held to the target; at 64, node-redis
// pipelines and the client's CPU is the limit, so the ratio shows the codec's share of the
// work. A third line, raw + codec (encodeSession, SET, GET, decodeSession with no store), shows
// how much of the gap is the Go-format JSON itself. Each round runs the three back to back, so
// machine load falls on all of them; the ratio is the median of the rounds' ratios.
import {existsSync} from 'node:fs';
import {resolve} from 'node:path';
import {fileURLToPath, pathToFileURL} from 'node:url';
import {parseArgs} from 'node:util';
import {createClient} from 'redis';
import {median} from './processes.mjs';
import {redisMissing, startRedis} from './redis-servers.mjs';

const {values: options} = parseArgs({
	options: {
		pairs: {type: 'string', default: '20000'},
		concurrency: {type: 'string', default: '1,64'},
		rounds: {type: 'string', default: '5'},
		// Another build of the library, say before and after a change.
		lib: {type: 'string'},
	},
});

const library = options.lib
	? pathToFileURL(resolve(options.lib))
	: new URL('../dist/lib/session/index.js', import.meta.url);
if (!existsSync(library)) {
	console.error(`${fileURLToPath(library)} is missing: run \`npm run build\` first.`);
	process.exit(1);
}

const {RedisStore, decodeSession, encodeSession, newSession} = await import(library.href);
const pairs = Number(options.pairs);
const levels = options.concurrency.split(',').map(Number);
const rounds = Number(options.rounds);
const target = 0.8;

/** Runs `pair(i)` for i in 0..pairs-1 on `concurrency` loops; resolves to pairs per second. */
async function measure(pair, concurrency) {
	let next = 0;
	const start = process.hrtime.bigint();
	await Promise.all(
		Array.from({length: concurrency}, async () => {
			for (let i = next++; i < pairs; i = next++) await pair(i);
		}),
	);
	const seconds = Number(process.hrtime.bigint() - start) / 1e9;
	return pairs / seconds;
}

const missing = redisMissing();
if (missing) {
	console.error(`cannot start redis-server: ${missing}`);
	process.exit(1);
}

const redis = await startRedis();
const client = createClient({url: `redis://127.0.0.1:${redis.port}`});
client.on('error', () => {});
await client.connect();
const fmt = (n) => Math.round(n).toLocaleString('en-US');
let failed = false;
try {
	const user = {
		id: 583231,
		login: 'octocat',
		name: 'The Octocat',
		avatarUrl: 'https://avatars.githubusercontent.com/u/583231',
		email: 'octocat@github.com',
	};
	const sessions = Array.from({length: pairs}, () =>
		newSession('gho_16C7e42F292c6912E7710c838347Ae178B4a', user),
	);
	// The raw side writes exactly the bytes the store writes, with the same kind of TTL.
	const json = sessions.map((s) => encodeSession(s));
	const store = await RedisStore.open(client, {prefix: 'bench:store:'});

	const raw = async (i) => {
		const key = `bench:raw:${sessions[i].id}`;
		await client.set(key, json[i], {expiration: {type: 'PX', value: 3_600_000}});
		const value = await client.get(key);
		if (value === null) throw new Error('raw GET lost a key');
	};

	const rawCodec = async (i) => {
		const key = `bench:codec:${sessions[i].id}`;
		await client.set(key, encodeSession(sessions[i]), {
			expiration: {type: 'PX', value: 3_600_000},
		});
		decodeSession(await client.get(key));
	};

	const viaStore = async (i) => {
		await store.set(sessions[i]);
		const session = await store.get(sessions[i].id);
		if (session === null) throw new Error('RedisStore.get lost a session');
	};

	console.log(
		`redis-server on 127.0.0.1:${redis.port}; ${fmt(pairs)} set+get pairs per round, ${rounds} rounds; node ${process.version}`,
	);
	for (const [level, concurrency] of levels.entries()) {
		// Warm up every path (JIT, connection, Redis's allocator) before measuring.
		for (const pair of [raw, rawCodec, viaStore]) await measure(pair, concurrency);
		const rates = {raw: [], codec: [], store: [], ratio: []};
		for (let round = 0; round < rounds; round++) {
			const r = await measure(raw, concurrency);
			const c = await measure(rawCodec, concurrency);
			const s = await measure(viaStore, concurrency);
			rates.raw.push(r);
			rates.codec.push(c);
			rates.store.push(s);
			rates.ratio.push(s / r);
		}

		const ratio = median(rates.ratio);
		const held = level === 0;
		const verdict = ratio >= target ? 'ok' : held ? 'BELOW TARGET' : 'below target';
		if (held && ratio < target) failed = true;
		const row = (name, values) =>
			`  ${name.padEnd(28)} ${fmt(median(values)).padStart(9)} pairs/s  (${values.map(fmt).join(' ')})`;
		console.log(`\nconcurrency ${concurrency}${held ? ' (held to the target)' : ''}`);
		console.log(row('raw SET PX + GET', rates.raw));
		console.log(row('raw + encode/decode', rates.codec));
		console.log(row('RedisStore set + get', rates.store));
		console.log(
			`  ratio RedisStore / raw ${ratio.toFixed(2)} (rounds: ${rates.ratio.map((x) => x.toFixed(2)).join(' ')}; target ≥ ${target}): ${verdict}`,
		);
	}

	await store.close();
} finally {
	client.destroy();
	await redis.stop();
}

process.exitCode = failed ? 1 : 0;
