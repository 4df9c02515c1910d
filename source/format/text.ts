/** `1 session`, `2 sessions`, `12,000 sessions`. */
export function plural(count: number, one: string, many = `${one}s`): string {
	return `${count.toLocaleString('en-US')} ${count === 1 ? one : many}`;
}

/** What an error says (or a thrown non-error, as text); escape it before it reaches a terminal. */
export function messageOf(error: unknown): string {
	return error instanceof Error ? error.message : String(error);
}
