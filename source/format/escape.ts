// Session files are written by other programs and may hold anything. Every stored field goes
// through escapeControl before it reaches a terminal, so no byte in a file can move the cursor,
// retitle the window (OSC), recolour the screen (CSI), reorder text (bidi overrides) or hide a
// character (`@oct\u200bocat` must not pass for `@octocat`).

const named: Readonly<Record<string, string>> = {
	'\n': '\\n',
	'\r': '\\r',
	'\t': '\\t',
};

/**
 * What a terminal must never receive raw from a stored text: the C0 controls, DEL, the C1
 * controls (a lone U+009B is a CSI on some terminals), the line and paragraph separators, and
 * every format character (Unicode category Cf: zero-width spaces and joiners, U+2060, U+FEFF,
 * U+061C, the bidi marks, embeddings, overrides and isolates, the tag characters
 * U+E0000–E007F, the soft hyphen). One exception, so emoji stay emoji: a zero-width joiner
 * between two pictographs (👩‍💻, with an optional U+FE0F or skin tone after the first) joins
 * them into one glyph and hides nothing; anywhere else it is escaped. Tag characters are
 * escaped even inside an emoji flag sequence: they are invisible everywhere else, and the few
 * subdivision flags they make are rare in a GitHub name.
 */
export const UNSAFE_CHARACTER = new RegExp(
	[
		String.raw`[\u0000-\u001f\u007f-\u009f\u2028\u2029]`,
		String.raw`(?!\u200d)\p{Cf}`,
		String.raw`(?<!\p{Extended_Pictographic}[\u{fe0f}\u{1f3fb}-\u{1f3ff}]?)\u200d`,
		String.raw`\u200d(?!\p{Extended_Pictographic})`,
	].join('|'),
	'u',
);
const unsafeAll = new RegExp(UNSAFE_CHARACTER.source, 'gu');

function hex(code: number, digits: number): string {
	return code.toString(16).padStart(digits, '0');
}

function escapeOne(char: string): string {
	const known = named[char];
	if (known) return known;
	const code = char.codePointAt(0) ?? 0;
	if (code < 0x80) return `\\x${hex(code, 2)}`;
	return code > 0xffff ? `\\u{${hex(code, 5)}}` : `\\u${hex(code, 4)}`;
}

/**
 * The text with every unsafe character (UNSAFE_CHARACTER) shown as an escape: ESC as `\x1b`,
 * C1 CSI as `\u009b`, newline as `\n`, a bidi override as `\u202e`, a tag character as
 * `\u{e0041}`. Printable text, including non-ASCII letters and emoji, is left alone. Not
 * reversible (a literal backslash stays as it is): it is for showing.
 */
export function escapeControl(text: string): string {
	if (typeof text !== 'string') return escapeControl(String(text));
	// Fast path: most fields are clean, and the inspector escapes 100,000 rows on load.
	if (!UNSAFE_CHARACTER.test(text)) return text;
	return text.replace(unsafeAll, escapeOne);
}

/** True when escapeControl would change the text. */
export function hasControl(text: string): boolean {
	return UNSAFE_CHARACTER.test(text);
}
