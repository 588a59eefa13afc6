import fc from 'fast-check';
import { Parser } from 'htmlparser2';
import { describe, expect, it } from 'vitest';
import { renderMarkdown, renderText } from './render';

const dangerous = [
	'<script>',
	'<img src=x onerror=alert(1)>',
	'javascript:',
	'<svg onload=x>',
	'<iframe>',
	'"><',
	'](javascript:alert(1))',
	'<a href="',
	'data:text/html,',
	'<style>',
	'\u0000'
];

function inert(html: string): boolean {
	let ok = true;
	const parser = new Parser({
		onopentag(name, attributes) {
			if (['script', 'iframe', 'svg', 'style', 'object', 'embed', 'math', 'form'].includes(name))
				ok = false;
			for (const [key, value] of Object.entries(attributes)) {
				if (key.startsWith('on') || key === 'style') ok = false;
				if ((key === 'href' || key === 'src') && /^\s*(javascript|vbscript|data):/i.test(value))
					ok = false;
			}
		}
	});
	parser.write(html);
	parser.end();
	return ok;
}

describe('renderer under random input', () => {
	it('never throws and always produces inert HTML', () => {
		const piece = fc.oneof(
			fc.string(),
			fc.constantFrom(...dangerous),
			fc.constantFrom('# ', '![a](', '[b](', ')', '`', '```\n', '| a |\n|---|\n', '> ', '\n\n')
		);
		fc.assert(
			fc.property(fc.array(piece, { maxLength: 20 }), (parts) => {
				const source = parts.join('');
				expect(inert(renderMarkdown(source))).toBe(true);
				expect(inert(renderText(source, 'html'))).toBe(true);
			}),
			{ numRuns: 1000 }
		);
	});
});
