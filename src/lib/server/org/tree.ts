// Pure helpers for the unit tree (province → district → commune).
import type { UnitKind } from '../db/schema';

export interface UnitNode {
	id: number;
	code: string;
	name: string;
	kind: UnitKind;
	parentId: number | null;
	path: string;
	depth: number;
	children: UnitNode[];
}

export function childPath(parentPath: string | null, id: number): string {
	return `${parentPath ?? '/'}${id}/`;
}

export type TreeNode<T> = T & { children: TreeNode<T>[] };

/** Builds the forest from flat rows, keeping the rows' order among siblings. */
export function buildTree<T extends { id: number; parentId: number | null }>(
	rows: T[]
): TreeNode<T>[] {
	const byId = new Map<number, TreeNode<T>>();
	for (const row of rows) byId.set(row.id, { ...row, children: [] });
	const roots: TreeNode<T>[] = [];
	for (const node of byId.values()) {
		const parent = node.parentId === null ? undefined : byId.get(node.parentId);
		if (parent) parent.children.push(node);
		else roots.push(node);
	}
	return roots;
}

/** Depth-first order with depth, for indented lists and selects. */
export function flattenTree<T extends { children: T[] }>(
	roots: T[],
	depth = 0
): Array<{ node: T; depth: number }> {
	const out: Array<{ node: T; depth: number }> = [];
	for (const node of roots) {
		out.push({ node, depth });
		out.push(...flattenTree(node.children, depth + 1));
	}
	return out;
}

/** Ids on the path, root first: '/1/4/17/' → [1, 4, 17]. */
export function pathIds(path: string): number[] {
	return path
		.split('/')
		.filter(Boolean)
		.map((part) => Number(part));
}

export function isInSubtree(path: string, ancestorPath: string): boolean {
	return path.startsWith(ancestorPath);
}
