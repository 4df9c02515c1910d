// Key decoding: what Ink hands useInput, as the keystrokes it holds. The keymap (keymap.ts) then
// says what each keystroke means in a mode.
import type {Key} from 'ink';

/** One key as Ink reports a key pressed alone: the typed text, and the named key. */
export type Keystroke = {readonly input: string; readonly key: Key};

/**
 * Keys typed faster than the terminal is read (or pasted) reach Ink as one string, `j` and
 * Enter as "j\r": Ink parses only escape sequences apart. This is one character of such a
 * string as Ink reports that key pressed alone (parse-keypress): Enter, Tab, Backspace and
 * Delete by name, the other control characters as Ctrl and a letter. `base` is the Key Ink gave
 * the whole string (no key named).
 */
export function keyAlone(char: string, base: Key): Keystroke {
	switch (char) {
		case '\r':
			return {input: '', key: {...base, return: true}};
		case '\t':
			return {input: '', key: {...base, tab: true}};
		case '\b':
			return {input: '', key: {...base, backspace: true}};
		case '\u007f':
			return {input: '', key: {...base, delete: true}};
		case '\n': // Ink names it "enter" and reports no key
			return {input: '', key: base};
		default: {
			// Ctrl-A … Ctrl-Z (Ctrl-C is 0x03); Ink reads 0x00 the same way.
			const code = char.charCodeAt(0);
			return char.length === 1 && code <= 0x1a
				? {input: String.fromCharCode(code + 96), key: {...base, ctrl: true}}
				: {input: char, key: base};
		}
	}
}

/**
 * The keystrokes in one read: "j\r" is j, then Enter; "/oct" is the filter key and three
 * letters; a character outside the BMP is one keystroke, not two halves. A single key, or one
 * with Ctrl or Meta, is taken as Ink reports it.
 */
export function decodeKeys(input: string, key: Key): Keystroke[] {
	if (input.length <= 1 || key.ctrl || key.meta) return [{input, key}];
	return Array.from(input, (char) => keyAlone(char, key));
}

/** True when a keystroke is text to type (into the filter), not a key with a name or Ctrl. */
export function isText({input, key}: Keystroke): boolean {
	return input !== '' && !key.ctrl && !key.meta;
}
