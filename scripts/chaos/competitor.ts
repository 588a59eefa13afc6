// A virtual competitor: logs in, starts the open theory round, and answers over the real autosave
// endpoint the way src/lib/attempt/autosave.ts does in the browser — a per-slot seq, the answer kept
// until the server acknowledges it (after commit), and replayed when the server is back.
import * as devalue from 'devalue';
import { Agent, request } from 'undici';

const agent = new Agent({
	connections: 128,
	keepAliveTimeout: 10_000,
	headersTimeout: 20_000,
	bodyTimeout: 20_000,
	connect: { timeout: 5_000 }
});

type Response =
	| { type: 'single'; choice: number | null }
	| { type: 'multiple'; choices: number[] }
	| { type: 'truefalse'; answer: boolean | null }
	| { type: 'shortanswer' | 'numerical' | 'essay'; text: string }
	| { type: 'matching'; answers: Record<number, string | null> };

export interface SlotInfo {
	slot: number;
	type: string;
	choices: number;
}

export interface Ack {
	seq: number;
	response: string;
}

export interface CompetitorStats {
	sent: number;
	acknowledged: number;
	/** Saves that failed at least once (server down, pool broken) and landed when sent again. */
	replayed: number;
	failures: number;
	/** Failures by kind ('500', 'UND_ERR_HEADERS_TIMEOUT', 'ECONNREFUSED', …). */
	failureKinds: Record<string, number>;
	/** Answers the server refused for good (409/404/400): must stay 0. */
	refused: string[];
}

interface HttpAnswer {
	status: number;
	body: string;
	headers: Record<string, string | string[] | undefined>;
}

export class Competitor {
	private cookie = '';
	attemptId = '';
	slots: SlotInfo[] = [];
	/** Deadline the server told us at the first acknowledged save; must never change. */
	deadlineAt: string | null = null;
	deadlineChanges: string[] = [];
	/** Highest acknowledged seq per slot, with the answer it carried. */
	readonly acked = new Map<number, Ack>();
	private readonly seqs = new Map<number, number>();
	private readonly pending = new Map<
		number,
		{ seq: number; response: Response; failed: boolean }
	>();
	private sending = false;
	private stopped = false;
	readonly stats: CompetitorStats = {
		sent: 0,
		acknowledged: 0,
		replayed: 0,
		failures: 0,
		failureKinds: {},
		refused: []
	};

	constructor(
		private readonly base: string,
		readonly username: string,
		private readonly random: () => number,
		private readonly password = 'HocThi@2012'
	) {}

	private async send(
		method: 'GET' | 'POST',
		path: string,
		body?: string,
		headers: Record<string, string> = {}
	): Promise<HttpAnswer> {
		const res = await request(this.base + path, {
			method,
			dispatcher: agent,
			body,
			headers: { origin: this.base, ...(this.cookie ? { cookie: this.cookie } : {}), ...headers }
		});
		const text = await res.body.text();
		const setCookie = res.headers['set-cookie'];
		for (const c of Array.isArray(setCookie) ? setCookie : setCookie ? [setCookie] : []) {
			const pair = c.split(';', 1)[0];
			if (pair.startsWith('hocthi_session=')) this.cookie = pair;
		}
		return { status: res.statusCode, body: text, headers: res.headers };
	}

	private action(path: string, fields: Record<string, string>): Promise<HttpAnswer> {
		return this.send('POST', path, new URLSearchParams(fields).toString(), {
			'content-type': 'application/x-www-form-urlencoded',
			accept: 'application/json',
			'x-sveltekit-action': 'true'
		});
	}

	private async pageData(path: string): Promise<Record<string, unknown>> {
		const [pathname, search] = path.split('?');
		const res = await this.send('GET', `${pathname}/__data.json${search ? '?' + search : ''}`);
		const parsed = JSON.parse(res.body.split('\n')[0]) as {
			nodes?: Array<{ type: string; data?: unknown }>;
		};
		const leaf = parsed.nodes?.at(-1);
		if (!leaf || leaf.type !== 'data') throw new Error(`${path}: ${res.body.slice(0, 200)}`);
		return devalue.unflatten(leaf.data as number) as Record<string, unknown>;
	}

	async logIn(): Promise<void> {
		const res = await this.action('/login', {
			username: this.username,
			password: this.password,
			redirectTo: '/'
		});
		if (res.status !== 200 || !res.body.includes('"redirect"') || !this.cookie)
			throw new Error(`login ${this.username}: ${res.status} ${res.body.slice(0, 200)}`);
	}

	/** Starts (or resumes) the first round of the competition that opens an attempt. */
	async startRound(slug: string): Promise<void> {
		for (const position of [2, 1, 3, 4]) {
			const res = await this.action(`/competitions/${slug}?/start`, {
				position: String(position)
			});
			const answer = JSON.parse(res.body) as { type?: string; location?: string };
			const match =
				answer.type === 'redirect'
					? /^\/attempts\/([0-9a-f-]{36})/.exec(answer.location ?? '')
					: null;
			if (match) {
				this.attemptId = match[1];
				break;
			}
		}
		if (!this.attemptId) throw new Error(`${this.username}: no theory round to start`);
		const first = await this.pageData(`/attempts/${this.attemptId}`);
		const pages = Number(first.pages);
		const all: SlotInfo[] = [];
		for (let page = 1; page <= pages; page++) {
			const data =
				page === 1 ? first : await this.pageData(`/attempts/${this.attemptId}?page=${page}`);
			for (const s of data.slots as Array<{ slot: number; type: string; choices: unknown[] }>)
				all.push({ slot: s.slot, type: s.type, choices: s.choices.length });
		}
		this.slots = all.filter((s) => s.type !== 'description');
		for (const [slot, seq] of Object.entries(first.seqs as Record<string, number>))
			this.seqs.set(Number(slot), seq);
	}

