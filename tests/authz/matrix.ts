// The authorisation matrix: for every page, form action and endpoint of src/routes (see routes.ts,
// which reads them from the files), what each kind of person gets. A route, action or method
// without an entry here fails tests/authz/matrix.test.ts and tests/e2e/authz.e2e.ts by name.
//
// To add a route: add its id (as SvelteKit names it, groups included) with `params` filling its
// [parameters] from the World (world.ts), `page` for its GET, one entry per action under `actions`,
// one per method under `endpoints`; say for each person 'allow', 'login', 401, 403, 404, 'redirect'
// or 'n/a'. Presets below cover the usual shapes.
import type { FormBody } from './client';
import type { World } from './world';

/** The people of the matrix (the demo accounts playing them are in world.ts). */
export const WHO = [
	'anonymous',
	'cadre',
	'leader',
	'trainer',
	'organiser',
	'judge',
	'admin'
] as const;
export type Who = (typeof WHO)[number];

/**
 * - 'allow': the page answers 200 with its data; an action succeeds (or redirects, not to the
 *   login page); an endpoint answers 2xx/3xx. With `mayFail`, a refusal by rule (4xx other than
 *   401/403/404) also counts.
 * - 'redirect': a page sends this person elsewhere (not to the login page) — a landing page.
 * - 'login': sent to /login (303 for pages and actions).
 * - 401 / 403 / 404: refused with that status, and nothing written.
 * - 400: refused as a form failure naming why (someone outside a leader's units), nothing written.
 * - 'n/a': not exercised here (the reason is in `note`).
 */
export type Outcome = 'allow' | 'redirect' | 'login' | 400 | 401 | 403 | 404 | 'n/a';
export type Outcomes = Record<Who, Outcome>;

export interface Probe {
	expect: Outcomes;
	/**
	 * Form fields an action or endpoint is sent: valid, so that a refusal is the role's doing and
	 * an allowed person's request succeeds (`who` keeps names that must be unique apart).
	 */
	body?: (w: World, who: Who) => FormBody;
	/** A JSON body (JSON endpoints). */
	json?: (w: World, who: Who) => unknown;
	/**
	 * For an allowed person the request runs but is refused by a rule, not by the role (a wrong
	 * current password, a unit that still has members): why.
	 */
	mayFail?: string;
	/** Query string for the request, without '?'. */
	query?: (w: World) => string;
	/** The request consumes what it acts on (a delete): run it for the first allowed person only. */
	once?: boolean;
	/** Among `once` requests, the later ones run after (a task's criteria before the task). */
	order?: number;
	/** A never-ending response (SSE): only the status and headers are read. */
	stream?: boolean;
	/** Needs a session of its own (logging out). */
	ownSession?: boolean;
	/** Allowed, it leads to the login page (logging out). */
	toLogin?: boolean;
	note?: string;
}

export interface RouteEntry {
	params?: (w: World) => Record<string, string | number>;
	page?: Probe;
	actions?: Record<string, Probe>;
	endpoints?: Record<string, Probe>;
	note?: string;
}

type Spec = Partial<Record<Who, Outcome>>;

/** Everyone but the anonymous visitor (sent to log in). */
export function everyone(spec: Spec = {}): Outcomes {
	return {
		anonymous: 'login',
		cadre: 'allow',
		leader: 'allow',
		trainer: 'allow',
		organiser: 'allow',
		judge: 'allow',
		admin: 'allow',
		...spec
	};
}

/** Only `allowed`; the rest refused with `refusal` (anonymous sent to log in). */
export function only(allowed: Who[], refusal: Outcome = 403, spec: Spec = {}): Outcomes {
	const out = {} as Outcomes;
	for (const who of WHO)
		out[who] = who === 'anonymous' ? 'login' : allowed.includes(who) ? 'allow' : refusal;
	return { ...out, ...spec };
}

export const ADMIN: Who[] = ['admin'];
export const AUTHORS: Who[] = ['trainer', 'admin'];
export const ORGANISERS: Who[] = ['organiser', 'admin'];

/** Never allowed through: someone else's attempt, submission or file looks like nothing at all. */
const NOBODY_404 = only([], 404);
const csv = (text: string) => ({
	name: 'danh-sach.csv',
	mimeType: 'text/csv',
	buffer: Buffer.from(text, 'utf8')
});
const gift = (text: string) => ({
	name: 'cau-hoi.gift',
	mimeType: 'text/plain',
	buffer: Buffer.from(text, 'utf8')
});
const png = () => ({
	name: 'so-do.png',
	mimeType: 'image/png',
	buffer: Buffer.from(
		'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
		'base64'
	)
});
const vnTime = (minutes: number) =>
	new Date(Date.now() + 7 * 3600_000 + minutes * 60_000).toISOString().slice(0, 16);
