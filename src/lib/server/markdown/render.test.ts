import { Parser } from 'htmlparser2';
import { describe, expect, it } from 'vitest';
import { renderMarkdown, renderText, sanitize, toPlainText } from './render';
import { XSS_CORPUS } from './xss-corpus';

interface Element {
	name: string;
	attributes: Record<string, string>;
}

function elements(html: string): Element[] {
	const out: Element[] = [];
	const parser = new Parser(
		{ onopentag: (name, attributes) => out.push({ name, attributes }) },
		{ decodeEntities: true }
	);
	parser.write(html);
	parser.end();
	return out;
}

const FORBIDDEN_TAGS = new Set([
	'script',
	'style',
	'iframe',
	'object',
	'embed',
	'svg',
	'math',
	'form',
	'input',
	'button',
	'link',
	'meta',
	'base',
	'body',
	'frameset',
	'applet',
	'template',
	'textarea',
	'video',
	'audio',
	'source',
	'details',
	'marquee',
	'isindex',
	'xmp',
	'noscript'
]);

/** An element is inert if it is allowed, has no handlers, no style, and only safe URLs. */
function assertInert(html: string): void {
	for (const el of elements(html)) {
		expect(FORBIDDEN_TAGS.has(el.name), `<${el.name}> in ${html}`).toBe(false);
		for (const [name, value] of Object.entries(el.attributes)) {
			expect(name.startsWith('on'), `${name} in ${html}`).toBe(false);
			expect(
				['style', 'srcdoc', 'formaction', 'background', 'xlink:href'].includes(name),
				`${name} in ${html}`
			).toBe(false);
			if (name === 'href' || name === 'src') {
				// Browsers ignore whitespace and control characters inside a scheme.
				const url = [...value]
					.filter((c) => c.charCodeAt(0) > 0x20)
					.join('')
					.toLowerCase();
				expect(/^(javascript|vbscript|data):/.test(url), `${name}=${value}`).toBe(false);
				expect(url.startsWith('//'), `protocol-relative ${value}`).toBe(false);
			}
		}
	}
}

describe('renderMarkdown', () => {
	it('renders headings, tables, code blocks and Vietnamese text', () => {
		const html = renderMarkdown(
			'## Cấu hình VLAN\n\nBảng **địa chỉ**:\n\n| Đơn vị | Mạng |\n|---|---|\n| Huyện ủy Lục Yên | 10.12.0.0/24 |\n\n```cisco\nSwitch(config)# vlan 10\nSwitch(config-vlan)# name VAN-PHONG\n```\n'
		);
		expect(html).toContain('<h2>Cấu hình VLAN</h2>');
		expect(html).toContain('<div class="table-wrap"><table>');
		expect(html).toContain('<td>Huyện ủy Lục Yên</td>');
		expect(html).toContain('<pre><code class="language-cisco">Switch(config)# vlan 10');
	});

	it('makes images lazy and sized through the resolver', () => {
		const html = renderMarkdown('![Sơ đồ mạng](images/so-do.svg)', {
			resolveImage: (src) =>
				src === 'images/so-do.svg' ? { src: '/files/abc', width: 640, height: 360 } : null
		});
		expect(html).toContain(
			'<img src="/files/abc" alt="Sơ đồ mạng" width="640" height="360" loading="lazy" decoding="async" />'
		);
	});

	it('marks external links and resolves attachment links', () => {
		const html = renderMarkdown('[Cổng](https://yenbai.gov.vn) và [mẫu](files/mau.docx)', {
			resolveLink: (href) => (href === 'files/mau.docx' ? '/files/f1' : null)
		});
		expect(html).toContain(
			'href="https://yenbai.gov.vn" rel="noopener noreferrer nofollow" target="_blank"'
		);
		expect(html).toContain('<a href="/files/f1">mẫu</a>');
	});

	it.each(XSS_CORPUS)('renders hostile input inert: %s', (payload) => {
		assertInert(renderMarkdown(payload));
		assertInert(sanitize(payload));
		for (const format of ['markdown', 'html', 'plain', 'moodle'] as const)
			assertInert(renderText(payload, format));
	});

	it('keeps the text of stripped markup readable, and drops script text', () => {
		expect(
			toPlainText(renderMarkdown('<p onclick="x()">Xin chào</p><script>alert(1)</script>'))
		).toBe('Xin chào');
	});

	it('escapes plain and Moodle-format text', () => {
		expect(renderText('a < b\nc', 'plain')).toBe('<p>a &lt; b<br>c</p>');
		expect(renderText('Dòng 1\nDòng 2\n\nĐoạn 2', 'moodle')).toBe(
			'<p>Dòng 1<br>Dòng 2</p><p>Đoạn 2</p>'
		);
	});
});

describe('renderMarkdown with a cacheKey', () => {
	const source = '![Sơ đồ](images/lan.svg)';
	const at = (src: string) => ({ resolveImage: () => ({ src, width: 10, height: 5 }) });

	it('renders once per key and source', () => {
		const first = renderMarkdown(source, { ...at('/files/1'), cacheKey: 'course-a' });
		expect(first).toContain('/files/1');
		// Same key: the memoised HTML, even though these resolvers would answer otherwise.
		expect(renderMarkdown(source, { ...at('/files/2'), cacheKey: 'course-a' })).toBe(first);
	});

	it('a different key or source renders afresh', () => {
		expect(renderMarkdown(source, { ...at('/files/3'), cacheKey: 'course-b' })).toContain(
			'/files/3'
		);
		expect(
			renderMarkdown(`${source}\n\nMới.`, { ...at('/files/4'), cacheKey: 'course-a' })
		).toContain('/files/4');
	});

	it('without a key nothing is memoised', () => {
		expect(renderMarkdown(source, at('/files/5'))).toContain('/files/5');
		expect(renderMarkdown(source, at('/files/6'))).toContain('/files/6');
	});
});
