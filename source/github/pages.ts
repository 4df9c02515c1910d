// The pages the callback server answers the browser with. Every value in them passes through
// escapeHtml: an error_description or a user's name comes from the network. A page is read as a
// web page, so its title is a heading ("Login failed") and its message is prose: sentences with
// a capital and a full stop, unlike the terminal's messages (lowercase, no final period), which
// sentence() turns into one.

/** The five characters that matter in HTML text and quoted attributes. */
export function escapeHtml(text: string): string {
	return text
		.replaceAll('&', '&amp;')
		.replaceAll('<', '&lt;')
		.replaceAll('>', '&gt;')
		.replaceAll('"', '&quot;')
		.replaceAll("'", '&#39;');
}

/** A minimal page; `title` and `message` are plain text and escaped here. */
export function page(title: string, message: string): string {
	return [
		'<!doctype html>',
		'<html lang="en"><head><meta charset="utf-8">',
		'<meta name="viewport" content="width=device-width, initial-scale=1">',
		`<title>${escapeHtml(title)} · stacktower</title>`,
		'<style>body{font:16px/1.5 system-ui,sans-serif;max-width:40em;margin:4em auto;padding:0 1em}</style>',
		'</head><body>',
		`<h1>${escapeHtml(title)}</h1>`,
		`<p>${escapeHtml(message)}</p>`,
		'</body></html>',
		'',
	].join('\n');
}

/** A terminal message (`the login was denied on GitHub`) as a sentence of a page. */
export function sentence(message: string): string {
	const text = message.charAt(0).toUpperCase() + message.slice(1);
	return /[.!?]$/.test(text) ? text : `${text}.`;
}
