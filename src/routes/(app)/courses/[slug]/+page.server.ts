import { coursePage } from '$lib/server/courses/learning';
import { guard, requireActor } from '$lib/server/http';
import { courseCertificateCode } from '$lib/server/reports/certificates';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const actor = requireActor(event);
	const db = event.locals.db;
	const course = await guard(() => coursePage(db, actor, { slug: event.params.slug }));
	return {
		course,
		certificate: course.completedAt
			? await courseCertificateCode(db, actor, { courseId: course.id })
			: null
	};
};
