// Runs the matrix against a server: each page (its HTML and its __data.json), action and endpoint,
// as each person, compared with what the matrix says; refusals must also leave every table as it was.
import { Client } from './client';
import { probeFor } from './coverage';
import { WHO, matrix, type Outcome, type Probe, type Who } from './matrix';
import { routePath, targetLabel, type Target } from './routes';
import { ACCOUNTS, type World } from './world';

export interface Check {
	target: Target;
	probe: Probe;
	who: Who;
	outcome: Outcome;
	path: string;
}

export interface Tally {
	checks: number;
	pages: number;
	dataRequests: number;
	actions: number;
	endpoints: number;
	writeChecks: number;
	notRerun: number;
}

export const newTally = (): Tally => ({
	checks: 0,
	pages: 0,
	dataRequests: 0,
	actions: 0,
	endpoints: 0,
	writeChecks: 0,
	notRerun: 0
});

const isLogin = (location: string | null) => (location ?? '').startsWith('/login');
const DENIALS: Outcome[] = ['login', 400, 401, 403, 404];
export const isDenial = (o: Outcome) => DENIALS.includes(o);

/** Every (target, person) pair of the matrix with its expected outcome. */
export function checksFor(targets: Target[], world: World): Check[] {
	const out: Check[] = [];
	for (const target of targets) {
		const probe = probeFor(matrix, target);
		if (!probe) throw new Error(`${targetLabel(target)}: no entry in the matrix`);
		const params = matrix[target.route].params?.(world) ?? {};
		const base = routePath(target.route, params);
		const query = probe.query?.(world);
		const path = query ? `${base}?${query}` : base;
		for (const who of WHO) {
			const outcome = probe.expect[who];
			if (outcome === 'n/a') continue;
			out.push({ target, probe, who, outcome, path });
		}
	}
	return out;
}

/** The database's fingerprint, table by table (test-support endpoint of the e2e servers). */
export async function fingerprint(client: Client): Promise<Record<string, string>> {
	const res = await client.get('/e2e/writes');
	if (res.status !== 200) throw new Error(`/e2e/writes: ${res.status}`);
	return JSON.parse(res.text) as Record<string, string>;
}

export function changedTables(before: Record<string, string>, after: Record<string, string>) {
	return Object.keys({ ...before, ...after }).filter((t) => before[t] !== after[t]);
}

function describe(check: Check, got: string): string {
	return `${targetLabel(check.target)} as ${check.who} (${check.path}): expected ${check.outcome}, got ${got}`;
}