const roundForm = (name: string, kind: string): FormBody => ({
	name,
	kind,
	startMode: 'window',
	instructions: 'Đọc kỹ đề.',
	openAt: vnTime(-60),
	closeAt: vnTime(7 * 24 * 60),
	timeLimitMinutes: '30',
	graceSeconds: '60',
	counts: 'on',
	published: 'on'
});

const scratch = (w: World) => ({ slug: w.scratch.slug });

/**
 * Whom a person registers on a registration page: for the leader of Văn Yên (and anyone refused),
 * someone of Lục Yên, outside their units; for the organisers, a different person each.
 */
function outsider(w: World, who: Who, form: string): string {
	// Refused people try to withdraw someone who is registered.
	if (form.endsWith('withdraw') && who !== 'organiser' && who !== 'admin') return w.registrable[12];
	const index = who === 'organiser' ? 0 : who === 'admin' ? 1 : 2;
	const offset =
		{
			register: 0,
			withdraw: 0,
			upload: 3,
			'manage-register': 6,
			'manage-withdraw': 6,
			'manage-upload': 9
		}[form] ?? 0;
	return w.registrable[offset + index];
}

export const matrix: Record<string, RouteEntry> = {
	'/(app)': { page: { expect: everyone() } },
	'/(app)/account/password': {
		page: { expect: everyone() },
		actions: {
			// A wrong current password: the change runs and is refused, nobody's password changes.
			default: {
				expect: everyone(),
				mayFail: 'the current password is wrong',
				body: () => ({
					current: 'sai-mat-khau',
					next: 'Mat-khau-moi-2012',
					confirm: 'Mat-khau-moi-2012'
				})
			}
		}
	},
	'/(app)/admin': { page: { expect: only(ADMIN) } },
	'/(app)/admin/audit': { page: { expect: only(ADMIN) } },
	'/(app)/admin/backup': { endpoints: { GET: { expect: only(ADMIN) } } },
	'/(app)/admin/units': {
		page: { expect: only(ADMIN) },
		actions: {
			create: {
				expect: only(ADMIN),
				body: () => ({ code: 'KT-MOI', name: 'Đơn vị mới', kind: 'commune', parentCode: 'HU-LY' })
			}
		}
	},
	'/(app)/admin/units/[id]': {
		params: (w) => ({ id: w.scratchUnit.id }),
		page: { expect: only(ADMIN) },
		actions: {
			update: {
				expect: only(ADMIN),
				body: (w) => ({
					code: w.scratchUnit.code,
					name: 'Đơn vị kiểm thử (đổi tên)',
					kind: 'commune',
					parentCode: 'HU-LY'
				})
			},
			delete: { expect: only(ADMIN), once: true, mayFail: 'the unit has a member' }
		}
	},
	'/(app)/admin/users': { page: { expect: only(ADMIN) } },
	'/(app)/admin/users/[id]': {
		params: (w) => ({ id: w.scratchUser.id }),
		page: { expect: only(ADMIN) },
		actions: {
			// Making the account an admin: the escalation a non-admin must not manage.
			update: {
				expect: only(ADMIN),
				body: (w) => ({
					username: w.scratchUser.username,
					fullName: 'Người Kiểm Thử',
					unitCode: w.scratchUnit.code,
					position: 'Chuyên viên',
					roles: ['cadre', 'admin'],
					active: 'on'
				})
			},
			reset: { expect: only(ADMIN), body: () => ({ password: 'Mat-khau-tam-2012' }) },
			unlock: { expect: only(ADMIN) }
		}
	},
	'/(app)/admin/users/import': {
		page: { expect: only(ADMIN) },
		actions: {
			default: {
				expect: only(ADMIN),
				body: () => ({
					file: csv(
						'username,full_name,unit_code,position,role,is_leader\nkiemthu.nhap,Người Nhập,HU-LY,Chuyên viên,admin,0\n'
					)
				})
			}
		}
	},
	'/(app)/admin/users/new': {
		page: { expect: only(ADMIN) },
		actions: {
			default: {
				expect: only(ADMIN),
				body: () => ({
					username: 'kiemthu.moi',
					fullName: 'Người Mới',
					unitCode: 'HU-LY',
					position: 'Chuyên viên',
					roles: ['admin'],
					password: 'Mat-khau-moi-2012'
				})
			}
		}
	},

	// Someone else's attempt (victim A's, in progress): nobody but its owner gets anything.
	'/(app)/attempts/[id]': {
		params: (w) => ({ id: w.victimA.attempts.theory }),
		page: { expect: NOBODY_404 },
		actions: {
			save: { expect: NOBODY_404, body: () => ({ slots: '1', goto: '1', a1: '0' }) }
		}
	},
	'/(app)/attempts/[id]/review': {
		params: (w) => ({ id: w.victimA.attempts.theory }),
		page: { expect: NOBODY_404 }
	},
	'/(app)/attempts/[id]/save': {
		params: (w) => ({ id: w.victimA.attempts.theory }),
		endpoints: {
			POST: {
				expect: only([], 404, { anonymous: 401 }),
				json: () => ({ slot: 1, seq: 1000, response: { type: 'single', choice: 0 } })
			}
		}
	},
	'/(app)/attempts/[id]/status': {
		params: (w) => ({ id: w.victimA.attempts.theory }),
		endpoints: { GET: { expect: only([], 404, { anonymous: 401 }) } }
	},
	'/(app)/attempts/[id]/submit': {
		params: (w) => ({ id: w.victimA.attempts.theory }),
		page: { expect: NOBODY_404 },
		actions: { default: { expect: NOBODY_404 } }
	},

	'/(app)/certificates': {
		page: {
			// Leaders, organisers and admins list certificates; the others land on their own.
			expect: everyone({ cadre: 'redirect', trainer: 'redirect', judge: 'redirect' })
		}
	},
	'/(app)/certificates/[code]': {
		params: (w) => ({ code: w.otherCertificate }),
		page: { expect: only(ORGANISERS) },
		actions: {
			revoke: { expect: only(ADMIN), once: true, body: () => ({ reason: 'Kiểm thử thu hồi' }) }
		}
	},
	'/(app)/certificates/[code]/pdf': {
		params: (w) => ({ code: w.otherCertificate }),
		endpoints: { GET: { expect: only(ORGANISERS) } }
	},

	'/(app)/competitions': { page: { expect: everyone() } },
	'/(app)/competitions/[slug]': {
		params: (w) => ({ slug: w.competition }),
		page: { expect: everyone() },
		actions: {
			start: { expect: only(['cadre']), body: () => ({ position: '2' }) },
			ask: {
				expect: only(['cadre']),
				body: () => ({ question: 'Xin hỏi về vòng lý thuyết', round: '2' })
			}
		}
	},
	// A hội thi taking registrations: a leader registers people of their own units only.
	'/(app)/competitions/[slug]/register': {
		params: (w) => ({ slug: w.registration }),
		page: { expect: only(['leader', ...ORGANISERS]) },
		actions: {
			// The leader of Văn Yên: someone of Lục Yên, outside their units.
			register: {
				expect: only(ORGANISERS, 403, { leader: 400 }),
				body: (w, who) => ({ username: outsider(w, who, 'register'), team: '' })
			},
			upload: {
				expect: only(ORGANISERS, 403, { leader: 400 }),
				body: (w, who) => ({ file: csv(`username,team\n${outsider(w, who, 'upload')},\n`) })
			},
			withdraw: {
				expect: only(ORGANISERS),
				once: true,
				order: 1,
				body: (w, who) => ({ username: outsider(w, who, 'withdraw') })
			}
		}
	},
	'/(app)/competitions/[slug]/results': {
		params: (w) => ({ slug: w.competition }),
		page: { expect: everyone() }
	},

	'/(app)/courses': { page: { expect: everyone() } },
	// The trainer's draft course: invisible to learners.
	'/(app)/courses/[slug]': {
		params: (w) => ({ slug: w.course.slug }),
		page: { expect: only(AUTHORS, 404) }
	},
	'/(app)/courses/[slug]/[lesson]': {
		params: (w) => ({ slug: w.course.slug, lesson: w.course.lessonSlug }),
		page: { expect: only(AUTHORS, 404) },
		actions: { done: { expect: only(AUTHORS, 404), body: () => ({ done: 'true' }) } }
	},

	'/(app)/judging': { page: { expect: only(['judge']) } },
	'/(app)/judging/[code]': {
		params: (w) => ({ code: w.judgeCode }),
		page: { expect: only(['judge'], 404) },
		actions: {
			score: {
				expect: only(['judge'], 404),
				body: (w) => ({
					...Object.fromEntries(w.judgeCriteria.map((c) => [`c${c.id}`, '1'])),
					comment: 'Chấm thử'
				})
			},
			// Settling a submission is the head judge's; giamkhao2 is not.
			decide: {
				expect: NOBODY_404,
				body: () => ({ score: '5', note: 'Quyết định' })
			}
		}
	},

	'/(app)/manage/competitions': {
		page: { expect: only(ORGANISERS) },
		actions: {
			create: {
				expect: only(ORGANISERS),
				body: (_, who) => ({ slug: `kiem-thu-moi-${who}`, title: 'Hội thi mới' })
			}
		}
	},
	'/(app)/manage/competitions/[slug]': {
		params: scratch,
		page: { expect: only(ORGANISERS) },
		actions: {
			save: { expect: only(ORGANISERS), body: (w) => w.scratchForm },
			addRound: { expect: only(ORGANISERS), body: () => roundForm('Vòng thêm', 'theory') },
			// The first round up: a move that changes nothing.
			move: {
				expect: only(ORGANISERS),
				mayFail: 'the first round cannot move up',
				body: () => ({ position: '1', direction: 'up' })
			}
		}
	},
	'/(app)/manage/competitions/[slug]/clarifications': {
		params: scratch,
		page: { expect: only(ORGANISERS) },
		actions: {
			answer: {
				expect: only(ORGANISERS),
				body: (w) => ({
					id: String(w.scratch.clarificationId),
					answer: 'Trả lời kiểm thử',
					visibility: 'private'
				})
			},
			announce: {
				expect: only(ORGANISERS),
				body: () => ({ text: 'Thông báo kiểm thử', round: '' })
			}
		}
	},
	'/(app)/manage/competitions/[slug]/control': {
		params: scratch,
		page: { expect: only(ORGANISERS) },
		actions: {
			extend: {
				expect: only(ORGANISERS),
				body: () => ({ position: '1', minutes: '5', who: '', reason: 'Mất điện' })
			},
			pause: {
				expect: only(ORGANISERS),
				mayFail: 'paused already (by the first allowed person)',
				body: () => ({ position: '1', reason: 'Sự cố mất điện' })
			},
			resume: {
				expect: only(ORGANISERS),
				mayFail: 'resumed already (by the first allowed person)',
				body: () => ({ position: '1', reason: 'Đã có điện lại' })
			},
			open: {
				expect: only(ORGANISERS),
				mayFail: 'the round is open already',
				body: () => ({ position: '2', reason: 'Mở sớm hơn' })
			},
			close: {
				expect: only(ORGANISERS),
				once: true,
				order: 3,
				body: () => ({ position: '2', reason: 'Đóng vòng' })
			}
		}
	},
	'/(app)/manage/competitions/[slug]/judging': {
		params: scratch,
		page: { expect: only(ORGANISERS) },
		actions: {
			addJudge: {
				expect: only(ORGANISERS),
				body: (_, who) => ({ username: who === 'admin' ? 'giamkhao1' : 'giamkhao3', isHead: '' })
			},
			setHead: {
				expect: only(ORGANISERS),
				body: (w) => ({ judge: String(w.judges.giamkhao3) })
			},
			removeJudge: {
				expect: only(ORGANISERS),
				once: true,
				order: 1,
				body: (w) => ({ judge: String(w.judges.giamkhao3) })
			},
			assign: { expect: only(ORGANISERS) },
			reassign: {
				expect: only(ORGANISERS),
				once: true,
				order: 2,
				body: (w) => ({
					code: w.judgeCode,
					from: String(w.judges.giamkhao3),
					to: String(w.judges.giamkhao1),
					reason: 'Giám khảo bận'
				})
			}
		}
	},
	'/(app)/manage/competitions/[slug]/registrations': {
		params: (w) => ({ slug: w.registration }),
		page: { expect: only(ORGANISERS) },
		// The same actions as the leaders' registration page: a leader acts for their own units only.
		actions: {
			register: {
				expect: only(ORGANISERS, 403, { leader: 400 }),
				body: (w, who) => ({ username: outsider(w, who, 'manage-register'), team: '' })
			},
			upload: {
				expect: only(ORGANISERS, 403, { leader: 400 }),
				body: (w, who) => ({
					file: csv(`username,team\n${outsider(w, who, 'manage-upload')},\n`)
				})
			},
			withdraw: {
				expect: only(ORGANISERS),
				once: true,
				order: 1,
				body: (w, who) => ({ username: outsider(w, who, 'manage-withdraw') })
			}
		}
	},
	'/(app)/manage/competitions/[slug]/results': {
		params: scratch,
		page: { expect: only(ORGANISERS) },
		actions: {
			freeze: { expect: only(ORGANISERS), body: () => ({ freezeMinutes: '10' }) },
			board: { expect: only(ORGANISERS), body: () => ({ boardPublic: 'false' }) },
			publish: {
				expect: only(ORGANISERS),
				once: true,
				order: 4,
				mayFail: 'a round is still open',
				body: () => ({ confirm: 'yes' })
			}
		}
	},
	'/(app)/manage/competitions/[slug]/results/export': {
		params: scratch,
		endpoints: { GET: { expect: only(ORGANISERS), query: () => 'format=xlsx' } }
	},
	'/(app)/manage/competitions/[slug]/results/questions': {
		params: scratch,
		page: { expect: only(ORGANISERS) }
	},
	'/(app)/manage/competitions/[slug]/rounds/[position]': {
		params: (w) => ({ slug: w.scratch.slug, position: w.scratch.theory }),
		page: { expect: only(ORGANISERS) },
		actions: {
			save: { expect: only(ORGANISERS), body: () => roundForm('Vòng lý thuyết', 'theory') },
			draw: {
				expect: only(ORGANISERS),
				mayFail: 'attempts have started',
				body: (w) => ({
					rows: '1',
					count_1: '5',
					category_1: String(w.markerCategory),
					points_1: '1'
				})
			},
			delete: { expect: only(ORGANISERS), once: true, order: 5, mayFail: 'the round has attempts' }
		}
	},
	'/(app)/manage/competitions/[slug]/rounds/[position]/tasks': {
		params: (w) => ({ slug: w.scratch.slug, position: w.scratch.practical }),
		page: { expect: only(ORGANISERS) },
		actions: {
			create: {
				expect: only(ORGANISERS),
				body: () => ({ title: 'Đề thêm', statement: 'Nội dung đề thêm.' })
			},
			move: {
				expect: only(ORGANISERS),
				body: (w) => ({ task: String(w.scratch.taskId), direction: 'up' })
			}
		}
	},
	'/(app)/manage/competitions/[slug]/rounds/[position]/tasks/[taskId]': {
		params: (w) => ({
			slug: w.scratch.slug,
			position: w.scratch.practical,
			taskId: w.scratch.taskId
		}),
		page: { expect: only(ORGANISERS) },
		actions: {
			update: {
				expect: only(ORGANISERS),
				body: () => ({ title: 'Đề kiểm thử', statement: 'Nêu cách sửa sơ đồ.' })
			},
			delete: { expect: only(ORGANISERS), once: true, order: 4 },
			attach: { expect: only(ORGANISERS), body: () => ({ file: png() }) },
			detach: {
				expect: only(ORGANISERS),
				once: true,
				order: 1,
				body: (w) => ({ file: w.scratch.attachmentId })
			},
			addCriterion: {
				expect: only(ORGANISERS),
				body: () => ({ name: 'Trình bày', description: '', maxPoints: '2' })
			},
			updateCriterion: {
				expect: only(ORGANISERS),
				body: (w) => ({
					criterion: String(w.scratch.criterionId),
					name: 'Đúng lỗi',
					description: 'Đủ lỗi',
					maxPoints: '5'
				})
			},
			deleteCriterion: {
				expect: only(ORGANISERS),
				once: true,
				order: 1,
				body: (w) => ({ criterion: String(w.scratch.criterionId) })
			}
		}
	},

	'/(app)/manage/courses': { page: { expect: only(AUTHORS) } },
	'/(app)/manage/courses/[id]': {
		params: (w) => ({ id: w.course.id }),
		page: { expect: only(AUTHORS) },
		actions: {
			publish: { expect: only(AUTHORS), body: () => ({ status: 'draft' }) },
			addSection: { expect: only(AUTHORS), body: () => ({ title: 'Phần thêm' }) },
			renameSection: {
				expect: only(AUTHORS),
				body: (w) => ({ sectionId: String(w.course.sectionId), title: 'Phần một (sửa)' })
			},
			deleteSection: {
				expect: only(AUTHORS),
				once: true,
				order: 6,
				mayFail: 'the section still has lessons',
				body: (w) => ({ sectionId: String(w.course.sectionId) })
			},
			moveSection: {
				expect: only(AUTHORS),
				mayFail: 'the first section cannot move up',
				body: (w) => ({ sectionId: String(w.course.sectionId), direction: 'up' })
			},
			addLesson: {
				expect: only(AUTHORS),
				body: (w) => ({ title: 'Bài thêm', sectionId: String(w.course.sectionId) })
			},
			moveLesson: {
				expect: only(AUTHORS),
				mayFail: 'the first lesson cannot move up',
				body: (w) => ({ lessonId: String(w.course.lessonId), direction: 'up' })
			},
			moveLessonTo: {
				expect: only(AUTHORS),
				body: (w) => ({
					lessonId: String(w.course.lessonId),
					sectionId: String(w.course.sectionId)
				})
			}
		}
	},
	'/(app)/manage/courses/[id]/edit': {
		params: (w) => ({ id: w.course.id }),
		page: { expect: only(AUTHORS) },
		actions: {
			default: {
				expect: only(AUTHORS),
				body: (w) => ({
					slug: w.course.slug,
					title: 'Khóa học kiểm thử phân quyền',
					summary: 'Khóa học nháp',
					category: 'Kiểm thử',
					estimatedHours: '1',
					description: ''
				})
			}
		}
	},
	'/(app)/manage/courses/[id]/enrolment': {
		params: (w) => ({ id: w.course.id }),
		page: { expect: only(AUTHORS) },
		actions: {
			audience: { expect: only(AUTHORS), body: () => ({ audience: 'assigned' }) },
			assignUnit: {
				expect: only(AUTHORS),
				body: () => ({ unitCode: 'HU-VY', includeSubtree: 'on', due: '' })
			},
			assignCadres: {
				expect: only(AUTHORS),
				body: (w) => ({ userIds: [String(w.victimA.id)], due: '' })
			},
			remove: {
				expect: only(AUTHORS),
				once: true,
				body: (w) => ({ assignmentId: String(w.course.assignmentId) })
			}
		}
	},
	'/(app)/manage/courses/[id]/lessons/[lessonId]': {
		params: (w) => ({ id: w.course.id, lessonId: w.course.lessonId }),
		page: { expect: only(AUTHORS) },
		actions: {
			save: {
				expect: only(AUTHORS),
				mayFail: 'a stale edit for the second person (the first saved a new revision)',
				body: (w) => ({
					title: 'Bài nháp',
					slug: w.course.lessonSlug,
					estimatedMinutes: '10',
					body: 'Nội dung bài nháp, sửa lần nữa.',
					note: 'kiểm thử',
					status: 'published',
					baseRevisionId: String(w.course.currentRevisionId)
				})
			},
			preview: { expect: only(AUTHORS), body: () => ({ body: '**Xem trước**' }) },
			upload: {
				expect: only(AUTHORS),
				body: () => ({ file: png(), alt: 'Sơ đồ', body: 'Nội dung', cursor: '' })
			},
			delete: { expect: only(AUTHORS), once: true, order: 5, body: () => ({ confirm: 'yes' }) }
		}
	},
	'/(app)/manage/courses/[id]/lessons/[lessonId]/history': {
		params: (w) => ({ id: w.course.id, lessonId: w.course.lessonId }),
		page: { expect: only(AUTHORS) }
	},
	'/(app)/manage/courses/[id]/lessons/[lessonId]/history/[revisionId]': {
		params: (w) => ({
			id: w.course.id,
			lessonId: w.course.lessonId,
			revisionId: w.course.revisionId
		}),
		page: { expect: only(AUTHORS) },
		actions: { restore: { expect: only(AUTHORS) } }
	},
	'/(app)/manage/courses/[id]/preview': {
		params: (w) => ({ id: w.course.id }),
		endpoints: {
			POST: { expect: only(AUTHORS, 403, { anonymous: 401 }), json: () => ({ body: '**Xem**' }) }
		}
	},
	'/(app)/manage/courses/new': {
		page: { expect: only(AUTHORS) },
		actions: {
			default: {
				expect: only(AUTHORS),
				body: (_, who) => ({
					slug: `kiem-thu-khoa-moi-${who}`,
					title: 'Khóa học mới',
					summary: '',
					category: '',
					estimatedHours: '1',
					description: ''
				})
			}
		}
	},

	'/(app)/manage/grading': { page: { expect: only(AUTHORS) } },
	'/(app)/manage/grading/[versionId]': {
		params: (w) => ({ versionId: w.essay.versionId }),
		page: { expect: only(AUTHORS) },
		actions: {
			grade: {
				expect: only(AUTHORS),
				body: (w) => ({
					attemptId: w.essay.attemptId,
					slot: String(w.essay.slot),
					mark: '1',
					comment: 'Chấm kiểm thử'
				})
			}
		}
	},
	'/(app)/manage/grading/key/[versionId]': {
		params: (w) => ({ versionId: w.questionVersion }),
		page: { expect: only(AUTHORS) },
		actions: {
			preview: { expect: only(AUTHORS), body: (w) => w.questionForm },
			confirm: { expect: only(AUTHORS), once: true, body: (w) => w.questionForm },
			rows: { expect: only(AUTHORS), body: (w) => w.questionForm }
		}
	},
	'/(app)/manage/questions': { page: { expect: only(AUTHORS) } },
	'/(app)/manage/questions/[id]': {
		params: (w) => ({ id: w.question }),
		page: { expect: only(AUTHORS) },
		actions: { archive: { expect: only(AUTHORS) }, restore: { expect: only(AUTHORS) } }
	},
	'/(app)/manage/questions/[id]/edit': {
		params: (w) => ({ id: w.question }),
		page: { expect: only(AUTHORS) },
		actions: {
			save: { expect: only(AUTHORS), body: (w) => w.questionForm },
			rows: { expect: only(AUTHORS), body: (w) => w.questionForm }
		}
	},
	'/(app)/manage/questions/categories': {
		page: { expect: only(AUTHORS) },
		actions: {
			create: {
				expect: only(AUTHORS),
				body: (_, who) => ({ name: `Danh mục mới ${who}`, parentId: '' })
			},
			rename: {
				expect: only(AUTHORS),
				body: (w) => ({ id: String(w.markerCategory), name: 'Kiểm thử phân quyền' })
			},
			move: {
				expect: only(AUTHORS),
				body: (w) => ({ id: String(w.markerCategory), parentId: '' })
			},
			delete: {
				mayFail: 'the category holds questions',
				expect: only(AUTHORS),
				body: (w) => ({ id: String(w.markerCategory) })
			}
		}
	},
	'/(app)/manage/questions/export': { endpoints: { GET: { expect: only(AUTHORS) } } },
	'/(app)/manage/questions/import': {
		page: { expect: only(AUTHORS) },
		actions: {
			preview: {
				expect: only(AUTHORS),
				body: () => ({ file: gift('::Thêm::Câu hỏi thêm? {T}\n'), format: 'gift', categoryId: '' })
			},
			confirm: {
				expect: only(AUTHORS),
				body: () => ({
					text: '::Thêm::Câu hỏi thêm? {T}\n',
					fileName: 'them.gift',
					format: 'gift',
					categoryId: ''
				})
			}
		}
	},
	'/(app)/manage/questions/new': {
		page: { expect: only(AUTHORS) },
		actions: {
			save: {
				expect: only(AUTHORS),
				body: (w) => ({ ...w.questionForm, name: 'Câu hỏi mới' })
			},
			rows: { expect: only(AUTHORS), body: (w) => w.questionForm }
		}
	},

	'/(app)/manage/quizzes': { page: { expect: only(AUTHORS) } },
	'/(app)/manage/quizzes/[id]': {
		params: (w) => ({ id: w.quiz }),
		page: { expect: only(AUTHORS) },
		actions: { default: { expect: only(AUTHORS), body: (w) => w.quizForm } }
	},
	'/(app)/manage/quizzes/[id]/overrides': {
		params: (w) => ({ id: w.quiz }),
		page: { expect: only(AUTHORS) },
		actions: {
			save: {
				expect: only(AUTHORS),
				body: (w) => ({
					username: w.victimA.username,
					extraMinutes: '10',
					extraAttempts: '1',
					closeAt: '',
					reason: 'Ốm nằm viện'
				})
			},
			remove: {
				expect: only(AUTHORS),
				once: true,
				body: (w) => ({ username: w.victimA.username, reason: 'Đã khỏi ốm' })
			}
		}
	},
	'/(app)/manage/quizzes/[id]/slots': {
		params: (w) => ({ id: w.quiz }),
		page: { expect: only(AUTHORS) },
		actions: {
			addRandom: {
				expect: only(AUTHORS),
				mayFail: 'the quiz has attempts',
				body: (w) => ({
					categoryId: String(w.demoCategory),
					includeSubcategories: 'on',
					count: '1',
					points: '1'
				})
			},
			addFixed: {
				expect: only(AUTHORS),
				mayFail: 'the quiz has attempts',
				body: (w) => ({ questionId: String(w.demoQuestion), points: '1' })
			},
			update: {
				expect: only(AUTHORS),
				mayFail: 'the quiz has attempts',
				body: () => ({ op: 'up:2' })
			}
		}
	},
	'/(app)/manage/quizzes/[id]/statistics': {
		params: (w) => ({ id: w.quiz }),
		page: { expect: only(AUTHORS) }
	},
	'/(app)/manage/quizzes/new': {
		page: { expect: only(AUTHORS) },
		actions: {
			default: {
				expect: only(AUTHORS),
				body: (w) => ({
					...w.quizForm,
					courseId: String(w.openCourse.id),
					title: 'Bài kiểm tra mới'
				})
			}
		}
	},

	'/(app)/my': { page: { expect: everyone() } },

	// Victim A's practical attempt (in progress, with a file): nobody else gets anything.
	'/(app)/practical/[attemptId]': {
		params: (w) => ({ attemptId: w.victimA.attempts.practical }),
		page: { expect: NOBODY_404 },
		actions: {
			save: { expect: NOBODY_404, body: () => ({ t1: 'Sửa bài người khác', f1: png() }) },
			remove: { expect: NOBODY_404, body: (w) => ({ file: w.victimA.file }) },
			finish: { expect: NOBODY_404, body: () => ({ t1: 'Nộp hộ' }) }
		}
	},
	'/(app)/practical/[attemptId]/save': {
		params: (w) => ({ attemptId: w.victimA.attempts.practical }),
		endpoints: {
			POST: {
				expect: only([], 404, { anonymous: 401 }),
				json: () => ({ slot: 1, seq: 1000, response: { text: 'Sửa bài người khác' } })
			}
		}
	},
	'/(app)/practical/[attemptId]/submit': {
		params: (w) => ({ attemptId: w.victimA.attempts.practical }),
		page: { expect: NOBODY_404 },
		actions: { default: { expect: NOBODY_404 } }
	},

	'/(app)/quizzes/[id]': {
		params: (w) => ({ id: w.openQuiz }),
		page: { expect: everyone() },
		actions: { start: { expect: everyone() } }
	},

	// Everyone lands somewhere: the province, their unit, or their own record.
	'/(app)/reports': {
		page: {
			expect: everyone({
				cadre: 'redirect',
				leader: 'redirect',
				trainer: 'redirect',
				organiser: 'redirect',
				judge: 'redirect',
				admin: 'redirect'
			})
		}
	},
	'/(app)/reports/[code]': {
		params: () => ({ code: 'HU-LY' }),
		page: { expect: only(ORGANISERS) }
	},
	'/(app)/reports/[code]/export': {
		params: () => ({ code: 'HU-LY' }),
		endpoints: { GET: { expect: only(ORGANISERS), query: () => 'format=xlsx' } }
	},
	'/(app)/reports/cadres/[id]': {
		params: (w) => ({ id: w.victimA.id }),
		page: { expect: only(ORGANISERS) }
	},
	'/(app)/units/[code]': {
		params: () => ({ code: 'HU-LY' }),
		page: { expect: only(ORGANISERS) }
	},

	'/(auth)/login': {
		page: {
			expect: {
				...everyone({
					cadre: 'redirect',
					leader: 'redirect',
					trainer: 'redirect',
					organiser: 'redirect',
					judge: 'redirect',
					admin: 'redirect'
				}),
				anonymous: 'allow'
			}
		},
		actions: {
			// An account that does not exist: refused for everyone, no session is made.
			default: {
				expect: { ...everyone(), anonymous: 'allow' },
				mayFail: 'no such account',
				body: () => ({ username: 'khong-ton-tai', password: 'sai' })
			}
		}
	},

	// The demo board is published: everyone may watch it, logged in or not.
	'/board/[slug]': {
		params: (w) => ({ slug: w.competition }),
		page: { expect: { ...everyone(), anonymous: 'allow' } }
	},
	'/board/[slug]/events': {
		params: (w) => ({ slug: w.competition }),
		endpoints: { GET: { expect: { ...everyone(), anonymous: 'allow' }, stream: true } }
	},

	'/e2e/writes': {
		note: 'test support: answers only when HOCTHI_E2E_FIXTURES=1',
		endpoints: { GET: { expect: na(), note: 'test support only' } }
	},

	// Victim A's uploaded file: the organisers (not judges of it) may open it; nobody else.
	'/files/[id]': {
		params: (w) => ({ id: w.victimA.file }),
		endpoints: { GET: { expect: only(ORGANISERS, 404, { anonymous: 404 }) } }
	},
	'/lang': {
		endpoints: {
			POST: {
				expect: { ...everyone(), anonymous: 'allow' },
				body: () => ({ locale: 'vi', redirectTo: '/' })
			}
		}
	},
	'/logout': {
		endpoints: {
			// Logging out ends at the login page.
			POST: { expect: { ...everyone(), anonymous: 'allow' }, ownSession: true, toLogin: true },
			GET: { expect: { ...everyone(), anonymous: 'allow' } }
		}
	},
	'/verify': { page: { expect: { ...everyone(), anonymous: 'allow' } } },
	'/verify/[code]': {
		params: (w) => ({ code: w.certificate }),
		page: { expect: { ...everyone(), anonymous: 'allow' } }
	}
};

function na(): Outcomes {
	return Object.fromEntries(WHO.map((w) => [w, 'n/a'])) as Outcomes;
}
