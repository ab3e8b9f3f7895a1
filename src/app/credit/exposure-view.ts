import type { BusinessDate } from '../../core/time/business-date.js';
import type { Executor } from '../../store/write.js';
import { creditPosition } from './credit-position.js';

/**
 * GET /v1/customers/{id}/exposure: the limit in force today with its parts, exposure with its
 * parts, available credit, and how much of the exposure the credit insurer covers.
 */
export async function exposureView(executor: Executor, customerId: string, today: BusinessDate) {
  const p = await creditPosition(executor, customerId, today);
  const insuredBase =
    p.insuredLimitMinor === null ? 0 : Math.min(Math.max(p.exposure.totalMinor, 0), p.insuredLimitMinor);
  const insuredExposureMinor = Math.floor((insuredBase * (p.insuredCoveragePercent ?? 100)) / 100);
  return {
    customerId,
    asOf: today,
    currency: p.currency,
    limitMinor: p.limit.totalMinor,
    exposureMinor: p.exposure.totalMinor,
    availableMinor: p.availableMinor,
    utilisation:
      p.limit.totalMinor > 0
        ? Math.round((p.exposure.totalMinor / p.limit.totalMinor) * 10_000) / 10_000
        : null,
    limit: p.limit,
    exposure: {
      openReceivablesMinor: p.exposure.receivablesMinor,
      openOrdersMinor: p.exposure.openOrdersMinor,
      shippedNotInvoicedMinor: p.exposure.shippedMinor,
      missingRates: p.exposure.missingRates,
    },
    overdueMinor: p.overdueMinor,
    riskClass: p.riskClass,
    ratingGrade: p.ratingGrade,
    ratingSource: p.ratingSource,
    blacklisted: p.blacklisted,
    stopSupply: p.stopSupply,
    security: {
      insuredLimitMinor: p.insuredLimitMinor,
      insuredCoveragePercent: p.insuredCoveragePercent,
      insuredExposureMinor,
      uninsuredExposureMinor: p.exposure.totalMinor - insuredExposureMinor,
      guaranteeMinor: p.guaranteeMinor,
    },
    group: p.group
      ? {
          groupId: p.group.groupId,
          currency: p.group.currency,
          limitCurrency: p.group.limitCurrency,
          limitMinor: p.group.limitMinor,
          exposureMinor: p.group.exposure.totalMinor,
          availableMinor: p.group.availableMinor,
        }
      : null,
  };
}
