// The esbuild options for a production Ink bundle, shared by the CLI's build and the
// benchmarks' baseline and profile builds, so what is measured is built as what ships.
import {startupPatches} from './startup-patches.mjs';

export const bundleOptions = {
	bundle: true,
	splitting: true,
	format: 'esm',
	platform: 'node',
	target: 'node20',
	minify: true,
	sourcemap: false,
	legalComments: 'none',
	chunkNames: 'chunks/[name]-[hash]',
	define: {'process.env.NODE_ENV': '"production"'},
	// Ink imports react-devtools-core only when DEV=true; it is not a dependency.
	external: ['react-devtools-core'],
	banner: {
		js: [
			// Bundled CommonJS dependencies call require(); give them one in this ES module.
			"import {createRequire as __createRequire} from 'node:module';",
			'const require = __createRequire(import.meta.url);',
		].join('\n'),
	},
	plugins: [startupPatches],
	logLevel: 'warning',
};
