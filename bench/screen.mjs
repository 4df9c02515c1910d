// Shows what the CLI draws in a pseudo-terminal at given moments, as text: for adapting the
// markers run.mjs waits for to the real screen.
//
//   node bench/screen.mjs [--at 200,1000,3000] [--keys KEYS] -- --dir DIR
import {join} from 'node:path';
import {parseArgs} from 'node:util';
import xterm from '@xterm/headless';
import pty from 'node-pty';

const {values: options, positionals} = parseArgs({
	options: {
		at: {type: 'string', default: '300,1500'},
		keys: {type: 'string'},
		cols: {type: 'string', default: '120'},
		rows: {type: 'string', default: '40'},
	},
	allowPositionals: true,
});
const cols = Number(options.cols);
const rows = Number(options.rows);
const terminal = new xterm.Terminal({cols, rows, allowProposedApi: true});
const cli = join(
	import.meta.dirname ?? new URL('.', import.meta.url).pathname,
	'..',
	'dist',
	'cli.cjs',
);
const env = {...process.env, TERM: 'xterm-256color'};
for (const key of Object.keys(env)) if (key === 'CI' || key.startsWith('CI_')) delete env[key];
const started = performance.now();
const child = pty.spawn(process.execPath, [cli, ...positionals], {
	name: 'xterm-256color',
	cols,
	rows,
	env,
});
child.onData((data) => terminal.write(data));

function screen() {
	const buffer = terminal.buffer.active;
	const lines = [];
	for (let y = 0; y < rows; y++) lines.push(buffer.getLine(y)?.translateToString(true) ?? '');
	while (lines.length > 0 && lines.at(-1) === '') lines.pop();
	return lines.join('\n');
}

for (const at of options.at.split(',').map(Number)) {
	await new Promise((resolve) =>
		setTimeout(resolve, Math.max(0, at - (performance.now() - started))),
	);
	await new Promise((resolve) => terminal.write('', resolve));
	console.log(`--- at ${Math.round(performance.now() - started)} ms`);
	console.log(screen());
}

if (options.keys) {
	child.write(options.keys.replaceAll('\\e', '\u001b'));
	await new Promise((resolve) => setTimeout(resolve, 500));
	await new Promise((resolve) => terminal.write('', resolve));
	console.log(`--- after ${JSON.stringify(options.keys)}`);
	console.log(screen());
}

child.write('q');
setTimeout(() => child.kill(), 2000).unref();
child.onExit(({exitCode}) => {
	console.log(`--- exit ${exitCode}`);
	process.exit(0);
});
