import {defineConfig} from 'vitest/config';

export default defineConfig({
	test: {
		include: ['test/**/*.test.{ts,tsx}'],
		// Real processes, servers and ptys: give a loaded 2-core machine room, but never sleep.
		testTimeout: 60_000,
		hookTimeout: 60_000,
		pool: 'forks',
		maxWorkers: 2,
		// .ci/run reads the counts from the JSON reporter's file.
		reporters: ['default', ['json', {outputFile: '.vitest-results.json'}]],
	},
});
