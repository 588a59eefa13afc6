// Slow link: first load of the lesson and attempt pages in Chromium over a 400 kbit/s, 400 ms RTT
// line (Chrome DevTools Protocol network emulation), cache empty, as a commune office would see it.
import fs from 'node:fs';
import { chromium } from '@playwright/test';
import type { ScenarioResult } from '../report';

const CHROMIUM = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].find(
	(p): p is string => !!p && fs.existsSync(p)
);

export interface SlowPage {
	route: string;
	path: string;
	cookie: string;
}

export async function slowLink(base: string, pages: SlowPage[]): Promise<ScenarioResult> {
	const name = 'slow link: lesson and attempt pages in Chromium at 400 kbit/s, 400 ms RTT';
	const target = 'first load ≤ 5 s';
	if (!CHROMIUM)
		return {
			name,
			target,
			measured: 'not run: no Chromium at /usr/bin/chromium',
			pass: null,
			data: {}
		};
	try {
		return await measure(base, pages, CHROMIUM, name, target);
	} catch (error) {
		return {
			name,
			target,
			measured: `failed: ${(error as Error).message.slice(0, 200)}`,
			pass: false,
			data: {}
		};
	}
}

async function measure(
	base: string,
	pages: SlowPage[],
	executablePath: string,
	name: string,
	target: string
): Promise<ScenarioResult> {
	const browser = await chromium.launch({ executablePath });
	const loads: Array<{
		route: string;
		loadMs: number;
		domContentLoadedMs: number;
		status: number;
	}> = [];
	try {
		for (const page of pages) {
			const context = await browser.newContext();
			const [cookieName, cookieValue] = page.cookie.split('=');
			if (cookieName)
				await context.addCookies([{ name: cookieName, value: cookieValue, url: base }]);
			const tab = await context.newPage();
			const cdp = await context.newCDPSession(tab);
			await cdp.send('Network.enable');
			await cdp.send('Network.emulateNetworkConditions', {
				offline: false,
				latency: 400,
				downloadThroughput: 400_000 / 8,
				uploadThroughput: 400_000 / 8
			});
			const t0 = Date.now();
			const response = await tab.goto(base + page.path, { waitUntil: 'load', timeout: 60_000 });
			const loadMs = Date.now() - t0;
			const domContentLoadedMs = await tab.evaluate(() => {
				const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
				return Math.round(nav.domContentLoadedEventEnd);
			});
			loads.push({
				route: page.route,
				loadMs,
				domContentLoadedMs,
				status: response?.status() ?? 0
			});
			await context.close();
		}
	} finally {
		await browser.close();
	}
	return {
		name,
		target,
		measured: loads
			.map(
				(l) =>
					`${l.route}: load ${(l.loadMs / 1000).toFixed(1)} s (DOMContentLoaded ${(l.domContentLoadedMs / 1000).toFixed(1)} s, HTTP ${l.status})`
			)
			.join('; '),
		pass: loads.every((l) => l.status === 200 && l.loadMs <= 5000),
		data: { loads }
	};
}
