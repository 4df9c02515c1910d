// Bundles the CLI in two builds, so that a plain command loads one file:
//
//   dist/cli.cjs        cli.tsx and everything the plain commands need, as one CommonJS
//                       module: Node 20 starts it sooner than the same code as an ES module,
//                       whose loader is asynchronous and resolves through URLs;
//   dist/chunks/*.mjs   what is loaded with import() only when needed: the inspector (Ink,
//                       React), the login flow, the Redis store and its client. ES modules,
//                       since Ink's layout engine uses a top-level await.
//
// One esbuild build with code splitting would put the modules both sides use (the session
// library, the formatting) in shared chunks, which every start would then load too. Two
// independent bundles would each have a copy of them, and of their classes (`delete` tells a
// RedisStore's CorruptError apart with instanceof). So cli.cjs re-exports the modules both
// sides use, and the chunks take them from cli.cjs with require(): one copy, loaded once.
//
// The rule this imposes on source/: a module that cli.cjs and a chunk both use may have no
// default export, and no two such modules may export the same name (`export *` passes on
// neither). A name cli.cjs does not pass on would be undefined in the chunk, not a load error,
// so the build checks the rule and fails with the names and the files to rename.
import {chmodSync} from 'node:fs';
import {join, resolve} from 'node:path';
import {build} from 'esbuild';
import {bundleOptions} from './bundle-options.mjs';

/** What is loaded with import(), by output name (dist/chunks/<name>.mjs). */
const lazyEntries = {
	'run-inspector': 'source/ui/run-inspector.tsx',
	'start-login': 'source/github/start-login.ts',
	login: 'source/commands/login.ts',
	'redis-store': 'source/session/redis/index.ts',
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
	/** Each name a shared module exports, with the modules that export it. */
	const exporters = new Map();
	for (const output of Object.values(exported.metafile.outputs)) {
		if (output.entryPoint === undefined) continue;
		for (const name of output.exports) {
			exporters.set(name, [...(exporters.get(name) ?? []), output.entryPoint]);
		}
	}

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
	// `export *` passes on no `default`, and of a name two modules export it passes on one (the
	// chunks would get the other module's binding): the rule below, checked on every build.
	const passedOn = new Set(
		Object.values(entryProbe.metafile.outputs).flatMap((output) => output.exports),
	);
	const broken = [...exporters].filter(([name, files]) => files.length > 1 || !passedOn.has(name));
	if (broken.length > 0) {
		throw new Error(
			[
				'bundle-cli: a module that both dist/cli.cjs and a lazily loaded chunk use is shared',
				'through cli.cjs, which re-exports it with `export *`; so such a module may have no',
				'default export, and no two of them may export the same name. Broken here:',
				...broken.map(([name, files]) => `  ${name}: exported by ${files.join(', ')}`),
				'Fix: rename one of the two (or make the default export a named one).',
			].join('\n'),
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
		// esbuild keeps the hashbang of the entry file only, which is the module above now.
		banner: {
			js: '#!/usr/bin/env node',
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
					// only after loading cjs-module-lexer's WebAssembly and lexing cli.cjs for
					// its names, before the inspector's first frame.
					b.onResolve({filter: /^\./}, ({path, resolveDir, kind}) => {
						if (kind === 'entry-point') return undefined;
						const shared = sharedStems.has(stem(resolve(resolveDir, path)));
						return shared ? {path: 'cli.cjs', namespace: 'shared-from-cli'} : undefined;
					});
					// Bound once to plain constants: a CommonJS `module.exports` would be read through
					// esbuild's interop getters on every call (two getters per call of a shared
					// function, which showed in `list --json` of a large store). The values are
					// those cli.cjs has when the chunk loads: shared modules export no `let`.
					b.onLoad({filter: /.*/, namespace: 'shared-from-cli'}, () => ({
						contents: `export const {${[...exporters.keys()].join(', ')}} = require('../cli.cjs');`,
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
