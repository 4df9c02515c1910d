// Baseline for `list --json --redis` on a Redis Cluster: what a user's own script would do with
// the raw node-redis cluster client. SCAN every master (all at once) with MATCH and COUNT, GET
// each batch's keys pipelined on the node that holds them (node-redis writes the commands of one
// tick together), JSON.parse each value, and write the sessions as one JSON array, a batch at
// a time (one string of a million sessions would pass V8's string limit; stdout on a pipe
// writes synchronously on Linux, so nothing piles up).
//
//   node bench/baseline-redis-cluster-list.mjs redis://127.0.0.1:PORT [prefix]
import {createCluster} from 'redis';

const [url, prefix = 'stacktower:session:'] = process.argv.slice(2);
const cluster = createCluster({rootNodes: [{url}]});
await cluster.connect();

let first = true;
function write(sessions) {
	if (sessions.length === 0) return;
	const text = sessions.map((session) => JSON.stringify(session)).join(',\n');
	process.stdout.write(`${first ? '[\n' : ',\n'}${text}`);
	first = false;
}

async function scanMaster(master) {
	const client = await cluster.nodeClient(master);
	let cursor = '0';
	do {
		const reply = await client.scan(cursor, {MATCH: `${prefix}*`, COUNT: 1000});
		cursor = String(reply.cursor);
		const values = await Promise.all(reply.keys.map((key) => client.get(key)));
		write(values.filter((value) => value !== null).map((value) => JSON.parse(value)));
	} while (cursor !== '0');
}

await Promise.all(cluster.masters.map(scanMaster));
process.stdout.write(first ? '[]\n' : '\n]\n');
cluster.destroy();
