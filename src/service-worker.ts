// Offline reading for commune links that drop: keeps the app shell and the lesson pages (with their
// images) this browser has opened. Lesson pages are fetched from the network first, so an updated
// lesson shows as soon as the link is back; the copy is used only when the network fails. Nothing
// else is kept: no attempt pages or saves, no reports or admin pages, no form posts.
/// <reference types="@sveltejs/kit" />
/// <reference no-default-lib="true"/>
/// <reference lib="esnext" />
/// <reference lib="webworker" />
import { build, files, version } from '$service-worker';

const sw = self as unknown as ServiceWorkerGlobalScope;

const SHELL = `shell-${version}`;
/** Pages and images kept for this browser's user; emptied at every login and logout. */
const LESSONS = `lessons-${version}`;
const SHELL_FILES = new Set([...build, ...files]);

/** /courses/<course>/<lesson>: links to lessons load whole pages (data-sveltekit-reload), so the
 * page's HTML is all there is to keep. */
const LESSON_PAGE = /^\/courses\/[^/]+\/[^/]+\/?$/;

sw.addEventListener('install', (event) => {
	event.waitUntil(
		caches
			.open(SHELL)
			.then((cache) => cache.addAll([...SHELL_FILES]))
			.then(() => sw.skipWaiting())
	);
});

sw.addEventListener('activate', (event) => {
	event.waitUntil(
		(async () => {
			// Pages kept by an older version point at its scripts and styles: drop them with it.
			for (const key of await caches.keys())
				if (key !== SHELL && key !== LESSONS) await caches.delete(key);
			await sw.clients.claim();
		})()
	);
});

/** Network first; on success keep a copy; without a network, the copy. */
async function lessonPage(request: Request, key: string): Promise<Response> {
	const cache = await caches.open(LESSONS);
	try {
		const response = await fetch(request);
		// Only the page itself: not a redirect to the login page, not an error page.
		if (response.ok && !response.redirected && response.type === 'basic')
			await cache.put(key, response.clone());
		return response;
	} catch (error) {
		const kept = await cache.match(key);
		if (kept) return kept;
		throw error;
	}
}

/** Lesson images never change under one id: the copy when there is one, else the network. */
async function lessonImage(request: Request, key: string): Promise<Response> {
	const cache = await caches.open(LESSONS);
	const kept = await cache.match(key);
	if (kept) return kept;
	const response = await fetch(request);
	if (response.ok && response.type === 'basic') await cache.put(key, response.clone());
	return response;
}

sw.addEventListener('fetch', (event) => {
	const request = event.request;
	const url = new URL(request.url);
	if (url.origin !== sw.location.origin) return;

	if (request.method === 'POST' && (url.pathname === '/logout' || url.pathname === '/login')) {
		// Another person may use this browser next: forget the pages kept for this one.
		event.waitUntil(caches.delete(LESSONS));
		return;
	}
	if (request.method !== 'GET') return;

	if (SHELL_FILES.has(url.pathname)) {
		event.respondWith(caches.match(url.pathname).then((kept) => kept ?? fetch(request)));
	} else if (LESSON_PAGE.test(url.pathname)) {
		event.respondWith(lessonPage(request, url.pathname));
	} else if (/^\/files\/[0-9a-f-]{36}$/.test(url.pathname) && request.destination === 'image') {
		event.respondWith(lessonImage(request, url.pathname));
	}
});
