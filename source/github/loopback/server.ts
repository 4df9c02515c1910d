// The loopback callback server (RFC 8252 §7.3): listens on 127.0.0.1 only, answers each
// request with one small page, and closes every connection when the login ends.
import {createServer, type IncomingMessage, type ServerResponse} from 'node:http';
import type {AddressInfo} from 'node:net';
import {LoginError, safeText} from '../errors.js';
import {page} from '../pages.js';

/** One page to answer a request with; `title` and `message` are plain text. */
export type Page = {
	readonly status: number;
	readonly title: string;
	readonly message: string;
	readonly headers?: Readonly<Record<string, string>>;
};

/** Answers a request and resolves once the page is handed to the OS (or the socket is gone). */
export function answer(res: ServerResponse, reply: Page): Promise<void> {
	return new Promise((resolve) => {
		if (res.headersSent || res.destroyed) {
			resolve();
			return;
		}

		const body = page(reply.title, reply.message);
		res.once('close', () => resolve());
		res.writeHead(reply.status, {
			'Content-Type': 'text/html; charset=utf-8',
			'Content-Length': Buffer.byteLength(body),
			'Cache-Control': 'no-store',
			'Referrer-Policy': 'no-referrer',
			'X-Content-Type-Options': 'nosniff',
			'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'",
			// No keep-alive: when the flow ends, no idle socket holds the port.
			Connection: 'close',
			...reply.headers,
		});
		res.end(body, () => resolve());
	});
}

export type CallbackServer = {
	/** `127.0.0.1:PORT`: the Host a callback must carry. */
	readonly host: string;
	/** Stops listening and drops every connection; resolves once the port is free. */
	close(): Promise<void>;
};

/**
 * Listens on 127.0.0.1:`port` (0: any free port) and passes each request to `handle`.
 * Rejects with SERVER_FAILED when it cannot listen.
 */
export async function startCallbackServer(
	port: number,
	handle: (req: IncomingMessage, res: ServerResponse) => Promise<void>,
): Promise<CallbackServer> {
	const server = createServer((req, res) => {
		// Only our own messages are shown: another library's can quote a header (the token).
		handle(req, res).catch(async () => {
			await answer(res, {status: 500, title: 'Login failed', message: 'Internal error.'});
		});
	});
	server.keepAliveTimeout = 1000;

	try {
		await new Promise<void>((resolve, reject) => {
			server.once('error', reject);
			server.listen({host: '127.0.0.1', port, exclusive: true}, () => {
				server.off('error', reject);
				resolve();
			});
		});
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code;
		throw new LoginError(
			'SERVER_FAILED',
			code === 'EADDRINUSE'
				? `port ${port} on 127.0.0.1 is in use: choose another --callback-port, or 0 for any free port`
				: `could not listen on 127.0.0.1:${port} (${safeText(code ?? (error as Error).message)})`,
			{cause: error},
		);
	}

	server.on('error', () => {});
	return {
		host: `127.0.0.1:${(server.address() as AddressInfo).port}`,
		close: () =>
			new Promise<void>((resolve) => {
				server.close(() => resolve());
				// Pages are flushed before close is called; whatever is left is idle or a
				// straggler, and must not hold the port.
				server.closeAllConnections();
			}),
	};
}