/** Runs one check; the failure, or null. */
export async function runCheck(
	check: Check,
	client: Client,
	world: World,
	tally: Tally
): Promise<string[]> {
	tally.checks++;
	const { target, probe, outcome } = check;
	const failures: string[] = [];
	if (target.kind === 'page') {
		tally.pages++;
		const res = await client.get(check.path);
		const ok =
			outcome === 'allow'
				? res.status === 200
				: outcome === 'redirect'
					? res.status >= 300 && res.status < 400 && !isLogin(res.location)
					: outcome === 'login'
						? res.status === 303 && isLogin(res.location)
						: res.status === outcome;
		if (!ok) failures.push(describe(check, `${res.status} ${res.location ?? ''}`));

		// What the client router fetches. Refused, the page's own load is asked alone (its layouts
		// skipped, as a client may ask): it must refuse by itself, not rely on a layout's check.
		tally.dataRequests++;
		const data = await client.data(
			check.path,
			isDenial(outcome) ? '0'.repeat(target.layouts ?? 0) + '1' : undefined
		);
		const leaf = data.nodes.at(-1);
		const noData = !leaf || leaf.type !== 'data' || leaf.data == null;
		let dataOk: boolean;
		if (outcome === 'allow') dataOk = data.type === 'data' && leaf?.type !== 'error';
		else if (outcome === 'redirect') dataOk = data.type === 'redirect' && !isLogin(data.location);
		else if (outcome === 'login')
			dataOk =
				(data.type === 'redirect' && isLogin(data.location)) ||
				(data.type === 'data' && noData && leaf?.type !== 'error');
		else
			dataOk =
				data.type === 'data' && noData && (leaf?.type !== 'error' || leaf.status === outcome);
		if (!dataOk)
			failures.push(
				describe(
					check,
					`__data.json ${data.type} ${data.location ?? ''} ${data.text.slice(0, 300)}`
				)
			);
		return failures;
	}
	if (target.kind === 'action') {
		tally.actions++;
		const result = await client.action(
			check.path,
			target.name,
			probe.body?.(world, check.who) ?? {}
		);
		const ok =
			outcome === 'allow'
				? (result.type === 'success' ||
						(probe.mayFail !== undefined &&
							result.type === 'failure' &&
							![401, 403, 404].includes(result.status)) ||
						(result.type === 'redirect' && !isLogin(result.location))) &&
					result.httpStatus < 500
				: outcome === 'login'
					? result.type === 'redirect' && isLogin(result.location)
					: outcome === 400
						? result.type === 'failure' && result.status === 400
						: result.type === 'error' && result.status === outcome;
		if (!ok)
			failures.push(
				describe(check, `${result.type} ${result.status} ${result.text.slice(0, 300)}`)
			);
		return failures;
	}
	tally.endpoints++;
	let status: number;
	let location: string | null;
	let text = '';
	if (probe.stream) {
		// An event stream never ends: the status line and headers are the answer.
		const token = await client.sessionToken();
		const controller = new AbortController();
		const res = await fetch(new URL(check.path, world.baseURL), {
			headers: token ? { cookie: `hocthi_session=${token}` } : {},
			redirect: 'manual',
			signal: controller.signal
		});
		status = res.status;
		location = res.headers.get('location');
		controller.abort();
	} else {
		const body =
			probe.json !== undefined
				? { json: probe.json(world, check.who) }
				: probe.body
					? { form: probe.body(world, check.who) }
					: null;
		const res =
			target.name === 'GET' || target.name === 'HEAD'
				? await client.get(check.path)
				: await client.post(check.path, body ?? { form: {} });
		status = res.status;
		location = res.location;
		text = res.text.slice(0, 300);
	}
	const ok =
		outcome === 'allow'
			? (status < 400 ||
					(probe.mayFail !== undefined && ![401, 403, 404].includes(status) && status < 500)) &&
				(probe.toLogin ? isLogin(location) : !isLogin(location))
			: outcome === 'login'
				? status === 303 && isLogin(location)
				: status === outcome;
	if (!ok) failures.push(describe(check, `${status} ${location ?? ''} ${text}`));
	return failures;
}

/**
 * The refusals: for each target, every person the matrix refuses, with a fingerprint of the
 * database before and after (nothing may have been written).
 */
export async function runRefusals(world: World, checks: Check[], tally: Tally): Promise<string[]> {
	const failures: string[] = [];
	const byTarget = new Map<string, Check[]>();
	for (const c of checks.filter((c) => isDenial(c.outcome))) {
		const key = targetLabel(c.target);
		byTarget.set(key, [...(byTarget.get(key) ?? []), c]);
	}
	for (const [label, group] of byTarget) {
		const before = await fingerprint(world.clients.anonymous);
		for (const check of group)
			failures.push(...(await runCheck(check, world.clients[check.who], world, tally)));
		const after = await fingerprint(world.clients.anonymous);
		tally.writeChecks++;
		const changed = changedTables(before, after);
		if (changed.length)
			failures.push(
				`${label}: refused to ${group.map((c) => c.who).join(', ')}, yet wrote to ${changed.join(', ')}`
			);
	}
	return failures;
}

/**
 * What is allowed, in the matrix's order; requests that consume their object run last (by
 * `order`), for the first person allowed.
 */
export async function runAllowed(world: World, checks: Check[], tally: Tally): Promise<string[]> {
	const failures: string[] = [];
	const allowed = checks.filter((c) => !isDenial(c.outcome));
	const now = allowed.filter((c) => !c.probe.once);
	const later = allowed
		.filter((c) => c.probe.once)
		.sort((a, b) => (a.probe.order ?? 0) - (b.probe.order ?? 0));
	for (const check of now) {
		if (check.probe.ownSession) {
			const client =
				check.who === 'anonymous'
					? await Client.anonymous(world.baseURL)
					: await Client.logIn(world.baseURL, ACCOUNTS[check.who], check.who);
			failures.push(...(await runCheck(check, client, world, tally)));
			await client.close();
		} else failures.push(...(await runCheck(check, world.clients[check.who], world, tally)));
	}
	const done = new Set<string>();
	for (const check of later) {
		const key = targetLabel(check.target);
		if (done.has(key)) {
			tally.notRerun++;
			continue;
		}
		done.add(key);
		failures.push(...(await runCheck(check, world.clients[check.who], world, tally)));
	}
	return failures;
}
