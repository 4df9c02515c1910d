#!/usr/bin/env node
import meow from 'meow';

const cli = meow(
	`
	Usage
	  $ stacktower-sessions [command]

	Inspect, prune and renew stacktower login sessions.
`,
	{importMeta: import.meta, flags: {}},
);

void cli;
