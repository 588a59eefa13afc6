// The demo hội thi: "Hội thi ứng dụng CNTT trong các cơ quan Đảng tỉnh Yên Bái năm 2012", running,
// with teams from eleven units, judges, a finished practice round whose attempts went through the
// engine (deterministic answers of varied skill, so its board has real rankings and ties), a theory
// round drawn from the courses' banks and a practical round with two tasks — both open from the
// seed time for four weeks, so the demo can be run at once.
import { and, asc, eq, inArray, isNull, like, sql } from 'drizzle-orm';
import {
	attemptSlots,
	clarifications,
	competitionJudges,
	practicalSubmissions,
	competitionRounds,
	competitions,
	practicalTasks,
	questionCategories,
	questionVersions,
	questions,
	rubricCriteria,
	units,
	users
} from '../db/schema';
import { SYSTEM_ACTOR, type Actor } from '../auth/actor';
import { setSlots } from '../assessments/quizzes';
import { submitAttempt } from '../assessments/engine';
import { checkFile, storeFile, UPLOAD_POLICIES } from '../files/store';
import { loadActor } from '../org/users';
import { seededRandom } from '../random';
import type { QuestionData, Response } from '../questions/types';
import { createCompetition, updateCompetition } from '../competitions/competitions';
import { addRound, drawPool, setRoundDraw, type DrawRowInput } from '../competitions/rounds';
import { importRegistrations } from '../competitions/registration';
import { startRound } from '../competitions/lobby';
import type { SeedContext } from './seed';
import { FRESH_ACCOUNTS } from './people';
import { BROKEN_LAN_DIAGRAM, brokenEquipmentReport, fixedEquipmentReport } from './practical-files';
import { saveTaskText, submitPractical, uploadTaskFile } from '../competitions/practical';
import { scoreSubmission } from '../competitions/judging';

export const DEMO_COMPETITION_SLUG = 'hoi-thi-cntt-2012';
const DAY = 24 * 3600_000;
const MINUTE = 60_000;

/** The question banks a theory round draws from, when they exist (by their root category). */
export const DEMO_BANK_ROOTS = [
	'Quản trị mạng cơ bản',
	'Tin học văn phòng và điều hành tác nghiệp',
	'An toàn, bảo mật thông tin'
];

/** Teams (unit code → how many members) and named competitors placed in them. */
const TEAMS: Array<{ unit: string; size: number; named?: string[]; subtree?: boolean }> = [
	{ unit: 'VPTU', size: 4, named: ['canbo.vptu'] },
	{ unit: 'BTCTU', size: 3 },
	{ unit: 'BTGTU', size: 3 },
	{ unit: 'HU-LY', size: 4, named: ['canbo'], subtree: true },
	{ unit: 'HU-VY', size: 4 },
	{ unit: 'TP-YB', size: 4 },
	{ unit: 'TX-NL', size: 3 },
	{ unit: 'HU-YBI', size: 3 },
	{ unit: 'HU-TY', size: 3 },
	{ unit: 'HU-VC', size: 3 }
];
/** Individual entries (no team), representing their own unit. */
const INDIVIDUALS = ['BDVTU', 'YB-DONGTAM'];
/** Accounts kept out of the demo competition: leaders who register others, and clean test accounts. */
const KEPT_OUT = new Set([
	'lanhdao',
	'lanhdaoxa',
	'lanhdao.vanyen',
	'lanhdao.vptu',
	...FRESH_ACCOUNTS
]);

