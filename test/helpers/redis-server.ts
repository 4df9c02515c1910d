// A real redis-server for the tests: a free port on 127.0.0.1, no persistence, its own temp
// directory, stopped afterwards. Readiness is polled with PING over a plain socket, never slept.
import {type ChildProcess, spawn} from 'node:child_process';
import {accessSync, constants, mkdtempSync, readFileSync, rmSync} from 'node:fs';
import {createConnection, createServer} from 'node:net';
import {tmpdir} from 'node:os';
import {delimiter, join} from 'node:path';
import {createClient, createCluster} from 'redis';
import {afterAll, beforeAll} from 'vitest';
import {LOCK_KEY_PREFIX} from '../../source/session/redis/options.js';
import {requiredTool} from './required-tool.js';
import {waitFor} from './wait.js';

/** The shared poll, here too because the Redis tests import it from this file. */
export {waitFor};

/** The absolute path of an executable on the PATH, or undefined. */
export function which(command: string): string | undefined {
	for (const dir of (process.env.PATH ?? '').split(delimiter)) {
		if (!dir) continue;
		const candidate = join(dir, command);
		try {
			accessSync(candidate, constants.X_OK);
			return candidate;
		} catch {}
	}

	return undefined;
}

const INSTALL_HINT =
	'install it to run the Redis tests: `apt-get install redis-server` (Debian/Ubuntu) or `brew install redis` (macOS)';

/**
 * Whether the Redis tests can run. Without redis-server they are skipped with a warning saying
 * how to install it; under CI a missing redis-server is a failing test (required-tool.ts).
 */
export function redisServerAvailable(): boolean {
	return requiredTool(which('redis-server') !== undefined, {
		message: `redis-server is not on the PATH; ${INSTALL_HINT}`,
		ciTest: 'redis-server is on the PATH (CI must run the Redis tests)',
		skipping: 'Skipping the Redis tests',
	});
}

/** Whether the Redis Cluster tests can run: redis-cli makes the cluster (Debian: redis-tools). */
export function redisClusterAvailable(): boolean {
	return redisServerAvailable() && which('redis-cli') !== undefined;
}

function listens(port: number): Promise<number | undefined> {
	return new Promise((resolve) => {
		const server = createServer();
		server.once('error', () => resolve(undefined));
		server.listen(port, '127.0.0.1', () => {
			const address = server.address();
			const bound = typeof address === 'object' && address ? address.port : undefined;
			server.close(() => resolve(bound));
		});
	});
}

/**
 * A free port below the kernel's ephemeral range. Ports handed out for port 0 (other tests'
 * servers, outgoing connections) come from that range, so none of them can take this port
 * while a test has killed its server and expects the port to refuse connections.
 */
export async function freePort(): Promise<number> {
	let low = 32_768;
	try {
		low =
			Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').split(/\s+/)[0]) || low;
	} catch {}

	if (low > 11_000) {
		for (let attempt = 0; attempt < 50; attempt++) {
			const port = 10_000 + Math.floor(Math.random() * (low - 10_000));
			if ((await listens(port)) === port) return port;
		}
	}

	const port = await listens(0);
	if (port === undefined) throw new Error('no free port on 127.0.0.1');
	return port;
}

/** Resolves true when a PING on 127.0.0.1:port is answered (+PONG, or NOAUTH with a password set). */
export async function ping(port: number): Promise<boolean> {
	return new Promise((resolve) => {
		const socket = createConnection({host: '127.0.0.1', port});
		let reply = '';
		const done = (ok: boolean) => {
			socket.destroy();
			resolve(ok);
		};

		socket.setTimeout(1000, () => done(false));
		socket.once('error', () => done(false));
		socket.once('connect', () => socket.write('PING\r\n'));
		socket.on('data', (chunk) => {
			reply += chunk.toString('latin1');
			if (reply.includes('\r\n')) done(reply.startsWith('+PONG') || reply.startsWith('-NOAUTH'));
		});
	});
}

