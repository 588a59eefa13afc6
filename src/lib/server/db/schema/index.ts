// The one Drizzle schema, split by domain.
export * from './org';
export * from './auth';
export * from './audit';
export * from './settings';
export * from './files';
export * from './certificates';
export * from './courses';
export * from './questions';
export * from './assessments';
export * from './competitions';
