// The route tree as the authorisation matrix sees it: every page, named form action and endpoint
// method under src/routes, read from the files themselves (the TypeScript AST of each
// +page.server.ts and +server.ts), so a new route or action appears here without anyone listing it.
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

export type TargetKind = 'page' | 'action' | 'endpoint';

export interface Target {
	/** The SvelteKit route id, groups included: '/(app)/admin/users/[id]'. */
	route: string;
	kind: TargetKind;
	/** 'GET' for a page, the action's name ('default' included), or the endpoint's HTTP method. */
	name: string;
	/** How many layouts a page sits in (SvelteKit's data nodes before the page's own). */
	layouts?: number;
}

export const HTTP_METHODS = [
	'GET',
	'HEAD',
	'POST',
	'PUT',
	'PATCH',
	'DELETE',
	'OPTIONS',
	'fallback'
];

export function targetLabel(t: Target): string {
	if (t.kind === 'page') return `page ${t.route}`;
	if (t.kind === 'action') return `action ${t.route} ?/${t.name}`;
	return `endpoint ${t.name} ${t.route}`;
}

const SOURCE_EXTENSIONS = ['.ts', '.js', '/index.ts', '/index.js'];

function parse(file: string): ts.SourceFile {
	return ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
}

function isExported(node: ts.Node): boolean {
	return (
		ts.canHaveModifiers(node) &&
		(ts.getModifiers(node) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword)
	);
}

/** The exported names of a module: `export const x`, `export function x`, `export { a as x }`. */
function exportedNames(source: ts.SourceFile): string[] {
	const names: string[] = [];
	for (const statement of source.statements) {
		if (ts.isVariableStatement(statement) && isExported(statement)) {
			for (const d of statement.declarationList.declarations)
				if (ts.isIdentifier(d.name)) names.push(d.name.text);
		} else if (ts.isFunctionDeclaration(statement) && isExported(statement) && statement.name) {
			names.push(statement.name.text);
		} else if (
			ts.isExportDeclaration(statement) &&
			statement.exportClause &&
			ts.isNamedExports(statement.exportClause)
		) {
			for (const e of statement.exportClause.elements) names.push(e.name.text);
		}
	}
	return names;
}

function unwrap(node: ts.Expression): ts.Expression {
	while (
		ts.isSatisfiesExpression(node) ||
		ts.isAsExpression(node) ||
		ts.isParenthesizedExpression(node) ||
		ts.isTypeAssertionExpression(node)
	)
		node = node.expression;
	return node;
}

function findConst(source: ts.SourceFile, name: string): ts.Expression | null {
	for (const statement of source.statements) {
		if (!ts.isVariableStatement(statement)) continue;
		for (const d of statement.declarationList.declarations)
			if (ts.isIdentifier(d.name) && d.name.text === name && d.initializer) return d.initializer;
	}
	return null;
}

/** Resolves an import specifier the way the app does ($lib, relative paths). */
function resolveModule(fromFile: string, specifier: string, root: string): string {
	const base = specifier.startsWith('$lib/')
		? path.join(root, 'src/lib', specifier.slice('$lib/'.length))
		: specifier.startsWith('.')
			? path.resolve(path.dirname(fromFile), specifier)
			: null;
	if (!base) throw new Error(`${fromFile}: cannot follow the import of ${specifier}`);
	for (const candidate of [base, ...SOURCE_EXTENSIONS.map((ext) => base + ext)])
		if (fs.existsSync(candidate) && fs.statSync(candidate).isFile()) return candidate;
	throw new Error(`${fromFile}: ${specifier} not found`);
}

/** Where an identifier used in `source` comes from: a const of the same file, or an import. */
function resolveIdentifier(
	file: string,
	source: ts.SourceFile,
	name: string,
	root: string
): { file: string; source: ts.SourceFile; node: ts.Expression } {
	const local = findConst(source, name);
	if (local) return { file, source, node: local };
	for (const statement of source.statements) {
		if (!ts.isImportDeclaration(statement) || !statement.importClause?.namedBindings) continue;
		const bindings = statement.importClause.namedBindings;
		if (!ts.isNamedImports(bindings)) continue;
		const element = bindings.elements.find((e) => e.name.text === name);
		if (!element) continue;
		const imported = (element.propertyName ?? element.name).text;
		const target = resolveModule(file, (statement.moduleSpecifier as ts.StringLiteral).text, root);
		const targetSource = parse(target);
		const node = findConst(targetSource, imported);
		if (!node) throw new Error(`${target}: no const ${imported}`);
		return { file: target, source: targetSource, node };
	}
	throw new Error(`${file}: cannot find where ${name} comes from`);
}

