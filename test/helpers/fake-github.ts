// A fake GitHub (Enterprise Server layout) on 127.0.0.1 for the login tests: a real HTTP
// server that behaves like github.com's OAuth web flow, strict where GitHub is strict.
import {createHash, randomBytes} from 'node:crypto';
import {createServer, type IncomingMessage, type Server, type ServerResponse} from 'node:http';
import type {AddressInfo} from 'node:net';

export type FakeUser = {
	id: number;
	login: string;
	name: string | null;
	avatar_url: string;
	email: string | null;
};

export const OCTOCAT: FakeUser = {
	id: 583_231,
	login: 'octocat',
	name: 'The Octocat',
	avatar_url: 'https://avatars.githubusercontent.com/u/583231?v=4',
	email: null,
};

export const MONALISA: FakeUser = {
	id: 1,
	login: 'monalisa',
	name: 'Mona Lisa',
	avatar_url: 'https://avatars.githubusercontent.com/u/1?v=4',
	email: 'mona@example.com',
};

export type FakeGitHubOptions = {
	clientId?: string;
	clientSecret?: string;
	user?: FakeUser;
};

type Grant = {
	clientId: string;
	redirectUri: string;
	challenge: string;
	used: boolean;
	user: FakeUser;
};

export type TokenRequest = {
	headers: IncomingMessage['headers'];
	params: Record<string, string>;
};

export class FakeGitHub {
	readonly clientId: string;
	readonly clientSecret: string;
	/** The user the next authorization is for. */
	user: FakeUser;
	/** When set, authorize redirects back with this error instead of a code. */
	denyWith: {error: string; description: string} | undefined;
	/** When set, the token endpoint answers this GitHub-style error. */
	tokenError: {error: string; description: string} | undefined;
	/** When set, answers token requests in place of the fake (a stalled or hostile GitHub). */
	tokenAnswer: ((req: IncomingMessage, res: ServerResponse) => void) | undefined;
	/** Every token issued (to check it never leaks, and that the session holds it). */
	readonly tokens = new Map<string, FakeUser>();
	readonly authorizeQueries: URLSearchParams[] = [];
	readonly tokenRequests: TokenRequest[] = [];
	readonly userRequests: IncomingMessage['headers'][] = [];
	readonly #grants = new Map<string, Grant>();
	readonly #server: Server;
	#hold: Promise<void> | undefined;
	#release: (() => void) | undefined;
	url = '';

