// The benchmark's output: a Markdown table for people and a JSON file for machines.
export interface ScenarioResult {
	name: string;
	target: string;
	measured: string;
	pass: boolean | null;
	data: Record<string, unknown>;
}

export interface DriverReport {
	driver: string;
	results: ScenarioResult[];
}

export function markdown(reports: DriverReport[], machine: string): string {
	const lines = [`HọcThi benchmark — ${machine}`, ''];
	for (const report of reports) {
		lines.push(
			`### ${report.driver}`,
			'',
			'| scenario | target | measured | met |',
			'| --- | --- | --- | --- |'
		);
		for (const r of report.results) {
			lines.push(
				`| ${r.name} | ${r.target} | ${r.measured} | ${r.pass === null ? '—' : r.pass ? 'yes' : '**no**'} |`
			);
		}
		lines.push('');
	}
	return lines.join('\n');
}
