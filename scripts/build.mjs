// Builds the CLI as one production bundle (React's production build, no node_modules resolution
// at start-up: about a third of the start time of loading ink and react unbundled), with the
// Ink app split into its own chunk so the plain commands never load it. The library is compiled
// file by file with tsc so its consumers get declarations.
import {execFileSync} from 'node:child_process';
import {renameSync, rmSync} from 'node:fs';
import {bundleCli} from './bundle-cli.mjs';

// Build beside dist and swap it in, so a test reading dist never sees a half-written build.
const out = `dist.tmp-${process.pid}`;
rmSync(out, {recursive: true, force: true});

await bundleCli({outdir: out});

execFileSync(
	process.execPath,
	['node_modules/typescript/bin/tsc', '-p', 'tsconfig.lib.json', '--outDir', `${out}/lib`],
	{stdio: 'inherit'},
);

rmSync('dist', {recursive: true, force: true});
renameSync(out, 'dist');
