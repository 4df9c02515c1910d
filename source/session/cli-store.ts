import {join} from 'node:path';
import {FileStore, type FileStoreOptions} from './file-store/file-store.js';
import {assertSession, cloneSession, type Session} from './session.js';

/** The session id the Go CLIStore stores its one session under. */
export const CLI_SESSION_ID = 'github';

/**
 * Go: session.CLIStore. The CLI's single login, kept as `<dir>/github.json` by a FileStore
 * (by default in the directory the Go CLI uses, so both tools share the login).
 */
export class CLIStore {
	readonly #store: FileStore;

	constructor(dir?: string, options: FileStoreOptions = {}) {
		this.#store = new FileStore(dir, options);
	}

	/** The login, or null when there is none; an ExpiredError (and the file removed) once it has expired. */
	async getSession(): Promise<Session | null> {
		return this.#store.get(CLI_SESSION_ID);
	}

	/** Stores a copy of `session` under the id `github` and returns that copy. */
	async saveSession(session: Session): Promise<Session> {
		if (typeof session !== 'object' || session === null) {
			throw new TypeError(
				`Expected a session object, got ${session === null ? 'null' : typeof session}`,
			);
		}

		const saved = {...session, id: CLI_SESSION_ID};
		assertSession(saved);
		await this.#store.set(saved);
		return cloneSession(saved);
	}

	/** Removes the login; no error when there is none. */
	async deleteSession(): Promise<void> {
		await this.#store.delete(CLI_SESSION_ID);
	}

	/** Go: CLIStore.Path. The session file, `<dir>/github.json` (whether it exists or not). */
	path(): string {
		return join(this.#store.path(), `${CLI_SESSION_ID}.json`);
	}

	async close(): Promise<void> {
		await this.#store.close();
	}
}
