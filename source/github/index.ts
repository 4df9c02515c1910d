// Logging in to GitHub or GitHub Enterprise Server: the device flow and the loopback web flow. No React.

export {
	DEVICE_GRANT_TYPE,
	type DeviceCodePrompt,
	type DeviceLoginOptions,
	deviceLogin,
} from './device-flow.js';
export {
	DEFAULT_GITHUB_HOST,
	type GitHubEndpoints,
	GitHubHostError,
	githubEndpoints,
	parseGitHubHost,
} from './endpoints.js';
export {type LoginErrorCode, safeText} from './errors.js';
export {
	CALLBACK_PATH,
	DEFAULT_LOGIN_TIMEOUT_MS,
	DEFAULT_SCOPES,
	formatTimeout,
	LoginError,
	type LoginOptions,
	login,
	MAX_LOGIN_TIMEOUT_MS,
} from './login-flow.js';
export {openInBrowser} from './open-browser.js';
export {escapeHtml} from './pages.js';
export {type LoginOutcome, saveLogin} from './save-login.js';
export {
	createStartLogin,
	type LoginConfig,
	type StartLogin,
	type StartLoginArgs,
	type StartLoginOutcome,
} from './start-login.js';
export {readTokenAnswer, type TokenGrant} from './token-answer.js';
