// Takes and releases a session's lock in a loop until it is killed. argv: dir, id. Prints
// `ready` before its first take, so that a kill can land anywhere in taking, holding, releasing
// or breaking the lock a killed predecessor left.
import {FileStore} from '../../source/session/file-store/file-store.js';

const [dir = '', id = ''] = process.argv.slice(2);
const store = new FileStore(dir);
process.stdout.write('ready\n');
for (;;) {
	await (await store.lock(id)).release();
}
