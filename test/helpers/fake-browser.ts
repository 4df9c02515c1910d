import {chmodSync, existsSync, readFileSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {waitFor} from './wait.js';

export type BrowserVisit = {
	argv: string[];
	/** The names of the variables in its environment. */
	env: string[];
	authorize?: {status: number; location: string | null};
	callback?: {status: number; body: string};
	error?: string;
};

const script = fileURLToPath(new URL('fake-browser.mjs', import.meta.url));

/**
 * Writes an executable script `name` (default `browser.mjs`) into `dir` (a shebang naming this node, then the
 * stand-in's code) and returns its path, for `$BROWSER`. Visits are logged to `logFile`.
 */
export function installFakeBrowser(
	dir: string,
	name = 'browser.mjs',
): {command: string; logFile: string} {
	const command = path.join(dir, name);
	const logFile = path.join(dir, 'browser-visit.json');
	writeFileSync(command, `#!${process.execPath}\n${readFileSync(script, 'utf8')}`);
	chmodSync(command, 0o755);
	return {command, logFile};
}

export async function waitForVisit(logFile: string, timeoutMs = 30_000): Promise<BrowserVisit> {
	await waitFor(() => existsSync(logFile), 'the fake browser to report a visit', timeoutMs);

	return JSON.parse(readFileSync(logFile, 'utf8')) as BrowserVisit;
}
