// The login's defaults and limits, apart from the flow itself, so that checking the options
// (`login` and the inspector's `l`) does not load the HTTP server and the rest of the flow.
export const DEFAULT_SCOPES = 'read:user user:email';
export const DEFAULT_LOGIN_TIMEOUT_MS = 5 * 60 * 1000;
/** A login nobody finishes within an hour is abandoned. */
export const MAX_LOGIN_TIMEOUT_MS = 60 * 60 * 1000;

/** `5m`, `90s`, `1h`: a timeout as a person would type it. */
export function formatTimeout(ms: number): string {
	if (ms >= 3_600_000 && ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
	if (ms >= 60_000 && ms % 60_000 === 0) return `${ms / 60_000}m`;
	if (ms >= 1000) return `${Math.round(ms / 1000)}s`;
	return `${ms}ms`;
}
