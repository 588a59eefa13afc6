// One process per PGlite data dir: a pid file that the server and the CLI both honour.
import fs from 'node:fs';
import path from 'node:path';

export interface LockInfo {
	pid: number;
	owner: 'server' | 'cli';
	startedAt: string;
}

export class DataDirBusy extends Error {
	constructor(
		readonly dataDir: string,
		readonly holder: LockInfo
	) {
		super(
			`The data directory ${dataDir} is in use by the HọcThi ${holder.owner} (pid ${holder.pid}, since ${holder.startedAt}). ` +
				`Embedded PGlite allows one process at a time: stop that process first, or use PostgreSQL (DATABASE_URL) to run several.`
		);
		this.name = 'DataDirBusy';
	}
}

function isAlive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		return (error as NodeJS.ErrnoException).code === 'EPERM';
	}
}

export function lockFilePath(dataDir: string): string {
	return path.join(dataDir, 'hocthi.lock');
}

/** Takes the lock or throws DataDirBusy; a lock left by a dead process is taken over. */
export function acquireDataDirLock(dataDir: string, owner: LockInfo['owner']): () => void {
	fs.mkdirSync(dataDir, { recursive: true });
	const file = lockFilePath(dataDir);
	const info: LockInfo = { pid: process.pid, owner, startedAt: new Date().toISOString() };
	for (let tries = 0; tries < 3; tries++) {
		try {
			fs.writeFileSync(file, JSON.stringify(info), { flag: 'wx' });
			let released = false;
			const release = () => {
				if (released) return;
				released = true;
				try {
					const current = JSON.parse(fs.readFileSync(file, 'utf8')) as LockInfo;
					if (current.pid === process.pid) fs.unlinkSync(file);
				} catch {
					// already gone
				}
			};
			process.once('exit', release);
			return release;
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
			let holder: LockInfo | undefined;
			try {
				holder = JSON.parse(fs.readFileSync(file, 'utf8')) as LockInfo;
			} catch {
				holder = undefined;
			}
			if (holder && holder.pid !== process.pid && isAlive(holder.pid)) {
				throw new DataDirBusy(dataDir, holder);
			}
			fs.rmSync(file, { force: true });
		}
	}
	throw new Error(`Could not lock ${dataDir}`);
}
