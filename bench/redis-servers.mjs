// Local redis-servers for the benchmarks: one server, or a Redis Cluster of masters with one
// replica each, on free loopback ports, no persistence, each in its own temp directory. Every
// server started here is SIGKILLed and its directory removed by stopAllRedis(), which runs at
// exit by itself; a script's Ctrl-C handler calls it too (process.exit skips nothing it needs).
// Plain .mjs (the test helpers are TypeScript, which bench scripts run without a build).
import {spawn, spawnSync} from 'node:child_process';
import {mkdtempSync, rmSync} from 'node:fs';
import {createConnection, createServer} from 'node:net';
import {tmpdir} from 'node:os';
import {join} from 'node:path';

const running = new Set();

/** Kills every server this process started and removes their directories; synchronous. */
export function stopAllRedis() {
	for (const server of running) {
		server.child.kill('SIGKILL');
		rmSync(server.dir, {recursive: true, force: true});
	}

	running.clear();
}

process.once('exit', stopAllRedis);

/** Whether redis-server and redis-cli are on the PATH: the reason they are not, or undefined. */
export function redisMissing() {
	for (const command of ['redis-server', 'redis-cli']) {
		if (spawnSync(command, ['--version'], {stdio: 'ignore'}).error) {
			return `${command} is not on the PATH (apt-get install redis-server, or brew install redis)`;
		}
	}

	return undefined;
}

export function freePort() {
	return new Promise((resolve, reject) => {
		const server = createServer();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const {port} = server.address();
			server.close(() => resolve(port));
		});
	});
}

function ping(port) {
	return new Promise((resolve) => {
		const socket = createConnection({host: '127.0.0.1', port});
		const done = (ok) => {
			socket.destroy();
			resolve(ok);
		};
		socket.setTimeout(1000, () => done(false));
		socket.once('error', () => done(false));
		socket.once('connect', () => socket.write('PING\r\n'));
		socket.once('data', (chunk) => done(chunk.toString().startsWith('+PONG')));
	});
}

async function until(condition, what, timeoutMs = 60_000) {
	const deadline = performance.now() + timeoutMs;
	for (let delay = 5; !(await condition()); delay = Math.min(delay * 2, 200)) {
		if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
		await new Promise((resolve) => setTimeout(resolve, delay));
	}
}

/**
 * Starts redis-server on a free port of 127.0.0.1 with `args` added; resolves once it answers
 * PING with {port, url, stop()}.
 */
export async function startRedis(args = []) {
	const dir = mkdtempSync(join(tmpdir(), 'stacktower-bench-redis-'));
	const port = await freePort();
	// As test/helpers/redis-server.ts launches it: a bench is plain .mjs and cannot import TS.
	const child = spawn(
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
			...args,
		],
		{cwd: dir, stdio: ['ignore', 'ignore', 'pipe']},
	);
	const server = {child, dir};
	running.add(server);
	let stderr = '';
	child.stderr.on('data', (chunk) => {
		stderr += chunk;
	});
	let exited = false;
	child.once('exit', () => {
		exited = true;
	});
	const started = new Promise((resolve, reject) => {
		child.once('error', reject);
		child.once('spawn', resolve);
	});
	await started;
	await until(async () => {
		if (exited) throw new Error(`redis-server exited at start-up: ${stderr.trim()}`);
		return ping(port);
	}, `redis-server on port ${port}`);

	return {
		port,
		url: `redis://127.0.0.1:${port}`,
		async stop() {
			running.delete(server);
			child.kill('SIGKILL');
			if (!exited) await new Promise((resolve) => child.once('exit', resolve));
			rmSync(dir, {recursive: true, force: true});
		},
	};
}

function redisCli(args) {
	const result = spawnSync('redis-cli', args, {encoding: 'utf8', timeout: 120_000});
	if (result.status !== 0) {
		throw new Error(`redis-cli ${args.join(' ')} failed: ${result.stdout}${result.stderr}`);
	}

	return result.stdout;
}

/**
 * A Redis Cluster on 127.0.0.1: `masters` masters with one replica each, made by
 * `redis-cli --cluster create` (what an operator runs), resolved once every node says
 * cluster_state:ok. {url (one master's), nodes, stop()}.
 */
export async function startRedisCluster({masters = 3} = {}) {
	const nodes = [];
	try {
		for (let i = 0; i < masters * 2; i++) {
			nodes.push(
				await startRedis([
					'--cluster-enabled',
					'yes',
					'--cluster-config-file',
					'nodes.conf',
					'--cluster-node-timeout',
					'5000',
				]),
			);
		}

		redisCli([
			'--cluster',
			'create',
			...nodes.map((node) => `127.0.0.1:${node.port}`),
			'--cluster-replicas',
			'1',
			'--cluster-yes',
		]);
		for (const node of nodes) {
			await until(
				() => redisCli(['-p', String(node.port), 'CLUSTER', 'INFO']).includes('cluster_state:ok'),
				`the cluster node on port ${node.port}`,
			);
		}
	} catch (error) {
		await Promise.allSettled(nodes.map((node) => node.stop()));
		throw error;
	}

	return {
		url: nodes[0].url,
		nodes,
		async stop() {
			await Promise.allSettled(nodes.map((node) => node.stop()));
		},
	};
}
