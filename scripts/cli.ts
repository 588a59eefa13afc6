// `hocthi`: the operator's command line (migrate, seed, units, users, imports, exports, backups).
import { parseArgs } from 'node:util';
import { readConfig, type AppConfig } from '../src/lib/server/app';
import { DataDirBusy } from '../src/lib/server/db/lock';
import { isDatabaseEmpty, seedDemo } from '../src/lib/server/demo/seed';
import { ImportFailed, Invalid, NotFound } from '../src/lib/server/errors';
import { importRoster } from '../src/lib/server/org/roster';
import { listUnits } from '../src/lib/server/org/units';
import { addUser, listUsers, parseRoles } from '../src/lib/server/org/users';
import {
	CLI_ACTOR,
	UsageError,
	defaultIo,
	readTextFile,
	table,
	withDatabase,
	type CommandGroup,
	type Io
} from './cli-lib';

import { backupCommand, restoreCommand } from './commands/backup';
import { reportsCommand } from './commands/reports';
import { coursesCommand } from './commands/courses';
import { resultsCommand } from './commands/results';
import { questionsCommand } from './commands/questions';

/** Command groups of the other domains, each in scripts/commands/<group>.ts. */
const groups: Record<string, CommandGroup> = {
	backup: backupCommand,
	restore: restoreCommand,
	reports: reportsCommand,
	courses: coursesCommand,
	results: resultsCommand,
	questions: questionsCommand
};

const HELP = `hocthi <command>

  migrate                              apply database migrations
  seed [--demo]                        seed the demo data set into an empty database
  units list [--json]                  list units
  users list [--unit CODE] [--json]    list accounts (the unit's subtree with --unit)
  users add <username> --name <full name> [--unit CODE] --role <role>[,<role>] [--leader] [--password-stdin]
  users import <file.csv>              import or update the roster (all or nothing)
  courses import <folder>              import or update a course folder (all or nothing)
  courses list [--json]                list courses
  questions import <file> [--category PATH] [--format gift|aiken] [--dry-run] [--json]
                                       import a GIFT or Aiken file into the question bank (all or nothing)
  questions export [--category PATH] [--out FILE]
                                       write the bank (or a category with its subcategories) as GIFT
  reports progress [--unit CODE] --format xlsx|csv --out FILE
                                       export the progress of a unit's subtree
  results export <slug> --format xlsx|csv --out FILE
                                       export a competition's standings and prizes
  backup <file>                        write a backup of every table (gzip'd JSON lines)
  restore <file> [--yes]               replace all data with a backup (all or nothing)

Environment: DATABASE_URL (PostgreSQL) or DATA_DIR (embedded PGlite, default ./data).`;

