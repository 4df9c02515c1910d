// Build-time rewrites of published dependency files that cost every start of the CLI time
// their own sources do not ask for. Each is kept only while it saves more than ~5 ms where it
// acts (bench/patches.mjs measures each; BENCHMARKS.md has the numbers), and each is held to
// the published code by test/build-patches.test.ts. Each rewrite must find its text exactly,
// or the build fails: a new release is then looked at again rather than silently losing (or
// mangling) the patch. Nothing else of these packages changes.
import {readFile} from 'node:fs/promises';
import {createRequire} from 'node:module';

// Resolves as Ink does, so a patch finds the copy of a package that Ink itself loads.
const fromInk = createRequire(createRequire(import.meta.url).resolve('ink'));

/** An esbuild filter matching this one path. */
function exactly(path) {
	return new RegExp(`^${path.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&')}$`);
}

const patches = [
	{
		name: 'meow-import',
		// meow normalises package.json only when `cli.pkg` is read, but its rollup bundle runs
		// normalize-package-data's initialisation (with the SPDX license tables) and Babel's
		// code-frame set-up (for parse-json's errors) at import, and keeps a dead
		// `promisify(execFile)` that loads node:child_process with net and dgram: deferred or
		// dropped, on the path of every start.
		file: /[\\/]meow[\\/]build[\\/]dependencies\.js$/,
		rewrites: [
			{
				from: 'var normalizeExports = requireNormalize();\nconst normalizePackageData = getDefaultExportFromCjs(normalizeExports);',
				to: 'const normalizePackageData = (...args) => getDefaultExportFromCjs(requireNormalize())(...args);',
			},
			{from: 'var libExports = requireLib$1();\n', to: '\n'},
			{from: 'libExports.codeFrameColumns(', to: 'requireLib$1().codeFrameColumns('},
			{from: "import { execFile } from 'node:child_process';", to: ''},
			{from: '\npromisify(execFile);\n', to: '\n'},
		],
	},
	{
		name: 'ansi-tokenize',
		// Ink turns every frame into text cell by cell, a terminal's width times its height, and
		// between two cells works out the escape codes from one style to the next: three Sets
		// and several arrays per cell, even between two blank cells. Two cells with the same
		// styles (the blank screen, a run of one colour) need no codes, which is what the diff
		// gives them; this says so without working it out, in every frame the inspector draws.
		file: /[\\/]@alcalzone[\\/]ansi-tokenize[\\/]build[\\/]styledChars\.js$/,
		rewrites: [
			{
				from: 'export function styledCharsToString(chars) {',
				to: `function sameStyles(a, b) {
    if (a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (a[i].code !== b[i].code) return false;
    return true;
}
export function styledCharsToString(chars) {`,
			},
			{
				from: 'ret += ansiCodesToString(diffAnsiCodes(chars[i - 1].styles, char.styles));',
				to: 'if (!sameStyles(chars[i - 1].styles, char.styles)) ret += ansiCodesToString(diffAnsiCodes(chars[i - 1].styles, char.styles));',
			},
			{
				from: 'if (i === chars.length - 1) {',
				to: 'if (i === chars.length - 1 && char.styles.length !== 0) {',
			},
		],
	},
	{
		name: 'string-width',
		// Ink measures every text it lays out with string-width, whose fast path takes printable
		// ASCII only: one '❯' or '·' sends a string through grapheme segmentation and Unicode
		// property regular expressions, compiled on their first use, before the inspector's
		// first frame. The few symbols the inspector draws are one column each, as the
		// published code computes them (with ambiguous characters narrow, its default); they
		// join the fast path. test/build-patches.test.ts holds the two to the same results.
		// The copy Ink and widest-line load (wrap-ansi has an older one of its own, not patched).
		file: exactly(fromInk.resolve('string-width')),
		rewrites: [
			{
				from: 'if (/^[\\u0020-\\u007E]*$/.test(string)) {',
				to: 'if (/^[\\u0020-\\u007E]*$/.test(string) || (ambiguousIsNarrow && /^[\\u0020-\\u007E\\u00B7\\u2022\\u2026\\u2014\\u2191\\u2193\\u2192\\u23CE\\u276F]*$/.test(string))) {',
			},
		],
	},
	{
		name: 'yoga-layout',
		// Ink's layout engine, yoga-layout, embeds its WebAssembly as a base64 data: URL and
		// Emscripten loads it with fetch() when fetch exists, which in Node loads all of undici
		// to decode a data: URL; its fallback decodes with atob one character at a time. Both
		// are replaced by Buffer's native base64 decoding, before the inspector's first frame.
		file: /[\\/]yoga-layout[\\/]dist[\\/]binaries[\\/]yoga-wasm-base64-esm\.js$/,
		rewrites: [
			{from: '"function"!=typeof fetch', to: 'true'},
			{
				from: 'var b=xa(a.slice(37)),c=new Uint8Array(b.length);for(a=0;a<b.length;++a)c[a]=b.charCodeAt(a);var d=c',
				to: 'var d=new Uint8Array(Buffer.from(a.slice(37),"base64"))',
			},
		],
	},
];

/** Every patch's name. */
export const patchNames = patches.map(({name}) => name);

/**
 * The esbuild plugin that applies the patches, less those named in `without` (bench/patches.mjs
 * builds the CLI without each in turn, to measure what each is worth).
 */
export function startupPatchesWithout(without = []) {
	for (const name of without) {
		if (!patchNames.includes(name)) throw new Error(`startup-patches: no patch named ${name}`);
	}

	return {
		name: 'startup-patches',
		setup(build) {
			for (const {name, file, rewrites} of patches) {
				if (without.includes(name)) continue;
				build.onLoad({filter: file}, async ({path}) => {
					let contents = await readFile(path, 'utf8');
					for (const {from, to} of rewrites) {
						if (!contents.includes(from)) {
							throw new Error(
								`startup-patches: ${JSON.stringify(from.slice(0, 60))} is not in ${path} any more; update scripts/startup-patches.mjs for this release`,
							);
						}

						contents = contents.replace(from, () => to);
					}

					return {contents, loader: 'js'};
				});
			}
		},
	};
}

/** The esbuild plugin the build uses: every patch. */
export const startupPatches = startupPatchesWithout();
