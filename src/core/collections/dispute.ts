export const DISPUTE_REASONS = ['price', 'quantity', 'quality', 'delivery', 'duplicate', 'other'] as const;
export type DisputeReason = (typeof DISPUTE_REASONS)[number];

export const DISPUTE_RESOLUTIONS = ['credit_note', 'valid', 'written_off'] as const;
export type DisputeResolution = (typeof DISPUTE_RESOLUTIONS)[number];