export type RedisServer = {
	readonly host: '127.0.0.1';
	readonly port: number;
	/** `redis://127.0.0.1:<port>` */
	readonly url: string;
	/** Whether the process runs (false after kill() or stop(), until restart()). */
	readonly running: boolean;
	/** Kills the server with SIGKILL (no goodbye to clients) and waits for it to exit. */
	kill(): Promise<void>;
	/** Starts it again on the same port (after kill()), waiting until it answers PING. */
	restart(): Promise<void>;
	/** Freezes it (SIGSTOP): connections stay open, nothing is answered. */
	pause(): void;
	/** Thaws it after pause() (SIGCONT). */
	resume(): void;
	/** Stops it (SIGTERM, then SIGKILL) and removes its directory. */
	stop(): Promise<void>;
};

function exited(child: ChildProcess): Promise<void> {
	if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
	return new Promise((resolve) => child.once('exit', () => resolve()));
}

/** Starts a redis-server on a free port of 127.0.0.1 and resolves once it answers PING. */
/**
 * The environment for redis-server: ours without libfaketime. The suite runs under a moved clock
 * (FAKETIME + LD_PRELOAD) to test our code on any date; redis-server is a peer, not code under
 * test, and with libfaketime preloaded it does not start at all (libfaketime: "Cannot recover
 * from unexpected recursive calls to clock_gettime()"). A Redis keeps its own clock in production
 * too, which is why the stores check expiry by their own clock as well as by the key's TTL.
 */
export function peerEnv(): NodeJS.ProcessEnv {
	const env = {...process.env};
	for (const name of Object.keys(env)) {
		if (name === 'LD_PRELOAD' || name.startsWith('FAKETIME')) delete env[name];
	}

	return env;
}

export type RedisServerOptions = {
	/** More redis-server arguments, e.g. ['--requirepass', 'secret']. */
	readonly args?: readonly string[];
};

export async function startRedisServer(options: RedisServerOptions = {}): Promise<RedisServer> {
	const dir = mkdtempSync(join(tmpdir(), 'stacktower-redis-'));
	let child: ChildProcess | undefined;
	let port = 0;
	let stderr = '';

	const launch = async (): Promise<boolean> => {
		stderr = '';
		const proc = spawn(
			'redis-server',
			[
				'--port',
				String(port),
				'--bind',
				'127.0.0.1',
				'--save',
				'',
				'--appendonly',
				'no',
				'--dir',
				dir,
				'--protected-mode',
				'yes',
				...(options.args ?? []),
			],
			{cwd: dir, env: peerEnv(), stdio: ['ignore', 'ignore', 'pipe']},
		);
		proc.stderr?.on('data', (chunk: Buffer) => {
			stderr += chunk.toString();
		});
		child = proc;
		let gone = false;
		void exited(proc).then(() => {
			gone = true;
		});
		// Up once it answers; failed if it exits first (e.g. someone took the port meanwhile).
		await waitFor(async () => gone || (await ping(port)), `redis-server on port ${port}`);
		return !gone;
	};

	for (let attempt = 0; ; attempt++) {
		port = await freePort();
		if (await launch()) break;
		if (attempt === 4) {
			rmSync(dir, {recursive: true, force: true});
			throw new Error(`redis-server did not start: ${stderr.trim()}`);
		}
	}

	const kill = async () => {
		if (!child) return;
		const proc = child;
		proc.kill('SIGKILL');
		await exited(proc);
		child = undefined;
	};

	return {
		host: '127.0.0.1',
		port,
		url: `redis://127.0.0.1:${port}`,
		get running() {
			return child !== undefined;
		},
		kill,
		pause() {
			child?.kill('SIGSTOP');
		},
		resume() {
			child?.kill('SIGCONT');
		},
		async restart() {
			await kill();
			// The port may linger briefly after a kill; retry until this port is ours again.
			await waitFor(() => launch(), `redis-server to restart on port ${port}`);
		},
		async stop() {
			if (child) {
				const proc = child;
				proc.kill('SIGCONT');
				proc.kill('SIGTERM');
				const timer = setTimeout(() => proc.kill('SIGKILL'), 5000);
				await exited(proc);
				clearTimeout(timer);
				child = undefined;
			}

			rmSync(dir, {recursive: true, force: true});
		},
	};
}

