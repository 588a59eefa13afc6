// An HTTP client for the authorisation tests: one logged-in person (or nobody), talking to the real
// server the way the browser does — pages, the __data.json SvelteKit fetches on navigation, form
// actions as `use:enhance` posts them, JSON endpoints — without following redirects.
import { expect, request, type APIRequestContext, type APIResponse } from '@playwright/test';
import * as devalue from 'devalue';

export const DEMO_PASSWORD = 'HocThi@2012';

/** A form field: text, repeated text, or a file. */
export type FieldValue = string | string[] | { name: string; mimeType: string; buffer: Buffer };
export type FormBody = Record<string, FieldValue>;

export interface Answer {
	status: number;
	location: string | null;
	contentType: string;
	text: string;
	headers: Record<string, string>;
}

export interface ActionAnswer {
	/** The HTTP status of the response. */
	httpStatus: number;
	/** SvelteKit's action result: success, failure, redirect or error. */
	type: 'success' | 'failure' | 'redirect' | 'error';
	/** The result's status (the failure's, the redirect's, or the error's HTTP status). */
	status: number;
	location: string | null;
	data: unknown;
	text: string;
}

export interface DataAnswer {
	httpStatus: number;
	/** 'data', or 'redirect' when a load redirected. */
	type: string;
	location: string | null;
	/** One per layout and the page, in order: { type: 'data' | 'skip' | 'error', data?, status? }. */
	nodes: Array<{ type: string; data?: unknown; status?: number }>;
	text: string;
}

function formData(body: FormBody): { data: FormData; files: boolean } {
	const data = new FormData();
	let files = false;
	for (const [key, value] of Object.entries(body)) {
		if (typeof value === 'string') data.append(key, value);
		else if (Array.isArray(value)) for (const v of value) data.append(key, v);
		else {
			files = true;
			data.append(
				key,
				new Blob([new Uint8Array(value.buffer)], { type: value.mimeType }),
				value.name
			);
		}
	}
	return { data, files };
}

async function answer(res: APIResponse): Promise<Answer> {
	const headers = res.headers();
	return {
		status: res.status(),
		location: headers.location ?? null,
		contentType: headers['content-type'] ?? '',
		text: await res.text(),
		headers
	};
}

export class Client {
	private constructor(
		readonly who: string,
		readonly baseURL: string,
		readonly ctx: APIRequestContext
	) {}

	/** Nobody logged in. */
	static async anonymous(baseURL: string, who = 'anonymous'): Promise<Client> {
		const ctx = await request.newContext({ baseURL, extraHTTPHeaders: { origin: baseURL } });
		return new Client(who, baseURL, ctx);
	}

	/** A browser that carries `token` as its session cookie (a copied or planted cookie). */
	static async withSession(baseURL: string, token: string, who = 'cookie'): Promise<Client> {
		const ctx = await request.newContext({
			baseURL,
			extraHTTPHeaders: { origin: baseURL },
			storageState: {
				cookies: [
					{
						name: 'hocthi_session',
						value: token,
						domain: new URL(baseURL).hostname,
						path: '/',
						expires: -1,
						httpOnly: true,
						secure: false,
						sameSite: 'Lax'
					}
				],
				origins: []
			}
		});
		return new Client(who, baseURL, ctx);
	}

	/** Whether this browser is logged in (its session is alive on the server). */
	async loggedIn(): Promise<boolean> {
		const res = await this.get('/my');
		if (res.status === 200) return true;
		if (res.status === 303 && (res.location ?? '').startsWith('/login')) return false;
		throw new Error(`/my answered ${res.status} ${res.location}`);
	}

	/** A fresh session of `username`, obtained the way the login form does it. */
	static async logIn(
		baseURL: string,
		username: string,
		who = username,
		password = DEMO_PASSWORD
	): Promise<Client> {
		const client = await Client.anonymous(baseURL, who);
		const res = await client.ctx.post('/login', {
			form: { username, password },
			headers: { accept: 'text/html' },
			maxRedirects: 0
		});
		expect(res.status(), `log in as ${username}`).toBe(303);
		expect(res.headers().location ?? '', `log in as ${username}`).not.toMatch(/^\/login/);
		return client;
	}

