// Uploaded files: type checked by content (not by the name or the browser's claim), size
// limited, names cleaned of any path, stored in the database with their pixel size if images.
import { createHash } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { fileTypeFromBuffer } from 'file-type';
import { imageSize } from 'image-size';
import type { Db } from '../db/client';
import { files } from '../db/schema';
import { Invalid } from '../errors';
import { m } from '../i18n';

export const MIB = 1024 * 1024;

export interface FileKind {
	ext: string;
	mime: string;
	image: boolean;
}

const IMAGE_KINDS: FileKind[] = [
	{ ext: 'png', mime: 'image/png', image: true },
	{ ext: 'jpg', mime: 'image/jpeg', image: true },
	{ ext: 'jpeg', mime: 'image/jpeg', image: true },
	{ ext: 'gif', mime: 'image/gif', image: true },
	{ ext: 'webp', mime: 'image/webp', image: true },
	{ ext: 'svg', mime: 'image/svg+xml', image: true }
];

const DOCUMENT_KINDS: FileKind[] = [
	{ ext: 'pdf', mime: 'application/pdf', image: false },
	{
		ext: 'docx',
		mime: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
		image: false
	},
	{
		ext: 'xlsx',
		mime: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
		image: false
	},
	{
		ext: 'pptx',
		mime: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
		image: false
	},
	{ ext: 'doc', mime: 'application/msword', image: false },
	{ ext: 'xls', mime: 'application/vnd.ms-excel', image: false },
	{ ext: 'zip', mime: 'application/zip', image: false },
	{ ext: 'txt', mime: 'text/plain; charset=utf-8', image: false },
	{ ext: 'csv', mime: 'text/csv; charset=utf-8', image: false }
];

/** Network captures (Wireshark's classic format), for practical network tasks. */
const CAPTURE_KINDS: FileKind[] = [
	{ ext: 'pcap', mime: 'application/vnd.tcpdump.pcap', image: false }
];

/** What a competitor may hand in: office documents, PDF, raster images, zip, captures — no SVG or HTML. */
const SUBMISSION_KINDS: FileKind[] = [
	...IMAGE_KINDS.filter((k) => k.ext !== 'svg'),
	...DOCUMENT_KINDS,
	...CAPTURE_KINDS
];

export const UPLOAD_POLICIES = {
	image: { kinds: IMAGE_KINDS, maxBytes: 5 * MIB },
	attachment: { kinds: [...IMAGE_KINDS, ...DOCUMENT_KINDS], maxBytes: 20 * MIB },
	/** A practical task's files (a broken network diagram, a document to fix, a capture). */
	task: { kinds: [...IMAGE_KINDS, ...DOCUMENT_KINDS, ...CAPTURE_KINDS], maxBytes: 20 * MIB },
	/** A competitor's files for one task (each). */
	submission: { kinds: SUBMISSION_KINDS, maxBytes: 10 * MIB }
} as const;
export type UploadPolicy = (typeof UPLOAD_POLICIES)[keyof typeof UPLOAD_POLICIES];

