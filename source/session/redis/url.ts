// Redis URLs: checked once before connecting, and redacted wherever one is shown.
import type {AnyRedisClient} from './client.js';

/**
 * `redis://user:secret@host:6379/0` → `redis://user@host:6379/0`: safe to print or log, whether
 * the URL parses or not.
 */
export function redactRedisUrl(url: string): string {
	// Read from the text, not from a parse: a password with an unencoded `/`, `?`, `#` or `@`
	// makes the URL invalid (or moves the password into the host) and must be hidden all the
	// same. Everything before the last `@` is taken for credentials, at worst hiding too much.
	const scheme = /^[a-z][a-z\d+.-]*:(\/\/)?/i.exec(url);
	const lead = scheme?.[0] ?? '';
	const rest = url.slice(lead.length);
	const at = rest.lastIndexOf('@');
	if (at === -1) return url;
	const credentials = rest.slice(0, at);
	const colon = credentials.indexOf(':');
	// A user name alone is no secret, but only where `//` shows it is one.
	const user = colon === -1 ? (scheme?.[1] ? credentials : '') : credentials.slice(0, colon);
	return `${lead}${user === '' ? '' : `${user}@`}${rest.slice(at + 1)}`;
}

/** Throws a TypeError naming the (redacted) URL unless it is a usable redis:// or rediss:// URL. */
export function assertRedisUrl(url: unknown): asserts url is string {
	if (typeof url !== 'string') {
		throw new TypeError(`Expected a Redis URL string, got ${typeof url}`);
	}

	const example = 'redis://127.0.0.1:6379 (or rediss:// for TLS)';
	let parsed: URL;
	try {
		parsed = new URL(url);
	} catch {
		throw new TypeError(
			`Invalid Redis URL ${JSON.stringify(redactRedisUrl(url))}: expected a URL such as ${example}; in a password, percent-encode / ? # @ (as %2F %3F %23 %40)`,
		);
	}

	const shown = JSON.stringify(redactRedisUrl(url));
	if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') {
		throw new TypeError(`Invalid Redis URL ${shown}: expected a URL such as ${example}`);
	}

	if (parsed.hostname === '') {
		throw new TypeError(`Invalid Redis URL ${shown}: it names no host, as in ${example}`);
	}

	if (parsed.pathname !== '' && parsed.pathname !== '/' && !/^\/\d+$/.test(parsed.pathname)) {
		throw new TypeError(
			`Invalid Redis URL ${shown}: the path must be a database number, as in redis://127.0.0.1:6379/0`,
		);
	}
}

export function hostPort(host: string | undefined, port: number | string | undefined): string {
	const h = host ?? 'localhost';
	return `${h.includes(':') && !h.startsWith('[') ? `[${h}]` : h}:${port ?? 6379}`;
}

/** `host:port` of a Redis URL, for messages. */
export function serverOfUrl(text: string): string {
	try {
		const url = new URL(text);
		return hostPort(url.hostname || undefined, url.port || undefined);
	} catch {
		return redactRedisUrl(text);
	}
}

/** `host:port` (or the socket path) of a client, for messages. */
export function serverOf(client: AnyRedisClient): string {
	const options = client.options ?? {};
	if (options.url) return serverOfUrl(options.url);

	const socket = (options.socket ?? {}) as {host?: string; port?: number; path?: string};
	return socket.path ?? hostPort(socket.host, socket.port);
}
