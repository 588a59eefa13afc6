// The real unit structure of the Yên Bái Party agencies (2012) for the demo data set.
import type { UnitKind } from '../db/schema';

export interface DemoUnit {
	code: string;
	name: string;
	kind: UnitKind;
	parent: string | null;
	/** How many cadres work there in the demo roster. */
	staff: number;
}

const root: DemoUnit = {
	code: 'TU-YB',
	name: 'Tỉnh ủy Yên Bái',
	kind: 'province',
	parent: null,
	staff: 0
};

const agencies: Array<[string, string, number]> = [
	['VPTU', 'Văn phòng Tỉnh ủy', 44],
	['BTCTU', 'Ban Tổ chức Tỉnh ủy', 24],
	['BTGTU', 'Ban Tuyên giáo Tỉnh ủy', 21],
	['BDVTU', 'Ban Dân vận Tỉnh ủy', 15],
	['UBKTTU', 'Ủy ban Kiểm tra Tỉnh ủy', 21],
	['BNCTU', 'Ban Nội chính Tỉnh ủy', 12],
	['DUKCCQ', 'Đảng ủy Khối các cơ quan tỉnh', 14],
	['DUKDN', 'Đảng ủy Khối doanh nghiệp tỉnh', 11],
	['TCT', 'Trường Chính trị tỉnh', 19],
	['BYB', 'Báo Yên Bái', 15]
];

/** District/town committees, each with the communes connected to the provincial network. */
const districts: Array<{
	code: string;
	name: string;
	staff: number;
	communes: Array<[string, string]>;
}> = [
	{
		code: 'TP-YB',
		name: 'Thành ủy Yên Bái',
		staff: 27,
		communes: [
			['YB-DONGTAM', 'Đảng ủy phường Đồng Tâm'],
			['YB-HONGHA', 'Đảng ủy phường Hồng Hà'],
			['YB-MINHTAN', 'Đảng ủy phường Minh Tân'],
			['YB-TUYLOC', 'Đảng ủy xã Tuy Lộc']
		]
	},
	{
		code: 'TX-NL',
		name: 'Thị ủy Nghĩa Lộ',
		staff: 22,
		communes: [
			['NL-TRUNGTAM', 'Đảng ủy phường Trung Tâm'],
			['NL-PUTRANG', 'Đảng ủy phường Pú Trạng'],
			['NL-NGHIAPHUC', 'Đảng ủy xã Nghĩa Phúc']
		]
	},
	{
		code: 'HU-LY',
		name: 'Huyện ủy Lục Yên',
		staff: 25,
		communes: [
			['LY-YENTHE', 'Đảng ủy thị trấn Yên Thế'],
			['LY-MINHXUAN', 'Đảng ủy xã Minh Xuân'],
			['LY-TANLINH', 'Đảng ủy xã Tân Lĩnh'],
			['LY-KHANHHOA', 'Đảng ủy xã Khánh Hòa']
		]
	},
	{
		code: 'HU-VY',
		name: 'Huyện ủy Văn Yên',
		staff: 25,
		communes: [
			['VY-MAUA', 'Đảng ủy thị trấn Mậu A'],
			['VY-ANTHINH', 'Đảng ủy xã An Thịnh'],
			['VY-DONGCUONG', 'Đảng ủy xã Đông Cuông'],
			['VY-DAISON', 'Đảng ủy xã Đại Sơn']
		]
	},
	{
		code: 'HU-MCC',
		name: 'Huyện ủy Mù Cang Chải',
		staff: 22,
		communes: [
			['MCC-TT', 'Đảng ủy thị trấn Mù Cang Chải'],
			['MCC-KIMNOI', 'Đảng ủy xã Kim Nọi'],
			['MCC-LAPANTAN', 'Đảng ủy xã La Pán Tẩn']
		]
	},
	{
		code: 'HU-TY',
		name: 'Huyện ủy Trấn Yên',
		staff: 24,
		communes: [
			['TY-COPHUC', 'Đảng ủy thị trấn Cổ Phúc'],
			['TY-BAODAP', 'Đảng ủy xã Báo Đáp'],
			['TY-DAOTHINH', 'Đảng ủy xã Đào Thịnh'],
			['TY-HUNGKHANH', 'Đảng ủy xã Hưng Khánh']
		]
	},
	{
		code: 'HU-TT',
		name: 'Huyện ủy Trạm Tấu',
		staff: 21,
		communes: [
			['TT-TT', 'Đảng ủy thị trấn Trạm Tấu'],
			['TT-BANMU', 'Đảng ủy xã Bản Mù'],
			['TT-HATLUU', 'Đảng ủy xã Hát Lừu']
		]
	},
	{
		code: 'HU-VC',
		name: 'Huyện ủy Văn Chấn',
		staff: 25,
		communes: [
			['VC-SONTHINH', 'Đảng ủy thị trấn Sơn Thịnh'],
			['VC-LIENSON', 'Đảng ủy thị trấn Nông trường Liên Sơn'],
			['VC-CATTHINH', 'Đảng ủy xã Cát Thịnh'],
			['VC-GIAHOI', 'Đảng ủy xã Gia Hội']
		]
	},
	{
		code: 'HU-YBI',
		name: 'Huyện ủy Yên Bình',
		staff: 25,
		communes: [
			['YBI-YENBINH', 'Đảng ủy thị trấn Yên Bình'],
			['YBI-THACBA', 'Đảng ủy thị trấn Thác Bà'],
			['YBI-CAMNHAN', 'Đảng ủy xã Cảm Nhân'],
			['YBI-VULINH', 'Đảng ủy xã Vũ Linh']
		]
	}
];

export const TOTAL_CADRES = 620;

function buildUnits(): DemoUnit[] {
	const list: DemoUnit[] = [root];
	for (const [code, name, staff] of agencies)
		list.push({ code, name, kind: 'agency', parent: root.code, staff });
	for (const d of districts)
		list.push({ code: d.code, name: d.name, kind: 'district', parent: root.code, staff: d.staff });
	const communes = districts.flatMap((d) =>
		d.communes.map(([code, name]) => ({ code, name, parent: d.code }))
	);
	const assigned = list.reduce((sum, u) => sum + u.staff, 0);
	// Communes share the rest of the 620 (about 5–6 each, as the article's 1.6 workstations per commune suggests small offices).
	const rest = TOTAL_CADRES - assigned;
	communes.forEach((c, i) => {
		const staff = Math.floor(rest / communes.length) + (i < rest % communes.length ? 1 : 0);
		list.push({ ...c, kind: 'commune', staff });
	});
	return list;
}

export const DEMO_UNITS: DemoUnit[] = buildUnits();
