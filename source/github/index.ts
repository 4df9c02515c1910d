// OAuth login against GitHub or GitHub Enterprise Server through a loopback callback. No React.
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
	type LoginOutcome,
	login,
	MAX_LOGIN_TIMEOUT_MS,
} from './login-flow.js';
export {openInBrowser} from './open-browser.js';
export {escapeHtml} from './pages.js';
export {
	createStartLogin,
	type StartLogin,
	type StartLoginArgs,
	type StartLoginConfig,
} from './start-login.js';
