// Fixed at build time so the static bundle needs no runtime configuration file.
const configuredApiUrl = import.meta.env.VITE_API_URL as string | undefined;

export const API_URL: string = (configuredApiUrl || 'http://127.0.0.1:8000').replace(/\/+$/, '');

// The API speaks integer minor units only; the currency is a property of the deployment.
export const CURRENCY: string = (import.meta.env.VITE_CURRENCY as string | undefined) || 'USD';