export type RedisCluster = {
	/** Every node, masters first as `redis-cli --cluster create` paired them. */
	readonly nodes: readonly RedisServer[];
	/** The URL of one node: all a client needs to find the rest. */
	readonly url: string;
	/**
	 * Resolves once the cluster has healed: every node still running says cluster_state:ok and
	 * sees every slot served by a master it does not flag as failed (a replica promoted in place
	 * of a killed master). Rejects after `timeoutMs`.
	 */
	healed(timeoutMs?: number): Promise<void>;
	/**
	 * Resolves once every running replica is linked to its master and has received all it has
	 * written so far: replication is asynchronous, and a master killed before then takes its last
	 * writes with it.
	 */
	replicated(timeoutMs?: number): Promise<void>;
	/** The node serving `key`'s slot as its master now, by CLUSTER NODES of a running node. */
	masterOf(key: string): Promise<RedisServer>;
	stop(): Promise<void>;
};

/** Runs redis-cli (a peer, so without libfaketime) and resolves with its output; rejects on failure. */
export function redisCli(args: readonly string[]): Promise<string> {
	return new Promise((resolve, reject) => {
		const child = spawn('redis-cli', args, {env: peerEnv(), stdio: ['ignore', 'pipe', 'pipe']});
		let output = '';
		child.stdout?.on('data', (chunk: Buffer) => {
			output += chunk.toString();
		});
		child.stderr?.on('data', (chunk: Buffer) => {
			output += chunk.toString();
		});
		const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
		child.once('error', reject);
		child.once('exit', (code) => {
			clearTimeout(timer);
			if (code === 0) resolve(output);
			else reject(new Error(`redis-cli ${args.join(' ')} failed: ${output.trim()}`));
		});
	});
}

/** Whether the node on `port` says the cluster is ok (every slot served). */
async function clusterOk(port: number): Promise<boolean> {
	try {
		return (await redisCli(['-p', String(port), 'CLUSTER', 'INFO'])).includes('cluster_state:ok');
	} catch {
		return false;
	}
}

type ClusterNode = {
	readonly port: number;
	readonly flags: readonly string[];
	readonly slots: readonly string[];
};

/** CLUSTER NODES as the node on `port` sees the cluster; undefined when it does not answer. */
async function clusterNodes(port: number): Promise<ClusterNode[] | undefined> {
	try {
		const text = await redisCli(['-p', String(port), 'CLUSTER', 'NODES']);
		return text
			.trim()
			.split('\n')
			.map((line) => {
				const [, address = '', flags = '', , , , , , ...slots] = line.trim().split(' ');
				return {port: Number(/:(\d+)@/.exec(address)?.[1]), flags: flags.split(','), slots};
			});
	} catch {
		return undefined;
	}
}

/** Whether `slot` is within one of CLUSTER NODES' slot fields (`5461-10922`, `0`). */
function holdsSlot(fields: readonly string[], slot: number): boolean {
	return fields.some((field) => {
		const [from, to = from] = field.split('-').map(Number);
		return from !== undefined && to !== undefined && slot >= from && slot <= to;
	});
}

/**
 * Whether the node on `port` sees a healed cluster: state ok, and every master that holds slots
 * is one of the `running` ports and not flagged failing (a killed master is replaced, not merely
 * not noticed yet).
 */
async function sees(port: number, running: ReadonlySet<number>): Promise<boolean> {
	if (!(await clusterOk(port))) return false;
	const nodes = await clusterNodes(port);
	if (nodes === undefined) return false;
	return nodes.every(
		(node) =>
			node.slots.length === 0 ||
			(running.has(node.port) && !node.flags.some((flag) => flag.startsWith('fail'))),
	);
}

export type RedisClusterOptions = {
	/** How many masters (default 3), each with one replica unless `unassigned` is given. */
	readonly masters?: number;
	/** More redis-server arguments for every node. */
	readonly args?: readonly string[];
	/**
	 * Hash slots no master serves, `[from, to]`: a cluster made without full coverage (by
	 * CLUSTER ADDSLOTSRANGE and MEET, no replicas), as a cluster is after losing a master that
	 * had no replica.
	 */
	readonly unassigned?: readonly [number, number];
};

