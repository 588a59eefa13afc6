// Telling a form failure from a domain result in the authoring actions (narrows the union).
import { isActionFailure, type ActionFailure } from '@sveltejs/kit';
import type { FormFailure } from '$lib/server/http';

export function failed<T>(
	result: T | ActionFailure<FormFailure>
): result is ActionFailure<FormFailure> {
	return isActionFailure(result);
}
