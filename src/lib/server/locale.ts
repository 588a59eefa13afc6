// The request's locale for Paraglide's messages on the server, kept where its runtime looks (the
// async local storage its own middleware would set up). The locale comes from the cookie only
// (strategies cookie, baseLocale; URLs are not localised): Paraglide's middleware would copy every
// request twice (a Request clone and a tee of the body of every save and form post) to find out
// what this reads from one cookie.
import { AsyncLocalStorage } from 'node:async_hooks';
import {
	baseLocale,
	cookieName,
	getTextDirection,
	isLocale,
	locales,
	overwriteServerAsyncLocalStorage,
	type Locale
} from '$lib/paraglide/runtime';

export const LOCALE_COOKIE = cookieName;

const store = new AsyncLocalStorage<{
	locale?: Locale;
	origin?: string;
	messageCalls?: Set<string>;
}>();
overwriteServerAsyncLocalStorage(store);

/** The locale a cookie value names, or the base locale (Vietnamese). */
export function localeOf(cookie: string | undefined | null): Locale {
	return cookie && isLocale(cookie) ? cookie : baseLocale;
}

/** Runs `work` with `locale` as the messages' locale. */
export function withLocale<T>(locale: Locale, origin: string, work: () => T): T {
	return store.run({ locale, origin, messageCalls: new Set() }, work);
}

/** The text direction of each locale, worked out once (Paraglide's asks Intl on every call). */
const directions = new Map(locales.map((l) => [l, getTextDirection(l)]));

export function textDirection(locale: Locale): 'ltr' | 'rtl' {
	return directions.get(locale) ?? 'ltr';
}
