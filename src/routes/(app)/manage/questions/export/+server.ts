import { exportQuestions } from '$lib/server/questions/bank';
import { guard, requireActor } from '$lib/server/http';
import type { RequestHandler } from './$types';

/** The bank, or one category with its subcategories, as a GIFT file to download. */
export const GET: RequestHandler = async (event) => {
	const actor = requireActor(event);
	const categoryId = Number(event.url.searchParams.get('category')) || null;
	const { text } = await guard(() => exportQuestions(event.locals.db, actor, { categoryId }));
	const name = categoryId ? `ngan-hang-cau-hoi-${categoryId}.gift` : 'ngan-hang-cau-hoi.gift';
	return new Response(text, {
		headers: {
			'content-type': 'text/plain; charset=utf-8',
			'content-disposition': `attachment; filename="${name}"`,
			'cache-control': 'no-store'
		}
	});
};
