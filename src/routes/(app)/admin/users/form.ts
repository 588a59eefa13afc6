// Reads the account form (shared by the create and edit actions).
import type { Role } from '$lib/server/db/schema';
import type { UserInput } from '$lib/server/org/users';
import { ROLES } from '$lib/roles';

export function readUserForm(data: FormData): {
	input: UserInput;
	values: Record<string, unknown>;
} {
	const text = (key: string) => String(data.get(key) ?? '');
	const roles = data
		.getAll('roles')
		.map(String)
		.filter((r): r is Role => (ROLES as readonly string[]).includes(r));
	const input: UserInput = {
		username: text('username'),
		fullName: text('fullName'),
		unitCode: text('unitCode') || null,
		position: text('position'),
		roles,
		isLeader: data.get('isLeader') === 'on',
		active: data.get('active') === 'on'
	};
	return { input, values: { ...input, unitCode: input.unitCode ?? '' } };
}
