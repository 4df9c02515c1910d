// Child processes run the library's real code: each entry is bundled once with esbuild (Node 20
// cannot run TypeScript itself) into a temp directory that is removed when the process exits.
import {rmSync} from 'node:fs';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {build} from 'esbuild';
import {makeTempDir} from '../helpers/temp-dir.js';

const built = new Map<string, Promise<string>>();
let outDir: string | undefined;

/** The path of a bundled .mjs for `test/session-children/<name>.ts`. */
export function childScript(name: string): Promise<string> {
	let script = built.get(name);
	if (!script) {
		if (!outDir) {
			const dir = makeTempDir('st-children-', {forFile: true});
			outDir = dir;
			process.once('exit', () => rmSync(dir, {recursive: true, force: true}));
		}

		const outfile = join(outDir, `${name}.mjs`);
		script = build({
			entryPoints: [fileURLToPath(new URL(`${name}.ts`, import.meta.url))],
			outfile,
			bundle: true,
			format: 'esm',
			platform: 'node',
			target: 'node20',
			logLevel: 'warning',
		}).then(() => outfile);
		built.set(name, script);
	}

	return script;
}
