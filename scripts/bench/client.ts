// A virtual user over HTTP: a cookie, form posts as the browser's enhanced forms send them.
import { Agent, request } from 'undici';

// Every virtual user is a browser of its own: enough sockets that the client never queues.
const agent = new Agent({
	connections: 8192,
	keepAliveTimeout: 60_000,
	pipelining: 1,
	connect: { timeout: 30_000 }
});

export interface HttpResult {
	status: number;
	body: string;
	ms: number;
	headers: Record<string, string | string[] | undefined>;
}

export class VirtualUser {
	cookie = '';
	constructor(
		readonly base: string,
		readonly username: string,
		readonly password = 'HocThi@2012'
	) {}

	private async send(
		method: string,
		path: string,
		body?: string,
		headers: Record<string, string> = {}
	): Promise<HttpResult> {
		const started = performance.now();
		let res: Awaited<ReturnType<typeof request>>;
		let text: string;
		try {
			res = await request(this.base + path, {
				method: method as 'GET' | 'POST',
				dispatcher: agent,
				body,
				headers: { origin: this.base, ...(this.cookie ? { cookie: this.cookie } : {}), ...headers }
			});
			text = await res.body.text();
		} catch (error) {
			// A refused or timed-out connection is a failed request (status 0), not a crash.
			const message = (error as Error & { code?: string }).code ?? (error as Error).message;
			return {
				status: 0,
				body: `network: ${message}`,
				ms: performance.now() - started,
				headers: {}
			};
		}
		const setCookie = res.headers['set-cookie'];
		for (const c of Array.isArray(setCookie) ? setCookie : setCookie ? [setCookie] : []) {
			const pair = c.split(';', 1)[0];
			if (pair.startsWith('hocthi_session=')) this.cookie = pair;
		}
		return {
			status: res.statusCode,
			body: text,
			ms: performance.now() - started,
			headers: res.headers
		};
	}

	get(path: string): Promise<HttpResult> {
		return this.send('GET', path);
	}

	/** A SvelteKit form action, as `use:enhance` posts it. */
	action(path: string, fields: Record<string, string>): Promise<HttpResult> {
		return this.send('POST', path, new URLSearchParams(fields).toString(), {
			'content-type': 'application/x-www-form-urlencoded',
			accept: 'application/json',
			'x-sveltekit-action': 'true'
		});
	}

	json(path: string, data: unknown): Promise<HttpResult> {
		return this.send('POST', path, JSON.stringify(data), {
			'content-type': 'application/json',
			accept: 'application/json'
		});
	}

	/** Where a form action sent us (`use:enhance` receives the redirect as JSON). */
	static redirectOf(result: HttpResult): string | null {
		try {
			const body = JSON.parse(result.body) as { type?: string; location?: string };
			return body.type === 'redirect' && body.location ? body.location : null;
		} catch {
			return null;
		}
	}

	async logIn(): Promise<HttpResult> {
		const result = await this.action('/login', {
			username: this.username,
			password: this.password,
			redirectTo: '/'
		});
		if (result.status !== 200 || !result.body.includes('"redirect"') || !this.cookie) {
			throw new Error(`login ${this.username}: ${result.status} ${result.body.slice(0, 200)}`);
		}
		return result;
	}
}
