// The one renderer for authored text (lessons, course descriptions, questions, task statements):
// Markdown through marked, then sanitize-html, so author HTML never reaches a page unsanitised.
import { createHash } from 'node:crypto';
import { Marked, type Tokens } from 'marked';
import sanitizeHtml from 'sanitize-html';
import type { TextFormat } from '../questions/types';

export interface ImageInfo {
	src: string;
	width?: number | null;
	height?: number | null;
}

export interface RenderOptions {
	/** Maps an image reference in the source (e.g. 'images/lan.svg') to its served URL and size. */
	resolveImage?: (src: string) => ImageInfo | null;
	/** Maps a link target (e.g. 'files/mau.docx') to its served URL; others are kept as written. */
	resolveLink?: (href: string) => string | null;
	/**
	 * Names everything the resolvers above depend on (e.g. the course's files with their sizes).
	 * When set, the output is memoised by this key and the source: a lesson is rendered once, not
	 * on every view.
	 */
	cacheKey?: string;
}

const SANITIZE: sanitizeHtml.IOptions = {
	allowedTags: [
		'h1',
		'h2',
		'h3',
		'h4',
		'h5',
		'h6',
		'p',
		'br',
		'hr',
		'blockquote',
		'pre',
		'code',
		'kbd',
		'samp',
		'em',
		'strong',
		'del',
		's',
		'sub',
		'sup',
		'mark',
		'ul',
		'ol',
		'li',
		'dl',
		'dt',
		'dd',
		'a',
		'img',
		'figure',
		'figcaption',
		'table',
		'thead',
		'tbody',
		'tfoot',
		'tr',
		'th',
		'td',
		'caption',
		'span',
		'div'
	],
	allowedAttributes: {
		a: ['href', 'title', 'rel', 'target', 'download'],
		img: ['src', 'alt', 'title', 'width', 'height', 'loading', 'decoding'],
		code: ['class'],
		pre: ['class'],
		span: ['class'],
		div: ['class'],
		th: ['align', 'scope', 'colspan', 'rowspan'],
		td: ['align', 'colspan', 'rowspan'],
		ol: ['start']
	},
	allowedClasses: {
		code: [/^language-[a-z0-9+-]+$/],
		pre: [/^language-[a-z0-9+-]+$/],
		span: ['blank'],
		div: ['table-wrap']
	},
	allowedSchemes: ['http', 'https', 'mailto'],
	allowedSchemesByTag: { img: ['http', 'https'] },
	allowedSchemesAppliedToAttributes: ['href', 'src'],
	allowProtocolRelative: false,
	disallowedTagsMode: 'discard',
	// Text inside <script>, <style>, <textarea>… is dropped, not shown.
	nonTextTags: [
		'script',
		'style',
		'textarea',
		'option',
		'noscript',
		'title',
		'iframe',
		'object',
		'svg',
		'math'
	],
	transformTags: {
		a: (tagName, attribs) => {
			const external = /^https?:\/\//i.test(attribs.href ?? '');
			return {
				tagName,
				attribs: external
					? { ...attribs, rel: 'noopener noreferrer nofollow', target: '_blank' }
					: attribs
			};
		}
	}
};

function escapeHtml(text: string): string {
	return text.replace(
		/[&<>"']/g,
		(c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!
	);
}

function makeMarked(options: RenderOptions): Marked {
	const marked = new Marked({ gfm: true, breaks: false, async: false });
	marked.use({
		renderer: {
			image({ href, title, text }: Tokens.Image): string {
				const info = options.resolveImage?.(href) ?? { src: href };
				const size =
					info.width && info.height ? ` width="${info.width}" height="${info.height}"` : '';
				const titleAttr = title ? ` title="${escapeHtml(title)}"` : '';
				// Lazy and sized: nothing downloads before it scrolls near, and nothing jumps when it does.
				return `<img src="${escapeHtml(info.src)}" alt="${escapeHtml(text)}"${titleAttr}${size} loading="lazy" decoding="async">`;
			},
			link({ href, title, tokens }: Tokens.Link): string {
				const target = options.resolveLink?.(href) ?? href;
				const inner = this.parser.parseInline(tokens);
				const titleAttr = title ? ` title="${escapeHtml(title)}"` : '';
				return `<a href="${escapeHtml(target)}"${titleAttr}>${inner}</a>`;
			},
			table(token: Tokens.Table): string {
				// Wide tables scroll inside their box instead of widening the page on a phone.
				const header = token.header.map((cell) => this.tablecell(cell)).join('');
				const body = token.rows
					.map((row) => `<tr>${row.map((cell) => this.tablecell(cell)).join('')}</tr>`)
					.join('');
				return `<div class="table-wrap"><table><thead><tr>${header}</tr></thead><tbody>${body}</tbody></table></div>`;
			}
		}
	});
	return marked;
}

/** Rendered HTML by hash of (cacheKey, source), least recently used first. */
const rendered = new Map<string, string>();
const RENDERED_MAX = 200;

/** Renders Markdown to safe HTML (memoised when the options carry a cacheKey). */
export function renderMarkdown(source: string, options: RenderOptions = {}): string {
	if (options.cacheKey === undefined) return render(source, options);
	const id = createHash('sha256')
		.update(options.cacheKey)
		.update('\0')
		.update(source)
		.digest('base64');
	const hit = rendered.get(id);
	if (hit !== undefined) {
		rendered.delete(id);
		rendered.set(id, hit);
		return hit;
	}
	const html = render(source, options);
	rendered.set(id, html);
	if (rendered.size > RENDERED_MAX) rendered.delete(rendered.keys().next().value!);
	return html;
}

function render(source: string, options: RenderOptions): string {
	const html = makeMarked(options).parse(source) as string;
	return sanitizeHtml(html, SANITIZE);
}

/** Sanitises author-supplied HTML with the same rules. */
export function sanitize(html: string): string {
	return sanitizeHtml(html, SANITIZE);
}

/**
 * Renders question or feedback text in its GIFT format: markdown and html are sanitised,
 * plain is escaped, and Moodle's auto-format keeps line breaks.
 */
export function renderText(text: string, format: TextFormat, options: RenderOptions = {}): string {
	switch (format) {
		case 'markdown':
			return renderMarkdown(text, options);
		case 'html':
			return sanitize(text);
		case 'plain':
			return `<p>${escapeHtml(text).replace(/\n/g, '<br>')}</p>`;
		case 'moodle':
			return text
				.split(/\n{2,}/)
				.map((para) => `<p>${escapeHtml(para).replace(/\n/g, '<br>')}</p>`)
				.join('');
	}
}

/** Plain text of rendered HTML, for titles, search and exports. */
export function toPlainText(html: string): string {
	return sanitizeHtml(html, { allowedTags: [], allowedAttributes: {} }).replace(/\s+/g, ' ').trim();
}
