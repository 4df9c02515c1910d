// Types for test/build-patches.test.ts, which bundles with the plugin the build uses.
import type {Plugin} from 'esbuild';

export declare const startupPatches: Plugin;
