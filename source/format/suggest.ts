// "Did you mean": the nearest of the known words to a mistyped one.
import leven from 'leven';

/**
 * The candidate nearest to `word` by edit distance, when it is near enough to be the likely
 * intent (at most two edits, and fewer than the word's own length: `x` suggests nothing);
 * undefined otherwise.
 */
export function closest(word: string, candidates: Iterable<string>): string | undefined {
	let best: string | undefined;
	let bestDistance = Math.min(3, word.length);
	for (const candidate of candidates) {
		const distance = leven(word, candidate);
		if (distance < bestDistance) {
			best = candidate;
			bestDistance = distance;
		}
	}

	return best;
}
