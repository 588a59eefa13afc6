// See https://svelte.dev/docs/kit/types#app.d.ts
import type { Actor } from '$lib/server/auth/actor';
import type { Db } from '$lib/server/db/client';

declare global {
	namespace App {
		interface Error {
			message: string;
			/** Quote this id to the administrators: it is in the server log. */
			id?: string;
		}
		interface Locals {
			db: Db;
			actor: Actor | null;
			sessionToken: string | null;
		}
		// interface PageData {}
		// interface PageState {}
		// interface Platform {}
	}
}

export {};