const DESCRIPTION = `Hội thi do Ban Thường vụ Tỉnh ủy chỉ đạo, Văn phòng Tỉnh ủy chủ trì, nhằm đánh giá kết quả đào tạo, tập huấn công nghệ thông tin năm 2012 và phát hiện cán bộ có năng lực ứng dụng CNTT trong các cơ quan Đảng.

## Đối tượng

Cán bộ, công chức các cơ quan tham mưu, giúp việc Tỉnh ủy, các huyện ủy, thị ủy, thành ủy và đảng ủy cấp xã có kết nối mạng thông tin diện rộng của Đảng bộ tỉnh. Mỗi đơn vị cử **một đội tối đa 5 thành viên**; đơn vị có thể đăng ký thêm thí sinh dự thi cá nhân.

## Các vòng thi

- **Vòng thi thử** (không tính điểm): làm quen với cách thi trên máy.
- **Vòng sơ khảo — lý thuyết**: câu hỏi trắc nghiệm rút ngẫu nhiên từ ngân hàng câu hỏi của các khóa học; thời gian 30 phút.
- **Vòng chung khảo — thực hành**: hai đề thực hành (khắc phục sự cố sơ đồ mạng; sửa bảng số liệu), giám khảo chấm độc lập theo tiêu chí.

## Xếp hạng và giải thưởng

Cá nhân xếp theo tổng điểm các vòng tính điểm, bằng điểm thì ai làm bài nhanh hơn xếp trên. Toàn đoàn xếp theo **tổng điểm 3 thành viên cao nhất** của đội. Cơ cấu giải: cá nhân 1 giải Nhất, 2 giải Nhì, 3 giải Ba, 5 giải Khuyến khích; toàn đoàn 1 giải Nhất, 1 giải Nhì, 2 giải Ba, 2 giải Khuyến khích.

Bảng điểm công khai ngừng cập nhật **15 phút cuối** mỗi vòng thi. Thắc mắc về đề thi gửi qua mục *Hỏi đáp* trên trang hội thi.`;

/** A right or a wrong answer (demo data only: the key is read here, on the server). */
function answerFor(data: QuestionData, right: boolean): Response | null {
	if (data.type === 'single') {
		const index = data.choices.findIndex((c) => (right ? c.fraction === 1 : c.fraction <= 0));
		return { type: 'single', choice: index >= 0 ? index : 0 };
	}
	if (data.type === 'truefalse')
		return { type: 'truefalse', answer: right ? data.answer : !data.answer };
	return null;
}

/** 08:00 Vietnam time (01:00 UTC) on the day `days` before `now`. */
function morning(now: Date, days: number): Date {
	const vn = new Date(now.getTime() + 7 * 3600_000 - days * DAY);
	return new Date(Date.UTC(vn.getUTCFullYear(), vn.getUTCMonth(), vn.getUTCDate(), 1, 0, 0));
}

