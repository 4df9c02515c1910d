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

// As the CLI opens it: the directory is missing until the first set() makes it.
describeStoreConformance(
	'FileStore (createDirectory: false)',
	() => {
		const root = mkdtempSync(join(tmpdir(), 'st-conformance-'));
		return {
			store: new FileStore(join(root, 'sessions'), {createDirectory: false}),
			teardown: () => rmSync(root, {recursive: true, force: true}),
		};
	},
	{describe, it},
	{listable: true},
);
