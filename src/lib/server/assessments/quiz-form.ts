// The quiz settings form: text fields as typed (dates dd/MM/yyyy HH:mm, Vietnam time) to the
// settings parseSettings checks, and settings back to form values.
import type { ReviewFlags, ReviewOptions } from '../db/schema';
import { Invalid, type FieldErrors } from '../errors';
import { formatDateTime, parseDateTime } from '../../format';
import { m } from '../i18n';
import type { QuizSettings } from './quizzes';

export const REVIEW_PHASES = ['during', 'immediately', 'later', 'afterClose'] as const;
export const REVIEW_FLAGS = ['score', 'correctness', 'feedback', 'rightAnswer'] as const;

export const reviewField = (phase: string, flag: string) => `review_${phase}_${flag}`;

export type QuizFormValues = Record<string, string>;

/** Settings as the form shows them. */
export function quizFormValues(s: QuizSettings): QuizFormValues {
	const values: QuizFormValues = {
		title: s.title,
		description: s.description,
		status: s.status,
		openAt: s.openAt ? formatDateTime(s.openAt) : '',
		closeAt: s.closeAt ? formatDateTime(s.closeAt) : '',
		timeLimitMinutes: s.timeLimitMinutes ? String(s.timeLimitMinutes) : '',
		attemptsAllowed: s.attemptsAllowed ? String(s.attemptsAllowed) : '',
		gradingMethod: s.gradingMethod,
		passPercent: String(s.passPercent),
		graceSeconds: String(s.graceSeconds)
	};
	if (s.shuffleQuestions) values.shuffleQuestions = 'on';
	if (s.shuffleChoices) values.shuffleChoices = 'on';
	if (s.requiredForCompletion) values.requiredForCompletion = 'on';
	for (const phase of REVIEW_PHASES)
		for (const flag of REVIEW_FLAGS)
			if (s.reviewOptions[phase][flag]) values[reviewField(phase, flag)] = 'on';
	return values;
}

/** Form values → the input of parseSettings; unreadable numbers and dates are field errors here. */
export function settingsFromForm(values: QuizFormValues): unknown {
	const errors: FieldErrors = {};
	const text = (key: string) => (values[key] ?? '').trim();
	const date = (key: string): Date | null => {
		if (!text(key)) return null;
		const d = parseDateTime(text(key));
		if (!d) errors[key] = m.quiz_datetime_invalid();
		return d;
	};
	const number = (key: string, empty: number | null): number | null => {
		if (!text(key)) return empty;
		const n = Number(text(key).replace(',', '.'));
		if (!Number.isFinite(n)) errors[key] = m.quiz_field_invalid();
		return n;
	};
	const on = (key: string) => values[key] === 'on';
	const reviewOptions = Object.fromEntries(
		REVIEW_PHASES.map((phase) => [
			phase,
			Object.fromEntries(
				REVIEW_FLAGS.map((flag) => [flag, on(reviewField(phase, flag))])
			) as unknown as ReviewFlags
		])
	) as unknown as ReviewOptions;
	const settings = {
		title: text('title'),
		description: values.description ?? '',
		status: text('status') === 'published' ? 'published' : 'draft',
		openAt: date('openAt'),
		closeAt: date('closeAt'),
		timeLimitMinutes: number('timeLimitMinutes', null),
		attemptsAllowed: number('attemptsAllowed', null),
		gradingMethod: text('gradingMethod'),
		passPercent: number('passPercent', 50),
		shuffleQuestions: on('shuffleQuestions'),
		shuffleChoices: on('shuffleChoices'),
		graceSeconds: number('graceSeconds', 0),
		requiredForCompletion: on('requiredForCompletion'),
		reviewOptions
	};
	if (Object.keys(errors).length) throw new Invalid(errors);
	return settings;
}
