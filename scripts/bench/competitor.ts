// A competitor over HTTP, as the browser drives the real pages: lobby, start, attempt page,
// JSON autosave with per-slot sequence numbers, submit.
import { VirtualUser, type HttpResult } from './client';
import type { Ledger } from './ledger';
import type { Population } from './setup';

export class Competitor extends VirtualUser {
	attemptId: string | null = null;
	/** The last seq sent per slot (1-based slots). */
	private readonly seqs = new Map<number, number>();
	private busy = false;

	constructor(
		base: string,
		username: string,
		readonly population: Population
	) {
		super(base, username);
	}

	lobby(): Promise<HttpResult> {
		return this.get(`/competitions/${this.population.slug}`);
	}

	/** The lobby's start button; on success the attempt page's path. */
	async start(): Promise<{ result: HttpResult; location: string | null }> {
		const result = await this.action(`/competitions/${this.population.slug}?/start`, {
			position: String(this.population.position)
		});
		const location = VirtualUser.redirectOf(result);
		const id = location?.match(/^\/attempts\/([0-9a-f-]{36})$/)?.[1];
		if (id) this.attemptId = id;
		return { result, location: id ? location : null };
	}

	attemptPage(): Promise<HttpResult> {
		return this.get(`/attempts/${this.attemptId}`);
	}

	/** True while a save is on its way: the browser's saver sends one at a time. */
	get saving(): boolean {
		return this.busy;
	}

	/**
	 * Answers a slot (a new choice each time) and autosaves it; an acknowledged save goes into the
	 * ledger. Returns the outcome for the statistics.
	 */
	async save(
		slot: number,
		ledger: Ledger,
		scenario: string
	): Promise<{ ok: boolean; ms: number; status: number; error?: string }> {
		const seq = (this.seqs.get(slot) ?? 0) + 1;
		this.seqs.set(slot, seq);
		const type = this.population.slotTypes[slot - 1];
		const response =
			type === 'single' ? { type, choice: seq % 4 } : { type, answer: seq % 2 === 0 };
		this.busy = true;
		try {
			const result = await this.json(`/attempts/${this.attemptId}/save`, { slot, seq, response });
			if (result.status !== 200)
				return { ok: false, ms: result.ms, status: result.status, error: `save ${result.status}` };
			const body = JSON.parse(result.body) as { seq?: number };
			if (typeof body.seq !== 'number' || body.seq < seq)
				return { ok: false, ms: result.ms, status: result.status, error: 'save: no ack' };
			ledger.ack({ attemptId: this.attemptId!, slot, seq, scenario });
			return { ok: true, ms: result.ms, status: result.status };
		} catch (error) {
			return {
				ok: false,
				ms: 0,
				status: 0,
				error: `save: ${(error as Error).message.slice(0, 40)}`
			};
		} finally {
			this.busy = false;
		}
	}

	/** The submit page's form; on success the review page. */
	async submit(
		ledger: Ledger,
		scenario: string
	): Promise<{ ok: boolean; ms: number; error?: string }> {
		try {
			const result = await this.action(`/attempts/${this.attemptId}/submit`, {});
			const location = VirtualUser.redirectOf(result);
			if (location === `/attempts/${this.attemptId}/review`) {
				ledger.submitted(this.attemptId!, scenario);
				return { ok: true, ms: result.ms };
			}
			return {
				ok: false,
				ms: result.ms,
				error: `submit ${result.status} ${result.body.slice(0, 60)}`
			};
		} catch (error) {
			return { ok: false, ms: 0, error: `submit: ${(error as Error).message.slice(0, 40)}` };
		}
	}
}
