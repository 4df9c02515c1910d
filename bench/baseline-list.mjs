// Baseline for `list --json`: the least a Node process can do to show every session file:
// readdirSync, readFileSync and JSON.parse each *.json file, print one JSON array in one write.
import {readdirSync, readFileSync} from 'node:fs';
import {join} from 'node:path';

const dir = process.argv[2];
const sessions = [];
for (const name of readdirSync(dir)) {
	if (name.endsWith('.json')) {
		sessions.push(JSON.parse(readFileSync(join(dir, name), 'utf8')));
	}
}

process.stdout.write(JSON.stringify(sessions));
