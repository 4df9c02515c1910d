// Types shared between the inspector and the code that drives it (cli.tsx, source/github).
// Type-only: importing this module loads neither React nor Ink.
export type {StartLogin, StartLoginOutcome as LoginOutcome} from '../github/start-login.js';
