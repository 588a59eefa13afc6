// How a revision's note reads: the course-folder import records 'import'.
import { m } from '$lib/paraglide/messages';

export function revisionNote(note: string | null): string {
	if (note === 'import') return m.author_note_import();
	return note ?? '';
}