export async function seedCompetition(ctx: SeedContext): Promise<void> {
	const { db, now } = ctx;
	const actor = SYSTEM_ACTOR;
	const slug = DEMO_COMPETITION_SLUG;
	const practiceOpen = morning(now, 3);
	const created = new Date(practiceOpen.getTime() - 27 * DAY);

	await createCompetition(db, actor, {
		slug,
		title: 'Hội thi ứng dụng CNTT trong các cơ quan Đảng tỉnh Yên Bái năm 2012',
		now: created
	});
	const settings = (status: 'registration' | 'running') => ({
		slug,
		title: 'Hội thi ứng dụng CNTT trong các cơ quan Đảng tỉnh Yên Bái năm 2012',
		description: DESCRIPTION,
		status,
		unitRule: 'best_k',
		unitBestK: 3,
		teamSizeMax: 5,
		eligibleUnitKinds: ['agency', 'district', 'commune'],
		freezeMinutes: 15,
		judgeMargin: 2,
		prizeQuotas: {
			individual: { nhat: 1, nhi: 2, ba: 3, kk: 5 },
			unit: { nhat: 1, nhi: 1, ba: 2, kk: 2 }
		}
	});
	await updateCompetition(db, actor, { slug, settings: settings('registration'), now: created });
	const [competition] = await db.select().from(competitions).where(eq(competitions.slug, slug));

	// Judges: giamkhao1 heads the panel.
	const judges = await db
		.select({ id: users.id, username: users.username })
		.from(users)
		.where(inArray(users.username, ['giamkhao1', 'giamkhao2', 'giamkhao3']));
	if (judges.length)
		await db.insert(competitionJudges).values(
			judges.map((j) => ({
				competitionId: competition.id,
				userId: j.id,
				isHead: j.username === 'giamkhao1'
			}))
		);

	// Registrations: a CSV as a unit's office would send it, through the same import as the page.
	const lines = ['username,team'];
	for (const team of TEAMS) {
		const [unit] = await db.select().from(units).where(eq(units.code, team.unit));
		if (!unit) continue;
		const named = team.named ?? [];
		const others = await db
			.select({ username: users.username })
			.from(users)
			.innerJoin(units, eq(units.id, users.unitId))
			.where(
				and(
					team.subtree ? like(units.path, `${unit.path}%`) : eq(units.id, unit.id),
					eq(users.active, true),
					sql`'cadre' = any(${users.roles})`
				)
			)
			.orderBy(asc(units.depth), asc(users.id));
		const members = [
			...named,
			...others
				.map((o) => o.username)
				.filter((u) => !KEPT_OUT.has(u) && !named.includes(u))
				// Every third cadre: not just the leaders at the top of the list.
				.filter((_, i) => i % 3 === 1)
		].slice(0, team.size);
		for (const username of members) lines.push(`${username},${team.unit}`);
	}
	for (const code of INDIVIDUALS) {
		const [person] = await db
			.select({ username: users.username })
			.from(users)
			.innerJoin(units, eq(units.id, users.unitId))
			.where(and(eq(units.code, code), eq(users.isLeader, false)))
			.orderBy(asc(users.id))
			.limit(1);
		if (person && !KEPT_OUT.has(person.username)) lines.push(`${person.username},`);
	}
	const registered = await importRegistrations(db, actor, {
		slug,
		text: lines.join('\n'),
		fileName: 'danh-sach-du-thi.csv',
		now: new Date(practiceOpen.getTime() - 10 * DAY)
	});

	// The practice round: ten fixed questions, so every competitor's score follows from their answers.
	await addRound(db, actor, {
		slug,
		now: new Date(practiceOpen.getTime() - 7 * DAY),
		round: {
			name: 'Vòng thi thử',
			kind: 'theory',
			startMode: 'window',
			instructions:
				'Vòng thi thử để làm quen với cách thi trên máy: **không tính điểm**. Bài gồm 10 câu, làm trong 20 phút.',
			openAt: practiceOpen,
			closeAt: new Date(practiceOpen.getTime() + 3 * 3600_000),
			timeLimitMinutes: 20,
			graceSeconds: 60,
			counts: false,
			published: true,
			shuffleQuestions: true,
			shuffleChoices: true
		}
	});
	const [practice] = await db
		.select()
		.from(competitionRounds)
		.where(
			and(eq(competitionRounds.competitionId, competition.id), eq(competitionRounds.position, 1))
		);
	const [networkRoot] = await db
		.select()
		.from(questionCategories)
		.where(
			and(eq(questionCategories.name, DEMO_BANK_ROOTS[0]), isNull(questionCategories.parentId))
		);
	const fixed = networkRoot
		? await db
				.select({ id: questions.id, type: questionVersions.type })
				.from(questions)
				.innerJoin(questionVersions, eq(questionVersions.id, questions.currentVersionId))
				.innerJoin(questionCategories, eq(questionCategories.id, questions.categoryId))
				.where(
					and(
						like(questionCategories.path, `${networkRoot.path}%`),
						inArray(questionVersions.type, ['single', 'truefalse']),
						eq(questions.archived, false)
					)
				)
				.orderBy(asc(questions.id))
		: [];
	// Spread over the topics: every other question of the bank's order, ten of them.
	const chosen = fixed.filter((_, i) => i % 2 === 0).slice(0, 10);
	if (chosen.length) {
		await setSlots(db, actor, {
			id: practice.assessmentId,
			now: new Date(practiceOpen.getTime() - 7 * DAY),
			slots: chosen.map((q) => ({ kind: 'fixed' as const, questionId: q.id, points: 1 }))
		});
	}

	await updateCompetition(db, actor, {
		slug,
		settings: settings('running'),
		now: new Date(practiceOpen.getTime() - DAY)
	});

	// The projector board at /board/<slug> is published for the demo (BOARD's publish action does
	// the same for real competitions).
	await db
		.update(competitions)
		.set({ boardPublic: true })
		.where(eq(competitions.id, competition.id));

	// Competitors sit the practice round: varied skill, a few absent, durations in whole minutes
	// (so equal scores with equal times share a rank).
	let sat = 0;
	if (chosen.length) {
		const random = seededRandom(20120915);
		const people = await db
			.select({ id: users.id, username: users.username, unitCode: units.code })
			.from(users)
			.innerJoin(units, eq(units.id, users.unitId))
			.where(
				inArray(
					users.username,
					lines.slice(1).map((l) => l.split(',')[0])
				)
			)
			.orderBy(asc(users.id));
		const strong = new Set(['VPTU', 'TP-YB', 'HU-LY', 'LY-MINHXUAN']);
		for (const [i, person] of people.entries()) {
			const skill = Math.min(0.95, (strong.has(person.unitCode) ? 0.6 : 0.4) + random() * 0.4);
			const duration = [12, 14, 15, 15, 16, 18, 20][Math.floor(random() * 7)];
			const absent = person.username === 'canbo.vptu' || random() < 0.08;
			if (absent) continue;
			const competitor = await loadActor(db, person.id);
			const start = new Date(practiceOpen.getTime() + (i % 6) * 5 * MINUTE);
			const { attemptId } = await startRound(db, competitor, { slug, position: 1, now: start });
			const slots = await db
				.select({
					slot: attemptSlots.slot,
					versionId: attemptSlots.questionVersionId,
					data: questionVersions.data
				})
				.from(attemptSlots)
				.innerJoin(questionVersions, eq(questionVersions.id, attemptSlots.questionVersionId))
				.where(eq(attemptSlots.attemptId, attemptId));
			// Right or wrong per question (in a fixed order), whatever order the attempt shows them in.
			const rightness = new Map(
				[...slots]
					.sort((a, b) => a.versionId - b.versionId)
					.map((s) => [s.versionId, random() < skill])
			);
			const answers = slots.flatMap((s) => {
				const response = answerFor(s.data as QuestionData, rightness.get(s.versionId)!);
				return response ? [{ slot: s.slot, seq: 1, response }] : [];
			});
			await submitAttempt(db, competitor, {
				attemptId,
				now: new Date(start.getTime() + duration * MINUTE),
				answers
			});
			sat++;
		}
	}

	// The theory round: drawn from every course bank that exists, easy to hard.
	const opensAt = new Date(now.getTime() - 3600_000);
	// 17:00 Vietnam time, four weeks on.
	const closesAt = new Date(morning(now, -28).getTime() + 9 * 3600_000);
	await addRound(db, actor, {
		slug,
		now: new Date(practiceOpen.getTime() - 7 * DAY),
		round: {
			name: 'Vòng sơ khảo — lý thuyết',
			kind: 'theory',
			startMode: 'window',
			instructions:
				'Bài thi gồm các câu hỏi trắc nghiệm rút ngẫu nhiên từ ngân hàng câu hỏi của các khóa học; mỗi thí sinh một đề. Thời gian làm bài **30 phút**, tính từ lúc bấm bắt đầu; bài được lưu tự động, mất kết nối vẫn làm tiếp được.',
			openAt: opensAt,
			closeAt: closesAt,
			timeLimitMinutes: 30,
			graceSeconds: 60,
			counts: true,
			published: true,
			shuffleQuestions: true,
			shuffleChoices: true
		}
	});
	const roots = await db
		.select()
		.from(questionCategories)
		.where(
			and(inArray(questionCategories.name, DEMO_BANK_ROOTS), isNull(questionCategories.parentId))
		)
		.orderBy(asc(questionCategories.id));
	const rows: DrawRowInput[] = [];
	const perRoot = roots.length ? Math.floor(20 / roots.length) : 0;
	for (const [r, root] of roots.entries()) {
		const target = perRoot + (r === 0 ? 20 - perRoot * roots.length : 0);
		const wanted = [Math.round(target * 0.4), Math.round(target * 0.4)];
		wanted.push(target - wanted[0] - wanted[1]);
		const pools = await Promise.all(
			[1, 2, 3].map(
				async (difficulty) =>
					(
						await drawPool(db, {
							categoryId: root.id,
							includeSubcategories: true,
							tags: [],
							difficulty
						})
					).length
			)
		);
		const counts = wanted.map((w, d) => Math.min(w, pools[d]));
		// What a thin level cannot give, the others give while they can.
		let short = target - counts.reduce((s, n) => s + n, 0);
		for (let d = 0; short > 0 && d < 3; d++) {
			const extra = Math.min(short, pools[d] - counts[d]);
			counts[d] += extra;
			short -= extra;
		}
		counts.forEach((count, d) => {
			if (count > 0)
				rows.push({
					count: String(count),
					categoryId: String(root.id),
					includeSubcategories: true,
					tags: '',
					difficulty: String(d + 1),
					points: d === 2 ? '2' : '1'
				});
		});
	}
	if (rows.length)
		await setRoundDraw(db, actor, {
			slug,
			position: 2,
			rows,
			now: new Date(practiceOpen.getTime() - 7 * DAY)
		});

	// The practical round: two tasks with attachments and a rubric each.
	await addRound(db, actor, {
		slug,
		now: new Date(practiceOpen.getTime() - 7 * DAY),
		round: {
			name: 'Vòng chung khảo — thực hành',
			kind: 'practical',
			startMode: 'window',
			instructions:
				'Vòng thực hành gồm **2 đề**. Làm trong **90 phút**: đọc đề, tải tệp đính kèm, làm bài trên máy rồi nộp tệp kết quả và phần trình bày. Giám khảo chấm độc lập theo tiêu chí, không biết tên thí sinh.',
			openAt: opensAt,
			closeAt: closesAt,
			timeLimitMinutes: 90,
			graceSeconds: 120,
			counts: true,
			published: true,
			shuffleQuestions: false,
			shuffleChoices: false
		}
	});
	const [practical] = await db
		.select()
		.from(competitionRounds)
		.where(
			and(eq(competitionRounds.competitionId, competition.id), eq(competitionRounds.position, 3))
		);
	await seedPracticalTasks(ctx, practical.id);
	const judged = await seedPracticalWork(
		ctx,
		lines.slice(1).map((l) => l.split(',')[0])
	);

	// A question answered to everyone, and an announcement.
	const [asker] = await db.select({ id: users.id }).from(users).where(eq(users.username, 'canbo'));
	const [organiser] = await db
		.select({ id: users.id })
		.from(users)
		.where(eq(users.username, 'bantochuc'));
	await db.insert(clarifications).values([
		{
			competitionId: competition.id,
			roundId: practice.id,
			askedBy: asker?.id ?? null,
			question: 'Ở vòng thi thử, nếu mất kết nối giữa chừng thì bài làm có bị mất không ạ?',
			askedAt: new Date(practiceOpen.getTime() + 20 * MINUTE),
			answer:
				'Không mất. Mỗi câu trả lời được lưu ngay lên máy chủ; khi mất kết nối, trình duyệt giữ lại và tự gửi khi có mạng. Đồng hồ chạy theo giờ máy chủ.',
			answeredBy: organiser?.id ?? null,
			answeredAt: new Date(practiceOpen.getTime() + 30 * MINUTE),
			visibility: 'all'
		},
		{
			competitionId: competition.id,
			roundId: null,
			askedBy: null,
			question: '',
			askedAt: opensAt,
			answer:
				'Vòng sơ khảo và vòng chung khảo mở từ hôm nay trong 4 tuần. Mỗi vòng chỉ làm một lần: đồng chí chuẩn bị máy tính, đường truyền ổn định rồi mới bấm "Bắt đầu làm bài".',
			answeredBy: organiser?.id ?? null,
			answeredAt: opensAt,
			visibility: 'all'
		}
	]);
	ctx.log(
		`competition ${slug}: ${registered.registered} competitors in ${TEAMS.length} teams, ${sat} practice attempts, ${rows.length} draw rows from ${roots.length} banks, ${judged} practical submissions`
	);
}

