// Deterministic, plausible Vietnamese people for the demo roster (Kinh, Tày, Thái and H'Mông names,
// as in Yên Bái), with positions and unit leaders.
import type { Role } from '../db/schema';
import { DEMO_UNITS, type DemoUnit } from './units';
import { seededRandom } from '../random';

export { seededRandom };

export interface DemoPerson {
	username: string;
	fullName: string;
	unitCode: string;
	position: string;
	roles: Role[];
	isLeader: boolean;
}

const pick = <T>(rand: () => number, list: readonly T[]): T =>
	list[Math.floor(rand() * list.length)];

const KINH_SURNAMES = [
	'Nguyễn',
	'Trần',
	'Lê',
	'Phạm',
	'Hoàng',
	'Vũ',
	'Đỗ',
	'Bùi',
	'Đặng',
	'Ngô',
	'Dương',
	'Đinh',
	'Lương',
	'Phan',
	'Trịnh',
	'Đào',
	'Cao',
	'Tạ'
];
const TAY_SURNAMES = ['Hoàng', 'Nông', 'Ma', 'Triệu', 'Hà', 'Đinh', 'Lục'];
const THAI_SURNAMES = ['Lò', 'Hà', 'Lường', 'Điêu', 'Cầm', 'Quàng'];
const HMONG_SURNAMES = ['Giàng', 'Sùng', 'Mùa', 'Lý', 'Hờ', 'Vàng', 'Thào'];

const MALE_MIDDLE = ['Văn', 'Đức', 'Minh', 'Quang', 'Xuân', 'Hữu', 'Ngọc', 'Thanh', 'Công', 'Mạnh'];
const FEMALE_MIDDLE = ['Thị', 'Thu', 'Thanh', 'Ngọc', 'Hồng', 'Minh', 'Kim', 'Thùy'];
const MALE_GIVEN = [
	'Hùng',
	'Dũng',
	'Tuấn',
	'Thắng',
	'Sơn',
	'Hải',
	'Long',
	'Quân',
	'Bình',
	'Cường',
	'Trung',
	'Kiên',
	'Huy',
	'Phong',
	'Thành',
	'Tùng',
	'Việt',
	'Nam',
	'Hiếu',
	'Đạt',
	'Khánh',
	'Lâm',
	'Toàn',
	'Chiến'
];
const FEMALE_GIVEN = [
	'Lan',
	'Hoa',
	'Hương',
	'Mai',
	'Hà',
	'Hằng',
	'Nga',
	'Thảo',
	'Linh',
	'Yến',
	'Phương',
	'Trang',
	'Huyền',
	'Oanh',
	'Vân',
	'Loan',
	'Nhung',
	'Thủy',
	'Liên',
	'Dung'
];
const HMONG_MALE_GIVEN = ['A Dế', 'A Tủa', 'A Chứ', 'A Sử', 'A Lử', 'A Páo', 'A Ninh', 'A Chang'];
const HMONG_FEMALE_GIVEN = ['Thị Sua', 'Thị Mỷ', 'Thị Dua', 'Thị Xía', 'Thị Pàng'];

/** Which naming tradition a unit's people mostly come from. */
function ethnicMix(unitCode: string): Array<[number, 'kinh' | 'tay' | 'thai' | 'hmong']> {
	if (/^(HU-MCC|MCC-|HU-TT|TT-)/.test(unitCode))
		return [
			[0.55, 'hmong'],
			[0.15, 'thai'],
			[0.3, 'kinh']
		];
	if (/^(TX-NL|NL-|HU-VC|VC-)/.test(unitCode))
		return [
			[0.45, 'thai'],
			[0.1, 'hmong'],
			[0.45, 'kinh']
		];
	if (/^(HU-LY|LY-|HU-YBI|YBI-|HU-VY|VY-)/.test(unitCode))
		return [
			[0.4, 'tay'],
			[0.1, 'thai'],
			[0.5, 'kinh']
		];
	return [
		[0.8, 'kinh'],
		[0.1, 'tay'],
		[0.1, 'thai']
	];
}

function makeName(rand: () => number, unitCode: string): string {
	const female = rand() < 0.45;
	let roll = rand();
	let group: 'kinh' | 'tay' | 'thai' | 'hmong' = 'kinh';
	for (const [share, g] of ethnicMix(unitCode)) {
		if (roll < share) {
			group = g;
			break;
		}
		roll -= share;
	}
	if (group === 'hmong') {
		return `${pick(rand, HMONG_SURNAMES)} ${female ? pick(rand, HMONG_FEMALE_GIVEN) : pick(rand, HMONG_MALE_GIVEN)}`;
	}
	const surnames =
		group === 'tay' ? TAY_SURNAMES : group === 'thai' ? THAI_SURNAMES : KINH_SURNAMES;
	const middle = female ? pick(rand, FEMALE_MIDDLE) : pick(rand, MALE_MIDDLE);
	const given = female ? pick(rand, FEMALE_GIVEN) : pick(rand, MALE_GIVEN);
	return `${pick(rand, surnames)} ${middle} ${given}`;
}

