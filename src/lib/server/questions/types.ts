// The question model lives in $lib/questions/types (shared with the browser); re-exported here for server code.
export * from '../../questions/types';