const SLOTS = 16_384;

/** The hash slots each of `count` masters gets: even ranges of 0…16383, less `unassigned`. */
function slotRanges(
	count: number,
	unassigned: readonly [number, number],
): Array<Array<[number, number]>> {
	const [gapFrom, gapTo] = unassigned;
	return Array.from({length: count}, (_, i) => {
		const from = Math.floor((i * SLOTS) / count);
		const to = Math.floor(((i + 1) * SLOTS) / count) - 1;
		const ranges: Array<[number, number]> = [];
		if (from < gapFrom) ranges.push([from, Math.min(to, gapFrom - 1)]);
		if (to > gapTo) ranges.push([Math.max(from, gapTo + 1), to]);
		return ranges;
	});
}

/**
 * A real Redis Cluster on 127.0.0.1: `masters` masters with one replica each, made with
 * `redis-cli --cluster create`, resolved once every node says the cluster is ok; or, with
 * `unassigned`, masters alone with those slots left to none, resolved once every node knows
 * every other and the slots each serves.
 */
export async function startRedisCluster({
	masters = 3,
	args = [],
	unassigned,
}: RedisClusterOptions = {}): Promise<RedisCluster> {
	const nodes: RedisServer[] = [];
	const busPorts: number[] = [];
	try {
		for (let i = 0; i < (unassigned ? masters : masters * 2); i++) {
			busPorts.push(await freePort());
			nodes.push(
				await startRedisServer({
					args: [
						'--cluster-enabled',
						'yes',
						'--cluster-config-file',
						'nodes.conf',
						// A killed master is found failing after 1 s, and its replica takes over however
						// long it has been since it last heard from it (the default validity factor can
						// leave a replica of an idle test master refusing to fail over).
						'--cluster-node-timeout',
						'1000',
						'--cluster-replica-validity-factor',
						'0',
						'--cluster-port',
						String(busPorts.at(-1)),
						...args,
					],
				}),
			);
		}

		if (unassigned) {
			const ranges = slotRanges(masters, unassigned);
			for (const [i, node] of nodes.entries()) {
				for (const [from, to] of ranges[i] ?? []) {
					await redisCli([
						'-p',
						String(node.port),
						'CLUSTER',
						'ADDSLOTSRANGE',
						String(from),
						String(to),
					]);
				}
			}

			const [first] = nodes;
			for (const [i, node] of nodes.entries()) {
				if (i === 0 || !first) continue;
				await redisCli([
					'-p',
					String(first.port),
					'CLUSTER',
					'MEET',
					'127.0.0.1',
					String(node.port),
					String(busPorts[i]),
				]);
			}

			const assigned = String(SLOTS - (unassigned[1] - unassigned[0] + 1));
			for (const node of nodes) {
				await waitFor(
					async () => {
						const info = await redisCli(['-p', String(node.port), 'CLUSTER', 'INFO']).catch(
							() => '',
						);
						return (
							info.includes(`cluster_known_nodes:${masters}`) &&
							info.includes(`cluster_slots_assigned:${assigned}`)
						);
					},
					`the cluster node on port ${node.port} to know the others`,
					60_000,
				);
			}
		} else {
			await redisCli([
				'--cluster',
				'create',
				...nodes.map((node) => `127.0.0.1:${node.port}`),
				'--cluster-replicas',
				'1',
				'--cluster-yes',
			]);
			for (const node of nodes) {
				await waitFor(() => clusterOk(node.port), `the cluster node on port ${node.port}`, 60_000);
			}
		}
	} catch (error) {
		await Promise.allSettled(nodes.map((node) => node.stop()));
		throw error;
	}

	return {
		nodes,
		url: nodes[0]?.url ?? '',
		async healed(timeoutMs = 60_000) {
			await waitFor(
				async () => {
					const alive = nodes.filter((node) => node.running);
					const ports = new Set(alive.map((node) => node.port));
					for (const node of alive) if (!(await sees(node.port, ports))) return false;
					return alive.length > 0;
				},
				'the cluster to heal',
				timeoutMs,
			);
		},
		async replicated(timeoutMs = 30_000) {
			const field = (info: string, name: string) =>
				new RegExp(`^${name}:(.*)$`, 'm').exec(info)?.[1]?.trim();
			await waitFor(
				async () => {
					for (const node of nodes.filter((n) => n.running)) {
						const info = await redisCli(['-p', String(node.port), 'INFO', 'replication']).catch(
							() => '',
						);
						if (field(info, 'role') !== 'slave') continue;
						if (field(info, 'master_link_status') !== 'up') return false;
						const master = await redisCli([
							'-p',
							field(info, 'master_port') ?? '0',
							'INFO',
							'replication',
						]).catch(() => '');
						const written = Number(field(master, 'master_repl_offset'));
						if (!(Number(field(info, 'slave_repl_offset')) >= written)) return false;
					}

					return true;
				},
				'the replicas to catch up with their masters',
				timeoutMs,
			);
		},
		async masterOf(key) {
			const slot = Number(
				(
					await redisCli([
						'-p',
						String(nodes.find((n) => n.running)?.port),
						'CLUSTER',
						'KEYSLOT',
						key,
					])
				).trim(),
			);
			for (const node of nodes.filter((n) => n.running)) {
				const view = await clusterNodes(node.port);
				const master = view?.find(
					(entry) =>
						entry.flags.includes('master') &&
						!entry.flags.some((f) => f.startsWith('fail')) &&
						holdsSlot(entry.slots, slot),
				);
				const server = nodes.find((n) => n.port === master?.port);
				if (server) return server;
			}

			throw new Error(`no running node serves the slot of ${JSON.stringify(key)}`);
		},
		async stop() {
			await Promise.allSettled(nodes.map((node) => node.stop()));
		},
	};
}

