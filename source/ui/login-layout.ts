// The "login is not configured" view laid out in lines of the terminal's width, as the details
// are: words wrapped under their bullet, a word wider than the screen (a URL) in pieces, and
// cut at the screen's height with a line that says so, so nothing is wrapped off the screen.
import {displayWidth, fitWidth, forScreen} from '../format/width.js';
import {chunks} from './details-layout.js';

export type LoginTone = 'error' | 'plain' | 'dim';
export type LoginLine = {readonly text: string; readonly tone: LoginTone};

/** What the last line says when the view is cut: where to read it whole. */
export const LOGIN_CUT = '↓ more: a larger terminal shows it, as does login --help';

/** `text` in lines of at most `width` columns, each after the first indented by `hang` spaces. */
export function wordLines(text: string, width: number, hang = 0): string[] {
	const room = Math.max(1, width - hang);
	const lines: string[] = [];
	for (const word of text.split(' ').filter(Boolean)) {
		const last = lines.at(-1);
		if (last !== undefined && displayWidth(last) + 1 + displayWidth(word) <= width) {
			lines[lines.length - 1] = `${last} ${word}`;
			continue;
		}
		const pieces = chunks(word, lines.length === 0 ? width : room);
		for (const piece of pieces)
			lines.push(lines.length === 0 ? piece : `${' '.repeat(hang)}${piece}`);
	}
	return lines.length === 0 ? [''] : lines;
}

/**
 * The lines of the view: the title, each problem (escaped) as a bullet, and what to set for
 * each flow; at most `height` of them, the last saying the rest was cut.
 */
export function unavailableLines(
	target: string,
	problems: string,
	setup: ReadonlyArray<readonly [string, string]>,
	width: number,
	height: number,
): LoginLine[] {
	const lines: LoginLine[] = [
		...wordLines(`✘ cannot log in ${target}: login is not configured`, width).map(
			(text): LoginLine => ({text, tone: 'error'}),
		),
		...problems
			.split('\n')
			.flatMap((problem) => wordLines(`• ${forScreen(problem)}`, width, 2))
			.map((text): LoginLine => ({text, tone: 'plain'})),
		{text: '', tone: 'plain'},
		...[
			...wordLines('set in the environment the inspector starts in, then start it again:', width),
			...setup.flatMap(([what, how]) => wordLines(`• ${what}: ${how}`, width, 2)),
		].map((text): LoginLine => ({text, tone: 'dim'})),
	];
	if (lines.length <= height) return lines;
	return [
		...lines.slice(0, Math.max(0, height - 1)),
		{text: fitWidth(LOGIN_CUT, width), tone: 'dim'},
	];
}
