// The main navigation, by role: which sections each user sees.
import type { Role } from './roles';

export interface NavUser {
	roles: Role[];
	isLeader: boolean;
}

export type NavKey =
	| 'home'
	| 'courses'
	| 'my'
	| 'reports'
	| 'manageCourses'
	| 'bank'
	| 'quizzes'
	| 'grading'
	| 'competitions'
	| 'manageCompetitions'
	| 'judging'
	| 'admin';

export interface NavItem {
	key: NavKey;
	href: string;
}

const has = (user: NavUser, ...roles: Role[]) => roles.some((r) => user.roles.includes(r));

export function navItems(user: NavUser): NavItem[] {
	const items: NavItem[] = [
		{ key: 'home', href: '/' },
		{ key: 'courses', href: '/courses' },
		{ key: 'my', href: '/my' },
		{ key: 'competitions', href: '/competitions' }
	];
	if (user.isLeader || has(user, 'admin', 'organiser'))
		items.push({ key: 'reports', href: '/reports' });
	if (has(user, 'trainer', 'admin')) {
		items.push(
			{ key: 'manageCourses', href: '/manage/courses' },
			{ key: 'bank', href: '/manage/questions' },
			{ key: 'quizzes', href: '/manage/quizzes' },
			{ key: 'grading', href: '/manage/grading' }
		);
	}
	if (has(user, 'organiser', 'admin'))
		items.push({ key: 'manageCompetitions', href: '/manage/competitions' });
	if (has(user, 'judge')) items.push({ key: 'judging', href: '/judging' });
	if (has(user, 'admin')) items.push({ key: 'admin', href: '/admin' });
	return items;
}
