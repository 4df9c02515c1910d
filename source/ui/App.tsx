import {Box} from 'ink';
import {useEffect, useMemo} from 'react';
import stringWidth from 'string-width';
import {countStatuses} from '../format/status.js';
import {forScreen} from '../format/width.js';
import type {ListableStore} from '../session/store.js';
import Details from './Details.js';
import Empty from './Empty.js';
import ErrorView from './ErrorView.js';
import Footer from './Footer.js';
import type {FirstListing} from './first-listing.js';
import Header from './Header.js';
import Help from './Help.js';
import {maxHelpTop} from './help-layout.js';
import {type Command, footerFor, footerItems, HELP_SCROLL_FOOTER} from './keymap.js';
import Loading from './Loading.js';
import LoginView from './LoginView.js';
import {bodyHeight, layoutColumns, MAX_ID_WIDTH, tableHeight} from './layout.js';
import {visibleRows} from './list-view.js';
import NoMatch from './NoMatch.js';
import type {Row} from './rows.js';
import StatusLine from './StatusLine.js';
import {detailsOf, initialState, keyContext, type State, update} from './state.js';
import Table from './Table.js';
import type {GitHubAccess, StartLogin} from './types.js';
import useClock from './use-clock.js';
import useInspector from './use-inspector.js';
import type {Timing} from './use-sessions.js';
import useTerminalSize from './use-terminal-size.js';

export type Props = {
	readonly store: ListableStore;
	/** Shown in the header: a ~-abbreviated path or a Redis URL without password. */
	readonly location: string;
	/** A directory to watch for changes; without one the store is polled. */
	readonly watchDir?: string;
	/** How `l` logs in; without it `l` explains how to configure login. */
	readonly login?: StartLogin;
	/** Without `login`: why, shown when `l` is pressed: a line per problem, each with its fix. */
	readonly loginUnavailable?: string;
	/** How long a login may take (default five minutes), for the time left on screen. */
	readonly loginTimeoutMs?: number;
	/** How stored tokens reach GitHub (v, V, R, revoking on d); without it those keys say so. */
	readonly github?: GitHubAccess;
	/** Shown in the header instead of the location: what this screen is (the demo says it is one). */
	readonly banner?: string;
	/** Terminal width, overriding Ink's stdout (tests). */
	readonly width?: number;
	/** Terminal height, overriding Ink's stdout (ink-testing-library has none). */
	readonly height?: number;
	/** Rescan periods (tests shorten them). */
	readonly timing?: Timing;
	/** The listing started before the first frame (runInspector); without it the app lists. */
	readonly first?: FirstListing;
};

function footerItemsFor(state: State, now: number): string[] {
	const {mode} = state;
	if (mode.kind === 'details') {
		const scrolls = detailsOf(state, now).length > bodyHeight(state.list.height);
		return [
			scrolls ? HELP_SCROLL_FOOTER : footerFor('up'),
			state.utc ? 'u local time' : 'u UTC',
			...footerItems('list', ['up', 'details']),
		];
	}
	const context = keyContext(mode);
	if (context !== 'list') return footerItems(context);
	if (mode.kind === 'help') {
		const more = maxHelpTop(state.width, bodyHeight(state.list.height)) > 0;
		return [...(more ? [HELP_SCROLL_FOOTER] : []), footerFor('back'), footerFor('quit')];
	}
	if (mode.kind === 'login') {
		const phase = state.login?.phase;
		if (phase === 'waiting') return ['Esc cancel'];
		return [...(phase === 'failed' ? ['l try again'] : []), footerFor('back'), footerFor('quit')];
	}

	if (mode.kind === 'busy') {
		return state.running?.kind === 'verify'
			? ['Esc cancel', footerFor('quit')]
			: [footerFor('quit')];
	}
	const omit: Command[] = state.list.filter !== '' ? [] : ['back'];
	return footerItems('list', omit);
}

