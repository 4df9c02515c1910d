// Bundles the CLI in two builds, so that the plain commands load one file (issue 6):
//
//   dist/cli.cjs        cli.tsx and everything the plain commands need, as one CommonJS
//                       module: Node 20 starts it ~5 ms sooner than the same code as an ES
//                       module, whose loader is asynchronous and resolves through URLs;
//   dist/chunks/*.mjs   what is loaded with import() only when needed: the inspector (Ink,
//                       React), the login flow, the Redis store and its client. ES modules,
//                       since Ink's layout engine uses a top-level await.
//
// One esbuild build with code splitting puts the modules both sides use (the session library,
// the formatting) in shared chunks, and cli.js then loads seven modules instead of one: ~5 ms
// of every start. Two independent bundles would each have a copy of them, and of their classes
// (`delete` tells a RedisStore's CorruptError apart with instanceof). So cli.cjs re-exports the
// modules both sides use, and the chunks take them from cli.cjs with require(): one copy,
// loaded once. A name cli.cjs does not export would be undefined there, not a load error, so
// the build checks that it exports every name the chunks may use.
import {chmodSync} from 'node:fs';
import {join, resolve} from 'node:path';
import {build} from 'esbuild';
import {bundleOptions} from './bundle-options.mjs';

/** What is loaded with import(), by output name (dist/chunks/<name>.mjs). */
const lazyEntries = {
	'run-inspector': 'source/ui/run-inspector.tsx',
	'start-login': 'source/github/start-login.ts',
	login: 'source/commands/login.ts',
	'redis-store': 'source/session/redis-store.ts',
};

/** A source file without its extension: imports name `x.js` for `x.ts` and `x.tsx`. */
const stem = (file) => file.replace(/\.(js|tsx?)$/, '');

/**
 * Bundles into `outdir` with the shared esbuild options and `overrides` (the profile build
 * turns minification off). Fails when a module the chunks share with cli.cjs exports a name
 * that cli.cjs cannot pass on.
 */
export async function bundleCli({outdir, absWorkingDir = process.cwd(), ...overrides}) {
	const options = {...bundleOptions, absWorkingDir, ...overrides};
	const root = (file) => resolve(absWorkingDir, file);
	const lazyByStem = new Map(
		Object.entries(lazyEntries).map(([name, file]) => [stem(root(file)), name]),
	);

	// In cli.cjs, an import() of a lazy module stays an import() of its chunk.
	const lazyStaysOut = {
		name: 'lazy-stays-out',
		setup(b) {
			b.onResolve({filter: /^\./}, ({path, resolveDir, kind}) => {
				if (kind !== 'dynamic-import') return undefined;
				const name = lazyByStem.get(stem(resolve(resolveDir, path)));
				return name ? {path: `./chunks/${name}.mjs`, external: true} : undefined;
			});
		},
	};

	// Which of our modules both builds would bundle, and what each exports.
	const probe = {...options, write: false, metafile: true, minify: false, outdir: 'probe'};
	const [core, lazy] = await Promise.all([
		build({
			...probe,
			splitting: false,
			entryPoints: ['cli.tsx'],
			plugins: [...options.plugins, lazyStaysOut],
		}),
		build({...probe, entryPoints: lazyEntries}),
	]);
	const inLazy = new Set(Object.keys(lazy.metafile.inputs));
	const shared = Object.keys(core.metafile.inputs).filter(
		(file) => /^source\/.*\.tsx?$/.test(file) && inLazy.has(file),
	);
	const sharedStems = new Set(shared.map((file) => stem(root(file))));
	const exported = await build({...probe, entryPoints: shared});
	const names = Object.values(exported.metafile.outputs)
		.filter((output) => output.entryPoint !== undefined)
		.flatMap((output) => output.exports);

	const entry = {
		contents: [
			...shared.map((file) => `export * from ${JSON.stringify(`./${file}`)};`),
			"import './cli.tsx';",
		].join('\n'),
		resolveDir: absWorkingDir,
		sourcefile: 'cli-entry.js',
		loader: 'js',
	};
	// What cli.cjs exports, read from the same entry built as an ES module (esbuild's metafile
	// lists the exports of ES module output only).
	const entryProbe = await build({
		...probe,
		splitting: false,
		stdin: entry,
		plugins: [...options.plugins, lazyStaysOut],
	});
	// `export *` passes on no `default`, and of a name two modules export esbuild passes on one:
	// the chunks would get the other module's binding. Either is a build error.
	const passedOn = new Set(
		Object.values(entryProbe.metafile.outputs).flatMap((output) => output.exports),
	);
	const twice = names.filter((name, i) => names.indexOf(name) !== i);
	const lost = [...new Set([...names.filter((name) => !passedOn.has(name)), ...twice])];
	if (lost.length > 0) {
		throw new Error(
			`bundle-cli: cli.cjs cannot pass on ${lost.join(', ')} to the chunks (a default export, or a name more than one of ${shared.join(', ')} exports): rename it`,
		);
	}

	await build({
		...options,
		format: 'cjs',
		splitting: false,
		outdir,
		stdin: entry,
		entryNames: 'cli',
		outExtension: {'.js': '.cjs'},
		// meow asks for import.meta, which CommonJS lacks: this module's URL stands in for it.
		define: {...options.define, 'import.meta': '__importMeta'},
		// esbuild keeps the hashbang of the entry file only, which is the module above now.
		banner: {
			js: "#!/usr/bin/env node\nconst __importMeta = {url: require('node:url').pathToFileURL(__filename).href};",
		},
		plugins: [...options.plugins, lazyStaysOut],
	});
	chmodSync(join(outdir, 'cli.cjs'), 0o755);

	await build({
		...options,
		outdir: join(outdir, 'chunks'),
		entryPoints: lazyEntries,
		entryNames: '[name]',
		chunkNames: '[name]-[hash]',
		outExtension: {'.js': '.mjs'},
		plugins: [
			...options.plugins,
			{
				name: 'shared-from-cli',
				setup(b) {
					// A shared module is cli.cjs's exports, taken with require() (the banner's, made
					// for this chunk's URL): cli.cjs has run by then, so require() returns its
					// exports from the module cache. An ES import of cli.cjs would do the same
					// after loading cjs-module-lexer's WebAssembly and lexing cli.cjs for the
					// names: ~20 ms before the inspector's first frame.
					b.onResolve({filter: /^\./}, ({path, resolveDir, kind}) => {
						if (kind === 'entry-point') return undefined;
						const shared = sharedStems.has(stem(resolve(resolveDir, path)));
						return shared ? {path: 'cli.cjs', namespace: 'shared-from-cli'} : undefined;
					});
					b.onLoad({filter: /.*/, namespace: 'shared-from-cli'}, () => ({
						contents: "module.exports = require('../cli.cjs');",
						loader: 'js',
					}));
					b.onResolve({filter: /^\.\.\/cli\.cjs$/}, ({importer}) =>
						importer === 'cli.cjs' ? {path: '../cli.cjs', external: true} : undefined,
					);
				},
			},
		],
	});
}
