/**
 * Defensive readers of the raw config document, for the cross-field checks: they run on what the user wrote,
 * also when the schema has found problems, so nothing may be assumed to have its type.
 */
export type Raw = Record<string, unknown>;

export const isObject = (value: unknown): value is Raw => typeof value === 'object' && value !== null && !Array.isArray(value);
export const asArray = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
export const asString = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
