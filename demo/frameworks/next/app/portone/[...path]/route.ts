// The verification kit under /portone: prepare, complete, webhooks, the order read.
import { kit } from '../../../lib/kit';

export const GET = kit.fetch;
export const POST = kit.fetch;
export const runtime = 'nodejs';
