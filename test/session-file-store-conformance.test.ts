import {join} from 'node:path';
import {describe, it} from 'vitest';
import {FileStore} from '../source/session/index.js';
import {describeStoreConformance} from '../source/sessiontest/index.js';
import {makeTempDir} from './helpers/temp-dir.js';

describeStoreConformance(
	'FileStore',
	() => new FileStore(join(makeTempDir('st-conformance-'), 'sessions')),
	{describe, it},
	{listable: true},
);

// As the CLI opens it: the directory is missing until the first set() makes it.
describeStoreConformance(
	'FileStore (createDirectory: false)',
	() => new FileStore(join(makeTempDir('st-conformance-'), 'sessions'), {createDirectory: false}),
	{describe, it},
	{listable: true},
);