/** Practical work handed in this morning, and how far the judges got with it. */
const PRACTICAL_WORK: Array<{
	answers: [string, string];
	/** giamkhao2's and giamkhao3's marks per criterion, per task; null: not marked yet. */
	marks: [number[][] | null, number[][] | null];
}> = [
	{
		answers: [
			'1. PC-05 và PC-09 trùng địa chỉ 10.1.12.25: đặt PC-09 thành 10.1.12.29.\n2. Cổng mặc định của VLAN 20 ghi 10.1.12.254, sửa thành 10.1.12.1.\n3. Máy chủ văn bản đang nhận địa chỉ DHCP: đặt tĩnh 10.1.12.10.\n4. Cổng 24 của SW1 nối router phải là trunk (VLAN 10, 20).\n5. Máy in mạng chưa cắm vào switch: nối vào cổng 12, VLAN 10.\n6. Mặt nạ WAN của R1 sửa thành 255.255.255.252.\n7. Thêm bộ lưu điện cho tủ mạng; đổi mật khẩu mặc định của router và switch.',
			'Đã sửa công thức tỷ lệ (máy trạm hỏng / máy trạm), tổng cộng đủ mọi dòng, chuẩn hóa tên đơn vị và kiểu ngày, kẻ khung, căn giữa tiêu đề. Tệp đính kèm.'
		],
		marks: [
			[
				[4, 3, 2, 1],
				[4, 3, 1.5, 1]
			],
			[
				[3.5, 3, 2, 1],
				[4, 2.5, 2, 1]
			]
		]
	},
	{
		answers: [
			'Lỗi: trùng địa chỉ IP giữa hai máy trạm; cổng mặc định sai; máy in chưa kết nối. Cách sửa: đặt lại địa chỉ, sửa cổng mặc định thành 10.1.12.1, cắm máy in vào switch.',
			'Sửa công thức tổng và tỷ lệ; đổi định dạng ngày.'
		],
		marks: [
			[
				[2.5, 2, 1, 1],
				[3, 2, 1, 0.5]
			],
			[
				[2, 2, 1, 1],
				[3, 1.5, 1, 0.5]
			]
		]
	},
	{
		// Judged far apart: waits for the head judge (giamkhao1).
		answers: [
			'Mạng hay mất khi trời giông do không có chống sét và bộ lưu điện. Router cần đổi mật khẩu mặc định. Các máy trạm cần đặt lại địa chỉ IP tĩnh cho dễ quản lý.',
			'Đã sửa lại bảng theo mẫu.'
		],
		marks: [
			[
				[3, 2, 2, 1],
				[3, 2, 1, 1]
			],
			[
				[1, 0.5, 0.5, 0.5],
				[1, 0.5, 0.5, 0.5]
			]
		]
	},
	{
		// Marked by giamkhao2 only: waits for giamkhao3.
		answers: [
			'Trùng địa chỉ 10.1.12.25 (PC-05, PC-09); VLAN 20 sai cổng mặc định; cổng nối router để access nên VLAN 10 không ra ngoài được; mặt nạ WAN sai. Sửa: đổi địa chỉ PC-09, cổng mặc định 10.1.12.1, cấu hình trunk cổng 24, mặt nạ /30.',
			'Tỷ lệ hỏng tính lại bằng công thức =E5/D5, định dạng phần trăm một chữ số thập phân; ô tổng dùng SUM cho đủ 7 dòng.'
		],
		marks: [
			[
				[3.5, 2.5, 1.5, 1],
				[4, 3, 1.5, 1]
			],
			null
		]
	}
];

