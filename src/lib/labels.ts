// Localised labels for domain codes shown in several places.
import { m } from './paraglide/messages';
import type { Role } from './roles';

export function roleLabel(role: Role): string {
	switch (role) {
		case 'cadre':
			return m.role_cadre();
		case 'trainer':
			return m.role_trainer();
		case 'organiser':
			return m.role_organiser();
		case 'judge':
			return m.role_judge();
		case 'admin':
			return m.role_admin();
	}
}
