// The one way the token checks, refreshes and revocations talk to GitHub: a request whose
// whole answer (headers and body) must arrive within a time limit and a byte limit, never
// following a redirect (a redirect could carry the token's Authorization to another host).
// Nothing here ever puts a token into an error message.
import {USER_AGENT} from './github-api.js';

/** How long one request about a token may take, start to last byte. */
export const TOKEN_REQUEST_TIMEOUT_MS = 10_000;
/** GitHub's answers here are a few KiB (a /user object); anything far larger is not GitHub. */
export const TOKEN_RESPONSE_MAX_BYTES = 256 * 1024;

export type TokenRequest = {
	readonly url: string;
	readonly method?: 'GET' | 'POST' | 'DELETE';
	readonly headers?: Record<string, string>;
	readonly body?: string;
	readonly timeoutMs?: number;
	readonly maxBytes?: number;
	/** Cancels the request (Esc in the inspector, Ctrl-C). */
	readonly signal?: AbortSignal;
};

export type TokenResponse = {
	readonly status: number;
	readonly headers: Headers;
	/** The body as text (UTF-8), whole. */
	readonly text: string;
};

export type RequestFailureKind = 'timeout' | 'too_large' | 'network' | 'cancelled';

/** A request that got no whole answer; `message` says which bound or what failed, never a token. */
export class TokenRequestError extends Error {
	readonly kind: RequestFailureKind;

	constructor(kind: RequestFailureKind, message: string, options?: ErrorOptions) {
		super(message, options);
		this.name = 'TokenRequestError';
		this.kind = kind;
	}
}

function seconds(ms: number): string {
	return ms % 1000 === 0 ? `${ms / 1000}s` : `${(ms / 1000).toFixed(1)}s`;
}

/** Reads the body up to `max` bytes; more is an error rather than memory spent on it. */
async function readBounded(response: Response, max: number, origin: string): Promise<string> {
	const reader = response.body?.getReader();
	if (!reader) return '';
	const chunks: Uint8Array[] = [];
	let size = 0;
	for (;;) {
		const {done, value} = await reader.read();
		if (done) break;
		size += value.byteLength;
		if (size > max) {
			await reader.cancel().catch(() => {});
			throw new TokenRequestError(
				'too_large',
				`${origin} sent more than ${Math.round(max / 1024)} KiB; that is not a GitHub answer`,
			);
		}

		chunks.push(value);
	}

	return Buffer.concat(chunks).toString('utf8');
}

/** One request, bounded in time for the whole answer and in bytes. */
export async function tokenRequest(request: TokenRequest): Promise<TokenResponse> {
	const timeoutMs = request.timeoutMs ?? TOKEN_REQUEST_TIMEOUT_MS;
	const maxBytes = request.maxBytes ?? TOKEN_RESPONSE_MAX_BYTES;
	const {origin} = new URL(request.url);
	const timeout = AbortSignal.timeout(timeoutMs);
	const signal = request.signal ? AbortSignal.any([request.signal, timeout]) : timeout;
	try {
		const response = await fetch(request.url, {
			method: request.method ?? 'GET',
			headers: {'User-Agent': USER_AGENT, ...request.headers},
			...(request.body === undefined ? {} : {body: request.body}),
			redirect: 'manual',
			signal,
		});
		// The same signal aborts the body read: the time limit covers the last byte too.
		const text = await readBounded(response, maxBytes, origin);
		return {status: response.status, headers: response.headers, text};
	} catch (error) {
		if (error instanceof TokenRequestError) throw error;
		if (request.signal?.aborted) {
			throw new TokenRequestError('cancelled', 'cancelled', {cause: error});
		}

		if (timeout.aborted) {
			throw new TokenRequestError(
				'timeout',
				`${origin} did not answer in full within ${seconds(timeoutMs)}`,
				{cause: error},
			);
		}

		// fetch wraps the reason (ECONNREFUSED, ENOTFOUND, a certificate error) in `cause`.
		const cause = (error as {cause?: {code?: unknown; message?: unknown}}).cause;
		const detail = String(cause?.code ?? cause?.message ?? (error as Error).message);
		throw new TokenRequestError(
			'network',
			// biome-ignore lint/suspicious/noControlCharactersInRegex: removing them is the point
			`could not reach ${origin} (${detail.replace(/[\u0000-\u001f\u007f-\u009f]+/g, ' ').slice(0, 120)})`,
			{cause: error},
		);
	}
}
