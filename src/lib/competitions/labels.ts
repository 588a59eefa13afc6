// Labels for competition codes, shared by the organisers' and the competitors' pages (and BOARD's).
import { m } from '$lib/paraglide/messages';

export function statusText(status: string): string {
	switch (status) {
		case 'draft':
			return m.comp_status_draft();
		case 'registration':
			return m.comp_status_registration();
		case 'running':
			return m.comp_status_running();
		default:
			return m.comp_status_finished();
	}
}

export function unitRuleText(rule: string): string {
	switch (rule) {
		case 'best_k':
			return m.comp_rule_best_k();
		case 'mean_registered':
			return m.comp_rule_mean_registered();
		default:
			return m.comp_rule_mean_team();
	}
}

export function unitKindText(kind: string): string {
	switch (kind) {
		case 'province':
			return m.unit_kind_province();
		case 'agency':
			return m.unit_kind_agency();
		case 'district':
			return m.unit_kind_district();
		default:
			return m.unit_kind_commune();
	}
}

export function prizeText(prize: string): string {
	switch (prize) {
		case 'nhat':
			return m.comp_prize_nhat();
		case 'nhi':
			return m.comp_prize_nhi();
		case 'ba':
			return m.comp_prize_ba();
		default:
			return m.comp_prize_kk();
	}
}

export function roundKindText(kind: string): string {
	return kind === 'practical' ? m.comp_kind_practical() : m.comp_kind_theory();
}

export function startModeText(mode: string): string {
	return mode === 'fixed' ? m.comp_mode_fixed() : m.comp_mode_window();
}
