// A request made for a login step: a failure becomes a LoginError with that step's code, and
// its message says which step failed and which bound (time, size) or network error ended it.
import {LoginError, type LoginErrorCode} from './errors.js';
import {
	GitHubHttpError,
	type GitHubRequest,
	type GitHubResponse,
	type HttpContext,
	requestGitHub,
} from './http.js';

/** requestGitHub, with GitHubHttpError turned into LoginError(failure, `${step}: …`). */
export async function loginRequest(
	request: GitHubRequest,
	http: HttpContext,
	failure: LoginErrorCode,
	step: string,
): Promise<GitHubResponse> {
	try {
		return await requestGitHub(request, http);
	} catch (error) {
		// Anything else is the caller's signal's reason (the login was cancelled or timed out).
		if (!(error instanceof GitHubHttpError)) throw error;
		throw new LoginError(failure, `${step}: ${error.message}`, {cause: error});
	}
}
