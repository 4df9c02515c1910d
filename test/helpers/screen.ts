// Reading a terminal the way a person sees it: @xterm/headless with today's character widths,
// its rows as text and the cell where a text starts. Used by pty.ts and by tests that render
// captured output.
import unicode11 from '@xterm/addon-unicode11';
import xterm from '@xterm/headless';

// @xterm/headless is CommonJS; its named exports are not visible to ES module import.
const {Terminal} = xterm;
const {Unicode11Addon} = unicode11;

export type HeadlessTerminal = InstanceType<typeof Terminal>;

/** A headless terminal `cols` × `rows`. */
export function headlessTerminal(cols: number, rows: number, scrollback = 0): HeadlessTerminal {
	const terminal = new Terminal({cols, rows, allowProposedApi: true, scrollback});
	// Character widths as today's terminals (tmux, iTerm2, GNOME, Windows Terminal) draw them:
	// an emoji takes two cells. xterm's default tables (Unicode 6) draw most emoji one cell wide.
	terminal.loadAddon(new Unicode11Addon());
	terminal.unicode.activeVersion = '11';
	return terminal;
}

/** `count` rows of the buffer from row `top`, as text, without the empty rows at the end. */
export function rowsOf(terminal: HeadlessTerminal, top: number, count: number): string[] {
	const buffer = terminal.buffer.active;
	const lines: string[] = [];
	for (let y = top; y < top + count; y++) {
		lines.push(buffer.getLine(y)?.translateToString(true) ?? '');
	}

	while (lines.length > 0 && lines.at(-1) === '') lines.pop();
	return lines;
}

/** The cell (column) at which `text` starts on buffer row `y`, or -1. */
export function cellOf(terminal: HeadlessTerminal, y: number, text: string): number {
	const line = terminal.buffer.active.getLine(y);
	if (!line) return -1;
	// The text each cell starts, and the cell it starts in (a wide character's second cell
	// holds nothing).
	let joined = '';
	const starts: number[] = [];
	for (let x = 0; x < terminal.cols; x++) {
		const cell = line.getCell(x);
		if (!cell || cell.getWidth() === 0) continue;
		const chars = cell.getChars() || ' ';
		for (let i = 0; i < chars.length; i++) starts.push(x);
		joined += chars;
	}

	const index = joined.indexOf(text);
	return index === -1 ? -1 : (starts[index] ?? -1);
}
