// Page weight per route: what a browser downloads for the first view, gzip-compressed as served.
import { request } from 'undici';
import type { VirtualUser } from '../client';
import type { ScenarioResult } from '../report';

export interface RouteWeight {
	route: string;
	path: string;
	htmlGzip: number;
	cssGzip: number;
	jsGzip: number;
	/** HTML + CSS + JS needed before the page is usable. */
	criticalGzip: number;
	jsFiles: number;
}

async function gzipSize(url: string, cookie: string): Promise<{ bytes: number; body: string }> {
	const res = await request(url, { headers: { 'accept-encoding': 'gzip', cookie } });
	const buffer = Buffer.from(await res.body.arrayBuffer());
	const encoding = res.headers['content-encoding'];
	let body: string;
	if (encoding === 'gzip') {
		const { gunzipSync } = await import('node:zlib');
		body = gunzipSync(buffer).toString('utf8');
		return { bytes: buffer.length, body };
	}
	// Not compressed by the server (HTML from SSR): measure what gzip would make of it.
	const { gzipSync } = await import('node:zlib');
	body = buffer.toString('utf8');
	return { bytes: gzipSync(buffer).length, body };
}

/** Follows the HTML's stylesheets, module preloads and imports (transitively) and sums their gzip sizes. */
export async function measureRoute(
	base: string,
	user: VirtualUser | null,
	route: string,
	path: string
): Promise<RouteWeight> {
	const cookie = user?.cookie ?? '';
	const html = await gzipSize(base + path, cookie);
	const css = new Set<string>();
	const js = new Set<string>();
	for (const m of html.body.matchAll(/<link[^>]+href="([^"]+)"[^>]*>/g)) {
		if (/rel="stylesheet"/.test(m[0])) css.add(new URL(m[1], base + path).href);
		if (/rel="modulepreload"/.test(m[0])) js.add(new URL(m[1], base + path).href);
	}
	for (const m of html.body.matchAll(/import\("([^"]+)"\)/g))
		js.add(new URL(m[1], base + path).href);
	let cssBytes = 0;
	for (const url of css) cssBytes += (await gzipSize(url, cookie)).bytes;
	let jsBytes = 0;
	const seen = new Set<string>();
	const queue = [...js];
	while (queue.length) {
		const url = queue.shift()!;
		if (seen.has(url)) continue;
		seen.add(url);
		const file = await gzipSize(url, cookie);
		jsBytes += file.bytes;
		for (const m of file.body.matchAll(/(?:from|import)\s*\(?\s*"(\.{1,2}\/[^"]+\.js)"/g))
			queue.push(new URL(m[1], url).href);
	}
	return {
		route,
		path,
		htmlGzip: html.bytes,
		cssGzip: cssBytes,
		jsGzip: jsBytes,
		criticalGzip: html.bytes + cssBytes + jsBytes,
		jsFiles: seen.size
	};
}

const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;

export function weightResult(
	weights: RouteWeight[],
	limits: Record<string, number>
): ScenarioResult {
	const pass = weights.every(
		(w) =>
			w.criticalGzip <= 170 * 1024 && (limits[w.route] === undefined || w.jsGzip <= limits[w.route])
	);
	return {
		name: 'page weight per route (gzip)',
		target: 'lesson JS ≤ 50 KB, attempt JS ≤ 80 KB, critical path ≤ 170 KB',
		measured: weights
			.map(
				(w) =>
					`${w.route}: JS ${kb(w.jsGzip)} (${w.jsFiles} files), CSS ${kb(w.cssGzip)}, HTML ${kb(w.htmlGzip)}, critical ${kb(w.criticalGzip)}`
			)
			.join('; '),
		pass,
		data: { routes: weights }
	};
}
