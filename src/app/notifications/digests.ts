import type { Role } from '../../core/access/roles.js';
import { EMAIL_ADDRESS } from '../../core/email-address.js';
import { DomainError } from '../../core/errors.js';
import { type DigestLanguage, digestMail, type WaitingItems } from '../../core/notifications/digest.js';
import { appendAudit } from '../../store/audit.js';
import { actorName, type Principal, personOf } from '../auth/principal.js';
import type { Mailer } from '../collections/mailer.js';
import type { Services } from '../services.js';
import { notificationsFor } from './notifications.js';

export interface NotificationSettingsInput {
  readonly email?: string | null;
  readonly language?: string;
  readonly dailyDigest?: boolean;
  /** An e-mail as things arrive (within a minute or so), besides or instead of the digest. */
  readonly immediate?: boolean;
}

const LANGUAGES: readonly DigestLanguage[] = ['en', 'zh-CN'];

async function settingsRow(services: Services, userId: string) {
  return services.store.db
    .selectFrom('notification_settings')
    .selectAll()
    .where('user_id', '=', userId)
    .executeTakeFirst();
}

/** The caller's e-mail settings (none yet: no address, English, no digest, no e-mail as things arrive). */
export async function notificationSettings(services: Services, principal: Principal) {
  const row = await settingsRow(services, personOf(principal, 'notification e-mail settings'));
  return {
    email: row?.email ?? null,
    language: (row?.language ?? 'en') as DigestLanguage,
    dailyDigest: row?.daily_digest === 1,
    immediate: row?.immediate === 1,
  };
}

/** Sets the caller's e-mail, language and daily digest; a digest needs an address. Audited. */
export async function setNotificationSettings(
  services: Services,
  principal: Principal,
  input: NotificationSettingsInput,
) {
  const userId = personOf(principal, 'notification e-mail settings');
  const before = await notificationSettings(services, principal);
  const email = input.email === undefined ? before.email : input.email?.trim() || null;
  if (email !== null && (email.length > 254 || !EMAIL_ADDRESS.test(email)))
    throw new DomainError('invalid_email', 'email must be an e-mail address', 'email');
  const language = input.language ?? before.language;
  if (!LANGUAGES.includes(language as DigestLanguage))
    throw new DomainError('invalid_language', `language must be one of ${LANGUAGES.join(', ')}`, 'language');
  const dailyDigest = input.dailyDigest ?? before.dailyDigest;
  if (dailyDigest && email === null)
    throw new DomainError('invalid_setting', 'a daily digest needs an e-mail address', 'email');
  const immediate = input.immediate ?? before.immediate;
  if (immediate && email === null)
    throw new DomainError('invalid_setting', 'e-mails as things arrive need an e-mail address', 'email');
  const after = { email, language: language as DigestLanguage, dailyDigest, immediate };
  const now = services.clock.now().toISOString();
  const row = {
    email,
    language,
    daily_digest: dailyDigest ? 1 : 0,
    immediate: immediate ? 1 : 0,
    // Switched on now: what already waited is the digest's and the bell's, not news.
    ...(immediate && !before.immediate ? { mailed_until: now } : {}),
    updated_at: now,
  };
  await services.store.db.transaction().execute(async (trx) => {
    await trx
      .insertInto('notification_settings')
      .values({ user_id: userId, ...row })
      .onConflict((oc) => oc.column('user_id').doUpdateSet(row))
      .execute();
    await appendAudit(trx, actorName(principal), now, [
      { action: 'notification_settings.changed', entityType: 'user', entityId: userId, before, after },
    ]);
  });
  return after;
}

interface Recipient {
  readonly id: string;
  readonly display_name: string;
  readonly role: string;
  readonly sales_owner: string | null;
  readonly email: string | null;
  readonly language: string;
}

/**
 * Mails each person what waits for them (`compose` from their notifications; null: nothing to
 * send), then `record`s it. One bad address or a refusing server does not keep the others back.
 */