/**
 * A few competitors already handed in the practical round, through the lobby and the practical
 * pages' own functions; the judges marked some of it blind, one submission waits for the head
 * judge and one for its second judge — so every judging page has something on it.
 */
async function seedPracticalWork(ctx: SeedContext, registered: string[]): Promise<number> {
	const { db, now } = ctx;
	// Not the named demo accounts: they try the rounds themselves.
	const named = new Set(['canbo', 'canbo.vptu', 'tungtd', ...KEPT_OUT]);
	const people = await db
		.select({ id: users.id, username: users.username, unitId: users.unitId })
		.from(users)
		.where(inArray(users.username, registered))
		.orderBy(asc(users.id));
	const chosen: typeof people = [];
	for (const p of people)
		if (!named.has(p.username) && !chosen.some((c) => c.unitId === p.unitId)) chosen.push(p);
	const judges = new Map<string, Actor>();
	for (const username of ['giamkhao2', 'giamkhao3']) {
		const [row] = await db.select({ id: users.id }).from(users).where(eq(users.username, username));
		if (row) judges.set(username, await loadActor(db, row.id));
	}
	const tasks = await db
		.select({ id: practicalTasks.id })
		.from(practicalTasks)
		.innerJoin(competitionRounds, eq(competitionRounds.id, practicalTasks.roundId))
		.innerJoin(competitions, eq(competitions.id, competitionRounds.competitionId))
		.where(
			and(eq(competitions.slug, DEMO_COMPETITION_SLUG), eq(competitionRounds.kind, 'practical'))
		)
		.orderBy(asc(practicalTasks.position));
	const criteria = await Promise.all(
		tasks.map((t) =>
			db
				.select({ id: rubricCriteria.id })
				.from(rubricCriteria)
				.where(eq(rubricCriteria.taskId, t.id))
				.orderBy(asc(rubricCriteria.position))
		)
	);
	const report = await fixedEquipmentReport();
	let handedIn = 0;
	for (const [i, work] of PRACTICAL_WORK.entries()) {
		const person = chosen[i];
		if (!person || tasks.length < 2 || judges.size < 2) break;
		const competitor = await loadActor(db, person.id);
		const start = new Date(now.getTime() - 55 * MINUTE + i * 2 * MINUTE);
		const { attemptId } = await startRound(db, competitor, {
			slug: DEMO_COMPETITION_SLUG,
			position: 3,
			now: start
		});
		for (const [t, task] of tasks.entries())
			await saveTaskText(db, competitor, {
				attemptId,
				taskId: task.id,
				seq: 1,
				text: work.answers[t],
				now: new Date(start.getTime() + (20 + t * 10) * MINUTE)
			});
		await uploadTaskFile(db, competitor, {
			attemptId,
			taskId: tasks[1].id,
			fileName: 'BC-thiet-bi.xlsx',
			bytes: report,
			now: new Date(start.getTime() + 35 * MINUTE)
		});
		await submitPractical(db, competitor, {
			attemptId,
			now: new Date(start.getTime() + 40 * MINUTE)
		});
		handedIn++;
		const codes = await db
			.select({ taskId: practicalSubmissions.taskId, code: practicalSubmissions.blindCode })
			.from(practicalSubmissions)
			.where(eq(practicalSubmissions.attemptId, attemptId));
		for (const [j, username] of ['giamkhao2', 'giamkhao3'].entries()) {
			const marks = work.marks[j];
			if (!marks) continue;
			for (const [t, task] of tasks.entries()) {
				const code = codes.find((c) => c.taskId === task.id)?.code;
				if (!code) continue;
				await scoreSubmission(db, judges.get(username)!, {
					code,
					points: Object.fromEntries(criteria[t].map((c, k) => [String(c.id), marks[t][k]])),
					comment: '',
					now: new Date(start.getTime() + (45 + j * 5) * MINUTE)
				});
			}
		}
	}
	return handedIn;
}

