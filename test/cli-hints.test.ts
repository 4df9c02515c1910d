// The command lines that hints suggest: the store named on the command line is repeated, as a
// shell reads it back, and a Redis password never is.
import {describe, expect, test} from 'vitest';
import {hints, shellWord} from '../source/commands/hints.js';

describe('hints', () => {
	test('repeat --dir, quoted for the shell when it needs it', () => {
		expect(hints(['--dir', '/tmp/sessions']).command('cleanup')).toBe(
			'stacktower-sessions cleanup --dir /tmp/sessions',
		);
		expect(hints(['--dir', "/tmp/my sessions/it's"]).command('cleanup')).toBe(
			"stacktower-sessions cleanup --dir '/tmp/my sessions/it'\\''s'",
		);
	});

	test('repeat --redis without its password', () => {
		const line = hints(['--redis', 'redis://app:s3cret@10.0.0.5:6379/2']).command('cleanup');
		expect(line).toBe('stacktower-sessions cleanup --redis redis://app:PASSWORD@10.0.0.5:6379/2');
		expect(line).not.toContain('s3cret');
	});

	test('a store from the environment needs nothing repeated', () => {
		expect(hints([]).command('cleanup')).toBe('stacktower-sessions cleanup');
		expect(hints([]).empty(true)).toBe(
			'the directory does not exist yet\nlog in with: stacktower-sessions login (or with the stacktower CLI)',
		);
	});

	test('control characters in a word are shown escaped', () => {
		expect(shellWord('/tmp/\u001B[31mred')).toBe("'/tmp/\\x1b[31mred'");
	});
});
