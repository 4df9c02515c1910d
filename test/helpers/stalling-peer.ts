// HTTP peers on 127.0.0.1 that misbehave the way a broken or hostile GitHub can: never answer,
// send headers and stall, trickle a byte at a time forever, or send a body far too large.
// Each answer records what it sent and whether the client closed the socket.
import {createServer, type IncomingMessage, type Server, type ServerResponse} from 'node:http';
import type {AddressInfo} from 'node:net';

/** One misbehaving answer, as it goes. */
export type Answer = {
	/** Body bytes written so far. */
	sent: number;
	/** The client closed (or destroyed) the connection. */
	closed: boolean;
};

export type Behaviour = (req: IncomingMessage, res: ServerResponse, answer: Answer) => void;

/** Reads the request, then never answers at all. */
export const silent: Behaviour = () => {};

/** Sends the status line and headers of a JSON answer, then one byte, then nothing more. */
export const headersThenStall: Behaviour = (_req, res, answer) => {
	res.writeHead(200, {'Content-Type': 'application/json; charset=utf-8'});
	res.write('{');
	answer.sent = 1;
};

/** Sends headers, then one space (valid JSON whitespace) every `everyMs`, forever. */
export function trickle(everyMs = 50): Behaviour {
	return (_req, res, answer) => {
		res.writeHead(200, {'Content-Type': 'application/json; charset=utf-8'});
		res.write('{');
		answer.sent = 1;
		const timer = setInterval(() => {
			res.write(' ');
			answer.sent += 1;
		}, everyMs);
		res.once('close', () => clearInterval(timer));
	};
}

/**
 * A JSON answer of `bytes` bytes (an access token that never ends), written as fast as the
 * client reads it. With `declareLength`, Content-Length says so up front; without, it is
 * chunked and only reading tells.
 */
export function hugeBody(bytes: number, declareLength: boolean): Behaviour {
	const chunk = Buffer.alloc(64 * 1024, 'a');
	return (_req, res, answer) => {
		const head = Buffer.from('{"access_token":"gho_');
		res.writeHead(200, {
			'Content-Type': 'application/json; charset=utf-8',
			...(declareLength ? {'Content-Length': String(bytes)} : {}),
		});
		res.write(head);
		answer.sent = head.length;
		const pump = () => {
			while (!res.destroyed && answer.sent < bytes) {
				const part = chunk.subarray(0, Math.min(chunk.length, bytes - answer.sent));
				answer.sent += part.length;
				if (!res.write(part)) {
					res.once('drain', pump);
					return;
				}
			}

			if (!res.destroyed) res.end();
		};

		pump();
	};
}

/**
 * Answers one request with `behaviour` once the request has been read in full (as a real
 * server does), and returns the record of that answer. Usable from any server's handler.
 */
export function misbehave(behaviour: Behaviour, req: IncomingMessage, res: ServerResponse): Answer {
	const answer: Answer = {sent: 0, closed: false};
	res.socket?.once('close', () => {
		answer.closed = true;
	});
	if (req.readableEnded) {
		behaviour(req, res, answer);
	} else {
		req.once('end', () => behaviour(req, res, answer));
		req.resume();
	}

	return answer;
}

/** A server that answers every request with `behaviour` and keeps a record of each answer. */
export class StallingPeer {
	readonly answers: Answer[] = [];
	url = '';
	readonly #server: Server;

	private constructor(behaviour: Behaviour) {
		this.#server = createServer((req, res) => {
			this.answers.push(misbehave(behaviour, req, res));
		});
	}

	static async start(behaviour: Behaviour): Promise<StallingPeer> {
		const peer = new StallingPeer(behaviour);
		await new Promise<void>((resolve) => peer.#server.listen(0, '127.0.0.1', resolve));
		peer.url = `http://127.0.0.1:${(peer.#server.address() as AddressInfo).port}`;
		return peer;
	}

	async close(): Promise<void> {
		this.#server.closeAllConnections();
		await new Promise<void>((resolve) => this.#server.close(() => resolve()));
	}
}
