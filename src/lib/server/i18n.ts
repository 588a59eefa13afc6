// Server-side access to the Paraglide messages (relative path so the CLI can load it without SvelteKit).
export { m } from '../paraglide/messages.js';
export { getLocale, setLocale, locales, baseLocale } from '../paraglide/runtime.js';