	constructor(options: FakeGitHubOptions = {}) {
		this.clientId = options.clientId ?? 'Iv1.fakeclientid';
		this.clientSecret = options.clientSecret ?? 'fake-client-secret-0123456789';
		this.user = options.user ?? OCTOCAT;
		this.#server = createServer((req, res) => {
			this.#handle(req, res).catch((error: unknown) => {
				res.writeHead(500).end(String(error));
			});
		});
	}

	static async start(options?: FakeGitHubOptions): Promise<FakeGitHub> {
		const fake = new FakeGitHub(options);
		await new Promise<void>((resolve) => fake.#server.listen(0, '127.0.0.1', resolve));
		fake.url = `http://127.0.0.1:${(fake.#server.address() as AddressInfo).port}`;
		return fake;
	}

	/** Token requests wait until release() is called. */
	holdTokenRequests(): void {
		this.#hold = new Promise((resolve) => {
			this.#release = resolve;
		});
	}

	release(): void {
		this.#release?.();
		this.#hold = undefined;
	}

	async close(): Promise<void> {
		this.release();
		this.#server.closeAllConnections();
		await new Promise<void>((resolve) => this.#server.close(() => resolve()));
	}

	async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
		const url = new URL(req.url ?? '/', this.url);
		if (req.method === 'GET' && url.pathname === '/login/oauth/authorize') {
			this.#authorize(url.searchParams, res);
			return;
		}

		if (req.method === 'POST' && url.pathname === '/login/oauth/access_token') {
			const type = req.headers['content-type'] ?? '';
			const body = await readBody(req);
			const params: Record<string, string> = type.includes('application/json')
				? (JSON.parse(body) as Record<string, string>)
				: Object.fromEntries(new URLSearchParams(body));
			this.tokenRequests.push({headers: req.headers, params});
			await this.#hold;
			if (this.tokenAnswer) this.tokenAnswer(req, res);
			else this.#token(req, params, res);
			return;
		}

		if (req.method === 'GET' && url.pathname === '/api/v3/user') {
			this.#user(req, res);
			return;
		}

		json(res, 404, {message: 'Not Found'});
	}

	#authorize(query: URLSearchParams, res: ServerResponse): void {
		this.authorizeQueries.push(query);
		const redirectUri = query.get('redirect_uri') ?? '';
		if (query.get('client_id') !== this.clientId) {
			res.writeHead(404, {'Content-Type': 'text/plain'}).end('unknown client_id');
			return;
		}

		// GitHub ignores the port of a loopback redirect_uri (RFC 8252 §7.3).
		if (!/^http:\/\/127\.0\.0\.1:\d+\/callback$/.test(redirectUri)) {
			res.writeHead(400, {'Content-Type': 'text/plain'}).end('redirect_uri_mismatch');
			return;
		}

		const back = new URL(redirectUri);
		const state = query.get('state');
		if (this.denyWith) {
			back.searchParams.set('error', this.denyWith.error);
			back.searchParams.set('error_description', this.denyWith.description);
			back.searchParams.set('error_uri', 'https://docs.github.com/apps/troubleshooting');
		} else {
			if (query.get('code_challenge_method') !== 'S256' || !query.get('code_challenge')) {
				res.writeHead(400, {'Content-Type': 'text/plain'}).end('PKCE S256 required');
				return;
			}

			const code = randomBytes(10).toString('hex');
			this.#grants.set(code, {
				clientId: this.clientId,
				redirectUri,
				challenge: query.get('code_challenge') ?? '',
				used: false,
				user: this.user,
			});
			back.searchParams.set('code', code);
		}

		if (state !== null) back.searchParams.set('state', state);
		res.writeHead(302, {Location: back.href}).end();
	}

	#token(req: IncomingMessage, params: Record<string, string>, res: ServerResponse): void {
		if (!(req.headers.accept ?? '').includes('application/json')) {
			res.writeHead(200, {'Content-Type': 'application/x-www-form-urlencoded'});
			res.end('error=accept_header_missing');
			return;
		}

		// GitHub answers OAuth errors with HTTP 200 and an `error` field.
		const fail = (error: string, description: string) =>
			json(res, 200, {
				error,
				error_description: description,
				error_uri: 'https://docs.github.com/apps/oauth-apps',
			});
		if (this.tokenError) {
			fail(this.tokenError.error, this.tokenError.description);
			return;
		}

		if (params.client_id !== this.clientId || params.client_secret !== this.clientSecret) {
			fail(
				'incorrect_client_credentials',
				'The client_id and/or client_secret passed are incorrect.',
			);
			return;
		}

		const grant = this.#grants.get(params.code ?? '');
		if (!grant || grant.used) {
			fail('bad_verification_code', 'The code passed is incorrect or expired.');
			return;
		}

		grant.used = true;
		if (params.redirect_uri !== grant.redirectUri) {
			fail(
				'redirect_uri_mismatch',
				'The redirect_uri MUST match the registered callback URL for this application.',
			);
			return;
		}

		const challenge = createHash('sha256')
			.update(params.code_verifier ?? '')
			.digest('base64url');
		if (challenge !== grant.challenge) {
			fail('bad_verification_code', 'The code_verifier does not match the code_challenge.');
			return;
		}

		const token = `gho_${randomBytes(18).toString('hex')}`;
		this.tokens.set(token, grant.user);
		json(res, 200, {access_token: token, token_type: 'bearer', scope: 'read:user,user:email'});
	}

	#user(req: IncomingMessage, res: ServerResponse): void {
		this.userRequests.push(req.headers);
		const match = /^Bearer (.+)$/.exec(req.headers.authorization ?? '');
		const user = match ? this.tokens.get(match[1] ?? '') : undefined;
		if (!user) {
			json(res, 401, {
				message: 'Bad credentials',
				documentation_url: 'https://docs.github.com/rest',
			});
			return;
		}

		json(res, 200, {...user, type: 'User', site_admin: false});
	}
}

function json(res: ServerResponse, status: number, body: unknown): void {
	res.writeHead(status, {'Content-Type': 'application/json; charset=utf-8'});
	res.end(JSON.stringify(body));
}

async function readBody(req: IncomingMessage): Promise<string> {
	const chunks: Buffer[] = [];
	for await (const chunk of req) chunks.push(chunk as Buffer);
	return Buffer.concat(chunks).toString('utf8');
}