/** 'C:\\fakepath\\../../Sơ đồ mạng.svg' → 'Sơ đồ mạng.svg'. */
export function safeFileName(name: string): string {
	const base = (name.split(/[\\/]/).pop() ?? '')
		// eslint-disable-next-line no-control-regex
		.replace(/[\u0000-\u001f\u007f<>:"|?*]/g, '')
		.replace(/^[.\s]+|[.\s]+$/g, '')
		.normalize('NFC');
	const cleaned = base || 'tep';
	if (cleaned.length <= 150) return cleaned;
	// Shortened, a name keeps its extension: the type check and the download depend on it.
	const dot = cleaned.lastIndexOf('.');
	const ext = dot > 0 && cleaned.length - dot <= 10 ? cleaned.slice(dot) : '';
	return Array.from(cleaned.slice(0, cleaned.length - ext.length))
		.slice(0, 150 - ext.length)
		.join('')
		.replace(/[.\s]+$/, '')
		.concat(ext);
}

function extensionOf(name: string): string {
	const dot = name.lastIndexOf('.');
	return dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
}

/** An SVG shown as an image runs no script, but one opened directly could: refuse active content. */
export function svgIsSafe(text: string): boolean {
	const lower = text.toLowerCase();
	return !/<script|<foreignobject|<iframe|<embed|<object|javascript:|\son[a-z]+\s*=|<!entity|xlink:href\s*=\s*["']https?:|href\s*=\s*["']https?:/.test(
		lower
	);
}

function isUtf8Text(bytes: Uint8Array): boolean {
	try {
		const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
		// eslint-disable-next-line no-control-regex
		return !/[\u0000-\u0008\u000e-\u001f]/.test(text);
	} catch {
		return false;
	}
}

export interface CheckedFile {
	fileName: string;
	kind: FileKind;
	width: number | null;
	height: number | null;
}

/** Checks a file against a policy by what its bytes are; throws Invalid with a clear message. */
export async function checkFile(
	bytes: Uint8Array,
	name: string,
	policy: UploadPolicy,
	field = 'file'
): Promise<CheckedFile> {
	const fileName = safeFileName(name);
	const ext = extensionOf(fileName);
	if (bytes.length === 0) throw new Invalid({ [field]: m.file_empty({ name: fileName }) });
	if (bytes.length > policy.maxBytes)
		throw new Invalid({
			[field]: m.file_too_large({ name: fileName, max: `${Math.round(policy.maxBytes / MIB)} MB` })
		});
	const allowed = policy.kinds.map((k) => k.ext);
	const kind = policy.kinds.find((k) => k.ext === ext);
	if (!kind)
		throw new Invalid({
			[field]: m.file_type_not_allowed({
				name: fileName,
				allowed: [...new Set(allowed)].join(', ')
			})
		});
	const detected = await fileTypeFromBuffer(bytes);
	let matches: boolean;
	if (ext === 'svg') {
		const text = new TextDecoder().decode(bytes.subarray(0, Math.min(bytes.length, 2 * MIB)));
		matches = /<svg[\s>]/i.test(text) && !detected;
		if (matches && !svgIsSafe(text))
			throw new Invalid({ [field]: m.file_svg_unsafe({ name: fileName }) });
	} else if (ext === 'txt' || ext === 'csv') {
		matches = !detected && isUtf8Text(bytes);
	} else if (ext === 'jpg' || ext === 'jpeg') {
		matches = detected?.ext === 'jpg';
	} else if (ext === 'doc' || ext === 'xls') {
		matches = detected?.ext === 'cfb';
	} else {
		matches = detected?.ext === ext;
	}
	if (!matches) throw new Invalid({ [field]: m.file_content_mismatch({ name: fileName, ext }) });
	let width: number | null = null;
	let height: number | null = null;
	if (kind.image) {
		try {
			const size = imageSize(bytes);
			width = size.width ?? null;
			height = size.height ?? null;
		} catch {
			throw new Invalid({ [field]: m.file_content_mismatch({ name: fileName, ext }) });
		}
	}
	return { fileName, kind, width, height };
}

export async function storeFile(
	db: Db,
	input: {
		ownerType: string;
		ownerId: string | number;
		bytes: Uint8Array;
		checked: CheckedFile;
		createdBy: number | null;
		now: Date;
	}
): Promise<{ id: string }> {
	const [row] = await db
		.insert(files)
		.values({
			ownerType: input.ownerType,
			ownerId: String(input.ownerId),
			fileName: input.checked.fileName,
			mimeType: input.checked.kind.mime,
			size: input.bytes.length,
			sha256: createHash('sha256').update(input.bytes).digest('hex'),
			data: input.bytes,
			width: input.checked.width,
			height: input.checked.height,
			createdBy: input.createdBy && input.createdBy > 0 ? input.createdBy : null,
			createdAt: input.now
		})
		.returning({ id: files.id });
	return row;
}

export async function filesOf(db: Db, ownerType: string, ownerId: string | number) {
	return db
		.select({
			id: files.id,
			fileName: files.fileName,
			mimeType: files.mimeType,
			size: files.size,
			width: files.width,
			height: files.height,
			createdAt: files.createdAt
		})
		.from(files)
		.where(and(eq(files.ownerType, ownerType), eq(files.ownerId, String(ownerId))));
}
