import pg from 'pg';

async function run(url: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/**
 * Runs `use` with a connection URL to a fresh schema of `url`'s database (its search_path), and
 * drops the schema afterwards: a benchmark on PostgreSQL leaves nothing behind.
 */
export async function withScratchSchema<T>(
  url: string,
  prefix: string,
  use: (schemaUrl: string) => Promise<T>,
): Promise<T> {
  const schema = `${prefix}_${process.pid}`;
  await run(url, `create schema ${schema}`);
  try {
    return await use(`${url}?options=${encodeURIComponent(`-c search_path=${schema}`)}`);
  } finally {
    await run(url, `drop schema if exists ${schema} cascade`);
  }
}
