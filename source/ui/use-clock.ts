import {useEffect, useState} from 'react';

/**
 * The one clock of the inspector: the current time in ms, updated every second on the second
 * boundary, so every countdown on screen changes together. One timeout to align, then
 * one interval.
 */
export default function useClock(periodMs = 1000): number {
	const [now, setNow] = useState(() => Date.now());
	useEffect(() => {
		let interval: ReturnType<typeof setInterval> | undefined;
		const align = setTimeout(
			() => {
				setNow(Date.now());
				interval = setInterval(() => setNow(Date.now()), periodMs);
			},
			periodMs - (Date.now() % periodMs),
		);
		return () => {
			clearTimeout(align);
			if (interval) clearInterval(interval);
		};
	}, [periodMs]);
	return now;
}
