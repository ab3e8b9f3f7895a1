import type { Role } from '../../core/access/roles.js';
import { EMAIL_ADDRESS } from '../../core/email-address.js';
import { DomainError } from '../../core/errors.js';
import { type DigestLanguage, digestMail } from '../../core/notifications/digest.js';
import { appendAudit } from '../../store/audit.js';
import { actorName, type Principal, personOf } from '../auth/principal.js';
import type { Mailer } from '../collections/mailer.js';
import type { Services } from '../services.js';
import { notificationsFor } from './notifications.js';

export interface NotificationSettingsInput {
  readonly email?: string | null;
  readonly language?: string;
  readonly dailyDigest?: boolean;
}

const LANGUAGES: readonly DigestLanguage[] = ['en', 'zh-CN'];

async function settingsRow(services: Services, userId: string) {
  return services.store.db
    .selectFrom('notification_settings')
    .selectAll()
    .where('user_id', '=', userId)
    .executeTakeFirst();
}

/** The caller's e-mail settings (none yet: no address, English, no digest). */
export async function notificationSettings(services: Services, principal: Principal) {
  const row = await settingsRow(services, personOf(principal, 'notification e-mail settings'));
  return {
    email: row?.email ?? null,
    language: (row?.language ?? 'en') as DigestLanguage,
    dailyDigest: row?.daily_digest === 1,
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
  const after = { email, language: language as DigestLanguage, dailyDigest };
  const now = services.clock.now().toISOString();
  const row = { email, language, daily_digest: dailyDigest ? 1 : 0, updated_at: now };
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

/**
 * The daily digest (I4): to everyone who asked for it, what waits for them this morning — the same
 * items as the bell, by e-mail in their language, with links into the dashboard. One a person a
 * day: a second run the same day (a retry, another server) sends nothing twice; a person with
 * nothing waiting gets nothing.
 */
export async function sendDailyDigests(services: Services, mailer: Mailer, dashboardUrl: string) {
  const { db } = services.store;
  const today = services.clock.today();
  const people = await db
    .selectFrom('notification_settings as s')
    .innerJoin('users as u', 'u.id', 's.user_id')
    .leftJoin('notification_digests as d', (join) =>
      join.onRef('d.user_id', '=', 's.user_id').on('d.sent_on', '=', today),
    )
    .select(['u.id', 'u.display_name', 'u.role', 'u.sales_owner', 's.email', 's.language'])
    .where('s.daily_digest', '=', 1)
    .where('s.email', 'is not', null)
    .where('u.disabled_at', 'is', null)
    .where('d.user_id', 'is', null)
    .orderBy('u.id')
    .execute();
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
    const { items } = await notificationsFor(services, principal);
    const mail = digestMail(
      items,
      { name: person.display_name, language: person.language as DigestLanguage },
      dashboardUrl,
    );
    if (!mail) {
      nothingWaiting++;
      continue;
    }
    try {
      const messageId = await mailer.send({ to: person.email as string, ...mail });
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
      sent++;
    } catch (error) {
      // One bad address or a refusing server does not keep the others' digests back.
      failed.push({ userId: person.id, error: (error as Error).message });
    }
  }
  return { sent, nothingWaiting, failed };
}
