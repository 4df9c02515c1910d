// scripts/startup-patches.mjs rewrites some dependencies' code in the bundle for speed. A
// rewrite that changes what the code does must not pass unnoticed: here the patched code,
// bundled by esbuild with the very plugin the build uses, is held to the published code.
import {readFileSync, rmSync} from 'node:fs';
import {createRequire} from 'node:module';
import path from 'node:path';
import {pathToFileURL} from 'node:url';
import {build} from 'esbuild';
import fc from 'fast-check';
import {afterAll, beforeAll, describe, expect, test} from 'vitest';
import {startupPatches} from '../scripts/startup-patches.mjs';
import {makeTempDir} from './helpers/temp-dir.js';

type Style = {type: 'ansi'; code: string; endCode: string};
type StyledChar = {type: 'char'; value: string; fullWidth: boolean; styles: Style[]};
type Token = Style | {type: 'char'; value: string; fullWidth: boolean};
type Functions = {
	tokenize: (text: string) => Token[];
	styledCharsFromTokens: (tokens: Token[]) => StyledChar[];
	styledCharsToString: (chars: StyledChar[]) => string;
	stringWidth: (text: string, options?: {ambiguousIsNarrow?: boolean}) => number;
	Yoga: Yoga;
};
type YogaNode = {
	setWidth(width: number): void;
	setHeight(height: number): void;
	setFlexDirection(direction: number): void;
	setFlexGrow(grow: number): void;
	setPadding(edge: number, padding: number): void;
	insertChild(child: YogaNode, index: number): void;
	calculateLayout(width: number, height: number): void;
	getComputedLayout(): {left: number; top: number; width: number; height: number};
};
type Yoga = {
	Node: {create(): YogaNode};
	FLEX_DIRECTION_ROW: number;
	FLEX_DIRECTION_COLUMN: number;
	EDGE_ALL: number;
};

// The copies Ink loads (they are Ink's dependencies, not ours): esbuild resolves the imports
// from Ink's own directory, as Node does for Ink.
const inkDir = path.dirname(createRequire(import.meta.url).resolve('ink'));
const source = [
	"export {tokenize, styledCharsFromTokens, styledCharsToString} from '@alcalzone/ansi-tokenize';",
	"export {default as stringWidth} from 'string-width';",
	"export {default as Yoga} from 'yoga-layout';",
].join('\n');

let work: string;
let published: Functions;
let patched: Functions;

beforeAll(async () => {
	work = makeTempDir('stacktower-patches-', {forFile: true});
	const bundle = async (name: string, plugins: (typeof startupPatches)[]) => {
		const outfile = path.join(work, `${name}.mjs`);
		await build({
			stdin: {contents: source, resolveDir: inkDir, loader: 'js'},
			bundle: true,
			format: 'esm',
			platform: 'node',
			outfile,
			plugins,
			logLevel: 'silent',
		});
		return (await import(pathToFileURL(outfile).href)) as Functions;
	};

	published = await bundle('published', []);
	patched = await bundle('patched', [startupPatches]);
}, 30_000);

test('the patched bundle holds the patches and the published one does not', () => {
	const code = (name: string) => readFileSync(path.join(work, `${name}.mjs`), 'utf8');
	for (const marker of ['function sameStyles(', '\\u276F]*$/.test(string)', '"base64"))']) {
		expect(code('patched')).toContain(marker);
		expect(code('published')).not.toContain(marker);
	}
});

afterAll(() => {
	rmSync(work, {recursive: true, force: true});
});

// What Ink writes: text in chalk's colours and weights, nested, reset, in 256 colours.
const pieces = [
	'a',
	'Z',
	' ',
	'é',
	'❯',
	'\u001B[1m',
	'\u001B[22m',
	'\u001B[2m',
	'\u001B[31m',
	'\u001B[36m',
	'\u001B[39m',
	'\u001B[4m',
	'\u001B[24m',
	'\u001B[7m',
	'\u001B[27m',
	'\u001B[38;5;123m',
	'\u001B[48;5;17m',
	'\u001B[49m',
	'\u001B[0m',
];