/** 'Nguyễn Văn Hùng' → 'hungnv': the usual Vietnamese office account style. */
export function usernameFor(fullName: string): string {
	const ascii = fullName
		.normalize('NFD')
		.replace(/[\u0300-\u036f]/g, '')
		.replace(/đ/g, 'd')
		.replace(/Đ/g, 'D')
		.toLowerCase()
		.split(/\s+/)
		.filter(Boolean);
	const given = ascii[ascii.length - 1] ?? 'canbo';
	const initials = ascii
		.slice(0, -1)
		.map((w) => w[0])
		.join('');
	return `${given}${initials}`;
}

function positionsFor(unit: DemoUnit): { leaders: string[]; staff: string[] } {
	switch (unit.kind) {
		case 'agency':
			if (unit.code === 'VPTU')
				return {
					leaders: ['Chánh Văn phòng', 'Phó Chánh Văn phòng'],
					staff: [
						'Chuyên viên',
						'Chuyên viên',
						'Chuyên viên chính',
						'Cán bộ quản trị mạng',
						'Văn thư',
						'Kế toán',
						'Lưu trữ viên'
					]
				};
			if (unit.code === 'TCT')
				return {
					leaders: ['Hiệu trưởng', 'Phó Hiệu trưởng'],
					staff: ['Giảng viên', 'Giảng viên', 'Giảng viên chính', 'Chuyên viên', 'Văn thư']
				};
			if (unit.code === 'BYB')
				return {
					leaders: ['Tổng Biên tập', 'Phó Tổng Biên tập'],
					staff: ['Phóng viên', 'Phóng viên', 'Biên tập viên', 'Kỹ thuật viên', 'Văn thư']
				};
			if (unit.code === 'UBKTTU')
				return {
					leaders: ['Chủ nhiệm', 'Phó Chủ nhiệm'],
					staff: ['Kiểm tra viên', 'Kiểm tra viên chính', 'Chuyên viên', 'Văn thư']
				};
			if (unit.code.startsWith('DUK'))
				return {
					leaders: ['Bí thư Đảng ủy Khối', 'Phó Bí thư Đảng ủy Khối'],
					staff: ['Chuyên viên', 'Chuyên viên', 'Văn thư']
				};
			return {
				leaders: ['Trưởng ban', 'Phó Trưởng ban'],
				staff: [
					'Chuyên viên',
					'Chuyên viên',
					'Chuyên viên chính',
					'Trưởng phòng',
					'Phó Trưởng phòng',
					'Văn thư'
				]
			};
		case 'district':
			return {
				leaders: ['Phó Bí thư Thường trực', 'Chánh Văn phòng'],
				staff: [
					'Chuyên viên',
					'Chuyên viên',
					'Cán bộ quản trị mạng',
					'Phó Chánh Văn phòng',
					'Văn thư',
					'Chuyên viên Ban Tổ chức',
					'Chuyên viên Ban Tuyên giáo',
					'Cán bộ Ủy ban Kiểm tra'
				]
			};
		default:
			return {
				leaders: ['Bí thư Đảng ủy'],
				staff: [
					'Phó Bí thư Đảng ủy',
					'Cán bộ Văn phòng Đảng ủy',
					'Cán bộ Văn phòng Đảng ủy',
					'Đảng ủy viên',
					'Cán bộ tổ chức'
				]
			};
	}
}

