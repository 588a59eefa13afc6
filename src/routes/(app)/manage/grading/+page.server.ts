import { markingGroups } from '$lib/server/assessments/marking';
import { guard, requireActor } from '$lib/server/http';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const actor = requireActor(event);
	const quiz = Number(event.url.searchParams.get('quiz')) || null;
	const groups = await guard(() => markingGroups(event.locals.db, actor));
	return { quiz, groups: quiz ? groups.filter((g) => g.assessmentId === quiz) : groups };
};