/** A row as Ink's Output builds it: blank cells, then written text at some column. */
const row = fc
	.record({
		width: fc.integer({min: 0, max: 30}),
		at: fc.integer({min: 0, max: 30}),
		text: fc.array(fc.constantFrom(...pieces), {maxLength: 40}),
	})
	.map(({width, at, text}) => {
		const cells: StyledChar[] = Array.from({length: width}, () => ({
			type: 'char',
			value: ' ',
			fullWidth: false,
			styles: [],
		}));
		const written = published.styledCharsFromTokens(published.tokenize(text.join('')));
		cells.splice(Math.min(at, width), written.length, ...written);
		return cells;
	});

describe('the styledCharsToString patch', () => {
	test('gives the text the published code gives, for any row', () => {
		fc.assert(
			fc.property(row, (cells) => {
				expect(patched.styledCharsToString(cells)).toBe(published.styledCharsToString(cells));
			}),
			{numRuns: 3000},
		);
	});

	test('styled text still gets its codes and its reset', () => {
		const cells = published.styledCharsFromTokens(published.tokenize('\u001B[36mab\u001B[39m c'));
		const text = patched.styledCharsToString(cells);
		expect(text).toBe(published.styledCharsToString(cells));
		expect(text).toContain('\u001B[36m');
		expect(text).toContain('\u001B[39m');
	});
});

// The symbols the inspector draws, and what can change a width around them: combining marks,
// joiners, variation selectors, emoji, wide and ambiguous characters, controls, escape codes.
const widthPieces = [
	'a',
	' ',
	'~',
	'·',
	'•',
	'…',
	'—',
	'↑',
	'↓',
	'→',
	'⏎',
	'❯',
	'\u0301',
	'\u200D',
	'\uFE0F',
	'\uFE0E',
	'😀',
	'界',
	'±',
	'\u0007',
	'\u001B[31m',
	'\u001B[39m',
];

describe('the string-width patch', () => {
	test('gives the width the published code gives, for any text and either ambiguity', () => {
		fc.assert(
			fc.property(
				fc.array(fc.constantFrom(...widthPieces), {maxLength: 30}),
				fc.boolean(),
				(text, ambiguousIsNarrow) => {
					const string = text.join('');
					expect(patched.stringWidth(string, {ambiguousIsNarrow})).toBe(
						published.stringWidth(string, {ambiguousIsNarrow}),
					);
					expect(patched.stringWidth(string)).toBe(published.stringWidth(string));
				},
			),
			{numRuns: 3000},
		);
	});

	test('ambiguous symbols are still two columns wide when asked for', () => {
		expect(patched.stringWidth('·•…↑', {ambiguousIsNarrow: false})).toBe(8);
		expect(patched.stringWidth('·•…↑❯⏎')).toBe(6);
	});
});

describe('the yoga-layout patch', () => {
	/** A column of rows as Ink lays out the inspector: fixed, grown and padded boxes. */
	function layout(yoga: Yoga, sizes: {width: number; height: number; grow: number}[]) {
		const root = yoga.Node.create();
		root.setFlexDirection(yoga.FLEX_DIRECTION_COLUMN);
		root.setPadding(yoga.EDGE_ALL, 1);
		const children = sizes.map((size, index) => {
			const child = yoga.Node.create();
			child.setFlexDirection(yoga.FLEX_DIRECTION_ROW);
			child.setWidth(size.width);
			child.setHeight(size.height);
			child.setFlexGrow(size.grow);
			root.insertChild(child, index);
			return child;
		});
		root.calculateLayout(120, 40);
		return [root, ...children].map((node) => node.getComputedLayout());
	}

	test('loads the same layout engine: any layout comes out the same', () => {
		fc.assert(
			fc.property(
				fc.array(
					fc.record({
						width: fc.integer({min: 0, max: 130}),
						height: fc.integer({min: 0, max: 10}),
						grow: fc.integer({min: 0, max: 3}),
					}),
					{maxLength: 12},
				),
				(sizes) => {
					expect(layout(patched.Yoga, sizes)).toEqual(layout(published.Yoga, sizes));
				},
			),
			{numRuns: 200},
		);
	});
});
