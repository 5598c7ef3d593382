/** berth's own version (the Engine API version is in api/api-version.ts). */
export const BERTH_VERSION = '0.1.0';
