// Whether the matrix covers the route tree: every page, action and endpoint method has an entry
// (and nothing in the matrix names what no longer exists).
import { WHO, type Probe, type RouteEntry } from './matrix';
import { targetLabel, type Target } from './routes';

/** The matrix's probe for a target, or null. */
export function probeFor(matrix: Record<string, RouteEntry>, t: Target): Probe | null {
	const entry = matrix[t.route];
	if (!entry) return null;
	if (t.kind === 'page') return entry.page ?? null;
	if (t.kind === 'action') return entry.actions?.[t.name] ?? null;
	return entry.endpoints?.[t.name] ?? null;
}

/** What the route tree has and the matrix does not say, one line each. */
export function missingEntries(matrix: Record<string, RouteEntry>, targets: Target[]): string[] {
	const out: string[] = [];
	for (const t of targets) {
		const probe = probeFor(matrix, t);
		if (!probe) {
			out.push(`${targetLabel(t)}: no entry in tests/authz/matrix.ts`);
			continue;
		}
		const unsaid = WHO.filter((who) => probe.expect[who] === undefined);
		if (unsaid.length) out.push(`${targetLabel(t)}: nothing said for ${unsaid.join(', ')}`);
		if (/\[\w+\]/.test(t.route) && !matrix[t.route].params)
			out.push(`${targetLabel(t)}: the route has parameters but the entry no params`);
	}
	return out;
}

/** Entries of the matrix that name a page, action or method the route tree does not have. */
export function staleEntries(matrix: Record<string, RouteEntry>, targets: Target[]): string[] {
	const has = new Set(targets.map(targetLabel));
	const out: string[] = [];
	for (const [route, entry] of Object.entries(matrix)) {
		const named: Target[] = [
			...(entry.page ? [{ route, kind: 'page' as const, name: 'GET' }] : []),
			...Object.keys(entry.actions ?? {}).map((name) => ({ route, kind: 'action' as const, name })),
			...Object.keys(entry.endpoints ?? {}).map((name) => ({
				route,
				kind: 'endpoint' as const,
				name
			}))
		];
		if (!named.length) out.push(`${route}: an entry that says nothing`);
		for (const t of named)
			if (!has.has(targetLabel(t))) out.push(`${targetLabel(t)}: in the matrix, not in src/routes`);
	}
	return out;
}
