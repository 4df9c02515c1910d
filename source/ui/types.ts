// Types shared between the inspector and the code that drives it (cli.tsx, source/github).
// Type-only: importing this module loads neither React nor Ink.

/** How the inspector sends stored tokens to GitHub: as `status`, `refresh` and `delete --revoke`. */
export type {TokenOptions as GitHubAccess} from '../commands/options.js';
export type {StartLogin, StartLoginOutcome} from '../github/start-login.js';
