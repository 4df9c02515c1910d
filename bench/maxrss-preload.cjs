// Fallback when /usr/bin/time is missing: loaded with --require into subject and baseline
// alike, it records the process's peak RSS (KiB) and CPU time at exit into the file the harness
// names.
const {writeFileSync} = require('node:fs');

const file = process.env.BENCH_MAXRSS_FILE;
if (file) {
	process.on('exit', () => {
		const usage = process.resourceUsage();
		// As GNU time's "%M %U %S": KiB, then CPU seconds.
		writeFileSync(file, `${usage.maxRSS} ${usage.userCPUTime / 1e6} ${usage.systemCPUTime / 1e6}`);
	});
}
