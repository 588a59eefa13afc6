import { defineConfig } from 'drizzle-kit';

// Only `generate` is used: migrations are applied by the app (`hocthi migrate`, or on start).
export default defineConfig({
	schema: './src/lib/server/db/schema/index.ts',
	out: './drizzle',
	dialect: 'postgresql',
	strict: true,
	verbose: true
});
