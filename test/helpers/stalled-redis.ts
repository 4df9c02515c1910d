// A fake Redis on 127.0.0.1 that accepts connections and then answers only what it is told to
// (say PING, or nothing at all), as a server that is frozen, overloaded or not Redis does. A real
// redis-server cannot be made to answer PING but nothing else, hence this fake; it speaks just
// enough RESP to read the commands it is sent.
import {createServer, type Socket} from 'node:net';

export type StalledRedis = {
	readonly port: number;
	/** `redis://127.0.0.1:<port>` */
	readonly url: string;
	/** Every command received so far, as its words (`['DEL', 'key']`). */
	readonly received: string[][];
	/** How many connections are open now. */
	openConnections(): number;
	close(): Promise<void>;
};

/** A command's reply, or undefined to never answer it. */
export type Answer = (command: readonly string[]) => string | undefined;

/** Answers nothing at all. */
export const answerNothing: Answer = () => undefined;

/** Answers PING with PONG, and nothing else. */
export const answerPingOnly: Answer = ([name]) =>
	name?.toUpperCase() === 'PING' ? '+PONG\r\n' : undefined;

/** Answers the node-redis handshake (CLIENT SETINFO) and PING, then stalls on every other command. */
export const answerHandshakeThenStall: Answer = (command) => {
	const name = command[0]?.toUpperCase();
	if (name === 'CLIENT') return '+OK\r\n';
	return answerPingOnly(command);
};

/** Reads the complete RESP arrays of bulk strings at the start of `buffer`; returns them and the rest. */
function parseCommands(buffer: Buffer): {commands: string[][]; rest: Buffer} {
	const commands: string[][] = [];
	let at = 0;
	const line = (from: number): [string, number] | undefined => {
		const end = buffer.indexOf('\r\n', from);
		return end === -1 ? undefined : [buffer.toString('latin1', from, end), end + 2];
	};

	for (;;) {
		const header = line(at);
		if (!header?.[0].startsWith('*')) break;
		let next = header[1];
		const words: string[] = [];
		const count = Number(header[0].slice(1));
		for (let i = 0; i < count; i++) {
			const size = line(next);
			if (!size) return {commands, rest: buffer.subarray(at)};
			const length = Number(size[0].slice(1));
			if (buffer.length < size[1] + length + 2) return {commands, rest: buffer.subarray(at)};
			words.push(buffer.toString('utf8', size[1], size[1] + length));
			next = size[1] + length + 2;
		}

		commands.push(words);
		at = next;
	}

	return {commands, rest: buffer.subarray(at)};
}

/** Starts the fake on a free port of 127.0.0.1. */
export async function startStalledRedis(answer: Answer): Promise<StalledRedis> {
	const sockets = new Set<Socket>();
	const received: string[][] = [];
	const server = createServer((socket) => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
		socket.on('error', () => {});
		let pending: Buffer = Buffer.alloc(0);
		socket.on('data', (chunk) => {
			pending = Buffer.concat([pending, chunk]);
			// Bounded: a fake for tests, never fed more than a few commands.
			if (pending.length > 1 << 20) socket.destroy();
			const {commands, rest} = parseCommands(pending);
			pending = rest;
			for (const command of commands) {
				received.push(command);
				const reply = answer(command);
				if (reply !== undefined) socket.write(reply);
			}
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const address = server.address();
	if (typeof address !== 'object' || !address) throw new Error('the fake Redis has no port');
	return {
		port: address.port,
		url: `redis://127.0.0.1:${address.port}`,
		received,
		openConnections: () => sockets.size,
		async close() {
			for (const socket of sockets) socket.destroy();
			await new Promise<void>((resolve) => server.close(() => resolve()));
		},
	};
}
