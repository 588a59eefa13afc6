// SvelteKit options (Vite and Vitest options live in vite.config.ts).
import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	compilerOptions: {
		// Runes everywhere in our code; libraries decide for themselves.
		runes: ({ filename }) => (filename.split(/[/\\]/).includes('node_modules') ? undefined : true)
	},
	kit: {
		// HOCTHI_BUILD_DIR lets parallel work trees build without clobbering each other.
		adapter: adapter({ out: process.env.HOCTHI_BUILD_DIR ?? 'build' }),
		// No inline script runs without this response's nonce (SvelteKit adds it to its own). Styles
		// come from our CSS files only; inline style *attributes* stay allowed because server-rendered
		// markup sets data-driven sizes with them (progress bars, chart bars, tree indentation), which
		// must show without JavaScript. They cannot load anything: img-src and font-src are 'self'.
		csp: {
			mode: 'auto',
			directives: {
				'default-src': ['self'],
				'script-src': ['self'],
				'style-src': ['self'],
				'style-src-attr': ['unsafe-inline'],
				'img-src': ['self', 'data:', 'blob:'],
				'font-src': ['self'],
				'connect-src': ['self'],
				'object-src': ['none'],
				'base-uri': ['self'],
				'form-action': ['self'],
				'frame-ancestors': ['none']
			}
		},
		typescript: {
			config: (config) => {
				config.include.push('../scripts/**/*.ts', '../tests/**/*.ts', '../drizzle.config.ts');
			}
		}
	}
};

export default config;