async function seedPracticalTasks(ctx: SeedContext, roundId: number): Promise<void> {
	const { db, now } = ctx;
	const tasks = [
		{
			title: 'Khắc phục sự cố mạng LAN Huyện ủy Trấn Yên',
			statement: `Huyện ủy Trấn Yên báo: nhiều máy không vào được thư điện tử và phần mềm gửi nhận văn bản, máy in mạng không in được, mạng hay mất khi trời giông. Sơ đồ mạng do cán bộ văn phòng vẽ được gửi kèm (tệp **so-do-mang-huyen-uy-tran-yen.svg**).

Yêu cầu:

1. Chỉ ra **tất cả các lỗi** về địa chỉ IP, cổng mặc định, VLAN, kết nối và an toàn trong sơ đồ.
2. Với mỗi lỗi, nêu **cách sửa** cụ thể (lệnh hoặc thao tác cấu hình).
3. Lập **bảng địa chỉ IP** của mạng sau khi sửa (thiết bị, địa chỉ, mặt nạ, cổng mặc định, VLAN, cổng switch).
4. Nộp phần trình bày vào ô trả lời; có thể nộp kèm sơ đồ đã sửa (ảnh, PDF hoặc tệp Visio xuất PDF).`,
			criteria: [
				{
					name: 'Phát hiện đủ các lỗi trong sơ đồ',
					description:
						'Trùng địa chỉ, địa chỉ sai, sai cổng mặc định, máy chủ dùng DHCP, cổng nối router không phải trunk, máy in chưa kết nối, mặt nạ WAN, nguồn điện và mật khẩu mặc định.',
					maxPoints: 4
				},
				{
					name: 'Cách sửa đúng và khả thi',
					description: 'Mỗi lỗi có cách sửa cụ thể, đúng kỹ thuật.',
					maxPoints: 3
				},
				{
					name: 'Bảng địa chỉ IP sau khi sửa',
					description: 'Đủ thiết bị, không trùng, đúng mạng con và VLAN.',
					maxPoints: 2
				},
				{ name: 'Trình bày rõ ràng, đúng thuật ngữ', description: '', maxPoints: 1 }
			],
			file: {
				name: 'so-do-mang-huyen-uy-tran-yen.svg',
				bytes: new TextEncoder().encode(BROKEN_LAN_DIAGRAM)
			}
		},
		{
			title: 'Sửa bảng tổng hợp trang thiết bị CNTT',
			statement: `Văn phòng Tỉnh ủy cần gửi Thường trực Tỉnh ủy bảng tổng hợp trang thiết bị CNTT của các cơ quan Đảng. Bảng do một đơn vị lập (tệp **bao-cao-thiet-bi-cntt.xlsx**) có nhiều sai sót về công thức, dữ liệu và trình bày.

Yêu cầu:

1. Sửa các **công thức** tính tổng và tỷ lệ máy hỏng (tỷ lệ = máy trạm hỏng / máy trạm, định dạng phần trăm, 1 chữ số thập phân).
2. **Chuẩn hóa dữ liệu**: tên đơn vị viết đúng, đầy đủ; ngày kiểm kê là kiểu ngày dd/mm/yyyy; số là kiểu số.
3. **Trình bày** bảng theo thể thức: tiêu đề căn giữa, in đậm; có đơn vị tính; kẻ khung; in vừa một trang A4 ngang.
4. Nộp tệp đã sửa, **giữ định dạng .xlsx**, đặt tên theo mẫu \`BC-thiet-bi-<mã thí sinh>.xlsx\`; ghi vào ô trả lời các lỗi đã sửa.`,
			criteria: [
				{
					name: 'Công thức tổng và tỷ lệ đúng',
					description: 'Tổng đủ mọi dòng; tỷ lệ chia đúng mẫu số; ô tổng không nhập tay.',
					maxPoints: 4
				},
				{
					name: 'Dữ liệu được chuẩn hóa',
					description: 'Tên đơn vị, kiểu ngày, kiểu số.',
					maxPoints: 3
				},
				{
					name: 'Trình bày đúng thể thức',
					description: 'Tiêu đề, đơn vị tính, khung, khổ in.',
					maxPoints: 2
				},
				{ name: 'Nộp đúng tên tệp, đúng định dạng', description: '', maxPoints: 1 }
			],
			file: { name: 'bao-cao-thiet-bi-cntt.xlsx', bytes: await brokenEquipmentReport() }
		}
	];
	for (const [i, task] of tasks.entries()) {
		const [row] = await db
			.insert(practicalTasks)
			.values({
				roundId,
				position: i + 1,
				title: task.title,
				statement: task.statement,
				createdAt: now,
				updatedAt: now
			})
			.returning({ id: practicalTasks.id });
		await db
			.insert(rubricCriteria)
			.values(task.criteria.map((c, j) => ({ taskId: row.id, position: j + 1, ...c })));
		const checked = await checkFile(task.file.bytes, task.file.name, UPLOAD_POLICIES.attachment);
		await storeFile(db, {
			ownerType: 'task',
			ownerId: row.id,
			bytes: task.file.bytes,
			checked,
			createdBy: null,
			now
		});
	}
}
