// For the cleanup race. In rounds, for each of a few ids: writes a session that expires almost
// at once, waits until it has expired (so the concurrent cleanup sees it expired), then
// refreshes it with a session that lasts an hour. Both are unexpired when written. After each
// round it checks that every refreshed session is still there: a cleanup that read the
// short-lived version and then deleted by name would have removed the refreshed one.
// argv: dir, rounds. Prints `done`, or `lost <id> <round>` and exits 1.
import {FileStore} from '../../source/session/file-store/file-store.js';
import {racer, tokenOf, waitUntilPast} from './race.js';

const [dir = '', roundsText] = process.argv.slice(2);
const store = new FileStore(dir);
const rounds = Number(roundsText);
const ids = ['r0', 'r1', 'r2', 'r3', 'r4', 'r5', 'r6', 'r7'];

for (let round = 0; round < rounds; round++) {
	for (const id of ids) {
		const short = Date.now() + 1;
		await store.set({
			id,
			accessToken: `short-${round}`,
			user: racer,
			createdAt: new Date(),
			expiresAt: new Date(short),
		});
		await waitUntilPast(short + Math.floor(Math.random() * 3));
		await store.set({
			id,
			accessToken: `refreshed-${round}`,
			user: racer,
			createdAt: new Date(),
			expiresAt: new Date(Date.now() + 60 * 60 * 1000),
		});
	}

	for (const id of ids) {
		if ((await tokenOf(dir, id, 500)) !== `refreshed-${round}`) {
			process.stdout.write(`lost ${id} ${round}\n`);
			process.exit(1);
		}
	}
}

process.stdout.write('done\n');
