import { changed, queryClient } from './query';

/** The dashboard's one way to the API: the bearer secret of the session, JSON in and out. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** The input the server refused, when it names one (`rules[0].params.days`). */
    readonly field?: string,
  ) {
    super(message);
  }
}

/** Who is signed in (`GET /v1/me`). */
export interface Me {
  kind: string;
  id: string;
  /** A person's display name, or the API key's name. */
  name: string;
  role: string;
  /** What the role may do: the actions the dashboard offers. */
  permissions: string[];
  today: string;
}

const TOKEN_KEY = 'fulcrum.token';

/** The language the user reads: sent with every call, so answers and errors come in it. */
let language: string | undefined;
export function setApiLanguage(locale: string): void {
  language = locale;
}

export const session = {
  get: () => sessionStorage.getItem(TOKEN_KEY),
  set: (token: string) => sessionStorage.setItem(TOKEN_KEY, token),
  // Signed out: nothing read as that user stays in the cache for the next one.
  clear: () => {
    sessionStorage.removeItem(TOKEN_KEY);
    queryClient.clear();
  },
};

export async function api<T>(
  path: string,
  init: { method?: string; body?: unknown; locale?: string } = {},
): Promise<T> {
  const token = session.get();
  const response = await fetch(path, {
    method: init.method ?? 'GET',
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
      ...((init.locale ?? language) ? { 'accept-language': init.locale ?? language } : {}),
    },
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  });
  const answer = await answerOf<T>(response);
  if (init.method && init.method !== 'GET') changed();
  return answer;
}

/** Said when the server no longer knows the session (expired, signed out elsewhere): sign in again. */
export const SIGNED_OUT = 'fulcrum:signed-out';

async function answerOf<T>(response: Response): Promise<T> {
  if (response.status === 204) return undefined as T;
  if (response.status === 401 && session.get()) {
    session.clear();
    window.dispatchEvent(new Event(SIGNED_OUT));
  }
  const json = await response.json().catch(() => ({}));
  if (!response.ok) {
    const error = (json as { error?: { code?: string; message?: string; field?: string } }).error;
    throw new ApiError(
      response.status,
      error?.code ?? 'error',
      error?.message ?? response.statusText,
      error?.field,
    );
  }
  return json as T;
}

/** Uploads a file as multipart/form-data in a part named `file`. */
export async function upload<T>(path: string, file: File): Promise<T> {
  const token = session.get();
  const form = new FormData();
  form.append('file', file);
  const response = await fetch(path, {
    method: 'POST',
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(language ? { 'accept-language': language } : {}),
    },
    body: form,
  });
  const answer = await answerOf<T>(response);
  changed();
  return answer;
}

/**
 * Fetches an export with the session's secret and hands it to the browser as a file, telling
 * `onProgress` the bytes received as they come (a whole ledger streams for a while).
 */
export async function download(
  path: string,
  filename: string,
  locale?: string,
  onProgress?: (bytes: number) => void,
): Promise<void> {
  const token = session.get();
  const response = await fetch(path, {
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...((locale ?? language) ? { 'accept-language': locale ?? language } : {}),
    },
  });
  if (!response.ok) await answerOf(response);
  const parts: Uint8Array[] = [];
  const reader = response.body?.getReader();
  let received = 0;
  for (;;) {
    const next = await reader?.read();
    if (!next || next.done) break;
    parts.push(next.value);
    received += next.value.length;
    onProgress?.(received);
  }
  const url = URL.createObjectURL(new Blob(parts as BlobPart[]));
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  link.click();
  URL.revokeObjectURL(url);
}
