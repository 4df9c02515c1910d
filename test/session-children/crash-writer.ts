// Rewrites the crash test's sessions in a loop until it is killed. argv: dir, lane.
import {FileStore} from '../../source/session/file-store/file-store.js';
import {CRASH_IDS, versionSession} from './versions.js';

const [dir, lane] = process.argv.slice(2);
const store = new FileStore(dir);
let version = Number(lane) * 10_000_000 + Math.floor(Math.random() * 9_000_000);
let ready = false;
for (;;) {
	for (const id of CRASH_IDS) {
		await store.set(versionSession(id, version++));
		if (!ready) {
			ready = true;
			process.stdout.write('ready\n');
		}
	}
}