function widestIdOf(rows: readonly Row[]): number {
	let widest = 2;
	for (const row of rows) {
		// As shown, escaped. A session's id passed isValidId (no control characters), so only an
		// unreadable entry's file name can be wider on screen than it is long.
		const length = row.unreadable ? stringWidth(row.shownId) : row.id.length;
		if (length > widest) widest = length;
		if (widest >= MAX_ID_WIDTH) break;
	}

	return widest;
}

/** The inspector: one reducer, one clock, one input hook, and views that render the state. */
export default function App(props: Props) {
	const {store, watchDir, login, github, timing} = props;
	const size = useTerminalSize();
	const width = props.width ?? size.width;
	const height = props.height ?? size.height;
	const [state, dispatch] = useInspector({
		init: () => {
			const initial = initialState({
				height: tableHeight(height),
				width,
				loginConfigured: login !== undefined,
				loginUnavailable: props.loginUnavailable,
				loginTimeoutMs: props.loginTimeoutMs,
				...(github?.oauthApp ? {revokeClientId: github.oauthApp.clientId} : {}),
			});
			// Listed before the first frame: the first frame is the table (or the empty state).
			const entries = props.first?.entries;
			if (!entries) return initial;
			const loaded = update(initial, {type: 'loaded', entries}).state;
			const missing = props.first?.directoryMissing === true;
			return update(loaded, {type: 'directoryChecked', missing}).state;
		},
		store,
		watchDir,
		login,
		github,
		timing,
		first: props.first,
	});
	const now = useClock();

	useEffect(() => {
		dispatch({type: 'resize', height: tableHeight(height), width});
	}, [dispatch, height, width]);

	const location = useMemo(() => forScreen(props.location), [props.location]);
	// One pass over every entry per tick, as sessions expire while the clock runs.
	const counts = useMemo(
		() => (state.entries ? countStatuses(state.entries, now) : undefined),
		[state.entries, now],
	);
	const {list} = state;
	const visible = useMemo(() => visibleRows(list), [list]);
	// Over every row, not the visible slice or the filtered view, so the columns stay where they
	// are while scrolling and while a filter is typed.
	const widestId = useMemo(() => widestIdOf(list.rows), [list.rows]);
	const columns = useMemo(() => layoutColumns(width, widestId), [width, widestId]);

	let body: React.ReactNode;
	if (state.mode.kind === 'help') {
		body = <Help width={width} top={state.mode.top} height={bodyHeight(list.height)} />;
	} else if (state.mode.kind === 'login' && state.login)
		body = (
			<LoginView
				login={state.login}
				now={now}
				width={state.width}
				height={bodyHeight(list.height)}
			/>
		);
	else if (state.error !== null)
		body = <ErrorView location={location} message={forScreen(state.error)} />;
	else if (state.entries === null) body = <Loading load={state.load} />;
	else if (state.mode.kind === 'details') {
		const lines = detailsOf(state, now);
		const height = bodyHeight(list.height);
		// A resize may have left fewer lines below: no blank end.
		const top = Math.max(0, Math.min(state.mode.top, lines.length - height));
		body = <Details lines={lines} top={top} height={height} />;
	} else if (state.entries.length === 0) {
		body = <Empty location={location} missing={state.directoryMissing} />;
	} else if (list.view.length === 0) {
		body = <NoMatch filter={forScreen(list.filter)} />;
	} else {
		body = (
			<Table
				rows={visible}
				selectedId={list.selectedId}
				columns={columns}
				now={now}
				checks={state.checks}
			/>
		);
	}

	return (
		<Box flexDirection="column" width={width}>
			<Header location={location} banner={props.banner} counts={counts} width={width} />
			{/* A view taller than this (the details on a very small terminal; the help scrolls
			    instead) is cut off at the bottom: its own box must not shrink, or Ink squeezes
			    its rows over each other. Only vertically: every view is laid out to the width
			    already, and clipping sideways would make Ink slice every line of every frame. */}
			<Box flexDirection="column" height={bodyHeight(list.height)} overflowY="hidden">
				<Box flexDirection="column" flexShrink={0}>
					{body}
				</Box>
			</Box>
			<StatusLine state={state} now={now} />
			<Footer items={footerItemsFor(state, now)} width={width} />
		</Box>
	);
}
