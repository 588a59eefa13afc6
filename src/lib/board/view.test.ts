import { describe, expect, it } from 'vitest';
import { packBoard, unpackBoard, type BoardView } from './view';

const board: BoardView = {
	slug: 'hoi-thi',
	title: 'Hội thi ứng dụng CNTT',
	variant: 'public',
	frozenAt: null,
	resultsPublished: false,
	prizesAwarded: true,
	scope: { kind: 'total' },
	rounds: [{ position: 1, name: 'Vòng sơ khảo', counts: true }],
	columns: [{ position: 1, name: 'Vòng sơ khảo', maxScore: 10 }],
	unitRule: 'best_k',
	unitBestK: 3,
	individuals: [
		{
			rank: 1,
			name: 'Nguyễn Thị Hà',
			unit: 'Huyện ủy Văn Chấn',
			cells: [{ score: 9.5, state: 'final' }],
			score: 9.5,
			maxScore: 10,
			timeMs: 1_200_000,
			provisional: false,
			prize: 'nhat'
		},
		{
			rank: 2,
			name: 'Lò Văn Minh',
			unit: 'Huyện ủy Văn Chấn',
			cells: [{ score: null, state: 'provisional' }],
			score: 7,
			maxScore: 10,
			timeMs: null,
			provisional: true,
			prize: null
		},
		{
			rank: 2,
			name: 'Triệu Thu Thủy',
			unit: 'Văn phòng Tỉnh ủy',
			cells: [{ score: null, state: 'running' }],
			score: 7,
			maxScore: 10,
			timeMs: 900_000,
			provisional: false,
			prize: 'kk'
		}
	],
	units: [
		{
			rank: 1,
			name: 'Huyện ủy Văn Chấn',
			score: 16.5,
			counted: 2,
			members: 2,
			provisional: true,
			prize: 'nhat'
		}
	],
	computedAt: '2012-08-01T02:00:00.000Z'
};

describe('the board on the wire', () => {
	it('packs to a smaller JSON that unpacks to the same board', () => {
		const packed = packBoard(board);
		expect(packed.unitNames).toEqual(['Huyện ủy Văn Chấn', 'Văn phòng Tỉnh ủy']);
		const wire = JSON.stringify(packed);
		expect(unpackBoard(JSON.parse(wire))).toEqual(board);
		expect(wire.length).toBeLessThan(JSON.stringify(board).length * 0.75);
	});
});
