// The prizes of a competition, in order: giải Nhất, Nhì, Ba, Khuyến khích. One list for the
// schema, the server and the pages (which may not import server modules).
export const PRIZES = ['nhat', 'nhi', 'ba', 'kk'] as const;
export type Prize = (typeof PRIZES)[number];
