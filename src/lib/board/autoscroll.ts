// Turns the pages of a long list on a projector: every few seconds it scrolls by most of a
// screenful, waits at the end, then starts again from the top. Respects reduced motion.
export function autoscroll(node: HTMLElement, seconds = 8) {
	const reduced = window.matchMedia('(prefers-reduced-motion: reduce)').matches;
	let atEnd = false;
	const turn = () => {
		const max = node.scrollHeight - node.clientHeight;
		if (max <= 2) return;
		const behavior: ScrollBehavior = reduced ? 'auto' : 'smooth';
		if (atEnd) {
			atEnd = false;
			node.scrollTo({ top: 0, behavior });
			return;
		}
		const next = Math.min(max, node.scrollTop + node.clientHeight * 0.85);
		node.scrollTo({ top: next, behavior });
		if (next >= max - 2) atEnd = true;
	};
	let timer = setInterval(turn, seconds * 1000);
	return {
		update(next: number) {
			clearInterval(timer);
			timer = setInterval(turn, next * 1000);
		},
		destroy() {
			clearInterval(timer);
		}
	};
}
