import { describe, expect, it } from 'vitest';
import { ServerClock } from './clock';

describe('the attempt clock', () => {
	it('follows the server’s time, not the local one', () => {
		let local = Date.parse('2012-09-20T08:00:00Z');
		const clock = new ServerClock(() => local);
		// The cadre's computer is 7 minutes fast.
		clock.sync('2012-09-20T07:53:00Z');
		const deadline = '2012-09-20T08:13:00Z';
		expect(clock.remaining(deadline)).toBe(20 * 60_000);
		local += 1000;
		expect(clock.remaining(deadline)).toBe(20 * 60_000 - 1000);
	});

	it('is right after a long gap without ticks (a tab in the background)', () => {
		let local = 1_000_000;
		const clock = new ServerClock(() => local);
		clock.sync(new Date(5_000_000));
		const deadline = 5_000_000 + 15 * 60_000;
		// Ten minutes pass with no timer firing at all; one look is enough.
		local += 10 * 60_000;
		expect(clock.remaining(deadline)).toBe(5 * 60_000);
		local += 6 * 60_000;
		expect(clock.remaining(deadline)).toBe(0);
		expect(clock.remaining(null)).toBeNull();
	});

	it('takes the middle of a round trip when the send time is known', () => {
		let local = 10_000;
		const clock = new ServerClock(() => local);
		const sentAt = local;
		local += 400; // the reply took 400 ms there and back
		clock.sync(new Date(50_000), sentAt);
		// The server's 50 000 is taken to be local 10 200: now (10 400) is server 50 200.
		expect(clock.now()).toBe(50_200);
	});
});
