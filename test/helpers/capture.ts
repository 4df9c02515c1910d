// A writable stream that keeps what a command writes, for commands run in the test's process.
import {Writable} from 'node:stream';

/** A stream to hand a command as its stdout or stderr, and the text written to it so far. */
export function capture(): {stream: Writable; text: () => string} {
	let text = '';
	const stream = new Writable({
		write(chunk: Buffer, _encoding, done) {
			text += chunk.toString();
			done();
		},
	});
	return {stream, text: () => text};
}
