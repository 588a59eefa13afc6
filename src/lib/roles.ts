// Role names, shared by the server and the UI.
export const ROLES = ['cadre', 'trainer', 'organiser', 'judge', 'admin'] as const;
export type Role = (typeof ROLES)[number];
