// Session files are written by other programs and may hold anything. Every stored field goes
// through escapeControl before it reaches a terminal, so no byte in a file can move the cursor,
// retitle the window (OSC), recolour the screen (CSI) or reorder text (bidi overrides).

const named: Readonly<Record<string, string>> = {
	'\n': '\\n',
	'\r': '\\r',
	'\t': '\\t',
};

// C0 controls, DEL, C1 controls (U+0080–U+009F: a lone U+009B is a CSI on some terminals),
// bidi embeddings/overrides/isolates and the line/paragraph separators.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const unsafe = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
const unsafeAll = new RegExp(unsafe.source, 'g');

function hex(code: number, digits: number): string {
	return code.toString(16).padStart(digits, '0');
}

function escapeOne(char: string): string {
	const known = named[char];
	if (known) return known;
	const code = char.charCodeAt(0);
	return code < 0x80 ? `\\x${hex(code, 2)}` : `\\u${hex(code, 4)}`;
}

/**
 * The text with every control character shown as an escape: ESC as `\x1b`, C1 CSI as `\u009b`,
 * newline as `\n`, bidi overrides as `\u202e`. Printable text, including non-ASCII letters and
 * emoji, is left alone. Not reversible (a literal backslash stays as it is): it is for showing.
 */
export function escapeControl(text: string): string {
	if (typeof text !== 'string') return escapeControl(String(text));
	// Fast path: most fields are clean, and the inspector escapes 100,000 rows on load.
	if (!unsafe.test(text)) return text;
	return text.replace(unsafeAll, escapeOne);
}

/** True when escapeControl would change the text. */
export function hasControl(text: string): boolean {
	return unsafe.test(text);
}
