// For the cleanup race: for each of `count` ids, writes a session that expires almost at once,
// waits until it has expired (so a concurrent cleanup sees it expired), then refreshes it with a
// session that lasts an hour. Both are unexpired when written. argv: dir, count.
import {FileStore} from '../../source/session/file-store.js';

const [dir, countText] = process.argv.slice(2);
const store = new FileStore(dir);
const count = Number(countText);
const user = {id: 1, login: 'racer', name: '', avatarUrl: '', email: ''};

async function waitUntilPast(time: number): Promise<void> {
	while (Date.now() <= time) {
		await new Promise((resolve) => {
			setTimeout(resolve, 1);
		});
	}
}

for (let i = 0; i < count; i++) {
	const id = `r${i}`;
	const short = Date.now() + 1;
	await store.set({
		id,
		accessToken: `short-${i}`,
		user,
		createdAt: new Date(),
		expiresAt: new Date(short),
	});
	await waitUntilPast(short + 1 + Math.floor(Math.random() * 6));
	await store.set({
		id,
		accessToken: `refreshed-${i}`,
		user,
		createdAt: new Date(),
		expiresAt: new Date(Date.now() + 60 * 60 * 1000),
	});
}

process.stdout.write('done\n');
