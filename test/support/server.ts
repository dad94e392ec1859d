/** Helpers for the real PostgreSQL server named by DATABASE_URL. */
import postgres from 'postgres';

/** Every database a test run creates starts with this, so leftovers are recognisable. */
export const RUN_PREFIX = `acsched_${process.pid}`;

/** DATABASE_URL with its database name replaced. */
export function databaseUrlFor(database: string): string {
  const url = new URL(process.env.DATABASE_URL!);
  url.pathname = `/${database}`;
  return url.toString();
}

export async function dropDatabase(name: string): Promise<void> {
  const admin = postgres(process.env.DATABASE_URL!, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}

/** A new database copied from the migrated template. */
export async function createDatabaseFromTemplate(template: string): Promise<string> {
  const name = `${template.replace(/_tpl_.*$/, '')}_${Math.random().toString(36).slice(2, 10)}`;
  const admin = postgres(process.env.DATABASE_URL!, { max: 1, onnotice: () => {} });
  try {
    // Copies from one template can collide when they start at the same instant; retry briefly.
    for (let attempt = 0; ; attempt++) {
      try {
        await admin.unsafe(`CREATE DATABASE "${name}" TEMPLATE "${template}"`);
        return name;
      } catch (error) {
        if (attempt >= 20) throw error;
        await new Promise((resolve) => setTimeout(resolve, 100 + Math.random() * 200));
      }
    }
  } finally {
    await admin.end();
  }
}
