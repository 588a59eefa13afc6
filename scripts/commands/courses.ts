// `hocthi courses import <folder>` and `hocthi courses list [--json]`.
import { asc } from 'drizzle-orm';
import { courses } from '../../src/lib/server/db/schema';
import { importCourseFolder } from '../../src/lib/server/courses/import';
import { CLI_ACTOR, UsageError, table, withDatabase, type CommandContext } from '../cli-lib';

export async function coursesCommand({
	sub,
	args,
	io,
	config,
	now
}: CommandContext): Promise<number> {
	if (sub === 'import') {
		const dir = args[0];
		if (!dir) throw new UsageError('courses import <folder>');
		return withDatabase(config, async ({ db }) => {
			const r = await importCourseFolder(db, CLI_ACTOR, { dir, now });
			io.out(
				`${r.created ? 'imported' : 'updated'} ${r.slug} ("${r.title}"): lessons ${r.lessons.created} new, ${r.lessons.updated} changed, ${r.lessons.unchanged} unchanged, ${r.lessons.removed} removed; ${r.assets} files; questions ${r.questions ? `${r.questions.created} new, ${r.questions.updated} changed, ${r.questions.unchanged} unchanged` : 'none'}`
			);
			return 0;
		});
	}
	if (sub === 'list') {
		return withDatabase(config, async ({ db }) => {
			const rows = (await db.select().from(courses).orderBy(asc(courses.slug))).map((c) => ({
				slug: c.slug,
				title: c.title,
				status: c.status,
				audience: c.audience
			}));
			if (args.includes('--json')) io.out(JSON.stringify(rows));
			else for (const line of table(rows, ['slug', 'title', 'status', 'audience'])) io.out(line);
			return 0;
		});
	}
	throw new UsageError(`unknown command: courses ${sub ?? ''}`);
}
