// The plain commands must not load Ink, React or the Redis client: they would cost start-up
// time for nothing. Hooks record every file the built CLI loads: cli.cjs alone, and it holds
// none of their code. And the build holds source/ to the rule that this one file imposes.
import {spawnSync} from 'node:child_process';
import {
	appendFileSync,
	cpSync,
	readdirSync,
	readFileSync,
	rmSync,
	symlinkSync,
	writeFileSync,
} from 'node:fs';
import path from 'node:path';
import {fileURLToPath, pathToFileURL} from 'node:url';
import {describe, expect, test} from 'vitest';
import {bundleCli} from '../scripts/bundle-cli.mjs';
import {builtCli, cliEnv} from './helpers/cli.js';
import {makeSessionDir} from './helpers/session-dir.js';
import {makeTempDir} from './helpers/temp-dir.js';

// Strings that occur only in the code of each package (checked below to be in some chunk).
const markers = {
	ink: 'ink-root',
	react: 'react.transitional.element',
	redis: 'ClientClosedError',
};

/**
 * A session directory, a `--import` module whose hook records each ES module loaded into
 * `loads`, and a `--require` module that adds every CommonJS module loaded, at exit (Node 20's
 * hooks do not see require()).
 */
function setUp(): {dir: string; loads: string; register: string; preload: string} {
	const dir = makeSessionDir();
	const loads = path.join(dir, 'loads.txt');
	const hooks = path.join(dir, 'hooks.mjs');
	const register = path.join(dir, 'register.mjs');
	writeFileSync(
		hooks,
		`import {appendFileSync} from 'node:fs';
export async function load(url, context, nextLoad) {
	if (url.startsWith('file:')) appendFileSync(${JSON.stringify(loads)}, url + '\\n');
	return nextLoad(url, context);
}
`,
	);
	writeFileSync(
		register,
		`import {register} from 'node:module';\nregister(${JSON.stringify(pathToFileURL(hooks).href)});\n`,
	);
	const preload = path.join(dir, 'preload.cjs');
	writeFileSync(
		preload,
		`process.on('exit', () => require('node:fs').appendFileSync(${JSON.stringify(loads)}, Object.keys(require.cache).filter((file) => file !== __filename).map((file) => require('node:url').pathToFileURL(file).href + '\\n').join('')));\n`,
	);
	writeFileSync(loads, '');
	return {dir, loads, register, preload};
}

describe('the plain commands load cli.cjs alone: neither Ink, React nor the Redis client', () => {
	test.each([[['list', '--json']], [['list']], [['cleanup']], [['delete', 'github']]])(
		'%j',
		async (args) => {
			const cli = await builtCli();
			const chunks = readdirSync(path.join(path.dirname(cli), 'chunks')).map((name) =>
				readFileSync(path.join(path.dirname(cli), 'chunks', name), 'utf8'),
			);
			for (const marker of Object.values(markers)) {
				// The markers are real: the bundle holds that code, somewhere.
				expect(chunks.some((code) => code.includes(marker))).toBe(true);
			}

			const {dir, loads, register, preload} = setUp();
			const result = spawnSync(
				process.execPath,
				[
					'--import',
					pathToFileURL(register).href,
					'--require',
					preload,
					cli,
					...args,
					'--dir',
					dir,
				],
				{env: cliEnv(), encoding: 'utf8'},
			);
			expect(result.stderr).toBe('');
			expect(result.status).toBe(0);
			const files = [
				...new Set(
					readFileSync(loads, 'utf8')
						.split('\n')
						.filter(Boolean)
						.map((url) => new URL(url).pathname),
				),
			];
			// One module: what the commands share with the inspector lives in cli.cjs itself
			// (scripts/bundle-cli.mjs), not in chunks that every start would load too.
			expect(files).toEqual([cli]);
			for (const file of files) {
				const code = readFileSync(file, 'utf8');
				for (const [name, marker] of Object.entries(markers)) {
					expect(code.includes(marker), `${path.basename(file)} holds ${name}`).toBe(false);
				}
			}
		},
	);
});

// The chunks (the inspector, the Redis store) use the session library that cli.cjs holds: one
// copy, so an error class a chunk throws is the one cli.cjs tests with instanceof.
test('the chunks hold no second copy of the session library, and take it from cli.cjs', async () => {
	const cli = await builtCli();
	const chunkDir = path.join(path.dirname(cli), 'chunks');
	const chunks = readdirSync(chunkDir).map((name) =>
		readFileSync(path.join(chunkDir, name), 'utf8'),
	);
	// A text of the codec's, and the message of the error class the RedisStore chunk throws.
	for (const marker of ['id is not a valid session id', 'is not a valid session: ']) {
		expect(readFileSync(cli, 'utf8').includes(marker), marker).toBe(true);
		expect(
			chunks.filter((code) => code.includes(marker)),
			marker,
		).toEqual([]);
	}
	expect(chunks.some((code) => code.includes('"../cli.cjs"'))).toBe(true);
});

// cli.cjs passes the modules it shares with the chunks on with `export *`, which passes on no
// default export and only one of two same-named exports: the build must refuse both, saying
// which rule and what to rename, rather than leave a chunk with an undefined import.
test('the build refuses a shared module with a default export, or a name two of them export', async () => {
	const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
	const copy = makeTempDir('stacktower-bundle-rule-');
	try {
		for (const name of ['cli.tsx', 'package.json', 'tsconfig.json', 'source']) {
			cpSync(path.join(repo, name), path.join(copy, name), {recursive: true});
		}
		symlinkSync(path.join(repo, 'node_modules'), path.join(copy, 'node_modules'));
		// The session library is what both sides use; every module of it breaks the rule here.
		const library = path.join(copy, 'source', 'session');
		const modules = readdirSync(library, {recursive: true, encoding: 'utf8'}).filter((file) =>
			/(?<!\.d)\.ts$/.test(file),
		);
		for (const file of modules) {
			appendFileSync(
				path.join(library, file),
				'\nexport const sameName = 1;\nexport default sameName;\n',
			);
		}

		const built = bundleCli({outdir: path.join(copy, 'dist'), absWorkingDir: copy});
		await expect(built).rejects.toThrow(/no two of them may export the same name/);
		const message = await built.then(
			() => '',
			(error: Error) => error.message,
		);
		expect(message).toMatch(/^ {2}sameName: exported by source\/session\/\S+, source\/session\//m);
		expect(message).toMatch(/^ {2}default: exported by source\/session\//m);
		expect(message).toContain('Fix: rename one of the two');
	} finally {
		rmSync(copy, {recursive: true, force: true});
	}
}, 60_000);
