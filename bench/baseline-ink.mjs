// Baseline for spawn-to-first-frame: an Ink app that renders one line and exits on `q`. The
// harness bundles it exactly as scripts/build.mjs bundles the CLI (production React, one file).
import {render, Text, useApp, useInput} from 'ink';
import {createElement} from 'react';

function Baseline() {
	const {exit} = useApp();
	useInput((input) => {
		if (input === 'q') {
			exit();
		}
	});
	return createElement(Text, null, 'stacktower bench baseline ready');
}

render(createElement(Baseline));
