import { createContext, useCallback, useContext } from 'react';
import type { Me } from './api';

export const MeCtx = createContext<Me | null>(null);

/**
 * Whether the signed-in user's role may do something: an action it would refuse is not offered
 * (the server still checks every request, the sales role's own customers included).
 */
export function useCan(): (permission: string) => boolean {
  const me = useContext(MeCtx);
  return useCallback((permission: string) => me?.permissions.includes(permission) ?? false, [me]);
}
