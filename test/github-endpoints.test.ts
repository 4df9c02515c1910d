import {describe, expect, test} from 'vitest';
import {GitHubHostError, githubEndpoints} from '../source/github/endpoints.js';
import {escapeHtml, page} from '../source/github/pages.js';
import {challengeFor, createPkce} from '../source/github/pkce.js';

describe('githubEndpoints', () => {
	test('github.com uses api.github.com', () => {
		for (const host of [
			undefined,
			'https://github.com',
			'https://github.com/',
			'HTTPS://GitHub.com:443',
		]) {
			expect(githubEndpoints(host)).toEqual({
				origin: 'https://github.com',
				authorize: 'https://github.com/login/oauth/authorize',
				deviceCode: 'https://github.com/login/device/code',
				token: 'https://github.com/login/oauth/access_token',
				user: 'https://api.github.com/user',
				api: 'https://api.github.com',
			});
		}
	});

	test('TENANT.ghe.com uses api.TENANT.ghe.com', () => {
		expect(githubEndpoints('https://octo-corp.ghe.com')).toEqual({
			origin: 'https://octo-corp.ghe.com',
			authorize: 'https://octo-corp.ghe.com/login/oauth/authorize',
			deviceCode: 'https://octo-corp.ghe.com/login/device/code',
			token: 'https://octo-corp.ghe.com/login/oauth/access_token',
			user: 'https://api.octo-corp.ghe.com/user',
			api: 'https://api.octo-corp.ghe.com',
		});
	});

	test('any other host is GitHub Enterprise Server with /api/v3', () => {
		expect(githubEndpoints('https://ghe.example.com:8443')).toEqual({
			origin: 'https://ghe.example.com:8443',
			authorize: 'https://ghe.example.com:8443/login/oauth/authorize',
			deviceCode: 'https://ghe.example.com:8443/login/device/code',
			token: 'https://ghe.example.com:8443/login/oauth/access_token',
			user: 'https://ghe.example.com:8443/api/v3/user',
			api: 'https://ghe.example.com:8443/api/v3',
		});
		expect(githubEndpoints('http://127.0.0.1:4567').user).toBe('http://127.0.0.1:4567/api/v3/user');
		expect(githubEndpoints('http://localhost:4567').token).toBe(
			'http://localhost:4567/login/oauth/access_token',
		);
	});

	test.each([
		['github.com', 'not a URL'],
		['ftp://github.com', 'must start with https://'],
		['http://github.com', 'allowed only for 127.0.0.1 and localhost'],
		['https://ghe.example.com/api/v3', 'without a path'],
		['https://ghe.example.com/?x=1', 'without a path, query'],
		['https://ghe.example.com/#top', 'fragment'],
		['https://me:pw@ghe.example.com', 'user name or password'],
	])('%s is refused', (host, text) => {
		expect(() => githubEndpoints(host)).toThrow(GitHubHostError);
		expect(() => githubEndpoints(host)).toThrow(text);
	});
});

describe('pages and PKCE', () => {
	test('escapeHtml escapes the five characters', () => {
		expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe(
			'&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;',
		);
		expect(page('<t>', '<m>')).not.toMatch(/<t>|<m>/);
	});

	test('the S256 challenge of RFC 7636 appendix B', () => {
		expect(challengeFor('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')).toBe(
			'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
		);
		const {verifier, challenge} = createPkce();
		expect(verifier).toMatch(/^[\w-]{43}$/);
		expect(challenge).toBe(challengeFor(verifier));
		expect(createPkce().verifier).not.toBe(verifier);
	});
});