/** A plain node-redis client on a test server, for looking at keys behind a store's back. */
export type RawRedisClient = ReturnType<typeof createClient>;

/**
 * A redis-server and a plain client on it for the enclosing describe: started in beforeAll
 * (`use` then gets both), stopped in afterAll.
 */
export function useRedisServer(use: (server: RedisServer, raw: RawRedisClient) => void): void {
	let server: RedisServer | undefined;
	let raw: RawRedisClient | undefined;
	beforeAll(async () => {
		server = await startRedisServer();
		raw = createClient({url: server.url});
		raw.on('error', () => {});
		await raw.connect();
		use(server, raw);
	});

	afterAll(async () => {
		raw?.destroy();
		await server?.stop();
	});
}

/** A plain node-redis cluster client on a test cluster, for looking at keys behind a store's back. */
export type RawRedisClusterClient = ReturnType<typeof createCluster>;

/**
 * A Redis Cluster and a plain cluster client on it for the enclosing describe: started in
 * beforeAll (`use` then gets both), stopped in afterAll.
 */
export function useRedisCluster(
	use: (cluster: RedisCluster, raw: RawRedisClusterClient) => void,
	options: RedisClusterOptions = {},
): void {
	let cluster: RedisCluster | undefined;
	let raw: RawRedisClusterClient | undefined;
	beforeAll(async () => {
		cluster = await startRedisCluster(options);
		raw = createCluster({rootNodes: [{url: cluster.url}]});
		raw.on('error', () => {});
		await raw.connect();
		use(cluster, raw);
	}, 120_000);

	afterAll(async () => {
		raw?.destroy();
		await cluster?.stop();
	});
}

/**
 * Makes a Redis user `copier` that may read every key matching `read` but write only those
 * matching `write` (and the session locks), and returns `url` logged in as that user: a write
 * Redis refuses, for one session among others.
 */
export async function userWritingOnly(
	raw: RawRedisClient,
	url: string,
	{read, write}: {read: string; write: string},
): Promise<string> {
	await raw.sendCommand([
		'ACL',
		'SETUSER',
		'copier',
		'on',
		'>secret',
		'+@all',
		`%RW~${write}`,
		`%R~${read}`,
		`%RW~${LOCK_KEY_PREFIX}*`,
	]);
	return url.replace('redis://', 'redis://copier:secret@');
}