	private answerFor(s: SlotInfo): Response {
		const pick = (n: number) => Math.floor(this.random() * Math.max(1, n));
		switch (s.type) {
			case 'single':
				return { type: 'single', choice: pick(s.choices) };
			case 'multiple':
				return {
					type: 'multiple',
					choices: [...new Set([pick(s.choices), pick(s.choices)])].sort()
				};
			case 'truefalse':
				return { type: 'truefalse', answer: this.random() < 0.5 };
			case 'matching':
				return { type: 'matching', answers: {} };
			case 'numerical':
				return { type: 'numerical', text: String(pick(1000)) };
			default:
				return { type: s.type as 'essay', text: `trả lời ${pick(1e6)} — đáp án` };
		}
	}

	/** One click: a new answer for a random slot, queued with the next seq and sent. */
	answerOne(): void {
		if (this.stopped || !this.slots.length) return;
		const s = this.slots[Math.floor(this.random() * this.slots.length)];
		const seq = (this.seqs.get(s.slot) ?? 0) + 1;
		this.seqs.set(s.slot, seq);
		const previous = this.pending.get(s.slot);
		this.pending.set(s.slot, {
			seq,
			response: this.answerFor(s),
			failed: previous?.failed ?? false
		});
		void this.flush();
	}

	get pendingCount(): number {
		return this.pending.size;
	}

	/** [slot, seq] of every answer not yet acknowledged. */
	pendingSeqs(): Array<[number, number]> {
		return [...this.pending].map(([slot, p]) => [slot, p.seq]);
	}

	/** Whether (slot, seq) still waits: a newer answer for the slot supersedes it (the browser sends only the latest). */
	stillPending(slot: number, seq: number): boolean {
		const p = this.pending.get(slot);
		return !!p && p.seq >= seq;
	}

	/** Sends what is pending, one slot at a time; on failure waits and tries again (as the browser). */
	async flush(): Promise<void> {
		if (this.sending) return;
		this.sending = true;
		try {
			let delay = 100;
			while (!this.stopped) {
				const next = this.pending.entries().next();
				if (next.done) break;
				const [slot, item] = next.value;
				const body = JSON.stringify({ slot, seq: item.seq, response: item.response });
				let res: HttpAnswer | null = null;
				this.stats.sent++;
				try {
					res = await this.send('POST', `/attempts/${this.attemptId}/save`, body, {
						'content-type': 'application/json',
						accept: 'application/json'
					});
				} catch (error) {
					res = null;
					const e = error as { code?: string; cause?: { code?: string } };
					const kind = e.code ?? e.cause?.code ?? 'network';
					this.stats.failureKinds[kind] = (this.stats.failureKinds[kind] ?? 0) + 1;
				}
				const parsed = res ? safeJson(res.body) : null;
				if (res && res.status === 200 && parsed && typeof parsed.seq === 'number') {
					this.stats.acknowledged++;
					if (item.failed) this.stats.replayed++;
					const ackSeq = parsed.seq as number;
					// The acknowledged answer is the one with that seq: ours if it is our seq.
					if (ackSeq === item.seq) {
						const prev = this.acked.get(slot);
						if (!prev || prev.seq < ackSeq)
							this.acked.set(slot, { seq: ackSeq, response: JSON.stringify(item.response) });
					}
					const deadline = (parsed.deadlineAt as string | null) ?? null;
					if (this.deadlineAt === null) this.deadlineAt = deadline;
					else if (deadline !== this.deadlineAt)
						this.deadlineChanges.push(`${this.deadlineAt} → ${deadline}`);
					const current = this.pending.get(slot);
					if (current && current.seq <= ackSeq) this.pending.delete(slot);
					delay = 100;
					continue;
				}
				if (res && (res.status === 409 || res.status === 404 || res.status === 400)) {
					this.stats.refused.push(`${res.status} ${res.body.slice(0, 120)}`);
					this.pending.delete(slot);
					continue;
				}
				// Server down, restarting, or its database away: keep the answer, wait, send again.
				this.stats.failures++;
				if (res)
					this.stats.failureKinds[String(res.status)] =
						(this.stats.failureKinds[String(res.status)] ?? 0) + 1;
				const current = this.pending.get(slot);
				if (current) current.failed = true;
				await new Promise((r) => setTimeout(r, delay));
				delay = Math.min(delay * 2, 2_000);
			}
		} finally {
			this.sending = false;
		}
	}

	/** Resolves once nothing is pending (every replay landed), or false after `ms`. */
	async drained(ms: number): Promise<boolean> {
		const until = Date.now() + ms;
		while (Date.now() < until) {
			if (!this.pending.size && !this.sending) return true;
			void this.flush();
			await new Promise((r) => setTimeout(r, 100));
		}
		return !this.pending.size;
	}

	stop(): void {
		this.stopped = true;
	}
}

function safeJson(text: string): Record<string, unknown> | null {
	try {
		const v = JSON.parse(text) as unknown;
		return v && typeof v === 'object' ? (v as Record<string, unknown>) : null;
	} catch {
		return null;
	}
}
