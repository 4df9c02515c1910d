// Scale on a Redis Cluster (BENCHMARKS.md, measurement 5): a local cluster of three masters and
// three replicas holding `size` sessions as RedisStore writes them, then, alternating, several
// runs of `list --json --redis` against bench/baseline-redis-cluster-list.mjs (the raw
// node-redis cluster client: SCAN every master, pipelined GETs, JSON.parse), and the inspector
// in a pty: time to its first screen and to the full list. run.mjs calls measureRedisCluster.
//
//   node bench/redis-cluster.mjs --serve [--sessions 1000000]   starts and fills a cluster,
//   prints its URL and keeps it until Ctrl-C (for bench/profile.mjs and bench/screen.mjs)
import {spawn} from 'node:child_process';
import {randomBytes} from 'node:crypto';
import {existsSync} from 'node:fs';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {parseArgs} from 'node:util';
import {createCluster} from 'redis';
import {alternate, median} from './processes.mjs';
import {numberPattern, PtyRun} from './pty.mjs';
import {redisMissing, startRedisCluster, stopAllRedis} from './redis-servers.mjs';

const repo = fileURLToPath(new URL('..', import.meta.url));
const node = process.execPath;
const hour = 3_600_000;
const day = 24 * hour;
const prefix = 'stacktower:session:';
const users = 5000;
const fillBatch = 10_000;

/** The built library (dist/lib), for sessions written byte for byte as RedisStore writes them. */
async function library() {
	const path = join(repo, 'dist', 'lib', 'session', 'index.js');
	if (!existsSync(path)) throw new Error(`${path} is missing: run \`npm run build\` first`);
	return import(path);
}

/**
 * Session number `index`, as a login leaves it: a mix of 5,000 users (one session in fifty has
 * no user), one in four from a GitHub App (an expiring ghu_ token with its refresh token), all
 * active, expiring in 2 hours to 30 days (Redis holds no expired session: the TTL removes it).
 */
function session(index, now, generateId) {
	const userId = 1000 + (index % users);
	const spread = ((index * 7919) % 1000) / 1000;
	const expiresAt = now + 2 * hour + spread * 30 * day;
	const token = randomBytes(27).toString('base64url');
	const app = index % 4 === 3;
	return {
		id: generateId(),
		accessToken: `${app ? 'ghu' : 'gho'}_${token}`,
		user:
			index % 50 === 49
				? null
				: {
						id: userId,
						login: `user${userId}`,
						name: `User ${userId}`,
						avatarUrl: `https://avatars.githubusercontent.com/u/${userId}?v=4`,
						email: `user${userId}@example.com`,
					},
		expiresAt: new Date(expiresAt),
		createdAt: new Date(expiresAt - day),
		...(app
			? {
					tokenExpiresAt: new Date(now + 8 * hour),
					refreshToken: `ghr_${randomBytes(56).toString('base64url')}`,
					refreshTokenExpiresAt: new Date(now + 180 * day),
					clientId: 'Iv1.8a61f9b3a7aba766',
					githubHost: 'https://github.com',
				}
			: {}),
	};
}

/**
 * Writes `size` sessions into the cluster at `url` with SET PX (pipelined, routed by slot), and
 * waits until every replica has them, so replication is not running during the timings.
 */
export async function fillCluster(url, size) {
	const {encodeSession, generateId} = await library();
	const cluster = createCluster({rootNodes: [{url}]});
	await cluster.connect();
	try {
		const now = Date.now();
		for (let start = 0; start < size; start += fillBatch) {
			const writes = [];
			for (let index = start; index < Math.min(size, start + fillBatch); index++) {
				const s = session(index, now, generateId);
				writes.push(
					cluster.set(prefix + s.id, encodeSession(s), {
						expiration: {type: 'PX', value: s.expiresAt.getTime() - now},
					}),
				);
			}

			await Promise.all(writes);
		}

		for (const master of cluster.masters) {
			const client = await cluster.nodeClient(master);
			await client.sendCommand(['WAIT', '1', '120000']);
		}
	} finally {
		cluster.destroy();
	}
}

/**
 * Runs `node args` with stdout piped and read whole by lines, as `| jq` would: {ms, lines that
 * hold a session (an element with "status":"active"), code, stderr}. A check, not a timing.
 */
function countActive(args) {
	return new Promise((resolve, reject) => {
		const child = spawn(node, args, {stdio: ['ignore', 'pipe', 'pipe']});
		let active = 0;
		let rest = '';
		let stderr = '';
		child.stdout.setEncoding('utf8');
		child.stdout.on('data', (chunk) => {
			const lines = (rest + chunk).split('\n');
			rest = lines.pop();
			for (const line of lines) if (line.includes('"status":"active"')) active++;
		});
		child.stderr.on('data', (chunk) => {
			stderr += chunk;
		});
		child.on('error', reject);
		child.on('close', (code) => resolve({active, code, stderr}));
	});
}

/**
 * The measurement: starts a cluster, fills it, times both listings and the inspector, stops the
 * cluster. Resolves with run.mjs's table rows, or one `note` row when Redis is not installed.
 * `runNode`: processes.mjs's, for the wall time, CPU time and peak RSS of a whole process.
 */
