import { describe, expect, it } from 'vitest';
import { buildTree, childPath, flattenTree, isInSubtree, pathIds } from './tree';

describe('unit tree', () => {
	const rows = [
		{
			id: 1,
			code: 'TU',
			name: 'Tỉnh ủy',
			kind: 'province' as const,
			parentId: null,
			path: '/1/',
			depth: 0
		},
		{
			id: 2,
			code: 'HU',
			name: 'Huyện ủy',
			kind: 'district' as const,
			parentId: 1,
			path: '/1/2/',
			depth: 1
		},
		{
			id: 3,
			code: 'XA',
			name: 'Đảng ủy xã',
			kind: 'commune' as const,
			parentId: 2,
			path: '/1/2/3/',
			depth: 2
		},
		{
			id: 4,
			code: 'VP',
			name: 'Văn phòng',
			kind: 'agency' as const,
			parentId: 1,
			path: '/1/4/',
			depth: 1
		}
	];

	it('builds and flattens the tree depth first', () => {
		const roots = buildTree(rows);
		expect(roots).toHaveLength(1);
		expect(flattenTree(roots).map(({ node, depth }) => `${depth}:${node.code}`)).toEqual([
			'0:TU',
			'1:HU',
			'2:XA',
			'1:VP'
		]);
	});

	it('computes paths and subtree membership', () => {
		expect(childPath(null, 7)).toBe('/7/');
		expect(childPath('/1/2/', 3)).toBe('/1/2/3/');
		expect(pathIds('/1/2/3/')).toEqual([1, 2, 3]);
		expect(isInSubtree('/1/2/3/', '/1/2/')).toBe(true);
		expect(isInSubtree('/1/22/', '/1/2/')).toBe(false);
	});
});
