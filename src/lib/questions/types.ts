// The question model shared by the bank, the file formats, grading and the attempt engine.

export const QUESTION_TYPES = [
	'single',
	'multiple',
	'truefalse',
	'shortanswer',
	'numerical',
	'matching',
	'essay',
	'description'
] as const;
export type QuestionType = (typeof QUESTION_TYPES)[number];
export type TextFormat = 'moodle' | 'markdown' | 'html' | 'plain';

/** fraction in [-1, 1]; 1 = 100 %. */
export interface Choice {
	text: string;
	fraction: number;
	feedback: string | null;
}
/** {#1..5} → value 3, tolerance 2; value null is Moodle's '*': any other answer (wrong-answer feedback). */
export interface NumericalAnswer {
	value: number | null;
	tolerance: number;
	fraction: number;
	feedback: string | null;
}
/** prompt '' = a distractor answer. */
export interface MatchPair {
	prompt: string;
	answer: string;
}

export type QuestionData =
	| { type: 'single'; choices: Choice[] }
	| { type: 'multiple'; choices: Choice[] }
	| {
			type: 'truefalse';
			answer: boolean;
			feedbackWrong: string | null;
			feedbackRight: string | null;
	  }
	| { type: 'shortanswer'; answers: Choice[]; caseSensitive: boolean }
	| { type: 'numerical'; answers: NumericalAnswer[] }
	| { type: 'matching'; pairs: MatchPair[] }
	| { type: 'essay' }
	| { type: 'description' };

/** What the bank stores per question version. */
export interface QuestionContent {
	type: QuestionType;
	name: string;
	stem: string;
	format: TextFormat;
	generalFeedback: string | null;
	data: QuestionData;
}

export interface ParsedQuestion extends QuestionContent {
	/** 1-based line where the question starts in the file. */
	line: number;
	/** From the last $CATEGORY: line, split on '/', trimmed. */
	category: string[] | null;
	/** From // [id:...] */
	idNumber: string | null;
	/** From // [tag:...] */
	tags: string[];
	/** From a tag: de|easy → 1, trung-binh|medium → 2, kho|hard → 3. */
	difficulty: 1 | 2 | 3 | null;
}

/** What a learner submits per question (choice indexes refer to data order). */
export type Response =
	| { type: 'single'; choice: number | null }
	| { type: 'multiple'; choices: number[] }
	| { type: 'truefalse'; answer: boolean | null }
	| { type: 'shortanswer'; text: string }
	| { type: 'numerical'; text: string }
	| { type: 'matching'; answers: Record<number, string | null> }
	| { type: 'essay'; text: string };

export interface Grade {
	fraction: number | null;
	state: 'correct' | 'partial' | 'incorrect' | 'unanswered' | 'needs_grading';
	feedback: string[];
}
