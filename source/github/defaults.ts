// The login's defaults and limits, apart from the flows themselves, so that checking the options
// (`login` and the inspector's `l`) does not load the HTTP server and the rest of the flow.
export const DEFAULT_SCOPES = 'read:user user:email';
/** The loopback flow's wait for the browser. The device flow waits as long as its code lives. */
export const DEFAULT_LOGIN_TIMEOUT_MS = 5 * 60 * 1000;
/** How long GitHub's device codes live (its `expires_in`), when a wait must be known before. */
export const DEVICE_CODE_LIFETIME_MS = 15 * 60 * 1000;
/** A login nobody finishes within an hour is abandoned. */
export const MAX_LOGIN_TIMEOUT_MS = 60 * 60 * 1000;

/**
 * stacktower's own GitHub App, which the stacktower CLI logs in with by the device flow
 * (its pkg/buildinfo); its installation is what gives a token access to stacktower's
 * repositories, so a session meant for stacktower is made with this App. github.com only.
 */
export const STACKTOWER_APP_CLIENT_ID = 'Iv23liRkeVtW225qGBef';

/** The path the loopback flow's callback server answers on. */
export const CALLBACK_PATH = '/callback';
/**
 * The callback URL to register on an OAuth app for the loopback flow: GitHub accepts any port
 * of a loopback redirect URI, so one registration serves every free port the flow listens on.
 */
export const LOOPBACK_CALLBACK_URL = `http://127.0.0.1${CALLBACK_PATH}`;

/** Where an OAuth app for the loopback flow is registered, with the callback URL it needs. */
export function registerOAuthApp(githubHost: string): string {
	return `register an OAuth app at ${githubHost}/settings/developers with the callback URL ${LOOPBACK_CALLBACK_URL}`;
}

/** A session's lifetime when `--ttl` is not given: 30 days, as the stacktower CLI saves them. */
export const DEFAULT_LOGIN_TTL_MS = 30 * 24 * 60 * 60 * 1000;
/** Shorter than a minute would expire before anyone used it. */
export const MIN_LOGIN_TTL_MS = 60 * 1000;
/** Longer than a year outlives any token GitHub gives (a refresh token lasts six months). */
export const MAX_LOGIN_TTL_MS = 365 * 24 * 60 * 60 * 1000;

/** `30d`, `5m`, `90s`, `1h`: a duration as a person would type it. */
export function formatTimeout(ms: number): string {
	if (ms >= 86_400_000 && ms % 86_400_000 === 0) return `${ms / 86_400_000}d`;
	if (ms >= 3_600_000 && ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
	if (ms >= 60_000 && ms % 60_000 === 0) return `${ms / 60_000}m`;
	if (ms >= 1000) return `${Math.round(ms / 1000)}s`;
	return `${ms}ms`;
}
