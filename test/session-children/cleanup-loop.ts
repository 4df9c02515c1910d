// A cleanup in its own process, for the race tests: runs FileStore.cleanup() over and over from
// `ready` until its stdin closes, then prints how many sessions it removed. argv: dir.
import {FileStore} from '../../source/session/file-store/file-store.js';

const [dir = ''] = process.argv.slice(2);
const store = new FileStore(dir);
let running = true;
process.stdin.on('end', () => {
	running = false;
});
process.stdin.resume();

let removed = 0;
process.stdout.write('ready\n');
while (running) {
	removed += await store.cleanup();
	await new Promise((resolve) => setImmediate(resolve));
}

process.stdout.write(`removed ${removed}\n`);
