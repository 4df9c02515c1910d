import {expect} from 'vitest';

/**
 * Resolves to the rejection of `promise`, failing the test if it resolves instead, or if the
 * error is not a `type` (when given).
 */
export async function rejection<E extends Error = Error>(
	promise: Promise<unknown>,
	type?: abstract new (...args: never[]) => E,
): Promise<E> {
	const outcome = await promise.then(
		(value: unknown) => ({value}),
		(error: unknown) => ({error}),
	);
	if (!('error' in outcome)) throw new Error(`expected a rejection, got ${String(outcome.value)}`);
	if (type) expect(outcome.error).toBeInstanceOf(type);
	return outcome.error as E;
}