/** Named demo accounts among the 620, so the README can list them. */
export const DEMO_CADRE_ACCOUNTS: Array<{
	unitCode: string;
	leader: boolean;
	username: string;
	note: string;
}> = [
	{
		unitCode: 'LY-MINHXUAN',
		leader: false,
		username: 'canbo',
		note: 'cadre, Đảng ủy xã Minh Xuân (Lục Yên)'
	},
	{
		unitCode: 'HU-LY',
		leader: true,
		username: 'lanhdao',
		note: 'leader, Huyện ủy Lục Yên (and its communes)'
	},
	{
		unitCode: 'LY-MINHXUAN',
		leader: true,
		username: 'lanhdaoxa',
		note: 'leader, Đảng ủy xã Minh Xuân'
	},
	{ unitCode: 'HU-VY', leader: true, username: 'lanhdao.vanyen', note: 'leader, Huyện ủy Văn Yên' },
	{ unitCode: 'VPTU', leader: true, username: 'lanhdao.vptu', note: 'leader, Văn phòng Tỉnh ủy' },
	{ unitCode: 'VPTU', leader: false, username: 'canbo.vptu', note: 'cadre, Văn phòng Tỉnh ủy' },
	{
		unitCode: 'VPTU',
		leader: false,
		username: 'hocvien1',
		note: 'cadre, Văn phòng Tỉnh ủy, no demo progress'
	},
	{
		unitCode: 'HU-VY',
		leader: false,
		username: 'hocvien2',
		note: 'cadre, Huyện ủy Văn Yên, no demo progress'
	},
	{
		unitCode: 'VY-MAUA',
		leader: false,
		username: 'hocvien3',
		note: 'cadre, Đảng ủy thị trấn Mậu A, no demo progress'
	},
	{
		unitCode: 'HU-VY',
		leader: false,
		username: 'hocvien4',
		note: 'cadre, Huyện ủy Văn Yên, no demo progress'
	},
	{
		unitCode: 'HU-VY',
		leader: false,
		username: 'hocvien5',
		note: 'cadre, Huyện ủy Văn Yên, no demo progress'
	}
];

/** Demo accounts that start with a clean slate (no seeded progress): for trying things, and for tests. */
export const FRESH_ACCOUNTS = new Set([
	'hocvien1',
	'hocvien2',
	'hocvien3',
	'hocvien4',
	'hocvien5',
	'canbo.vptu'
]);

/** Staff accounts outside the 620 cadres. */
export const DEMO_STAFF: DemoPerson[] = [
	{
		username: 'admin',
		fullName: 'Quản trị hệ thống',
		unitCode: 'VPTU',
		position: 'Quản trị hệ thống',
		roles: ['admin'],
		isLeader: false
	},
	{
		username: 'giangvien',
		fullName: 'Đỗ Thu Hà',
		unitCode: 'TCT',
		position: 'Giảng viên tin học',
		roles: ['trainer'],
		isLeader: false
	},
	{
		username: 'bantochuc',
		fullName: 'Trần Quốc Việt',
		unitCode: 'VPTU',
		position: 'Thư ký Ban Tổ chức hội thi',
		roles: ['organiser'],
		isLeader: false
	},
	{
		username: 'giamkhao1',
		fullName: 'Phạm Minh Đức',
		unitCode: 'VPTU',
		position: 'Giám khảo (trưởng ban giám khảo)',
		roles: ['judge'],
		isLeader: false
	},
	{
		username: 'giamkhao2',
		fullName: 'Lê Thị Thanh Nga',
		unitCode: 'TCT',
		position: 'Giám khảo',
		roles: ['judge'],
		isLeader: false
	},
	{
		username: 'giamkhao3',
		fullName: 'Nguyễn Hữu Toàn',
		unitCode: 'BTGTU',
		position: 'Giám khảo',
		roles: ['judge'],
		isLeader: false
	}
];

export const DEMO_PASSWORD = 'HocThi@2012';

/** The 620 cadres of the demo data set; same output on every run. */
export function demoCadres(): DemoPerson[] {
	const rand = seededRandom(2012);
	const taken = new Set<string>([
		...DEMO_STAFF.map((p) => p.username),
		...DEMO_CADRE_ACCOUNTS.map((a) => a.username)
	]);
	const people: DemoPerson[] = [];
	for (const unit of DEMO_UNITS) {
		const { leaders, staff } = positionsFor(unit);
		const named = DEMO_CADRE_ACCOUNTS.filter((a) => a.unitCode === unit.code);
		for (let i = 0; i < unit.staff; i++) {
			const isLeader = i < leaders.length && (unit.kind !== 'commune' || i === 0);
			const fullName = makeName(rand, unit.code);
			const position = isLeader ? leaders[i] : pick(rand, staff);
			const account = named.find(
				(a) => a.leader === isLeader && !people.some((p) => p.username === a.username)
			);
			let username: string;
			if (account) {
				username = account.username;
			} else {
				const base = usernameFor(fullName);
				username = base;
				for (let n = 2; taken.has(username); n++) username = `${base}${n}`;
			}
			taken.add(username);
			people.push({
				username,
				fullName,
				unitCode: unit.code,
				position,
				roles: ['cadre'],
				isLeader
			});
		}
	}
	return people;
}
