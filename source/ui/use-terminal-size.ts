import {useStdout} from 'ink';
import {useEffect, useState} from 'react';

export type Size = {readonly width: number; readonly height: number};

/**
 * The terminal's size from Ink's stdout, following its 'resize' event. ink-testing-library's
 * stdout has no rows, hence the fallbacks (and App's width/height props for tests).
 */
export default function useTerminalSize(fallback: Size = {width: 80, height: 24}): Size {
	const {stdout} = useStdout();
	const read = (): Size => ({
		width: stdout.columns || fallback.width,
		height: stdout.rows || fallback.height,
	});
	const [size, setSize] = useState(read);
	useEffect(() => {
		const onResize = () => {
			const next = read();
			setSize((old) => (old.width === next.width && old.height === next.height ? old : next));
		};

		stdout.on('resize', onResize);
		return () => {
			stdout.off('resize', onResize);
		};
		// biome-ignore lint/correctness/useExhaustiveDependencies: read only closes over stdout and the fallback
	}, [stdout]);
	return size;
}
