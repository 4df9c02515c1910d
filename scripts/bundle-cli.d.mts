// Types for test/cli-bundle.test.ts, which runs the build on a copy of the sources.
import type {BuildOptions} from 'esbuild';

export declare function bundleCli(
	options: {outdir: string; absWorkingDir?: string} & BuildOptions,
): Promise<void>;
