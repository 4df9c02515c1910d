// Why a login ended without a session. Messages are safe to print: they never hold any part
// of a token, and text that came from the network has had its control characters removed.

export type LoginErrorCode =
	/** The user declined on GitHub (`error=access_denied` on the callback). */
	| 'ACCESS_DENIED'
	/** Any other `error` on the callback (`application_suspended`, ...). */
	| 'AUTHORIZATION_FAILED'
	/** A callback with a valid state but neither `code` nor `error`. */
	| 'INVALID_CALLBACK'
	/** The code was unknown, used, expired, or did not match the PKCE verifier. */
	| 'BAD_VERIFICATION_CODE'
	| 'INCORRECT_CLIENT_CREDENTIALS'
	| 'REDIRECT_URI_MISMATCH'
	/** The token endpoint failed in any other way (network, HTTP error, other `error`). */
	| 'TOKEN_EXCHANGE_FAILED'
	| 'USER_FETCH_FAILED'
	/** The session could not be saved, or the state store failed. */
	| 'STORE_FAILED'
	/** The callback server could not listen (port in use, ...). */
	| 'SERVER_FAILED'
	/** The device-code endpoint offers no device flow for this app (no such app, flow off). */
	| 'DEVICE_FLOW_UNAVAILABLE'
	/** The device code expired before anyone entered it. */
	| 'EXPIRED_TOKEN'
	/** GitHub refused the device flow for this app or grant (what to do is in the message). */
	| 'DEVICE_FLOW_REFUSED'
	/** GitHub's token answer is unusable (no token, or one a header cannot carry). */
	| 'INVALID_TOKEN_ANSWER'
	| 'TIMEOUT'
	| 'CANCELLED'
	/** The browser could not be started; reported through onBrowserError, the flow goes on. */
	| 'BROWSER_FAILED'
	/** A callback given to login() (onUrl) threw, or deviceLogin() was given options it cannot use. */
	| 'INVALID_OPTIONS';

export class LoginError extends Error {
	readonly code: LoginErrorCode;

	constructor(code: LoginErrorCode, message: string, options?: ErrorOptions) {
		super(message, options);
		this.name = 'LoginError';
		this.code = code;
	}
}

/**
 * Text from the network (an `error_description`, a user's name) made safe for a terminal:
 * control characters (C0, DEL, C1, which carry escape sequences) become spaces, and it is
 * cut to `max` characters.
 */
export function safeText(text: unknown, max = 300): string {
	const string = typeof text === 'string' ? text : String(text ?? '');
	// biome-ignore lint/suspicious/noControlCharactersInRegex: removing them is the point
	const cleaned = string.replace(/[\u0000-\u001F\u007F-\u009F]+/g, ' ').trim();
	return cleaned.length > max ? `${cleaned.slice(0, max - 1)}…` : cleaned;
}
