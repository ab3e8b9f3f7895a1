import nodemailer from 'nodemailer';

export interface OutgoingMail {
  readonly to: string;
  readonly subject: string;
  readonly text: string;
}

/** Sends one e-mail and returns its Message-ID. */
export interface Mailer {
  send(mail: OutgoingMail): Promise<string>;
}

/** Through an SMTP server (FULCRUM_SMTP_URL, e.g. smtp://user:pass@mail.example.com:587). */
export function smtpMailer(url: string, from: string): Mailer {
  const transport = nodemailer.createTransport(url);
  return {
    async send(mail) {
      const info = await transport.sendMail({ from, to: mail.to, subject: mail.subject, text: mail.text });
      return info.messageId;
    },
  };
}
