// Types for the tests and benchmarks that bundle with the plugin the build uses.
import type {Plugin} from 'esbuild';

export declare const patchNames: string[];
export declare function startupPatchesWithout(without?: string[]): Plugin;
export declare const startupPatches: Plugin;