export async function run(
	argv: string[],
	io: Io = defaultIo,
	config: AppConfig = readConfig()
): Promise<number> {
	const [command, sub, ...rest] = argv;
	const now = new Date();
	switch (command) {
		case 'migrate':
			await withDatabase(config, async () => {});
			io.out('migrations applied');
			return 0;
		case 'seed': {
			const { values } = parseArgs({ args: argv.slice(1), options: { demo: { type: 'boolean' } } });
			void values;
			return withDatabase(config, async ({ db }) => {
				if (!(await isDatabaseEmpty(db))) {
					io.err(
						'the database is not empty: the demo data set is only seeded into an empty database'
					);
					return 1;
				}
				await seedDemo({ db, now, root: config.root, log: io.out });
				return 0;
			});
		}
		case 'units': {
			if (sub !== 'list') throw new UsageError(`unknown command: units ${sub ?? ''}`);
			const { values } = parseArgs({ args: rest, options: { json: { type: 'boolean' } } });
			return withDatabase(config, async ({ db }) => {
				const units = (await listUnits(db)).sort((a, b) =>
					a.path.localeCompare(b.path, 'en', { numeric: true })
				);
				const parentCode = new Map(units.map((u) => [u.id, u.code]));
				const rows = units.map((u) => ({
					code: u.code,
					name: u.name,
					kind: u.kind,
					parent: u.parentId ? parentCode.get(u.parentId) : null,
					depth: u.depth
				}));
				if (values.json) io.out(JSON.stringify(rows));
				else
					for (const l of table(
						rows.map((r) => ({ ...r, name: '  '.repeat(r.depth) + r.name })),
						['code', 'name', 'kind', 'parent']
					))
						io.out(l);
				return 0;
			});
		}
		case 'users': {
			if (sub === 'list') {
				const { values } = parseArgs({
					args: rest,
					options: { json: { type: 'boolean' }, unit: { type: 'string' } }
				});
				return withDatabase(config, async ({ db }) => {
					const { rows } = await listUsers(db, CLI_ACTOR, {
						unitCode: values.unit,
						limit: 100_000
					});
					const out = rows.map((u) => ({
						username: u.username,
						full_name: u.fullName,
						unit_code: u.unitCode,
						position: u.position,
						roles: u.roles,
						is_leader: u.isLeader,
						active: u.active
					}));
					if (values.json) io.out(JSON.stringify(out));
					else
						for (const l of table(
							out.map((u) => ({ ...u, roles: u.roles.join(';') })),
							['username', 'full_name', 'unit_code', 'position', 'roles', 'is_leader']
						))
							io.out(l);
					return 0;
				});
			}
			if (sub === 'add') {
				const { values, positionals } = parseArgs({
					args: rest,
					allowPositionals: true,
					options: {
						name: { type: 'string' },
						unit: { type: 'string' },
						role: { type: 'string', multiple: true },
						position: { type: 'string' },
						leader: { type: 'boolean' },
						'password-stdin': { type: 'boolean' }
					}
				});
				const username = positionals[0];
				if (!username || !values.name || !values.role?.length)
					throw new UsageError(
						'users add <username> --name <full name> --role <role> [--unit CODE]'
					);
				const roles = parseRoles(values.role.join(','));
				if (!roles)
					throw new UsageError(
						`unknown role in: ${values.role.join(', ')} (cadre, trainer, organiser, judge, admin)`
					);
				const password = values['password-stdin']
					? (await io.readStdin()).replace(/\r?\n$/, '')
					: undefined;
				return withDatabase(config, async ({ db }) => {
					const { id } = await addUser(db, CLI_ACTOR, {
						username,
						fullName: values.name!,
						unitCode: values.unit ?? null,
						position: values.position ?? '',
						roles,
						isLeader: !!values.leader,
						password,
						now
					});
					io.out(
						`added ${username.toLowerCase()} (id ${id})${password ? '' : '; no password yet: set one with --password-stdin or from the admin page'}`
					);
					return 0;
				});
			}
			if (sub === 'import') {
				const file = rest[0];
				if (!file) throw new UsageError('users import <file.csv>');
				const text = readTextFile(file);
				return withDatabase(config, async ({ db }) => {
					const result = await importRoster(db, CLI_ACTOR, { text, fileName: file, now });
					io.out(
						`created ${result.created}, updated ${result.updated}, unchanged ${result.unchanged}`
					);
					if (result.initialPasswords.length) {
						io.out('initial passwords of the new accounts (shown once):');
						io.out('username,full_name,unit_code,password');
						for (const p of result.initialPasswords)
							io.out([p.username, p.fullName, p.unitCode, p.password].join(','));
					}
					return 0;
				});
			}
			throw new UsageError(`unknown command: users ${sub ?? ''}`);
		}
		case undefined:
		case 'help':
		case '--help':
		case '-h':
			io.out(HELP);
			return command ? 0 : 2;
		default: {
			const group = groups[command];
			if (!group) throw new UsageError(`unknown command: ${command}`);
			return group({ sub, args: rest, io, config, now });
		}
	}
}

/** Runs a command and turns known failures into messages and exit codes. */
export async function main(
	argv: string[],
	io: Io = defaultIo,
	config?: AppConfig
): Promise<number> {
	try {
		return await run(argv, io, config);
	} catch (error) {
		if (error instanceof ImportFailed) {
			for (const e of error.errors)
				io.err(`${e.file ?? argv[argv.length - 1]}:${e.line}: ${e.message}`);
			io.err(
				`nothing imported (${error.errors.length} error${error.errors.length === 1 ? '' : 's'})`
			);
			return 1;
		}
		if (error instanceof Invalid) {
			for (const [field, message] of Object.entries(error.fields)) io.err(`${field}: ${message}`);
			return 1;
		}
		if (error instanceof NotFound) {
			io.err(error.message);
			return 1;
		}
		if (error instanceof DataDirBusy) {
			io.err(error.message);
			return 3;
		}
		if (
			error instanceof UsageError ||
			(error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')
		) {
			io.err((error as Error).message);
			io.err(HELP);
			return 2;
		}
		throw error;
	}
}
