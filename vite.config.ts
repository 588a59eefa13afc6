// Vite and Vitest options (SvelteKit options live in svelte.config.js).
import { paraglideVitePlugin } from '@inlang/paraglide-js';
import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vitest/config';

const integrationDrivers = ['pglite', ...(process.env.TEST_DATABASE_URL ? ['postgres'] : [])];

export default defineConfig({
	plugins: [
		sveltekit(),
		...(process.env.VITEST
			? []
			: [
					paraglideVitePlugin({
						project: './project.inlang',
						outdir: './src/lib/paraglide',
						emitTsDeclarations: true,
						strategy: ['cookie', 'baseLocale']
					})
				])
	],
	server: { port: 3000 },
	test: {
		expect: { requireAssertions: true },
		projects: [
			{
				extends: './vite.config.ts',
				test: {
					name: 'unit',
					environment: 'node',
					include: ['src/**/*.test.ts', 'scripts/**/*.test.ts', 'tests/authz/**/*.test.ts']
				}
			},
			{
				// The built server as a process: signals, hostile HTTP, uploads (tests/server/server.ts).
				extends: './vite.config.ts',
				test: {
					name: 'server',
					environment: 'node',
					include: ['tests/server/**/*.test.ts'],
					globalSetup: ['tests/server/global-setup.ts'],
					testTimeout: 300_000,
					hookTimeout: 300_000
				}
			},
			...integrationDrivers.map((driver) => ({
				extends: './vite.config.ts',
				test: {
					name: `integration-${driver}`,
					environment: 'node',
					include: ['tests/integration/**/*.test.ts'],
					env: { HOCTHI_TEST_DRIVER: driver },
					testTimeout: 60_000,
					hookTimeout: 120_000
				}
			}))
		]
	}
});