export async function measureRedisCluster({
	size,
	runs,
	inspectorRuns,
	cli,
	runNode,
	log,
	progress,
}) {
	const missing = redisMissing();
	if (missing) {
		progress(`redis cluster: skipped, ${missing}`);
		return [{measurement: '5. redis cluster', size, note: `skipped: ${missing}`}];
	}

	progress(`redis cluster @ ${size}: starting 3 masters + 3 replicas`);
	const redis = await startRedisCluster();
	try {
		const fillStarted = performance.now();
		await fillCluster(redis.url, size);
		progress(
			`  filled ${size.toLocaleString('en')} sessions in ${((performance.now() - fillStarted) / 1000).toFixed(1)} s`,
		);
		const subject = [cli, 'list', '--json', '--redis', redis.url];
		const baseline = [join(repo, 'bench', 'baseline-redis-cluster-list.mjs'), redis.url];

		// Warm-up (not counted), and the check that the subject lists every session as one.
		const check = await countActive(subject);
		if (check.code !== 0) throw new Error(`list --json exit ${check.code}: ${check.stderr.trim()}`);
		if (check.active !== size) throw new Error(`list --json listed ${check.active} of ${size}`);
		await runNode(baseline);

		const s = {ms: [], rss: [], cpu: []};
		const b = {ms: [], rss: [], cpu: []};
		for (let run = 0; run < runs; run++) {
			for (const [args, into] of alternate(run, [subject, s], [baseline, b])) {
				const result = await runNode(args);
				if (result.code !== 0) throw new Error(`exit ${result.code}: ${result.stderr.trim()}`);
				into.ms.push(result.ms);
				into.rss.push(result.rssKiB);
				into.cpu.push(result.cpuMs);
			}
		}

		const samples = (values, unit = 'ms') => `${values.map(Math.round).join(' ')} ${unit}`;
		log(`  subject  ${samples(s.ms)}; cpu ${samples(s.cpu)}; ${samples(s.rss, 'KiB')}`);
		log(`  baseline ${samples(b.ms)}; cpu ${samples(b.cpu)}; ${samples(b.rss, 'KiB')}`);

		// The inspector: the first screen (its header, or the loading line), then the header's
		// final count of active sessions.
		const active = new RegExp(`(?<![\\d,.])${numberPattern(size)}\\s*active`);
		const inspector = {first: [], full: [], cpu: [], rss: []};
		for (let run = 0; run < inspectorRuns; run++) {
			const pty = new PtyRun(node, [cli, '--redis', redis.url]);
			try {
				const first = pty.waitFor((text) => /loading|active/i.test(text), {
					timeoutMs: 120_000,
					label: 'the first screen',
				});
				first.catch(() => {});
				const full = await pty.waitFor((text) => active.test(text), {
					timeoutMs: 600_000,
					label: `the final count (${active.source})`,
				});
				inspector.first.push(await first);
				inspector.full.push(full);
				inspector.cpu.push(pty.cpuMs());
				inspector.rss.push(pty.peakRssKiB());
				const exit = await pty.quit(30_000);
				if (exit.exitCode !== 0) throw new Error(`the inspector's q exited ${exit.exitCode}`);
			} finally {
				pty.kill();
			}
		}

		log(`  inspector first screen ${samples(inspector.first)}`);
		log(
			`  inspector full list    ${samples(inspector.full)}; cpu by then ${samples(inspector.cpu)}`,
		);
		log(`  inspector peak RSS     ${samples(inspector.rss, 'KiB')}`);
		const baselineMs = median(b.ms);
		return [
			{
				measurement: '5. redis cluster: list --json, wall time',
				size,
				subject: median(s.ms),
				baseline: baselineMs,
				unit: 'ms',
				target: {ratio: 1.25},
			},
			{
				measurement: '5. redis cluster: list --json, CPU time',
				size,
				subject: median(s.cpu),
				baseline: median(b.cpu),
				unit: 'ms',
			},
			{
				measurement: '5. redis cluster: list --json, peak RSS',
				size,
				subject: median(s.rss) / 1024,
				baseline: median(b.rss) / 1024,
				unit: 'MiB',
			},
			{
				measurement: '5. redis cluster: inspector, first screen',
				size,
				subject: median(inspector.first),
				unit: 'ms',
			},
			{
				measurement: '5. redis cluster: inspector, full list',
				size,
				subject: median(inspector.full),
				baseline: baselineMs,
				unit: 'ms',
			},
			{
				measurement: '5. redis cluster: inspector, peak RSS',
				size,
				subject: median(inspector.rss) / 1024,
				unit: 'MiB',
			},
		];
	} finally {
		await redis.stop();
	}
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
	const {values} = parseArgs({
		options: {serve: {type: 'boolean'}, sessions: {type: 'string', default: '1000000'}},
	});
	if (!values.serve) {
		console.error(
			'usage: node bench/redis-cluster.mjs --serve [--sessions N]  (the timings: node bench/run.mjs --only redis-cluster)',
		);
		process.exit(2);
	}

	const missing = redisMissing();
	if (missing) {
		console.error(`cannot start a cluster: ${missing}`);
		process.exit(1);
	}

	for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
		process.once(signal, () => {
			stopAllRedis();
			process.exit(130);
		});
	}
	const size = Number(values.sessions);
	const redis = await startRedisCluster();
	const started = performance.now();
	await fillCluster(redis.url, size);
	console.log(
		`${redis.url}: ${size.toLocaleString('en')} sessions (filled in ${((performance.now() - started) / 1000).toFixed(1)} s); Ctrl-C stops the cluster`,
	);
	setInterval(() => {}, 1 << 30);
}
