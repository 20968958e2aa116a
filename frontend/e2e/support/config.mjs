// Everything the end-to-end run needs from its environment, with the local stack's defaults.
import { readFileSync } from 'node:fs';

const trim = (url) => url.replace(/\/+$/, '');

/** The staff password `make dev` generated on its first run without ADMIN_PASSWORD. */
function generatedAdminPassword() {
  try {
    return readFileSync(new URL('../../../.local/admin-password', import.meta.url), 'utf8').trim();
  } catch {
    return '';
  }
}

export const APP_URL = trim(process.env.APP_URL || 'http://127.0.0.1:3000');
export const API_URL = trim(process.env.API_URL || 'http://127.0.0.1:8000');
export const ADMIN_EMAIL = process.env.ADMIN_EMAIL || 'admin@shop.local';
export const ADMIN_PASSWORD = process.env.ADMIN_PASSWORD || generatedAdminPassword();
/** `ready` with an AI provider configured, `disabled` without one. */
export const EXPECT_SUMMARY = process.env.E2E_EXPECT_SUMMARY || 'ready';
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
/** A tag unique to this run, so repeated runs against one database never collide. */
export const RUN_ID = `${Date.now().toString(36)}${Math.floor(Math.random() * 1296).toString(36)}`.toUpperCase();
