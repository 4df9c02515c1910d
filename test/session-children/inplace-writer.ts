// For the cleanup race against a writer that rewrites in place, as the Go FileStore does
// (os.WriteFile: open with O_TRUNC, then write; no rename). In rounds: writes every session so
// that it expires a moment later, waits until they all have (so the cleanups racing in other
// processes find them expired), renews each in place, then checks each renewed session is
// there. argv: dir, count, rounds. Prints one JSON line: {"renewed": n, "lost": [ids]}.
import {writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {encodeSession} from '../../source/session/codec.js';
import {racer, tokenOf, waitUntilPast} from './race.js';

const [dir = '', countText, roundsText] = process.argv.slice(2);
const ids = Array.from({length: Number(countText)}, (_, i) => `w${i}`);
const rounds = Number(roundsText);

/** Go's os.WriteFile: O_WRONLY|O_CREAT|O_TRUNC, then one write. */
function writeInPlace(id: string, token: string, expiresAt: number): void {
	const text = encodeSession({
		id,
		accessToken: token,
		user: racer,
		createdAt: new Date(),
		expiresAt: new Date(expiresAt),
	});
	writeFileSync(join(dir, `${id}.json`), text, {mode: 0o600});
}

const lost: string[] = [];
for (let round = 0; round < rounds; round++) {
	const short = Date.now() + 1;
	for (const id of ids) writeInPlace(id, `short-${round}`, short);
	await waitUntilPast(short);
	// Renew in a random order with short pauses, so renewals land at every point of a cleanup.
	for (const id of [...ids].sort(() => Math.random() - 0.5)) {
		writeInPlace(id, `renewed-${round}`, Date.now() + 60 * 60 * 1000);
		if (Math.random() < 0.1) await new Promise((resolve) => setImmediate(resolve));
	}

	for (const id of ids) {
		if ((await tokenOf(dir, id, 1000)) !== `renewed-${round}`) lost.push(`${id}@${round}`);
	}
}

process.stdout.write(`${JSON.stringify({renewed: ids.length * rounds, lost})}\n`);
