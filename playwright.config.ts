import { defineConfig } from '@playwright/test';
import fs from 'node:fs';

const port = Number(process.env.E2E_PORT ?? 4173);

/** Debian's Chromium where present (this machine, CI); Playwright's own browser elsewhere. */
function chromiumPath(): string | undefined {
	const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'];
	return candidates.find((p): p is string => !!p && fs.existsSync(p));
}

export default defineConfig({
	testDir: 'tests/e2e',
	testMatch: '**/*.e2e.ts',
	timeout: 60_000,
	expect: { timeout: 15_000 },
	workers: 2,
	reporter: process.env.CI ? [['list']] : [['list'], ['html', { open: 'never' }]],
	use: {
		baseURL: `http://localhost:${port}`,
		locale: 'vi-VN',
		timezoneId: 'Asia/Ho_Chi_Minh',
		trace: 'retain-on-failure',
		launchOptions: {
			executablePath: chromiumPath(),
			args: [
				'--disable-background-networking',
				'--disable-component-update',
				'--disable-sync',
				'--disable-quic',
				'--no-first-run'
			]
		}
	},
	projects: [{ name: 'chromium', use: { browserName: 'chromium' } }],
	webServer: {
		command: 'node scripts/e2e-server.js',
		url: `http://localhost:${port}/login`,
		timeout: 600_000,
		reuseExistingServer: false,
		stdout: 'ignore',
		stderr: 'pipe',
		env: { E2E_PORT: String(port) }
	}
});
