/**
 * Plain JSON data: the only kind of value that lives in the world, in scenarios and in
 * history records, so that checkpoints, hashes and links are plain serialization.
 */
export type JsonPrimitive = string | number | boolean | null;
export type JsonValue = JsonPrimitive | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };
