// Path normalization, project root, bounded directory walks: the file-system side of the guard.
export { caseInsensitive, isRegularFile, lexicalPath, lookupKind, MAX_LINK_HOPS, newLookupCache, normalizePath, normalizeTarget, stillHolds, type LookupCache } from './paths/normalize.js';
export type { PathEnv, PathFs } from './paths/normalize.js';
export { displayPath, findProjectRoot, findProjectRoots } from './paths/project.js';
export type { ProjectRoots } from './paths/project.js';
export { isDirectory, walkBeneath } from './paths/walk.js';
export type { WalkResult } from './paths/walk.js';
