import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {describe, it} from 'vitest';
import {FileStore} from '../source/session/index.js';
import {describeStoreConformance} from '../source/sessiontest/index.js';

describeStoreConformance(
	'FileStore',
	() => {
		const root = mkdtempSync(join(tmpdir(), 'st-conformance-'));
		return {
			store: new FileStore(join(root, 'sessions')),
			teardown: () => rmSync(root, {recursive: true, force: true}),
		};
	},
	{describe, it},
	{listable: true},
);
