// `portone-sandbox` from this checkout's TypeScript source (the CLI tests spawn this, so they run
// the code under test whatever an earlier build left in dist).
import { main } from '../../src/sandbox/cli.js';

await main(process.argv.slice(2));
