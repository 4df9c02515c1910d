// Every request to GitHub is bounded in time for the whole answer and in bytes; tested against
// real servers on 127.0.0.1 that stall, trickle, or send far too much.
import {createServer} from 'node:http';
import type {AddressInfo} from 'node:net';
import v8 from 'node:v8';
import vm from 'node:vm';
import {afterEach, describe, expect, test} from 'vitest';
import {GitHubHttpError, MAX_RESPONSE_BYTES, requestGitHub} from '../source/github/http.js';
import {
	type Behaviour,
	headersThenStall,
	hugeBody,
	StallingPeer,
	silent,
	trickle,
} from './helpers/stalling-peer.js';

let peer: StallingPeer | undefined;

afterEach(async () => {
	await peer?.close();
	peer = undefined;
});

async function startPeer(behaviour: Behaviour): Promise<StallingPeer> {
	peer = await StallingPeer.start(behaviour);
	return peer;
}

async function failure(promise: Promise<unknown>): Promise<GitHubHttpError> {
	const error = await promise.then(
		() => new Error('expected the request to fail'),
		(error: unknown) => error,
	);
	expect(error).toBeInstanceOf(GitHubHttpError);
	return error as GitHubHttpError;
}

/** The peer saw its socket closed by us (polled: the close reaches it a moment later). */
async function expectClosed(server: StallingPeer): Promise<void> {
	await expect.poll(() => server.answers.length, {timeout: 20_000}).toBe(1);
	await expect.poll(() => server.answers[0]?.closed, {timeout: 20_000}).toBe(true);
}

const token = (url: string) => ({
	name: "GitHub's token endpoint",
	url: `${url}/login/oauth/access_token`,
});

describe('requestGitHub', () => {
	test('reads a whole answer within the bounds', async () => {
		const server = createServer((_req, res) => {
			res.writeHead(201, {'Content-Type': 'application/json'}).end('{"ok":true}');
		});
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		try {
			const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
			const response = await requestGitHub(token(url), {timeoutMs: 5000});
			expect(response.status).toBe(201);
			expect(response.ok).toBe(true);
			expect(response.text).toBe('{"ok":true}');
		} finally {
			server.closeAllConnections();
			await new Promise<void>((resolve) => server.close(() => resolve()));
		}
	});

	test('a peer that never answers: TIMEOUT names the endpoint, and the socket is closed', async () => {
		const server = await startPeer(silent);
		const error = await failure(requestGitHub(token(server.url), {timeoutMs: 1000}));
		expect(error.code).toBe('TIMEOUT');
		expect(error.message).toBe(
			`GitHub's token endpoint (${server.url}/login/oauth/access_token) did not answer within 1s`,
		);
		await expectClosed(server);
	});

	test('headers, then a stall: the body is bounded in time too', async () => {
		const server = await startPeer(headersThenStall);
		const error = await failure(requestGitHub(token(server.url), {timeoutMs: 300}));
		expect(error.code).toBe('TIMEOUT');
		expect(error.message).toContain("GitHub's token endpoint (http://127.0.0.1:");
		expect(error.message).toContain('did not finish its answer within 300ms (1 bytes received)');
		await expectClosed(server);
	});

	test('the time bound fires while garbage is collected (no signal left unreferenced)', async () => {
		// A composite AbortSignal.any() that nothing references is collected on Node 20 and never
		// fires; collecting all the while must not lose this bound.
		v8.setFlagsFromString('--expose-gc');
		const gc = vm.runInNewContext('gc') as () => void;
		const server = await startPeer(headersThenStall);
		const collector = setInterval(gc, 10);
		try {
			const caller = new AbortController();
			const error = await failure(
				requestGitHub(token(server.url), {timeoutMs: 300, signal: caller.signal}),
			);
			expect(error.code).toBe('TIMEOUT');
		} finally {
			clearInterval(collector);
		}

		// Under load the bound may fall before the request even reaches the peer; whatever
		// reached it was closed.
		await expect
			.poll(() => server.answers.every((answer) => answer.closed), {timeout: 20_000})
			.toBe(true);
	});

	test('a body that trickles forever is cut at the time bound', async () => {
		const server = await startPeer(trickle(20));
		const error = await failure(requestGitHub(token(server.url), {timeoutMs: 500}));
		expect(error.code).toBe('TIMEOUT');
		expect(error.message).toMatch(/did not finish its answer within 500ms \(\d+ bytes received\)/);
		await expectClosed(server);
	});

	test.each([
		['declared in Content-Length', true],
		['chunked, found while reading', false],
	])('a 1.2 GB body (%s) is refused after at most the byte bound', async (_name, declared) => {
		const server = await startPeer(hugeBody(1.2e9, declared));
		const error = await failure(requestGitHub(token(server.url), {timeoutMs: 30_000}));
		expect(error.code).toBe('TOO_LARGE');
		expect(error.message).toBe(
			`GitHub's token endpoint (${server.url}/login/oauth/access_token) sent an answer larger than 256 KiB; it was not read`,
		);
		await expectClosed(server);
		// What the peer managed to write before the close: the bound plus socket buffers, far
		// from the whole body.
		expect(server.answers[0]?.sent).toBeLessThan(64 * 1024 * 1024);
		expect(MAX_RESPONSE_BYTES).toBe(256 * 1024);
	});

	test("the caller's signal ends the request with its reason and closes the socket", async () => {
		const server = await startPeer(headersThenStall);
		const controller = new AbortController();
		const reason = new Error('cancelled by the caller');
		const pending = requestGitHub(token(server.url), {
			timeoutMs: 30_000,
			signal: controller.signal,
		});
		await expect.poll(() => server.answers[0]?.sent, {timeout: 20_000}).toBe(1);
		controller.abort(reason);
		await expect(pending).rejects.toBe(reason);
		await expectClosed(server);
	});

	test('a header value a header cannot carry is refused unsent and never quoted', async () => {
		const server = await startPeer(silent);
		const secret = 'gho_0123456789abcdef\r\nX-Injected: 1';
		const error = await failure(
			requestGitHub(
				{...token(server.url), headers: {Authorization: `Bearer ${secret}`}},
				{timeoutMs: 300},
			),
		);
		expect(error.code).toBe('INVALID_REQUEST');
		expect(error.message).toContain('the Authorization header');
		expect(error.message).not.toContain('0123456789');
		expect(server.answers).toHaveLength(0);
	});

	test('a peer that refuses the connection is UNREACHABLE with the errno code only', async () => {
		const server = createServer();
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
		await new Promise<void>((resolve) => server.close(() => resolve()));
		const error = await failure(requestGitHub(token(url), {timeoutMs: 5000}));
		expect(error.code).toBe('UNREACHABLE');
		expect(error.message).toBe(
			`could not reach GitHub's token endpoint (${url}/login/oauth/access_token) (ECONNREFUSED)`,
		);
	});
});
