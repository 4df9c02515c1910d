// q and Ctrl-C end the app through Ink's own exit, as runInspector relies on: rendered with
// Ink's render (not ink-testing-library) on stand-in streams so waitUntilExit can be awaited.
import {EventEmitter} from 'node:events';
import {render} from 'ink';
import {describe, expect, it} from 'vitest';
import App from '../source/ui/App.js';
import {createTestSession, keys, TestStore, waitFor} from './helpers/ink.js';

class FakeStdout extends EventEmitter {
	columns = 100;
	rows = 24;
	isTTY = true;
	last = '';
	write = (frame: string) => {
		this.last = frame;
		return true;
	};
}

class FakeStdin extends EventEmitter {
	isTTY = true;
	#data: string | null = null;
	write(data: string) {
		this.#data = data;
		this.emit('readable');
	}
	read = () => {
		const data = this.#data;
		this.#data = null;
		return data;
	};
	setEncoding() {}
	setRawMode() {}
	resume() {}
	pause() {}
	ref() {}
	unref() {}
}

async function quitWith(key: string, before?: string) {
	const stdout = new FakeStdout();
	const stdin = new FakeStdin();
	const store = new TestStore([
		createTestSession({id: 'github', login: 'octocat', now: Date.now()}),
	]);
	const instance = render(<App store={store} location="/sessions" />, {
		stdout: stdout as never,
		stdin: stdin as never,
		debug: true,
		exitOnCtrlC: false,
		patchConsole: false,
	});
	await waitFor(
		() => stdout.last.includes('@octocat'),
		() => stdout.last,
	);
	if (before) {
		stdin.write(before);
		await waitFor(
			() => stdout.last.includes(' /'),
			() => stdout.last,
		);
	}

	stdin.write(key);
	await expect(instance.waitUntilExit()).resolves.toBeUndefined();
}

describe('quitting', () => {
	it('q quits', async () => {
		await quitWith('q');
	});

	it('Ctrl-C quits, even while typing a filter', async () => {
		await quitWith(keys.ctrlC);
		await quitWith(keys.ctrlC, '/');
	});
});
