// `npm start`: runs the sample shop (after scripts/run.mjs built the pages and the bundle) and
// prints where it is, the admin password, and on the sandbox its dashboard.
import { networkInterfaces } from 'node:os';
import { ListenError, startShop } from './app.js';
import { StoreError } from './database.js';
import { ADMIN_USER } from './admin.js';
import { every } from './maintenance.js';
import { OptionsError, USAGE, readOptions } from './options.js';

let options;
try {
  options = readOptions(process.argv.slice(2), process.env);
} catch (error) {
  if (!(error instanceof OptionsError)) throw error;
  console.error(`npm start: ${error.message}\n\n${USAGE}`);
  process.exit(2);
}
if (options.help) {
  console.log(USAGE);
  process.exit(0);
}

/** What to tell the person starting the shop when it cannot listen: one line, no stack. */
function listenProblem(error: ListenError): string {
  const [flag, variable] = error.server === 'shop' ? ['--port', 'PORT'] : ['--sandbox-port', 'SANDBOX_PORT'];
  const what = error.server === 'shop' ? 'port' : 'sandbox port';
  if (error.code === 'EADDRINUSE') return `${what} ${error.port} is in use; set ${variable} or ${flag}`;
  if (error.code === 'EACCES') return `${what} ${error.port} needs privileges this user does not have; set ${variable} or ${flag} (above 1023)`;
  return `${error.host} is not an address of this machine; set HOST or --host`;
}

const shop = await startShop(options).catch((error: unknown) => {
  if (error instanceof ListenError) console.error(`npm start: ${listenProblem(error)}`);
  else if (error instanceof StoreError) console.error(`npm start: ${error.message}`);
  else throw error;
  return process.exit(1);
});
// Browsers reach a loopback-bound shop as localhost too; print the friendlier name.
const shown = shop.url.replace('//127.0.0.1:', '//localhost:');
const lines = [
  '',
  `  달빛 커피 로스터스 · sample shop   ${shown}`,
  `  admin                             ${shown}/admin   (user "${ADMIN_USER}", password ${options.adminPasswordGenerated ? `${options.adminPassword}  ← generated; set ADMIN_PASSWORD to choose one` : 'from ADMIN_PASSWORD'})`,
];
// Bound to every interface, the shop is for other devices too (a phone on the same Wi-Fi): say where.
if (options.host === '0.0.0.0' || options.host === '::') {
  for (const address of Object.values(networkInterfaces()).flat()) {
    if (address && !address.internal && address.family === 'IPv4') lines.push(`  on your network                   http://${address.address}:${shop.port}`);
  }
}
if (shop.sandbox) {
  lines.push(
    `  PortOne sandbox                   ${shop.sandbox.dashboardUrl}   (store ${shop.sandbox.storeId}, no account, no network)`,
    `  data                              ${options.dataDir}`,
  );
} else if (options.portone.mode === 'portone') {
  lines.push(
    `  PortOne                           store ${options.portone.storeId}, test channels`,
    options.portone.publicUrl
      ? `  webhooks                          ${options.portone.publicUrl}/portone/webhooks (sent with each payment as noticeUrls)`
      : `  webhooks                          set PortOne's console webhook URL to https://<your public host>/portone/webhooks`,
  );
}
// Which store the kit's records are in; a PostgreSQL URL is shown without its password.
const store = shop.checkoutStore;
lines.push(
  store.kind === 'postgres'
    ? `  checkout store                    PostgreSQL ${store.url} (schema ${store.schema}; the shop's own tables in shop.sqlite)`
    : `  checkout store                    SQLite ${store.path}`,
);
const { reconcileEveryMs, pruneEveryMs, pruneAfterMs } = options.maintenance;
lines.push(
  `  maintenance                       reconcile() ${reconcileEveryMs ? `every ${every(reconcileEveryMs)}` : 'off'}, pruneAbandoned() ${pruneEveryMs ? `every ${every(pruneEveryMs)} (idle over ${every(pruneAfterMs)})` : 'off'}`,
);
// A test harness parses this line to find the shop.
lines.push('', `ready ${shop.url}`, '');
console.log(lines.join('\n'));

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void shop.close().finally(() => process.exit(0));
  });
}
