// Generates session directories in the Go FileStore's on-disk format: `<dir>/<id>.json`,
// 2-space indented JSON with the Go field names, file mode 0600, directory mode 0700.
// A third of the sessions are expired. Writes are synchronous: 100,000 small files in a few
// seconds, far faster than awaiting as many promises.
//
//   node bench/generate.mjs 1000 [10000 ...]   prints the directories it made (kept: remove
//   them with rm -r when done)
import {randomBytes} from 'node:crypto';
import {mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {pathToFileURL} from 'node:url';

const hour = 3_600_000;
const day = 24 * hour;
// Go writes each time with the writer's offset and up to nine fractional digits; vary both so
// the reader under test parses what the Go CLI really leaves on disk.
const offsets = [0, 120, -300, 330, 60];

let root;
const made = new Map();

/** The temp directory every generated set lives in; removed by `removeGenerated()`. */
export function benchRoot() {
	root ??= mkdtempSync(join(tmpdir(), 'stacktower-bench-'));
	return root;
}

/** Removes every directory this process generated. */
export function removeGenerated() {
	if (root) {
		rmSync(root, {recursive: true, force: true});
	}

	root = undefined;
	made.clear();
}

function pad(n, width = 2) {
	return String(n).padStart(width, '0');
}

/** RFC 3339 as Go's time.Time MarshalJSON writes it, in the given UTC offset (minutes). */
function rfc3339(ms, offsetMinutes, nanos) {
	const local = new Date(ms + offsetMinutes * 60_000);
	const date = `${local.getUTCFullYear()}-${pad(local.getUTCMonth() + 1)}-${pad(local.getUTCDate())}`;
	const time = `${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}:${pad(local.getUTCSeconds())}`;
	// Go trims trailing zeros of the fraction and drops it when it is zero.
	const fraction = nanos === 0 ? '' : `.${pad(nanos, 9).replace(/0+$/, '')}`;
	let zone = 'Z';
	if (offsetMinutes !== 0) {
		const abs = Math.abs(offsetMinutes);
		zone = `${offsetMinutes < 0 ? '-' : '+'}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
	}

	return `${date}T${time}${fraction}${zone}`;
}

/** How many of `count` generated sessions are expired (every third, from the third on). */
export function expiredCount(count) {
	return Math.floor(count / 3);
}

/** One session file's text, byte for byte what Go's json.MarshalIndent(s, "", "  ") writes. */
export function sessionText(id, index, now) {
	const expired = index % 3 === 2;
	const offset = offsets[index % offsets.length];
	const userId = 1000 + (index % 5000);
	const login = `user${userId}`;
	// Active ones expire from hours to weeks ahead (none turns expired during a run, so the counts
	// the inspector shows stay put), expired ones from seconds to months ago.
	const spread = ((index * 7919) % 1000) / 1000;
	const expiresAt = expired ? now - 1000 - spread * 90 * day : now + 2 * hour + spread * 30 * day;
	const createdAt = expiresAt - day;
	const nanos = index % 4 === 0 ? 0 : (index * 104_729) % 1_000_000_000;
	const user =
		index % 50 === 49
			? 'null'
			: `{
    "id": ${userId},
    "login": "${login}",
    "name": "Name of ${login}",
    "avatar_url": "https://avatars.githubusercontent.com/u/${userId}",
    "email": "${login}@example.com"
  }`;
	return `{
  "id": "${id}",
  "access_token": "gho_${randomBytes(27).toString('base64url')}",
  "user": ${user},
  "expires_at": "${rfc3339(expiresAt, offset, nanos)}",
  "created_at": "${rfc3339(createdAt, offset, 0)}"
}`;
}

/**
 * A directory of `count` sessions (ids as Go's GenerateID makes them), generated once per
 * process and reused. Returns its path.
 */
export function generate(count) {
	const existing = made.get(count);
	if (existing) {
		return existing;
	}

	const dir = join(benchRoot(), `sessions-${count}`);
	mkdirSync(dir, {mode: 0o700});
	const now = Date.now();
	for (let index = 0; index < count; index++) {
		const id = randomBytes(32).toString('base64url');
		writeFileSync(join(dir, `${id}.json`), sessionText(id, index, now), {mode: 0o600});
	}

	made.set(count, dir);
	return dir;
}

/** `count` sessions with readable, fixed ids (`bench-0000` ...), for spotting them on a screen. */
export function generateNamed(count) {
	const key = `named-${count}`;
	const existing = made.get(key);
	if (existing) {
		return existing;
	}

	const dir = join(benchRoot(), `sessions-${key}`);
	mkdirSync(dir, {mode: 0o700});
	const now = Date.now();
	for (let index = 0; index < count; index++) {
		const id = `bench-${pad(index, 4)}`;
		writeFileSync(join(dir, `${id}.json`), sessionText(id, index, now), {mode: 0o600});
	}

	made.set(key, dir);
	return dir;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
	const counts = process.argv.slice(2).map(Number);
	if (counts.length === 0 || counts.some((n) => !Number.isInteger(n) || n < 0)) {
		console.error('usage: node bench/generate.mjs COUNT...');
		process.exit(2);
	}

	for (const count of counts) {
		const started = performance.now();
		const dir = generate(count);
		const ms = Math.round(performance.now() - started);
		console.log(`${dir}\t${count} sessions in ${ms} ms`);
	}
}
