/** Every user-facing string, in both languages. The dashboard issue grows this table. */
export const messages = {
  en: {
    title: 'Fulcrum — trade credit control',
    status: 'Server status',
    ok: 'running',
    down: 'unreachable',
    apiDocs: 'API documentation',
    language: '中文',
  },
  'zh-CN': {
    title: 'Fulcrum 信用控制',
    status: '服务器状态',
    ok: '运行中',
    down: '无法连接',
    apiDocs: 'API 文档',
    language: 'English',
  },
} as const;

export type Locale = keyof typeof messages;
export type MessageKey = keyof (typeof messages)['en'];
