// Fallback when /usr/bin/time is missing: loaded with --require into subject and baseline
// alike, it records the process's peak RSS (KiB) at exit into the file the harness names.
const {writeFileSync} = require('node:fs');

const file = process.env.BENCH_MAXRSS_FILE;
if (file) {
	process.on('exit', () => {
		writeFileSync(file, String(process.resourceUsage().maxRSS));
	});
}