async function mailEach(
  services: Services,
  mailer: Mailer,
  people: readonly Recipient[],
  newSince: (person: Recipient) => string | undefined,
  compose: (items: WaitingItems[], person: Recipient) => { subject: string; text: string } | null,
  record: (person: Recipient, messageId: string, items: WaitingItems[]) => Promise<void>,
) {
  let sent = 0;
  let nothingWaiting = 0;
  const failed: { userId: string; error: string }[] = [];
  for (const person of people) {
    const principal: Principal = {
      kind: 'user',
      id: person.id,
      role: person.role as Role,
      salesOwner: person.sales_owner,
    };
    const { items } = await notificationsFor(services, principal, newSince(person));
    const mail = compose(items, person);
    if (!mail) {
      nothingWaiting++;
      continue;
    }
    try {
      await record(person, await mailer.send({ to: person.email as string, ...mail }), items);
      sent++;
    } catch (error) {
      failed.push({ userId: person.id, error: (error as Error).message });
    }
  }
  return { sent, nothingWaiting, failed };
}

const recipients = (services: Services) =>
  services.store.db
    .selectFrom('notification_settings as s')
    .innerJoin('users as u', 'u.id', 's.user_id')
    .select(['u.id', 'u.display_name', 'u.role', 'u.sales_owner', 's.email', 's.language', 's.mailed_until'])
    .where('s.email', 'is not', null)
    .where('u.disabled_at', 'is', null)
    .orderBy('u.id');

/**
 * The daily digest (I4): to everyone who asked for it, what waits for them this morning — the same
 * items as the bell, by e-mail in their language, with links into the dashboard. One a person a
 * day: a second run the same day (a retry, another server) sends nothing twice; a person with
 * nothing waiting gets nothing.
 */
export async function sendDailyDigests(services: Services, mailer: Mailer, dashboardUrl: string) {
  const { db } = services.store;
  const today = services.clock.today();
  const people = await recipients(services)
    .leftJoin('notification_digests as d', (join) =>
      join.onRef('d.user_id', '=', 's.user_id').on('d.sent_on', '=', today),
    )
    .where('s.daily_digest', '=', 1)
    .where('d.user_id', 'is', null)
    .execute();
  return mailEach(
    services,
    mailer,
    people,
    () => undefined,
    (items, person) =>
      digestMail(
        items,
        { name: person.display_name, language: person.language as DigestLanguage },
        dashboardUrl,
      ),
    async (person, messageId, items) => {
      await db
        .insertInto('notification_digests')
        .values({
          user_id: person.id,
          sent_on: today,
          email: person.email as string,
          message_id: messageId,
          items_json: JSON.stringify(items),
          sent_at: services.clock.now().toISOString(),
        })
        .execute();
    },
  );
}

/**
 * E-mails as things arrive (I4): to everyone who asked, what came for them since the last such
 * e-mail — a limit request to decide, an order held, an alert for their role, their own order
 * decided, a customer's promise broken — one e-mail a person a run (the job runs every minute),
 * nothing when nothing is new. What was mailed moves the person's mark, so nothing is said twice.
 */
export async function sendArrivalNotices(services: Services, mailer: Mailer, dashboardUrl: string) {
  const { db } = services.store;
  // Marked up to the moment the run looked: anything later is the next run's.
  const now = services.clock.now().toISOString();
  const people = await recipients(services).where('s.immediate', '=', 1).execute();
  const marks = new Map(people.map((p) => [p.id, p.mailed_until ?? now]));
  return mailEach(
    services,
    mailer,
    people,
    (person) => marks.get(person.id),
    (items, person) =>
      digestMail(
        items,
        { name: person.display_name, language: person.language as DigestLanguage },
        dashboardUrl,
        'arrived',
      ),
    async (person) => {
      await db
        .updateTable('notification_settings')
        .set({ mailed_until: now })
        .where('user_id', '=', person.id)
        .execute();
    },
  );
}
