// A lesson is reading: the page is whole on the server and needs no script (its one form posts as
// a plain form). No hydration data either, so the lesson's HTML is sent once, not twice — half the
// bytes on a commune link, and a third less server time per page (npm run bench). The service
// worker still keeps lesson pages for offline reading: every other page registers it.
export const csr = false;