/** The keys of the object a `actions` export is, following identifiers, imports and spreads. */
function objectKeys(
	file: string,
	source: ts.SourceFile,
	expr: ts.Expression,
	root: string
): string[] {
	const node = unwrap(expr);
	if (ts.isIdentifier(node)) {
		const found = resolveIdentifier(file, source, node.text, root);
		return objectKeys(found.file, found.source, found.node, root);
	}
	if (!ts.isObjectLiteralExpression(node))
		throw new Error(`${file}: the actions are not an object literal the matrix can read`);
	const keys: string[] = [];
	for (const p of node.properties) {
		if (ts.isSpreadAssignment(p)) keys.push(...objectKeys(file, source, p.expression, root));
		else if (
			(ts.isPropertyAssignment(p) ||
				ts.isShorthandPropertyAssignment(p) ||
				ts.isMethodDeclaration(p)) &&
			(ts.isIdentifier(p.name) || ts.isStringLiteral(p.name))
		)
			keys.push(p.name.text);
		else throw new Error(`${file}: an action whose name the matrix cannot read`);
	}
	return keys;
}

/** The named form actions of a +page.server.ts ([] when it has none). */
export function actionNames(file: string, root: string): string[] {
	const source = parse(file);
	if (!exportedNames(source).includes('actions')) return [];
	const init = findConst(source, 'actions');
	if (!init) throw new Error(`${file}: 'actions' is exported but not as a const`);
	return objectKeys(file, source, init, root);
}

/** The HTTP methods a +server.ts answers. */
export function endpointMethods(file: string): string[] {
	const names = exportedNames(parse(file));
	const methods = names.filter((n) => HTTP_METHODS.includes(n));
	if (!methods.length) throw new Error(`${file}: an endpoint that exports no HTTP method`);
	return methods;
}

/** Every page, form action and endpoint method under `<root>/src/routes`, in a stable order. */
export function enumerateRoutes(root: string): Target[] {
	const routesDir = path.join(root, 'src/routes');
	const out: Target[] = [];
	const LAYOUT_FILES = [
		'+layout.svelte',
		'+layout.ts',
		'+layout.js',
		'+layout.server.ts',
		'+layout.server.js'
	];
	const walk = (dir: string, layoutsAbove: number) => {
		const entries = fs.readdirSync(dir, { withFileTypes: true });
		const names = new Set(entries.filter((e) => e.isFile()).map((e) => e.name));
		// The root always has a layout (SvelteKit's default when there is no file).
		const layouts =
			dir === routesDir || LAYOUT_FILES.some((f) => names.has(f)) ? layoutsAbove + 1 : layoutsAbove;
		const rel = path.relative(routesDir, dir).split(path.sep).join('/');
		const route = '/' + rel;
		const pageFiles = [
			'+page.svelte',
			'+page.server.ts',
			'+page.ts',
			'+page.server.js',
			'+page.js'
		];
		if (pageFiles.some((f) => names.has(f))) {
			out.push({ route, kind: 'page', name: 'GET', layouts });
			for (const f of ['+page.server.ts', '+page.server.js']) {
				if (!names.has(f)) continue;
				for (const name of actionNames(path.join(dir, f), root))
					out.push({ route, kind: 'action', name });
			}
		}
		for (const f of ['+server.ts', '+server.js']) {
			if (!names.has(f)) continue;
			for (const name of endpointMethods(path.join(dir, f)))
				out.push({ route, kind: 'endpoint', name });
		}
		for (const e of entries
			.filter((e) => e.isDirectory())
			.sort((a, b) => (a.name < b.name ? -1 : 1)))
			walk(path.join(dir, e.name), layouts);
	};
	walk(routesDir, 0);
	return out.map((t) => ({ ...t, route: t.route === '/' ? '/' : t.route.replace(/\/$/, '') }));
}

/** A concrete URL path for a route id: groups dropped, [params] filled. */
export function routePath(route: string, params: Record<string, string | number>): string {
	const parts = route
		.split('/')
		.filter((s) => s && !/^\(.*\)$/.test(s))
		.map((s) => {
			const m = /^\[(\.\.\.)?(\w+)\]$/.exec(s);
			if (!m) return s;
			const value = params[m[2]];
			if (value === undefined) throw new Error(`${route}: no value for [${m[2]}]`);
			return encodeURIComponent(String(value));
		});
	return '/' + parts.join('/');
}
