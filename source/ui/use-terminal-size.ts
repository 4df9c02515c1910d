import {useStdout} from 'ink';
import {useEffect, useState} from 'react';

export type Size = {readonly width: number; readonly height: number};

const FALLBACK: Size = {width: 80, height: 24};

function sizeOf(stdout: NodeJS.WriteStream): Size {
	return {width: stdout.columns || FALLBACK.width, height: stdout.rows || FALLBACK.height};
}

/**
 * The terminal's size from Ink's stdout, following its 'resize' event. ink-testing-library's
 * stdout has no rows, hence the fallback (and App's width/height props for tests).
 */
export default function useTerminalSize(): Size {
	const {stdout} = useStdout();
	const [size, setSize] = useState(() => sizeOf(stdout));
	useEffect(() => {
		const onResize = () => {
			const next = sizeOf(stdout);
			setSize((old) => (old.width === next.width && old.height === next.height ? old : next));
		};

		stdout.on('resize', onResize);
		return () => {
			stdout.off('resize', onResize);
		};
	}, [stdout]);
	return size;
}
