// Holds a session's lock in a process of its own. argv: dir, id. Prints `locked` once it holds
// it; releases and exits when a line arrives on stdin (or is killed while holding it).
import {FileStore} from '../../source/session/file-store/file-store.js';

const [dir = '', id = ''] = process.argv.slice(2);
const lock = await new FileStore(dir).lock(id);
process.stdout.write('locked\n');
process.stdin.once('data', () => {
	void lock.release().then(() => process.exit(0));
});