	async close(): Promise<void> {
		await this.ctx.dispose();
	}

	/** The session cookie's value (to copy it into another client). */
	async sessionToken(): Promise<string | null> {
		const state = await this.ctx.storageState();
		return state.cookies.find((c) => c.name === 'hocthi_session')?.value ?? null;
	}

	async get(path: string, headers: Record<string, string> = {}): Promise<Answer> {
		return answer(
			await this.ctx.get(path, { maxRedirects: 0, headers: { accept: 'text/html', ...headers } })
		);
	}

	async post(
		path: string,
		body: { form?: FormBody; json?: unknown; raw?: string },
		extraHeaders: Record<string, string> = {}
	): Promise<Answer> {
		// Like a browser's form post: an HTML answer (with */* SvelteKit answers as to use:enhance).
		const headers = { accept: 'text/html', ...extraHeaders };
		if (body.json !== undefined)
			return answer(await this.ctx.post(path, { data: body.json, maxRedirects: 0, headers }));
		if (body.raw !== undefined)
			return answer(await this.ctx.post(path, { data: body.raw, maxRedirects: 0, headers }));
		const { data, files } = formData(body.form ?? {});
		return answer(
			await this.ctx.post(path, {
				...(files ? { multipart: data } : { form: data }),
				maxRedirects: 0,
				headers
			})
		);
	}

	/**
	 * What SvelteKit's client router fetches for a page: every server load's data, or only the
	 * nodes marked '1' in `invalidated` (layouts first, the page last).
	 */
	async data(path: string, invalidated?: string): Promise<DataAnswer> {
		const url = new URL(path, this.baseURL);
		url.pathname = url.pathname.replace(/\/$/, '') + '/__data.json';
		if (invalidated) url.searchParams.set('x-sveltekit-invalidated', invalidated);
		const res = await this.get(url.pathname + url.search);
		let parsed: {
			type?: string;
			location?: string;
			nodes?: Array<{ type: string; data?: unknown; status?: number }>;
		} = {};
		try {
			parsed = JSON.parse(res.text.split('\n')[0]);
		} catch {
			// Not JSON: reported through `type` below.
		}
		return {
			httpStatus: res.status,
			type: parsed.type ?? `http ${res.status}`,
			location: parsed.location ?? null,
			nodes: (parsed.nodes ?? []).map((n) =>
				n && n.type === 'data'
					? { ...n, data: devalue.unflatten(n.data as number) }
					: (n ?? { type: 'null' })
			),
			text: res.text
		};
	}

	/** The page's own load data (the last node), failing the test if it is not there. */
	async pageData<T = Record<string, unknown>>(path: string): Promise<T> {
		const answer = await this.data(path);
		const leaf = answer.nodes.at(-1);
		expect(leaf?.type, `${this.who}: data of ${path}: ${answer.text.slice(0, 300)}`).toBe('data');
		return leaf!.data as T;
	}

	/** A form action posted as `use:enhance` does. */
	async action(path: string, name: string, body: FormBody = {}): Promise<ActionAnswer> {
		const url = name === 'default' ? path : `${path}?/${name}`;
		const res = await this.post(
			url,
			{ form: body },
			{ 'x-sveltekit-action': 'true', accept: 'application/json' }
		);
		let parsed: { type?: string; status?: number; location?: string; data?: string } = {};
		try {
			parsed = JSON.parse(res.text);
		} catch {
			// An HTML page (the action did not run as an action): reported through `type`.
		}
		return {
			httpStatus: res.status,
			type: (parsed.type ?? 'error') as ActionAnswer['type'],
			status: parsed.type === 'error' || !parsed.status ? res.status : parsed.status,
			location: parsed.location ?? null,
			data: typeof parsed.data === 'string' ? devalue.parse(parsed.data) : undefined,
			text: res.text
		};
	}

	/** An action that must succeed (a step of the test set-up). */
	async must(path: string, name: string, body: FormBody = {}): Promise<ActionAnswer> {
		const result = await this.action(path, name, body);
		expect(
			['success', 'redirect'].includes(result.type) &&
				!(result.location ?? '').startsWith('/login'),
			`${this.who}: ${path} ?/${name}: ${result.text.slice(0, 400)}`
		).toBe(true);
		return result;
	}
}
