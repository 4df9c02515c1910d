// A $BROWSER stand-in: follows the authorize URL as a browser would (GitHub answers with a
// redirect to the loopback callback, which the browser then loads), and writes what it saw
// to $FAKE_BROWSER_LOG as JSON. Installed by installFakeBrowser() as an executable script.
import {renameSync, writeFileSync} from 'node:fs';

const [url] = process.argv.slice(2);
const log = process.env.FAKE_BROWSER_LOG;
// The names of the variables it was started with (to check what it was not given).
const seen = {argv: process.argv.slice(2), env: Object.keys(process.env).sort()};

try {
	const authorize = await fetch(url, {redirect: 'manual'});
	const location = authorize.headers.get('location');
	seen.authorize = {status: authorize.status, location};
	await authorize.arrayBuffer();
	if (location && new URL(location).hostname === '127.0.0.1') {
		const callback = await fetch(location);
		seen.callback = {status: callback.status, body: await callback.text()};
	}
} catch (error) {
	seen.error = String(error?.cause?.code ?? error);
}

if (log) {
	// Write beside and rename, so a test polling for the file never reads half of it.
	writeFileSync(`${log}.tmp`, JSON.stringify(seen));
	renameSync(`${log}.tmp`, log);
}
