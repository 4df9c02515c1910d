// Every request to GitHub goes through requestGitHub: the whole answer (headers and body) must
// arrive within a time bound and a byte bound, and at either bound the request is aborted,
// which makes fetch destroy the socket. Written here rather than taken from a package because
// none of the small fetch wrappers bounds the body in bytes as it streams in.
//
// One AbortController per request, driven by one timer and by the caller's signal through a
// listener this module adds and removes: AbortSignal.any() is not used, because on Node 20 a
// composite signal whose sources nothing else references can be collected and never fire.
import {formatTimeout} from './defaults.js';

export const USER_AGENT = 'stacktower-sessions';

/** How long one request to GitHub may take, from sending it to the last byte of the answer. */
export const REQUEST_TIMEOUT_MS = 10_000;

/** The largest answer read from GitHub. Its JSON answers are a few KiB; a bigger one is refused unread. */
export const MAX_RESPONSE_BYTES = 256 * 1024;

export type GitHubHttpErrorCode =
	/** The whole answer did not arrive within the time bound. */
	| 'TIMEOUT'
	/** The answer was larger than the byte bound. */
	| 'TOO_LARGE'
	/** No answer at all: refused, DNS, TLS, reset. */
	| 'UNREACHABLE'
	/** The request itself could not be sent (a header value a header cannot carry). */
	| 'INVALID_REQUEST';

/**
 * A request to GitHub that failed. The message names the endpoint and what went wrong, and
 * never quotes a header or a byte of the answer: fetch's own messages can quote a header
 * value (the token), so they are never passed on.
 */
export class GitHubHttpError extends Error {
	readonly code: GitHubHttpErrorCode;

	constructor(code: GitHubHttpErrorCode, message: string) {
		super(message);
		this.name = 'GitHubHttpError';
		this.code = code;
	}
}

export type HttpContext = {
	/** Default globalThis.fetch. */
	readonly fetch?: typeof fetch | undefined;
	/** The caller's cancel; when it fires, the request rejects with its reason. */
	readonly signal?: AbortSignal | undefined;
	/** Default REQUEST_TIMEOUT_MS. */
	readonly timeoutMs?: number | undefined;
	/** Default MAX_RESPONSE_BYTES. */
	readonly maxBytes?: number | undefined;
};

export type GitHubRequest = {
	/** The endpoint as a person would name it in an error: "GitHub's token endpoint". */
	readonly name: string;
	readonly url: string;
	readonly method?: 'GET' | 'POST' | 'DELETE' | 'PATCH';
	readonly headers?: Readonly<Record<string, string>>;
	readonly body?: string;
};

/** The whole answer, read within the bounds. */
export type GitHubResponse = {
	readonly status: number;
	readonly ok: boolean;
	readonly headers: Headers;
	readonly text: string;
};

// A header value is visible ASCII, space and tab (RFC 9110 field-value, without obs-text).
const headerValue = /^[\t\x20-\x7e]*$/;
// An errno-like code (ECONNREFUSED, CERT_HAS_EXPIRED, UND_ERR_SOCKET): safe to show.
const errorCode = /^[A-Z][A-Z\d_]{1,63}$/;

function kib(bytes: number): string {
	return `${Math.round(bytes / 1024)} KiB`;
}

/** The cause of a fetch failure as a code, or a generic phrase: never the library's message. */
function networkDetail(error: unknown): string {
	const cause = (error as {cause?: {code?: unknown}} | null)?.cause;
	const code = cause?.code ?? (error as {code?: unknown} | null)?.code;
	return typeof code === 'string' && errorCode.test(code) ? code : 'network error';
}

/**
 * Sends a request to GitHub and reads the whole answer within `timeoutMs` and `maxBytes`.
 * Rejects with GitHubHttpError, or with the caller's signal's reason once it has fired.
 * Redirects are not followed: GitHub's OAuth and REST endpoints never redirect, and a
 * redirect must not carry the token elsewhere.
 */
export async function requestGitHub(
	request: GitHubRequest,
	context: HttpContext = {},
): Promise<GitHubResponse> {
	const timeoutMs = context.timeoutMs ?? REQUEST_TIMEOUT_MS;
	const maxBytes = context.maxBytes ?? MAX_RESPONSE_BYTES;
	const where = `${request.name} (${request.url})`;
	const callerSignal = context.signal;
	if (callerSignal?.aborted) throw callerSignal.reason;

	for (const [header, value] of Object.entries(request.headers ?? {})) {
		if (!headerValue.test(value)) {
			throw new GitHubHttpError(
				'INVALID_REQUEST',
				`not sent to ${where}: the ${header} header would hold characters a header cannot carry`,
			);
		}
	}

	const controller = new AbortController();
	let headersIn = false;
	let received = 0;
	// Set when this module aborts, so the catch below reports the bound, not fetch's AbortError.
	let bound: GitHubHttpError | undefined;
	const timer = setTimeout(() => {
		bound = new GitHubHttpError(
			'TIMEOUT',
			headersIn
				? `${where} did not finish its answer within ${formatTimeout(timeoutMs)} (${received} bytes received)`
				: `${where} did not answer within ${formatTimeout(timeoutMs)}`,
		);
		controller.abort(bound);
	}, timeoutMs);
	const onCallerAbort = () => controller.abort(callerSignal?.reason);
	callerSignal?.addEventListener('abort', onCallerAbort, {once: true});
	const tooLarge = () => {
		bound = new GitHubHttpError(
			'TOO_LARGE',
			`${where} sent an answer larger than ${kib(maxBytes)}; it was not read`,
		);
		controller.abort(bound);
		return bound;
	};

	try {
		let response: Response;
		try {
			response = await (context.fetch ?? globalThis.fetch)(request.url, {
				method: request.method ?? 'GET',
				headers: {'User-Agent': USER_AGENT, ...request.headers},
				...(request.body === undefined ? {} : {body: request.body}),
				redirect: 'manual',
				signal: controller.signal,
			});
		} catch (error) {
			if (bound) throw bound;
			if (callerSignal?.aborted) throw callerSignal.reason;
			throw new GitHubHttpError(
				'UNREACHABLE',
				`could not reach ${where} (${networkDetail(error)})`,
			);
		}

		headersIn = true;
		const declared = Number(response.headers.get('content-length') ?? Number.NaN);
		if (declared > maxBytes) throw tooLarge();

		const chunks: Uint8Array[] = [];
		try {
			const reader = response.body?.getReader();
			for (;;) {
				const chunk = reader ? await reader.read() : {done: true as const};
				if (chunk.done) break;
				received += chunk.value.byteLength;
				if (received > maxBytes) throw tooLarge();
				chunks.push(chunk.value);
			}
		} catch (error) {
			if (bound) throw bound;
			if (callerSignal?.aborted) throw callerSignal.reason;
			throw new GitHubHttpError(
				'UNREACHABLE',
				`${where} broke off its answer (${networkDetail(error)})`,
			);
		}

		return {
			status: response.status,
			ok: response.ok,
			headers: response.headers,
			text: new TextDecoder().decode(Buffer.concat(chunks)),
		};
	} finally {
		clearTimeout(timer);
		callerSignal?.removeEventListener('abort', onCallerAbort);
	}
}

/** The answer's body as JSON, or undefined when it is not JSON. */
export function parseJson(response: GitHubResponse): unknown {
	try {
		return JSON.parse(response.text) as unknown;
	} catch {
		return undefined;
	}
}
