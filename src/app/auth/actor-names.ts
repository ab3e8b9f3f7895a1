import type { Executor } from '../../store/write.js';

/**
 * What to call whoever acted, as a reader expects: a person by display name, an API key by its
 * name; an actor that is neither (the demo's seed, a job) by what the audit log calls it.
 */
export async function actorNames(
  executor: Executor,
  actors: readonly string[],
): Promise<Map<string, string>> {
  const ids = (kind: string) => [
    ...new Set(actors.filter((a) => a.startsWith(`${kind}:`)).map((a) => a.slice(kind.length + 1))),
  ];
  const users = ids('user');
  const keys = ids('api_key');
  const names = new Map(actors.map((a) => [a, a]));
  if (users.length > 0)
    for (const u of await executor
      .selectFrom('users')
      .select(['id', 'display_name'])
      .where('id', 'in', users)
      .execute())
      names.set(`user:${u.id}`, u.display_name);
  if (keys.length > 0)
    for (const k of await executor
      .selectFrom('api_keys')
      .select(['id', 'name'])
      .where('id', 'in', keys)
      .execute())
      names.set(`api_key:${k.id}`, k.name);
  return names;
}
