import { defineConfig, devices } from '@playwright/test';

// Debian's Chromium, never a downloaded browser. ./dev test starts the server and sets BASE_URL.
const chromium = {
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: [
    '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync',
  ],
};

export default defineConfig({
  testDir: './tests',
  // Staff sign in with a real two-step code, each usable once: a sign-in may wait for the next one.
  timeout: 120_000,
  expect: { timeout: 10_000 },
  fullyParallel: true,
  workers: 2,
  retries: 0,
  reporter: [['list']],
  use: {
    baseURL: process.env.BASE_URL || 'http://127.0.0.1:3100',
    launchOptions: chromium,
    trace: 'off',
  },
  projects: [
    // A cheap Android phone: 360 px wide.
    { name: 'mobile', use: { ...devices['Galaxy S9+'], viewport: { width: 360, height: 740 }, launchOptions: chromium } },
    { name: 'desktop', use: { ...devices['Desktop Chrome'], launchOptions: chromium }, testMatch: /(catalogue|roles)\.spec\.ts/ },
  ],
});
