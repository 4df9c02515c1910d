// Baseline for `cleanup`: the list baseline's reading and parsing, then unlinkSync of every
// expired session; prints how many it removed.
import {readdirSync, readFileSync, unlinkSync} from 'node:fs';
import {join} from 'node:path';

const dir = process.argv[2];
const now = Date.now();
let removed = 0;
for (const name of readdirSync(dir)) {
	if (name.endsWith('.json')) {
		const path = join(dir, name);
		const session = JSON.parse(readFileSync(path, 'utf8'));
		if (Date.parse(session.expires_at) < now) {
			unlinkSync(path);
			removed++;
		}
	}
}

process.stdout.write(`removed ${removed} expired sessions\n`);
